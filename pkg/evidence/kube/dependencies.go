package kube

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Bounds of the dependency look-up: the cause of an alert is often not the
// alerted workload but something it calls, so a few Services around it are
// read, never the whole cluster.
const (
	maxDependencies   = 12
	podsPerDependency = 5
	maxClaims         = 20
	// A dependency's own logs tell why it fails its clients (a full disk,
	// a sealed vault, a lost quorum): a few of its pods are read, the
	// unhealthiest first, within a budget for all dependencies.
	logPodsPerDependency = 2
	maxDependencyLogPods = 6
	maxNamedMembers      = 3
	// DependencyLogBytes bounds each dependency container's log.
	DependencyLogBytes = 256 << 10
)

// clusterDNS is the Service every pod with dnsPolicy ClusterFirst resolves
// names through: a dependency of everything.
var clusterDNS = NamespacedName{Namespace: "kube-system", Name: "kube-dns"}

// NamespacedName names a namespaced object.
type NamespacedName struct{ Namespace, Name string }

// serviceHostRe finds in-cluster DNS names of Services in free text:
// "name.namespace.svc" with an optional cluster domain.
var serviceHostRe = regexp.MustCompile(`\b([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\.svc\b`)

// NamedServices are the Services that log lines name by their in-cluster
// DNS name, first seen first, at most maxDependencies.
func NamedServices(streams []incident.LogStream) []NamespacedName {
	return namedInLogs(streams, serviceHostRe, maxDependencies, func(m []string) NamespacedName {
		return NamespacedName{Namespace: m[2], Name: m[1]}
	})
}

// namedInLogs are the objects that re's matches in log lines name (a DNS
// name under .svc), first seen first, at most limit.
func namedInLogs(streams []incident.LogStream, re *regexp.Regexp, limit int, name func(match []string) NamespacedName) []NamespacedName {
	var out []NamespacedName
	seen := map[NamespacedName]bool{}
	for _, s := range streams {
		for _, l := range s.Lines {
			if !strings.Contains(l.Text, ".svc") {
				continue
			}
			for _, m := range re.FindAllStringSubmatch(strings.ToLower(l.Text), -1) {
				n := name(m)
				if !seen[n] && len(out) < limit {
					seen[n] = true
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// memberHostRe finds the per-pod DNS names a headless Service gives the
// members of a StatefulSet, "pod.service.namespace.svc": clients of
// replicated stores (MongoDB, Kafka, Cassandra) name the member they talk to.
var memberHostRe = regexp.MustCompile(`\b([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\.svc\b`)

// NamedMembers are the pods that log lines name by their per-pod DNS name,
// first seen first, at most maxNamedMembers.
func NamedMembers(streams []incident.LogStream) []NamespacedName {
	return namedInLogs(streams, memberHostRe, maxNamedMembers, func(m []string) NamespacedName {
		return NamespacedName{Namespace: m[3], Name: m[1]}
	})
}

// DependencyHints are what the logs say the target calls: Services and
// members by their DNS names, stores and brokers by their product.
type DependencyHints struct {
	Services, Members []NamespacedName
	Products          []string
}

// HintsFrom reads the dependency hints of log streams.
func HintsFrom(streams []incident.LogStream) DependencyHints {
	return DependencyHints{Services: NamedServices(streams), Members: NamedMembers(streams), Products: FailingProducts(streams)}
}

// DependencyState is what Dependencies read around the target.
type DependencyState struct {
	Services []incident.ServiceState
	Claims   []incident.ClaimState
	// LogPods are the dependencies' pods whose own logs are worth reading,
	// at most maxDependencyLogPods: the members the logs name, and the
	// unhealthiest pods of each dependency that is named or unhealthy.
	LogPods []incident.PodState
}

// Dependencies reads the Services the target may call besides those in front
// of it: the other Services of its namespace, the Services named (from logs),
// and the cluster DNS. Each comes with its endpoints, the workload behind its
// selector and what is wrong with that workload's pods, and the claims those
// pods mount. It also reads the claims the target's own pods and the named
// members mount. What could be read is returned with an error joining what
// could not.
func (c *Collector) Dependencies(ctx context.Context, t incident.Target, pods []incident.PodState, front []incident.ServiceState, hints DependencyHints) (DependencyState, error) {
	named, members := hints.Services, hints.Members
	var errs []error
	skip := map[NamespacedName]bool{}
	for _, s := range front {
		skip[NamespacedName{s.Namespace, s.Name}] = true
	}
	var candidates []*service
	add := func(svc *service) {
		n := NamespacedName{svc.Namespace, svc.Name}
		if skip[n] || len(candidates) >= maxDependencies || selectsAny(svc.Spec.Selector, pods) {
			return
		}
		skip[n] = true
		candidates = append(candidates, svc)
	}
	if t.Namespace != "" {
		list, err := list[serviceList](ctx, c.api, serviceResource, t.Namespace, listOptions{Limit: listLimit})
		if err != nil {
			errs = append(errs, fmt.Errorf("list services in %s: %w", t.Namespace, err))
		} else {
			for i := range list.Items {
				add(&list.Items[i])
			}
		}
	}
	for _, n := range append(append([]NamespacedName{}, named...), clusterDNS) {
		if skip[n] {
			continue
		}
		svc, err := get[service](ctx, c.api, serviceResource, n.Namespace, n.Name)
		switch {
		case apierrors.IsNotFound(err), apierrors.IsForbidden(err):
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("get service %s/%s: %w", n.Namespace, n.Name, err))
			continue
		}
		add(svc)
	}
	if len(hints.Products) > 0 {
		svcs, err := c.productServices(ctx, hints.Products, candidates)
		if err != nil {
			errs = append(errs, err)
		}
		for _, svc := range svcs {
			add(svc)
			named = append(named, NamespacedName{svc.Namespace, svc.Name})
		}
	}
	r := &resolver{c: c, replicaSets: map[string]*workload{}, jobs: map[string]*workload{}}
	claimNames := map[NamespacedName]bool{}
	for _, p := range pods {
		for _, cl := range p.Claims {
			claimNames[NamespacedName{p.Namespace, cl}] = true
		}
	}
	var out DependencyState
	logPod := map[NamespacedName]bool{}
	for _, p := range pods {
		logPod[NamespacedName{p.Namespace, p.Name}] = true
	}
	addLogPod := func(p incident.PodState) {
		n := NamespacedName{p.Namespace, p.Name}
		if !logPod[n] && len(out.LogPods) < maxDependencyLogPods {
			logPod[n] = true
			out.LogPods = append(out.LogPods, p)
		}
	}
	for _, n := range members {
		p, err := get[pod](ctx, c.api, podResource, n.Namespace, n.Name)
		switch {
		case apierrors.IsNotFound(err), apierrors.IsForbidden(err):
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("get pod %s/%s: %w", n.Namespace, n.Name, err))
			continue
		}
		ps := podState(p, incident.Entity{}, "")
		for _, cl := range ps.Claims {
			claimNames[NamespacedName{ps.Namespace, cl}] = true
		}
		addLogPod(ps)
	}
	namedSet := map[NamespacedName]bool{}
	for _, n := range named {
		namedSet[n] = true
	}
	for _, svc := range candidates {
		st := incident.ServiceState{Namespace: svc.Namespace, Name: svc.Name, ClusterIP: svc.Spec.ClusterIP,
			Selector: svc.Spec.Selector, Dependency: true}
		for _, p := range svc.Spec.Ports {
			st.Ports = append(st.Ports, fmt.Sprintf("%d/%s->%s", p.Port, p.Protocol, p.TargetPort.String()))
		}
		if err := c.endpoints(ctx, &st); err != nil {
			errs = append(errs, err)
		}
		backendPods, err := r.backend(ctx, &st)
		if err != nil {
			errs = append(errs, err)
		}
		// The cluster DNS's logs are read apart, when lookups fail.
		n := NamespacedName{st.Namespace, st.Name}
		if n != clusterDNS && (namedSet[n] || len(st.BackendProblems) > 0) {
			for _, p := range firstPods(backendPods, logPodsPerDependency) {
				addLogPod(p)
			}
		}
		for _, cl := range st.BackendClaims {
			claimNames[NamespacedName{st.Namespace, cl}] = true
		}
		out.Services = append(out.Services, st)
	}
	claims, err := c.claims(ctx, claimNames)
	if err != nil {
		errs = append(errs, err)
	}
	out.Claims = claims
	return out, errors.Join(errs...)
}

func firstPods(pods []incident.PodState, n int) []incident.PodState {
	if len(pods) > n {
		return pods[:n]
	}
	return pods
}

// backend fills in the workload behind a Service's selector, the problems of
// its unhealthiest pods and the claims they mount. It returns those pods,
// unhealthiest first.
func (r *resolver) backend(ctx context.Context, st *incident.ServiceState) ([]incident.PodState, error) {
	if len(st.Selector) == 0 {
		return nil, nil
	}
	list, err := list[podList](ctx, r.c.api, podResource, st.Namespace, listOptions{
		LabelSelector: labels.SelectorFromSet(st.Selector).String(), Limit: listLimit})
	if err != nil {
		return nil, fmt.Errorf("list pods of service %s/%s: %w", st.Namespace, st.Name, err)
	}
	pods := list.Items
	rankPods(pods)
	if len(pods) > podsPerDependency {
		pods = pods[:podsPerDependency]
	}
	probed := false
	var eventsErr error
	states := make([]incident.PodState, 0, len(pods))
	for i := range pods {
		p := &pods[i]
		owner, _, err := r.owner(ctx, p)
		if err != nil {
			return states, err
		}
		if st.Backend.IsZero() {
			st.Backend = owner
		}
		ps := podState(p, owner, "")
		if problem := podProblem(ps); problem != "" {
			// Why the first unready pod is unready: its probe's own words
			// tell a failing backend from a probe that is wrong.
			if problem == notReady && !probed {
				probed = true
				why, err := r.c.readinessFailure(ctx, ps)
				eventsErr = err
				if why != "" {
					problem += " (" + why + ")"
				}
			}
			st.BackendProblems = append(st.BackendProblems, p.Name+": "+problem)
		}
		for _, cl := range ps.Claims {
			if !contains(st.BackendClaims, cl) {
				st.BackendClaims = append(st.BackendClaims, cl)
			}
		}
		states = append(states, ps)
	}
	return states, eventsErr
}

// notReady is the problem of a running pod that is only not ready.
const notReady = "not ready"

// readinessFailure is the newest "Readiness probe failed" message of the
// pod's events (one list), or "" without one.
func (c *Collector) readinessFailure(ctx context.Context, p incident.PodState) (string, error) {
	evs, err := c.events(ctx, incident.Entity{Namespace: p.Namespace, Kind: incident.KindPod, Name: p.Name}, time.Time{})
	if apierrors.IsForbidden(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	why, last := "", time.Time{}
	for _, e := range evs {
		if e.Reason == "Unhealthy" && strings.HasPrefix(e.Message, "Readiness probe failed") && !e.LastSeen.Before(last) {
			why, last = e.Message, e.LastSeen
		}
	}
	return why, nil
}

// podProblem says in a few words what is wrong with a pod, or "" when it is
// running and ready.
func podProblem(p incident.PodState) string {
	var parts []string
	if p.Phase != "Running" && p.Phase != "Succeeded" {
		s := "phase " + p.Phase
		if p.Reason != "" {
			s += " (" + p.Reason + ")"
		}
		parts = append(parts, s)
	}
	for _, c := range p.Containers {
		if c.State == "waiting" && c.Reason != "" && c.Reason != "ContainerCreating" {
			parts = append(parts, c.Name+" "+c.Reason)
		}
		if t := c.LastTermination; t != nil && t.Reason != "" && t.Reason != "Completed" {
			parts = append(parts, fmt.Sprintf("%s last terminated %s (exit %d)", c.Name, t.Reason, t.ExitCode))
		}
		if c.RestartCount > 0 {
			parts = append(parts, fmt.Sprintf("%d restarts", c.RestartCount))
		}
	}
	if len(parts) == 0 {
		for _, cond := range p.Conditions {
			if cond.Type == "Ready" && cond.Status != "True" && p.Phase == "Running" {
				parts = append(parts, notReady)
			}
		}
	}
	return strings.Join(parts, ", ")
}

// Claims reads the claims named by namespace and name (a dependency's pod
// read without its volumes, whose claims the kubelet's statistics name), at
// most maxClaims.
func (c *Collector) Claims(ctx context.Context, named []incident.ClaimState) ([]incident.ClaimState, error) {
	names := map[NamespacedName]bool{}
	for _, cl := range named {
		names[NamespacedName{cl.Namespace, cl.Name}] = true
	}
	return c.claims(ctx, names)
}

// claims reads the named PersistentVolumeClaims, at most maxClaims.
func (c *Collector) claims(ctx context.Context, names map[NamespacedName]bool) ([]incident.ClaimState, error) {
	keys := make([]NamespacedName, 0, len(names))
	for n := range names {
		keys = append(keys, n)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Namespace != keys[j].Namespace {
			return keys[i].Namespace < keys[j].Namespace
		}
		return keys[i].Name < keys[j].Name
	})
	if len(keys) > maxClaims {
		keys = keys[:maxClaims]
	}
	var out []incident.ClaimState
	var errs []error
	for _, n := range keys {
		pvc, err := get[persistentVolumeClaim](ctx, c.api, pvcResource, n.Namespace, n.Name)
		switch {
		case apierrors.IsNotFound(err):
			out = append(out, incident.ClaimState{Namespace: n.Namespace, Name: n.Name, Phase: "Missing"})
		case err != nil:
			errs = append(errs, fmt.Errorf("get persistentvolumeclaim %s/%s: %w", n.Namespace, n.Name, err))
		default:
			out = append(out, claimState(pvc))
		}
	}
	return out, errors.Join(errs...)
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// clusterDNSWorkloads are the names the cluster DNS server's Deployment has
// in kube-system (CoreDNS since Kubernetes 1.13; kube-dns before, and still
// on GKE), first the most common.
var clusterDNSWorkloads = []string{"coredns", "kube-dns"}

// nodeLocalDNS is the NodeLocal DNSCache DaemonSet of the Kubernetes add-on:
// pods whose kubelet points them at its link-local address (169.254.20.10 by
// default) resolve through it, not through kube-dns.
var nodeLocalDNS = NamespacedName{Namespace: "kube-system", Name: "node-local-dns"}

// nodeLocalLookupRe is a lookup sent to a link-local DNS server other than
// the cloud metadata service's: a node-local cache.
var nodeLocalLookupRe = regexp.MustCompile(`\bon 169\.254\.(?:\d{1,3})\.(?:\d{1,3}):53\b`)

// MentionsNodeLocalDNS reports whether a log line shows a lookup sent to a
// node-local DNS cache.
func MentionsNodeLocalDNS(streams []incident.LogStream) bool {
	return anyLine(streams, func(text string) bool {
		m := nodeLocalLookupRe.FindString(text)
		return m != "" && !strings.Contains(m, "169.254.169.254")
	})
}

// anyLine reports whether any line of the streams satisfies match.
func anyLine(streams []incident.LogStream, match func(string) bool) bool {
	for _, s := range streams {
		for _, l := range s.Lines {
			if match(l.Text) {
				return true
			}
		}
	}
	return false
}

// NodeLocalDNSWorkload reads the NodeLocal DNSCache DaemonSet (one get); nil
// when the cluster has none or it may not be read.
func (c *Collector) NodeLocalDNSWorkload(ctx context.Context) (*incident.WorkloadState, error) {
	o, err := get[workload](ctx, c.api, daemonSetResource, nodeLocalDNS.Namespace, nodeLocalDNS.Name)
	switch {
	case apierrors.IsNotFound(err), apierrors.IsForbidden(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("get daemonset %s/%s: %w", nodeLocalDNS.Namespace, nodeLocalDNS.Name, err)
	}
	st := workloadState(incident.KindDaemonSet, o)
	return &st, nil
}

// NodeLocalDNSPods are the pods of the NodeLocal DNSCache DaemonSet ds that
// run on the given nodes (those of the target's pods): each node's pods ask
// only the cache on that node, so its logs say why their lookups fail there.
func (c *Collector) NodeLocalDNSPods(ctx context.Context, ds incident.WorkloadState, nodes []string) ([]incident.PodState, error) {
	if len(ds.Selector) == 0 || len(nodes) == 0 {
		return nil, nil
	}
	list, err := list[podList](ctx, c.api, podResource, ds.Entity.Namespace, listOptions{
		LabelSelector: labels.SelectorFromSet(ds.Selector).String(), Limit: listLimit})
	switch {
	case apierrors.IsForbidden(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("list node-local DNS pods: %w", err)
	}
	var out []incident.PodState
	for i := range list.Items {
		if p := &list.Items[i]; slices.Contains(nodes, p.Spec.NodeName) && len(out) < clusterDNSLogPods {
			out = append(out, podState(p, ds.Entity, ""))
		}
	}
	return out, nil
}

// ClusterDNSWorkload reads the cluster DNS server's Deployment for a bundle
// whose dependencies hold no cluster DNS Service (absent, or renamed by the
// distribution): when lookups time out, that Deployment is what to fix. It
// reads at most len(clusterDNSWorkloads) objects and returns nil when none
// exists or may be read.
func (c *Collector) ClusterDNSWorkload(ctx context.Context) (*incident.WorkloadState, error) {
	for _, name := range clusterDNSWorkloads {
		o, err := get[workload](ctx, c.api, deploymentResource, clusterDNS.Namespace, name)
		switch {
		case apierrors.IsNotFound(err), apierrors.IsForbidden(err):
			continue
		case err != nil:
			return nil, fmt.Errorf("get deployment %s/%s: %w", clusterDNS.Namespace, name, err)
		}
		st := workloadState(incident.KindDeployment, o)
		return &st, nil
	}
	return nil, nil
}

// metadataServiceRe is a log line about the cloud's instance metadata
// service, where SDKs fetch credentials (AWS IMDS, GCE and Azure metadata,
// all at 169.254.169.254).
var metadataServiceRe = regexp.MustCompile(`(?i)169\.254\.169\.254|instance ?metadata|\bimds\b|ec2 ?metadata|metadata\.google\.internal|metadata server`)

// metadataAgentRe names the node agents that intercept pods' calls to the
// metadata service to hand out per-pod credentials: kiam, kube2iam, GKE's
// gke-metadata-server and metadata-proxy, EKS's eks-pod-identity-agent.
var metadataAgentRe = regexp.MustCompile(`kiam|kube2iam|metadata|pod-identity`)

// maxMetadataAgents bounds the agents kept from the one list.
const maxMetadataAgents = 3

// MentionsMetadataService reports whether any log line is about the
// instance metadata service.
func MentionsMetadataService(streams []incident.LogStream) bool {
	return anyLine(streams, metadataServiceRe.MatchString)
}

// MetadataAgents reads the DaemonSets of kube-system that intercept the
// metadata service, for a bundle whose logs show calls to it: when they
// time out, the agent answering on every node is what to fix. One list of
// at most listLimit DaemonSets; at most maxMetadataAgents are kept.
func (c *Collector) MetadataAgents(ctx context.Context) ([]incident.WorkloadState, error) {
	list, err := list[workloadList](ctx, c.api, daemonSetResource, clusterDNS.Namespace, listOptions{Limit: listLimit})
	switch {
	case apierrors.IsNotFound(err), apierrors.IsForbidden(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("list daemonsets in %s: %w", clusterDNS.Namespace, err)
	}
	var out []incident.WorkloadState
	for i := range list.Items {
		if o := &list.Items[i]; metadataAgentRe.MatchString(o.Name) && len(out) < maxMetadataAgents {
			out = append(out, workloadState(incident.KindDaemonSet, o))
		}
	}
	return out, nil
}

// resolverFailureRe is a log line of a client whose DNS server times out or
// fails (not a name that does not exist).
var resolverFailureRe = regexp.MustCompile(`(?i)temporary failure in name resolution|eai_again|servfail|server misbehaving|:53: (?:i/o timeout|read: connection refused)|no answer from dns`)

// Bounds of the cluster DNS pods' logs read for resolver failures.
const (
	clusterDNSLogPods  = 3
	ClusterDNSLogBytes = 256 << 10
)

// MentionsResolverFailure reports whether any log line shows the DNS
// server timing out or failing.
func MentionsResolverFailure(streams []incident.LogStream) bool {
	return anyLine(streams, resolverFailureRe.MatchString)
}

// ClusterDNSPods are the cluster DNS server's pods, at most
// clusterDNSLogPods, unhealthiest first: those the kube-dns Service selects,
// else those of the DNS Deployment in the workloads. When clients' lookups
// time out, the servers' own logs say whether their upstream, their load or
// the network is at fault.
func (c *Collector) ClusterDNSPods(ctx context.Context, svcs []incident.ServiceState, workloads []incident.WorkloadState) ([]incident.PodState, error) {
	var sel map[string]string
	for _, s := range svcs {
		if s.Namespace == clusterDNS.Namespace && (s.Name == clusterDNS.Name || s.Selector["k8s-app"] == "kube-dns") && len(s.Selector) > 0 {
			sel = s.Selector
			break
		}
	}
	for _, w := range workloads {
		if sel == nil && w.Entity.Namespace == clusterDNS.Namespace && slices.Contains(clusterDNSWorkloads, w.Entity.Name) && len(w.Selector) > 0 {
			sel = w.Selector
		}
	}
	if sel == nil {
		return nil, nil
	}
	list, err := list[podList](ctx, c.api, podResource, clusterDNS.Namespace, listOptions{
		LabelSelector: labels.SelectorFromSet(sel).String(), Limit: listLimit})
	switch {
	case apierrors.IsForbidden(err):
		// A namespaced Role does not reach kube-system: no DNS logs then.
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("list cluster DNS pods: %w", err)
	}
	pods := list.Items
	rankPods(pods)
	if len(pods) > clusterDNSLogPods {
		pods = pods[:clusterDNSLogPods]
	}
	out := make([]incident.PodState, 0, len(pods))
	for i := range pods {
		out = append(out, podState(&pods[i], incident.Entity{}, ""))
	}
	return out, nil
}
