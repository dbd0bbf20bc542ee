package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource/file"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource/loki"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/plugin/datadir"
	"github.com/cloudobs/aiops-app/pkg/redact"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// service is everything an app instance needs to explain: the evidence
// gatherer, one pipeline per provider, the history store, the limits and the
// background queue. Expensive parts are built on first use, so an instance
// that only answers health checks opens no database and no cluster client.
type service struct {
	settings Settings
	logger   log.Logger
	metrics  *Metrics
	now      func() time.Time
	histPath string

	// life bounds background work (the webhook workers); Dispose ends it.
	life context.Context
	stop context.CancelFunc

	storeOnce sync.Once
	store     *store.Store
	storeErr  error

	gatherOnce sync.Once
	gatherer   *evidence.Gatherer
	gatherErr  error

	provMu    sync.Mutex
	pipelines map[Provider]providerPipeline

	limiter *rateLimiter
	hub     *hub
	queue   *webhookQueue
}

func newService(s Settings, logger log.Logger, metrics *Metrics, orgID int64) *service {
	life, stop := context.WithCancel(context.Background())
	svc := &service{
		settings:  s,
		logger:    logger,
		metrics:   metrics,
		now:       time.Now,
		histPath:  datadir.HistoryPath(os.Getenv, orgID),
		life:      life,
		stop:      stop,
		pipelines: map[Provider]providerPipeline{},
		limiter:   newRateLimiter(s.Budgets.PerUserPerMinute, time.Minute),
		hub:       newHub(),
	}
	svc.queue = newWebhookQueue(s.WebhookQueueSize, metrics, svc.explainInBackground)
	return svc
}

// close ends background work and releases the store.
func (s *service) close() {
	s.stop()
	s.queue.wait()
	s.storeOnce.Do(func() { s.storeErr = errors.New("the app instance was replaced") })
	if s.store != nil {
		if err := s.store.Close(); err != nil {
			s.logger.Warn("Closing the history store failed", "error", err)
		}
	}
}

// errNoHistory marks requests that need the store when it cannot be opened.
var errNoHistory = errors.New("history store unavailable")

// history opens the store on first use. A corrupt file is moved aside by
// store.Open (with a warning); a store that still cannot be opened leaves
// explaining working without cache or history.
func (s *service) history(ctx context.Context) (*store.Store, error) {
	s.storeOnce.Do(func() {
		s.store, s.storeErr = store.Open(ctx, s.histPath, store.Options{
			RetentionDays: s.settings.HistoryRetentionDays,
			MaxCount:      s.settings.HistoryMaxCount,
			Warn:          func(msg string, args ...any) { s.logger.Warn(msg, args...) },
		})
		if s.storeErr != nil {
			s.logger.Error("History store cannot be opened; explanations will not be cached or kept", "path", s.histPath, "error", s.storeErr)
			return
		}
		if n, err := s.store.Prune(ctx, s.now()); err != nil {
			s.logger.Warn("Pruning history failed", "error", err)
		} else if n > 0 {
			s.logger.Info("Pruned old explanations", "removed", n)
		}
	})
	if s.storeErr != nil {
		return nil, &StatusError{Status: http.StatusServiceUnavailable,
			Message: "the explanation history is unavailable; check that the plugin's data directory (AIOPS_DATA_DIR) is writable",
			Err:     fmt.Errorf("%w: %w", errNoHistory, s.storeErr)}
	}
	return s.store, nil
}

// evidenceGatherer connects the configured evidence sources on first use.
func (s *service) evidenceGatherer() (*evidence.Gatherer, error) {
	s.gatherOnce.Do(func() {
		src, err := EvidenceSources(s.settings)
		if err != nil {
			s.gatherErr = &StatusError{Status: http.StatusServiceUnavailable,
				Message: "an evidence source cannot be set up; open the app's Configuration page and press Test", Err: err}
			return
		}
		s.gatherer = evidence.NewGatherer(src, evidence.Options{})
	})
	return s.gatherer, s.gatherErr
}

// EvidenceSources connects the sources the settings configure; one left
// empty is simply not used (the gatherer notes what is missing). The data
// source's findings query uses the same function.
func EvidenceSources(s Settings) (evidence.Sources, error) {
	var out evidence.Sources
	kc, err := kube.New(kube.Config{Mode: s.Kubernetes.Mode, KubeconfigPath: s.Kubernetes.KubeconfigPath, Context: s.Kubernetes.Context})
	if err != nil {
		return out, fmt.Errorf("kubernetes: %w", err)
	}
	out.Kube = kc
	if s.Prometheus.URL != "" {
		pc, err := prom.New(prom.Config{
			URL: s.Prometheus.URL, AuthType: s.Prometheus.AuthType,
			BasicUser: s.Prometheus.BasicUser, BasicPassword: s.PrometheusPassword(),
			BearerToken: s.PrometheusBearerToken(), SigV4Region: s.Prometheus.SigV4Region,
			CACertPEM: s.Prometheus.CACert, TLSSkipVerify: s.Prometheus.TLSSkipVerify,
		})
		if err != nil {
			return out, fmt.Errorf("prometheus: %w", err)
		}
		out.Prom = pc
	}
	if s.Loki.URL != "" {
		src, err := loki.New(loki.Config{URL: s.Loki.URL})
		if err != nil {
			return out, fmt.Errorf("loki: %w", err)
		}
		out.Logs = append(out.Logs, src)
	}
	if s.LogFiles.Pattern != "" {
		src, err := file.New(file.Config{Pattern: s.LogFiles.Pattern})
		if err != nil {
			return out, fmt.Errorf("logFiles.pattern: %w", err)
		}
		out.Logs = append(out.Logs, logsource.Source(src))
	}
	return out, nil
}

// LLMSettings maps the app settings of one provider to the llm package's.
func LLMSettings(s Settings, p Provider) llm.Settings {
	switch p {
	case ProviderOpenAI:
		return llm.Settings{Provider: llm.NameOpenAI, Model: s.OpenAI.Model, BaseURL: s.OpenAI.BaseURL,
			APIKey: s.OpenAIAPIKey(), Organization: s.OpenAI.Organization, Headers: s.OpenAIHeaders(),
			Azure: s.OpenAI.Azure, APIVersion: s.OpenAI.APIVersion}
	case ProviderOllama:
		return llm.Settings{Provider: llm.NameOllama, Model: s.Ollama.Model, OllamaURL: s.Ollama.URL}
	case ProviderBedrock:
		ls := llm.Settings{Provider: llm.NameBedrock, Model: s.Bedrock.ModelID, Region: s.Bedrock.Region}
		if s.Bedrock.CredentialsMode == CredentialsStatic {
			ls.AccessKey, ls.SecretKey = s.BedrockStaticCredentials()
		}
		return ls
	default:
		return llm.Settings{Provider: llm.NameOffline}
	}
}

// providerConfigured reports whether p has what it needs to be asked: the
// default provider always does (settings validation saw to it); the others
// need their credentials or a non-default endpoint.
func providerConfigured(s Settings, p Provider) bool {
	if p == s.Provider || p == ProviderOffline {
		return true
	}
	switch p {
	case ProviderOpenAI:
		return s.OpenAIAPIKey() != "" || s.OpenAI.BaseURL != defaultOpenAIBaseURL
	case ProviderOllama:
		return s.Ollama.URL != defaultOllamaURL
	case ProviderBedrock:
		return s.Bedrock.Region != ""
	}
	return false
}

// allProviders in the order the UI lists them.
var allProviders = []Provider{ProviderOffline, ProviderOpenAI, ProviderOllama, ProviderBedrock}

// pipeline returns the explain pipeline of provider p ("" = the default).
func (s *service) pipeline(p Provider) (*explain.Pipeline, llm.Provider, error) {
	if p == "" {
		p = s.settings.Provider
	}
	known := false
	for _, k := range allProviders {
		known = known || k == p
	}
	if !known {
		return nil, nil, Errorf(http.StatusBadRequest, "unknown provider %q; use offline, openai, ollama or bedrock", clip(string(p), 32))
	}
	if !providerConfigured(s.settings, p) {
		return nil, nil, Errorf(http.StatusBadRequest, "the %s provider is not configured; an admin can set it up on the app's Configuration page", p)
	}
	s.provMu.Lock()
	defer s.provMu.Unlock()
	if pp, ok := s.pipelines[p]; ok {
		return pp.pipeline, pp.provider, nil
	}
	prov, err := llm.New(LLMSettings(s.settings, p))
	if err != nil {
		return nil, nil, &StatusError{Status: http.StatusServiceUnavailable,
			Message: fmt.Sprintf("the %s provider cannot be set up; check it on the app's Configuration page", p), Err: err}
	}
	pl := explain.New(explain.Config{
		Provider: prov,
		Redactor: redact.New(redact.Options{Emails: s.settings.Redaction.Emails, IPs: s.settings.Redaction.IPs}),
		Now:      s.now,
	})
	s.pipelines[p] = providerPipeline{pipeline: pl, provider: prov}
	return pl, prov, nil
}

// providerPipeline is a provider and the pipeline that asks it.
type providerPipeline struct {
	pipeline *explain.Pipeline
	provider llm.Provider
}

// clip shortens outside text quoted in an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
