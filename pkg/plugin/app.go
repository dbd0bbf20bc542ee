// Package plugin is the Grafana adapter of the app: it turns the instance
// settings Grafana hands over into typed Settings, answers CheckHealth, and
// serves the resource routes. The engine behind it knows nothing of Grafana.
package plugin

import (
	"context"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/plugin/health"
	"github.com/cloudobs/aiops-app/pkg/redact"
)

// ID is the app plugin id, as in plugin.json.
const ID = "cloudobs-aiops-app"

// healthTimeout bounds each dependency check; Grafana's own health call
// times out after 30s, and three checks run concurrently.
const healthTimeout = 5 * time.Second

// App is one instance of the app (one per Grafana org). Grafana replaces it
// whenever the settings change, so it holds them read-only.
type App struct {
	settings    config.Settings
	settingsErr error
	checkers    []health.Checker
	logger      log.Logger
	// scrub removes the configured secrets and the secret catalogue from
	// what the plugin logs and from health answers.
	scrub     *redact.Redactor
	resources backend.CallResourceHandler
	// svc explains, keeps history and runs the webhook queue; nil when the
	// settings are invalid.
	svc *service
}

// Interfaces Grafana calls through the instance manager.
var (
	_ backend.CheckHealthHandler    = (*App)(nil)
	_ backend.CallResourceHandler   = (*App)(nil)
	_ backend.StreamHandler         = (*App)(nil)
	_ instancemgmt.InstanceDisposer = (*App)(nil)
)

// NewApp is the instance factory given to app.Manage. Invalid settings do not
// fail it: the instance still starts, so that CheckHealth and every resource
// call can say exactly which field is wrong.
func NewApp(ctx context.Context, s backend.AppInstanceSettings) (instancemgmt.Instance, error) {
	settings, err := config.ParseSettings(s.JSONData, s.DecryptedSecureJSONData)
	scrub := redact.New(redact.Options{Known: settings.SecretValues()})
	logger := scrubbingLogger{next: backend.Logger.FromContext(ctx), r: scrub}
	a := &App{settings: settings, settingsErr: err, logger: logger, scrub: scrub}
	if err != nil {
		logger.Warn("App settings are invalid", "error", err)
	} else {
		a.svc = newService(settings, logger, NewMetrics(prometheus.DefaultRegisterer), backend.PluginConfigFromContext(ctx).OrgID)
		a.checkers = dependencyCheckers(a.svc.engine)
		logger.Info("App instance created", "settings", settings.String())
	}
	a.resources = httpadapter.New(a.routes())
	return a, nil
}

// Dispose is called when Grafana replaces the instance after a settings change.
// The old instance's background work stops and its store is closed.
func (a *App) Dispose() {
	if a.svc != nil {
		a.svc.close()
	}
}

// Settings returns the parsed settings and the validation error, if any.
func (a *App) Settings() (config.Settings, error) { return a.settings, a.settingsErr }

// CallResource serves /api/plugins/cloudobs-aiops-app/resources/*.
func (a *App) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	return a.resources.CallResource(ctx, req, sender)
}

// routes is the one place resource routes are declared. Adding one is one
// line: a Go 1.22 pattern and an apiHandler.
func (a *App) routes() http.Handler {
	mux := http.NewServeMux()
	// The dependency report names hosts and their states: it is the
	// Configuration page's (Admin) like the settings, and Grafana's own
	// CheckHealth is an admin's call too.
	a.handle(mux, "GET /health", a.require(adminRole, a.getHealth))
	a.handle(mux, "GET /settings", a.require(adminRole, a.getSettings))
	a.handle(mux, "POST /explain", a.require(a.explainRole, a.postExplain))
	a.handle(mux, "POST /summarize", a.require(a.explainRole, a.postSummarize))
	a.handle(mux, "GET /explanations", a.require(a.explainRole, a.getExplanations))
	a.handle(mux, "GET /explanations/{id}", a.require(a.explainRole, a.getExplanation))
	a.handle(mux, "POST /explanations/{id}/feedback", a.require(a.explainRole, a.postFeedback))
	a.handle(mux, "POST /webhook/alertmanager", a.postWebhook)
	a.handle(mux, "GET /providers", a.require(a.explainRole, a.getProviders))
	a.handle(mux, "GET /models", a.require(a.explainRole, a.getModels))
	a.handle(mux, "GET /usage", a.require(a.explainRole, a.getUsage))
	a.handle(mux, "GET /watch/findings", a.require(a.explainRole, a.getWatchFindings))
	mux.Handle("/", a.api(notFound(mux)))
	return mux
}

func (a *App) handle(mux *http.ServeMux, pattern string, h apiHandler) {
	mux.Handle(pattern, a.api(h))
}
