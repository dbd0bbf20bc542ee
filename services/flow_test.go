package services_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/cloudobs/aiops-app/services/internal/auth"
	"github.com/cloudobs/aiops-app/services/internal/kit"
	"github.com/cloudobs/aiops-app/services/internal/loadgen"
	"github.com/cloudobs/aiops-app/services/internal/order"
	"github.com/cloudobs/aiops-app/services/internal/payment"
	"github.com/cloudobs/aiops-app/services/internal/token"
)

// syncBuffer collects a service's logs from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// spanRecorder keeps exported spans after shutdown, unlike tracetest's
// in-memory exporter, which forgets them when the provider shuts down.
type spanRecorder struct {
	mu    sync.Mutex
	spans []sdktrace.ReadOnlySpan
}

func (r *spanRecorder) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans = append(r.spans, spans...)
	return nil
}

func (r *spanRecorder) Shutdown(context.Context) error { return nil }

func (r *spanRecorder) all() []sdktrace.ReadOnlySpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sdktrace.ReadOnlySpan(nil), r.spans...)
}

type running struct {
	url  string
	logs *syncBuffer
	stop func()
}

// shop is the three services on loopback, sharing one span recorder.
type shop struct {
	auth, order, payment running
	spans                *spanRecorder
}

func startService(t *testing.T, name string, env map[string]string, spans sdktrace.SpanExporter,
	register func(*kit.Service) error) running {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := kit.New(ctx, name, kit.Options{Getenv: func(k string) string { return env[k] }, Logs: logs, SpanExporter: spans})
	if err != nil {
		t.Fatal(err)
	}
	if err := register(svc); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx, ln) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("%s shutdown: %v", name, err)
			}
		})
	}
	t.Cleanup(stop)
	return running{url: "http://" + ln.Addr().String(), logs: logs, stop: stop}
}

// testSigner is the signing key every service of a test shop shares, as the
// auth-signing-key Secret is shared in the cluster.
func testSigner(t *testing.T) *token.Signer {
	t.Helper()
	s, err := token.New([]byte("test-signing-key-of-thirty-two-bytes!"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func registerPayment(t *testing.T) func(*kit.Service) error {
	signer := testSigner(t)
	return func(svc *kit.Service) error { return payment.Register(svc, payment.Config{Signer: signer}) }
}

func startShop(t *testing.T, orderEnv, paymentEnv map[string]string) *shop {
	t.Helper()
	s := &shop{spans: &spanRecorder{}}
	signer := testSigner(t)
	s.auth = startService(t, "auth-service", nil, s.spans, func(svc *kit.Service) error {
		return auth.Register(svc, auth.Config{Users: map[string]string{"alice": "wonderland"}, Signer: signer})
	})
	s.payment = startService(t, "payment-service", paymentEnv, s.spans, registerPayment(t))
	s.order = startService(t, "order-service", orderEnv, s.spans, func(svc *kit.Service) error {
		return order.Register(svc, order.Config{AuthURL: s.auth.url, PaymentURL: s.payment.url})
	})
	return s
}

func call(t *testing.T, method, url, token string, body any, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, url, err)
		}
	}
	return resp.StatusCode
}

func login(t *testing.T, s *shop) string {
	t.Helper()
	var out struct{ Token string }
	if code := call(t, "POST", s.auth.url+"/login", "", map[string]string{"username": "alice", "password": "wonderland"}, &out); code != 200 {
		t.Fatalf("login: status %d", code)
	}
	return out.Token
}

func TestOrderFlowAcrossServicesSharesOneTrace(t *testing.T) {
	s := startShop(t, nil, nil)
	token := login(t, s)

	var created order.Order
	code := call(t, "POST", s.order.url+"/order/create", token,
		map[string]any{"item": "lamp", "quantity": 2, "unitPriceCents": 1250}, &created)
	if code != http.StatusCreated || created.AmountCents != 2500 || created.PaymentID == "" {
		t.Fatalf("create: status %d, order %+v", code, created)
	}
	var got order.Order
	if code := call(t, "GET", s.order.url+"/order/"+created.ID, token, nil, &got); code != 200 || got.ID != created.ID {
		t.Fatalf("get: status %d, order %+v", code, got)
	}
	var list struct{ Orders []order.Order }
	if code := call(t, "GET", s.order.url+"/order/list", token, nil, &list); code != 200 || len(list.Orders) != 1 {
		t.Fatalf("list: status %d, %+v", code, list)
	}
	var p payment.Payment
	if code := call(t, "GET", s.payment.url+"/payment/status/"+created.PaymentID, "", nil, &p); code != 200 || p.Status != "captured" {
		t.Fatalf("payment status: %d %+v", code, p)
	}
	if code := call(t, "POST", s.payment.url+"/payment/refund", token, map[string]string{"paymentId": p.ID}, &p); code != 200 || p.Status != "refunded" {
		t.Fatalf("refund: %d %+v", code, p)
	}
	if code := call(t, "POST", s.auth.url+"/logout", token, nil, nil); code != http.StatusNoContent {
		t.Fatalf("logout: %d", code)
	}
	if code := call(t, "GET", s.order.url+"/order/list", token, nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("a revoked token must be refused, got %d", code)
	}

	s.order.stop()
	s.auth.stop()
	s.payment.stop()
	traces := map[string]map[string]bool{} // trace id -> services with a server span
	for _, span := range s.spans.all() {
		if span.SpanKind().String() != "server" {
			continue
		}
		id := span.SpanContext().TraceID().String()
		if traces[id] == nil {
			traces[id] = map[string]bool{}
		}
		for _, attr := range span.Resource().Attributes() {
			if attr.Key == "service.name" {
				traces[id][attr.Value.AsString()] = true
			}
		}
	}
	var spanned bool
	for _, services := range traces {
		if services["order-service"] && services["auth-service"] && services["payment-service"] {
			spanned = true
		}
	}
	if !spanned {
		t.Fatalf("no trace spans all three services: %v", traces)
	}
	if !strings.Contains(s.order.logs.String(), `"trace_id"`) {
		t.Errorf("order-service logs carry no trace_id:\n%s", s.order.logs.String())
	}
}

func TestMetricsExposeREDSeriesPerRoute(t *testing.T) {
	s := startShop(t, nil, nil)
	token := login(t, s)
	call(t, "GET", s.order.url+"/order/list", token, nil, nil)
	call(t, "POST", s.order.url+"/order/create", token, map[string]any{"item": "pen", "quantity": 1, "unitPriceCents": 99}, nil)
	resp, err := http.Get(s.order.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`http_requests_total{code="200",method="GET",route="/order/list",service="order-service"} 1`,
		`http_request_duration_seconds_bucket{method="GET",route="/order/list",service="order-service",le="0.005"}`,
		`http_requests_in_flight{service="order-service"}`,
		`orders_total{outcome="created",service="order-service"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestFaults(t *testing.T) {
	t.Run("payment errors surface as order failures naming payment-service", func(t *testing.T) {
		s := startShop(t, nil, map[string]string{"FAULT_ERROR_RATE": "1"})
		token := login(t, s)
		code := call(t, "POST", s.order.url+"/order/create", token, map[string]any{"item": "mug", "quantity": 1, "unitPriceCents": 300}, nil)
		if code != http.StatusBadGateway {
			t.Fatalf("want 502 when payment fails, got %d", code)
		}
		if logs := s.order.logs.String(); !strings.Contains(logs, "payment-service") || !strings.Contains(logs, "upstream returned 500") {
			t.Errorf("order-service log does not name the failing dependency:\n%s", logs)
		}
	})
	t.Run("broken dependency is reported apart from readiness", func(t *testing.T) {
		s := startShop(t, map[string]string{"FAULT_BROKEN_DEPENDENCY": "payment"}, nil)
		if code := call(t, "GET", s.order.url+"/readyz", "", nil, nil); code != http.StatusOK {
			t.Fatalf("readyz must stay about the pod, got %d while payment is unreachable", code)
		}
		var deps struct{ Failing map[string]string }
		if code := call(t, "GET", s.order.url+"/dependencies", "", nil, &deps); code != http.StatusServiceUnavailable || deps.Failing["payment-service"] == "" {
			t.Fatalf("dependencies: %d %+v", code, deps)
		}
		if !strings.Contains(deps.Failing["payment-service"], "connection refused") {
			t.Errorf("dependency reason should say connection refused: %q", deps.Failing["payment-service"])
		}
		if _, ok := deps.Failing["auth-service"]; ok {
			t.Errorf("auth-service is up but reported failing: %+v", deps)
		}
		metrics := get(t, s.order.url+"/metrics")
		if !strings.Contains(metrics, `shop_dependency_up{dependency="payment-service",service="order-service"} 0`) {
			t.Errorf("shop_dependency_up does not show payment-service down:\n%s", metrics)
		}
	})
	t.Run("latency is added", func(t *testing.T) {
		s := startShop(t, nil, map[string]string{"FAULT_LATENCY": "150ms"})
		began := time.Now()
		call(t, "GET", s.payment.url+"/payment/status/none", "", nil, nil)
		if elapsed := time.Since(began); elapsed < 150*time.Millisecond {
			t.Fatalf("latency fault not applied: %v", elapsed)
		}
	})
	t.Run("slow start fails probes", func(t *testing.T) {
		r := startService(t, "payment-service", map[string]string{"FAULT_SLOW_START": "1h"}, nil, registerPayment(t))
		for _, probe := range []string{"/healthz", "/readyz"} {
			if code := call(t, "GET", r.url+probe, "", nil, nil); code != http.StatusServiceUnavailable {
				t.Errorf("%s during slow start: %d", probe, code)
			}
		}
	})
	t.Run("crash on start is a configuration error", func(t *testing.T) {
		svc, err := kit.New(context.Background(), "auth-service", kit.Options{
			Getenv: func(k string) string { return map[string]string{"FAULT_CRASH_ON_START": "true"}[k] }, Logs: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "config") {
			t.Fatalf("want a config error, got %v", err)
		}
	})
	t.Run("bad fault settings are refused", func(t *testing.T) {
		_, err := kit.New(context.Background(), "x", kit.Options{
			Getenv: func(k string) string { return map[string]string{"FAULT_ERROR_RATE": "2"}[k] }, Logs: io.Discard})
		if err == nil {
			t.Fatal("error rate 2 accepted")
		}
	})
}

func TestAdminEndpointIsGuarded(t *testing.T) {
	disabled := startService(t, "payment-service", nil, nil, registerPayment(t))
	if code := call(t, "GET", disabled.url+"/admin/faults", "", nil, nil); code != http.StatusNotFound {
		t.Fatalf("admin without ADMIN_TOKEN: %d", code)
	}
	if _, err := kit.New(context.Background(), "payment-service", kit.Options{Logs: io.Discard,
		Getenv: func(k string) string { return map[string]string{"ADMIN_TOKEN": "s3cret"}[k] }}); err == nil ||
		!strings.Contains(err.Error(), "ADMIN_PORT") {
		t.Fatalf("outside dev mode an admin endpoint on the business port must be refused, got %v", err)
	}
	r := startService(t, "payment-service", map[string]string{"ADMIN_TOKEN": "s3cret", "SHOP_DEV_MODE": "true"}, nil, registerPayment(t))
	if code := call(t, "PUT", r.url+"/admin/faults", "wrong", map[string]any{"errorRate": 1}, nil); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", code)
	}
	if code := call(t, "PUT", r.url+"/admin/faults", "s3cret", map[string]any{"errorRate": 5}, nil); code != http.StatusBadRequest {
		t.Fatalf("invalid fault accepted: %d", code)
	}
	if code := call(t, "PUT", r.url+"/admin/faults", "s3cret", map[string]any{"errorRate": 1, "latency": "1ms"}, nil); code != 200 {
		t.Fatalf("set fault: %d", code)
	}
	if code := call(t, "POST", r.url+"/payment/charge", "", map[string]any{"orderId": "o", "amountCents": 1, "currency": "EUR"}, nil); code != 500 {
		t.Fatalf("error fault set at run time not applied: %d", code)
	}
}

// In a cluster /admin has its own port, which the NetworkPolicy opens only
// to pods of the same namespace; the business port does not serve it.
func TestAdminOnItsOwnPort(t *testing.T) {
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := kit.New(ctx, "payment-service", kit.Options{Logs: io.Discard, AdminListener: adminLn,
		Getenv: func(k string) string { return map[string]string{"ADMIN_TOKEN": "s3cret"}[k] }})
	if err != nil {
		t.Fatal(err)
	}
	if err := registerPayment(t)(svc); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	if code := call(t, "GET", "http://"+ln.Addr().String()+"/admin/faults", "s3cret", nil, nil); code != http.StatusNotFound {
		t.Errorf("business port serves /admin: %d", code)
	}
	if code := call(t, "GET", "http://"+adminLn.Addr().String()+"/admin/faults", "s3cret", nil, nil); code != http.StatusOK {
		t.Errorf("admin port: %d", code)
	}
}

func TestPaymentWritesNeedAToken(t *testing.T) {
	s := startShop(t, nil, nil)
	charge := map[string]any{"orderId": "o", "amountCents": 100, "currency": "EUR"}
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"forged token", "YWxpY2V8OTk5OTk5OTk5OXx4.c2ln", http.StatusUnauthorized},
		{"token from auth-service", login(t, s), http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code := call(t, "POST", s.payment.url+"/payment/charge", tc.token, charge, nil); code != tc.want {
				t.Fatalf("charge: %d, want %d", code, tc.want)
			}
			if tc.want == http.StatusUnauthorized {
				if code := call(t, "POST", s.payment.url+"/payment/refund", tc.token, map[string]string{"paymentId": "x"}, nil); code != tc.want {
					t.Fatalf("refund: %d, want %d", code, tc.want)
				}
			}
		})
	}
}

// Three auth replicas with the shared key: a token from any one is accepted
// by the others (with a key per pod two thirds of calls got 401).
func TestAuthReplicasAcceptEachOthersTokens(t *testing.T) {
	signer := testSigner(t)
	var replicas []running
	for range 3 {
		replicas = append(replicas, startService(t, "auth-service", nil, nil, func(svc *kit.Service) error {
			return auth.Register(svc, auth.Config{Users: map[string]string{"alice": "wonderland"}, Signer: signer})
		}))
	}
	for i, from := range replicas {
		var out struct{ Token string }
		if code := call(t, "POST", from.url+"/login", "", map[string]string{"username": "alice", "password": "wonderland"}, &out); code != 200 {
			t.Fatalf("login at replica %d: %d", i, code)
		}
		for j, to := range replicas {
			if code := call(t, "GET", to.url+"/verify", out.Token, nil, nil); code != 200 {
				t.Errorf("token of replica %d refused by replica %d: %d", i, j, code)
			}
		}
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestLoadgenDrivesTrafficWithoutErrors(t *testing.T) {
	s := startShop(t, nil, nil)
	stats, err := loadgen.Run(context.Background(), loadgen.Config{
		AuthURL: s.auth.url, OrderURL: s.order.url, PaymentURL: s.payment.url,
		Rate: 40, Duration: 500 * time.Millisecond, Users: [][2]string{{"alice", "wonderland"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Journeys.Load() < 5 || stats.Errors.Load() != 0 {
		t.Fatalf("journeys %d, requests %d, errors %d", stats.Journeys.Load(), stats.Requests.Load(), stats.Errors.Load())
	}
}
