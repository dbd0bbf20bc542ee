// Package kit is what the three sample services share: HTTP serving with RED
// metrics, OpenTelemetry tracing, JSON logs carrying trace ids, health and
// readiness, graceful shutdown and fault injection. Each service only adds
// its business handlers.
package kit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Options configure a Service beyond the environment.
type Options struct {
	Getenv func(string) string
	Logs   io.Writer
	// SpanExporter replaces the OTLP exporter (tests).
	SpanExporter sdktrace.SpanExporter
}

// Service is one running sample service.
type Service struct {
	Name   string
	Log    *slog.Logger
	Addr   string
	mux    *http.ServeMux
	faults faultState
	start  StartupFaults
	// adminToken guards /admin/faults; empty disables the endpoint.
	adminToken string
	metrics    *metrics
	tracer     trace.TracerProvider
	shutdown   func(context.Context) error
	readiness  []Check
	started    time.Time
	ready      atomic.Bool
	stopBurn   context.CancelFunc
}

// Check is a readiness dependency: nil when the dependency answers.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
}

// New reads the environment (PORT, ADMIN_TOKEN, FAULT_*, OTEL_*) and builds
// the service. A startup fault that crashes is returned as an error so main
// exits non-zero after logging it, as a misconfigured container would.
func New(ctx context.Context, name string, opt Options) (*Service, error) {
	getenv := opt.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	logs := opt.Logs
	if logs == nil {
		logs = os.Stdout
	}
	log := slog.New(traceHandler{slog.NewJSONHandler(logs, nil)}).With("service", name)
	faults, startup, err := FaultsFromEnv(getenv)
	if err != nil {
		return nil, fmt.Errorf("fault settings: %w", err)
	}
	port := getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if _, err := strconv.Atoi(port); err != nil {
		return nil, fmt.Errorf("PORT=%q is not a port number", port)
	}
	tp, shutdown, err := newTracerProvider(ctx, name, getenv, opt.SpanExporter)
	if err != nil {
		return nil, err
	}
	s := &Service{
		Name: name, Log: log, Addr: net.JoinHostPort(getenv("HOST"), port),
		mux: http.NewServeMux(), start: startup, adminToken: getenv("ADMIN_TOKEN"),
		metrics: newMetrics(name), tracer: tp, shutdown: shutdown,
	}
	s.faults.set(faults)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /admin/faults", s.adminGet)
	s.mux.HandleFunc("PUT /admin/faults", s.adminPut)
	return s, nil
}

// Handle registers a business route with metrics, tracing, logging and the
// request-time faults (latency, errors, memory leak).
func (s *Service) Handle(pattern string, h http.HandlerFunc) {
	route := pattern
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		route = pattern[i+1:]
	}
	wrapped := s.instrument(route, s.injectFaults(h))
	s.mux.Handle(pattern, otelhttp.NewHandler(wrapped, route,
		otelhttp.WithTracerProvider(s.tracer), otelhttp.WithPropagators(propagator())))
}

// AddReadinessCheck makes /readyz fail while the dependency fails.
func (s *Service) AddReadinessCheck(c Check) { s.readiness = append(s.readiness, c) }

// Client returns an HTTP client that traces and propagates context to the
// dependencies.
func (s *Service) Client() *http.Client {
	return &http.Client{
		Timeout: 5 * time.Second,
		Transport: otelhttp.NewTransport(http.DefaultTransport,
			otelhttp.WithTracerProvider(s.tracer), otelhttp.WithPropagators(propagator())),
	}
}

// DependencyURL returns the configured URL of a dependency, or an address
// where nothing listens when the broken-dependency fault names it.
func (s *Service) DependencyURL(name, configured string) string {
	if s.faults.get().BrokenDependency == name {
		return "http://127.0.0.1:1"
	}
	return configured
}

// Handler is the service's whole HTTP surface (tests serve it directly).
func (s *Service) Handler() http.Handler { return s.mux }

// Run serves until ctx is cancelled, then drains in-flight requests.
func (s *Service) Run(ctx context.Context) error {
	if s.start.CrashOnStart {
		err := errors.New("config: required setting is missing or invalid (FAULT_CRASH_ON_START)")
		s.Log.Error("fatal configuration error, exiting", "error", err.Error())
		return err
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on an existing listener.
func (s *Service) Serve(ctx context.Context, ln net.Listener) error {
	s.started = time.Now()
	burnCtx, stopBurn := context.WithCancel(ctx)
	s.stopBurn = stopBurn
	go s.backgroundFaults(burnCtx)
	srv := &http.Server{Handler: s.mux, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.Log.Info("listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		stopBurn()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.Log.Info("shutting down, draining requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stopBurn()
	err := srv.Shutdown(shutdownCtx)
	if tErr := s.shutdown(shutdownCtx); tErr != nil && err == nil {
		err = fmt.Errorf("flush traces: %w", tErr)
	}
	return err
}

func (s *Service) healthz(w http.ResponseWriter, _ *http.Request) {
	if s.starting() {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// starting reports whether the slow-start fault still holds the service.
func (s *Service) starting() bool {
	return s.start.SlowStart > 0 && time.Since(s.started) < s.start.SlowStart
}

func (s *Service) readyz(w http.ResponseWriter, r *http.Request) {
	if s.starting() {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	failing := map[string]string{}
	for _, c := range s.readiness {
		if err := c.Fn(ctx); err != nil {
			failing[c.Name] = err.Error()
		}
	}
	if len(failing) > 0 {
		s.Log.WarnContext(r.Context(), "not ready: dependency failing", "failing", failing)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "not ready", "failing": failing})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
