package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/llm"
)

// ErrNotConfigured is what a Check returns for a dependency that is off; it
// is not a failure.
var ErrNotConfigured = errors.New("not configured")

// Check probes one dependency with the same clients the explanations use:
// on success a short description of what answered, on failure why not.
type Check struct {
	Name string
	Run  func(ctx context.Context) (string, error)
}

// Checks are the health checks of the default provider and of every
// evidence source, each built on its own so that one broken source does
// not hide the state of the others.
func (e *Engine) Checks() []Check {
	s := e.cfg
	return []Check{
		{Name: "llm", Run: e.checkProvider},
		{Name: "prometheus", Run: func(ctx context.Context) (string, error) {
			if s.Prometheus.URL == "" {
				return "set prometheus.url to read the alert's metrics", ErrNotConfigured
			}
			pc, err := promSource(s)
			if err != nil {
				return "", err
			}
			if err := pc.Health(ctx); err != nil {
				return "", err
			}
			return "prometheus answers a query at " + s.Prometheus.URL, nil
		}},
		{Name: "kubernetes", Run: func(ctx context.Context) (string, error) {
			kc, err := kubeSource(s)
			switch {
			case err != nil:
				return "", err
			case kc == nil:
				return "set kubernetes.mode to incluster or kubeconfig to collect pod state, events and logs", ErrNotConfigured
			}
			version, err := kc.Ping(ctx)
			if err != nil {
				return "", err
			}
			return "kubernetes " + version, nil
		}},
		{Name: "logs", Run: func(ctx context.Context) (string, error) {
			var src evidence.Sources
			if err := addLogSources(ctx, s, &src); err != nil {
				return "", err
			}
			if len(src.Logs) == 0 {
				return "logs come from the Kubernetes API only; set loki, cloudwatch or logFiles for more", ErrNotConfigured
			}
			var names []string
			for _, l := range src.Logs {
				if p, ok := l.(logsource.Pinger); ok {
					if err := p.Ping(ctx); err != nil {
						return "", fmt.Errorf("%s: %w", l.Name(), err)
					}
				}
				names = append(names, l.Name())
			}
			return fmt.Sprintf("%v answer", names), nil
		}},
		{Name: "traces", Run: func(ctx context.Context) (string, error) {
			tc, err := traceSource(s)
			switch {
			case err != nil:
				return "", err
			case tc == nil:
				return "set traces.backend and traces.url to read the target's traces", ErrNotConfigured
			}
			if err := tc.Ping(ctx); err != nil {
				return "", err
			}
			return tc.Name() + " answers at " + s.Traces.URL, nil
		}},
	}
}

// checkProvider asks the default provider's own Health.
func (e *Engine) checkProvider(ctx context.Context) (string, error) {
	prov, err := e.Provider("")
	if err != nil {
		return "", err
	}
	if llm.IsOffline(prov) {
		return "offline: explanations come from the analyzers alone", nil
	}
	if err := prov.Health(ctx); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s model %s available", prov.Name(), prov.Model()), nil
}
