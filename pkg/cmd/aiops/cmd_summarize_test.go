package main

import (
	"bytes"
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
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// fakeLLM answers like OpenAI (/v1/chat/completions, SSE), Ollama
// (/api/tags plus /v1) and Bedrock (/model/{id}/converse-stream in the
// event-stream framing). Its answer cites the first evidence id it was shown.
type fakeLLM struct {
	mu    sync.Mutex
	paths []string
}

func (f *fakeLLM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.paths = append(f.paths, r.URL.Path)
	f.mu.Unlock()
	switch {
	case r.URL.Path == "/api/tags":
		fmt.Fprint(w, `{"models":[{"name":"llama3:latest"}]}`)
	case strings.HasSuffix(r.URL.Path, "/chat/completions"):
		var req struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		_ = json.Unmarshal(body, &req)
		answer := testAnswer(req.Messages[len(req.Messages)-1].Content)
		chunk, _ := json.Marshal(map[string]any{"id": "c", "object": "chat.completion.chunk", "model": "m",
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": answer}, "finish_reason": "stop"}}})
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: %s\n\ndata: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":1500,\"completion_tokens\":90}}\n\ndata: [DONE]\n\n", chunk)
	case strings.HasSuffix(r.URL.Path, "/converse-stream"):
		var req struct {
			Messages []struct {
				Content []struct{ Text string } `json:"content"`
			} `json:"messages"`
		}
		_ = json.Unmarshal(body, &req)
		answer := testAnswer(req.Messages[len(req.Messages)-1].Content[0].Text)
		w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
		enc := eventstream.NewEncoder()
		for _, ev := range []struct {
			typ     string
			payload any
		}{
			{"messageStart", map[string]any{"role": "assistant"}},
			{"contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]any{"text": answer}}},
			{"messageStop", map[string]any{"stopReason": "end_turn"}},
			{"metadata", map[string]any{"usage": map[string]any{"inputTokens": 1400, "outputTokens": 80, "totalTokens": 1480}, "metrics": map[string]any{"latencyMs": 5}}},
		} {
			payload, _ := json.Marshal(ev.payload)
			var h eventstream.Headers
			h.Set(":message-type", eventstream.StringValue("event"))
			h.Set(":event-type", eventstream.StringValue(ev.typ))
			h.Set(":content-type", eventstream.StringValue("application/json"))
			_ = enc.Encode(w, eventstream.Message{Headers: h, Payload: payload})
		}
	default:
		http.NotFound(w, r)
	}
}

// testAnswer blames payments-db when the data mentions it, else the
// analyzers' suggested entity ("Kind/namespace/name"), always as a
// DependencyFailure: seeing that category proves the model's answer was used.
func testAnswer(user string) string {
	entity := map[string]any{"namespace": "", "kind": "External", "name": "payments-db.shop.svc"}
	if !strings.Contains(user, "payments-db.shop.svc") {
		const marker = `"analyzerRootCause":{"category":"`
		if i := strings.Index(user, marker); i >= 0 {
			rest := user[i:]
			rest = rest[strings.Index(rest, `"entity":"`)+len(`"entity":"`):]
			parts := strings.Split(rest[:strings.IndexByte(rest, '"')], "/")
			if len(parts) == 3 {
				entity = map[string]any{"kind": parts[0], "namespace": parts[1], "name": parts[2]}
			}
		}
	}
	ids := "e1"
	const marker = "Evidence ids you may cite: "
	if i := strings.LastIndex(user, marker); i >= 0 {
		rest := user[i+len(marker):]
		ids = strings.TrimSuffix(strings.SplitN(rest[:strings.IndexByte(rest, '\n')], ", ", 2)[0], ".")
	}
	b, _ := json.Marshal(map[string]any{
		"summary": "order-service cannot reach payments-db: connections are refused.",
		"rootCause": map[string]any{"category": "DependencyFailure",
			"entity":      entity,
			"description": "Every attempt to connect to payments-db:5432 is refused.", "confidence": 0.8},
		"nextSteps": []any{map[string]any{"text": "Check the database pods", "command": "kubectl -n shop get pods -l app=payments-db"}},
		"evidence":  []string{ids},
	})
	return string(b)
}

const sampleLogs = `2026-11-20T10:00:01Z INFO order-service started on :8080
2026-11-20T10:00:05Z ERROR dial tcp 10.0.3.7:5432: connect: connection refused host=payments-db.shop.svc
2026-11-20T10:00:06Z ERROR dial tcp 10.0.3.7:5432: connect: connection refused host=payments-db.shop.svc
2026-11-20T10:00:07Z ERROR dial tcp 10.0.3.7:5432: connect: connection refused host=payments-db.shop.svc
2026-11-20T10:00:08Z ERROR request failed: POST /orders 503 upstream payments unavailable
`

func TestSummarizeWithEveryProvider(t *testing.T) {
	fake := &fakeLLM{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	// The AWS SDK reads its chain from the process environment, including
	// the service endpoint override the design names.
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLETEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", srv.URL)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	logFile := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(logFile, []byte(sampleLogs), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCat  string
		wantPath string
	}{
		{"offline", []string{"--logs", logFile}, nil, "DependencyFailure", ""},
		{"openai from env", []string{"--logs", "-"}, map[string]string{"AIOPS_PROVIDER": "openai", "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": srv.URL + "/v1"},
			"DependencyFailure", "/v1/chat/completions"},
		{"ollama from flags", []string{"--logs", logFile, "--provider", "ollama", "--ollama-url", srv.URL}, nil, "DependencyFailure", "/v1/chat/completions"},
		{"bedrock from env", []string{"--logs", logFile, "--provider", "bedrock", "--model", "meta.llama3-70b-instruct-v1:0"},
			map[string]string{"AWS_REGION": "eu-west-1"}, "DependencyFailure", "/model/meta.llama3-70b-instruct-v1:0/converse-stream"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake.mu.Lock()
			fake.paths = nil
			fake.mu.Unlock()
			var out, errOut bytes.Buffer
			getenv := func(k string) string { return tc.env[k] }
			code := run(context.Background(), append([]string{"summarize"}, tc.args...),
				stdio{in: strings.NewReader(sampleLogs), out: &out, errOut: &errOut, getenv: getenv})
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			var got summaryOutput
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("output %q: %v", out.String(), err)
			}
			if got.Category != tc.wantCat || got.Summary == "" || len(got.NextSteps) == 0 {
				t.Errorf("output %+v", got)
			}
			fake.mu.Lock()
			paths := strings.Join(fake.paths, " ")
			fake.mu.Unlock()
			if tc.wantPath == "" && paths != "" {
				t.Errorf("offline called the network: %s", paths)
			}
			if tc.wantPath != "" && !strings.Contains(paths, tc.wantPath) {
				t.Errorf("requests %q, want %s", paths, tc.wantPath)
			}
			if tc.wantPath != "" && !strings.Contains(errOut.String(), "order-service cannot reach payments-db") {
				t.Errorf("the summary was not streamed to stderr: %q", errOut.String())
			}
		})
	}
}

func TestSummarizeFormatsAndUsage(t *testing.T) {
	sio := func(out, errOut *bytes.Buffer) stdio {
		return stdio{in: strings.NewReader(sampleLogs), out: out, errOut: errOut, getenv: func(string) string { return "" }}
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"summarize", "--logs", "-", "--format", "markdown", "--quiet"}, sio(&out, &errOut)); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "## ") || !strings.Contains(out.String(), "**Root cause:** DependencyFailure") || errOut.Len() != 0 {
		t.Errorf("markdown %q stderr %q", out.String(), errOut.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"summarize", "--logs", "-", "--format", "explanation", "--quiet"}, sio(&out, &errOut)); code != 0 {
		t.Fatalf("exit %d", code)
	}
	var ex struct {
		ID       string `json:"id"`
		Provider struct{ Name string }
	}
	if err := json.Unmarshal(out.Bytes(), &ex); err != nil || !strings.HasPrefix(ex.ID, "ex_") || ex.Provider.Name != "offline" {
		t.Errorf("explanation %q: %v", out.String(), err)
	}
	for _, args := range [][]string{
		{"summarize"},
		{"summarize", "--logs", "-", "--format", "yaml"},
		{"summarize", "--logs", "-", "--provider", "gemini"},
		{"summarize", "--logs", "-", "--header", "novalue"},
	} {
		out.Reset()
		errOut.Reset()
		if code := run(context.Background(), args, sio(&out, &errOut)); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errOut.String())
		}
	}
	// A model that cannot be reached still gives an answer, from the
	// analyzers, and says so on standard error.
	errOut.Reset()
	out.Reset()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	env := map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": down.URL + "/v1"}
	code := run(context.Background(), []string{"summarize", "--logs", "-", "--provider", "openai", "--timeout", "2s"},
		stdio{in: strings.NewReader(sampleLogs), out: &out, errOut: &errOut, getenv: func(k string) string { return env[k] }})
	if code != 0 || !strings.Contains(errOut.String(), "llm/openai was not usable") || !strings.Contains(out.String(), "DependencyFailure") {
		t.Errorf("unreachable model: exit %d, stderr %q, out %q", code, errOut.String(), out.String())
	}
	errOut.Reset()
	code = run(context.Background(), []string{"summarize", "--logs", "-", "--provider", "openai"}, sio(&out, &errOut))
	if code != 1 || !strings.Contains(errOut.String(), "OPENAI_API_KEY") || strings.Count(errOut.String(), "\n") != 1 {
		t.Errorf("missing key: exit %d, %q", code, errOut.String())
	}
}
