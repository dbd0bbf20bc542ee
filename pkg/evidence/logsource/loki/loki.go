// Package loki fetches container logs from Loki's HTTP API. It serves pods
// that are gone from Kubernetes and stacks without Kubernetes, such as the
// docker-compose dev instance, where logs carry service_name/app labels.
package loki

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/httpauth"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/netguard"
)

// Defaults and bounds.
const (
	DefaultLimit = 2000
	// MaxLimit is Loki's own default max_entries_limit_per_query.
	MaxLimit = 5000
	// DefaultMaxBytes bounds a stream when the request does not.
	DefaultMaxBytes = 256 << 10
	// MaxResponseBytes bounds one response body.
	MaxResponseBytes = 32 << 20
	// MaxLineBytes bounds one line; longer ones are cut with a marker.
	MaxLineBytes = 16 << 10
	// defaultWindow is used when the request has no start.
	defaultWindow = time.Hour
)

// Config says where Loki is and how to reach it.
type Config struct {
	URL string
	// TenantID is sent as X-Scope-OrgID for multi-tenant Loki.
	TenantID                 string
	BearerToken              string
	BasicUser, BasicPassword string
	// HTTPClient replaces the default client, whose dials Guard checks.
	HTTPClient *http.Client
	Guard      netguard.Policy
	// Limit is the most lines asked for per query (default 2000, at most 5000).
	Limit int
}

// Source reads logs from Loki. It implements logsource.Source.
type Source struct {
	cfg    Config
	base   *url.URL
	client *http.Client
}

var (
	_ logsource.Source = (*Source)(nil)
	_ logsource.Pinger = (*Source)(nil)
)

// New checks the configuration; it makes no request.
func New(cfg Config) (*Source, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("loki url %q: want http(s)://host[:port][/path]", cfg.URL)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	creds := httpauth.Credentials{BasicUser: cfg.BasicUser, BasicPassword: cfg.BasicPassword, BearerToken: cfg.BearerToken, TenantID: cfg.TenantID}
	if err := creds.Validate(); err != nil {
		return nil, fmt.Errorf("loki: %w", err)
	}
	if cfg.Limit <= 0 {
		cfg.Limit = DefaultLimit
	}
	cfg.Limit = min(cfg.Limit, MaxLimit)
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second, Transport: cfg.Guard.Transport()}
	}
	return &Source{cfg: cfg, base: u, client: httpauth.Client(creds, client)}, nil
}

// Name identifies the source in evidence and degraded entries.
func (s *Source) Name() string { return "loki" }

// Fetch tries the selectors for the target in order (exact pods first, then
// the workload's pod names, then service labels) and returns the streams of
// the first that has logs, one per pod and container, oldest line first.
func (s *Source) Fetch(ctx context.Context, req logsource.Request) ([]incident.LogStream, error) {
	if req.Until.IsZero() {
		return nil, errors.New("loki: the window has no end (until)")
	}
	since := req.Since
	if since.IsZero() {
		since = req.Until.Add(-defaultWindow)
	}
	if !since.Before(req.Until) {
		return nil, fmt.Errorf("loki: empty window [%s, %s]", since.Format(time.RFC3339), req.Until.Format(time.RFC3339))
	}
	maxBytes := req.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	selectors := Selectors(req.Target, req.Pods)
	if len(selectors) == 0 {
		return nil, errors.New("loki: the target names no namespace, pod, workload or service to select logs by")
	}
	for _, sel := range selectors {
		streams, err := s.queryRange(ctx, sel, since, req.Until)
		if err != nil {
			return nil, err
		}
		if len(streams) > 0 {
			return group(streams, req.Target, maxBytes, s.cfg.Limit), nil
		}
	}
	return nil, nil
}

// queryRange runs one LogQL selector over the window, newest lines first.
func (s *Source) queryRange(ctx context.Context, selector string, since, until time.Time) ([]stream, error) {
	body, err := s.get(ctx, "/loki/api/v1/query_range", url.Values{
		"query":     {selector},
		"start":     {strconv.FormatInt(since.UnixNano(), 10)},
		"end":       {strconv.FormatInt(until.UnixNano(), 10)},
		"limit":     {strconv.Itoa(s.cfg.Limit)},
		"direction": {"backward"},
	})
	if err != nil {
		return nil, fmt.Errorf("loki query %s: %w", selector, err)
	}
	streams, err := decode(body)
	if err != nil {
		return nil, fmt.Errorf("loki query %s: %w", selector, err)
	}
	return streams, nil
}

// Ping lists the label names of the last hour: unlike /ready it goes
// through a gateway's auth and needs the tenant, which is what fails in
// practice.
func (s *Source) Ping(ctx context.Context) error {
	now := time.Now()
	body, err := s.get(ctx, "/loki/api/v1/labels", url.Values{
		"start": {strconv.FormatInt(now.Add(-time.Hour).UnixNano(), 10)},
		"end":   {strconv.FormatInt(now.UnixNano(), 10)},
	})
	if err != nil {
		return fmt.Errorf("loki ping: %w", err)
	}
	var ans struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(body, &ans); err != nil || ans.Status != "success" {
		return fmt.Errorf("loki ping: %s does not answer like Loki: %s", s.base.Redacted(), excerpt(body))
	}
	return nil
}

// get fetches path?query with the tenant and credentials and returns the
// body of a 200 answer, bounded.
func (s *Source) get(ctx context.Context, path string, query url.Values) ([]byte, error) {
	u := *s.base
	u.Path += path
	u.RawQuery = query.Encode()
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	resp, err := s.client.Do(r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if len(body) > MaxResponseBytes {
		return nil, fmt.Errorf("response larger than %d bytes", MaxResponseBytes)
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("HTTP %d: %s", resp.StatusCode, excerpt(body))
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			err = fmt.Errorf("%w (check the Loki credentials and tenant)", err)
		}
		return nil, err
	}
	return body, nil
}

// excerpt is the start of an error body, on one line: Loki explains
// errors in plain text.
func excerpt(b []byte) string {
	const n = 300
	s := strings.Join(strings.Fields(string(b[:min(len(b), n)])), " ")
	if len(b) > n {
		s += "..."
	}
	return s
}
