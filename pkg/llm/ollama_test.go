package llm

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fakeOllama serves Ollama's /api/tags and its OpenAI-compatible /v1 with
// the given pulled models; chat with any other model fails as Ollama does.
func fakeOllama(pulled ...string) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/tags", func(w http.ResponseWriter, r *http.Request) {
		var items []string
		for _, m := range pulled {
			items = append(items, fmt.Sprintf(`{"name":%q,"model":%q,"size":4661224676}`, m, m))
		}
		fmt.Fprintf(w, `{"models":[%s]}`, strings.Join(items, ","))
	})
	oa := &fakeOpenAI{}
	oa.reply = func(w http.ResponseWriter, req map[string]any) {
		model, _ := req["model"].(string)
		for _, m := range pulled {
			if sameOllamaModel(m, model) {
				answerJSON(`{"summary":"from llama"}`, 300, 20)(w, req)
				return
			}
		}
		openAIError(w, http.StatusNotFound, "api_error", fmt.Sprintf("model %q not found, try pulling it first", model))
	}
	mux.Handle("/v1/", oa)
	return httptest.NewServer(mux)
}

func TestOllamaChatAndHealth(t *testing.T) {
	srv := fakeOllama("llama3:latest")
	defer srv.Close()
	p, err := New(Settings{Provider: "ollama", OllamaURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Health(context.Background()); err != nil {
		t.Fatalf("health: %v", err)
	}
	var streamed strings.Builder
	resp, err := p.Stream(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}, Schema: testSchema},
		func(s string) { streamed.WriteString(s) })
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text != `{"summary":"from llama"}` || streamed.String() != resp.Text {
		t.Errorf("text %q streamed %q", resp.Text, streamed.String())
	}
	if resp.Usage.CostUSD != 0 || p.Price() != (Price{}) {
		t.Errorf("a local model must cost nothing: %+v", resp.Usage)
	}
	if p.ContextWindow() != 8192 {
		t.Errorf("llama3 window = %d", p.ContextWindow())
	}
	ms, err := p.Models(context.Background())
	if err != nil || len(ms) != 1 || ms[0] != "llama3:latest" {
		t.Errorf("models %v %v", ms, err)
	}
}

func TestOllamaFailuresSayWhatToDo(t *testing.T) {
	srv := fakeOllama("mistral:latest")
	defer srv.Close()
	// A port nobody listens on: bind, note the address, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()

	tests := []struct {
		name     string
		url      string
		call     func(Provider) error
		wantKind ErrorKind
		wantHint string
	}{
		{"model not pulled (chat)", srv.URL, func(p Provider) error {
			_, err := p.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
			return err
		}, KindModelNotFound, "ollama pull llama3"},
		{"model not pulled (health)", srv.URL, func(p Provider) error { return p.Health(context.Background()) },
			KindModelNotFound, "ollama pull llama3"},
		{"server down (chat)", down, func(p Provider) error {
			_, err := p.Stream(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}}, func(string) {})
			return err
		}, KindUnavailable, "ollama serve"},
		{"server down (health)", down, func(p Provider) error { return p.Health(context.Background()) },
			KindUnavailable, "ollama serve"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New(Settings{Provider: "ollama", OllamaURL: strings.TrimPrefix(tc.url, "http://")})
			if err != nil {
				t.Fatal(err)
			}
			noWait(t, p)
			err = tc.call(p)
			var perr *Error
			if !errors.As(err, &perr) || perr.Kind != tc.wantKind {
				t.Fatalf("error %v, want kind %s", err, tc.wantKind)
			}
			if !strings.Contains(err.Error(), tc.wantHint) {
				t.Errorf("error %q does not say %q", err, tc.wantHint)
			}
		})
	}
}
