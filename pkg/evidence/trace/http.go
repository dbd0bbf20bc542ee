package trace

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/httpauth"
	"github.com/cloudobs/aiops-app/pkg/netguard"
)

// MaxResponseBytes bounds one backend response.
const MaxResponseBytes = 16 << 20

// HTTPConfig is how to reach a backend over HTTP.
type HTTPConfig struct {
	URL string
	// BearerToken or BasicUser/BasicPassword authenticate, not both.
	BearerToken              string
	BasicUser, BasicPassword string
	// TenantID is sent as X-Scope-OrgID (multi-tenant Tempo).
	TenantID string
	// HTTPClient replaces the default client, whose dials Guard checks.
	HTTPClient *http.Client
	Guard      netguard.Policy
}

type httpClient struct {
	name   string
	cfg    HTTPConfig
	base   *url.URL
	client *http.Client
}

func newHTTPClient(name string, cfg HTTPConfig) (*httpClient, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s url %q: want http(s)://host[:port][/path]", name, cfg.URL)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	creds := httpauth.Credentials{BasicUser: cfg.BasicUser, BasicPassword: cfg.BasicPassword, BearerToken: cfg.BearerToken, TenantID: cfg.TenantID}
	if err := creds.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second, Transport: cfg.Guard.Transport()}
	}
	return &httpClient{name: name, cfg: cfg, base: u, client: httpauth.Client(creds, client)}, nil
}

// get fetches path?query and returns the body of a 200 answer.
func (c *httpClient) get(ctx context.Context, path string, query url.Values) ([]byte, error) {
	u := *c.base
	u.Path += path
	u.RawQuery = query.Encode()
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s request: %w", c.name, err)
	}
	r.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(r)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.name, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: read response: %w", c.name, path, err)
	}
	if len(body) > MaxResponseBytes {
		return nil, fmt.Errorf("%s %s: response larger than %d bytes", c.name, path, MaxResponseBytes)
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("%s %s: HTTP %d: %s", c.name, path, resp.StatusCode, excerpt(body))
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			err = fmt.Errorf("%w (check the %s credentials and tenant)", err, c.name)
		}
		return nil, err
	}
	return body, nil
}

func excerpt(b []byte) string {
	const n = 300
	s := strings.Join(strings.Fields(string(b[:min(len(b), n)])), " ")
	if len(b) > n {
		s += "..."
	}
	return s
}
