package llm

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// FuzzOpenAIStreamBody serves arbitrary bytes as a chat completion stream:
// the provider must return text or an error, never panic or hang.
func FuzzOpenAIStreamBody(f *testing.F) {
	f.Add([]byte("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n"))
	f.Add([]byte("data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n"))
	f.Add([]byte("event: ping\n\ndata: {\"choices\":[{\"index\":1}]}\n\n"))
	f.Add([]byte("data: {\"choices\":null,\"usage\":{\"prompt_tokens\":-5}}\n\ndata: [DONE]"))
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	p, err := New(Settings{Provider: "openai", BaseURL: srv.URL + "/v1", APIKey: "k", MaxRetries: -1, Timeout: 2 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		body = data
		resp, err := p.Stream(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}}, func(string) {})
		if err == nil && resp.Usage.CostUSD < 0 {
			t.Fatalf("negative cost from %q", data)
		}
	})
}
