package kubeapi

import "strings"

// resource is one REST resource the server knows: where it lives and what its
// objects are called.
type resource struct {
	group      string
	version    string
	plural     string
	singular   string
	kind       string
	namespaced bool
}

func (r resource) groupVersion() string {
	if r.group == "" {
		return r.version
	}
	return r.group + "/" + r.version
}

// resources is the fixed table of what can be loaded and served. Events appear
// twice: one stored object is served in both the core/v1 and events.k8s.io/v1
// shapes, as the real API server does. Secrets are deliberately absent.
var resources = []resource{
	{"", "v1", "pods", "pod", "Pod", true},
	{"", "v1", "events", "event", "Event", true},
	{"", "v1", "nodes", "node", "Node", false},
	{"", "v1", "services", "service", "Service", true},
	{"", "v1", "endpoints", "endpoints", "Endpoints", true},
	{"", "v1", "configmaps", "configmap", "ConfigMap", true},
	{"", "v1", "namespaces", "namespace", "Namespace", false},
	{"", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true},
	{"", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", false},
	{"", "v1", "resourcequotas", "resourcequota", "ResourceQuota", true},
	{"", "v1", "limitranges", "limitrange", "LimitRange", true},
	{"", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true},
	{"apps", "v1", "replicasets", "replicaset", "ReplicaSet", true},
	{"apps", "v1", "deployments", "deployment", "Deployment", true},
	{"apps", "v1", "statefulsets", "statefulset", "StatefulSet", true},
	{"apps", "v1", "daemonsets", "daemonset", "DaemonSet", true},
	{"apps", "v1", "controllerrevisions", "controllerrevision", "ControllerRevision", true},
	{"batch", "v1", "jobs", "job", "Job", true},
	{"batch", "v1", "cronjobs", "cronjob", "CronJob", true},
	{"events.k8s.io", "v1", "events", "event", "Event", true},
	{"autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", true},
	{"policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true},
	{"networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true},
	{"discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true},
	{"argoproj.io", "v1alpha1", "rollouts", "rollout", "Rollout", true},
}

// resourceForKind finds the resource objects of apiVersion/kind are stored
// under. Events of both API groups share the core/v1 store.
func resourceForKind(apiVersion, kind string) (resource, bool) {
	group, version := "", apiVersion
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		group, version = apiVersion[:i], apiVersion[i+1:]
	}
	for _, r := range resources {
		if r.group == group && r.version == version && r.kind == kind {
			if r.group == "events.k8s.io" {
				return resources[1], true
			}
			return r, true
		}
	}
	return resource{}, false
}

// resourceForPath finds a resource by its group, version and plural name.
func resourceForPath(group, version, plural string) (resource, bool) {
	for _, r := range resources {
		if r.group == group && r.version == version && r.plural == plural {
			return r, true
		}
	}
	return resource{}, false
}

// storeKey is the store's key of a resource: events of both groups share one.
func storeKey(r resource) string {
	if r.kind == "Event" {
		return "Event"
	}
	return r.group + "/" + r.kind
}
