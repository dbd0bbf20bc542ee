package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// svcOrder is the order Service whose HTTP series the collector reads.
var svcOrder = incident.Entity{Namespace: "shop", Kind: incident.KindService, Name: "order"}

// hpaSeries are the autoscaler's current replicas (climbing as given) and
// its maxReplicas, on the target workload.
func hpaSeries(maximum float64, current ...float64) []incident.Series {
	maxes := make([]float64, len(current))
	for i := range maxes {
		maxes[i] = maximum
	}
	return []incident.Series{
		metric(incident.MetricHPAReplicas, deployOrder, time.Minute, current...),
		metric(incident.MetricHPAMaxReplicas, deployOrder, time.Minute, maxes...),
	}
}

func TestLoadBeyondAutoscalerMaximum(t *testing.T) {
	runKubeCases(t, trafficSpike{}, incident.CategoryTrafficSpike, []kubeCase{
		{"at its maximum while a steady high load fails", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = append(hpaSeries(24, 6, 9, 14, 19, 24, 24),
				metric(incident.MetricRequestRate, svcOrder, time.Minute, 3100, 3150, 3120, 3180, 3160, 3170),
				metric(incident.MetricErrorRatio, svcOrder, time.Minute, 0.21, 0.2, 0.22, 0.19, 0.21, 0.2))
			return b
		}, true, deployOrder, []string{"maximum of 24 replicas", "scaled from 6", "21% of requests fail"}},
		{"at its maximum with latency climbing and no HTTP error series", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = append(hpaSeries(8, 8, 8, 8, 8, 8, 8),
				metric(incident.MetricLatencyP99, svcOrder, time.Minute, 0.2, 0.2, 0.3, 0.9, 1.4, 1.6))
			return b
		}, true, deployOrder, []string{"maximum of 8 replicas", "http_latency_p99_seconds rose"}},
		{"a spike with the autoscaler at its maximum says so", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = append(hpaSeries(10, 4, 4, 7, 10, 10, 10),
				metric(incident.MetricRequestRate, svcOrder, time.Minute, 200, 210, 205, 900, 950, 940),
				metric(incident.MetricErrorRatio, svcOrder, time.Minute, 0.001, 0.001, 0.001, 0.08, 0.1, 0.09))
			return b
		}, true, svcOrder, []string{"x4.5", "maximum of 10 replicas"}},
		{"healthy: at its maximum and serving (no errors, flat latency)", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = append(hpaSeries(12, 12, 12, 12, 12, 12, 12),
				metric(incident.MetricRequestRate, svcOrder, time.Minute, 800, 820, 810, 805, 815, 812),
				metric(incident.MetricErrorRatio, svcOrder, time.Minute, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001),
				metric(incident.MetricLatencyP99, svcOrder, time.Minute, 0.3, 0.31, 0.3, 0.29, 0.3, 0.31))
			return b
		}, false, incident.Entity{}, nil},
		{"healthy: failing but below its maximum (the autoscaler can still add)", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = append(hpaSeries(30, 6, 8, 10, 12, 14, 16),
				metric(incident.MetricErrorRatio, svcOrder, time.Minute, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2))
			return b
		}, false, incident.Entity{}, nil},
		{"at its maximum while the queue it consumes keeps growing", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			backlog := metric(incident.MetricQueueBacklog, deployOrder, time.Minute, 52000, 55500, 59000, 63000, 66000, 70500)
			backlog.Labels = map[string]string{"queue": "order-fulfilment"}
			b.Metrics = append(hpaSeries(12, 12, 12, 12, 12, 12, 12), backlog)
			return b
		}, true, deployOrder, []string{"maxReplicas", "queue order-fulfilment", "5.2e+04"}},
		{"healthy: at its maximum while it drains the queue on schedule", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			backlog := metric(incident.MetricQueueBacklog, deployOrder, time.Minute, 70500, 66000, 63000, 59000, 55500, 52000)
			backlog.Labels = map[string]string{"queue_name": "order-fulfilment"}
			b.Metrics = append(hpaSeries(12, 12, 12, 12, 12, 12, 12), backlog)
			return b
		}, false, incident.Entity{}, nil},
		{"healthy: it touched its maximum and scaled back in", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = append(hpaSeries(10, 6, 10, 10, 8, 7, 6),
				metric(incident.MetricErrorRatio, svcOrder, time.Minute, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2))
			return b
		}, false, incident.Entity{}, nil},
	})
}

// Without kube-state-metrics, the autoscaler object and its ScalingLimited
// event show the ceiling.
func TestAutoscalerObjectAtItsMaximum(t *testing.T) {
	atMax := func(current int32) *incident.Bundle {
		b := newBundle(orderPod("order-1", healthy()))
		b.Workloads = []incident.WorkloadState{{Entity: deployOrder, Replicas: current, Ready: current,
			Autoscaler: &incident.Autoscaler{Name: "order-hpa", Min: 2, Max: 16, Current: current, Desired: 16}}}
		b.Events = []incident.Event{{Object: incident.Entity{Namespace: "shop", Kind: "HorizontalPodAutoscaler", Name: "order-hpa"},
			Type: "Warning", Reason: "ScalingLimited", Message: "the desired replica count is more than the maximum replica count",
			Count: 12, FirstSeen: at(-9 * time.Minute), LastSeen: at(-time.Minute)}}
		b.Metrics = []incident.Series{metric(incident.MetricErrorRatio, svcOrder, time.Minute, 0.09, 0.11, 0.1, 0.12, 0.1, 0.11)}
		return b
	}
	runKubeCases(t, trafficSpike{}, incident.CategoryTrafficSpike, []kubeCase{
		{"at its maximum and wanting more while requests fail", func() *incident.Bundle { return atMax(16) },
			true, deployOrder, []string{"order-hpa is at its maximum of 16 replicas", "ScalingLimited", "11% of requests fail"}},
		{"healthy: below its maximum", func() *incident.Bundle { return atMax(9) }, false, incident.Entity{}, nil},
		{"healthy: at its maximum with no saturation", func() *incident.Bundle {
			b := atMax(16)
			b.Metrics = []incident.Series{metric(incident.MetricErrorRatio, svcOrder, time.Minute, 0.001, 0.001, 0.002, 0.001, 0.001, 0.001)}
			return b
		}, false, incident.Entity{}, nil},
	})
}
