package k8s_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// withoutProbes are the workloads that serve nothing a kubelet could probe.
var withoutProbes = map[string]string{
	"loadgen":    "a client: it listens on no port",
	"log-feeder": "a CronJob that runs to completion",
}

// withoutServiceMonitor are Services Prometheus does not scrape, and why.
var withoutServiceMonitor = map[string]string{}

type podOwner struct {
	kind, namespace, name string
	spec                  corev1.PodSpec
}

func podSpecs(objs []runtime.Object) []podOwner {
	var out []podOwner
	for _, o := range objs {
		switch w := o.(type) {
		case *appsv1.Deployment:
			out = append(out, podOwner{"Deployment", w.Namespace, w.Name, w.Spec.Template.Spec})
		case *batchv1.CronJob:
			out = append(out, podOwner{"CronJob", w.Namespace, w.Name, w.Spec.JobTemplate.Spec.Template.Spec})
		}
	}
	return out
}

func TestPodsAreLeastPrivileged(t *testing.T) {
	for _, dir := range kustomizations {
		for _, p := range podSpecs(render(t, dir)) {
			id := dir + ": " + p.kind + " " + p.namespace + "/" + p.name
			if p.spec.SecurityContext == nil || p.spec.SecurityContext.RunAsNonRoot == nil || !*p.spec.SecurityContext.RunAsNonRoot {
				t.Errorf("%s: pod securityContext.runAsNonRoot must be true", id)
			}
			if p.spec.AutomountServiceAccountToken == nil || *p.spec.AutomountServiceAccountToken {
				t.Errorf("%s: automountServiceAccountToken must be false: the shop calls no Kubernetes API", id)
			}
			for _, c := range p.spec.Containers {
				cid := id + " container " + c.Name
				sc := c.SecurityContext
				switch {
				case sc == nil:
					t.Errorf("%s: no securityContext", cid)
				case sc.Privileged != nil && *sc.Privileged:
					t.Errorf("%s: privileged", cid)
				case sc.RunAsUser != nil && *sc.RunAsUser == 0:
					t.Errorf("%s: runs as root", cid)
				case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
					t.Errorf("%s: allowPrivilegeEscalation must be false", cid)
				case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
					t.Errorf("%s: root filesystem must be read-only", cid)
				case sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL"):
					t.Errorf("%s: must drop ALL capabilities", cid)
				}
				if c.Resources.Limits.Memory().IsZero() || c.Resources.Limits.Cpu().IsZero() ||
					c.Resources.Requests.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
					t.Errorf("%s: needs cpu and memory requests and limits: the analyzers reason about them", cid)
				}
				if _, exempt := withoutProbes[p.name]; !exempt && (c.LivenessProbe == nil || c.ReadinessProbe == nil) {
					t.Errorf("%s: needs liveness and readiness probes", cid)
				}
				if c.ReadinessProbe != nil && c.ReadinessProbe.HTTPGet != nil && c.ReadinessProbe.HTTPGet.Path != "/readyz" {
					t.Errorf("%s: readiness must be /readyz, which is only about the pod", cid)
				}
				if err := checkImage(c.Image); err != "" {
					t.Errorf("%s: image %q %s", cid, c.Image, err)
				}
			}
		}
	}
}

func checkImage(image string) string {
	name := image
	if i := strings.LastIndex(image, "/"); i >= 0 {
		name = image[i+1:]
	}
	_, tag, ok := strings.Cut(name, ":")
	switch {
	case strings.Contains(image, "@sha256:"):
		return ""
	case !ok || tag == "":
		return "has no tag"
	case tag == "latest":
		return "uses :latest"
	}
	return ""
}

func TestEveryNamespaceDeniesByDefault(t *testing.T) {
	for _, dir := range []string{"overlays/local", "overlays/eks"} {
		objs := render(t, dir)
		denied := map[string]bool{}
		var namespaces []string
		for _, o := range objs {
			switch v := o.(type) {
			case *corev1.Namespace:
				namespaces = append(namespaces, v.Name)
				for _, l := range []string{"team", "cost-center", "app.kubernetes.io/part-of"} {
					if v.Labels[l] == "" {
						t.Errorf("%s: namespace %s lacks the cost label %s", dir, v.Name, l)
					}
				}
			case *networkingv1.NetworkPolicy:
				if len(v.Spec.PodSelector.MatchLabels)+len(v.Spec.PodSelector.MatchExpressions) == 0 &&
					len(v.Spec.Ingress) == 0 && len(v.Spec.Egress) == 0 &&
					slices.Contains(v.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) &&
					slices.Contains(v.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) {
					denied[v.Namespace] = true
				}
			}
		}
		if len(namespaces) < 4 {
			t.Errorf("%s: want a namespace per service and the load generator, got %v", dir, namespaces)
		}
		for _, ns := range namespaces {
			if !denied[ns] {
				t.Errorf("%s: namespace %s has no default-deny NetworkPolicy", dir, ns)
			}
		}
	}
}

func TestEveryServiceIsScraped(t *testing.T) {
	for _, dir := range []string{"overlays/local", "overlays/eks"} {
		objs := render(t, dir)
		var monitors []*monitoringv1.ServiceMonitor
		for _, o := range objs {
			if m, ok := o.(*monitoringv1.ServiceMonitor); ok {
				monitors = append(monitors, m)
			}
		}
		for _, o := range objs {
			svc, ok := o.(*corev1.Service)
			if !ok {
				continue
			}
			if _, exempt := withoutServiceMonitor[svc.Name]; exempt {
				continue
			}
			if !scraped(svc, monitors) {
				t.Errorf("%s: Service %s/%s has no ServiceMonitor (or a reason in withoutServiceMonitor)", dir, svc.Namespace, svc.Name)
			}
		}
	}
}

func scraped(svc *corev1.Service, monitors []*monitoringv1.ServiceMonitor) bool {
	for _, m := range monitors {
		if m.Namespace != svc.Namespace || len(m.Spec.Selector.MatchLabels) == 0 {
			continue
		}
		if !labels.SelectorFromSet(m.Spec.Selector.MatchLabels).Matches(labels.Set(svc.Labels)) {
			continue
		}
		for _, e := range m.Spec.Endpoints {
			for _, p := range svc.Spec.Ports {
				if e.Port == p.Name {
					return true
				}
			}
		}
	}
	return false
}

// collectorRules are the rules of pkg/evidence/kube/rbac.yaml, which the
// collector's own test proves are exactly the requests it makes.
func collectorRules(t *testing.T) []rbacv1.PolicyRule {
	t.Helper()
	raw, err := os.ReadFile("../pkg/evidence/kube/rbac.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.UnmarshalStrict(raw, &role); err != nil {
		t.Fatal(err)
	}
	return role.Rules
}

// grants flattens rules to "group|resource|verb".
func grants(rules []rbacv1.PolicyRule) []string {
	var out []string
	for _, r := range rules {
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				for _, v := range r.Verbs {
					out = append(out, g+"|"+res+"|"+v)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// feederRole is the log feeder's own Role, apart from the plugin's RBAC.
const feederRole = "log-feeder"

// checkFeederRole: `aiops feed` lists and reads pods and reads their logs in
// its namespace, nothing more.
func checkFeederRole(t *testing.T, dir string, r *rbacv1.Role) {
	t.Helper()
	want := []string{"|pods/log|get", "|pods|get", "|pods|list"}
	if got := grants(r.Rules); !slices.Equal(got, want) {
		t.Errorf("%s: Role %s/%s grants %v, want %v", dir, r.Namespace, r.Name, got, want)
	}
}

// TestOnlyTheFeederTalksToTheAPI: the one pod with a service account token
// is the log feeder's, projected and short-lived.
func TestOnlyTheFeederTalksToTheAPI(t *testing.T) {
	for _, dir := range kustomizations {
		feeders := 0
		for _, p := range podSpecs(render(t, dir)) {
			var projected *corev1.ServiceAccountTokenProjection
			for _, v := range p.spec.Volumes {
				if v.Projected == nil {
					continue
				}
				for _, src := range v.Projected.Sources {
					if src.ServiceAccountToken != nil {
						projected = src.ServiceAccountToken
					}
				}
			}
			switch {
			case p.name != "log-feeder" && projected != nil:
				t.Errorf("%s: %s %s/%s mounts a service account token", dir, p.kind, p.namespace, p.name)
			case p.name == "log-feeder":
				feeders++
				if projected == nil || projected.ExpirationSeconds == nil || *projected.ExpirationSeconds > 3600 {
					t.Errorf("%s: the log feeder in %s needs a projected token that expires within an hour", dir, p.namespace)
				}
				if p.kind != "CronJob" || p.spec.ServiceAccountName != "log-feeder" {
					t.Errorf("%s: the log feeder in %s is a %s with service account %q", dir, p.namespace, p.kind, p.spec.ServiceAccountName)
				}
			}
		}
		if (dir == "overlays/local" || dir == "overlays/eks") && feeders != 3 {
			t.Errorf("%s: want a log feeder in each service namespace, found %d", dir, feeders)
		}
	}
}

func TestRBACIsTheCollectorsList(t *testing.T) {
	want := grants(collectorRules(t))
	if !slices.Contains(want, "apps|controllerrevisions|list") {
		t.Fatalf("the collector's list lacks controllerrevisions: %v", want)
	}
	var clusterScoped []string
	namespaced := map[string][]string{}
	for _, dir := range kustomizations {
		for _, o := range render(t, dir) {
			var rules []rbacv1.PolicyRule
			switch r := o.(type) {
			case *rbacv1.ClusterRole:
				rules = r.Rules
				if dir != "overlays/rbac-namespaced" {
					clusterScoped = grants(r.Rules)
				} else {
					namespaced["(cluster)"] = append(namespaced["(cluster)"], grants(r.Rules)...)
				}
			case *rbacv1.Role:
				rules = r.Rules
				if r.Name == feederRole {
					checkFeederRole(t, dir, r)
					break
				}
				namespaced[r.Namespace] = append(namespaced[r.Namespace], grants(r.Rules)...)
			}
			for _, g := range grants(rules) {
				if strings.Contains(g, "*") || strings.Contains(g, "secrets") {
					t.Errorf("%s: RBAC grants %s: no wildcards, never Secrets", dir, g)
				}
			}
		}
	}
	if !slices.Equal(clusterScoped, want) {
		t.Errorf("k8s/base/rbac/clusterrole.yaml differs from pkg/evidence/kube/rbac.yaml:\n got %v\nwant %v", clusterScoped, want)
	}
	if len(namespaced) < 4 {
		t.Fatalf("the namespaced alternative should have a Role per shop namespace and a node ClusterRole: %v", namespaced)
	}
	for ns, g := range namespaced {
		if ns == "(cluster)" {
			continue
		}
		union := append(slices.Clone(g), namespaced["(cluster)"]...)
		slices.Sort(union)
		if !slices.Equal(slices.Compact(union), want) {
			t.Errorf("namespace %s: Role plus node ClusterRole differ from the collector's list:\n got %v\nwant %v", ns, slices.Compact(union), want)
		}
	}
}
