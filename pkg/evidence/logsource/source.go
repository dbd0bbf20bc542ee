// Package logsource defines where container logs come from. The Kubernetes
// API, Loki and local files each implement Source, so the evidence collector
// and the log feeder do not care which one a deployment uses.
package logsource

import (
	"context"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Request asks for the logs of a resolved target within a time window.
type Request struct {
	Target incident.Target
	// Pods are the examined pods with their containers; empty when the target
	// was resolved without Kubernetes (labels only).
	Pods []incident.PodState
	// Since and Until bound the window: startsAt minus the lookback, and now.
	Since time.Time
	Until time.Time
	// MaxBytes bounds each returned stream; the newest lines are kept.
	MaxBytes int64
}

// Source fetches container logs.
type Source interface {
	// Name identifies the source in evidence and degraded entries:
	// "kubernetes", "loki" or "file".
	Name() string
	Fetch(ctx context.Context, req Request) ([]incident.LogStream, error)
}

// Pinger is a Source that can check, without fetching logs, that it is
// reachable and authorised, with an error that says what fails: the
// settings page's health check.
type Pinger interface {
	Ping(ctx context.Context) error
}
