// Package pgtest runs a throwaway PostgreSQL server for tests: initdb in a
// temporary directory as an unprivileged user (tests often run as root,
// which PostgreSQL refuses), postgres on a free 127.0.0.1 port with its unix
// socket in that directory, and everything removed afterwards. Without the
// binaries a test skips loudly; under CI=true it fails, since CI must run
// it (scripts/system-deps.sh installs Debian's postgresql package).
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// EnvBinDir names the directory of initdb and postgres when they are in
// neither /usr/lib/postgresql/<version>/bin nor PATH.
const EnvBinDir = "AIOPS_PG_BIN"

// Server is one running PostgreSQL cluster.
type Server struct {
	dir  string
	bin  string
	data string
	cred *syscall.Credential
	port int
	cmd  *exec.Cmd
	done chan error
	log  *bytes.Buffer
	next atomic.Int64
}

// BinDir finds initdb and postgres: $AIOPS_PG_BIN, the newest Debian
// /usr/lib/postgresql/<version>/bin, or PATH.
func BinDir() (string, error) {
	if d := os.Getenv(EnvBinDir); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real), nil
		}
	}
	return "", errors.New("PostgreSQL (initdb, postgres) is not installed; run scripts/system-deps.sh or apt-get install postgresql")
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// Start creates and starts a cluster. Stop it with Stop.
func Start(ctx context.Context) (*Server, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	dir, cred, err := serverDir("aiops-pgtest-")
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	var lastErr error
	for try := 0; try < 3; try++ { // a free port can be taken before postgres binds it
		s := &Server{dir: dir, bin: bin, data: data, cred: cred, log: &bytes.Buffer{}}
		if lastErr = s.run(ctx); lastErr == nil {
			return s, nil
		}
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

// serverDir makes a server's directory and returns it with the credential
// to run the server with. As root the server runs as nobody, who must reach
// the directory: a TMPDIR under /root would not do, /tmp does.
func serverDir(prefix string) (string, *syscall.Credential, error) {
	base := ""
	if os.Geteuid() == 0 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, prefix)
	if err != nil {
		return "", nil, err
	}
	cred, err := unprivileged(dir)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, cred, nil
}

// unprivileged returns the credential to run PostgreSQL with (nobody when
// running as root, else nil for the current user) and hands it dir.
func unprivileged(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL cannot run as root and there is no user nobody: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

func (s *Server) run(ctx context.Context) error {
	if s.port == 0 {
		port, err := freePort()
		if err != nil {
			return err
		}
		s.port = port
	}
	s.cmd = exec.Command(filepath.Join(s.bin, "postgres"), "-D", s.data, "-p", strconv.Itoa(s.port), "-k", s.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "log_min_messages=warning")
	// Pdeathsig stops the server if the test binary dies without Stop; the
	// starting thread is locked and kept until the server exits, since the
	// signal follows the thread that forked.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGQUIT}
	s.cmd.Env = []string{"HOME=" + s.dir, "PATH=" + os.Getenv("PATH")}
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.done = make(chan error, 1)
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := s.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.done <- s.cmd.Wait()
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	if err := s.waitReady(ctx); err != nil {
		s.kill()
		return fmt.Errorf("%w; server log: %s", err, s.log.String())
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", s.DSN("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	for {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("postgres exited: %v", err)
		default:
		}
		if err = db.PingContext(ctx); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres not ready: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// DSN is the URL of database db on the server.
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

// NewDatabase creates an empty database and returns its URL.
func (s *Server) NewDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), s.next.Add(1))
	db, err := sql.Open("pgx", s.DSN("postgres"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return s.DSN(name), nil
}

// Stop shuts the server down (fast shutdown, then a kill) and removes its
// directory.
func (s *Server) Stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.kill()
	}
	return os.RemoveAll(s.dir)
}

// Standby starts a hot standby of s: a base backup taken over streaming
// replication (pg_basebackup -R, which writes standby.signal and the
// primary's address), run on a port and directory of its own. It is in
// recovery, so it serves reads and refuses every write, as the replica a
// failover or a mistyped URL would leave the plugin on. Stop it before s.
func (s *Server) Standby(ctx context.Context) (*Server, error) {
	dir, cred, err := serverDir("aiops-pgtest-standby-")
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	backup := exec.CommandContext(ctx, filepath.Join(s.bin, "pg_basebackup"), "-D", data, "-R", "-X", "stream", "-c", "fast",
		"-h", "127.0.0.1", "-p", strconv.Itoa(s.port), "-U", "postgres", "--no-sync")
	backup.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	backup.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	if out, err := backup.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_basebackup: %w: %s", err, out)
	}
	standby := &Server{dir: dir, bin: s.bin, data: data, cred: cred, log: &bytes.Buffer{}}
	if err := standby.run(ctx); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return standby, nil
}

// Kill ends the server with SIGKILL, as a crash or an OOM kill would: no
// shutdown, open connections reset. Restart brings it back.
func (s *Server) Kill() { s.kill() }

// Restart starts a killed or stopped server again on the same data and
// port; PostgreSQL recovers what was committed from its WAL.
func (s *Server) Restart(ctx context.Context) error {
	s.log.Reset()
	return s.run(ctx)
}

// Freeze stops the server's processes (SIGSTOP to the postmaster and its
// backends): connections stay open and nothing answers, like a server
// hung on storage or a network that drops packets. Thaw resumes them.
func (s *Server) Freeze() error { return s.signalAll(syscall.SIGSTOP) }

// Thaw resumes a frozen server.
func (s *Server) Thaw() error { return s.signalAll(syscall.SIGCONT) }

// signalAll signals the postmaster and every process it started; the
// backends are its children, found through /proc.
func (s *Server) signalAll(sig syscall.Signal) error {
	pid := s.cmd.Process.Pid
	if err := syscall.Kill(pid, sig); err != nil {
		return err
	}
	children, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return fmt.Errorf("listing the server's backends: %w", err)
	}
	for _, f := range bytes.Fields(children) {
		if child, err := strconv.Atoi(string(f)); err == nil {
			_ = syscall.Kill(child, sig) // a backend may have exited meanwhile
		}
	}
	return nil
}

func (s *Server) kill() {
	_ = s.cmd.Process.Kill()
	// Put the exit back, so that a later Stop sees the server gone.
	err := <-s.done
	s.done <- err
}

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Require returns the server shared by the test binary, starting it on first
// use. Without PostgreSQL it skips the test with a loud SKIP line, or fails
// it under CI=true. The package's TestMain must end with Main's cleanup.
func Require(tb testing.TB) *Server {
	tb.Helper()
	shared.once.Do(func() { shared.srv, shared.err = Start(context.Background()) })
	if shared.err != nil {
		unavailable(tb, shared.err)
	}
	return shared.srv
}

// unavailable skips tb with a loud SKIP line, or fails it under CI=true,
// where PostgreSQL is required.
func unavailable(tb testing.TB, err error) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("PostgreSQL is required under CI=true: %v", err)
	}
	fmt.Fprintf(os.Stderr, "SKIP: %s needs PostgreSQL: %v\n", tb.Name(), err)
	tb.Skipf("SKIP: PostgreSQL unavailable: %v", err)
}

// Own starts a server for tb alone, for a test that kills, freezes or
// fills it, and returns it with a fresh database's URL; it is stopped when
// tb ends. Without PostgreSQL it skips loudly, or fails under CI=true.
func Own(tb testing.TB) (*Server, string) {
	tb.Helper()
	if _, err := BinDir(); err != nil {
		unavailable(tb, err)
	}
	srv, err := Start(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = srv.Thaw()
		if err := srv.Stop(); err != nil {
			tb.Errorf("stopping PostgreSQL: %v", err)
		}
	})
	dsn, err := srv.NewDatabase(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return srv, dsn
}

// NewDatabase is Require plus a fresh database for tb.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	dsn, err := Require(tb).NewDatabase(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return dsn
}

// Main runs the tests and then stops the shared server, if one was started:
// func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.srv != nil {
		if err := shared.srv.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: removing the server's directory: %v\n", err)
		}
	}
	return code
}
