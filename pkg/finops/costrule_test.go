package finops

import (
	"context"
	"os"
	"testing"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/prometheus/common/model"
	"sigs.k8s.io/yaml"

	"github.com/cloudobs/aiops-app/pkg/finops/finopstest"
)

// costRuleQuery is the query of the provisioned NamespaceCostGrowth rule
// and its threshold.
func costRuleQuery(t *testing.T) (string, float64) {
	t.Helper()
	raw, err := os.ReadFile("../../deploy/grafana-alerting/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Groups []struct {
			Rules []struct {
				Title string `json:"title"`
				Data  []struct {
					Model struct {
						Expr       string `json:"expr"`
						Conditions []struct {
							Evaluator struct {
								Params []float64 `json:"params"`
							} `json:"evaluator"`
						} `json:"conditions"`
					} `json:"model"`
				} `json:"data"`
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			if r.Title == "NamespaceCostGrowth" && len(r.Data) == 2 && len(r.Data[1].Model.Conditions) == 1 {
				return r.Data[0].Model.Expr, r.Data[1].Model.Conditions[0].Evaluator.Params[0]
			}
		}
	}
	t.Fatal("rules.yaml has no NamespaceCostGrowth rule with a query and one threshold")
	return "", 0
}

// The rule fires on a namespace whose web Deployment doubled its pods an
// hour ago and not on one that stayed as it was.
func TestCostRuleFiresOnGrowth(t *testing.T) {
	expr, threshold := costRuleQuery(t)
	start := t0.Add(-3 * time.Hour)
	pod := func(ns, name string, from time.Time) finopstest.Pod {
		return finopstest.Pod{Namespace: ns, Name: name, Node: "node-a", OwnerKind: "ReplicaSet", OwnerName: "web-1", DeploymentName: "web",
			Created: from, Started: from,
			Containers: []finopstest.Container{{Name: "web", CPURequest: 0.5, MemRequest: 1 * finopstest.GiB, CPUUsage: 0.1, MemUsage: 0.2 * finopstest.GiB}}}
	}
	cluster := finopstest.Cluster{Start: start, End: t0.Add(40 * time.Minute), Interval: time.Minute,
		Nodes: []finopstest.Node{{Name: "node-a", InstanceType: "m5.2xlarge", Region: "us-east-1", CapacityType: "ON_DEMAND", Cores: 8, MemBytes: 32 * finopstest.GiB}},
		Pods: []finopstest.Pod{
			pod("grown", "web-a", time.Time{}), pod("grown", "web-b", time.Time{}),
			pod("grown", "web-c", t0), pod("grown", "web-d", t0),
			pod("steady", "web-a", time.Time{}), pod("steady", "web-b", time.Time{}),
		}}
	q := v1.NewAPI(querierFor(t, cluster))
	evalAt := t0.Add(30 * time.Minute)
	v, _, _, err := q.Query(context.Background(), expr, evalAt)
	if err != nil {
		t.Fatal(err)
	}
	vec, ok := v.(model.Vector)
	if !ok {
		t.Fatalf("answer is %s, want a vector", v.Type())
	}
	ratio := map[string]float64{}
	for _, s := range vec {
		ratio[string(s.Metric["namespace"])] = float64(s.Value)
	}
	// The subquery's 15-minute steps from 07:00 to 10:30 see 12 steps at
	// the old cost c, two at 2c and the step at 10:00 at either: the
	// average is 17c/15 or 18c/15, so the ratio is 30/17 or 30/18.
	if r := ratio["grown"]; r < 30.0/18-1e-9 || r > 30.0/17+1e-9 || r <= threshold {
		t.Errorf("grown ratio = %.4f, want between %.4f and %.4f, above %.1f", r, 30.0/18, 30.0/17, threshold)
	}
	if r := ratio["steady"]; r < 1-1e-9 || r > 1+1e-9 {
		t.Errorf("steady ratio = %.4f, want 1", r)
	}
}
