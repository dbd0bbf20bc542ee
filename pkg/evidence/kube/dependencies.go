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
	var out []NamespacedName
	seen := map[NamespacedName]bool{}
	for _, s := range streams {
		for _, l := range s.Lines {
			if !strings.Contains(l.Text, ".svc") {
				continue
			}
			for _, m := range serviceHostRe.FindAllStringSubmatch(strings.ToLower(l.Text), -1) {
				n := NamespacedName{Namespace: m[2], Name: m[1]}
				if !seen[n] && len(out) < maxDependencies {
					seen[n] = true
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// Dependencies reads the Services the target may call besides those in front
// of it: the other Services of its namespace, the Services named (from logs),
// and the cluster DNS. Each comes with its endpoints, the workload behind its
// selector and what is wrong with that workload's pods, and the claims those
// pods mount. It also reads the claims the target's own pods mount. What
// could be read is returned with an error joining what could not.
func (c *Collector) Dependencies(ctx context.Context, t incident.Target, pods []incident.PodState, front []incident.ServiceState, named []NamespacedName) ([]incident.ServiceState, []incident.ClaimState, error) {
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
	r := &resolver{c: c, replicaSets: map[string]*workload{}, jobs: map[string]*workload{}}
	claimNames := map[NamespacedName]bool{}
	for _, p := range pods {
		for _, cl := range p.Claims {
			claimNames[NamespacedName{p.Namespace, cl}] = true
		}
	}
	var out []incident.ServiceState
	for _, svc := range candidates {
		st := incident.ServiceState{Namespace: svc.Namespace, Name: svc.Name, ClusterIP: svc.Spec.ClusterIP,
			Selector: svc.Spec.Selector, Dependency: true}
		for _, p := range svc.Spec.Ports {
			st.Ports = append(st.Ports, fmt.Sprintf("%d/%s->%s", p.Port, p.Protocol, p.TargetPort.String()))
		}
		if err := c.endpoints(ctx, &st); err != nil {
			errs = append(errs, err)
		}
		if err := r.backend(ctx, &st); err != nil {
			errs = append(errs, err)
		}
		for _, cl := range st.BackendClaims {
			claimNames[NamespacedName{st.Namespace, cl}] = true
		}
		out = append(out, st)
	}
	claims, err := c.claims(ctx, claimNames)
	if err != nil {
		errs = append(errs, err)
	}
	return out, claims, errors.Join(errs...)
}

// backend fills in the workload behind a Service's selector, the problems of
// its unhealthiest pods and the claims they mount.
func (r *resolver) backend(ctx context.Context, st *incident.ServiceState) error {
	if len(st.Selector) == 0 {
		return nil
	}
	list, err := list[podList](ctx, r.c.api, podResource, st.Namespace, listOptions{
		LabelSelector: labels.SelectorFromSet(st.Selector).String(), Limit: listLimit})
	if err != nil {
		return fmt.Errorf("list pods of service %s/%s: %w", st.Namespace, st.Name, err)
	}
	pods := list.Items
	rankPods(pods)
	if len(pods) > podsPerDependency {
		pods = pods[:podsPerDependency]
	}
	probed := false
	var eventsErr error
	for i := range pods {
		p := &pods[i]
		owner, _, err := r.owner(ctx, p)
		if err != nil {
			return err
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
	}
	return eventsErr
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
