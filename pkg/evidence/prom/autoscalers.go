package prom

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/prometheus/common/model"
)

// Floor is a HorizontalPodAutoscaler whose replicas sit at its minReplicas:
// the floor, not the load, sets how many pods run.
type Floor struct {
	Autoscaler  string
	MinReplicas int
}

// maxFloors bounds the autoscalers one namespace reports.
const maxFloors = 20

// floorLookback is how far back the last reported value is taken, so a
// kube-state-metrics scrape missed just before the query still counts.
const floorLookback = "1h"

// FlooredAutoscalers lists the namespace's autoscalers held at their
// minReplicas at the given time (kube-state-metrics v2), the highest floor
// first: for a cost alert that names only a namespace, the pods a raised
// floor keeps running are where the spend went.
func (c *Collector) FlooredAutoscalers(ctx context.Context, namespace string, at time.Time) ([]Floor, error) {
	if !dnsName(namespace) {
		return nil, fmt.Errorf("autoscalers: %q is not a namespace name", namespace)
	}
	minimum, err := c.autoscalerValues(ctx, "kube_horizontalpodautoscaler_spec_min_replicas", HPALabel, namespace, at)
	if err != nil {
		return nil, err
	}
	if len(minimum) == 0 {
		return nil, nil
	}
	current, err := c.autoscalerValues(ctx, "kube_horizontalpodautoscaler_status_current_replicas", HPALabel, namespace, at)
	if err != nil {
		return nil, err
	}
	if len(current) == 0 {
		// Without the status series, the replicas of the Deployment named
		// like the autoscaler (the usual convention) stand in for it.
		current, err = c.autoscalerValues(ctx, "kube_deployment_status_replicas", "deployment", namespace, at)
		if err != nil {
			return nil, err
		}
	}
	var out []Floor
	for name, m := range minimum {
		if cur, ok := current[name]; ok && m > 0 && cur <= m {
			out = append(out, Floor{Autoscaler: name, MinReplicas: m})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].MinReplicas != out[j].MinReplicas {
			return out[i].MinReplicas > out[j].MinReplicas
		}
		return out[i].Autoscaler < out[j].Autoscaler
	})
	if len(out) > maxFloors {
		out = out[:maxFloors]
	}
	return out, nil
}

// HPALabel is kube-state-metrics' label naming an autoscaler, which the
// target resolution reads too.
const HPALabel = "horizontalpodautoscaler"

// autoscalerValues runs an instant query of a replica count and returns it
// per autoscaler, whose name the series carry in the label nameLabel.
func (c *Collector) autoscalerValues(ctx context.Context, metric, nameLabel, namespace string, at time.Time) (map[string]int, error) {
	q := "last_over_time(" + metric + "{namespace=" + quote(namespace) + "}[" + floorLookback + "])"
	if nameLabel != HPALabel {
		q = "label_replace(" + q + ", " + quote(HPALabel) + `, "$1", ` + quote(nameLabel) + `, "(.+)")`
	}
	q = "max by (" + HPALabel + ") (" + q + ")"
	value, _, _, err := c.api.Query(ctx, q, at)
	if err != nil {
		return nil, fmt.Errorf("autoscalers: %w", err)
	}
	vec, ok := value.(model.Vector)
	if !ok {
		return nil, fmt.Errorf("autoscalers: instant query returned %s, want vector", valueKind(value))
	}
	out := map[string]int{}
	for _, s := range vec {
		v := float64(s.Value)
		name := string(s.Metric[HPALabel])
		if v < 0 || v > math.MaxInt32 || v != v || !dnsName(name) {
			continue // not a replica count of a named autoscaler
		}
		out[name] = int(v)
	}
	return out, nil
}
