package kit

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// latencyBuckets cover fast in-memory answers (5ms) up to injected multi-second
// latency, with resolution around the usual 300ms–1s SLO thresholds.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics are the RED metrics every sample service exposes, named after the
// common conventions the plugin's Prometheus collector queries.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	// dependencyUp is 1 while a dependency answers its health check.
	dependencyUp *prometheus.GaugeVec
}

func newMetrics(service string) *metrics {
	reg := prometheus.NewRegistry()
	constLabels := prometheus.Labels{"service": service}
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name:        "http_requests_total",
			Help:        "HTTP requests answered, by route, method and status code.",
			ConstLabels: constLabels,
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:        "http_request_duration_seconds",
			Help:        "HTTP request latency, by route and method.",
			ConstLabels: constLabels,
			Buckets:     latencyBuckets,
		}, []string{"route", "method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name:        "http_requests_in_flight",
			Help:        "HTTP requests being served.",
			ConstLabels: constLabels,
		}),
		dependencyUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name:        "shop_dependency_up",
			Help:        "1 while the dependency answers its health check, 0 otherwise.",
			ConstLabels: constLabels,
		}, []string{"dependency"}),
	}
	reg.MustRegister(m.requests, m.duration, m.inFlight, m.dependencyUp,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Counter registers a business counter such as orders_created_total.
func (s *Service) Counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: name, Help: help, ConstLabels: prometheus.Labels{"service": s.Name},
	}, labels)
	s.metrics.registry.MustRegister(c)
	return c
}
