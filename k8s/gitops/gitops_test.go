// Package gitops holds Argo CD's Applications (k8s/gitops) and checks them
// and the order-service canary (k8s/components/canary): rendered with
// kubectl kustomize, decoded strictly into Argo's field names, wired to
// paths that exist, in sync-wave order, and analysing the canary with the
// SLO dashboard's own queries.
package gitops

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"sigs.k8s.io/yaml"
)

const repoRoot = "../.."

func kustomize(t *testing.T, dir string, extra ...string) [][]byte {
	t.Helper()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("kubectl is required to render the manifests")
		}
		t.Skip("SKIP: kubectl not installed; the GitOps manifests were not rendered")
	}
	out, err := exec.Command(kubectl, append([]string{"kustomize", dir}, extra...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl kustomize %s: %v\n%s", dir, err, out)
	}
	var docs [][]byte
	for _, doc := range bytes.Split(out, []byte("\n---\n")) {
		if len(bytes.TrimSpace(doc)) > 0 {
			docs = append(docs, doc)
		}
	}
	return docs
}

func kindOf(t *testing.T, doc []byte) string {
	t.Helper()
	var tm typeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		t.Fatal(err)
	}
	return tm.APIVersion + "/" + tm.Kind
}

func strict(t *testing.T, doc []byte, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(doc, into); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
}

func wave(t *testing.T, name string, ann map[string]string) int {
	t.Helper()
	w, err := strconv.Atoi(ann["argocd.argoproj.io/sync-wave"])
	if err != nil {
		t.Fatalf("%s: sync-wave annotation %q: %v", name, ann["argocd.argoproj.io/sync-wave"], err)
	}
	return w
}

// TestAppOfApps renders the entry point and the child Applications.
func TestAppOfApps(t *testing.T) {
	var project appProject
	var apps []application
	for _, dir := range []string{".", "apps"} {
		for _, doc := range kustomize(t, dir) {
			switch k := kindOf(t, doc); k {
			case "argoproj.io/v1alpha1/Application":
				var a application
				strict(t, doc, &a)
				apps = append(apps, a)
			case "argoproj.io/v1alpha1/AppProject":
				strict(t, doc, &project)
			default:
				t.Errorf("%s: unexpected %s", dir, k)
			}
		}
	}
	if project.Metadata.Name == "" {
		t.Fatal("no AppProject")
	}
	waves := map[string]int{}
	var root bool
	for _, a := range apps {
		name := a.Metadata.Name
		if a.Metadata.Namespace != "argocd" || a.Spec.Project != project.Metadata.Name {
			t.Errorf("%s: must live in argocd and belong to project %s", name, project.Metadata.Name)
		}
		if !slices.Contains(project.Spec.SourceRepos, a.Spec.Source.RepoURL) || a.Spec.Source.TargetRevision == "" {
			t.Errorf("%s: source %s@%q is not one of the project's repositories", name, a.Spec.Source.RepoURL, a.Spec.Source.TargetRevision)
		}
		if _, err := os.Stat(filepath.Join(repoRoot, a.Spec.Source.Path, "kustomization.yaml")); err != nil {
			t.Errorf("%s: path %s has no kustomization.yaml", name, a.Spec.Source.Path)
		}
		if a.Spec.SyncPolicy.Automated == nil || !a.Spec.SyncPolicy.Automated.SelfHeal {
			t.Errorf("%s: git must be the truth: automated sync with selfHeal", name)
		}
		if ns := a.Spec.Destination.Namespace; ns != "" && !slices.ContainsFunc(project.Spec.Destinations, func(d struct {
			Server    string `json:"server"`
			Namespace string `json:"namespace"`
		}) bool {
			return d.Namespace == ns && d.Server == a.Spec.Destination.Server
		}) {
			t.Errorf("%s: destination %s is outside the project", name, ns)
		}
		if a.Spec.Source.Path == "k8s/gitops/apps" {
			root = true
			continue
		}
		waves[a.Spec.Source.Path] = wave(t, name, a.Metadata.Annotations)
	}
	if !root {
		t.Error("no root Application syncs k8s/gitops/apps")
	}
	// The monitoring rules before the shop whose alerts they define.
	mon, okMon := waves["k8s/monitoring"]
	shop, okShop := waves["k8s/overlays/eks"]
	if !okMon || !okShop || mon >= shop {
		t.Errorf("want k8s/monitoring in an earlier wave than k8s/overlays/eks, got %v", waves)
	}
	for _, a := range apps {
		if a.Spec.Source.Path != "k8s/overlays/eks" {
			continue
		}
		var nsFirst bool
		for _, p := range a.Spec.Source.Kustomize.Patches {
			nsFirst = nsFirst || (p.Target.Kind == "Namespace" && strings.Contains(p.Patch, "sync-wave") && strings.Contains(p.Patch, `"-`))
		}
		if !nsFirst {
			t.Error("shop: Namespaces must sync in a negative wave")
		}
	}
}

// canaryFixture is the order-service's Deployment and HPA as the base has
// them, so the component renders whichever overlay uses it.
const canaryFixture = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: order-service
  namespace: order
spec:
  replicas: 3
  selector:
    matchLabels:
      app: order-service
  template:
    metadata:
      labels:
        app: order-service
    spec:
      containers:
        - name: order
          image: order-service
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: order-service
  namespace: order
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: order-service
  minReplicas: 3
  maxReplicas: 6
`

type canary struct {
	rollout    argoRollout
	template   analysisTemplate
	deployment appsv1.Deployment
	hpa        autoscalingv2.HorizontalPodAutoscaler
}

func renderCanary(t *testing.T) canary {
	t.Helper()
	dir := t.TempDir()
	component, err := filepath.Abs(filepath.Join(repoRoot, "k8s", "components", "canary"))
	if err != nil {
		t.Fatal(err)
	}
	// kustomize refuses absolute component paths.
	rel, err := filepath.Rel(dir, component)
	if err != nil {
		t.Fatal(err)
	}
	kust := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [base.yaml]\ncomponents: [" + rel + "]\n"
	for name, body := range map[string]string{"kustomization.yaml": kust, "base.yaml": canaryFixture} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var c canary
	for _, doc := range kustomize(t, dir, "--load-restrictor", "LoadRestrictionsNone") {
		switch k := kindOf(t, doc); k {
		case "argoproj.io/v1alpha1/Rollout":
			strict(t, doc, &c.rollout)
		case "argoproj.io/v1alpha1/AnalysisTemplate":
			strict(t, doc, &c.template)
		case "apps/v1/Deployment":
			strict(t, doc, &c.deployment)
		case "autoscaling/v2/HorizontalPodAutoscaler":
			strict(t, doc, &c.hpa)
		default:
			t.Errorf("canary: unexpected %s", k)
		}
	}
	return c
}

func TestCanaryRollout(t *testing.T) {
	c := renderCanary(t)
	r := c.rollout.Spec
	if ref := r.WorkloadRef; ref.Kind != "Deployment" || ref.Name != c.deployment.Name || ref.APIVersion != "apps/v1" {
		t.Errorf("workloadRef %+v does not name the Deployment %s", ref, c.deployment.Name)
	}
	if c.rollout.Metadata.Namespace != c.deployment.Namespace || c.template.Metadata.Namespace != c.deployment.Namespace {
		t.Error("Rollout, AnalysisTemplate and Deployment must share a namespace")
	}
	if c.deployment.Spec.Replicas == nil || *c.deployment.Spec.Replicas != 0 {
		t.Error("the Deployment must be scaled to zero: the Rollout runs the pods")
	}
	if ref := c.hpa.Spec.ScaleTargetRef; ref.Kind != "Rollout" || ref.Name != c.rollout.Metadata.Name || ref.APIVersion != "argoproj.io/v1alpha1" {
		t.Errorf("the HPA scales %+v, not the Rollout", ref)
	}
	if !equalLabels(r.Selector.MatchLabels, c.deployment.Spec.Selector.MatchLabels) {
		t.Errorf("Rollout selector %v differs from the Deployment's %v", r.Selector.MatchLabels, c.deployment.Spec.Selector.MatchLabels)
	}
	// Canary steps: rising weights with a pause after each, ending below 100
	// so the last step is still watched before full promotion.
	canary := r.Strategy.Canary
	var weights []int
	for i, s := range canary.Steps {
		if s.SetWeight != nil {
			weights = append(weights, *s.SetWeight)
			if i+1 >= len(canary.Steps) || canary.Steps[i+1].Pause == nil || canary.Steps[i+1].Pause.Duration == "" {
				t.Errorf("setWeight %d is not followed by a timed pause", *s.SetWeight)
			}
		}
	}
	if len(weights) < 2 || !slices.IsSorted(weights) || weights[len(weights)-1] >= 100 {
		t.Errorf("canary weights %v: want at least two rising steps below 100", weights)
	}
	if canary.MaxUnavailable != 0 {
		t.Error("a canary must not take stable pods away (maxUnavailable 0)")
	}
	// The analysis names this template and passes every argument it lacks a
	// default for.
	a := canary.Analysis
	if len(a.Templates) != 1 || a.Templates[0].TemplateName != c.template.Metadata.Name {
		t.Fatalf("analysis templates %+v, want %s", a.Templates, c.template.Metadata.Name)
	}
	for _, arg := range c.template.Spec.Args {
		if arg.Value != nil {
			continue
		}
		if !slices.ContainsFunc(a.Args, func(x struct {
			Name      string `json:"name"`
			Value     string `json:"value,omitempty"`
			ValueFrom *struct {
				PodTemplateHashValue string `json:"podTemplateHashValue"`
			} `json:"valueFrom,omitempty"`
		}) bool {
			return x.Name == arg.Name
		}) {
			t.Errorf("the Rollout does not pass argument %q", arg.Name)
		}
	}
}

// sloQueries reads the SLO dashboard's queries by panel title.
func sloQueries(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "provisioning", "dashboards", "json", "slo.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range dash.Panels {
		if len(p.Targets) > 0 {
			out[p.Title] = p.Targets[0].Expr
		}
	}
	return out
}

var spaces = regexp.MustCompile(`\s+`)

func normalise(q string) string { return strings.TrimSpace(spaces.ReplaceAllString(q, " ")) }

// The canary is judged like the SLO dashboard judges the service: its
// 5xx ratio and its request latency from the same series, narrowed to the
// canary's pods over two minutes. A change to either side fails here.
func TestCanaryAnalysisUsesTheSLOQueries(t *testing.T) {
	c := renderCanary(t)
	dash := sloQueries(t)
	burn, ok := dash["Error budget burn rate (1h)"]
	if !ok {
		t.Fatal(`slo.json has no "Error budget burn rate (1h)" panel`)
	}
	latency, ok := dash["Latency SLO: requests under 500ms (target 99%)"]
	if !ok {
		t.Fatal(`slo.json has no latency SLO panel`)
	}
	// The burn rate is (error ratio) / budget: the error ratio is inside.
	ratio := strings.TrimSpace(burn)
	cut := strings.LastIndex(ratio, ") /")
	if !strings.HasPrefix(ratio, "(") || cut < 0 {
		t.Fatalf("burn-rate query has an unexpected shape: %s", burn)
	}
	ratio = ratio[1:cut]
	canaryPods := `service="{{args.service}}",pod=~"{{args.service}}-{{args.canary-hash}}-.*"`
	narrow := strings.NewReplacer(`service=~"$service"`, canaryPods, "[1h]", "[2m]")
	wantRatio := normalise(narrow.Replace(ratio))

	// The latency SLO counts requests under 0.5 s in
	// http_request_duration_seconds_bucket; the canary's p95 comes from the
	// same histogram and is held to the same 0.5 s.
	if !strings.Contains(latency, `http_request_duration_seconds_bucket{service=~"$service",le="0.5"}`) {
		t.Fatalf("latency SLO query changed: %s", latency)
	}
	wantP95 := normalise(`histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{` + canaryPods + `}[2m])))`)

	got := map[string]string{}
	for _, m := range c.template.Spec.Metrics {
		got[m.Name] = normalise(m.Provider.Prometheus.Query)
		if m.FailureLimit == nil || *m.FailureLimit != 0 {
			t.Errorf("%s: one failed measurement must abort (failureLimit 0)", m.Name)
		}
		if m.SuccessCondition == "" || m.FailureCondition == "" {
			t.Errorf("%s: needs both conditions so no data is inconclusive, not a failure", m.Name)
		}
		if m.Provider.Prometheus.Address != "{{args.prometheus-address}}" {
			t.Errorf("%s: address %q", m.Name, m.Provider.Prometheus.Address)
		}
	}
	if got["error-ratio"] != wantRatio {
		t.Errorf("error-ratio query\n got %s\nwant %s", got["error-ratio"], wantRatio)
	}
	if got["p95-latency"] != wantP95 {
		t.Errorf("p95-latency query\n got %s\nwant %s", got["p95-latency"], wantP95)
	}
}

func equalLabels(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
