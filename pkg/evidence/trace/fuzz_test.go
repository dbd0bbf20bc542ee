package trace

import (
	"encoding/json"
	"testing"
)

// The decoders read backend answers: any input must give an error or a
// bounded result, never a panic.
func FuzzDecodeOTLP(f *testing.F) {
	doc, _ := json.Marshal(map[string]any{"trace": map[string]any{"resourceSpans": otlpResourceSpansOf(shopTrace(1, alertStart, slow))}})
	f.Add(doc)
	f.Add([]byte(`{"batches":[{"resource":{},"instrumentationLibrarySpans":[{"spans":[{"traceId":"AAAAAAAAAAAAAAAAAAAAAQ==","spanId":"AAAAAAAAAAE=","kind":3,"status":{"code":2}}]}]}]}`))
	f.Add([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","startTimeUnixNano":-1}]}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		tr, err := decodeOTLP(body, 3)
		if err == nil && len(tr.Spans) > 3 {
			t.Fatalf("%d spans past the bound", len(tr.Spans))
		}
	})
}

func FuzzDecodeJaeger(f *testing.F) {
	f.Add([]byte(jaegerSample))
	f.Add([]byte(`{"data":[{"traceID":"","spans":[]}]}`))
	f.Add([]byte(`{"data":null,"errors":[{"code":500,"msg":"boom"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		trs, err := decodeJaeger(body, 2)
		if err != nil {
			return
		}
		for _, tr := range trs {
			if len(tr.Spans) > 2 {
				t.Fatalf("%d spans past the bound", len(tr.Spans))
			}
		}
	})
}

func FuzzDecodeTempoSearch(f *testing.F) {
	f.Add([]byte(`{"traces":[{"traceID":"abc013","rootServiceName":"order-service","durationMs":5010}],"metrics":{}}`))
	f.Add([]byte(`{"traces":[{"traceID":"not hex"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ids, err := decodeTempoSearch(body, 2)
		if err != nil {
			return
		}
		if len(ids) > 2 {
			t.Fatalf("%d ids past the limit", len(ids))
		}
		for _, id := range ids {
			if len(id) != 32 {
				t.Fatalf("id %q is not 32 hex digits", id)
			}
		}
	})
}
