package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeOpenAI is a local server speaking the chat completions wire protocol.
// Handlers may be swapped per test; every request is recorded.
type fakeOpenAI struct {
	mu       sync.Mutex
	requests []recorded
	// reply answers one chat completion request.
	reply func(w http.ResponseWriter, body map[string]any)
}

type recorded struct {
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

func (f *fakeOpenAI) record(r *http.Request) []byte {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, recorded{Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	f.mu.Unlock()
	return body
}

func (f *fakeOpenAI) last(t *testing.T) recorded {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		t.Fatal("server received no request")
	}
	return f.requests[len(f.requests)-1]
}

func (f *fakeOpenAI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeOpenAI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body := f.record(r)
	switch {
	case strings.HasSuffix(r.URL.Path, "/models") && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","owned_by":"openai"},{"id":"gpt-4o","object":"model","owned_by":"openai"}]}`)
	case strings.HasSuffix(r.URL.Path, "/chat/completions") && r.Method == http.MethodPost:
		var req map[string]any
		if err := json.Unmarshal(body, &req); err != nil {
			openAIError(w, http.StatusBadRequest, "invalid_request_error", "bad json")
			return
		}
		f.reply(w, req)
	default:
		openAIError(w, http.StatusNotFound, "invalid_request_error", "unknown path "+r.URL.Path)
	}
}

func openAIError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"message":%q,"type":%q,"param":null,"code":%q}}`, msg, typ, typ)
}

// answerJSON replies with one non-streamed completion.
func answerJSON(text string, prompt, completion int) func(http.ResponseWriter, map[string]any) {
	return func(w http.ResponseWriter, req map[string]any) {
		if req["stream"] == true {
			answerSSE(splitEvery(text, 4), prompt, completion)(w, req)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		out := map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": req["model"],
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": text}}},
			"usage": map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
		}
		_ = json.NewEncoder(w).Encode(out)
	}
}

// answerSSE streams the pieces as chat.completion.chunk events, then a usage
// chunk when the client asked for it, then [DONE].
func answerSSE(pieces []string, prompt, completion int) func(http.ResponseWriter, map[string]any) {
	return func(w http.ResponseWriter, req map[string]any) {
		w.Header().Set("Content-Type", "text/event-stream")
		flusher := w.(http.Flusher)
		send := func(v any) {
			b, _ := json.Marshal(v)
			fmt.Fprintf(w, "data: %s\n\n", b)
			flusher.Flush()
		}
		chunk := func(delta map[string]any, finish any) map[string]any {
			return map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": req["model"],
				"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}}
		}
		send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
		for _, p := range pieces {
			send(chunk(map[string]any{"content": p}, nil))
		}
		send(chunk(map[string]any{}, "stop"))
		if opts, ok := req["stream_options"].(map[string]any); ok && opts["include_usage"] == true {
			send(map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": req["model"],
				"choices": []any{}, "usage": map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}})
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
		flusher.Flush()
	}
}

func splitEvery(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// noWait makes a provider's retries instant and records the waits.
func noWait(t *testing.T, p Provider) *[]time.Duration {
	t.Helper()
	g, ok := p.(*guarded)
	if !ok {
		t.Fatalf("provider %T is not guarded", p)
	}
	var waits []time.Duration
	var mu sync.Mutex
	g.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	g.jitter = func() float64 { return 0 }
	return &waits
}

var testSchema = &Schema{Name: "explanation", JSON: json.RawMessage(`{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"],"additionalProperties":false}`)}

func TestOpenAIComplete(t *testing.T) {
	fake := &fakeOpenAI{reply: answerJSON(`{"summary":"pods are OOMKilled"}`, 1200, 80)}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p, err := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", APIKey: "sk-test", Organization: "org-1",
		Headers: map[string]string{"X-Gateway-Token": "gw"}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.Complete(context.Background(), Request{System: "sys", Messages: []Message{{Role: RoleUser, Content: "hi"}},
		MaxTokens: 100, Schema: testSchema})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text != `{"summary":"pods are OOMKilled"}` {
		t.Errorf("text = %q", resp.Text)
	}
	if resp.Usage.PromptTokens != 1200 || resp.Usage.CompletionTokens != 80 {
		t.Errorf("usage = %+v", resp.Usage)
	}
	wantCost := (1200*0.15 + 80*0.60) / 1e6
	if diff := resp.Usage.CostUSD - wantCost; diff > 1e-12 || diff < -1e-12 {
		t.Errorf("cost = %v, want %v", resp.Usage.CostUSD, wantCost)
	}
	got := fake.last(t)
	if got.Path != "/v1/chat/completions" {
		t.Errorf("path = %s", got.Path)
	}
	if h := got.Header.Get("Authorization"); h != "Bearer sk-test" {
		t.Errorf("Authorization = %q", h)
	}
	if h := got.Header.Get("OpenAI-Organization"); h != "org-1" {
		t.Errorf("OpenAI-Organization = %q", h)
	}
	if h := got.Header.Get("X-Gateway-Token"); h != "gw" {
		t.Errorf("custom header = %q", h)
	}
	var body struct {
		Model          string `json:"model"`
		Messages       []struct{ Role, Content string }
		ResponseFormat struct {
			Type       string `json:"type"`
			JSONSchema struct {
				Name   string          `json:"name"`
				Strict bool            `json:"strict"`
				Schema json.RawMessage `json:"schema"`
			} `json:"json_schema"`
		} `json:"response_format"`
	}
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Model != "gpt-4o-mini" || len(body.Messages) != 2 || body.Messages[0].Role != "system" {
		t.Errorf("request body = %s", got.Body)
	}
	if body.ResponseFormat.Type != "json_schema" || !body.ResponseFormat.JSONSchema.Strict ||
		!strings.Contains(string(body.ResponseFormat.JSONSchema.Schema), `"summary"`) {
		t.Errorf("response_format = %s", got.Body)
	}
}

func TestReasoningModelsGetCompletionTokens(t *testing.T) {
	fake := &fakeOpenAI{reply: answerJSON(`{"summary":"x"}`, 1, 1)}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for _, model := range []string{"gpt-5-mini", "o3-mini", "gpt-4o"} {
		p, _ := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", APIKey: "k", Model: model})
		if _, err := p.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}},
			MaxTokens: 1024, Temperature: 0.1}); err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		body := string(fake.last(t).Body)
		reasoning := model != "gpt-4o"
		if reasoning != strings.Contains(body, `"max_completion_tokens":5120`) || reasoning == strings.Contains(body, `"max_tokens"`) ||
			reasoning == strings.Contains(body, `"temperature"`) {
			t.Errorf("%s: body %s", model, body)
		}
	}
}

func TestStructuredOutputDowngrades(t *testing.T) {
	// A compatible server that knows only plain text: json_schema and then
	// json_object are rejected, and the provider remembers.
	var formats []string
	var mu sync.Mutex
	fake := &fakeOpenAI{}
	fake.reply = func(w http.ResponseWriter, req map[string]any) {
		rf, _ := req["response_format"].(map[string]any)
		typ, _ := rf["type"].(string)
		mu.Lock()
		formats = append(formats, typ)
		mu.Unlock()
		if typ != "" {
			openAIError(w, http.StatusBadRequest, "invalid_request_error", "response_format type "+typ+" is not supported")
			return
		}
		answerJSON(`{"summary":"plain"}`, 1, 1)(w, req)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p, _ := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", Model: "local"})
	for _, stream := range []bool{true, false} {
		req := Request{Messages: []Message{{Role: RoleUser, Content: "x"}}, Schema: testSchema}
		var err error
		if stream {
			_, err = p.Stream(context.Background(), req, func(string) {})
		} else {
			_, err = p.Complete(context.Background(), req)
		}
		if err != nil {
			t.Fatalf("stream=%v: %v", stream, err)
		}
	}
	if got := strings.Join(formats, ","); got != "json_schema,json_object,," {
		t.Errorf("formats tried %q", got)
	}
}

func TestOpenAIStream(t *testing.T) {
	fake := &fakeOpenAI{reply: answerSSE([]string{`{"sum`, `mary":"a`, ` b"}`}, 50, 7)}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p, err := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", APIKey: "k", Model: "gpt-4o"})
	if err != nil {
		t.Fatal(err)
	}
	var toks []string
	resp, err := p.Stream(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}},
		func(s string) { toks = append(toks, s) })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(toks, "|") != `{"sum|mary":"a| b"}` {
		t.Errorf("tokens = %q", toks)
	}
	if resp.Text != `{"summary":"a b"}` || resp.StopReason != "stop" {
		t.Errorf("response = %+v", resp)
	}
	if resp.Usage.PromptTokens != 50 || resp.Usage.CompletionTokens != 7 {
		t.Errorf("usage = %+v", resp.Usage)
	}
	if !strings.Contains(string(fake.last(t).Body), `"include_usage":true`) {
		t.Errorf("stream_options.include_usage not requested: %s", fake.last(t).Body)
	}
}

func TestOpenAIStreamWithoutUsageIsEstimated(t *testing.T) {
	// Some compatible servers ignore stream_options; the guard counts tokens.
	fake := &fakeOpenAI{reply: func(w http.ResponseWriter, req map[string]any) {
		delete(req, "stream_options")
		answerSSE([]string{"hello ", "world"}, 0, 0)(w, req)
	}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p, err := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", Model: "local-model"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.Stream(context.Background(), Request{System: "be brief", Messages: []Message{{Role: RoleUser, Content: "say hello world"}}}, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Usage.PromptTokens == 0 || resp.Usage.CompletionTokens == 0 {
		t.Errorf("usage not estimated: %+v", resp.Usage)
	}
	if resp.Usage.CostUSD != 0 {
		t.Errorf("unknown model must cost 0, got %v", resp.Usage.CostUSD)
	}
}

func TestOpenAIErrors(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantKind   ErrorKind
		wantCalls  int
		wantWaits  []time.Duration
		hint       string
	}{
		{name: "unauthorized", status: 401, wantKind: KindAuth, wantCalls: 1, hint: "OPENAI_API_KEY"},
		{name: "rate limited honours Retry-After", status: 429, retryAfter: "2", wantKind: KindRateLimited, wantCalls: 3,
			wantWaits: []time.Duration{2 * time.Second, 2 * time.Second}},
		{name: "server error backs off", status: 500, wantKind: KindServer, wantCalls: 3,
			wantWaits: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}},
		{name: "unknown model", status: 404, wantKind: KindModelNotFound, wantCalls: 1, hint: "model list"},
		{name: "bad request", status: 400, wantKind: KindBadRequest, wantCalls: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeOpenAI{reply: func(w http.ResponseWriter, _ map[string]any) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				msg := "something failed"
				if tc.status == 404 {
					msg = "The model `gpt-9` does not exist or you do not have access to it."
				}
				openAIError(w, tc.status, "invalid_request_error", msg)
			}}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			for _, stream := range []bool{false, true} {
				// A fresh provider each time: the failures of one mode would
				// otherwise open the breaker for the other.
				p, err := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", APIKey: "k"})
				if err != nil {
					t.Fatal(err)
				}
				waits := noWait(t, p)
				before := fake.count()
				if stream {
					_, err = p.Stream(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}}, func(string) {})
				} else {
					_, err = p.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
				}
				var perr *Error
				if !errors.As(err, &perr) {
					t.Fatalf("stream=%v: error %v is not *Error", stream, err)
				}
				if perr.Kind != tc.wantKind || perr.Status != tc.status {
					t.Errorf("stream=%v: kind %s status %d, want %s %d (%v)", stream, perr.Kind, perr.Status, tc.wantKind, tc.status, err)
				}
				if calls := fake.count() - before; calls != tc.wantCalls {
					t.Errorf("stream=%v: %d calls, want %d", stream, calls, tc.wantCalls)
				}
				if fmt.Sprint(*waits) != fmt.Sprint(tc.wantWaits) {
					t.Errorf("stream=%v: waits %v, want %v", stream, *waits, tc.wantWaits)
				}
				if tc.hint != "" && !strings.Contains(err.Error(), tc.hint) {
					t.Errorf("stream=%v: error %q lacks hint %q", stream, err, tc.hint)
				}
			}
		})
	}
}

func TestOpenAIRetryThenSuccess(t *testing.T) {
	calls := 0
	var mu sync.Mutex
	fake := &fakeOpenAI{}
	fake.reply = func(w http.ResponseWriter, req map[string]any) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			openAIError(w, 429, "rate_limit_exceeded", "slow down")
			return
		}
		answerJSON(`{"summary":"ok"}`, 10, 2)(w, req)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p, _ := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", APIKey: "k"})
	waits := noWait(t, p)
	resp, err := p.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text != `{"summary":"ok"}` || len(*waits) != 1 || (*waits)[0] != time.Second {
		t.Errorf("resp %q waits %v", resp.Text, *waits)
	}
}

func TestOpenAIModelsAndHealth(t *testing.T) {
	fake := &fakeOpenAI{reply: answerJSON("{}", 1, 1)}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p, _ := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", APIKey: "k"})
	ms, err := p.Models(context.Background())
	if err != nil || strings.Join(ms, ",") != "gpt-4o-mini,gpt-4o" {
		t.Fatalf("models %v, %v", ms, err)
	}
	if err := p.Health(context.Background()); err != nil {
		t.Errorf("health: %v", err)
	}
	missing, _ := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", APIKey: "k", Model: "gpt-9"})
	err = missing.Health(context.Background())
	var perr *Error
	if !errors.As(err, &perr) || perr.Kind != KindModelNotFound || !strings.Contains(err.Error(), "gpt-4o-mini") {
		t.Errorf("health of a missing model: %v", err)
	}
}

func TestAzureDeploymentPath(t *testing.T) {
	fake := &fakeOpenAI{reply: answerJSON(`{"summary":"x"}`, 1, 1)}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p, err := New(Settings{Provider: "openai", Azure: true, BaseURL: srv.URL, APIKey: "azure-key",
		AzureDeployment: "prod-gpt4o", Model: "gpt-4o"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}}); err != nil {
		t.Fatal(err)
	}
	got := fake.last(t)
	if got.Path != "/openai/deployments/prod-gpt4o/chat/completions" || got.Query != "api-version="+defaultAzureVersion {
		t.Errorf("azure request %s?%s", got.Path, got.Query)
	}
	if got.Header.Get("api-key") != "azure-key" || got.Header.Get("Authorization") != "" {
		t.Errorf("azure auth headers: %v", got.Header)
	}
}

func TestOpenAIResponseBodyIsBounded(t *testing.T) {
	fake := &fakeOpenAI{reply: func(w http.ResponseWriter, _ map[string]any) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"choices":[{"index":0,"message":{"role":"assistant","content":"`)
		chunk := strings.Repeat("A", 1<<20)
		for range 9 {
			fmt.Fprint(w, chunk)
		}
		fmt.Fprint(w, `"}}]}`)
	}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p, _ := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", APIKey: "k", MaxRetries: -1})
	if _, err := p.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}}); err == nil {
		t.Fatal("a 9 MiB answer was accepted")
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	tests := []Settings{
		{Provider: "gemini"},
		{Provider: "openai"}, // no key, no base URL
		{Provider: "openai", BaseURL: "ftp://x", APIKey: "k"},
		{Provider: "openai", Azure: true, APIKey: "k"},
		{Provider: "openai", APIKey: "k", JSONFormat: "xml"},
		{Provider: "ollama", OllamaURL: "http://"},
		{Provider: "bedrock", Region: "us-east-1", AccessKey: "AKIA"},
	}
	for _, s := range tests {
		if _, err := New(s); err == nil {
			t.Errorf("New(%+v) accepted", s)
		}
	}
	p, err := New(Settings{})
	if err != nil || !IsOffline(p) {
		t.Errorf("zero settings: %v %v", p, err)
	}
}
