package trace

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// otlpTrace is the OTLP/JSON shape of a trace as Tempo serves it: /api/traces
// answers {"batches": [...]}, /api/v2/traces {"trace": {"resourceSpans": [...]}};
// older versions say instrumentationLibrarySpans for scopeSpans.
type otlpTrace struct {
	Batches       []otlpResourceSpans `json:"batches"`
	ResourceSpans []otlpResourceSpans `json:"resourceSpans"`
	Trace         *struct {
		ResourceSpans []otlpResourceSpans `json:"resourceSpans"`
	} `json:"trace"`
}

type otlpResourceSpans struct {
	Resource struct {
		Attributes []otlpKeyValue `json:"attributes"`
	} `json:"resource"`
	ScopeSpans                  []otlpScopeSpans `json:"scopeSpans"`
	InstrumentationLibrarySpans []otlpScopeSpans `json:"instrumentationLibrarySpans"`
}

type otlpScopeSpans struct {
	Spans []otlpSpan `json:"spans"`
}

type otlpSpan struct {
	TraceID           string          `json:"traceId"`
	SpanID            string          `json:"spanId"`
	ParentSpanID      string          `json:"parentSpanId"`
	Name              string          `json:"name"`
	Kind              json.RawMessage `json:"kind"`
	StartTimeUnixNano json.RawMessage `json:"startTimeUnixNano"`
	EndTimeUnixNano   json.RawMessage `json:"endTimeUnixNano"`
	Attributes        []otlpKeyValue  `json:"attributes"`
	Status            struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
	} `json:"status"`
}

type otlpKeyValue struct {
	Key   string `json:"key"`
	Value struct {
		StringValue *string         `json:"stringValue"`
		IntValue    json.RawMessage `json:"intValue"`
		BoolValue   *bool           `json:"boolValue"`
		DoubleValue *float64        `json:"doubleValue"`
	} `json:"value"`
}

func (kv otlpKeyValue) String() string {
	v := kv.Value
	switch {
	case v.StringValue != nil:
		return *v.StringValue
	case len(v.IntValue) > 0:
		return strings.Trim(string(v.IntValue), `"`)
	case v.BoolValue != nil:
		return strconv.FormatBool(*v.BoolValue)
	case v.DoubleValue != nil:
		return strconv.FormatFloat(*v.DoubleValue, 'g', -1, 64)
	}
	return ""
}

func toAttrs(kvs []otlpKeyValue) attrs {
	a := make(attrs, len(kvs))
	for _, kv := range kvs {
		a[kv.Key] = kv.String()
	}
	return a
}

// decodeOTLP reads one trace in OTLP/JSON, keeping at most maxSpans spans.
func decodeOTLP(body []byte, maxSpans int) (Trace, error) {
	var doc otlpTrace
	if err := json.Unmarshal(body, &doc); err != nil {
		return Trace{}, fmt.Errorf("decode OTLP trace: %w", err)
	}
	rss := append(doc.Batches, doc.ResourceSpans...)
	if doc.Trace != nil {
		rss = append(rss, doc.Trace.ResourceSpans...)
	}
	var t Trace
	for _, rs := range rss {
		service := clip(toAttrs(rs.Resource.Attributes)["service.name"])
		for _, ss := range append(rs.ScopeSpans, rs.InstrumentationLibrarySpans...) {
			for _, s := range ss.Spans {
				if len(t.Spans) == maxSpans {
					t.Truncated = true
					return t, nil
				}
				span, err := s.span(service)
				if err != nil {
					return Trace{}, err
				}
				if t.ID == "" {
					t.ID = span.TraceID
				}
				t.Spans = append(t.Spans, span)
			}
		}
	}
	return t, nil
}

func (s otlpSpan) span(service string) (Span, error) {
	traceID, err := otlpID(s.TraceID, 16)
	if err != nil {
		return Span{}, fmt.Errorf("span %q trace id: %w", s.Name, err)
	}
	spanID, err := otlpID(s.SpanID, 8)
	if err != nil {
		return Span{}, fmt.Errorf("span %q id: %w", s.Name, err)
	}
	parentID, err := otlpID(s.ParentSpanID, 8)
	if err != nil {
		return Span{}, fmt.Errorf("span %q parent id: %w", s.Name, err)
	}
	start, err := unixNano(s.StartTimeUnixNano)
	if err != nil {
		return Span{}, fmt.Errorf("span %q start: %w", s.Name, err)
	}
	end, err := unixNano(s.EndTimeUnixNano)
	if err != nil {
		return Span{}, fmt.Errorf("span %q end: %w", s.Name, err)
	}
	a := toAttrs(s.Attributes)
	code := strings.Trim(string(s.Status.Code), `"`)
	failed := code == "2" || code == "STATUS_CODE_ERROR"
	sp := Span{TraceID: traceID, SpanID: spanID, ParentID: parentID, Service: service, Name: clip(s.Name),
		Kind: otlpKind(strings.Trim(string(s.Kind), `"`)), Start: start, Duration: max(end.Sub(start), 0), Error: failed}
	if failed {
		sp.Status = a.status(s.Status.Message)
	}
	if sp.Kind == "client" || sp.Kind == "producer" {
		sp.Peer = a.peer()
	}
	return sp, nil
}

// otlpID accepts the hex ids of the OTLP/JSON specification and the base64
// ids Tempo's protobuf-JSON encoder writes, and returns lower-case hex.
func otlpID(s string, size int) (string, error) {
	if s == "" {
		return "", nil
	}
	if len(s) == 2*size {
		if _, err := hex.DecodeString(s); err == nil {
			return strings.ToLower(s), nil
		}
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != size {
		return "", fmt.Errorf("%q is neither %d hex digits nor base64 of %d bytes", clip(s), 2*size, size)
	}
	return hex.EncodeToString(b), nil
}

// unixNano reads a uint64 nanosecond time written as a JSON string or number.
func unixNano(raw json.RawMessage) (time.Time, error) {
	s := strings.Trim(string(raw), `"`)
	if s == "" || s == "null" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("bad unix nano time %q", clip(s))
	}
	return time.Unix(0, n).UTC(), nil
}

// otlpKind names a span kind given as the enum's number or name.
func otlpKind(k string) string {
	switch k {
	case "1", "SPAN_KIND_INTERNAL":
		return "internal"
	case "2", "SPAN_KIND_SERVER":
		return "server"
	case "3", "SPAN_KIND_CLIENT":
		return "client"
	case "4", "SPAN_KIND_PRODUCER":
		return "producer"
	case "5", "SPAN_KIND_CONSUMER":
		return "consumer"
	}
	return ""
}
