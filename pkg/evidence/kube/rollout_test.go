package kube

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// A Rollout's pods resolve to the Rollout (not to a Deployment), and its
// ReplicaSets are its revisions, numbered by Argo's annotation, with the
// pod template of the Deployment it refers to.
func TestRolloutResolvesAndCollectsRevisions(t *testing.T) {
	c := startCluster(t, nil)
	ctx := context.Background()
	want := incident.Entity{Namespace: "cart", Kind: incident.KindRollout, Name: "cart"}
	tests := []struct {
		name     string
		labels   map[string]string
		wantPods int
	}{
		{"pod of the canary ReplicaSet", map[string]string{"namespace": "cart", "pod": "cart-7c8d9e5f6-k2x9p"}, 1},
		{"rollout label of Argo's metrics", map[string]string{"namespace": "cart", "rollout": "cart"}, 2},
		{"replicaset label", map[string]string{"namespace": "cart", "replicaset": "cart-7c8d9e5f6"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Resolve(ctx, incident.Alert{Labels: tc.labels}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if res.Target.Workload != want || len(res.Pods) != tc.wantPods {
				t.Fatalf("target %+v, %d pods; want %v and %d pods", res.Target, len(res.Pods), want, tc.wantPods)
			}
			st, err := c.CollectState(ctx, res, startsAt.Add(-2*time.Hour), now)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Workloads) != 1 {
				t.Fatalf("workloads: %+v", st.Workloads)
			}
			w := st.Workloads[0]
			if w.Entity != want || w.Replicas != 4 || w.Ready != 3 || !slices.Equal(w.Images, []string{"shop/cart:2.0"}) {
				t.Errorf("workload state: %+v", w)
			}
			if !slices.ContainsFunc(w.Conditions, func(c incident.Condition) bool {
				return c.Type == "Phase/Degraded" && c.Status == "Aborted"
			}) {
				t.Errorf("the aborted canary is not in the conditions: %+v", w.Conditions)
			}
			var revs []int64
			for _, r := range st.Rollouts {
				revs = append(revs, r.Revision)
				if r.Owner != want {
					t.Errorf("revision %s owned by %v", r.Name, r.Owner)
				}
			}
			if !slices.Equal(revs, []int64{1, 2}) || st.Rollouts[1].Images[0] != "shop/cart:2.0" || st.Rollouts[0].Images[0] != "shop/cart:1.0" {
				t.Errorf("rollouts: %+v", st.Rollouts)
			}
		})
	}
}

// A cluster without Argo Rollouts answers 404 like a deleted Rollout: no
// pods, no error.
func TestMissingRolloutFindsNoPods(t *testing.T) {
	c := startCluster(t, nil)
	ctx := context.Background()
	res, err := c.Resolve(ctx, incident.Alert{Labels: map[string]string{"namespace": "cart", "rollout": "gone"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pods) != 0 {
		t.Fatalf("pods of a missing rollout: %+v", res.Pods)
	}
}

// A Rollout comes from the API server as JSON this package decodes itself;
// whatever it holds, decoding and summarising must not panic, and the
// summary must name the object it came from.
func FuzzRolloutState(f *testing.F) {
	raw, err := os.ReadFile(filepath.Join("testdata", "rollout.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	first, _, _ := strings.Cut(string(raw), "\n---\n")
	seed, err := yaml.YAMLToJSON([]byte(first))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"metadata":{"name":"x","namespace":"y"},"status":{"phase":"Paused","conditions":[{}]}}`))
	f.Add([]byte(`{"spec":{"replicas":null,"selector":{"matchExpressions":[{"key":"a","operator":"In"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r rollout
		if json.Unmarshal(data, &r) != nil {
			return
		}
		w := rolloutState(&r, r.Spec.Template.Spec, r.Spec.Selector)
		if w.Entity.Kind != incident.KindRollout || w.Entity.Name != r.Metadata.Name || w.Entity.Namespace != r.Metadata.Namespace {
			t.Fatalf("state names %v for rollout %s/%s", w.Entity, r.Metadata.Namespace, r.Metadata.Name)
		}
		if r.Spec.Replicas == nil && w.Replicas != 1 {
			t.Fatalf("unset replicas must default to 1, got %d", w.Replicas)
		}
	})
}
