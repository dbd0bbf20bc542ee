package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// ContainerSpec is one pod with one container, the way the demo runs it: a
// local binary instead of an image.
type ContainerSpec struct {
	Namespace string
	// App is the Deployment (and Service) name and the app label.
	App string
	// Pod is the pod name, e.g. order-service-7d9c5b6f4-x2x1q.
	Pod string
	// Container is the container name.
	Container string
	Binary    string
	Args      []string
	// Env is KEY=VALUE pairs on top of a minimal environment.
	Env []string
	// SecretEnv names variables of Env whose values are secrets: they are
	// shown as secret references in the Pod, never by value.
	SecretEnv map[string]bool
	// Port is the loopback port the container listens on; 0 for none.
	Port int
	// MemoryLimit is the memory limit in bytes; 0 means no limit.
	MemoryLimit int64
	// ReadinessPath is probed over HTTP on Port; empty means the container
	// is ready while it runs.
	ReadinessPath string
}

// Termination records how a container run ended, as in
// ContainerStateTerminated.
type Termination struct {
	Reason     string
	ExitCode   int
	Message    string
	StartedAt  time.Time
	FinishedAt time.Time
}

// ContainerStatus is a snapshot of a supervised container.
type ContainerStatus struct {
	Spec      ContainerSpec
	Created   time.Time
	Running   bool
	StartedAt time.Time
	// Ready is the readiness probe's verdict (or Running without a probe).
	Ready      bool
	ReadySince time.Time
	// Waiting is the reason the container is not running (CrashLoopBackOff,
	// ContainerCreating); empty while running.
	Waiting        string
	WaitingMessage string
	Restarts       int
	Last           *Termination
	// WorkingSet is the resident memory of the running process in bytes.
	WorkingSet int64
}

// EventRecord is a Kubernetes Event on a pod, aggregated by reason and
// message as the API server does.
type EventRecord struct {
	Namespace string
	Pod       string
	Type      string
	Reason    string
	Message   string
	Count     int
	First     time.Time
	Last      time.Time
}

// KubeletOptions tune the supervisor; zero values take the kubelet's own.
type KubeletOptions struct {
	// LogDir receives logs/<namespace>/<pod>/<container>.log.
	LogDir string
	// BackoffBase and BackoffMax bound the restart delay (10s and 5m, as
	// the kubelet).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// MemoryPoll is how often the OOM watchdog reads the resident memory.
	MemoryPoll time.Duration
	// StopGrace is how long a container may drain after SIGTERM.
	StopGrace time.Duration
	// ProbePeriod is the readiness probe interval (5s); three failures in
	// a row make the container unready, one success ready again.
	ProbePeriod time.Duration
}

func (o KubeletOptions) withDefaults() KubeletOptions {
	if o.BackoffBase <= 0 {
		o.BackoffBase = 10 * time.Second
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = 5 * time.Minute
	}
	if o.MemoryPoll <= 0 {
		o.MemoryPoll = 100 * time.Millisecond
	}
	if o.StopGrace <= 0 {
		o.StopGrace = 5 * time.Second
	}
	if o.ProbePeriod <= 0 {
		o.ProbePeriod = 5 * time.Second
	}
	return o
}

// Kubelet supervises local processes as if they were pod containers: it
// captures their output with timestamps, enforces memory limits like the
// cgroup OOM killer, restarts them with exponential back-off and records
// their states and events.
type Kubelet struct {
	opt  KubeletOptions
	wg   sync.WaitGroup
	mu   sync.Mutex
	pods []*supervised
	evs  []*EventRecord
}

type supervised struct {
	status ContainerStatus
}

// NewKubelet returns a supervisor with nothing running.
func NewKubelet(opt KubeletOptions) (*Kubelet, error) {
	opt = opt.withDefaults()
	if opt.LogDir == "" {
		return nil, errors.New("kubelet: a log directory is required")
	}
	return &Kubelet{opt: opt}, nil
}

// Run starts the container and keeps it running until ctx ends. It
// returns at once; Wait blocks until every container has stopped.
func (k *Kubelet) Run(ctx context.Context, spec ContainerSpec) error {
	dir := filepath.Join(k.opt.LogDir, spec.Namespace, spec.Pod)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("log directory of %s: %w", spec.Pod, err)
	}
	s := &supervised{status: ContainerStatus{Spec: spec, Created: time.Now().UTC(), Waiting: "ContainerCreating"}}
	k.mu.Lock()
	k.pods = append(k.pods, s)
	k.mu.Unlock()
	k.wg.Add(1)
	go func() {
		defer k.wg.Done()
		k.supervise(ctx, s, dir)
	}()
	return nil
}

// Wait blocks until every supervised container has stopped (after the
// context given to Run ends).
func (k *Kubelet) Wait() { k.wg.Wait() }

// LogPath is where the container's current (or previous) run logs.
func (k *Kubelet) LogPath(spec ContainerSpec, previous bool) string {
	name := spec.Container + ".log"
	if previous {
		name = spec.Container + ".previous.log"
	}
	return filepath.Join(k.opt.LogDir, spec.Namespace, spec.Pod, name)
}

// Snapshot returns the current state of all containers and events.
func (k *Kubelet) Snapshot() ([]ContainerStatus, []EventRecord) {
	k.mu.Lock()
	defer k.mu.Unlock()
	pods := make([]ContainerStatus, 0, len(k.pods))
	for _, p := range k.pods {
		st := p.status
		if st.Last != nil {
			last := *st.Last
			st.Last = &last
		}
		pods = append(pods, st)
	}
	evs := make([]EventRecord, 0, len(k.evs))
	for _, e := range k.evs {
		evs = append(evs, *e)
	}
	return pods, evs
}

func (k *Kubelet) update(s *supervised, f func(*ContainerStatus)) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f(&s.status)
}

// event records an event, folding repeats into a count like the API server.
func (k *Kubelet) event(spec ContainerSpec, typ, reason, msg string) {
	now := time.Now().UTC()
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, e := range k.evs {
		if e.Pod == spec.Pod && e.Namespace == spec.Namespace && e.Reason == reason && e.Message == msg {
			e.Count++
			e.Last = now
			return
		}
	}
	k.evs = append(k.evs, &EventRecord{Namespace: spec.Namespace, Pod: spec.Pod, Type: typ,
		Reason: reason, Message: msg, Count: 1, First: now, Last: now})
}

func (k *Kubelet) supervise(ctx context.Context, s *supervised, dir string) {
	spec := s.status.Spec
	for attempt := 0; ; attempt++ {
		term, err := k.runOnce(ctx, s, dir)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			term = Termination{Reason: "StartError", ExitCode: 128, Message: err.Error(),
				StartedAt: time.Now().UTC(), FinishedAt: time.Now().UTC()}
		}
		delay := backoff(k.opt.BackoffBase, k.opt.BackoffMax, attempt)
		k.update(s, func(st *ContainerStatus) {
			st.Running, st.Ready, st.WorkingSet = false, false, 0
			st.Last = &term
			st.Restarts++
			st.Waiting = "CrashLoopBackOff"
			st.WaitingMessage = fmt.Sprintf("back-off %s restarting failed container=%s pod=%s", delay, spec.Container, spec.Pod)
		})
		k.event(spec, "Warning", "BackOff", "Back-off restarting failed container "+spec.Container+" in pod "+spec.Pod)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
}

// backoff is the kubelet's restart delay: base doubled per restart, capped.
func backoff(base, maxDelay time.Duration, attempt int) time.Duration {
	d := base
	for range attempt {
		d *= 2
		if d >= maxDelay {
			return maxDelay
		}
	}
	return d
}

// runOnce runs the container once and reports how it ended. The previous
// run's log becomes the .previous.log, as `kubectl logs --previous` sees it.
func (k *Kubelet) runOnce(ctx context.Context, s *supervised, dir string) (Termination, error) {
	spec := s.status.Spec
	current := k.LogPath(spec, false)
	if _, err := os.Stat(current); err == nil {
		if err := os.Rename(current, k.LogPath(spec, true)); err != nil {
			return Termination{}, fmt.Errorf("rotate log: %w", err)
		}
	}
	logFile, err := os.OpenFile(current, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return Termination{}, fmt.Errorf("open log: %w", err)
	}
	defer logFile.Close()
	out := newStampWriter(logFile)
	defer out.Flush()

	cmd := exec.Command(spec.Binary, spec.Args...)
	cmd.Dir = dir
	cmd.Env = append(baseEnv(), spec.Env...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = childAttrs()
	if err := cmd.Start(); err != nil {
		return Termination{}, fmt.Errorf("start %s: %w", spec.Binary, err)
	}
	started := time.Now().UTC()
	k.update(s, func(st *ContainerStatus) {
		st.Running, st.StartedAt, st.Waiting, st.WaitingMessage = true, started, "", ""
		if spec.ReadinessPath == "" {
			st.Ready, st.ReadySince = true, started
		}
	})
	k.event(spec, "Normal", "Started", "Started container "+spec.Container)
	probeCtx, stopProbe := context.WithCancel(ctx)
	defer stopProbe()
	if spec.ReadinessPath != "" && spec.Port > 0 {
		go k.probeReadiness(probeCtx, s)
	}

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	oomKilled := false
	tick := time.NewTicker(k.opt.MemoryPoll)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			return termination(err, oomKilled, started), nil
		case <-ctx.Done():
			k.event(spec, "Normal", "Killing", "Stopping container "+spec.Container)
			stopGroup(cmd.Process.Pid, k.opt.StopGrace, exited)
			return Termination{Reason: "Completed", StartedAt: started, FinishedAt: time.Now().UTC()}, nil
		case <-tick.C:
			rss, err := residentBytes(cmd.Process.Pid)
			if err != nil {
				continue
			}
			k.update(s, func(st *ContainerStatus) { st.WorkingSet = rss })
			if spec.MemoryLimit > 0 && rss > spec.MemoryLimit && !oomKilled {
				// The cgroup OOM killer sends SIGKILL: no chance to log.
				oomKilled = true
				killGroup(cmd.Process.Pid)
			}
		}
	}
}

// probeReadiness runs the HTTP readiness probe until ctx ends, with the
// kubelet's defaults: 1s timeout, failure threshold 3, success threshold 1.
func (k *Kubelet) probeReadiness(ctx context.Context, s *supervised) {
	spec := s.status.Spec
	url := "http://127.0.0.1:" + strconv.Itoa(spec.Port) + spec.ReadinessPath
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(k.opt.ProbePeriod)
	defer tick.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		err := probe(ctx, client, url)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			failures = 0
			k.update(s, func(st *ContainerStatus) {
				if !st.Ready {
					st.Ready, st.ReadySince = true, time.Now().UTC()
				}
			})
			continue
		}
		failures++
		k.event(spec, "Warning", "Unhealthy", "Readiness probe failed: "+err.Error())
		if failures >= 3 {
			k.update(s, func(st *ContainerStatus) {
				if st.Ready {
					st.Ready, st.ReadySince = false, time.Now().UTC()
				}
			})
		}
	}
}

// probe is one HTTP probe: any status from 200 to 399 passes, as in the
// kubelet, and the failure reads like the kubelet's event message.
func probe(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		return fmt.Errorf("HTTP probe failed with statuscode: %d", resp.StatusCode)
	}
	return nil
}

// termination maps a process exit to the container runtime's record.
func termination(waitErr error, oomKilled bool, started time.Time) Termination {
	t := Termination{StartedAt: started, FinishedAt: time.Now().UTC()}
	var exitErr *exec.ExitError
	switch {
	case oomKilled:
		t.Reason, t.ExitCode = "OOMKilled", 137
	case waitErr == nil:
		t.Reason = "Completed"
	case errors.As(waitErr, &exitErr):
		t.Reason, t.ExitCode = "Error", exitCode(exitErr)
	default:
		t.Reason, t.ExitCode, t.Message = "Error", 128, waitErr.Error()
	}
	return t
}

// baseEnv is what every container gets: enough to run a Go binary, nothing
// of the user's environment (no credentials leak into the demo).
func baseEnv() []string {
	env := []string{"HOME=" + os.TempDir()}
	if p := os.Getenv("PATH"); p != "" {
		env = append(env, "PATH="+p)
	}
	return env
}
