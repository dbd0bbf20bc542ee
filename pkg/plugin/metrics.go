package plugin

import (
	"errors"

	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/watch"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the app's self-observability series. Grafana scrapes them
// through the SDK (the plugin's /metrics endpoint in Grafana); they count
// what the app does, never what it was told (no alert text, no secrets).
type Metrics struct {
	Explanations *prometheus.CounterVec
	ModelLatency *prometheus.HistogramVec
	Tokens       *prometheus.CounterVec
	CostUSD      *prometheus.CounterVec
	CacheHits    prometheus.Counter
	QueueDepth   prometheus.Gauge
	WebhookDrops *prometheus.CounterVec
	// The log watch's own cost and health (one series per watched
	// namespace at most, and the settings allow 20).
	WatchPolls      prometheus.Counter
	WatchLines      prometheus.Counter
	WatchFindings   *prometheus.CounterVec
	WatchErrors     *prometheus.CounterVec
	WatchDuration   prometheus.Histogram
	WatchTemplates  prometheus.Gauge
	WatchContainers prometheus.Gauge
}

// NewMetrics creates the collectors and registers them with reg. Grafana
// replaces app instances on every settings change, so registering twice is
// normal: the already registered collectors are reused.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Explanations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "aiops", Name: "explanations_total",
			Help: "Explanations served, by provider, root-cause category and outcome (ok, cached, error, cancelled).",
		}, []string{"provider", "category", "outcome"}),
		ModelLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "aiops", Name: "model_latency_seconds",
			Help:    "Time spent waiting for the language model per explanation.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60},
		}, []string{"provider", "model"}),
		Tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "aiops", Name: "tokens_total",
			Help: "Language-model tokens used, by provider, model and kind (prompt, completion).",
		}, []string{"provider", "model", "kind"}),
		CostUSD: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "aiops", Name: "cost_usd_total",
			Help: "Estimated language-model spend in US dollars.",
		}, []string{"provider", "model"}),
		CacheHits: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "aiops", Name: "cache_hits_total",
			Help: "Explanations answered from the cache without a model call.",
		}),
		QueueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "aiops", Name: "webhook_queue_depth",
			Help: "Firing alerts waiting to be explained in the background.",
		}),
		WebhookDrops: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "aiops", Name: "webhook_alerts_total",
			Help: "Webhook alerts by what happened to them (queued, duplicate, resolved, full).",
		}, []string{"result"}),
		WatchPolls: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "aiops", Name: "watch_polls_total",
			Help: "Polls of the background log watch.",
		}),
		WatchLines: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "aiops", Name: "watch_lines_total",
			Help: "Log lines the log watch read and mined.",
		}),
		WatchFindings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "aiops", Name: "watch_findings_total",
			Help: "Findings the log watch raised, by kind (NewErrorTemplate, LogTemplateSurge).",
		}, []string{"kind"}),
		WatchErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "aiops", Name: "watch_poll_errors_total",
			Help: "Pod listings and container logs the log watch could not read, by namespace.",
		}, []string{"namespace"}),
		WatchDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "aiops", Name: "watch_poll_duration_seconds",
			Help:    "Wall time of one log watch poll over every watched namespace.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60},
		}),
		WatchTemplates: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "aiops", Name: "watch_templates",
			Help: "Log templates the log watch holds, over every workload (bounded per workload).",
		}),
		WatchContainers: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "aiops", Name: "watch_containers",
			Help: "Containers the latest log watch poll read.",
		}),
	}
	m.Explanations = register(reg, m.Explanations)
	m.ModelLatency = register(reg, m.ModelLatency)
	m.Tokens = register(reg, m.Tokens)
	m.CostUSD = register(reg, m.CostUSD)
	m.CacheHits = register(reg, m.CacheHits)
	m.QueueDepth = register(reg, m.QueueDepth)
	m.WebhookDrops = register(reg, m.WebhookDrops)
	m.WatchPolls = register(reg, m.WatchPolls)
	m.WatchLines = register(reg, m.WatchLines)
	m.WatchFindings = register(reg, m.WatchFindings)
	m.WatchErrors = register(reg, m.WatchErrors)
	m.WatchDuration = register(reg, m.WatchDuration)
	m.WatchTemplates = register(reg, m.WatchTemplates)
	m.WatchContainers = register(reg, m.WatchContainers)
	return m
}

// WatchPolled records one poll of the log watch (engine.Options.WatchPolled).
func (m *Metrics) WatchPolled(s watch.PollStats) {
	m.WatchPolls.Inc()
	m.WatchLines.Add(float64(s.Lines))
	for kind, n := range s.Findings {
		m.WatchFindings.WithLabelValues(kind).Add(float64(n))
	}
	for ns, n := range s.Errors {
		m.WatchErrors.WithLabelValues(ns).Add(float64(n))
	}
	m.WatchDuration.Observe(s.Duration.Seconds())
	m.WatchTemplates.Set(float64(s.Templates))
	m.WatchContainers.Set(float64(s.Containers))
}

// register adds c to reg, or returns the collector registered before under
// the same name.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		var already prometheus.AlreadyRegisteredError
		if errors.As(err, &already) {
			if existing, ok := already.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}

// Explained counts an explanation the engine answered (engine.Observer).
func (m *Metrics) Explained(provider, model string, ex incident.Explanation, outcome string) {
	if ex.Provider.Name != "" {
		provider, model = ex.Provider.Name, ex.Provider.Model
	}
	m.Explanations.WithLabelValues(provider, string(ex.RootCause.Category), outcome).Inc()
	switch outcome {
	case engine.OutcomeCached:
		m.CacheHits.Inc()
	case engine.OutcomeOK:
		if provider != llm.NameOffline {
			m.ModelLatency.WithLabelValues(provider, model).Observe(float64(ex.Timings.LLMMs) / 1000)
		}
		m.Tokens.WithLabelValues(provider, model, "prompt").Add(float64(ex.Usage.PromptTokens))
		m.Tokens.WithLabelValues(provider, model, "completion").Add(float64(ex.Usage.CompletionTokens))
		m.CostUSD.WithLabelValues(provider, model).Add(ex.Usage.CostUSD)
	}
}
