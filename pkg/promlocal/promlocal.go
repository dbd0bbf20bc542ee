// Package promlocal runs a real Prometheus on a loopback port: either
// serving an incident recorded as OpenMetrics (backfilled with promtool), or
// with a given configuration for the demo. Tests, scenario replay and the
// no-Docker demo all use it, so the collector always talks to the real thing.
package promlocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrNotInstalled is returned (wrapped, naming the missing binary) when
// prometheus or promtool cannot be found.
var ErrNotInstalled = errors.New("prometheus not installed (apt-get install prometheus)")

// Options tune how Prometheus is started. The zero value is ready to use.
type Options struct {
	// PrometheusBin and PromtoolBin are the executables; by default
	// "prometheus" and "promtool" from PATH.
	PrometheusBin string
	PromtoolBin   string
	// DataDir holds the TSDB. Empty means a temporary directory that Close
	// removes; a given directory is left in place.
	DataDir string
	// Log receives Prometheus's own output as it runs. The last lines are
	// kept in any case and included in start-up errors.
	Log io.Writer
	// LookbackDelta is --query.lookback-delta: how far back an instant
	// query looks for a sample. Zero keeps Prometheus's 5m, right for
	// samples up to a few minutes apart.
	LookbackDelta time.Duration
	// ExtraFlags are appended to the prometheus command line.
	ExtraFlags []string
	// StartTimeout bounds start-up, backfill included; default 60s.
	StartTimeout time.Duration
	// BlockDuration is the longest block promtool's backfill writes
	// (--max-block-duration, rounded down by promtool to 2h, 6h, 18h, 54h
	// or 162h). promtool reads the whole input once per block, so a long
	// fixture in 2h blocks is read dozens of times. Zero keeps promtool's 2h.
	BlockDuration time.Duration
}

// Server is a running Prometheus. Close it when done.
type Server struct {
	url     string
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
	logs    *tailBuffer
	tempDir string

	closeOnce sync.Once
	closeErr  error
}

// URL is the base URL of the HTTP API, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.url }

// Pid is the Prometheus process's id, for a benchmark that reads how much
// CPU the server spent answering it.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Logs returns the tail of Prometheus's output, for diagnosing failures.
func (s *Server) Logs() string { return s.logs.String() }

// FromOpenMetrics backfills an OpenMetrics file (with timestamps, ending in
// "# EOF") into a fresh TSDB and serves it. The context bounds start-up
// only; the server runs until Close.
func FromOpenMetrics(ctx context.Context, omPath string, opt Options) (*Server, error) {
	ctx, cancel := context.WithTimeout(ctx, opt.startTimeout())
	defer cancel()
	dataDir, tempDir, err := prepareDataDir(opt.DataDir)
	if err != nil {
		return nil, err
	}
	if err := Backfill(ctx, omPath, dataDir, opt); err != nil {
		if tempDir != "" {
			_ = os.RemoveAll(tempDir)
		}
		return nil, err
	}
	s, err := serveTSDB(ctx, dataDir, opt)
	if err != nil {
		if tempDir != "" {
			_ = os.RemoveAll(tempDir)
		}
		return nil, err
	}
	s.tempDir = tempDir
	return s, nil
}

// Backfill writes the OpenMetrics file's samples into blocks in dataDir
// with promtool, for FromTSDB to serve later (a benchmark keeps a large
// fixture's blocks between runs this way).
func Backfill(ctx context.Context, omPath, dataDir string, opt Options) error {
	promtool, err := lookBinary(opt.PromtoolBin, "promtool")
	if err != nil {
		return err
	}
	if _, err := os.Stat(omPath); err != nil {
		return fmt.Errorf("openmetrics fixture: %w", err)
	}
	if opt.BlockDuration < 0 {
		return fmt.Errorf("block duration %s is negative", opt.BlockDuration)
	}
	args := []string{"tsdb", "create-blocks-from", "openmetrics", "--quiet"}
	if opt.BlockDuration > 0 {
		// Hidden in promtool 2.42 (the version installed here), but there.
		args = append(args, "--max-block-duration="+opt.BlockDuration.String())
	}
	backfill := exec.CommandContext(ctx, promtool, append(args, omPath, dataDir)...)
	if out, err := backfill.CombinedOutput(); err != nil {
		return fmt.Errorf("promtool backfill of %s: %w: %s", omPath, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// FromTSDB serves the blocks already in dataDir (written by Backfill),
// leaving the directory in place on Close. Retention is set far beyond any
// fixture's age, because Prometheus would otherwise drop old blocks.
func FromTSDB(ctx context.Context, dataDir string, opt Options) (*Server, error) {
	if _, err := os.Stat(dataDir); err != nil {
		return nil, fmt.Errorf("prometheus data dir: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, opt.startTimeout())
	defer cancel()
	return serveTSDB(ctx, dataDir, opt)
}

// serveTSDB runs Prometheus on dataDir with an empty configuration: nothing
// is scraped, so the backfilled data is all there is.
func serveTSDB(ctx context.Context, dataDir string, opt Options) (*Server, error) {
	configPath := filepath.Join(dataDir, "promlocal.yml")
	if err := os.WriteFile(configPath, []byte("global:\n  evaluation_interval: 1m\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write prometheus config: %w", err)
	}
	return launch(ctx, configPath, dataDir, opt)
}

// Start runs Prometheus with the given configuration file (scrape configs
// and rule files, relative paths resolved from the file's directory).
func Start(ctx context.Context, configPath string, opt Options) (*Server, error) {
	if _, err := os.Stat(configPath); err != nil {
		return nil, fmt.Errorf("prometheus config: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, opt.startTimeout())
	defer cancel()
	dataDir, tempDir, err := prepareDataDir(opt.DataDir)
	if err != nil {
		return nil, err
	}
	s, err := launch(ctx, configPath, dataDir, opt)
	if err != nil {
		if tempDir != "" {
			_ = os.RemoveAll(tempDir)
		}
		return nil, err
	}
	s.tempDir = tempDir
	return s, nil
}

func (o Options) startTimeout() time.Duration {
	if o.StartTimeout > 0 {
		return o.StartTimeout
	}
	return 60 * time.Second
}

func lookBinary(configured, name string) (string, error) {
	if configured == "" {
		configured = name
	}
	path, err := exec.LookPath(configured)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrNotInstalled, name, err)
	}
	return path, nil
}

func prepareDataDir(dir string) (dataDir, tempDir string, err error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", "", fmt.Errorf("prometheus data dir: %w", err)
		}
		return dir, "", nil
	}
	tmp, err := os.MkdirTemp("", "promlocal-")
	if err != nil {
		return "", "", fmt.Errorf("prometheus data dir: %w", err)
	}
	return tmp, tmp, nil
}

// launch starts prometheus on a free loopback port and waits until it is
// ready. A port taken between choosing and binding is retried.
func launch(ctx context.Context, configPath, dataDir string, opt Options) (*Server, error) {
	bin, err := lookBinary(opt.PrometheusBin, "prometheus")
	if err != nil {
		return nil, err
	}
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s, err := startProcess(ctx, bin, configPath, dataDir, port, opt)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	return nil, lastErr
}

func startProcess(ctx context.Context, bin, configPath, dataDir string, port int, opt Options) (*Server, error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	args := []string{
		"--config.file=" + configPath,
		"--storage.tsdb.path=" + dataDir,
		"--web.listen-address=" + addr,
		// Retention counts back from the newest block, and a recorded
		// incident may be years old by the time it is replayed.
		"--storage.tsdb.retention.time=100y",
		"--log.level=warn",
	}
	if opt.LookbackDelta > 0 {
		args = append(args, "--query.lookback-delta="+opt.LookbackDelta.String())
	}
	args = append(args, opt.ExtraFlags...)

	logs := &tailBuffer{max: 64 << 10}
	var out io.Writer = logs
	if opt.Log != nil {
		out = io.MultiWriter(logs, opt.Log)
	}
	// Not CommandContext: ctx bounds start-up, the server lives until Close.
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = childAttrs()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start prometheus: %w", err)
	}
	s := &Server{url: "http://" + addr, cmd: cmd, exited: make(chan struct{}), logs: logs}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx); err != nil {
		_ = s.stop()
		return nil, fmt.Errorf("%w; prometheus log: %s", err, oneLine(logs.String()))
	}
	return s, nil
}

func (s *Server) waitReady(ctx context.Context) error {
	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/-/ready", nil)
		if err != nil {
			return fmt.Errorf("prometheus readiness request: %w", err)
		}
		if resp, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("prometheus exited during start-up: %v", s.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("prometheus not ready at %s: %w", s.url, ctx.Err())
		case <-tick.C:
		}
	}
}

// Close stops Prometheus (SIGTERM, then SIGKILL after 10s) and removes the
// temporary data directory. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.closeErr = s.stop()
		if s.tempDir != "" {
			if err := os.RemoveAll(s.tempDir); err != nil && s.closeErr == nil {
				s.closeErr = fmt.Errorf("remove prometheus data: %w", err)
			}
		}
	})
	return s.closeErr
}

func (s *Server) stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	if err := terminate(s.cmd.Process); err != nil {
		return fmt.Errorf("stop prometheus: %w", err)
	}
	select {
	case <-s.exited:
		return nil
	case <-time.After(10 * time.Second):
	}
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("kill prometheus: %w", err)
	}
	<-s.exited
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
