package trace

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Jaeger reads traces through the Jaeger query service's HTTP API
// (/api/traces, the one its UI uses).
type Jaeger struct{ http *httpClient }

var _ Source = (*Jaeger)(nil)

// NewJaeger checks the configuration; it makes no request.
func NewJaeger(cfg HTTPConfig) (*Jaeger, error) {
	c, err := newHTTPClient("jaeger", cfg)
	if err != nil {
		return nil, err
	}
	return &Jaeger{http: c}, nil
}

// Name identifies the source.
func (j *Jaeger) Name() string { return "jaeger" }

// Ping lists the services Jaeger knows.
func (j *Jaeger) Ping(ctx context.Context) error {
	body, err := j.http.get(ctx, "/api/services", nil)
	if err != nil {
		return err
	}
	var res struct {
		Data []string `json:"data"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return fmt.Errorf("jaeger /api/services: not the query API's answer (%w): is the URL Jaeger's query port (16686)?", err)
	}
	return nil
}

// Traces asks once per condition (errors, duration: Jaeger's tags and
// minDuration filters combine with AND) and merges the answers by trace id.
func (j *Jaeger) Traces(ctx context.Context, q Query) ([]Trace, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	base := url.Values{
		"service": {q.Service},
		"start":   {strconv.FormatInt(q.Start.UnixMicro(), 10)},
		"end":     {strconv.FormatInt(q.End.UnixMicro(), 10)},
		"limit":   {strconv.Itoa(q.Limit)},
	}
	var filters []url.Values
	if q.ErrorsOnly {
		filters = append(filters, url.Values{"tags": {`{"error":"true"}`}})
	}
	if q.MinDuration > 0 {
		filters = append(filters, url.Values{"minDuration": {q.MinDuration.String()}})
	}
	if len(filters) == 0 {
		filters = append(filters, url.Values{})
	}
	var out []Trace
	seen := map[string]bool{}
	for _, f := range filters {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		for k, vs := range f {
			v[k] = vs
		}
		body, err := j.http.get(ctx, "/api/traces", v)
		if err != nil {
			return out, err
		}
		traces, err := decodeJaeger(body, q.MaxSpans)
		if err != nil {
			return out, err
		}
		for _, t := range traces {
			if !seen[t.ID] && len(out) < q.Limit {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	return out, nil
}

type jaegerResponse struct {
	Data []struct {
		TraceID string `json:"traceID"`
		Spans   []struct {
			TraceID       string `json:"traceID"`
			SpanID        string `json:"spanID"`
			OperationName string `json:"operationName"`
			References    []struct {
				RefType string `json:"refType"`
				SpanID  string `json:"spanID"`
			} `json:"references"`
			StartTime int64       `json:"startTime"`
			Duration  int64       `json:"duration"`
			Tags      []jaegerTag `json:"tags"`
			ProcessID string      `json:"processID"`
		} `json:"spans"`
		Processes map[string]struct {
			ServiceName string `json:"serviceName"`
		} `json:"processes"`
	} `json:"data"`
	Errors []struct {
		Msg string `json:"msg"`
	} `json:"errors"`
}

type jaegerTag struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

func decodeJaeger(body []byte, maxSpans int) ([]Trace, error) {
	var res jaegerResponse
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("jaeger traces: decode: %w", err)
	}
	if len(res.Errors) > 0 {
		return nil, fmt.Errorf("jaeger traces: %s", clip(res.Errors[0].Msg))
	}
	out := make([]Trace, 0, len(res.Data))
	for _, d := range res.Data {
		t := Trace{ID: strings.ToLower(d.TraceID)}
		if !hexID(strings.TrimLeft(t.ID, "0")) {
			return nil, fmt.Errorf("jaeger traces: bad trace id %q", clip(d.TraceID))
		}
		for _, s := range d.Spans {
			if len(t.Spans) == maxSpans {
				t.Truncated = true
				break
			}
			a := make(attrs, len(s.Tags))
			for _, tag := range s.Tags {
				a[tag.Key] = strings.Trim(string(tag.Value), `"`)
			}
			sp := Span{TraceID: t.ID, SpanID: strings.ToLower(s.SpanID), Service: clip(d.Processes[s.ProcessID].ServiceName),
				Name: clip(s.OperationName), Kind: a["span.kind"], Start: time.UnixMicro(s.StartTime).UTC(),
				Duration: time.Duration(max(s.Duration, 0)) * time.Microsecond}
			for _, r := range s.References {
				if r.RefType == "CHILD_OF" || sp.ParentID == "" {
					sp.ParentID = strings.ToLower(r.SpanID)
				}
			}
			sp.Error = a["error"] == "true" || a["otel.status_code"] == "ERROR"
			if sp.Error {
				sp.Status = a.status(a["otel.status_description"])
			}
			if sp.Kind == "client" || sp.Kind == "producer" {
				sp.Peer = a.peer()
			}
			t.Spans = append(t.Spans, sp)
		}
		out = append(out, t)
	}
	return out, nil
}
