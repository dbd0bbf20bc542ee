package health

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxBody bounds how much of an upstream's answer a check reads.
const maxBody = 1 << 20

// getJSON GETs rawURL and decodes a 200 answer into out. Any other status is
// an error that quotes the start of the body, where upstreams put the reason.
func getJSON(ctx context.Context, client *http.Client, rawURL string, header http.Header, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", redactURL(rawURL), unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("GET %s: read answer: %w", redactURL(rawURL), err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d: %s", redactURL(rawURL), resp.StatusCode, snippet(body))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("GET %s: answer is not the expected JSON: %w", redactURL(rawURL), err)
	}
	return nil
}

// joinURL appends path to base, keeping the base's own path (gateways often
// mount APIs under a prefix).
func joinURL(base, path string, query url.Values) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("parse base URL: %w", err)
	}
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawPath = ""
	if query != nil {
		u.RawQuery = query.Encode()
	}
	return u.String(), nil
}

// redactURL drops the query string, which may hold keys or tokens.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid URL>"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// unwrapURLError strips *url.Error's "Get <url>:" prefix, which repeats the
// URL with its query string.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	if s == "" {
		return "(empty body)"
	}
	return s
}
