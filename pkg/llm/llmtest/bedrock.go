// Package llmtest holds what tests of several packages need to stand in for
// a model provider's wire format.
package llmtest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// WriteConverseStream answers a Bedrock ConverseStream request with the
// pieces of text as one content block, in the binary event-stream framing
// encoded by the SDK's own encoder, and reports 700 input and 40 output
// tokens in its metadata event.
func WriteConverseStream(t testing.TB, w http.ResponseWriter, pieces []string) {
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(http.StatusOK)
	enc := eventstream.NewEncoder()
	send := func(eventType string, payload any) {
		b, err := json.Marshal(payload)
		if err != nil {
			t.Errorf("marshal %s event: %v", eventType, err)
			return
		}
		var h eventstream.Headers
		h.Set(":message-type", eventstream.StringValue("event"))
		h.Set(":event-type", eventstream.StringValue(eventType))
		h.Set(":content-type", eventstream.StringValue("application/json"))
		if err := enc.Encode(w, eventstream.Message{Headers: h, Payload: b}); err != nil {
			t.Errorf("encode %s event: %v", eventType, err)
		}
		w.(http.Flusher).Flush()
	}
	send("messageStart", map[string]any{"role": "assistant"})
	for _, p := range pieces {
		send("contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]any{"text": p}})
	}
	send("contentBlockStop", map[string]any{"contentBlockIndex": 0})
	send("messageStop", map[string]any{"stopReason": "end_turn"})
	send("metadata", map[string]any{"usage": map[string]any{"inputTokens": 700, "outputTokens": 40, "totalTokens": 740},
		"metrics": map[string]any{"latencyMs": 80}})
}
