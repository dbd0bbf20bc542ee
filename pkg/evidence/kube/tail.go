package kube

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PodContainer is one container of a listed pod, with the workload its pod
// belongs to (the Deployment of a ReplicaSet's pod, else the controller,
// else the pod itself).
type PodContainer struct {
	Namespace, Pod, Container, Workload string
}

// PodContainers lists the containers of at most max running or pending pods
// matching selector ("" for all) in namespace, by pod name then container
// order, for a log watch.
func (c *Collector) PodContainers(ctx context.Context, namespace, selector string, max int) ([]PodContainer, error) {
	pods, err := list[podList](ctx, c.api, podResource, namespace, listOptions{LabelSelector: selector, Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("list pods: %w", err)
	}
	items := slices.DeleteFunc(pods.Items, func(p pod) bool {
		return p.Status.Phase == podSucceeded || p.Status.Phase == podFailed
	})
	slices.SortFunc(items, func(a, b pod) int { return strings.Compare(a.Name, b.Name) })
	var out []PodContainer
	for i := range items {
		p := &items[i]
		for _, ct := range p.Spec.Containers {
			if len(out) == max {
				return out, nil
			}
			out = append(out, PodContainer{Namespace: p.Namespace, Pod: p.Name, Container: ct.Name, Workload: workloadOf(p)})
		}
	}
	return out, nil
}

// workloadOf names the pod's workload without further requests: a
// ReplicaSet's name less its pod-template-hash is its Deployment's (or
// Argo Rollout's), so that a canary's pods share the stable ones' baseline.
func workloadOf(p *pod) string {
	ref := metav1.GetControllerOf(p)
	if ref == nil {
		return p.Name
	}
	hash := cmp.Or(p.Labels["pod-template-hash"], p.Labels["rollouts-pod-template-hash"])
	if ref.Kind == "ReplicaSet" && hash != "" {
		return strings.TrimSuffix(ref.Name, "-"+hash)
	}
	return ref.Name
}

// LogsSince reads at most maxBytes of a container's current log written at
// or after since, each line prefixed by its timestamp.
func (c *Collector) LogsSince(ctx context.Context, namespace, pod, container string, since time.Time, maxBytes int64) ([]byte, error) {
	opts := logOptions{Container: container, Timestamps: true, SinceTime: since, LimitBytes: &maxBytes}
	rc, err := c.api.podLogs(ctx, namespace, pod, opts)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The server should honour limitBytes; the reader does not rely on it.
	return io.ReadAll(io.LimitReader(rc, maxBytes))
}
