package finops

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// DefaultMaxResponseBytes bounds one Prometheus answer. An allocation's
// answers are one point per container and bucket: 50,000 containers at a
// hundred bytes each for the table form.
const DefaultMaxResponseBytes = 256 << 20

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
	return v1.NewAPI(c), nil
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
