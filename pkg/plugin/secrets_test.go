package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// recordingLogger keeps every line the plugin logs, with its arguments, so a
// test can scan them.
type recordingLogger struct {
	mu    *sync.Mutex
	buf   *bytes.Buffer
	attrs []any
}

func newRecordingLogger() *recordingLogger {
	return &recordingLogger{mu: &sync.Mutex{}, buf: &bytes.Buffer{}}
}

func (l *recordingLogger) write(level, msg string, args []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.buf, "%s %s %v %v\n", level, msg, l.attrs, args)
}

func (l *recordingLogger) Debug(msg string, args ...any) { l.write("debug", msg, args) }
func (l *recordingLogger) Info(msg string, args ...any)  { l.write("info", msg, args) }
func (l *recordingLogger) Warn(msg string, args ...any)  { l.write("warn", msg, args) }
func (l *recordingLogger) Error(msg string, args ...any) { l.write("error", msg, args) }
func (l *recordingLogger) Level() log.Level              { return log.Debug }
func (l *recordingLogger) FromContext(context.Context) log.Logger {
	return l
}

func (l *recordingLogger) With(args ...any) log.Logger {
	return &recordingLogger{mu: l.mu, buf: l.buf, attrs: append(append([]any{}, l.attrs...), args...)}
}

func (l *recordingLogger) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Planted secrets: values from the settings, which upstreams echo back in
// their errors, and credentials that the workload's logs leak.
const (
	plantedOpenAIKey    = "sk-plantedOpenAIkey7Qx2LmP9vR4tY8wZ"
	plantedPromToken    = "prom-planted-bearer-7f3a9c1e5b"
	plantedLokiPassword = "loki-planted-pass-51d2aa90"
	plantedTracesToken  = "traces-planted-token-c0ffee42"
	plantedWebhook      = "whsec-planted-8e1b77d3"
	plantedHeaderValue  = "gw-planted-header-3c9d0f"
	plantedLogPassword  = "hunter2PlantedLogPw"
	plantedLogAWSKey    = "AKIAPLANTEDLOGKEY234"
	plantedLogJWT       = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlcGxhbnRlZA"
)

var settingsSecrets = []string{plantedOpenAIKey, plantedPromToken, plantedLokiPassword, plantedTracesToken, plantedWebhook, plantedHeaderValue}

var logSecrets = []string{plantedLogPassword, plantedLogAWSKey, plantedLogJWT}

// echoingUpstream answers every request with status and a body quoting the
// credentials it was sent, as misconfigured gateways do.
func echoingUpstream(t *testing.T, status int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		fmt.Fprintf(w, "rejected credentials: %q %q", r.Header.Get("Authorization"), r.Header.Get("X-Gateway-Key"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// leakyLoki serves logs whose lines carry credentials.
func leakyLoki(t *testing.T) *httptest.Server {
	lines := []string{
		"2026-11-20T09:59:00Z ERROR connect to db failed user=order password=" + plantedLogPassword,
		"2026-11-20T09:59:01Z WARN using AWS key " + plantedLogAWSKey + " from the environment",
		"2026-11-20T09:59:02Z ERROR upstream refused Authorization: Bearer " + plantedLogJWT,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/query_range") {
			fmt.Fprint(w, `{"status":"success","data":["namespace","pod"]}`)
			return
		}
		var values [][2]string
		for i, l := range lines {
			values = append(values, [2]string{fmt.Sprint(1763632740000000000 + int64(i)*1e9), l})
		}
		res, _ := json.Marshal(map[string]any{"status": "success", "data": map[string]any{"resultType": "streams", "result": []any{
			map[string]any{"stream": map[string]string{"namespace": "shop", "pod": "order-7d9c5-x2x1q", "container": "app"}, "values": values},
		}}})
		_, _ = w.Write(res)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// promptRecorder forwards model calls to target and keeps their bodies.
type promptRecorder struct {
	mu     sync.Mutex
	bodies []string
	srv    *httptest.Server
}

func newPromptRecorder(t *testing.T, target string) *promptRecorder {
	p := &promptRecorder{}
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		p.bodies = append(p.bodies, string(body))
		p.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *promptRecorder) all() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.bodies, "\n")
}

// TestPlantedSecretsNeverReachThePluginLog runs explain, health and failing
// calls with secrets planted in the settings (which upstreams echo in their
// errors) and in the workload's logs, captures everything the plugin logs,
// and checks that no planted secret appears there or in any answer, and that
// the logs' secrets never reach the model.
func TestPlantedSecretsNeverReachThePluginLog(t *testing.T) {
	rec := newRecordingLogger()
	saved := backend.Logger
	backend.Logger = rec
	t.Cleanup(func() { backend.Logger = saved })

	model := newFakeModel(t)
	prompts := newPromptRecorder(t, model.srv.URL)
	prom := echoingUpstream(t, http.StatusUnauthorized)
	tempo := echoingUpstream(t, http.StatusInternalServerError)
	badModel := echoingUpstream(t, http.StatusUnauthorized)
	secure := map[string]string{
		"openaiApiKey": plantedOpenAIKey, "prometheusBearerToken": plantedPromToken,
		"lokiPassword": plantedLokiPassword, "tracesBearerToken": plantedTracesToken,
		"webhookSecret": plantedWebhook, "openaiHeaderValues": fmt.Sprintf(`{"X-Gateway-Key":%q}`, plantedHeaderValue),
	}
	jsonData := fmt.Sprintf(`{"provider":"openai","openai":{"baseURL":%q,"model":"gpt-4o-mini"},
		"prometheus":{"url":%q,"authType":"bearer"},"loki":{"url":%q,"authType":"basic","basicUser":"grafana"},
		"traces":{"backend":"tempo","url":%q,"authType":"bearer"}}`, prompts.srv.URL+"/v1", prom.URL, leakyLoki(t).URL, tempo.URL)
	var answers []string
	ctx := context.Background()

	h := newHarness(t, jsonData, secure)
	for _, c := range []struct{ role, method, path string }{
		{RoleViewer, "POST", "explain"},
		{RoleViewer, "POST", "explain?refresh=true&provider=offline"},
		{RoleAdmin, "GET", "health"},
		{RoleAdmin, "GET", "settings"},
		{RoleViewer, "POST", "webhook/alertmanager"},
	} {
		var body any = testAlert("SecretsPlanted")
		hdr := map[string][]string{webhookSecretHeader: {plantedWebhook + "-wrong"}}
		if c.path == "webhook/alertmanager" {
			body = map[string]any{"version": "4", "alerts": []any{testAlert("SecretsPlanted")}}
		}
		_, resp, _ := h.call(ctx, c.role, c.method, c.path, body, hdr)
		answers = append(answers, string(resp))
	}
	_, resp, _ := h.call(ctx, RoleViewer, "POST", "summarize", map[string]string{"logs": strings.Join([]string{
		"2026-11-20T10:00:00Z ERROR login failed password=" + plantedLogPassword,
		"2026-11-20T10:00:01Z ERROR token " + plantedLogJWT,
	}, "\n")}, nil)
	answers = append(answers, string(resp))
	result, err := h.app().CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: h.pc})
	if err != nil {
		t.Fatal(err)
	}
	answers = append(answers, result.Message, string(result.JSONDetails))

	// The model itself rejects the key and quotes it back.
	failing := newHarness(t, strings.Replace(jsonData, prompts.srv.URL, badModel.URL, 1), secure)
	_, resp, _ = failing.call(ctx, RoleViewer, "POST", "explain", testAlert("ModelRefuses"), nil)
	answers = append(answers, string(resp))
	result, err = failing.app().CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: failing.pc})
	if err != nil {
		t.Fatal(err)
	}
	answers = append(answers, result.Message, string(result.JSONDetails))
	h.app().Dispose()
	failing.app().Dispose()

	logged := rec.String()
	if !strings.Contains(logged, "Explained alert") {
		t.Fatalf("the run logged too little to prove anything:\n%s", logged)
	}
	// The upstreams' refusals must have been met, or their echoes prove nothing.
	all := strings.Join(answers, "\n")
	for _, failure := range []string{"prometheus", "tempo", "401"} {
		if !strings.Contains(all, failure) {
			t.Errorf("no answer reports the %s failure: %s", failure, all)
		}
	}
	if prompts.all() == "" || !strings.Contains(prompts.all(), "order") {
		t.Fatal("the model was never asked, so the prompt check proves nothing")
	}
	for _, s := range append(append([]string{}, settingsSecrets...), logSecrets...) {
		if strings.Contains(logged, s) {
			t.Errorf("planted secret %q is in the plugin's log:\n%s", s, excerptAround(logged, s))
		}
		for _, a := range answers {
			if strings.Contains(a, s) {
				t.Errorf("planted secret %q is in an answer: %s", s, excerptAround(a, s))
			}
		}
	}
	for _, s := range logSecrets {
		if strings.Contains(prompts.all(), s) {
			t.Errorf("a secret from the workload's logs reached the model: %s", excerptAround(prompts.all(), s))
		}
	}
}

func excerptAround(s, sub string) string {
	i := strings.Index(s, sub)
	return s[max(0, i-200):min(len(s), i+len(sub)+100)]
}
