package trace

import (
	"testing"
	"time"
)

// jaegerSample is a /api/traces answer of the Jaeger query service: a
// failing client call of order-service that payment-service answered.
const jaegerSample = `{"data":[{"traceID":"00000000000000000000000000abc013","spans":[
 {"traceID":"00000000000000000000000000abc013","spanID":"0000000000001301","operationName":"POST /orders","references":[],
  "startTime":1795255260000000,"duration":5010000,"tags":[{"key":"span.kind","type":"string","value":"server"},
  {"key":"otel.status_code","type":"string","value":"ERROR"},{"key":"http.response.status_code","type":"int64","value":502}],"processID":"p1"},
 {"traceID":"00000000000000000000000000abc013","spanID":"0000000000001302","operationName":"HTTP POST",
  "references":[{"refType":"CHILD_OF","traceID":"00000000000000000000000000abc013","spanID":"0000000000001301"}],
  "startTime":1795255260005000,"duration":5000000,"tags":[{"key":"span.kind","type":"string","value":"client"},
  {"key":"error","type":"bool","value":true},{"key":"otel.status_description","type":"string","value":"context deadline exceeded"},
  {"key":"url.full","type":"string","value":"http://payment-service.payment:8080/payment/charge"}],"processID":"p1"},
 {"traceID":"00000000000000000000000000abc013","spanID":"0000000000001303","operationName":"POST /payment/charge",
  "references":[{"refType":"CHILD_OF","traceID":"00000000000000000000000000abc013","spanID":"0000000000001302"}],
  "startTime":1795255260008000,"duration":6000000,"tags":[{"key":"span.kind","type":"string","value":"server"}],"processID":"p2"}],
 "processes":{"p1":{"serviceName":"order-service","tags":[]},"p2":{"serviceName":"payment-service","tags":[]}},"warnings":null}],
 "total":0,"limit":0,"offset":0,"errors":null}`

func TestDecodeJaeger(t *testing.T) {
	trs, err := decodeJaeger([]byte(jaegerSample), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(trs) != 1 || len(trs[0].Spans) != 3 {
		t.Fatalf("traces %+v", trs)
	}
	root, call, charge := trs[0].Spans[0], trs[0].Spans[1], trs[0].Spans[2]
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"root error", root.Error, true},
		{"root status", root.Status, "status 502"},
		{"call parent", call.ParentID, root.SpanID},
		{"call kind", call.Kind, "client"},
		{"call status", call.Status, "context deadline exceeded"},
		{"call peer", call.Peer, "payment-service.payment:8080"},
		{"charge service", charge.Service, "payment-service"},
		{"charge duration", charge.Duration, 6 * time.Second},
		{"charge error", charge.Error, false},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if trs, _ := decodeJaeger([]byte(jaegerSample), 2); !trs[0].Truncated || len(trs[0].Spans) != 2 {
		t.Errorf("span bound not applied: %+v", trs[0])
	}
}
