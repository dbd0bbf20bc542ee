package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Bounds of one collection.
const (
	eventsPerObject = 100
	maxEvents       = 300
	// requestConcurrency bounds the API calls in flight, to spare an API
	// server that may be under stress itself.
	requestConcurrency = 4
)

// State is the Kubernetes evidence around a resolved target besides pods
// and logs.
type State struct {
	Workloads []incident.WorkloadState
	Rollouts  []incident.Rollout
	Events    []incident.Event
	Nodes     []incident.NodeState
	Services  []incident.ServiceState
	// ConfiguredHosts are the hosts the pods' ConfigMaps configure.
	ConfiguredHosts []incident.ConfiguredHost
	Notes           []string
}

// CollectState reads the workload and its rollout history, the events of the
// pods and their owners, the pods' nodes and the Services in front of them.
// Rollouts count from rolloutSince (startsAt minus a window) to now; older
// events are dropped. It returns what it could read together with an error
// joining every failed call, so the caller keeps partial evidence.
func (c *Collector) CollectState(ctx context.Context, res *Resolution, rolloutSince, now time.Time) (*State, error) {
	st := &State{}
	var mu sync.Mutex
	var errs []error
	run := newLimiter(requestConcurrency)
	do := func(f func() error) {
		run.Go(func() {
			if err := f(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	t := res.Target
	if !t.Workload.IsZero() && t.Workload.IsWorkload() {
		do(func() error {
			w, rollouts, notes, err := c.workload(ctx, t.Workload, rolloutSince, now)
			var evs []incident.Event
			// The autoscaler's events say when it wanted more replicas
			// than its maximum (ScalingLimited).
			if w != nil && w.Autoscaler != nil {
				hpaEvents, evErr := c.events(ctx, incident.Entity{Namespace: t.Workload.Namespace, Kind: hpaResource.kind, Name: w.Autoscaler.Name}, rolloutSince)
				evs, err = append(evs, hpaEvents...), errors.Join(err, evErr)
			}
			// The newest ReplicaSet of a stuck rollout may own no pod yet
			// (its creations are refused: a quota, an admission webhook),
			// so only its own events say why.
			if rs, ok := podlessNewest(res, rollouts); ok {
				rsEvents, evErr := c.events(ctx, rs, rolloutSince)
				evs, err = append(evs, rsEvents...), errors.Join(err, evErr)
			}
			mu.Lock()
			defer mu.Unlock()
			st.Events = append(st.Events, evs...)
			if w != nil {
				st.Workloads = append(st.Workloads, *w)
			}
			st.Rollouts = append(st.Rollouts, rollouts...)
			st.Notes = append(st.Notes, notes...)
			return err
		})
	}
	for _, obj := range eventSubjects(res) {
		do(func() error {
			evs, err := c.events(ctx, obj, rolloutSince)
			mu.Lock()
			st.Events = append(st.Events, evs...)
			mu.Unlock()
			return err
		})
	}
	for _, name := range nodeNames(res) {
		do(func() error {
			n, err := get[node](ctx, c.api, nodeResource, "", name)
			if apierrors.IsNotFound(err) {
				mu.Lock()
				st.Notes = append(st.Notes, fmt.Sprintf("node %s no longer exists", name))
				mu.Unlock()
				return nil
			}
			if err != nil {
				return fmt.Errorf("get node %s: %w", name, err)
			}
			mu.Lock()
			st.Nodes = append(st.Nodes, nodeState(n))
			mu.Unlock()
			return nil
		})
	}
	if t.Namespace != "" && (t.Service != "" || len(res.Pods) > 0) {
		do(func() error {
			svcs, err := c.services(ctx, t, res.Pods)
			mu.Lock()
			st.Services = append(st.Services, svcs...)
			mu.Unlock()
			return err
		})
	}
	if len(res.Pods) > 0 {
		do(func() error {
			hosts, notes, err := c.ConfiguredHosts(ctx, res.Pods)
			mu.Lock()
			st.ConfiguredHosts = append(st.ConfiguredHosts, res.envHosts...)
			st.ConfiguredHosts = append(st.ConfiguredHosts, hosts...)
			st.Notes = append(st.Notes, notes...)
			mu.Unlock()
			return err
		})
	}
	run.Wait()
	sortState(st)
	if len(st.Events) > maxEvents {
		st.Notes = append(st.Notes, fmt.Sprintf("kept the newest %d of %d events", maxEvents, len(st.Events)))
		st.Events = st.Events[len(st.Events)-maxEvents:]
	}
	return st, errors.Join(errs...)
}

// eventSubjects are the objects whose events are read: the pods, their
// ReplicaSets or Jobs, the workload, and the nodes the pods run on (node
// pressure and evictions are reported there).
func eventSubjects(res *Resolution) []incident.Entity {
	var out []incident.Entity
	for _, p := range res.Pods {
		out = append(out, p.Entity())
	}
	out = append(out, res.intermediates...)
	if w := res.Target.Workload; !w.IsZero() {
		out = append(out, w)
	}
	for _, n := range nodeNames(res) {
		out = append(out, incident.Entity{Kind: incident.KindNode, Name: n})
	}
	return out
}

// podlessNewest is the ReplicaSet of the newest rollout when no examined pod
// belongs to it (its events are not read with the pods' owners).
func podlessNewest(res *Resolution, rollouts []incident.Rollout) (incident.Entity, bool) {
	if k := res.Target.Workload.Kind; k != incident.KindDeployment && k != incident.KindRollout {
		return incident.Entity{}, false
	}
	var newest *incident.Rollout
	for i := range rollouts {
		if newest == nil || rollouts[i].Revision > newest.Revision {
			newest = &rollouts[i]
		}
	}
	if newest == nil || newest.Name == "" {
		return incident.Entity{}, false
	}
	rs := incident.Entity{Namespace: res.Target.Workload.Namespace, Kind: incident.KindReplicaSet, Name: newest.Name}
	if slices.Contains(res.intermediates, rs) {
		return incident.Entity{}, false
	}
	return rs, true
}

func nodeNames(res *Resolution) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range append([]string{res.Target.Node}, podNodes(res.Pods)...) {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func podNodes(pods []incident.PodState) []string {
	out := make([]string, 0, len(pods))
	for _, p := range pods {
		out = append(out, p.Node)
	}
	return out
}

// events lists the events about one object (all namespaces for a Node, whose
// events live in "default" but name no namespace).
func (c *Collector) events(ctx context.Context, obj incident.Entity, since time.Time) ([]incident.Event, error) {
	sel := "involvedObject.kind=" + obj.Kind + ",involvedObject.name=" + obj.Name
	list, err := list[eventList](ctx, c.api, eventResource, obj.Namespace, listOptions{FieldSelector: sel, Limit: eventsPerObject})
	if err != nil {
		return nil, fmt.Errorf("list events of %s: %w", obj, err)
	}
	var out []incident.Event
	for i := range list.Items {
		ev := event(&list.Items[i])
		if !since.IsZero() && ev.LastSeen.Before(since) {
			continue
		}
		out = append(out, ev)
	}
	return out, nil
}

// workload reads the target workload's state and its rollout history.
func (c *Collector) workload(ctx context.Context, w incident.Entity, since, now time.Time) (*incident.WorkloadState, []incident.Rollout, []string, error) {
	api := c.api
	var state incident.WorkloadState
	var sel *metav1.LabelSelector
	var err error
	switch w.Kind {
	case incident.KindDeployment, incident.KindStatefulSet, incident.KindDaemonSet, incident.KindJob:
		var o *workload
		if o, err = get[workload](ctx, api, workloadResources[w.Kind], w.Namespace, w.Name); err == nil {
			state = workloadState(w.Kind, o)
			if w.Kind != incident.KindJob {
				// A Job has no revisions to read.
				sel = o.Spec.Selector
			}
		}
	case incident.KindRollout:
		var r *rollout
		if r, err = c.getRollout(ctx, w.Namespace, w.Name); err == nil {
			var spec podSpec
			if sel, spec, err = c.rolloutSelector(ctx, r); err == nil {
				state = rolloutState(r, spec, sel)
			}
		}
	case incident.KindCronJob:
		var cj *cronJob
		if cj, err = get[cronJob](ctx, api, cronJobResource, w.Namespace, w.Name); err == nil {
			var last *workload
			if last, err = c.lastJob(ctx, cj); err == nil {
				state = cronJobState(cj, last)
			}
		}
	default:
		return nil, nil, nil, nil
	}
	if apierrors.IsNotFound(err) {
		return nil, nil, []string{fmt.Sprintf("%s no longer exists", w)}, nil
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("get %s: %w", w, err)
	}
	// An autoscaler that cannot be read (a Role without list) costs only
	// its own evidence, not the rollouts'.
	var hpaErr error
	if w.Kind == incident.KindDeployment || w.Kind == incident.KindStatefulSet || w.Kind == incident.KindRollout {
		state.Autoscaler, hpaErr = c.autoscalerOf(ctx, w)
	}
	if sel == nil {
		return &state, nil, nil, hpaErr
	}
	selector, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return &state, nil, nil, fmt.Errorf("%s: bad selector: %w", w, err)
	}
	var rollouts []incident.Rollout
	if w.Kind == incident.KindDeployment || w.Kind == incident.KindRollout {
		rollouts, err = c.replicaSetRollouts(ctx, w, selector)
	} else {
		rollouts, err = c.revisionRollouts(ctx, w, selector)
	}
	return &state, windowRollouts(rollouts, since, now), nil, errors.Join(hpaErr, err)
}

// autoscalerOf is the HorizontalPodAutoscaler whose scale target is the
// workload, if any: at its maximum it can add no capacity, whatever the load.
func (c *Collector) autoscalerOf(ctx context.Context, w incident.Entity) (*incident.Autoscaler, error) {
	hpas, err := list[horizontalPodAutoscalerList](ctx, c.api, hpaResource, w.Namespace, listOptions{Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("list horizontalpodautoscalers of %s: %w", w, err)
	}
	for _, h := range hpas.Items {
		if h.Spec.ScaleTargetRef.Kind != w.Kind || h.Spec.ScaleTargetRef.Name != w.Name {
			continue
		}
		return &incident.Autoscaler{Name: h.Name, Min: replicas(h.Spec.MinReplicas), Max: h.Spec.MaxReplicas,
			Current: h.Status.CurrentReplicas, Desired: h.Status.DesiredReplicas}, nil
	}
	return nil, nil
}

func (c *Collector) lastJob(ctx context.Context, cj *cronJob) (*workload, error) {
	jobs, err := list[workloadList](ctx, c.api, jobResource, cj.Namespace, listOptions{Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("list jobs of cronjob %s: %w", cj.Name, err)
	}
	var last *workload
	for i := range jobs.Items {
		j := &jobs.Items[i]
		if ref := metav1.GetControllerOf(j); ref == nil || ref.Kind != incident.KindCronJob || ref.Name != cj.Name {
			continue
		}
		if last == nil || j.CreationTimestamp.After(last.CreationTimestamp.Time) {
			last = j
		}
	}
	return last, nil
}

func (c *Collector) replicaSetRollouts(ctx context.Context, w incident.Entity, sel labels.Selector) ([]incident.Rollout, error) {
	list, err := list[workloadList](ctx, c.api, replicaSetResource, w.Namespace, listOptions{LabelSelector: sel.String(), Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("list replicasets of %s: %w", w, err)
	}
	var out []incident.Rollout
	for i := range list.Items {
		rs := &list.Items[i]
		if ref := metav1.GetControllerOf(rs); ref == nil || ref.Kind != w.Kind || ref.Name != w.Name {
			continue
		}
		out = append(out, replicaSetRollout(rs, w))
	}
	return out, nil
}

// revisionRollouts reads a StatefulSet's or DaemonSet's ControllerRevisions,
// whose data holds the pod template of each revision.
func (c *Collector) revisionRollouts(ctx context.Context, w incident.Entity, sel labels.Selector) ([]incident.Rollout, error) {
	list, err := list[controllerRevisionList](ctx, c.api, controllerRevisionResource, w.Namespace, listOptions{LabelSelector: sel.String(), Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("list controllerrevisions of %s: %w", w, err)
	}
	var out []incident.Rollout
	for i := range list.Items {
		cr := &list.Items[i]
		if ref := metav1.GetControllerOf(cr); ref == nil || ref.Kind != w.Kind || ref.Name != w.Name {
			continue
		}
		var data struct {
			Spec struct {
				Template struct {
					Spec podSpec `json:"spec"`
				} `json:"template"`
			} `json:"spec"`
		}
		if len(cr.Data) > 0 && len(cr.Data) < 1<<20 {
			_ = json.Unmarshal(cr.Data, &data) // a revision without a readable template still has a time and number
		}
		out = append(out, incident.Rollout{Owner: w, Name: cr.Name, Revision: cr.Revision,
			Images: images(data.Spec.Template.Spec), CreatedAt: cr.CreationTimestamp.Time})
	}
	return out, nil
}

// windowRollouts keeps the revisions created in [since, now], plus the one
// just before the window (the baseline a rollout changed from) and the
// newest (what runs now).
func windowRollouts(all []incident.Rollout, since, now time.Time) []incident.Rollout {
	sort.Slice(all, func(i, j int) bool {
		if all[i].Revision != all[j].Revision {
			return all[i].Revision < all[j].Revision
		}
		return all[i].CreatedAt.Before(all[j].CreatedAt)
	})
	baseline := -1
	var out []incident.Rollout
	for i, r := range all {
		inWindow := !r.CreatedAt.Before(since) && !r.CreatedAt.After(now)
		if r.CreatedAt.Before(since) {
			baseline = i
		}
		if inWindow || i == len(all)-1 {
			out = append(out, r)
		}
	}
	if baseline >= 0 && baseline != len(all)-1 {
		out = append([]incident.Rollout{all[baseline]}, out...)
	}
	return out
}

// services reads the target Service, or the Services whose selector matches
// the examined pods, with the readiness of their endpoints.
func (c *Collector) services(ctx context.Context, t incident.Target, pods []incident.PodState) ([]incident.ServiceState, error) {
	list, err := list[serviceList](ctx, c.api, serviceResource, t.Namespace, listOptions{Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("list services in %s: %w", t.Namespace, err)
	}
	var out []incident.ServiceState
	for i := range list.Items {
		svc := &list.Items[i]
		if svc.Name != t.Service && !selectsAny(svc.Spec.Selector, pods) {
			continue
		}
		st := incident.ServiceState{Namespace: svc.Namespace, Name: svc.Name, ClusterIP: svc.Spec.ClusterIP, Selector: svc.Spec.Selector}
		for _, p := range svc.Spec.Ports {
			st.Ports = append(st.Ports, fmt.Sprintf("%d/%s->%s", p.Port, p.Protocol, p.TargetPort.String()))
		}
		if err := c.endpoints(ctx, &st); err != nil {
			return out, err
		}
		out = append(out, st)
	}
	return out, nil
}

func selectsAny(selector map[string]string, pods []incident.PodState) bool {
	if len(selector) == 0 {
		return false
	}
	sel := labels.SelectorFromSet(selector)
	for _, p := range pods {
		if sel.Matches(labels.Set(p.Labels)) {
			return true
		}
	}
	return false
}

// endpoints counts ready and not-ready endpoints from the Service's
// EndpointSlices, or from its v1 Endpoints object when the cluster (or a
// recorded fixture) has no slices for it.
func (c *Collector) endpoints(ctx context.Context, st *incident.ServiceState) error {
	list, err := list[endpointSliceList](ctx, c.api, endpointSliceResource, st.Namespace,
		listOptions{LabelSelector: labelServiceName + "=" + st.Name, Limit: listLimit})
	if err != nil {
		return fmt.Errorf("list endpointslices of service %s: %w", st.Name, err)
	}
	for _, slice := range list.Items {
		for _, ep := range slice.Endpoints {
			if ep.Conditions.Ready == nil || *ep.Conditions.Ready {
				st.Ready++
			} else {
				st.NotReady++
			}
		}
	}
	if len(list.Items) > 0 {
		return nil
	}
	//nolint:staticcheck // v1 Endpoints is deprecated but still what older clusters and fixtures carry.
	ep, err := get[endpoints](ctx, c.api, endpointsResource, st.Namespace, st.Name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get endpoints of service %s: %w", st.Name, err)
	}
	for _, subset := range ep.Subsets {
		st.Ready += len(subset.Addresses)
		st.NotReady += len(subset.NotReadyAddresses)
	}
	return nil
}

// sortState orders everything so the same cluster gives the same bundle.
func sortState(st *State) {
	sort.Slice(st.Events, func(i, j int) bool {
		a, b := st.Events[i], st.Events[j]
		if !a.LastSeen.Equal(b.LastSeen) {
			return a.LastSeen.Before(b.LastSeen)
		}
		if a.Object != b.Object {
			return a.Object.String() < b.Object.String()
		}
		return a.Reason+a.Message < b.Reason+b.Message
	})
	sort.Slice(st.Nodes, func(i, j int) bool { return st.Nodes[i].Name < st.Nodes[j].Name })
	sort.Slice(st.Services, func(i, j int) bool { return st.Services[i].Name < st.Services[j].Name })
	sort.Slice(st.Rollouts, func(i, j int) bool {
		if st.Rollouts[i].Owner != st.Rollouts[j].Owner {
			return st.Rollouts[i].Owner.String() < st.Rollouts[j].Owner.String()
		}
		return st.Rollouts[i].Revision < st.Rollouts[j].Revision
	})
	sort.Strings(st.Notes)
	st.Notes = dedupe(st.Notes)
	for i := range st.Notes {
		st.Notes[i] = strings.TrimSpace(st.Notes[i])
	}
}

// limiter runs functions concurrently, at most n at a time.
type limiter struct {
	wg  sync.WaitGroup
	sem chan struct{}
}

func newLimiter(n int) *limiter { return &limiter{sem: make(chan struct{}, n)} }

func (l *limiter) Go(f func()) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.sem <- struct{}{}
		defer func() { <-l.sem }()
		f()
	}()
}

func (l *limiter) Wait() { l.wg.Wait() }
