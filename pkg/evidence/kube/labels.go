package kube

import (
	"net"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Label names alerts carry for the same thing, in order of preference:
// kube-state-metrics and cAdvisor names, their exported_ forms after a
// Prometheus relabel, and OpenTelemetry's k8s_* names.
var (
	namespaceLabels = []string{"namespace", "exported_namespace", "kubernetes_namespace", "k8s_namespace_name"}
	podLabels       = []string{"pod", "pod_name", "exported_pod", "kubernetes_pod_name", "k8s_pod_name"}
	containerLabels = []string{"container", "container_name", "exported_container", "k8s_container_name"}
	serviceLabels   = []string{"service", "k8s_service_name"}
	// "application" is the common tag Spring Boot's Micrometer puts on
	// every metric (management.metrics.tags.application).
	appLabels  = []string{"app_kubernetes_io_name", "app.kubernetes.io/name", "app", "k8s_app", "application"}
	nodeLabels = []string{"node", "kubernetes_node", "k8s_node_name"}
	// workloadLabels maps a label to the kind it names. "job" is not here:
	// in Prometheus it is the scrape job; kube-state-metrics says job_name.
	workloadLabels = []struct{ label, kind string }{
		{"deployment", incident.KindDeployment},
		{"k8s_deployment_name", incident.KindDeployment},
		{"statefulset", incident.KindStatefulSet},
		{"k8s_statefulset_name", incident.KindStatefulSet},
		{"daemonset", incident.KindDaemonSet},
		{"k8s_daemonset_name", incident.KindDaemonSet},
		{"job_name", incident.KindJob},
		{"k8s_job_name", incident.KindJob},
		{"cronjob", incident.KindCronJob},
		{"k8s_cronjob_name", incident.KindCronJob},
		{"replicaset", incident.KindReplicaSet},
		{"k8s_replicaset_name", incident.KindReplicaSet},
		// Argo Rollouts' own metrics (rollout_info, analysis_run_info).
		{"rollout", incident.KindRollout},
	}
	// workloadTypes are the values of the kubernetes-mixin workload_type label.
	workloadTypes = map[string]string{
		"deployment": incident.KindDeployment, "statefulset": incident.KindStatefulSet,
		"daemonset": incident.KindDaemonSet, "job": incident.KindJob, "cronjob": incident.KindCronJob,
		"replicaset": incident.KindReplicaSet,
	}
	// deploymentPodName matches <deployment>-<pod-template-hash>-<suffix>;
	// the hash must also hold a digit (see workloadFromPodName).
	deploymentPodName = regexp.MustCompile(`^([a-z0-9][a-z0-9.-]*?)-([a-z0-9]{5,10})-[a-z0-9]{5}$`)
	// statefulSetPodName matches <statefulset>-<ordinal>.
	statefulSetPodName = regexp.MustCompile(`^([a-z0-9][a-z0-9.-]*?)-(0|[1-9][0-9]{0,4})$`)
)

// maxLabelValue bounds label values used in API calls; longer ones cannot be
// Kubernetes names anyway.
const maxLabelValue = 253

// validName reports whether v can be a Kubernetes object name. Label values
// are outside input and end up in selectors and paths: anything else (a
// comma, an "=", a slash) is ignored rather than sent to the API.
func validName(v string) bool {
	return v != "" && len(v) <= maxLabelValue && len(validation.IsDNS1123Subdomain(v)) == 0
}

func first(labels map[string]string, keys []string) (key, value string) {
	for _, k := range keys {
		if v := strings.TrimSpace(labels[k]); validName(v) {
			return k, v
		}
	}
	return "", ""
}

func value(labels map[string]string, keys []string) string {
	_, v := first(labels, keys)
	return v
}

// workloadFromLabels returns the workload an alert names, if any.
func workloadFromLabels(labels map[string]string, namespace string) (incident.Entity, string) {
	if w, typ := strings.TrimSpace(labels["workload"]), strings.ToLower(labels["workload_type"]); validName(w) {
		if kind, ok := workloadTypes[typ]; ok {
			return incident.Entity{Namespace: namespace, Kind: kind, Name: w}, "label workload"
		}
	}
	for _, wl := range workloadLabels {
		if v := strings.TrimSpace(labels[wl.label]); validName(v) {
			return incident.Entity{Namespace: namespace, Kind: wl.kind, Name: v}, "label " + wl.label
		}
	}
	return incident.Entity{}, ""
}

// WorkloadLabel is the alert label that names a workload of the kind to the
// target resolution: the first of the labels it reads for that kind.
func WorkloadLabel(kind string) (string, bool) {
	for _, wl := range workloadLabels {
		if wl.kind == kind {
			return wl.label, true
		}
	}
	return "", false
}

// workloadFromPodName guesses the controller from a pod's generated name.
// It is used only without Kubernetes access or when the pod is gone.
func workloadFromPodName(namespace, pod string) incident.Entity {
	// A hash without a digit is more likely a word of a DaemonSet's or Job's
	// name ("order-service-x7k2p") than a pod-template-hash.
	if m := deploymentPodName.FindStringSubmatch(pod); m != nil && strings.ContainsAny(m[2], "0123456789") && validName(m[1]) {
		return incident.Entity{Namespace: namespace, Kind: incident.KindDeployment, Name: m[1]}
	}
	if m := statefulSetPodName.FindStringSubmatch(pod); m != nil && validName(m[1]) {
		return incident.Entity{Namespace: namespace, Kind: incident.KindStatefulSet, Name: m[1]}
	}
	return incident.Entity{}
}

// TargetFromLabels resolves what an alert is about from its labels alone,
// for when Kubernetes is not configured or not reachable. Precedence: pod,
// workload, service, app name, node.
func TargetFromLabels(a incident.Alert) incident.Target {
	l := a.Labels
	t := incident.Target{Namespace: value(l, namespaceLabels), Container: value(l, containerLabels), Node: value(l, nodeLabels)}
	if key, pod := first(l, podLabels); pod != "" {
		t.Pods, t.Via = []string{pod}, "label "+key
		t.Workload = workloadFromPodName(t.Namespace, pod)
	}
	if w, via := workloadFromLabels(l, t.Namespace); !w.IsZero() {
		t.Workload = w
		if t.Via == "" {
			t.Via = via
		}
	}
	if t.Via != "" {
		return t
	}
	if key, svc := first(l, serviceLabels); svc != "" {
		t.Service, t.Via = svc, "label "+key
		return t
	}
	if key, app := first(l, appLabels); app != "" {
		t.Service, t.Via = app, "label "+key
		return t
	}
	if t.Node != "" {
		t.Via = "label node"
	}
	return t
}

// instanceHost returns the host of an instance label (host:port or host).
func instanceHost(instance string) string {
	if host, _, err := net.SplitHostPort(instance); err == nil {
		return host
	}
	return instance
}
