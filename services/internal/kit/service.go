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
	// AdminListener serves /admin/* instead of listening on ADMIN_PORT (tests).
	AdminListener net.Listener
}

// Service is one running sample service.
type Service struct {
	Name   string
	Log    *slog.Logger
	Addr   string
	mux    *http.ServeMux
	faults faultState
	start  StartupFaults
	// DevMode (SHOP_DEV_MODE=true) relaxes what a cluster must not run
	// without: a shared signing key and a separate admin port.
	DevMode bool
	// adminToken guards /admin/faults; empty disables the endpoint.
	adminToken string
	// adminAddr is where /admin/* listens, apart from the business port so a
	// NetworkPolicy can keep it inside the namespace; empty in dev mode means
	// the business port.
	adminAddr    string
	adminLn      net.Listener
	metrics      *metrics
	tracer       trace.TracerProvider
	shutdown     func(context.Context) error
	dependencies []Check
	started      time.Time
	draining     atomic.Bool
	stopBurn     context.CancelFunc
}

// Check is a dependency's health: nil when the dependency answers.
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
	dev := false
	if v := getenv("SHOP_DEV_MODE"); v != "" {
		if dev, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("SHOP_DEV_MODE=%q is not true or false", v)
		}
	}
	adminToken, adminAddr, err := adminSettings(getenv, dev, opt.AdminListener != nil)
	if err != nil {
		return nil, err
	}
	tp, shutdown, err := newTracerProvider(ctx, name, getenv, opt.SpanExporter)
	if err != nil {
		return nil, err
	}
	s := &Service{
		Name: name, Log: log, Addr: net.JoinHostPort(getenv("HOST"), port), DevMode: dev,
		mux: http.NewServeMux(), start: startup, adminToken: adminToken, adminAddr: adminAddr,
		adminLn: opt.AdminListener, metrics: newMetrics(name), tracer: tp, shutdown: shutdown,
	}
	s.faults.set(faults)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /dependencies", s.dependencyHealth)
	if adminToken != "" && adminAddr == "" && opt.AdminListener == nil {
		s.registerAdmin(s.mux)
	}
	return s, nil
}

// adminSettings reads ADMIN_TOKEN and ADMIN_PORT. Without a token the admin
// endpoint does not exist. With one, outside dev mode, it must have its own
// port: the business port is reachable from other namespaces and the ALB.
func adminSettings(getenv func(string) string, dev, haveListener bool) (token, addr string, err error) {
	token = getenv("ADMIN_TOKEN")
	port := getenv("ADMIN_PORT")
	if token == "" || haveListener {
		return token, "", nil
	}
	if port == "" {
		if !dev {
			return "", "", errors.New("config: ADMIN_TOKEN is set but ADMIN_PORT is not: outside dev mode /admin is served only on its own port")
		}
		return token, "", nil
	}
	if _, err := strconv.Atoi(port); err != nil {
		return "", "", fmt.Errorf("ADMIN_PORT=%q is not a port number", port)
	}
	return token, net.JoinHostPort(getenv("HOST"), port), nil
}

func (s *Service) registerAdmin(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/faults", s.adminGet)
	mux.HandleFunc("PUT /admin/faults", s.adminPut)
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

// AddDependency reports the dependency's health on /dependencies and in the
// shop_dependency_up metric. It does not affect /readyz: a pod whose
// dependency is down is still the best pod to answer (with a clear error),
// and taking every caller out of its Service would turn one outage into many.
func (s *Service) AddDependency(c Check) {
	s.dependencies = append(s.dependencies, c)
	s.metrics.dependencyUp.WithLabelValues(c.Name).Set(0)
}

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
	if s.adminAddr != "" && s.adminLn == nil {
		if s.adminLn, err = net.Listen("tcp", s.adminAddr); err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (admin): %w", s.adminAddr, err)
		}
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on an existing listener.
func (s *Service) Serve(ctx context.Context, ln net.Listener) error {
	s.started = time.Now()
	burnCtx, stopBurn := context.WithCancel(ctx)
	s.stopBurn = stopBurn
	go s.backgroundFaults(burnCtx)
	go s.watchDependencies(burnCtx)
	srv := &http.Server{Handler: s.mux, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	s.Log.Info("listening", "addr", ln.Addr().String())
	var admin *http.Server
	if s.adminLn != nil && s.adminToken != "" {
		mux := http.NewServeMux()
		s.registerAdmin(mux)
		admin = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() { errc <- admin.Serve(s.adminLn) }()
		s.Log.Info("admin endpoint listening", "addr", s.adminLn.Addr().String())
	}
	select {
	case err := <-errc:
		stopBurn()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.Log.Info("shutting down, draining requests")
	s.draining.Store(true)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stopBurn()
	err := srv.Shutdown(shutdownCtx)
	if admin != nil {
		if aErr := admin.Shutdown(shutdownCtx); aErr != nil && err == nil {
			err = fmt.Errorf("admin shutdown: %w", aErr)
		}
	}
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

// readyz is about this pod only: not while starting or draining.
func (s *Service) readyz(w http.ResponseWriter, _ *http.Request) {
	switch {
	case s.starting():
		http.Error(w, "starting", http.StatusServiceUnavailable)
	case s.draining.Load():
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
	default:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	}
}

// checkDependencies runs every dependency check and records the result.
func (s *Service) checkDependencies(ctx context.Context) map[string]string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	failing := map[string]string{}
	for _, c := range s.dependencies {
		up := 1.0
		if err := c.Fn(ctx); err != nil {
			failing[c.Name] = err.Error()
			up = 0
		}
		s.metrics.dependencyUp.WithLabelValues(c.Name).Set(up)
	}
	return failing
}

// dependencyHealth answers 503 naming the failing dependencies. No probe
// uses it; it is for people and dashboards.
func (s *Service) dependencyHealth(w http.ResponseWriter, r *http.Request) {
	failing := s.checkDependencies(r.Context())
	if len(failing) > 0 {
		s.Log.WarnContext(r.Context(), "dependency failing", "failing", failing)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "degraded", "failing": failing})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// watchDependencies keeps shop_dependency_up current between requests to
// /dependencies, so an alert can fire on it.
func (s *Service) watchDependencies(ctx context.Context) {
	if len(s.dependencies) == 0 {
		return
	}
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		s.checkDependencies(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
