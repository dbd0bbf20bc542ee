package hosttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

const (
	appID        = "cloudobs-aiops-app"
	datasourceID = "cloudobs-aiops-datasource"
)

// distBinary returns the path of a built backend for this platform, or
// skips (fails under CI=true) when it has not been built.
func distBinary(t *testing.T, dir, executable string) string {
	t.Helper()
	path, err := builtBinary(dir, executable)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip("SKIP: " + err.Error())
	}
	return path
}

// builtBinary is the path of dist/<dir>/<executable>_<os>_<arch>, or an
// error saying how to build it.
func builtBinary(dir, executable string) (string, error) {
	name := fmt.Sprintf("%s_%s_%s", executable, runtime.GOOS, runtime.GOARCH)
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	path, err := filepath.Abs(filepath.Join("..", "..", "dist", dir, name))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%s not built; run `go run github.com/magefile/mage buildHost` (or `make test`) first", path)
	}
	return path, nil
}

// syncBuffer collects the plugin's log output; shown when a test fails.
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

// grafanaHandshake is what Grafana's plugin loader sends; cookieValue lets a
// test send a wrong one.
func grafanaHandshake(cookieValue string) goplugin.HandshakeConfig {
	return goplugin.HandshakeConfig{
		ProtocolVersion:  grpcplugin.ProtocolVersion,
		MagicCookieKey:   grpcplugin.MagicCookieKey,
		MagicCookieValue: cookieValue,
	}
}

// grafanaPluginSet is the set Grafana dispenses from a backend plugin.
func grafanaPluginSet() map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{grpcplugin.ProtocolVersion: {
		"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
		"resource":    &grpcplugin.ResourceGRPCPlugin{},
		"data":        &grpcplugin.DataGRPCPlugin{},
		"stream":      &grpcplugin.StreamGRPCPlugin{},
	}}
}

// startPlugin launches a binary as Grafana does and returns its gRPC
// protocol client. The process is killed when the test ends.
func startPlugin(t *testing.T, path, pluginID string) goplugin.ClientProtocol {
	t.Helper()
	rpc, _ := startPluginWithLogs(t, path, pluginID)
	return rpc
}

// startPluginWithLogs is startPlugin that also returns the plugin's log.
func startPluginWithLogs(t *testing.T, path, pluginID string) (goplugin.ClientProtocol, *syncBuffer) {
	t.Helper()
	rpc, logs, _ := startPluginProcess(t, path, pluginID)
	return rpc, logs
}

// startPluginProcess is startPluginWithLogs that also returns the plugin's
// process, for a test that kills it.
func startPluginProcess(t *testing.T, path, pluginID string) (goplugin.ClientProtocol, *syncBuffer, *exec.Cmd) {
	t.Helper()
	logs := &syncBuffer{}
	cmd := exec.Command(path)
	cmd.Env = append(os.Environ(), "GF_PLUGIN_ID="+pluginID, "GF_VERSION=12.4.0", "GF_EDITION=oss")
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  grafanaHandshake(grpcplugin.MagicCookieValue),
		VersionedPlugins: grafanaPluginSet(),
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: pluginID, Output: logs, Level: hclog.Debug}),
		StartTimeout:     30 * time.Second,
	})
	t.Cleanup(func() {
		client.Kill()
		if t.Failed() {
			t.Logf("plugin %s log:\n%s", pluginID, logs.String())
		}
	})
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("start %s: %v\n%s", path, err, logs.String())
	}
	if client.NegotiatedVersion() != grpcplugin.ProtocolVersion {
		t.Fatalf("negotiated protocol %d, want %d", client.NegotiatedVersion(), grpcplugin.ProtocolVersion)
	}
	return rpc, logs, cmd
}

func dispense[T any](t *testing.T, rpc goplugin.ClientProtocol, name string) T {
	t.Helper()
	raw, err := rpc.Dispense(name)
	if err != nil {
		t.Fatalf("dispense %s: %v", name, err)
	}
	c, ok := raw.(T)
	if !ok {
		t.Fatalf("dispensed %s is %T", name, raw)
	}
	return c
}

func appContext(jsonData string, secure map[string]string) *pluginv2.PluginContext {
	return backend.ToProto().PluginContext(backend.PluginContext{
		OrgID: 1, PluginID: appID,
		AppInstanceSettings: &backend.AppInstanceSettings{
			JSONData: json.RawMessage(jsonData), DecryptedSecureJSONData: secure, Updated: time.Now(),
		},
	})
}

// fakePrometheus answers the query API only with the right bearer token, so
// an ok answer proves that secureJsonData crossed the gRPC boundary.
func fakePrometheus(t *testing.T, token string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" || r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"status":"error","error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[0,"1"]}]}}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

type report struct {
	Status       string `json:"status"`
	Dependencies []struct {
		Name    string `json:"name"`
		Status  string `json:"status"`
		Message string `json:"message"`
	} `json:"dependencies"`
}

func (r report) status(name string) string {
	for _, d := range r.Dependencies {
		if d.Name == name {
			return d.Status
		}
	}
	return "absent"
}

func TestAppCheckHealth(t *testing.T) {
	rpc := startPlugin(t, distBinary(t, "", "gpx_aiops"), appID)
	diag := dispense[grpcplugin.DiagnosticsClient](t, rpc, "diagnostics")
	prom := fakePrometheus(t, "host-test-token")
	tests := []struct {
		name       string
		jsonData   string
		secure     map[string]string
		wantStatus pluginv2.CheckHealthResponse_HealthStatus
		want       map[string]string
	}{
		{
			name:       "prometheus with bearer token",
			jsonData:   fmt.Sprintf(`{"prometheus":{"url":%q,"authType":"bearer"}}`, prom.URL),
			secure:     map[string]string{"prometheusBearerToken": "host-test-token"},
			wantStatus: pluginv2.CheckHealthResponse_OK,
			want:       map[string]string{"llm": "ok", "prometheus": "ok", "kubernetes": "not_configured"},
		},
		{
			name:       "wrong token",
			jsonData:   fmt.Sprintf(`{"prometheus":{"url":%q,"authType":"bearer"}}`, prom.URL),
			secure:     map[string]string{"prometheusBearerToken": "wrong"},
			wantStatus: pluginv2.CheckHealthResponse_ERROR,
			want:       map[string]string{"prometheus": "failing"},
		},
		{
			name:       "invalid settings",
			jsonData:   `{"provider":"skynet"}`,
			wantStatus: pluginv2.CheckHealthResponse_ERROR,
			want:       map[string]string{"settings": "failing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			res, err := diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: appContext(tt.jsonData, tt.secure)})
			if err != nil {
				t.Fatalf("CheckHealth: %v", err)
			}
			if res.Status != tt.wantStatus {
				t.Errorf("status = %v, want %v: %s", res.Status, tt.wantStatus, res.Message)
			}
			var r report
			if err := json.Unmarshal(res.JsonDetails, &r); err != nil {
				t.Fatalf("details: %v: %s", err, res.JsonDetails)
			}
			for name, want := range tt.want {
				if got := r.status(name); got != want {
					t.Errorf("%s = %s, want %s (%s)", name, got, want, res.Message)
				}
			}
		})
	}
}

func TestAppResources(t *testing.T) {
	rpc := startPlugin(t, distBinary(t, "", "gpx_aiops"), appID)
	res := dispense[grpcplugin.ResourceClient](t, rpc, "resource")
	tests := []struct {
		method, path, role string
		wantCode           int32
		check              func(t *testing.T, body []byte)
	}{
		// The health report names hosts, so it is the Configuration page's:
		// Admin only, as Grafana's own check is.
		{"GET", "health", "Admin", 200, func(t *testing.T, body []byte) {
			var r report
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatalf("body: %v: %s", err, body)
			}
			if r.Status != "ok" || r.status("llm") != "ok" || r.status("prometheus") != "not_configured" || r.status("kubernetes") != "not_configured" {
				t.Errorf("report = %s", body)
			}
		}},
		{"GET", "health", "Viewer", 403, func(*testing.T, []byte) {}},
		{"GET", "does-not-exist", "Viewer", 404, func(t *testing.T, body []byte) {
			var env struct {
				Error struct {
					Status    int    `json:"status"`
					Message   string `json:"message"`
					RequestID string `json:"requestId"`
				} `json:"error"`
			}
			if err := json.Unmarshal(body, &env); err != nil || env.Error.Status != 404 || env.Error.RequestID == "" {
				t.Errorf("envelope = %s (%v)", body, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" as "+tt.role, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			pc := appContext(`{}`, nil)
			pc.User = &pluginv2.User{Login: "sre", Role: tt.role}
			stream, err := res.CallResource(ctx, &pluginv2.CallResourceRequest{
				PluginContext: pc, Path: tt.path, Method: tt.method, Url: tt.path,
			})
			if err != nil {
				t.Fatalf("CallResource: %v", err)
			}
			var code int32
			var body []byte
			for {
				msg, err := stream.Recv()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("receive: %v", err)
				}
				if msg.Code != 0 {
					code = msg.Code
				}
				body = append(body, msg.Body...)
			}
			if code != tt.wantCode {
				t.Fatalf("code = %d, want %d: %s", code, tt.wantCode, body)
			}
			tt.check(t, body)
		})
	}
}

func TestDatasourceQueryDataAndHealth(t *testing.T) {
	t.Setenv("AIOPS_DATA_DIR", t.TempDir())
	rpc := startPlugin(t, distBinary(t, "datasource", "gpx_aiops_datasource"), datasourceID)
	data := dispense[grpcplugin.DataClient](t, rpc, "data")
	diag := dispense[grpcplugin.DiagnosticsClient](t, rpc, "diagnostics")
	pc := backend.ToProto().PluginContext(backend.PluginContext{
		OrgID: 1, PluginID: datasourceID,
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: 3, UID: "aiops-ds", Name: "AI Observability", JSONData: json.RawMessage(`{}`),
			DecryptedSecureJSONData: map[string]string{}, Updated: time.Now(),
		},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	health, err := diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pc})
	if err != nil {
		t.Fatalf("CheckHealth: %v", err)
	}
	if health.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(health.Message, "findings") {
		t.Errorf("CheckHealth = %v %q", health.Status, health.Message)
	}

	now := time.Now()
	tr := &pluginv2.TimeRange{FromEpochMS: now.Add(-time.Hour).UnixMilli(), ToEpochMS: now.UnixMilli()}
	resp, err := data.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: pc, Queries: []*pluginv2.DataQuery{
		{RefId: "A", QueryType: "cost", Json: []byte(`{"queryType":"cost","namespace":"shop"}`), TimeRange: tr},
		{RefId: "B", QueryType: "traces", Json: []byte(`{"queryType":"traces"}`), TimeRange: tr},
		{RefId: "C", Json: []byte(`{not json`), TimeRange: tr},
	}})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	want := map[string]struct {
		status int32
		text   string
	}{
		"A": {400, "set prometheus.url in the settings"},
		"B": {400, "unknown queryType \"traces\"; valid types are findings, explanations, ai_usage, cost"},
		"C": {400, "not a valid JSON object"},
	}
	for ref, w := range want {
		r, ok := resp.Responses[ref]
		if !ok {
			t.Errorf("no response for %s", ref)
			continue
		}
		if r.Status != w.status || !strings.Contains(r.Error, w.text) {
			t.Errorf("%s: status %d error %q, want %d containing %q", ref, r.Status, r.Error, w.status, w.text)
		}
	}
}

// A host that speaks another handshake must be refused: the binary is only
// usable through the SDK's protocol.
func TestWrongHandshakeIsRefused(t *testing.T) {
	path := distBinary(t, "", "gpx_aiops")
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  grafanaHandshake("not-grafana"),
		VersionedPlugins: grafanaPluginSet(),
		Cmd:              exec.Command(path),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
		StartTimeout:     10 * time.Second,
	})
	defer client.Kill()
	if _, err := client.Client(); err == nil {
		t.Fatal("the plugin accepted a wrong magic cookie")
	}
}
