package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/llm/llmtest"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// providerSummary is the summary the fake models answer with.
const providerSummary = "order-service restarts after its database refuses connections."

// providerAnswer is a complete model answer, in pieces as a stream sends it.
func providerAnswer(t *testing.T) []string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"summary":   providerSummary,
		"rootCause": map[string]any{"category": "Unknown", "entity": map[string]any{"namespace": "shop", "kind": "Pod", "name": "order-7d9c5-x2x1q"}, "description": "No evidence was collected.", "confidence": 0.2},
		"nextSteps": []any{map[string]any{"text": "Connect Kubernetes to the app", "command": ""}},
		"evidence":  []string{},
	})
	if err != nil {
		t.Fatal(err)
	}
	var pieces []string
	for s := string(b); len(s) > 0; {
		n := min(40, len(s))
		pieces, s = append(pieces, s[:n]), s[n:]
	}
	return pieces
}

// fakeOllama serves what the Ollama client calls: /api/tags and the
// OpenAI-compatible /v1/chat/completions, streamed with usage at the end.
func fakeOllama(t *testing.T, requests *atomic.Int32) *httptest.Server {
	t.Helper()
	pieces := providerAnswer(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/tags":
			fmt.Fprint(w, `{"models":[{"name":"llama3:latest","model":"llama3:latest"}]}`)
		case "/v1/chat/completions":
			body, _ := io.ReadAll(r.Body)
			if !strings.Contains(string(body), `"stream":true`) || !strings.Contains(string(body), `"model":"llama3"`) {
				t.Errorf("Ollama request is not a streamed llama3 chat: %s", body)
			}
			requests.Add(1)
			sse(w, pieces...)
			fmt.Fprint(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"llama3\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"+
				"\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":100,\"total_tokens\":1000}}\n\ndata: [DONE]\n\n")
		default:
			t.Errorf("unexpected Ollama call %s", r.URL.Path)
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fakeBedrock answers ConverseStream in the binary event-stream framing
// (the SDK's own encoder) and requires every request to be SigV4-signed.
func fakeBedrock(t *testing.T, requests *atomic.Int32) *httptest.Server {
	t.Helper()
	pieces := providerAnswer(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requireSigV4(t, r)
		if !strings.HasSuffix(r.URL.Path, "/converse-stream") {
			http.Error(w, "not served", http.StatusNotFound)
			return
		}
		requests.Add(1)
		llmtest.WriteConverseStream(t, w, pieces)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestOllamaAndBedrockAnswerThroughTheEngine: with the provider set to
// ollama or bedrock in the settings, the engine builds the real client,
// which streams the answer from a fake that speaks its wire format; the
// explanation is the model's, not the offline fallback, and its spend is
// in the usage ledger.
func TestOllamaAndBedrockAnswerThroughTheEngine(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings func(url string) (string, map[string]string)
		fake     func(*testing.T, *atomic.Int32) *httptest.Server
		prompt   int64
		// paid: the model has a price (Bedrock's list price); Ollama is local.
		paid bool
	}{
		{"ollama", func(url string) (string, map[string]string) {
			return fmt.Sprintf(`{"provider":"ollama","ollama":{"url":%q,"model":"llama3"}}`, url), nil
		}, fakeOllama, 900, false},
		{"bedrock", func(url string) (string, map[string]string) {
			return fmt.Sprintf(`{"provider":"bedrock","bedrock":{"region":"eu-west-1","modelId":"anthropic.claude-3-haiku-20240307-v1:0","credentialsMode":"static","endpoint":%q}}`, url),
				map[string]string{"bedrockAccessKey": "AKIAEXAMPLEEXAMPLE23", "bedrockSecretKey": "example-secret-key-for-the-test"}
		}, fakeBedrock, 700, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := tc.fake(t, &requests)
			jsonData, secure := tc.settings(srv.URL)
			cfg, err := config.ParseSettings([]byte(jsonData), secure)
			if err != nil {
				t.Fatal(err)
			}
			e := openTest(t, cfg, Options{})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			ex, err := e.Explain(ctx, Request{Alert: alertFor("ProviderAnswers"), User: "ana"})
			if err != nil {
				t.Fatal(err)
			}
			if ex.Summary != providerSummary || requests.Load() != 1 {
				t.Fatalf("summary %q after %d model requests, want the model's after 1", ex.Summary, requests.Load())
			}
			for _, d := range incident.Failures(ex.Degraded) {
				if strings.HasPrefix(d.Source, "llm/") {
					t.Errorf("the model's answer is marked degraded: %+v", d)
				}
			}
			st, err := e.Store(ctx)
			if err != nil {
				t.Fatal(err)
			}
			days, err := st.Usage(ctx, t0.Add(-24*time.Hour), t0.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if len(days) != 1 || days[0].Provider != tc.name || days[0].User != "ana" || days[0].PromptTokens != tc.prompt || days[0].Requests != 1 {
				t.Fatalf("usage %+v, want one %s request of %d prompt tokens by ana", days, tc.name, tc.prompt)
			}
			if paid := days[0].CostUSD > 0; paid != tc.paid {
				t.Errorf("%s recorded $%v", tc.name, days[0].CostUSD)
			}
			t.Logf("%s: recorded %d+%d tokens, $%.6f", tc.name, days[0].PromptTokens, days[0].CompletionTokens, days[0].CostUSD)
		})
	}
}
