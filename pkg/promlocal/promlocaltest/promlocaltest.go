// Package promlocaltest starts a real Prometheus for a test and stops it at
// the test's end. Without the binaries the test is skipped loudly on a
// developer machine and fails in CI (CI=true), where they must be installed.
package promlocaltest

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/promlocal"
)

// FromOpenMetrics serves the OpenMetrics fixture at omPath for the test.
func FromOpenMetrics(t testing.TB, omPath string) *promlocal.Server {
	t.Helper()
	return FromOpenMetricsWith(t, omPath, promlocal.Options{})
}

// FromOpenMetricsWith is FromOpenMetrics with options, such as a longer
// start-up for a benchmark's large backfill.
func FromOpenMetricsWith(t testing.TB, omPath string, opt promlocal.Options) *promlocal.Server {
	t.Helper()
	s, err := promlocal.FromOpenMetrics(context.Background(), omPath, opt)
	return handle(t, s, err)
}

// Start runs Prometheus with configPath for the test.
func Start(t testing.TB, configPath string) *promlocal.Server {
	t.Helper()
	s, err := promlocal.Start(context.Background(), configPath, promlocal.Options{})
	return handle(t, s, err)
}

func handle(t testing.TB, s *promlocal.Server, err error) *promlocal.Server {
	t.Helper()
	if errors.Is(err, promlocal.ErrNotInstalled) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs prometheus and promtool: %v", err)
		}
		t.Skipf("SKIP: %v", err)
	}
	if err != nil {
		t.Fatalf("start prometheus: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("stop prometheus: %v", err)
		}
	})
	return s
}

// FromTSDBWith serves the blocks already in dataDir (see promlocal.Backfill)
// for the test and leaves them in place.
func FromTSDBWith(t testing.TB, dataDir string, opt promlocal.Options) *promlocal.Server {
	t.Helper()
	s, err := promlocal.FromTSDB(context.Background(), dataDir, opt)
	return handle(t, s, err)
}
