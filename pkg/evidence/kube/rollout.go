package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Argo Rollouts' Rollout replaces a Deployment: it owns ReplicaSets (one per
// revision, numbered in rollout.argoproj.io/revision) whose pods the alert
// names. It is read as JSON over the REST client rather than through Argo's
// Go types, which would pull the whole Argo module into the plugin.
const (
	rolloutRevisionAnnKey = "rollout.argoproj.io/revision"
	// maxRolloutBytes bounds one Rollout object read from the API server; a
	// real one is a few kilobytes.
	maxRolloutBytes = 1 << 20
)

// rollout holds the fields of an Argo Rollout the collector reads.
type rollout struct {
	Metadata metav1.ObjectMeta `json:"metadata"`
	Spec     struct {
		Replicas *int32                `json:"replicas"`
		Selector *metav1.LabelSelector `json:"selector"`
		Template podTemplateSpec       `json:"template"`
		// WorkloadRef points at a Deployment whose pod template the Rollout
		// uses instead of its own (the migration path from a Deployment).
		WorkloadRef *struct {
			Kind string `json:"kind"`
			Name string `json:"name"`
		} `json:"workloadRef"`
	} `json:"spec"`
	Status struct {
		Replicas          int32  `json:"replicas"`
		ReadyReplicas     int32  `json:"readyReplicas"`
		AvailableReplicas int32  `json:"availableReplicas"`
		UpdatedReplicas   int32  `json:"updatedReplicas"`
		Phase             string `json:"phase"`
		Message           string `json:"message"`
		Abort             bool   `json:"abort"`
		Conditions        []struct {
			Type               string      `json:"type"`
			Status             string      `json:"status"`
			Reason             string      `json:"reason"`
			Message            string      `json:"message"`
			LastTransitionTime metav1.Time `json:"lastTransitionTime"`
		} `json:"conditions"`
	} `json:"status"`
}

// getRollout reads one Rollout. A cluster without Argo Rollouts answers 404,
// which apierrors.IsNotFound recognises like a missing object.
func (c *Collector) getRollout(ctx context.Context, ns, name string) (*rollout, error) {
	body, err := c.api.stream(ctx, rolloutResource.path(ns, name))
	if err != nil {
		return nil, err
	}
	defer body.Close()
	raw, err := io.ReadAll(io.LimitReader(body, maxRolloutBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read rollout %s/%s: %w", ns, name, err)
	}
	if len(raw) > maxRolloutBytes {
		return nil, fmt.Errorf("rollout %s/%s is larger than %d bytes", ns, name, maxRolloutBytes)
	}
	var r rollout
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("decode rollout %s/%s: %w", ns, name, err)
	}
	return &r, nil
}

// rolloutSelector is the Rollout's pod selector, or, when it only refers to a
// Deployment (workloadRef), that Deployment's.
func (c *Collector) rolloutSelector(ctx context.Context, r *rollout) (*metav1.LabelSelector, podSpec, error) {
	sel, spec := r.Spec.Selector, r.Spec.Template.Spec
	ref := r.Spec.WorkloadRef
	if ref == nil || ref.Kind != incident.KindDeployment || (sel != nil && len(spec.Containers) > 0) {
		return sel, spec, nil
	}
	d, err := get[workload](ctx, c.api, deploymentResource, r.Metadata.Namespace, ref.Name)
	if err != nil {
		return nil, spec, fmt.Errorf("get deployment %s/%s of rollout %s: %w", r.Metadata.Namespace, ref.Name, r.Metadata.Name, err)
	}
	if sel == nil {
		sel = d.Spec.Selector
	}
	return sel, d.Spec.Template.Spec, nil
}

func rolloutState(r *rollout, spec podSpec, sel *metav1.LabelSelector) incident.WorkloadState {
	w := incident.WorkloadState{Entity: incident.Entity{Namespace: r.Metadata.Namespace, Kind: incident.KindRollout, Name: r.Metadata.Name},
		Selector: matchLabels(sel), Images: images(spec), Replicas: replicas(r.Spec.Replicas),
		Ready: r.Status.ReadyReplicas, Available: r.Status.AvailableReplicas, Updated: r.Status.UpdatedReplicas,
		CreatedAt: r.Metadata.CreationTimestamp.Time}
	for _, c := range r.Status.Conditions {
		w.Conditions = append(w.Conditions, incident.Condition{Type: c.Type, Status: c.Status, Reason: c.Reason,
			Message: clip(c.Message), LastTransitionTime: c.LastTransitionTime.Time})
	}
	// The phase says what a canary is doing (Paused at a step, Degraded
	// after an aborted analysis), which the conditions only imply.
	if r.Status.Phase != "" {
		status := "True"
		if r.Status.Abort {
			status = "Aborted"
		}
		w.Conditions = append(w.Conditions, incident.Condition{Type: "Phase/" + r.Status.Phase, Status: status, Message: clip(r.Status.Message)})
	}
	return w
}
