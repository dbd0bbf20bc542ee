package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// WriteChatStream answers an OpenAI-compatible /v1/chat/completions request
// with text streamed in chunks of 40 bytes (server-sent events), then a
// final chunk reporting 900 prompt and 100 completion tokens.
func WriteChatStream(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	for len(text) > 0 {
		n := min(40, len(text))
		chunk, _ := json.Marshal(map[string]any{"id": "c", "object": "chat.completion.chunk", "model": "gpt-4o-mini",
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": text[:n]}}}})
		fmt.Fprintf(w, "data: %s\n\n", chunk)
		text = text[n:]
		if flusher != nil {
			flusher.Flush()
		}
	}
	final, _ := json.Marshal(map[string]any{"id": "c", "object": "chat.completion.chunk", "model": "gpt-4o-mini",
		"choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": "stop"}},
		"usage":   map[string]any{"prompt_tokens": 900, "completion_tokens": 100, "total_tokens": 1000}})
	fmt.Fprintf(w, "data: %s\n\ndata: [DONE]\n\n", final)
}

// ExplanationJSON is an answer in the explanation schema a model is asked
// for, with summary as its summary.
func ExplanationJSON(summary string) string {
	answer, _ := json.Marshal(map[string]any{
		"summary":   summary,
		"rootCause": map[string]any{"category": "Unknown", "entity": map[string]any{"namespace": "shop", "kind": "Pod", "name": "order-7d9c5-x2x1q"}, "description": "No evidence was collected.", "confidence": 0.2},
		"nextSteps": []any{map[string]any{"text": "Connect Kubernetes to the app", "command": ""}},
		"evidence":  []string{},
	})
	return string(answer)
}
