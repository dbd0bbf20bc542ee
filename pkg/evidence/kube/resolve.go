package kube

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// DefaultMaxPods is how many pods are examined when the caller does not say.
const DefaultMaxPods = 10

// Resolution is the target of an alert and the pods examined for it,
// unhealthiest first.
type Resolution struct {
	Target incident.Target
	Pods   []incident.PodState
	Notes  []string
	// envHosts are the hosts the pods' containers are given literally in
	// their environment.
	envHosts []incident.ConfiguredHost
	// intermediates are the ReplicaSets and Jobs between the pods and their
	// top-level controller; their events matter too.
	intermediates []incident.Entity
}

// ErrNoLabels is returned for an alert that says nothing about its subject.
var ErrNoLabels = errors.New("the alert has no labels: nothing to resolve")

// resolver holds the lookups of one resolution, so owners shared by many
// pods are fetched once.
type resolver struct {
	c           *Collector
	replicaSets map[string]*workload
	jobs        map[string]*workload
	notes       []string
}

// Resolve finds the pods behind an alert: by pod, by workload, by Service or
// app name, by pod IP (instance), or by node, and the top-level owner of
// each. At most maxPods pods are kept (DefaultMaxPods when not positive),
// unhealthiest first; the cap is reported in Notes. An alert whose subject
// cannot be found is not an error: the Resolution then has no pods and a
// note says why.
func (c *Collector) Resolve(ctx context.Context, a incident.Alert, maxPods int) (*Resolution, error) {
	if len(a.Labels) == 0 {
		return nil, ErrNoLabels
	}
	if maxPods <= 0 {
		maxPods = DefaultMaxPods
	}
	r := &resolver{c: c, replicaSets: map[string]*workload{}, jobs: map[string]*workload{}}
	t := TargetFromLabels(a)
	pods, err := r.find(ctx, a.Labels, &t)
	if err != nil {
		return nil, err
	}
	rankPods(pods)
	t.TotalPods = len(pods)
	if len(pods) > maxPods {
		r.notes = append(r.notes, fmt.Sprintf("examined %d of %d pods, unhealthiest first", maxPods, len(pods)))
		pods = pods[:maxPods]
	}
	res := &Resolution{}
	seen := map[incident.Entity]bool{}
	if len(pods) > 0 {
		t.Pods = nil
	}
	for i := range pods {
		p := &pods[i]
		owner, mid, err := r.owner(ctx, p)
		if err != nil {
			return nil, err
		}
		rs := ""
		if mid.Kind == incident.KindReplicaSet {
			rs = mid.Name
		}
		if !mid.IsZero() && !seen[mid] {
			seen[mid] = true
			res.intermediates = append(res.intermediates, mid)
		}
		res.Pods = append(res.Pods, podState(p, owner, rs))
		for _, h := range hostsOfEnv(p) {
			if !slices.Contains(res.envHosts, h) && len(res.envHosts) < maxConfiguredHosts {
				res.envHosts = append(res.envHosts, h)
			}
		}
		t.Pods = append(t.Pods, p.Name)
	}
	fillFromPods(&t, res.Pods)
	res.Target, res.Notes = t, r.notes
	return res, nil
}

// find dispatches on the strongest label the alert carries.
func (r *resolver) find(ctx context.Context, l map[string]string, t *incident.Target) ([]pod, error) {
	if len(t.Pods) == 1 {
		pods, err := r.podByName(ctx, t.Namespace, t.Pods[0])
		if err != nil || len(pods) > 0 {
			return pods, err
		}
		r.notes = append(r.notes, fmt.Sprintf("pod %s no longer exists", t.Pods[0]))
		if t.Workload.IsZero() {
			return nil, nil
		}
	}
	if w, _ := workloadFromLabels(l, t.Namespace); w.IsZero() && t.Workload.IsZero() {
		if w, err := r.scaleTarget(ctx, t.Namespace, l); err != nil || !w.IsZero() {
			if err != nil {
				return nil, err
			}
			t.Workload = w
		}
	}
	if w, _ := workloadFromLabels(l, t.Namespace); !w.IsZero() || !t.Workload.IsZero() {
		if w.IsZero() {
			w = t.Workload
		}
		return r.workloadPods(ctx, t, w)
	}
	if t.Service != "" {
		pods, found, err := r.servicePods(ctx, t)
		if err != nil || found {
			return pods, err
		}
		return r.appPods(ctx, t)
	}
	if claim := strings.TrimSpace(l["persistentvolumeclaim"]); claim != "" && t.Namespace != "" && len(claim) <= maxLabelValue {
		pods, err := r.claimPods(ctx, t, claim)
		if err != nil || len(pods) > 0 {
			return pods, err
		}
	}
	if inst := strings.TrimSpace(l["instance"]); inst != "" && len(inst) <= maxLabelValue {
		pods, err := r.instancePods(ctx, t, instanceHost(inst))
		if err != nil || len(pods) > 0 {
			return pods, err
		}
	}
	if t.Node != "" {
		t.Via = "label node"
		return r.list(ctx, "", listOptions{FieldSelector: "spec.nodeName=" + t.Node}, "pods on node "+t.Node)
	}
	r.notes = append(r.notes, "the alert's labels name no pod, workload, service, instance or node")
	return nil, nil
}

func (r *resolver) podByName(ctx context.Context, ns, name string) ([]pod, error) {
	if ns != "" {
		p, err := get[pod](ctx, r.c.api, podResource, ns, name)
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("get pod %s/%s: %w", ns, name, err)
		}
		return []pod{*p}, nil
	}
	return r.list(ctx, "", listOptions{FieldSelector: "metadata.name=" + name}, "pod "+name)
}

// list lists pods and notes when the list was cut at listLimit.
func (r *resolver) list(ctx context.Context, ns string, opts listOptions, what string) ([]pod, error) {
	opts.Limit = listLimit
	list, err := list[podList](ctx, r.c.api, podResource, ns, opts)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	if list.Continue != "" {
		r.notes = append(r.notes, fmt.Sprintf("more than %d pods match %s; only the first %d were ranked", listLimit, what, listLimit))
	}
	return list.Items, nil
}

// workloadPods lists the pods a workload owns and sets the target's workload
// to the top-level controller.
func (r *resolver) workloadPods(ctx context.Context, t *incident.Target, w incident.Entity) ([]pod, error) {
	if w.Namespace == "" {
		r.notes = append(r.notes, fmt.Sprintf("%s %s: the alert has no namespace label", w.Kind, w.Name))
		return nil, nil
	}
	sel, err := r.selectorOf(ctx, &w)
	if errors.Is(err, errNotFound) {
		r.notes = append(r.notes, fmt.Sprintf("%s %s/%s not found", w.Kind, w.Namespace, w.Name))
		t.Workload = w
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if t.Via == "" {
		t.Via = "workload " + strings.ToLower(w.Kind)
	}
	t.Workload = w
	pods, err := r.list(ctx, w.Namespace, listOptions{LabelSelector: sel}, w.String())
	if err != nil {
		return nil, err
	}
	owned := pods[:0]
	for i := range pods {
		top, mid, err := r.owner(ctx, &pods[i])
		if err != nil {
			return nil, err
		}
		if top == w || mid == w {
			owned = append(owned, pods[i])
		}
	}
	return owned, nil
}

var errNotFound = errors.New("not found")

// hpaLabel is kube-state-metrics' label for a HorizontalPodAutoscaler
// (kube_horizontalpodautoscaler_*), which KubeHpaMaxedOut and
// KubeHpaReplicasMismatch carry instead of a workload label.
const hpaLabel = "horizontalpodautoscaler"

// scaleTarget resolves an alert about a HorizontalPodAutoscaler to the
// workload it scales: the autoscaler has no pods of its own, and its name
// need not be the workload's. A missing or unreadable autoscaler leaves a
// note and no workload.
func (r *resolver) scaleTarget(ctx context.Context, namespace string, l map[string]string) (incident.Entity, error) {
	name := strings.TrimSpace(l[hpaLabel])
	if !validName(name) || namespace == "" {
		return incident.Entity{}, nil
	}
	hpa, err := get[horizontalPodAutoscaler](ctx, r.c.api, hpaResource, namespace, name)
	if apierrors.IsNotFound(err) || apierrors.IsForbidden(err) {
		r.notes = append(r.notes, fmt.Sprintf("HorizontalPodAutoscaler %s/%s: %v", namespace, name, err))
		// An autoscaler is usually named after what it scales (kubectl
		// autoscale does so): a Deployment of that name is the target.
		if _, derr := get[workload](ctx, r.c.api, deploymentResource, namespace, name); derr == nil {
			r.notes = append(r.notes, fmt.Sprintf("the Deployment %s/%s of the same name is taken as its target", namespace, name))
			return incident.Entity{Namespace: namespace, Kind: incident.KindDeployment, Name: name}, nil
		}
		return incident.Entity{}, nil
	}
	if err != nil {
		return incident.Entity{}, fmt.Errorf("get HorizontalPodAutoscaler %s/%s: %w", namespace, name, err)
	}
	ref := hpa.Spec.ScaleTargetRef
	switch ref.Kind {
	case incident.KindDeployment, incident.KindStatefulSet, incident.KindReplicaSet, incident.KindRollout:
	default:
		r.notes = append(r.notes, fmt.Sprintf("HorizontalPodAutoscaler %s/%s scales a %s, not a workload this resolver reads", namespace, name, ref.Kind))
		return incident.Entity{}, nil
	}
	if !validName(ref.Name) {
		return incident.Entity{}, nil
	}
	r.notes = append(r.notes, fmt.Sprintf("HorizontalPodAutoscaler %s/%s scales %s %s", namespace, name, ref.Kind, ref.Name))
	return incident.Entity{Namespace: namespace, Kind: ref.Kind, Name: ref.Name}, nil
}

// selectorOf fetches a workload and returns its pod selector. A ReplicaSet
// owned by a Deployment or an Argo Rollout is replaced by its owner; a CronJob selects the
// pods of its Jobs.
func (r *resolver) selectorOf(ctx context.Context, w *incident.Entity) (string, error) {
	var sel *metav1.LabelSelector
	var err error
	api := r.c.api
	switch w.Kind {
	case incident.KindDeployment, incident.KindStatefulSet, incident.KindDaemonSet, incident.KindJob:
		var o *workload
		if o, err = get[workload](ctx, api, workloadResources[w.Kind], w.Namespace, w.Name); err == nil {
			sel = o.Spec.Selector
		}
	case incident.KindReplicaSet:
		var rs *workload
		if rs, err = r.replicaSet(ctx, w.Namespace, w.Name); err == nil {
			sel = rs.Spec.Selector
			if ref := metav1.GetControllerOf(rs); ref != nil && (ref.Kind == incident.KindDeployment || ref.Kind == incident.KindRollout) {
				*w = incident.Entity{Namespace: w.Namespace, Kind: ref.Kind, Name: ref.Name}
			}
		}
	case incident.KindRollout:
		var ro *rollout
		if ro, err = r.c.getRollout(ctx, w.Namespace, w.Name); err == nil {
			sel, _, err = r.c.rolloutSelector(ctx, ro)
		}
	case incident.KindCronJob:
		if _, err = get[cronJob](ctx, api, cronJobResource, w.Namespace, w.Name); err == nil {
			// Jobs carry the CronJob's name only in their owner reference;
			// their pods are found by owner after listing the namespace.
			return labels.Everything().String(), nil
		}
	default:
		return "", fmt.Errorf("%s: unsupported workload kind", w)
	}
	if apierrors.IsNotFound(err) {
		return "", errNotFound
	}
	if err != nil {
		return "", fmt.Errorf("get %s: %w", w, err)
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return "", fmt.Errorf("%s: bad selector: %w", w, err)
	}
	if s.Empty() {
		return "", fmt.Errorf("%s: empty selector would match every pod", w)
	}
	return s.String(), nil
}

// servicePods resolves a Service by name to the pods its selector matches.
func (r *resolver) servicePods(ctx context.Context, t *incident.Target) ([]pod, bool, error) {
	if t.Namespace == "" {
		return nil, false, nil
	}
	svc, err := get[service](ctx, r.c.api, serviceResource, t.Namespace, t.Service)
	if apierrors.IsNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("get service %s/%s: %w", t.Namespace, t.Service, err)
	}
	if len(svc.Spec.Selector) == 0 {
		r.notes = append(r.notes, fmt.Sprintf("service %s has no selector", svc.Name))
		return nil, true, nil
	}
	t.Via = "service selector"
	pods, err := r.list(ctx, t.Namespace, listOptions{LabelSelector: labels.SelectorFromSet(svc.Spec.Selector).String()}, "service "+svc.Name)
	return pods, true, err
}

// appPods resolves an app name that is not a Service: a workload of that
// name, or pods labelled with it.
func (r *resolver) appPods(ctx context.Context, t *incident.Target) ([]pod, error) {
	name := t.Service
	if t.Namespace != "" {
		for _, kind := range []string{incident.KindDeployment, incident.KindStatefulSet, incident.KindDaemonSet} {
			w := incident.Entity{Namespace: t.Namespace, Kind: kind, Name: name}
			if _, err := r.selectorOf(ctx, &w); err == nil {
				t.Service, t.Via = "", "workload named after label"
				return r.workloadPods(ctx, t, w)
			} else if !errors.Is(err, errNotFound) {
				return nil, err
			}
		}
	}
	for _, key := range []string{"app.kubernetes.io/name", "app"} {
		pods, err := r.list(ctx, t.Namespace, listOptions{LabelSelector: key + "=" + name}, key+"="+name)
		if err != nil {
			return nil, fmt.Errorf("pods labelled %s=%s: %w", key, name, err)
		}
		if len(pods) > 0 {
			t.Service, t.Via = "", "pod label "+key
			return pods, nil
		}
	}
	r.notes = append(r.notes, fmt.Sprintf("no service, workload or pod label matches %q", name))
	return nil, nil
}

// claimPods resolves a volume alert (kubelet_volume_stats_* and
// kube_persistentvolumeclaim_* carry namespace and persistentvolumeclaim):
// the pods of the namespace that mount the claim, so their workload, logs and
// claims are read. At most listLimit pods of the namespace are scanned.
func (r *resolver) claimPods(ctx context.Context, t *incident.Target, claim string) ([]pod, error) {
	all, err := r.list(ctx, t.Namespace, listOptions{}, "pods in "+t.Namespace)
	if err != nil {
		return nil, err
	}
	var out []pod
	for _, p := range all {
		if mountsClaim(&p, claim) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		r.notes = append(r.notes, fmt.Sprintf("no pod in %s mounts the claim %s", t.Namespace, claim))
		return nil, nil
	}
	t.Via = "label persistentvolumeclaim"
	return out, nil
}

// mountsClaim reports whether the pod mounts the claim, or is the
// StatefulSet member whose volumeClaimTemplate made it: such a claim is named
// "<template>-<pod>" (data-pg-0 for pod pg-0), the pod's volume pointing at it.
func mountsClaim(p *pod, claim string) bool {
	for _, v := range p.Spec.Volumes {
		if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == claim {
			return true
		}
	}
	ref := metav1.GetControllerOf(p)
	return ref != nil && ref.Kind == incident.KindStatefulSet && strings.HasSuffix(claim, "-"+p.Name)
}

// instancePods resolves a scrape target: a pod with that IP, else a node
// with that address or name (node-exporter alerts).
func (r *resolver) instancePods(ctx context.Context, t *incident.Target, host string) ([]pod, error) {
	if net.ParseIP(host) == nil && !validName(host) {
		return nil, nil
	}
	if net.ParseIP(host) != nil {
		pods, err := r.list(ctx, t.Namespace, listOptions{FieldSelector: "status.podIP=" + host}, "pod IP "+host)
		if err != nil {
			return nil, err
		}
		var running []pod
		for _, p := range pods {
			// Host-network pods share the node's IP: not what the alert is about.
			if !p.Spec.HostNetwork && p.Status.Phase != podSucceeded && p.Status.Phase != podFailed {
				running = append(running, p)
			}
		}
		if len(running) > 0 {
			t.Via = "pod IP from instance"
			return running, nil
		}
	}
	nodes, err := list[nodeList](ctx, r.c.api, nodeResource, "", listOptions{Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("list nodes: %w", err)
	}
	for _, n := range nodes.Items {
		match := n.Name == host
		for _, addr := range n.Status.Addresses {
			match = match || addr.Address == host
		}
		if match {
			t.Node = n.Name
			return nil, nil
		}
	}
	return nil, nil
}

// owner walks controller references up to the top-level controller:
// Pod → ReplicaSet → Deployment, Pod → Job → CronJob, or one step for
// StatefulSets and DaemonSets. mid is the ReplicaSet or Job in between.
func (r *resolver) owner(ctx context.Context, p *pod) (top, mid incident.Entity, err error) {
	ref := metav1.GetControllerOf(p)
	if ref == nil {
		return incident.Entity{}, incident.Entity{}, nil
	}
	ns := p.Namespace
	direct := incident.Entity{Namespace: ns, Kind: ref.Kind, Name: ref.Name}
	switch ref.Kind {
	case incident.KindReplicaSet:
		rs, err := r.replicaSet(ctx, ns, ref.Name)
		if apierrors.IsNotFound(err) {
			return direct, direct, nil
		}
		if err != nil {
			return top, mid, err
		}
		if up := metav1.GetControllerOf(rs); up != nil {
			return incident.Entity{Namespace: ns, Kind: up.Kind, Name: up.Name}, direct, nil
		}
		return direct, direct, nil
	case incident.KindJob:
		key := ns + "/" + ref.Name
		job, ok := r.jobs[key]
		if !ok {
			job, err = get[workload](ctx, r.c.api, jobResource, ns, ref.Name)
			if apierrors.IsNotFound(err) {
				return direct, direct, nil
			}
			if err != nil {
				return top, mid, fmt.Errorf("get job %s: %w", key, err)
			}
			r.jobs[key] = job
		}
		if up := metav1.GetControllerOf(job); up != nil {
			return incident.Entity{Namespace: ns, Kind: up.Kind, Name: up.Name}, direct, nil
		}
		return direct, direct, nil
	}
	return direct, incident.Entity{}, nil
}

func (r *resolver) replicaSet(ctx context.Context, ns, name string) (*workload, error) {
	key := ns + "/" + name
	if rs, ok := r.replicaSets[key]; ok {
		return rs, nil
	}
	rs, err := get[workload](ctx, r.c.api, replicaSetResource, ns, name)
	if err != nil {
		if apierrors.IsNotFound(err) {
			return nil, err
		}
		return nil, fmt.Errorf("get replicaset %s: %w", key, err)
	}
	r.replicaSets[key] = rs
	return rs, nil
}

// fillFromPods completes the target from the examined pods: their common
// namespace, workload and node.
func fillFromPods(t *incident.Target, pods []incident.PodState) {
	if len(pods) == 0 {
		return
	}
	ns, owner, node := pods[0].Namespace, pods[0].Owner, pods[0].Node
	for _, p := range pods[1:] {
		if p.Namespace != ns {
			ns = ""
		}
		if p.Owner != owner {
			owner = incident.Entity{}
		}
		if p.Node != node {
			node = ""
		}
	}
	if t.Namespace == "" {
		t.Namespace = ns
	}
	// The API's owner references beat a workload guessed from a pod name,
	// but not a workload the alert names (a Job rather than its CronJob).
	if !owner.IsZero() && (t.Workload.IsZero() || strings.HasPrefix(t.Via, "label pod")) {
		t.Workload = owner
	}
	if t.Node == "" && len(pods) == 1 {
		t.Node = node
	}
}
