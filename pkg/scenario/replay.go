package scenario

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/finops"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/kubeapi"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/promlocal"
)

// Replayer replays scenarios through the product: kube/ and logs/ are served
// by a local Kubernetes API that client-go talks to, metrics.om is backfilled
// into a real Prometheus, and the explain pipeline (evidence gatherer,
// analyzers, the chosen provider) answers the alert at the scenario's time.
type Replayer struct {
	// Provider answers; nil is the offline provider (the analyzers alone).
	Provider llm.Provider
	// Prometheus tunes the Prometheus started for each scenario.
	Prometheus promlocal.Options
	// WithoutMetrics skips Prometheus (it is not installed); explanations
	// are then made without metrics.
	WithoutMetrics bool
	// Evidence tunes the gatherer; zero values are the product's defaults.
	Evidence evidence.Options
	// Degraded, when set, hears about evidence sources that failed during a
	// replay: they make the answer weaker without failing the scenario.
	Degraded func(s *Scenario, d incident.Degraded)
}

// Explain replays one scenario and returns the pipeline's explanation.
func (r *Replayer) Explain(ctx context.Context, s *Scenario) (incident.Explanation, error) {
	kubeServer, err := ServeKube(s)
	if err != nil {
		return incident.Explanation{}, err
	}
	defer kubeServer.Close()
	now := s.Now
	kubeCollector, err := kube.New(kube.Config{RESTConfig: kubeServer.RESTConfig()})
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("connect to the local Kubernetes API: %w", err)
	}

	var promCollector *prom.Collector
	var cost evidence.CostSource
	metricsPath := filepath.Join(s.Dir, MetricsFile)
	if _, statErr := os.Stat(metricsPath); statErr == nil && !r.WithoutMetrics {
		promServer, err := promlocal.FromOpenMetrics(ctx, metricsPath, r.Prometheus)
		if err != nil {
			return incident.Explanation{}, fmt.Errorf("%s: %w", metricsPath, err)
		}
		defer promServer.Close()
		if promCollector, err = prom.New(prom.Config{URL: promServer.URL()}); err != nil {
			return incident.Explanation{}, fmt.Errorf("connect to the local Prometheus: %w", err)
		}
		if cost, err = evidence.NewCostSource(prom.Config{URL: promServer.URL()}, finops.DefaultPricing()); err != nil {
			return incident.Explanation{}, fmt.Errorf("connect to the local Prometheus: %w", err)
		}
	}

	gatherer := evidence.NewGatherer(evidence.Sources{Kube: kubeCollector, Prom: promCollector, Cost: cost}, r.Evidence)
	pipeline := explain.New(explain.Config{
		Gatherer: gatherer,
		Provider: r.Provider,
		Now:      func() time.Time { return now },
		IDs:      func() string { return "ex_replay_" + s.Name },
	})
	e, err := pipeline.Explain(ctx, explain.Request{Alert: s.Alert})
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("explain: %w", err)
	}
	if r.Degraded != nil {
		for _, d := range e.Degraded {
			r.Degraded(s, d)
		}
	}
	return e, nil
}

// ServeKube serves the scenario's kube/ objects and logs/ as a Kubernetes API
// on 127.0.0.1, its clock at the scenario's time, for client-go to read.
// Close the server when done.
func ServeKube(s *Scenario) (*kubeapi.Server, error) {
	objects, err := loadObjects(filepath.Join(s.Dir, KubeDir))
	if err != nil {
		return nil, err
	}
	logs, err := kubeapi.LoadLogs(filepath.Join(s.Dir, LogsDir))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(s.Dir, LogsDir), err)
	}
	now := s.Now
	api, err := kubeapi.New(kubeapi.Config{Objects: objects, Logs: logs, Now: func() time.Time { return now }})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(s.Dir, KubeDir), err)
	}
	srv, err := api.Start()
	if err != nil {
		return nil, fmt.Errorf("start the local Kubernetes API: %w", err)
	}
	return srv, nil
}

// loadObjects reads kube/; a scenario without it replays with an empty
// cluster (an alert about something outside Kubernetes).
func loadObjects(dir string) ([]kubeapi.Object, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	objects, err := kubeapi.LoadObjects(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return objects, nil
}
