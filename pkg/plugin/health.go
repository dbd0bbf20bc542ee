package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/plugin/health"
)

// CheckHealth answers the "Test" button of the app's Configuration page with
// one line per dependency and the full report as details.
func (a *App) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	report := a.healthReport(ctx)
	details, err := json.Marshal(report)
	if err != nil {
		return nil, fmt.Errorf("encode health report: %w", err)
	}
	status := backend.HealthStatusOk
	if report.Status == health.StatusFailing {
		status = backend.HealthStatusError
	}
	return &backend.CheckHealthResult{Status: status, Message: report.Summary(), JSONDetails: details}, nil
}

func (a *App) getHealth(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, a.healthReport(r.Context()))
	return nil
}

// healthReport checks the dependencies, or reports the settings themselves
// as failing when they are invalid: checking with half-read settings would
// report misleading results.
func (a *App) healthReport(ctx context.Context) health.Report {
	if a.settingsErr != nil {
		return health.Report{Status: health.StatusFailing, Dependencies: []health.Dependency{{
			Name: "settings", Status: health.StatusFailing,
			Message: strings.ReplaceAll(a.settingsErr.Error(), "\n", "; "),
		}}}
	}
	report := health.Run(ctx, healthTimeout, a.checkers...)
	// Upstreams' errors may quote the credentials they were sent.
	for i := range report.Dependencies {
		report.Dependencies[i].Message = a.scrub.String(report.Dependencies[i].Message)
	}
	return report
}

// dependencyCheckers are the engine's checks: the provider's own Health
// and the Ping of each evidence source, with the clients explanations use.
func dependencyCheckers(e *engine.Engine) []health.Checker {
	var out []health.Checker
	for _, c := range e.Checks() {
		out = append(out, health.Func(c.Name, func(ctx context.Context) (string, error) {
			msg, err := c.Run(ctx)
			if errors.Is(err, engine.ErrNotConfigured) {
				return msg, health.ErrNotConfigured
			}
			return msg, err
		}))
	}
	return out
}
