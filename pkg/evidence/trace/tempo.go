package trace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Tempo reads traces through Tempo's HTTP API: a TraceQL search over the
// window, then each found trace by id. Tempo is AGPL-licensed: this client
// speaks its documented HTTP API only and links none of its code.
type Tempo struct{ http *httpClient }

var _ Source = (*Tempo)(nil)

// fetchConcurrency bounds the trace-by-id requests in flight.
const fetchConcurrency = 4

// NewTempo checks the configuration; it makes no request.
func NewTempo(cfg HTTPConfig) (*Tempo, error) {
	c, err := newHTTPClient("tempo", cfg)
	if err != nil {
		return nil, err
	}
	return &Tempo{http: c}, nil
}

// Name identifies the source.
func (t *Tempo) Name() string { return "tempo" }

// Ping asks Tempo's echo endpoint, then runs an empty search so a wrong
// tenant or a missing search API fails here rather than at explain time.
func (t *Tempo) Ping(ctx context.Context) error {
	body, err := t.http.get(ctx, "/api/echo", nil)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(body)) != "echo" {
		return fmt.Errorf("tempo /api/echo answered %q, not echo: is the URL Tempo's HTTP port?", excerpt(body))
	}
	if _, err := t.http.get(ctx, "/api/search/tags", nil); err != nil {
		return fmt.Errorf("tempo search API: %w", err)
	}
	return nil
}

// serviceNameRe is what a service.name may be to be put into TraceQL.
var serviceNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$`)

// TraceQL renders the query for Tempo's search.
func TraceQL(q Query) (string, error) {
	if !serviceNameRe.MatchString(q.Service) {
		return "", fmt.Errorf("service name %q cannot be queried: want letters, digits and ._:/- up to 128", clip(q.Service))
	}
	cond := fmt.Sprintf("resource.service.name = %q", q.Service)
	var alt []string
	if q.ErrorsOnly {
		alt = append(alt, "status = error")
	}
	if q.MinDuration > 0 {
		alt = append(alt, "duration >= "+strconv.FormatInt(q.MinDuration.Milliseconds(), 10)+"ms")
	}
	if len(alt) > 0 {
		cond += " && (" + strings.Join(alt, " || ") + ")"
	}
	return "{ " + cond + " }", nil
}

type tempoSearch struct {
	Traces []struct {
		TraceID string `json:"traceID"`
	} `json:"traces"`
}

// Traces searches with TraceQL, then fetches each trace by id.
func (t *Tempo) Traces(ctx context.Context, q Query) ([]Trace, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	ql, err := TraceQL(q)
	if err != nil {
		return nil, err
	}
	body, err := t.http.get(ctx, "/api/search", url.Values{
		"q":     {ql},
		"start": {strconv.FormatInt(q.Start.Unix(), 10)},
		"end":   {strconv.FormatInt(q.End.Unix()+1, 10)},
		"limit": {strconv.Itoa(q.Limit)},
	})
	if err != nil {
		return nil, err
	}
	ids, err := decodeTempoSearch(body, q.Limit)
	if err != nil {
		return nil, err
	}
	return t.fetchAll(ctx, ids, q.MaxSpans)
}

func decodeTempoSearch(body []byte, limit int) ([]string, error) {
	var res tempoSearch
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("tempo search: decode: %w", err)
	}
	var ids []string
	seen := map[string]bool{}
	for _, tr := range res.Traces {
		id := strings.ToLower(strings.TrimLeft(tr.TraceID, "0"))
		if !hexID(id) {
			return nil, fmt.Errorf("tempo search: bad trace id %q", clip(tr.TraceID))
		}
		id = strings.Repeat("0", 32-len(id)) + id
		if !seen[id] && len(ids) < limit {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// hexID reports a trace id of 1 to 32 hex digits (Tempo drops leading zeros).
func hexID(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// fetchAll gets the traces by id, a few at a time, in the search's order.
func (t *Tempo) fetchAll(ctx context.Context, ids []string, maxSpans int) ([]Trace, error) {
	out := make([]Trace, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, fetchConcurrency)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			body, err := t.http.get(ctx, "/api/v2/traces/"+id, nil)
			if err != nil {
				errs[i] = err
				return
			}
			tr, err := decodeOTLP(body, maxSpans)
			if err != nil {
				errs[i] = fmt.Errorf("tempo trace %s: %w", id, err)
				return
			}
			tr.ID = id
			out[i] = tr
		}()
	}
	wg.Wait()
	var got []Trace
	for i := range out {
		if errs[i] == nil && len(out[i].Spans) > 0 {
			got = append(got, out[i])
		}
	}
	return got, errors.Join(errs...)
}
