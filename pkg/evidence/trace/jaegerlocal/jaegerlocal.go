// Package jaegerlocal runs a real Jaeger (the v2 all-in-one binary, memory
// storage) on free loopback ports, for the trace tests and the no-Docker
// demo. The binary comes from the tools/jaeger module, built once by
// scripts/system-deps.sh into $HOME/.cache/aiops/bin.
package jaegerlocal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

// Version is the Jaeger release tools/jaeger pins.
const Version = "v1.75.0"

// ErrNotInstalled is returned (wrapped) when no Jaeger binary is found.
var ErrNotInstalled = errors.New("jaeger not installed (run scripts/system-deps.sh, or set AIOPS_JAEGER to the binary)")

// Binary finds Jaeger: configured, else $AIOPS_JAEGER, else the cached
// build, else "jaeger" on PATH.
func Binary(configured string) (string, error) {
	candidates := []string{configured, os.Getenv("AIOPS_JAEGER")}
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, ".cache", "aiops", "bin", "jaeger-"+Version))
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return c, nil
		}
	}
	if p, err := exec.LookPath("jaeger"); err == nil {
		return p, nil
	}
	return "", ErrNotInstalled
}

// Server is a running Jaeger.
type Server struct {
	// OTLPEndpoint is the OTLP/HTTP base URL (for OTEL_EXPORTER_OTLP_ENDPOINT).
	OTLPEndpoint string
	// QueryURL is the query service's HTTP base URL (UI and /api).
	QueryURL string

	cmd       *exec.Cmd
	dir       string
	exited    chan struct{}
	log       *bytes.Buffer
	logMu     sync.Mutex
	closeOnce sync.Once
}

// config keeps only what the tests need: OTLP over HTTP in, memory storage,
// the query API out, no telemetry port of its own.
const config = `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:%d
    grpc:
      endpoint: 127.0.0.1:%d
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:%d
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`

// Start runs bin (see Binary) and waits until its query API answers.
func Start(ctx context.Context, bin string) (*Server, error) {
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "jaeger-")
	if err != nil {
		return nil, fmt.Errorf("jaeger config dir: %w", err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, fmt.Appendf(nil, config, ports[0], ports[1], ports[2]), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("write jaeger config: %w", err)
	}
	s := &Server{
		QueryURL:     "http://127.0.0.1:" + strconv.Itoa(ports[0]),
		OTLPEndpoint: "http://127.0.0.1:" + strconv.Itoa(ports[2]),
		dir:          dir, exited: make(chan struct{}), log: &bytes.Buffer{},
	}
	// Not CommandContext: ctx bounds start-up only; Close stops it.
	s.cmd = exec.Command(bin, "--config", path)
	s.cmd.Stdout, s.cmd.Stderr = s, s
	s.cmd.SysProcAttr = childAttrs()
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start jaeger: %w", err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Write collects the process's output, bounded, for error messages.
func (s *Server) Write(p []byte) (int, error) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if s.log.Len() < 64<<10 {
		s.log.Write(p)
	}
	return len(p), nil
}

// Log is what Jaeger printed so far.
func (s *Server) Log() string {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return s.log.String()
}

func (s *Server) waitReady(ctx context.Context) error {
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.QueryURL+"/api/services", nil)
		if err != nil {
			return fmt.Errorf("jaeger readiness request: %w", err)
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("jaeger exited during start-up: %s", strings.Join(strings.Fields(s.Log()), " "))
		case <-ctx.Done():
			return fmt.Errorf("jaeger not ready at %s: %w", s.QueryURL, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Close stops Jaeger and removes its configuration; safe to call twice.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		// Interrupt is the portable polite stop (SIGINT on Unix); Kill follows.
		_ = s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(5 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
		os.RemoveAll(s.dir)
	})
}

// freePorts reserves n distinct loopback ports at once, so they differ.
func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
