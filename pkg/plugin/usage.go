package plugin

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/store"
)

type providerView struct {
	Name       string `json:"name"`
	Configured bool   `json:"configured"`
	Default    bool   `json:"default"`
	Model      string `json:"model,omitempty"`
}

// getProviders serves GET /providers: what "Explain with another provider"
// may offer.
func (a *App) getProviders(w http.ResponseWriter, _ *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	out := struct {
		Providers []providerView `json:"providers"`
	}{}
	for _, p := range config.Providers {
		out.Providers = append(out.Providers, providerView{Name: string(p), Configured: a.settings.ProviderConfigured(p),
			Default: p == a.settings.Provider, Model: engine.LLMSettings(a.settings, p).Model})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// modelsTimeout bounds the model listing; it is a UI drop-down.
const modelsTimeout = 10 * time.Second

// getModels serves GET /models[?provider=]: the models the provider offers.
func (a *App) getModels(w http.ResponseWriter, r *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	prov, err := a.svc.engine.Provider(config.Provider(strings.ToLower(strings.TrimSpace(r.URL.Query().Get("provider")))))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), modelsTimeout)
	defer cancel()
	models, err := prov.Models(ctx)
	if err != nil {
		return &StatusError{Status: http.StatusBadGateway,
			Message: "the " + prov.Name() + " provider did not list its models; check it on the app's Configuration page", Err: err}
	}
	if models == nil {
		models = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"provider": prov.Name(), "models": models})
	return nil
}

type usageResponse struct {
	Days   []store.UsageDay `json:"days"`
	Budget engine.Budget    `json:"budget"`
}

// maxUsageDays bounds one usage query.
const maxUsageDays = 366

// getUsage serves GET /usage?from=&to= (RFC3339, durations or Unix ms; the
// default is the last 30 days).
func (a *App) getUsage(w http.ResponseWriter, r *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	now := a.svc.engine.Now()
	from, to := now.AddDate(0, 0, -30), now
	q := r.URL.Query()
	var err error
	if v := strings.TrimSpace(q.Get("from")); v != "" {
		if from, err = parseSince(v, now); err != nil {
			return err
		}
	}
	if v := strings.TrimSpace(q.Get("to")); v != "" {
		if to, err = parseSince(v, now); err != nil {
			return err
		}
	}
	if to.Before(from) {
		return Errorf(http.StatusBadRequest, "to is before from")
	}
	if to.Sub(from) > maxUsageDays*24*time.Hour {
		return Errorf(http.StatusBadRequest, "ask for at most %d days at once", maxUsageDays)
	}
	st, err := a.svc.engine.Store(r.Context())
	if err != nil {
		return err
	}
	days, err := st.Usage(r.Context(), from, to)
	if err != nil {
		return err
	}
	if days == nil {
		days = []store.UsageDay{}
	}
	b, err := a.svc.engine.Budget(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, usageResponse{Days: days, Budget: b})
	return nil
}
