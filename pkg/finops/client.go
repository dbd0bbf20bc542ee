package finops

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// DefaultMaxResponseBytes bounds one Prometheus answer. An allocation's
// answers are one point per container and bucket: 50,000 containers at a
// hundred bytes each for the table form.
const DefaultMaxResponseBytes = 256 << 20

// queryRange asks a range query and returns the body of its successful
// answer. It is POSTed as client_golang's v1 API does (a long selector
// fits no URL), and asked again by GET from a server that allows only
// that.
func (a *Allocator) queryRange(ctx context.Context, expr string, r v1.Range) ([]byte, error) {
	form := url.Values{"query": {expr}, "start": {promTime(r.Start)}, "end": {promTime(r.End)},
		"step": {strconv.FormatFloat(r.Step.Seconds(), 'f', -1, 64)}}
	u := a.c.URL("/api/v1/query_range", nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	a.askEncoding(req)
	resp, body, err := a.c.Do(ctx, req)
	if err == nil && (resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusNotImplemented) {
		u.RawQuery = form.Encode()
		if req, err = http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil); err != nil {
			return nil, err
		}
		a.askEncoding(req)
		resp, body, err = a.c.Do(ctx, req)
	}
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, answerError(resp, body)
	}
	// With an explicit Accept-Encoding, Go's transport no longer
	// decompresses, so an encoded answer (a proxy that compresses anyway)
	// would reach the reader as bytes it cannot read.
	if enc := resp.Header.Get("Content-Encoding"); a.opt.UncompressedAnswers && enc != "" && !strings.EqualFold(enc, "identity") {
		return nil, fmt.Errorf("the answer is %.40q-encoded although it was asked uncompressed (a proxy in between?): turn uncompressed answers off", enc)
	}
	return body, nil
}

// askEncoding asks for an uncompressed answer when the options say so;
// otherwise the transport's default stands.
func (a *Allocator) askEncoding(req *http.Request) {
	if a.opt.UncompressedAnswers {
		req.Header.Set("Accept-Encoding", "identity")
	}
}

// answerError is the error of a failed answer: Prometheus's own when the
// body is its JSON error, else the status and the body's first bytes.
func answerError(resp *http.Response, body []byte) error {
	var e struct {
		ErrorType string `json:"errorType"`
		Error     string `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		return fmt.Errorf("prometheus answered %s: %s: %s", resp.Status, e.ErrorType, e.Error)
	}
	const show = 200
	if len(body) > show {
		body = body[:show]
	}
	return fmt.Errorf("prometheus answered %s: %q", resp.Status, body)
}

// promTime is t as Prometheus's API takes it, seconds with decimals.
func promTime(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1e3, 'f', -1, 64)
}

// Dial returns a Querier for the Prometheus at rawURL (no authentication:
// the engine hands in its own configured client). A nil transport uses
// the default one; every answer is bounded to maxBytes (0: the default).
func Dial(rawURL string, rt http.RoundTripper, timeout time.Duration, maxBytes int64) (Querier, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("prometheus url %q: want http(s)://host[:port][/path]", rawURL)
	}
	if rt == nil {
		rt = http.DefaultTransport
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxResponseBytes
	}
	c, err := api.NewClient(api.Config{
		Address: strings.TrimRight(u.String(), "/"),
		Client:  &http.Client{Transport: limitBody{max: maxBytes, next: rt}, Timeout: timeout},
	})
	if err != nil {
		return nil, fmt.Errorf("prometheus client: %w", err)
	}
	return c, nil
}

// limitBody bounds every answer's body; reading past the bound fails with
// *http.MaxBytesError, which the client reports as the query's error.
type limitBody struct {
	max  int64
	next http.RoundTripper
}

func (l limitBody) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > l.max {
		resp.Body.Close()
		return nil, fmt.Errorf("prometheus answer of %d bytes exceeds the bound of %d", resp.ContentLength, l.max)
	}
	resp.Body = http.MaxBytesReader(nil, resp.Body, l.max)
	return resp, nil
}
