package k8s_test

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// pod is a traffic endpoint: its namespace, its labels and its namespace's.
type pod struct {
	ns       string
	labels   map[string]string
	nsLabels map[string]string
}

// policies evaluates NetworkPolicies the way a CNI does for pod-to-pod
// traffic: a direction is open when no policy selects the pod for it, or when
// a rule of a selecting policy matches the peer and the port.
type policies []*networkingv1.NetworkPolicy

func selects(sel metav1.LabelSelector, l map[string]string) bool {
	s, err := metav1.LabelSelectorAsSelector(&sel)
	return err == nil && s.Matches(labels.Set(l))
}

func peerMatches(peers []networkingv1.NetworkPolicyPeer, self, other pod) bool {
	if len(peers) == 0 {
		return true
	}
	nsLabels := map[string]string{"kubernetes.io/metadata.name": other.ns}
	for k, v := range other.nsLabels {
		nsLabels[k] = v
	}
	for _, p := range peers {
		switch {
		case p.IPBlock != nil:
			continue
		case p.NamespaceSelector == nil:
			if other.ns == self.ns && selects(*p.PodSelector, other.labels) {
				return true
			}
		case selects(*p.NamespaceSelector, nsLabels) && (p.PodSelector == nil || selects(*p.PodSelector, other.labels)):
			return true
		}
	}
	return false
}

func portMatches(ports []networkingv1.NetworkPolicyPort, port int) bool {
	if len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		if p.Port == nil || *p.Port == intstr.FromInt32(int32(port)) {
			return true
		}
	}
	return false
}

func (ps policies) allows(self, other pod, port int, dir networkingv1.PolicyType) bool {
	selected := false
	for _, np := range ps {
		if np.Namespace != self.ns || !selects(np.Spec.PodSelector, self.labels) {
			continue
		}
		for _, t := range np.Spec.PolicyTypes {
			if t != dir {
				continue
			}
			selected = true
			if dir == networkingv1.PolicyTypeIngress {
				for _, r := range np.Spec.Ingress {
					if peerMatches(r.From, self, other) && portMatches(r.Ports, port) {
						return true
					}
				}
			} else {
				for _, r := range np.Spec.Egress {
					if peerMatches(r.To, self, other) && portMatches(r.Ports, port) {
						return true
					}
				}
			}
		}
	}
	return !selected
}

// TestNetworkPoliciesAllowOnlyTheCallGraph renders the eks overlay and the
// observability namespace's manifests, takes the shop pods' labels from the
// Deployments (the charts' pods carry their charts' standard labels) and
// checks who may talk to whom.
func TestNetworkPoliciesAllowOnlyTheCallGraph(t *testing.T) {
	var ps policies
	pods := map[string]pod{}
	nsLabels := map[string]map[string]string{}
	for _, o := range append(render(t, "overlays/eks"), render(t, "monitoring")...) {
		switch v := o.(type) {
		case *corev1.Namespace:
			nsLabels[v.Name] = v.Labels
		case *networkingv1.NetworkPolicy:
			ps = append(ps, v)
		case *appsv1.Deployment:
			pods[v.Name] = pod{ns: v.Namespace, labels: v.Spec.Template.Labels}
		case *batchv1.CronJob:
			pods[v.Name+"@"+v.Namespace] = pod{ns: v.Namespace, labels: v.Spec.JobTemplate.Spec.Template.Labels}
		}
	}
	pods["prometheus"] = pod{ns: "observability", labels: map[string]string{"app.kubernetes.io/name": "prometheus"}}
	pods["otel-collector"] = pod{ns: "observability", labels: map[string]string{"app.kubernetes.io/name": "opentelemetry-collector"}}
	pods["grafana"] = pod{ns: "observability", labels: map[string]string{"app.kubernetes.io/name": "grafana"}}
	pods["alertmanager"] = pod{ns: "observability", labels: map[string]string{"app.kubernetes.io/name": "alertmanager"}}
	pods["kube-state-metrics"] = pod{ns: "observability", labels: map[string]string{"app.kubernetes.io/name": "kube-state-metrics"}}
	pods["tempo"] = pod{ns: "observability", labels: map[string]string{"app.kubernetes.io/name": "tempo"}}
	pods["fluent-bit"] = pod{ns: "observability", labels: map[string]string{"app.kubernetes.io/name": "fluent-bit"}}
	pods["stranger"] = pod{ns: "default", labels: map[string]string{"app": "debug"}}
	pods["payment-neighbour"] = pod{ns: "payment", labels: map[string]string{"app": "payment-debug"}}
	for name, p := range pods {
		p.nsLabels = nsLabels[p.ns]
		pods[name] = p
	}
	for _, tc := range []struct {
		from, to string
		port     int
		want     bool
	}{
		{"order-service", "auth-service", 8080, true},
		{"order-service", "payment-service", 8080, true},
		{"loadgen", "auth-service", 8080, true},
		{"loadgen", "order-service", 8080, true},
		{"loadgen", "payment-service", 8080, true},
		{"prometheus", "auth-service", 8080, true},
		{"prometheus", "order-service", 8080, true},
		{"prometheus", "payment-service", 8080, true},
		{"auth-service", "payment-service", 8080, false},
		{"payment-service", "auth-service", 8080, false},
		{"payment-service", "order-service", 8080, false},
		{"auth-service", "order-service", 8080, false},
		{"stranger", "payment-service", 8080, false},
		{"order-service", "payment-service", 9090, false},
		{"prometheus", "payment-service", 9090, false},
		{"payment-neighbour", "payment-service", 9090, true},
		{"order-service", "stranger", 443, false},
		{"log-feeder@order", "grafana", 3000, true},
		{"log-feeder@payment", "grafana", 3000, true},
		{"log-feeder@order", "payment-service", 8080, false},
		{"log-feeder@auth", "order-service", 8080, false},
		{"stranger", "log-feeder@order", 8080, false},
		{"order-service", "grafana", 3000, false},
		{"stranger", "grafana", 3000, false},
		{"alertmanager", "grafana", 3000, true},
		{"prometheus", "alertmanager", 9093, true},
		{"grafana", "alertmanager", 9093, true},
		{"order-service", "alertmanager", 9093, false},
		{"grafana", "prometheus", 9090, true},
		{"order-service", "prometheus", 9090, false},
		{"stranger", "prometheus", 9090, false},
		{"prometheus", "kube-state-metrics", 8080, true},
		{"order-service", "kube-state-metrics", 8080, false},
		{"otel-collector", "tempo", 4317, true},
		{"grafana", "tempo", 3200, true},
		{"order-service", "tempo", 4317, false},
		{"tempo", "order-service", 8080, false},
		{"grafana", "order-service", 8080, false},
		{"fluent-bit", "grafana", 3000, false},
		{"stranger", "otel-collector", 4318, false},
	} {
		src, dst := pods[tc.from], pods[tc.to]
		if src.ns == "" || dst.ns == "" {
			t.Fatalf("no pod %s or %s in the render", tc.from, tc.to)
		}
		got := ps.allows(src, dst, tc.port, networkingv1.PolicyTypeEgress) && ps.allows(dst, src, tc.port, networkingv1.PolicyTypeIngress)
		if got != tc.want {
			t.Errorf("%s -> %s:%d allowed=%v, want %v", tc.from, tc.to, tc.port, got, tc.want)
		}
	}
	for _, name := range []string{"auth-service", "order-service", "payment-service", "loadgen"} {
		if !ps.allows(pods[name], pods["otel-collector"], 4318, networkingv1.PolicyTypeEgress) ||
			!ps.allows(pods["otel-collector"], pods[name], 4318, networkingv1.PolicyTypeIngress) {
			t.Errorf("%s may not export traces to the collector", name)
		}
	}
	for name, p := range pods {
		if p.ns != "observability" {
			continue
		}
		if ps.allows(p, pods["stranger"], 8080, networkingv1.PolicyTypeIngress) {
			t.Errorf("observability pod %s accepts anyone: the namespace lacks a default deny", name)
		}
	}
}
