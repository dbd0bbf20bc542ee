package promlocal_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/promlocal"
	"github.com/cloudobs/aiops-app/pkg/promlocal/promlocaltest"
)

// instantQuery evaluates expr at the unix time at and returns the first
// sample's value as Prometheus prints it.
func instantQuery(t *testing.T, base, expr, at string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?" + url.Values{"query": {expr}, "time": {at}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Status != "success" || len(body.Data.Result) == 0 {
		return ""
	}
	v, _ := body.Data.Result[0].Value[1].(string)
	return v
}

func TestFromOpenMetricsServesBackfilledData(t *testing.T) {
	s := promlocaltest.FromOpenMetrics(t, filepath.Join("testdata", "tiny.om"))
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL %q is not on loopback", s.URL())
	}
	tests := []struct{ expr, at, want string }{
		{`promlocal_fixture_temperature{room="lab"}`, "1795167000", "20"},
		{`promlocal_fixture_temperature{room="lab"}`, "1795168800", "80"},
		// Between samples the last one before counts (lookback).
		{`promlocal_fixture_temperature{room="lab"}`, "1795167045", "21"},
		{`max_over_time(promlocal_fixture_temperature[30m])`, "1795168800", "80"},
		// Before the first sample there is nothing.
		{`promlocal_fixture_temperature`, "1795166000", ""},
	}
	for _, tc := range tests {
		if got := instantQuery(t, s.URL(), tc.expr, tc.at); got != tc.want {
			t.Errorf("%s @%s = %q, want %q", tc.expr, tc.at, got, tc.want)
		}
	}
}

func TestCloseStopsAndCleansUp(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte("global:\n  scrape_interval: 1m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	s, err := promlocal.Start(context.Background(), cfg, promlocal.Options{DataDir: dataDir})
	needInstalled(t, err)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := http.Get(s.URL() + "/-/ready"); err == nil {
		t.Error("prometheus still answers after Close")
	}
	// A caller's data directory is kept.
	if _, err := os.Stat(dataDir); err != nil {
		t.Errorf("data dir removed: %v", err)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	_, err := promlocal.FromOpenMetrics(ctx, "testdata/tiny.om", promlocal.Options{PromtoolBin: "/nonexistent/promtool"})
	if !errors.Is(err, promlocal.ErrNotInstalled) || !strings.Contains(err.Error(), "apt-get install prometheus") {
		t.Errorf("missing promtool: got %v", err)
	}
	_, err = promlocal.Start(ctx, "testdata/missing.yml", promlocal.Options{})
	if err == nil || !strings.Contains(err.Error(), "prometheus config") {
		t.Errorf("missing config: got %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.om")
	if err := os.WriteFile(bad, []byte("not openmetrics at all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = promlocal.FromOpenMetrics(ctx, bad, promlocal.Options{})
	if errors.Is(err, promlocal.ErrNotInstalled) {
		t.Skipf("SKIP: %v", err)
	}
	if err == nil || !strings.Contains(err.Error(), "promtool backfill") {
		t.Errorf("bad fixture: got %v", err)
	}
	badCfg := filepath.Join(t.TempDir(), "bad.yml")
	if err := os.WriteFile(badCfg, []byte("scrape_configs: [[[\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = promlocal.Start(ctx, badCfg, promlocal.Options{})
	if err == nil || !strings.Contains(err.Error(), "exited during start-up") {
		t.Errorf("bad config: got %v", err)
	}
}

// A backfill kept in a directory is served again by a later Prometheus, as
// the FinOps benchmark reuses its cached fixture.
func TestBackfillIsServedAgainFromTheSameDirectory(t *testing.T) {
	dir := t.TempDir()
	err := promlocal.Backfill(context.Background(), filepath.Join("testdata", "tiny.om"), dir, promlocal.Options{BlockDuration: 18 * time.Hour})
	needInstalled(t, err)
	for run := range 2 {
		s := promlocaltest.FromTSDBWith(t, dir, promlocal.Options{})
		if got := instantQuery(t, s.URL(), `promlocal_fixture_temperature{room="lab"}`, "1795168800"); got != "80" {
			t.Errorf("run %d: temperature = %q, want 80", run, got)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("the data directory is gone after Close: %v", err)
	}
	if err := promlocal.Backfill(context.Background(), filepath.Join("testdata", "tiny.om"), dir, promlocal.Options{BlockDuration: -time.Hour}); err == nil {
		t.Error("a negative block duration was accepted")
	}
}

// needInstalled fails the test on err, but skips it (outside CI) when the
// Prometheus binaries are missing.
func needInstalled(t *testing.T, err error) {
	t.Helper()
	if errors.Is(err, promlocal.ErrNotInstalled) {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skipf("SKIP: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
}
