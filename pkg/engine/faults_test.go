package engine

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
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"k8s.io/client-go/rest"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
)

// The fault matrix (docs/fault-matrix.md): every upstream the engine reads
// fails in turn, behind the real clients, and Explain must still answer
// with the failing source named in degraded, within the overall deadline.

// faultDeadline is the caller's deadline for one explanation; nothing may
// hold Explain past it (plus hangMargin for the test's own scheduling).
const (
	faultDeadline = 8 * time.Second
	hangMargin    = 2 * time.Second
)

// faultCollect shortens the evidence timeouts so a slow source costs
// milliseconds, not the production 5 s.
var faultCollect = evidence.Options{SourceTimeout: 300 * time.Millisecond, OverallTimeout: 1500 * time.Millisecond}

// fault is how a fake upstream answers every request.
type fault func(w http.ResponseWriter, r *http.Request)

func failWith(status int, body string) fault {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

// upstream serves f until the test ends.
func upstream(t *testing.T, f fault) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(f))
	t.Cleanup(srv.Close)
	return srv.URL
}

// slowUpstream never answers: each request waits until its client gives up.
// The handlers are released when the test ends, before the server closes
// (Close waits for them; cleanups run last registered first).
func slowUpstream(t *testing.T) string {
	t.Helper()
	release := make(chan struct{})
	url := upstream(t, func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	return url
}

// configuredSources connects the sources cfg configures, the way the engine does.
func configuredSources(t *testing.T, cfg config.Settings) *evidence.Sources {
	t.Helper()
	src, err := Sources(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &src
}

// kubeAt is a Kubernetes collector whose API server is url.
func kubeAt(t *testing.T, url string) *evidence.Sources {
	t.Helper()
	kc, err := kube.New(kube.Config{RESTConfig: &rest.Config{Host: url, QPS: 1e6, Burst: 1e6}})
	if err != nil {
		t.Fatal(err)
	}
	return &evidence.Sources{Kube: kc}
}

// openAIAt is the real OpenAI client against a fake endpoint, with short
// attempts and one retry so retry paths run but stay fast.
func openAIAt(t *testing.T, url string) llm.Provider {
	t.Helper()
	p, err := llm.New(llm.Settings{Provider: llm.NameOpenAI, Model: "gpt-4o-mini", BaseURL: url + "/v1", APIKey: "sk-test",
		Timeout: 500 * time.Millisecond, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// ollamaAt is the real Ollama client (its OpenAI-compatible /v1 chat
// endpoint, which is what the client speaks) against a fake server.
func ollamaAt(t *testing.T, url string) llm.Provider {
	t.Helper()
	p, err := llm.New(llm.Settings{Provider: llm.NameOllama, Model: "llama3", OllamaURL: url, Timeout: 500 * time.Millisecond, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// bedrockAt is the real Bedrock client (AWS SDK, ConverseStream, static
// keys) against a fake bedrock-runtime endpoint.
func bedrockAt(t *testing.T, url string) llm.Provider {
	t.Helper()
	p, err := llm.New(llm.Settings{Provider: llm.NameBedrock, Model: "anthropic.claude-3-haiku-20240307-v1:0", Region: "eu-west-1",
		BedrockEndpoint: url, AccessKey: "AKIAEXAMPLEEXAMPLE23", SecretKey: "example-secret-key-for-the-test",
		Timeout: 500 * time.Millisecond, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// requireSigV4 fails the test unless r is signed with SigV4 for
// bedrock in the configured region with the configured key (pkg/llm's
// tests recompute the whole signature).
func requireSigV4(t *testing.T, r *http.Request) {
	t.Helper()
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE23/") || !strings.Contains(auth, "/eu-west-1/bedrock/aws4_request") ||
		!strings.Contains(auth, "Signature=") || r.Header.Get("X-Amz-Date") == "" {
		t.Errorf("%s %s is not SigV4-signed for bedrock: %q", r.Method, r.URL.Path, auth)
	}
	if !strings.HasSuffix(r.URL.Path, "/converse-stream") && !strings.HasSuffix(r.URL.Path, "/converse") {
		t.Errorf("unexpected Bedrock call %s", r.URL.Path)
	}
}

// sse writes an OpenAI chat completion stream of the given content pieces.
func sse(w http.ResponseWriter, pieces ...string) {
	w.Header().Set("Content-Type", "text/event-stream")
	for _, p := range pieces {
		fmt.Fprintf(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":%q}}]}\n\n", p)
		w.(http.Flusher).Flush()
	}
}

// cutStream starts a valid answer stream and drops the connection halfway.
func cutStream(w http.ResponseWriter, _ *http.Request) {
	sse(w, `{"summary":"The order service`, ` is failing because`)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// garbageAnswer streams a well-formed response whose content is not the
// explanation JSON, and answers the repair request with the same.
func garbageAnswer(w http.ResponseWriter, r *http.Request) {
	const garbage = "I think it is probably the database, but I am not sure."
	var req struct {
		Stream bool `json:"stream"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err == nil && !req.Stream {
		failWith(http.StatusOK, fmt.Sprintf(`{"id":"c2","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":%q},"finish_reason":"stop"}]}`, garbage))(w, r)
		return
	}
	sse(w, garbage)
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func TestFaultMatrixExplainDegradesNamesTheSourceAndNeverHangs(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE23")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "example-secret-key-for-the-test")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	promOnly := func(url string) config.Settings {
		cfg := config.DefaultSettings()
		cfg.Prometheus.URL = url
		return cfg
	}
	var partialCalls atomic.Int32
	// partial answers every other query, the rest with a 503.
	partial := func(w http.ResponseWriter, _ *http.Request) {
		if partialCalls.Add(1)%2 == 0 {
			failWith(http.StatusServiceUnavailable, `{"status":"error","errorType":"unavailable","error":"query shard down"}`)(w, nil)
			return
		}
		failWith(http.StatusOK, `{"status":"success","data":{"resultType":"matrix","result":[]},"warnings":["partial response"]}`)(w, nil)
	}
	tests := []struct {
		name string
		// setup returns the sources and the provider (nil: offline).
		setup func(t *testing.T) (*evidence.Sources, llm.Provider)
		// wantSource must be among the failures, wantError in its reason.
		wantSource, wantError string
	}{
		{"kubernetes API 500", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, failWith(http.StatusInternalServerError, `{"kind":"Status","status":"Failure","code":500,"message":"etcd timeout"}`))
			return kubeAt(t, url), nil
		}, kube.SourceName, "etcd timeout"},
		{"kubernetes API 403", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, failWith(http.StatusForbidden, `{"kind":"Status","status":"Failure","code":403,"reason":"Forbidden","message":"pods is forbidden"}`))
			return kubeAt(t, url), nil
		}, kube.SourceName, "forbidden"},
		{"kubernetes API slow", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			return kubeAt(t, slowUpstream(t)), nil
		}, kube.SourceName, "deadline exceeded"},
		{"kubernetes API 429 with Retry-After", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "1")
				failWith(http.StatusTooManyRequests, `{"kind":"Status","status":"Failure","code":429,"reason":"TooManyRequests","message":"too many requests, please try again later"}`)(w, r)
			})
			return kubeAt(t, url), nil
		}, kube.SourceName, "deadline exceeded"}, // client-go waits as asked, within the source timeout
		{"kubernetes API unreachable", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			return kubeAt(t, closedURL(t)), nil
		}, kube.SourceName, "connection refused"},
		{"prometheus down", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			return configuredSources(t, promOnly(closedURL(t))), nil
		}, evidence.SourcePrometheus, "metrics"},
		{"prometheus 500", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, failWith(http.StatusInternalServerError, `{"status":"error","errorType":"internal","error":"out of memory"}`))
			return configuredSources(t, promOnly(url)), nil
		}, evidence.SourcePrometheus, "metrics"},
		{"prometheus slow", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			return configuredSources(t, promOnly(slowUpstream(t))), nil
		}, evidence.SourcePrometheus, "metrics"},
		{"prometheus partial data", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, partial)
			return configuredSources(t, promOnly(url)), nil
		}, evidence.SourcePrometheus, "metrics"},
		{"loki down", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			cfg := config.DefaultSettings()
			url := upstream(t, failWith(http.StatusBadGateway, `bad gateway`))
			cfg.Loki.URL = url
			return configuredSources(t, cfg), nil
		}, "loki", "logs"},
		{"cloudwatch down", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			cfg := config.DefaultSettings()
			url := upstream(t, failWith(http.StatusInternalServerError, `{"__type":"ServiceUnavailableException","message":"down"}`))
			cfg.CloudWatch.LogGroup, cfg.CloudWatch.Region, cfg.CloudWatch.Endpoint = "/aws/eks/prod/containers", "eu-west-1", url
			return configuredSources(t, cfg), nil
		}, "cloudwatch", "logs"},
		{"loki slow", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			cfg := config.DefaultSettings()
			cfg.Loki.URL = slowUpstream(t)
			return configuredSources(t, cfg), nil
		}, "loki", "logs"},
		{"cloudwatch slow", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			cfg := config.DefaultSettings()
			cfg.CloudWatch.LogGroup, cfg.CloudWatch.Region, cfg.CloudWatch.Endpoint = "/aws/eks/prod/containers", "eu-west-1", slowUpstream(t)
			return configuredSources(t, cfg), nil
		}, "cloudwatch", "logs"},
		{"tempo slow", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			cfg := config.DefaultSettings()
			cfg.Traces.Backend, cfg.Traces.URL = config.TracesTempo, slowUpstream(t)
			return configuredSources(t, cfg), nil
		}, "tempo", "traces"},
		{"tempo down", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			cfg := config.DefaultSettings()
			cfg.Traces.Backend, cfg.Traces.URL = config.TracesTempo, closedURL(t)
			return configuredSources(t, cfg), nil
		}, "tempo", "traces"},
		{"jaeger 500", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			cfg := config.DefaultSettings()
			url := upstream(t, failWith(http.StatusInternalServerError, `{"errors":[{"code":500,"msg":"storage down"}]}`))
			cfg.Traces.Backend, cfg.Traces.URL = config.TracesJaeger, url
			return configuredSources(t, cfg), nil
		}, "jaeger", "traces"},
		{"model 429 with a Retry-After beyond the deadline", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			var calls atomic.Int32
			url := upstream(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) > 1 {
					t.Error("retried although the provider asked for an hour's wait")
				}
				w.Header().Set("Retry-After", "3600")
				failWith(http.StatusTooManyRequests, `{"error":{"message":"Rate limit reached","type":"requests"}}`)(w, r)
			})
			return &evidence.Sources{}, openAIAt(t, url)
		}, "llm/openai", "rate_limited"},
		{"model 500", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			var calls atomic.Int32
			serverError := failWith(http.StatusInternalServerError, `{"error":{"message":"internal error","type":"server_error"}}`)
			url := upstream(t, func(w http.ResponseWriter, r *http.Request) { calls.Add(1); serverError(w, r) })
			t.Cleanup(func() {
				if n := calls.Load(); n != 2 {
					t.Errorf("%d calls, want the first and one retry", n)
				}
			})
			return &evidence.Sources{}, openAIAt(t, url)
		}, "llm/openai", "server"},
		{"model response is malformed JSON", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				fmt.Fprint(w, "data: {\"choices\":[{\"delta\":{\"content\":\n\n")
			})
			return &evidence.Sources{}, openAIAt(t, url)
		}, "llm/openai", "ask openai"},
		{"model answer is not the explanation JSON", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, garbageAnswer)
			return &evidence.Sources{}, openAIAt(t, url)
		}, "llm/openai", "invalid twice"},
		{"model slow", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			return &evidence.Sources{}, openAIAt(t, slowUpstream(t))
		}, "llm/openai", "timeout"},
		{"ollama model not pulled", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, failWith(http.StatusNotFound, `{"error":{"message":"model \"llama3\" not found, try pulling it first","type":"api_error"}}`))
			return &evidence.Sources{}, ollamaAt(t, url)
		}, "llm/ollama", "not found"},
		{"ollama 500", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, failWith(http.StatusInternalServerError, `{"error":{"message":"llama runner process has terminated","type":"api_error"}}`))
			return &evidence.Sources{}, ollamaAt(t, url)
		}, "llm/ollama", "server"},
		{"ollama slow", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			return &evidence.Sources{}, ollamaAt(t, slowUpstream(t))
		}, "llm/ollama", "timeout"},
		{"bedrock throttled", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, func(w http.ResponseWriter, r *http.Request) {
				requireSigV4(t, r)
				w.Header().Set("X-Amzn-Errortype", "ThrottlingException")
				w.Header().Set("Retry-After", "3600")
				failWith(http.StatusTooManyRequests, `{"message":"Too many requests, please wait before trying again."}`)(w, r)
			})
			return &evidence.Sources{}, bedrockAt(t, url)
		}, "llm/bedrock", "rate_limited"},
		{"bedrock 503", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, func(w http.ResponseWriter, r *http.Request) {
				requireSigV4(t, r)
				w.Header().Set("X-Amzn-Errortype", "ServiceUnavailableException")
				failWith(http.StatusServiceUnavailable, `{"message":"Bedrock is unable to process your request."}`)(w, r)
			})
			return &evidence.Sources{}, bedrockAt(t, url)
		}, "llm/bedrock", "server"},
		{"bedrock slow", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			release := make(chan struct{})
			url := upstream(t, func(_ http.ResponseWriter, r *http.Request) {
				requireSigV4(t, r)
				select {
				case <-r.Context().Done():
				case <-release:
				}
			})
			t.Cleanup(func() { close(release) })
			return &evidence.Sources{}, bedrockAt(t, url)
		}, "llm/bedrock", "timeout"},
		{"model stream cut mid-way", func(t *testing.T) (*evidence.Sources, llm.Provider) {
			url := upstream(t, cutStream)
			return &evidence.Sources{}, openAIAt(t, url)
		}, "llm/openai", "ask openai"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, prov := tc.setup(t)
			cfg := config.DefaultSettings()
			if prov != nil {
				cfg = modelSettings()
			}
			e := Open(cfg, Options{HistoryPath: filepath.Join(t.TempDir(), "history.db"), Sources: src, Provider: prov,
				Collect: faultCollect, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
			t.Cleanup(e.Close)
			ex := explainWithin(t, e)
			if !namesFailure(ex.Degraded, tc.wantSource, tc.wantError) {
				t.Fatalf("degraded %+v does not name %s failing with %q", ex.Degraded, tc.wantSource, tc.wantError)
			}
			if ex.Summary == "" || ex.RootCause.Category == "" {
				t.Errorf("a degraded answer must still explain: %+v", ex)
			}
			assertSaved(t, e, ex.ID)
		})
	}
}

// namesFailure reports whether a failure of source says want.
func namesFailure(degraded []incident.Degraded, source, want string) bool {
	for _, d := range incident.Failures(degraded) {
		if d.Source == source && strings.Contains(strings.ToLower(d.Error), strings.ToLower(want)) {
			return true
		}
	}
	return false
}

// explainWithin explains the test alert under the fault deadline and fails
// the test if Explain errs, outlives the deadline or needs all of it.
func explainWithin(t *testing.T, e *Engine) incident.Explanation {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), faultDeadline)
	defer cancel()
	start := time.Now()
	alert := alertFor("OrderErrors")
	// A workload label makes the Kubernetes rows resolve the target through the API.
	alert.Labels["deployment"] = "order"
	ex, err := e.Explain(ctx, Request{Alert: alert, User: "ana"})
	if elapsed := time.Since(start); elapsed > faultDeadline+hangMargin {
		t.Fatalf("Explain held the caller for %s, past the %s deadline", elapsed, faultDeadline)
	}
	if err != nil {
		t.Fatalf("a failing upstream must degrade the answer, not fail it: %v", err)
	}
	// The fault was handled by its own bound (a source timeout, a refused
	// Retry-After), not cut short by the caller's deadline.
	if ctx.Err() != nil {
		t.Errorf("Explain answered only when the caller's deadline ended it: %v", ctx.Err())
	}
	return ex
}

// assertSaved checks that explanation id is in the history.
func assertSaved(t *testing.T, e *Engine, id string) {
	t.Helper()
	st, err := e.Store(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rec, err := st.Get(context.Background(), id); err != nil || rec.Explanation.ID != id {
		t.Errorf("explanation %s not kept: %v", id, err)
	}
}

// closedURL is an address where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// recordingLogger keeps the errors logged.
type recordingLogger struct {
	mu     sync.Mutex
	errors []string
}

func (l *recordingLogger) Info(string, ...any) {}
func (l *recordingLogger) Warn(msg string, args ...any) {
	l.Error(msg, args...)
}
func (l *recordingLogger) Error(msg string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errors = append(l.errors, fmt.Sprint(append([]any{msg}, args...)...))
}

func (l *recordingLogger) said(part string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.errors {
		if strings.Contains(e, part) {
			return true
		}
	}
	return false
}

// TestFaultMatrixStoreFailuresKeepAnswering: a history that cannot be used
// costs the history, never the answer, and nothing already on disk is
// deleted. (Tests run as root here, so "read-only" is a data directory that
// cannot be created: chmod does not stop root.)
func TestFaultMatrixStoreFailuresKeepAnswering(t *testing.T) {
	const ruined = "this is not an SQLite database, it is ruined"
	tests := []struct {
		name string
		// history prepares the fault and returns the history path.
		history func(t *testing.T, dir string) string
		wantLog string
		// recovered: the store moved the damage aside and keeps the
		// explanation in a new history.
		recovered bool
	}{
		{"corrupt file", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "history.db")
			if err := os.WriteFile(path, []byte(ruined), 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}, "corrupt", true},
		{"data directory not writable", func(t *testing.T, dir string) string {
			blocker := filepath.Join(dir, "org-1")
			if err := os.WriteFile(blocker, []byte("a file where the data directory should be"), 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(blocker, "history.db")
		}, "cannot be opened", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			logs := &recordingLogger{}
			e := Open(config.DefaultSettings(), Options{HistoryPath: tc.history(t, dir), Sources: &evidence.Sources{}, Logger: logs,
				Collect: faultCollect, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
			t.Cleanup(e.Close)
			ex := explainWithin(t, e)
			if ex.Summary == "" {
				t.Errorf("no answer: %+v", ex)
			}
			if !logs.said(tc.wantLog) {
				t.Errorf("the log %q does not say %q", logs.errors, tc.wantLog)
			}
			if !tc.recovered {
				if _, err := e.Store(context.Background()); err == nil {
					t.Error("the unusable history opened")
				}
				return
			}
			assertSaved(t, e, ex.ID)
			if !fileWithContent(t, dir, ruined) {
				t.Error("the corrupt file was deleted instead of moved aside")
			}
		})
	}
}

// fileWithContent reports whether some file in dir holds exactly content.
func fileWithContent(t *testing.T, dir, content string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if b, err := os.ReadFile(filepath.Join(dir, en.Name())); err == nil && string(b) == content {
			return true
		}
	}
	return false
}

// TestFaultMatrixSilentModelIsGivenUpAtTheExplainDeadline: a model that
// accepts the connection and never answers, behind the production attempt
// timeout (60 s) and retries, would hold the caller for minutes; the
// explain timeout gives it up and the analyzers answer, naming the model.
func TestFaultMatrixSilentModelIsGivenUpAtTheExplainDeadline(t *testing.T) {
	const explainTimeout = 1500 * time.Millisecond
	var calls atomic.Int32
	release := make(chan struct{})
	url := upstream(t, func(_ http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	prov, err := llm.New(llm.Settings{Provider: llm.NameOpenAI, Model: "gpt-4o-mini", BaseURL: url + "/v1", APIKey: "sk-test"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := modelSettings()
	cfg.ExplainTimeout = config.Duration(explainTimeout)
	e := Open(cfg, Options{HistoryPath: filepath.Join(t.TempDir(), "history.db"), Sources: &evidence.Sources{}, Provider: prov,
		Collect: faultCollect, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
	t.Cleanup(e.Close)
	start := time.Now()
	ex := explainWithin(t, e)
	if elapsed := time.Since(start); elapsed < explainTimeout || elapsed > explainTimeout+hangMargin {
		t.Errorf("answered after %s, want just after the %s explain timeout", elapsed, explainTimeout)
	}
	if !namesFailure(ex.Degraded, "llm/openai", "no answer within the explanation deadline") {
		t.Fatalf("degraded %+v does not name the silent model", ex.Degraded)
	}
	if ex.Summary == "" || ex.RootCause.Category == "" {
		t.Errorf("the analyzers did not answer: %+v", ex)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d model requests, want the one the deadline cut", n)
	}
	assertSaved(t, e, ex.ID)
}

// TestFaultMatrixKubernetes429IsRetriedAfterItsRetryAfter: client-go
// honours a 429's Retry-After and tries again (the second answer, a 500,
// is what the explanation names), and the wait is the one asked for.
func TestFaultMatrixKubernetes429IsRetriedAfterItsRetryAfter(t *testing.T) {
	var mu sync.Mutex
	var at []time.Time
	url := upstream(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		at = append(at, time.Now())
		first := len(at) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			failWith(http.StatusTooManyRequests, `{"kind":"Status","status":"Failure","code":429,"reason":"TooManyRequests","message":"slow down"}`)(w, r)
			return
		}
		failWith(http.StatusInternalServerError, `{"kind":"Status","status":"Failure","code":500,"message":"etcd timeout"}`)(w, r)
	})
	e := Open(config.DefaultSettings(), Options{HistoryPath: filepath.Join(t.TempDir(), "history.db"), Sources: kubeAt(t, url),
		Collect: evidence.Options{SourceTimeout: 4 * time.Second, OverallTimeout: 6 * time.Second}, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
	t.Cleanup(e.Close)
	ex := explainWithin(t, e)
	if !namesFailure(ex.Degraded, kube.SourceName, "etcd timeout") {
		t.Fatalf("degraded %+v: the request after the 429 was not made or not reported", ex.Degraded)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(at) < 2 || at[1].Sub(at[0]) < 900*time.Millisecond {
		t.Errorf("requests at %v: the retry did not wait the Retry-After second", at)
	}
}
