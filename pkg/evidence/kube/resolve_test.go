package kube

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestResolve(t *testing.T) {
	c := startCluster(t, nil)
	deployment := incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"}
	tests := []struct {
		name      string
		labels    map[string]string
		maxPods   int
		wantVia   string
		wantFirst string // the first (unhealthiest) examined pod
		wantPods  int
		wantTotal int
		wantWL    incident.Entity
		wantNode  string
		wantNote  string
	}{
		{name: "pod label, owner through the ReplicaSet",
			labels:  map[string]string{"namespace": "shop", "pod": "order-7d9c5fb8c-xcrsh", "container": "order", "service": "kube-state-metrics"},
			wantVia: "label pod", wantFirst: "order-7d9c5fb8c-xcrsh", wantPods: 1, wantTotal: 1, wantWL: deployment, wantNode: "node-a"},
		{name: "pod label without namespace",
			labels:  map[string]string{"pod": "db-0"},
			wantVia: "label pod", wantFirst: "db-0", wantPods: 1, wantTotal: 1,
			wantWL: incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "db"}},
		{name: "deployment label caps pods, unhealthiest first, skips pods it does not own",
			labels:  map[string]string{"namespace": "shop", "deployment": "order"},
			wantVia: "label deployment", wantFirst: "order-7d9c5fb8c-xcrsh", wantPods: 10, wantTotal: 12, wantWL: deployment,
			wantNote: "examined 10 of 12 pods, unhealthiest first"},
		{name: "mixin workload labels",
			labels:  map[string]string{"namespace": "shop", "workload": "db", "workload_type": "statefulset"},
			wantVia: "label workload", wantFirst: "db-0", wantPods: 1, wantTotal: 1,
			wantWL: incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "db"}},
		{name: "service selector",
			labels:  map[string]string{"namespace": "shop", "service": "order-svc"},
			maxPods: 3, wantVia: "service selector", wantFirst: "order-7d9c5fb8c-xcrsh", wantPods: 3, wantTotal: 13,
			wantNote: "examined 3 of 13 pods"},
		{name: "app label naming a deployment",
			labels:  map[string]string{"namespace": "shop", "app": "order"},
			wantVia: "workload named after label", wantFirst: "order-7d9c5fb8c-xcrsh", wantPods: 10, wantTotal: 12, wantWL: deployment},
		{name: "instance is a pod IP",
			labels:  map[string]string{"job": "order", "instance": "10.1.0.3:8080"},
			wantVia: "pod IP from instance", wantFirst: "order-7d9c5fb8c-00002", wantPods: 1, wantTotal: 1, wantWL: deployment},
		{name: "instance is a node address",
			labels:  map[string]string{"job": "node-exporter", "instance": "192.168.1.10:9100"},
			wantVia: "label node", wantFirst: "order-7d9c5fb8c-xcrsh", wantPods: 7, wantTotal: 7, wantNode: "node-a", wantWL: deployment},
		{name: "node label",
			labels:  map[string]string{"node": "node-b"},
			wantVia: "label node", wantPods: 7, wantTotal: 7, wantNode: "node-b"},
		{name: "job pod owned by a cronjob",
			labels:  map[string]string{"namespace": "shop", "job_name": "report-29000"},
			wantVia: "label job_name", wantFirst: "report-29000-abcde", wantPods: 1, wantTotal: 1,
			wantWL: incident.Entity{Namespace: "shop", Kind: incident.KindJob, Name: "report-29000"}},
		{name: "cronjob label",
			labels:  map[string]string{"namespace": "shop", "cronjob": "report"},
			wantVia: "label cronjob", wantFirst: "report-29000-abcde", wantPods: 1, wantTotal: 1,
			wantWL: incident.Entity{Namespace: "shop", Kind: incident.KindCronJob, Name: "report"}},
		{name: "autoscaler label resolves to the workload it scales",
			labels:  map[string]string{"namespace": "shop", "horizontalpodautoscaler": "order-autoscaler", "job": "kube-state-metrics"},
			wantVia: "workload deployment", wantFirst: "order-7d9c5fb8c-xcrsh", wantPods: 10, wantTotal: 12, wantWL: deployment,
			wantNote: "HorizontalPodAutoscaler shop/order-autoscaler scales Deployment order"},
		{name: "autoscaler of another kind names no workload",
			labels:   map[string]string{"namespace": "shop", "horizontalpodautoscaler": "widgets"},
			wantNote: "scales a Widget"},
		{name: "missing autoscaler",
			labels:   map[string]string{"namespace": "shop", "horizontalpodautoscaler": "gone"},
			wantNote: "HorizontalPodAutoscaler shop/gone"},
		{name: "missing autoscaler named after its deployment",
			labels:  map[string]string{"namespace": "shop", "horizontalpodautoscaler": "order"},
			wantVia: "workload deployment", wantFirst: "order-7d9c5fb8c-xcrsh", wantPods: 10, wantTotal: 12, wantWL: deployment,
			wantNote: "the Deployment shop/order of the same name is taken as its target"},
		{name: "deleted pod falls back to its deployment by name",
			labels:  map[string]string{"namespace": "shop", "pod": "order-7d9c5fb8c-gone1"},
			wantVia: "label pod", wantFirst: "order-7d9c5fb8c-xcrsh", wantPods: 10, wantTotal: 12, wantWL: deployment,
			wantNote: "pod order-7d9c5fb8c-gone1 no longer exists"},
		{name: "unknown deployment",
			labels:  map[string]string{"namespace": "shop", "deployment": "nope"},
			wantVia: "label deployment", wantNote: "Deployment shop/nope not found",
			wantWL: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "nope"}},
		// kubelet_volume_stats_* alerts name the claim; a StatefulSet's claim
		// from its volumeClaimTemplate is "<template>-<pod>".
		{name: "volume alert resolves to the StatefulSet member of the claim",
			labels:  map[string]string{"namespace": "shop", "persistentvolumeclaim": "data-db-0", "job": "kubelet"},
			wantVia: "label persistentvolumeclaim", wantFirst: "db-0", wantPods: 1, wantTotal: 1,
			wantWL: incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "db"}},
		{name: "volume alert on a claim no pod mounts",
			labels:   map[string]string{"namespace": "shop", "persistentvolumeclaim": "scratch-archive"},
			wantNote: "no pod in shop mounts the claim scratch-archive"},
		{name: "nothing to go on",
			labels:   map[string]string{"alertname": "Watchdog"},
			wantNote: "name no pod, workload, service, instance or node"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Resolve(context.Background(), incident.Alert{Labels: tc.labels}, tc.maxPods)
			if err != nil {
				t.Fatal(err)
			}
			tg := res.Target
			if tg.Via != tc.wantVia || len(res.Pods) != tc.wantPods || tg.TotalPods != tc.wantTotal || tg.Workload != tc.wantWL {
				t.Fatalf("got via %q, %d pods of %d, workload %v; want %q, %d of %d, %v (notes %v)",
					tg.Via, len(res.Pods), tg.TotalPods, tg.Workload, tc.wantVia, tc.wantPods, tc.wantTotal, tc.wantWL, res.Notes)
			}
			if tc.wantFirst != "" && res.Pods[0].Name != tc.wantFirst {
				t.Errorf("first pod %s, want %s", res.Pods[0].Name, tc.wantFirst)
			}
			if tc.wantNode != "" && tg.Node != tc.wantNode {
				t.Errorf("node %q, want %q", tg.Node, tc.wantNode)
			}
			if tc.wantNote != "" && !strings.Contains(strings.Join(res.Notes, "|"), tc.wantNote) {
				t.Errorf("notes %v lack %q", res.Notes, tc.wantNote)
			}
			if len(tg.Pods) != len(res.Pods) && len(res.Pods) > 0 {
				t.Errorf("target pods %v do not match examined pods", tg.Pods)
			}
			for _, p := range res.Pods {
				if p.Name == "order-debug" && tc.wantWL == deployment {
					t.Errorf("order-debug is not owned by the deployment but was examined")
				}
			}
		})
	}
	if _, err := c.Resolve(context.Background(), incident.Alert{}, 0); err != ErrNoLabels {
		t.Fatalf("no labels: got %v", err)
	}
}

func TestResolvedPodState(t *testing.T) {
	c := startCluster(t, nil)
	res, err := c.Resolve(context.Background(), incident.Alert{Labels: map[string]string{"namespace": "shop", "pod": "order-7d9c5fb8c-xcrsh"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Pods[0]
	if p.ReplicaSet != "order-7d9c5fb8c" || p.Owner.Kind != incident.KindDeployment || p.Node != "node-a" {
		t.Fatalf("owner/node: %+v", p)
	}
	cs := p.Containers[0]
	if cs.State != "waiting" || cs.Reason != "CrashLoopBackOff" || cs.RestartCount != 4 ||
		cs.LastTermination == nil || cs.LastTermination.Reason != "OOMKilled" || cs.LastTermination.ExitCode != 137 {
		t.Fatalf("container state: %+v", cs)
	}
	if cs.Limits.MemoryBytes != 128<<20 || cs.Requests.CPUMilli != 100 || len(cs.Probes) != 1 || cs.Probes[0].Path != "/healthz" || cs.Probes[0].Port != "8080" {
		t.Fatalf("resources/probes: %+v", cs)
	}
	if !slices.Equal(cs.EnvFrom, []string{"configmap/order-config", "secret/api"}) {
		t.Fatalf("envFrom %v", cs.EnvFrom)
	}
}

func TestTargetFromLabels(t *testing.T) {
	tests := []struct {
		labels map[string]string
		want   incident.Target
	}{
		{map[string]string{"namespace": "shop", "pod": "order-7d9c5fb8c-x2x1q", "container": "order"},
			incident.Target{Namespace: "shop", Pods: []string{"order-7d9c5fb8c-x2x1q"}, Container: "order", Via: "label pod",
				Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"}}},
		{map[string]string{"exported_namespace": "db", "pod_name": "pg-0"},
			incident.Target{Namespace: "db", Pods: []string{"pg-0"}, Via: "label pod_name",
				Workload: incident.Entity{Namespace: "db", Kind: incident.KindStatefulSet, Name: "pg"}}},
		{map[string]string{"namespace": "shop", "deployment": "order", "service": "ksm"},
			incident.Target{Namespace: "shop", Via: "label deployment", Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"}}},
		{map[string]string{"namespace": "shop", "service": "payment", "job": "payment"},
			incident.Target{Namespace: "shop", Service: "payment", Via: "label service"}},
		{map[string]string{"app_kubernetes_io_name": "auth"}, incident.Target{Service: "auth", Via: "label app_kubernetes_io_name"}},
		{map[string]string{"namespace": "billing", "application": "invoice-api", "job": "billing/invoice-api"},
			incident.Target{Namespace: "billing", Service: "invoice-api", Via: "label application"}},
		{map[string]string{"node": "ip-10-0-1-2"}, incident.Target{Node: "ip-10-0-1-2", Via: "label node"}},
		{map[string]string{"alertname": "Watchdog"}, incident.Target{}},
		// Values that cannot be names never reach a selector.
		{map[string]string{"namespace": "shop", "pod": "x,spec.nodeName=y", "deployment": "Order/../x", "service": "a=b"},
			incident.Target{Namespace: "shop"}},
	}
	for _, tc := range tests {
		got := TargetFromLabels(incident.Alert{Labels: tc.labels})
		if got.Namespace != tc.want.Namespace || !slices.Equal(got.Pods, tc.want.Pods) || got.Container != tc.want.Container ||
			got.Workload != tc.want.Workload || got.Service != tc.want.Service || got.Node != tc.want.Node || got.Via != tc.want.Via {
			t.Errorf("%v: got %+v, want %+v", tc.labels, got, tc.want)
		}
	}
}

func FuzzTargetFromLabels(f *testing.F) {
	f.Add("namespace", "shop", "pod", "order-7d9c5fb8c-x2x1q")
	f.Add("workload", "db", "workload_type", "StatefulSet")
	f.Add("instance", "[::1]:80", "node", "")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		got := TargetFromLabels(incident.Alert{Labels: map[string]string{k1: v1, k2: v2}})
		for _, s := range append([]string{got.Namespace, got.Container, got.Node, got.Service, got.Workload.Name}, got.Pods...) {
			if s != "" && !validName(s) {
				t.Fatalf("invalid name %q reached the target", s)
			}
		}
	})
}
