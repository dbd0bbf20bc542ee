package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/app"

	"github.com/cloudobs/aiops-app/pkg/plugin/health"
)

// callApp goes through the SDK's instance manager exactly as app.Manage does:
// the PluginContext's settings build (or reuse) the instance.
type callApp struct {
	t   *testing.T
	pc  backend.PluginContext
	ctx context.Context
}

func newCallApp(t *testing.T, jsonData string, secure map[string]string) callApp {
	t.Helper()
	t.Setenv("AIOPS_DATA_DIR", t.TempDir())
	return callApp{t: t, ctx: context.Background(), pc: backend.PluginContext{
		OrgID: 1, PluginID: ID, User: &backend.User{Login: "admin", Role: "Admin"},
		AppInstanceSettings: &backend.AppInstanceSettings{JSONData: json.RawMessage(jsonData), DecryptedSecureJSONData: secure},
	}}
}

func (c callApp) instance() *App {
	c.t.Helper()
	im := app.NewInstanceManager(NewApp)
	inst, err := im.Get(c.ctx, c.pc)
	if err != nil {
		c.t.Fatalf("instance: %v", err)
	}
	// Each call makes an instance whose queue workers open the history in
	// the test's directory; left running, they recreate it after TempDir's
	// cleanup has removed it, and the directory stays behind in /tmp.
	c.t.Cleanup(inst.(*App).Dispose)
	return inst.(*App)
}

func (c callApp) checkHealth() (*backend.CheckHealthResult, health.Report) {
	c.t.Helper()
	res, err := c.instance().CheckHealth(c.ctx, &backend.CheckHealthRequest{PluginContext: c.pc})
	if err != nil {
		c.t.Fatalf("CheckHealth: %v", err)
	}
	var report health.Report
	if err := json.Unmarshal(res.JSONDetails, &report); err != nil {
		c.t.Fatalf("details are not a report: %v: %s", err, res.JSONDetails)
	}
	return res, report
}

func (c callApp) resource(method, path string, body []byte, headers map[string][]string) *backend.CallResourceResponse {
	c.t.Helper()
	var got []*backend.CallResourceResponse
	req := &backend.CallResourceRequest{PluginContext: c.pc, Method: method, Path: path, URL: path, Body: body, Headers: headers}
	err := c.instance().CallResource(c.ctx, req, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		got = append(got, r)
		return nil
	}))
	if err != nil {
		c.t.Fatalf("CallResource: %v", err)
	}
	if len(got) != 1 {
		c.t.Fatalf("got %d responses, want 1", len(got))
	}
	return got[0]
}

func dependency(t *testing.T, r health.Report, name string) health.Dependency {
	t.Helper()
	for _, d := range r.Dependencies {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("report has no %q: %+v", name, r)
	return health.Dependency{}
}

// fakeUpstreams serves what Prometheus, Ollama, OpenAI and the Kubernetes
// API answer to the health checks.
func fakeUpstreams(t *testing.T, promStatus int) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/query", func(w http.ResponseWriter, r *http.Request) {
		if q := r.FormValue("query"); q != "vector(1)" {
			http.Error(w, "bad query", http.StatusBadRequest)
			return
		}
		if r.Header.Get("Authorization") != "" && r.Header.Get("Authorization") != "Bearer prom-token" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(promStatus)
		if promStatus == http.StatusOK {
			fmt.Fprint(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}`)
		} else {
			fmt.Fprint(w, `{"status":"error","errorType":"unavailable","error":"TSDB not ready"}`)
		}
	})
	mux.HandleFunc("GET /api/tags", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"models":[{"name":"llama3:latest","model":"llama3:latest"}]}`)
	})
	mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer sk-good" || r.Header.Get("X-Gateway") != "gw" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"message":"Incorrect API key provided"}}`)
			return
		}
		fmt.Fprint(w, `{"object":"list","data":[{"id":"gpt-4o-mini"},{"id":"gpt-4o"}]}`)
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"major":"1","minor":"31","gitVersion":"v1.31.2"}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func writeKubeconfig(t *testing.T, server string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: test
  cluster: {server: %q}
users:
- name: test
  user: {token: kube-token}
contexts:
- name: test
  context: {cluster: test, user: test}
current-context: test
`, server)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckHealth(t *testing.T) {
	up := fakeUpstreams(t, http.StatusOK)
	down := fakeUpstreams(t, http.StatusServiceUnavailable)
	kubeconfig := writeKubeconfig(t, up.URL)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	tests := []struct {
		name       string
		jsonData   string
		secure     map[string]string
		wantStatus backend.HealthStatus
		want       map[string]health.Status
		wantText   map[string]string
	}{
		{
			name: "defaults", jsonData: `{}`, wantStatus: backend.HealthStatusOk,
			want:     map[string]health.Status{"llm": health.StatusOK, "prometheus": health.StatusNotConfigured, "kubernetes": health.StatusNotConfigured},
			wantText: map[string]string{"llm": "offline"},
		},
		{
			name:       "all ok",
			jsonData:   fmt.Sprintf(`{"provider":"ollama","ollama":{"url":%q},"prometheus":{"url":%q},"kubernetes":{"mode":"kubeconfig","kubeconfigPath":%q}}`, up.URL, up.URL, kubeconfig),
			wantStatus: backend.HealthStatusOk,
			want:       map[string]health.Status{"llm": health.StatusOK, "prometheus": health.StatusOK, "kubernetes": health.StatusOK},
			wantText:   map[string]string{"llm": "llama3", "kubernetes": "v1.31.2"},
		},
		{
			name:       "openai with key and secret header",
			jsonData:   fmt.Sprintf(`{"provider":"openai","openai":{"baseURL":%q}}`, up.URL+"/v1"),
			secure:     map[string]string{"openaiApiKey": "sk-good", "openaiHeaderValues": `{"X-Gateway":"gw"}`},
			wantStatus: backend.HealthStatusOk,
			want:       map[string]health.Status{"llm": health.StatusOK},
			wantText:   map[string]string{"llm": "gpt-4o-mini available"},
		},
		{
			name:       "openai wrong key",
			jsonData:   fmt.Sprintf(`{"provider":"openai","openai":{"baseURL":%q}}`, up.URL+"/v1"),
			secure:     map[string]string{"openaiApiKey": "sk-bad"},
			wantStatus: backend.HealthStatusError,
			want:       map[string]health.Status{"llm": health.StatusFailing},
			wantText:   map[string]string{"llm": "HTTP 401"},
		},
		{
			name:       "ollama model missing",
			jsonData:   fmt.Sprintf(`{"provider":"ollama","ollama":{"url":%q,"model":"mistral"}}`, up.URL),
			wantStatus: backend.HealthStatusError,
			want:       map[string]health.Status{"llm": health.StatusFailing},
			wantText:   map[string]string{"llm": "ollama pull mistral"},
		},
		{
			name:       "prometheus not ready",
			jsonData:   fmt.Sprintf(`{"prometheus":{"url":%q}}`, down.URL),
			wantStatus: backend.HealthStatusError,
			want:       map[string]health.Status{"prometheus": health.StatusFailing},
			wantText:   map[string]string{"prometheus": "503"},
		},
		{
			name:       "prometheus bearer token sent",
			jsonData:   fmt.Sprintf(`{"prometheus":{"url":%q,"authType":"bearer"}}`, up.URL),
			secure:     map[string]string{"prometheusBearerToken": "prom-token"},
			wantStatus: backend.HealthStatusOk,
			want:       map[string]health.Status{"prometheus": health.StatusOK},
		},
		{
			name:       "prometheus wrong token",
			jsonData:   fmt.Sprintf(`{"prometheus":{"url":%q,"authType":"bearer"}}`, up.URL),
			secure:     map[string]string{"prometheusBearerToken": "wrong"},
			wantStatus: backend.HealthStatusError,
			want:       map[string]health.Status{"prometheus": health.StatusFailing},
			wantText:   map[string]string{"prometheus": "401"},
		},
		{
			name:       "unreachable upstreams",
			jsonData:   fmt.Sprintf(`{"prometheus":{"url":%q},"kubernetes":{"mode":"kubeconfig","kubeconfigPath":%q}}`, closed.URL, writeKubeconfig(t, closed.URL)),
			wantStatus: backend.HealthStatusError,
			want:       map[string]health.Status{"llm": health.StatusOK, "prometheus": health.StatusFailing, "kubernetes": health.StatusFailing},
			wantText:   map[string]string{"prometheus": "connection refused", "kubernetes": "connection refused"},
		},
		{
			name:       "in-cluster outside a cluster",
			jsonData:   `{"kubernetes":{"mode":"incluster"}}`,
			wantStatus: backend.HealthStatusError,
			want:       map[string]health.Status{"kubernetes": health.StatusFailing},
			wantText:   map[string]string{"kubernetes": "service account"},
		},
		{
			name:       "invalid settings",
			jsonData:   `{"provider":"skynet"}`,
			wantStatus: backend.HealthStatusError,
			want:       map[string]health.Status{"settings": health.StatusFailing},
			wantText:   map[string]string{"settings": "provider:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "in-cluster outside a cluster" && os.Getenv("KUBERNETES_SERVICE_HOST") != "" {
				t.Skip("running inside a Kubernetes pod")
			}
			res, report := newCallApp(t, tt.jsonData, tt.secure).checkHealth()
			if res.Status != tt.wantStatus {
				t.Errorf("status = %v, want %v (message %q)", res.Status, tt.wantStatus, res.Message)
			}
			for name, want := range tt.want {
				d := dependency(t, report, name)
				if d.Status != want {
					t.Errorf("%s = %s (%s), want %s", name, d.Status, d.Message, want)
				}
				if !strings.Contains(res.Message, name) {
					t.Errorf("message %q does not mention %s", res.Message, name)
				}
			}
			for name, text := range tt.wantText {
				if d := dependency(t, report, name); !strings.Contains(d.Message, text) {
					t.Errorf("%s message %q does not contain %q", name, d.Message, text)
				}
			}
			for _, secret := range tt.secure {
				if strings.Contains(res.Message, secret) || strings.Contains(string(res.JSONDetails), secret) {
					t.Errorf("health result leaks a secret")
				}
			}
		})
	}
}

func TestResources(t *testing.T) {
	c := newCallApp(t, `{}`, map[string]string{"webhookSecret": "whsec-123"})
	tests := []struct {
		name, method, path string
		headers            map[string][]string
		wantStatus         int
		check              func(t *testing.T, r *backend.CallResourceResponse)
	}{
		{name: "health", method: "GET", path: "health", wantStatus: 200, check: func(t *testing.T, r *backend.CallResourceResponse) {
			var report health.Report
			if err := json.Unmarshal(r.Body, &report); err != nil {
				t.Fatalf("body: %v", err)
			}
			if report.Status != health.StatusOK || len(report.Dependencies) != 5 {
				t.Errorf("report = %+v", report)
			}
		}},
		{name: "settings are redacted", method: "GET", path: "settings", wantStatus: 200, check: func(t *testing.T, r *backend.CallResourceResponse) {
			if strings.Contains(string(r.Body), "whsec-123") {
				t.Errorf("settings leak a secret: %s", r.Body)
			}
			if !strings.Contains(string(r.Body), `"webhookSecret":true`) {
				t.Errorf("settings do not say the secret is set: %s", r.Body)
			}
		}},
		{name: "unknown path", method: "GET", path: "nope", wantStatus: 404, check: wantEnvelope(404, "no resource GET /nope")},
		{name: "wrong method", method: "POST", path: "health", wantStatus: 405, check: func(t *testing.T, r *backend.CallResourceResponse) {
			wantEnvelope(405, "POST is not allowed")(t, r)
			if allow := r.Headers["Allow"]; len(allow) != 1 || !strings.Contains(allow[0], "GET") {
				t.Errorf("Allow = %v", allow)
			}
		}},
		{name: "request id echoed", method: "GET", path: "nope", headers: map[string][]string{"X-Request-Id": {"req-42"}}, wantStatus: 404,
			check: func(t *testing.T, r *backend.CallResourceResponse) {
				var env errorEnvelope
				_ = json.Unmarshal(r.Body, &env)
				if env.Error.RequestID != "req-42" {
					t.Errorf("requestId = %q", env.Error.RequestID)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.resource(tt.method, tt.path, nil, tt.headers)
			if r.Status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", r.Status, tt.wantStatus, r.Body)
			}
			tt.check(t, r)
		})
	}
}

func TestResourcesWithInvalidSettings(t *testing.T) {
	c := newCallApp(t, `{"kubernetes":{"mode":"sideways"}}`, nil)
	r := c.resource("GET", "health", nil, nil)
	var report health.Report
	if err := json.Unmarshal(r.Body, &report); err != nil {
		t.Fatal(err)
	}
	if d := dependency(t, report, "settings"); d.Status != health.StatusFailing || !strings.Contains(d.Message, "kubernetes.mode") {
		t.Errorf("settings dependency = %+v", d)
	}
	r = c.resource("GET", "settings", nil, nil)
	if !strings.Contains(string(r.Body), `"valid":false`) || !strings.Contains(string(r.Body), "kubernetes.mode") {
		t.Errorf("settings view = %s", r.Body)
	}
}

func TestStatusOf(t *testing.T) {
	tests := []struct {
		err        error
		wantStatus int
		wantMsg    string
	}{
		{Errorf(400, "labels is required"), 400, "labels is required"},
		{fmt.Errorf("wrapped: %w", Errorf(422, "bad alert")), 422, "bad alert"},
		{&http.MaxBytesError{Limit: 10}, 413, "larger than 10 bytes"},
		{fmt.Errorf("x: %w", errSettings), 503, "Configuration page"},
		{fmt.Errorf("llm: %w", context.DeadlineExceeded), 504, "took too long"},
		{fmt.Errorf("db password=hunter2 failed"), 500, "internal error"},
	}
	for _, tt := range tests {
		status, msg := statusOf(tt.err)
		if status != tt.wantStatus || !strings.Contains(msg, tt.wantMsg) {
			t.Errorf("statusOf(%v) = %d %q, want %d containing %q", tt.err, status, msg, tt.wantStatus, tt.wantMsg)
		}
		if strings.Contains(msg, "hunter2") {
			t.Errorf("internal error text reaches the caller: %q", msg)
		}
	}
}

func wantEnvelope(status int, text string) func(t *testing.T, r *backend.CallResourceResponse) {
	return func(t *testing.T, r *backend.CallResourceResponse) {
		t.Helper()
		var env errorEnvelope
		if err := json.Unmarshal(r.Body, &env); err != nil {
			t.Fatalf("not an error envelope: %v: %s", err, r.Body)
		}
		if env.Error.Status != status || !strings.Contains(env.Error.Message, text) || env.Error.RequestID == "" {
			t.Errorf("envelope = %+v, want status %d and %q", env.Error, status, text)
		}
	}
}

func TestAPINilBodyAndLimit(t *testing.T) {
	a := newCallApp(t, `{}`, nil).instance()
	var seen int
	h := a.api(func(w http.ResponseWriter, r *http.Request) error {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		seen = len(b)
		writeJSON(w, http.StatusOK, map[string]int{"bytes": len(b)})
		return nil
	})
	tests := []struct {
		name       string
		body       io.Reader
		wantStatus int
	}{
		{"nil body as the SDK's httpadapter passes it", nil, 200},
		{"small body", strings.NewReader(`{"labels":{}}`), 200},
		{"too large", strings.NewReader(strings.Repeat("x", maxRequestBody+1)), 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/explain", tt.body)
			if tt.body == nil {
				r.Body = nil
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d: %s (read %d bytes)", w.Code, tt.wantStatus, w.Body, seen)
			}
		})
	}
}
