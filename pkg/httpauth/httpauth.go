// Package httpauth is how every outbound HTTP client of the app presents
// itself: basic or bearer credentials, a tenant header for multi-tenant
// Grafana stacks (Loki, Tempo, Mimir) and extra headers (gateways in front
// of a model). One RoundTripper adds them to a clone of each request, so
// the Prometheus, Loki, Tempo, Jaeger and model clients cannot drift apart
// in what they send.
package httpauth

import (
	"errors"
	"net/http"
)

// TenantHeader carries the tenant of a multi-tenant Grafana backend.
const TenantHeader = "X-Scope-OrgID"

// Credentials are what a client sends with every request.
type Credentials struct {
	BasicUser, BasicPassword string
	BearerToken              string
	// TenantID is sent as X-Scope-OrgID.
	TenantID string
	// Headers are added as they are (they may hold secrets: never log them).
	Headers map[string]string
}

// ErrBasicAndBearer is returned by Validate when both schemes are set.
var ErrBasicAndBearer = errors.New("set a bearer token or basic auth, not both")

// Validate refuses credentials that would send two Authorization schemes.
func (c Credentials) Validate() error {
	if c.BearerToken != "" && c.BasicUser != "" {
		return ErrBasicAndBearer
	}
	return nil
}

// Transport returns next wrapped so that each request carries c; with
// nothing to add it returns next itself. A nil next means
// http.DefaultTransport.
func Transport(c Credentials, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if c.BasicUser == "" && c.BearerToken == "" && c.TenantID == "" && len(c.Headers) == 0 {
		return next
	}
	return roundTripper{c: c, next: next}
}

// Client returns base (or a new client) with its transport wrapped by
// Transport; base itself is not changed.
func Client(c Credentials, base *http.Client) *http.Client {
	out := &http.Client{}
	if base != nil {
		*out = *base
	}
	out.Transport = Transport(c, out.Transport)
	return out
}

type roundTripper struct {
	c    Credentials
	next http.RoundTripper
}

func (t roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range t.c.Headers {
		r.Header.Set(k, v)
	}
	if t.c.TenantID != "" {
		r.Header.Set(TenantHeader, t.c.TenantID)
	}
	switch {
	case t.c.BearerToken != "":
		r.Header.Set("Authorization", "Bearer "+t.c.BearerToken)
	case t.c.BasicUser != "":
		r.SetBasicAuth(t.c.BasicUser, t.c.BasicPassword)
	}
	return t.next.RoundTrip(r)
}
