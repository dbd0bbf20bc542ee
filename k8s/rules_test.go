package k8s_test

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus/prometheus/promql/parser"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite k8s/monitoring/prometheusrule.yaml from deploy/grafana-alerting/rules.yaml")

const generatedRules = "monitoring/prometheusrule.yaml"

// grafanaRules is the part of Grafana's alert provisioning format the
// conversion reads: a query (refId A) and a threshold on it (refId C).
type grafanaRules struct {
	Groups []struct {
		Name     string `json:"name"`
		Interval string `json:"interval"`
		Rules    []struct {
			Title string `json:"title"`
			For   string `json:"for"`
			Data  []struct {
				RefID string `json:"refId"`
				Model struct {
					Expr       string `json:"expr"`
					Type       string `json:"type"`
					Expression string `json:"expression"`
					Conditions []struct {
						Evaluator struct {
							Type   string    `json:"type"`
							Params []float64 `json:"params"`
						} `json:"evaluator"`
					} `json:"conditions"`
				} `json:"model"`
			} `json:"data"`
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"rules"`
	} `json:"groups"`
}

var comparators = map[string]string{"gt": ">", "lt": "<"}

// prometheusRule converts Grafana's provisioned alert rules into the
// PrometheusRule the cluster's Prometheus evaluates, so both alert on the
// same expressions, thresholds, durations, labels and runbooks.
func prometheusRule(path string) (*monitoringv1.PrometheusRule, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var in grafanaRules
	if err := yaml.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := &monitoringv1.PrometheusRule{
		TypeMeta:   metav1.TypeMeta{APIVersion: "monitoring.coreos.com/v1", Kind: "PrometheusRule"},
		ObjectMeta: metav1.ObjectMeta{Name: "aiops-shop"},
	}
	for _, g := range in.Groups {
		group := monitoringv1.RuleGroup{Name: g.Name}
		if g.Interval != "" {
			interval := monitoringv1.Duration(g.Interval)
			group.Interval = &interval
		}
		for _, r := range g.Rules {
			queries := map[string]string{}
			var threshold string
			for _, d := range r.Data {
				if d.Model.Type != "threshold" {
					queries[d.RefID] = d.Model.Expr
					continue
				}
				if len(d.Model.Conditions) != 1 || len(d.Model.Conditions[0].Evaluator.Params) != 1 {
					return nil, fmt.Errorf("%s: %s: want one threshold with one parameter", path, r.Title)
				}
				ev := d.Model.Conditions[0].Evaluator
				op, ok := comparators[ev.Type]
				expr, found := queries[d.Model.Expression]
				if !ok || !found {
					return nil, fmt.Errorf("%s: %s: threshold %q on %q cannot be converted", path, r.Title, ev.Type, d.Model.Expression)
				}
				threshold = "(" + expr + ") " + op + " " + strconv.FormatFloat(ev.Params[0], 'g', -1, 64)
			}
			if threshold == "" {
				return nil, fmt.Errorf("%s: %s has no threshold", path, r.Title)
			}
			rule := monitoringv1.Rule{Alert: r.Title, Expr: intstr.FromString(threshold), Labels: r.Labels, Annotations: r.Annotations}
			if r.For != "" && r.For != "0s" {
				d := monitoringv1.Duration(r.For)
				rule.For = &d
			}
			group.Rules = append(group.Rules, rule)
		}
		out.Spec.Groups = append(out.Spec.Groups, group)
	}
	return out, nil
}

func TestPrometheusRulesAreTheProvisionedRules(t *testing.T) {
	want, err := prometheusRule("../deploy/grafana-alerting/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		b, err := yaml.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		header := "# Generated from deploy/grafana-alerting/rules.yaml by\n#   go test ./k8s -run PrometheusRules -update\n# Do not edit: edit the Grafana rules and regenerate.\n"
		if err := os.WriteFile(generatedRules, append([]byte(header), b...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got *monitoringv1.PrometheusRule
	for _, o := range render(t, "monitoring") {
		if r, ok := o.(*monitoringv1.PrometheusRule); ok {
			got = r
		}
	}
	if got == nil {
		t.Fatal("k8s/monitoring renders no PrometheusRule")
	}
	for _, g := range got.Spec.Groups {
		for _, r := range g.Rules {
			if _, err := parser.ParseExpr(r.Expr.String()); err != nil {
				t.Errorf("%s: %v", r.Alert, err)
			}
		}
	}
	if !reflect.DeepEqual(got.Spec, want.Spec) {
		t.Errorf("%s differs from deploy/grafana-alerting/rules.yaml; run go test ./k8s -run PrometheusRules -update", generatedRules)
	}
	if n := len(want.Spec.Groups[0].Rules); n < 5 {
		t.Errorf("converted only %d rules", n)
	}
}
