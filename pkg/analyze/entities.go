package analyze

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// startsAt is the alert's start, or the evaluation time when the alert has none.
func startsAt(b *incident.Bundle) time.Time {
	if !b.Alert.StartsAt.IsZero() {
		return b.Alert.StartsAt
	}
	return b.Now
}

func findPod(b *incident.Bundle, namespace, name string) (incident.PodState, bool) {
	for _, p := range b.Pods {
		if p.Name == name && (namespace == "" || p.Namespace == namespace) {
			return p, true
		}
	}
	return incident.PodState{}, false
}

func podID(b *incident.Bundle, namespace, name string) string {
	p, _ := findPod(b, namespace, name)
	return p.ID
}

// ownerOf is the pod's top-level controller, or the pod itself when it has none.
func ownerOf(p incident.PodState) incident.Entity {
	if !p.Owner.IsZero() && p.Owner.Name != "" {
		o := p.Owner
		if o.Namespace == "" {
			o.Namespace = p.Namespace
		}
		return o
	}
	return p.Entity()
}

// responsible names the object to blame for a problem seen on the given pods:
// their common controller when they share one (a workload-wide problem),
// otherwise the single pod, otherwise the alert's target workload.
func responsible(b *incident.Bundle, namespace string, pods []string) incident.Entity {
	var owner incident.Entity
	var single incident.Entity
	for i, name := range pods {
		p, ok := findPod(b, namespace, name)
		if !ok {
			p = incident.PodState{Namespace: namespace, Name: name}
			if p.Namespace == "" {
				p.Namespace = b.Target.Namespace
			}
		}
		o := ownerOf(p)
		if i == 0 {
			owner, single = o, p.Entity()
			continue
		}
		if o != owner {
			return targetEntity(b)
		}
	}
	switch {
	case len(pods) == 0:
		return targetEntity(b)
	case owner.IsWorkload():
		return owner
	}
	return single
}

// targetEntity is what the alert is about when nothing more specific is known.
func targetEntity(b *incident.Bundle) incident.Entity {
	t := b.Target
	switch {
	case !t.Workload.IsZero():
		w := t.Workload
		if w.Namespace == "" {
			w.Namespace = t.Namespace
		}
		return w
	case len(t.Pods) == 1:
		if p, ok := findPod(b, t.Namespace, t.Pods[0]); ok {
			return ownerOf(p)
		}
		return incident.Entity{Namespace: t.Namespace, Kind: incident.KindPod, Name: t.Pods[0]}
	case t.Service != "":
		return incident.Entity{Namespace: t.Namespace, Kind: incident.KindService, Name: t.Service}
	case t.Node != "":
		return incident.Entity{Kind: incident.KindNode, Name: t.Node}
	}
	if len(b.Pods) > 0 {
		return ownerOf(b.Pods[0])
	}
	return incident.Entity{Namespace: t.Namespace}
}

// hostEntity maps a host seen in a log line (a Service name, a cluster DNS
// name, a pod IP or an outside host) to the object that serves it.
func hostEntity(b *incident.Bundle, namespace, host string) incident.Entity {
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, `"'[]`)), ".")
	if namespace == "" {
		namespace = b.Target.Namespace
	}
	if ip := net.ParseIP(host); ip != nil {
		for _, s := range b.Services {
			if s.ClusterIP != "" && s.ClusterIP == host {
				return incident.Entity{Namespace: s.Namespace, Kind: incident.KindService, Name: s.Name}
			}
		}
		for _, p := range b.Pods {
			if p.IP == host {
				if svc, ok := serviceSelecting(b, p); ok {
					return svc
				}
				return ownerOf(p)
			}
		}
		return incident.Entity{Kind: incident.KindExternal, Name: host}
	}
	name, ns, inCluster := clusterName(host, namespace, b)
	if inCluster {
		return incident.Entity{Namespace: ns, Kind: incident.KindService, Name: name}
	}
	return incident.Entity{Kind: incident.KindExternal, Name: host}
}

// statefulPodName is a StatefulSet member's name: "<set>-<ordinal>".
var statefulPodName = regexp.MustCompile(`^[a-z0-9-]+-[0-9]+$`)

// clusterName recognises in-cluster service names: "svc", "svc.ns",
// "svc.ns.svc", "svc.ns.svc.cluster.local", and any name of a known Service.
func clusterName(host, namespace string, b *incident.Bundle) (name, ns string, ok bool) {
	for _, s := range b.Services {
		if host == strings.ToLower(s.Name) {
			return s.Name, s.Namespace, true
		}
	}
	labels := strings.Split(host, ".")
	svcAt := slices.Index(labels, "svc")
	switch {
	case len(labels) == 1:
		return host, namespace, true
	case svcAt == 2:
		// service.namespace.svc[.cluster.local]
		return labels[0], labels[1], true
	case svcAt == 3:
		// pod.service.namespace.svc[.cluster.local] (a StatefulSet member)
		return labels[1], labels[2], true
	case len(labels) == 2 && knownNamespace(b, labels[1]):
		return labels[0], labels[1], true
	case len(labels) == 2 && (knownService(b, labels[1]) || statefulPodName.MatchString(labels[0])):
		// pod.service of a headless Service in the same namespace
		return labels[1], namespace, true
	}
	return "", "", false
}

func knownNamespace(b *incident.Bundle, ns string) bool {
	if ns == b.Target.Namespace {
		return true
	}
	for _, p := range b.Pods {
		if p.Namespace == ns {
			return true
		}
	}
	for _, s := range b.Services {
		if s.Namespace == ns {
			return true
		}
	}
	return false
}

func serviceSelecting(b *incident.Bundle, p incident.PodState) (incident.Entity, bool) {
	for _, s := range b.Services {
		if selects(s, p) {
			return incident.Entity{Namespace: s.Namespace, Kind: incident.KindService, Name: s.Name}, true
		}
	}
	return incident.Entity{}, false
}

// selects reports whether the Service's selector matches the pod.
func selects(s incident.ServiceState, p incident.PodState) bool {
	if s.Namespace != p.Namespace || len(s.Selector) == 0 {
		return false
	}
	for k, v := range s.Selector {
		if p.Labels[k] != v {
			return false
		}
	}
	return true
}

// ownHost reports whether host is one of the examined pods or their
// workload: a service does not depend on itself.
func ownHost(b *incident.Bundle, host string) bool {
	host = strings.ToLower(host)
	first := strings.Split(host, ".")[0]
	if first == "localhost" || host == "127.0.0.1" || host == "::1" || host == "0.0.0.0" {
		return true
	}
	for _, p := range b.Pods {
		if strings.ToLower(p.Name) == first || p.IP == host {
			return true
		}
	}
	w := strings.ToLower(b.Target.Workload.Name)
	if w != "" && first == w {
		return true
	}
	return b.Target.Service != "" && first == strings.ToLower(b.Target.Service)
}

// series returns the metrics with the given standard name.
func series(b *incident.Bundle, name string) []incident.Series {
	var out []incident.Series
	for _, s := range b.Metrics {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// valueBefore is the last value of s at or before t, and whether one exists.
func valueBefore(s incident.Series, t time.Time) (float64, bool) {
	v, ok := 0.0, false
	for _, p := range s.Points {
		if p.T.After(t) {
			break
		}
		v, ok = p.V, true
	}
	return v, ok
}

// maxBetween is the largest value of s in [from, to].
func maxBetween(s incident.Series, from, to time.Time) (float64, bool) {
	m, ok := 0.0, false
	for _, p := range s.Points {
		if p.T.Before(from) || p.T.After(to) {
			continue
		}
		if !ok || p.V > m {
			m, ok = p.V, true
		}
	}
	return m, ok
}

// seriesOnset is when the series departed from its baseline: the
// collector's onset when it computed one, otherwise the first point above
// the midpoint between the first and the maximum value.
func seriesOnset(s incident.Series) time.Time {
	if !s.Summary.Onset.IsZero() {
		return s.Summary.Onset
	}
	if len(s.Points) < 2 {
		return time.Time{}
	}
	base := s.Points[0].V
	peak := base
	for _, p := range s.Points {
		peak = max(peak, p.V)
	}
	if peak <= base {
		return time.Time{}
	}
	mid := base + (peak-base)/2
	for _, p := range s.Points {
		if p.V > mid {
			return p.T
		}
	}
	return time.Time{}
}

func seriesIDs(ss []incident.Series) []string {
	ids := make([]string, 0, len(ss))
	for _, s := range ss {
		ids = append(ids, s.ID)
	}
	return ids
}

func mib(bytes float64) string {
	return fmt.Sprintf("%.0fMi", bytes/(1<<20))
}

// quantity renders bytes the way Kubernetes users write them: "6Gi", "512Mi".
func quantity(bytes int64) string {
	const gi = 1 << 30
	if bytes >= gi && bytes%gi == 0 {
		return fmt.Sprintf("%dGi", bytes/gi)
	}
	return mib(float64(bytes))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// relative says how long before (or after) the alert's start t was.
func relative(b *incident.Bundle, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := t.Sub(startsAt(b)).Round(time.Second)
	switch {
	case d < 0:
		return fmt.Sprintf("%s before the alert", (-d).String())
	case d > 0:
		return fmt.Sprintf("%s after the alert started", d.String())
	}
	return "when the alert started"
}

// eventsWithReason returns the events with one of the reasons.
func eventsWithReason(b *incident.Bundle, reasons ...string) []incident.Event {
	var out []incident.Event
	for _, e := range b.Events {
		for _, r := range reasons {
			if strings.EqualFold(e.Reason, r) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

func eventIDs(es []incident.Event) []string {
	ids := make([]string, 0, len(es))
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	return ids
}

func eventCount(e incident.Event) int {
	if e.Count <= 0 {
		return 1
	}
	return int(e.Count)
}

func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ownerOfObject is the controller of an event's object when it is a known
// pod, and the object itself otherwise.
func ownerOfObject(b *incident.Bundle, obj incident.Entity) incident.Entity {
	if obj.Kind == incident.KindPod {
		if p, ok := findPod(b, obj.Namespace, obj.Name); ok {
			return ownerOf(p)
		}
	}
	return obj
}

// sortEntities orders entities by namespace, kind and name, for stable output.
func sortEntities(es []incident.Entity) {
	sort.Slice(es, func(i, j int) bool {
		if es[i].Namespace != es[j].Namespace {
			return es[i].Namespace < es[j].Namespace
		}
		if es[i].Kind != es[j].Kind {
			return es[i].Kind < es[j].Kind
		}
		return es[i].Name < es[j].Name
	})
}

// byWorkload runs analyze once per workload (or bare pod) that owns pods or
// pod events in the bundle, on a shallow copy holding only that workload's
// pods and the events about them, so problems of different workloads become
// separate findings. Events about other objects go with the alert's target.
func byWorkload(b *incident.Bundle, analyze func(*incident.Bundle) []incident.Finding) []incident.Finding {
	var owners []incident.Entity
	note := func(e incident.Entity) {
		if !slices.Contains(owners, e) {
			owners = append(owners, e)
		}
	}
	for _, p := range b.Pods {
		note(ownerOf(p))
	}
	for _, e := range b.Events {
		if e.Object.Kind == incident.KindPod {
			note(ownerOfObject(b, e.Object))
		}
	}
	if len(owners) <= 1 {
		return analyze(b)
	}
	sortEntities(owners)
	home := targetEntity(b)
	if !slices.Contains(owners, home) {
		home = owners[0]
	}
	var out []incident.Finding
	for _, o := range owners {
		sub := *b
		sub.Pods = nil
		for _, p := range b.Pods {
			if ownerOf(p) == o {
				sub.Pods = append(sub.Pods, p)
			}
		}
		sub.Events = nil
		for _, e := range b.Events {
			if e.Object.Kind == incident.KindPod && ownerOfObject(b, e.Object) == o || e.Object.Kind != incident.KindPod && o == home {
				sub.Events = append(sub.Events, e)
			}
		}
		out = append(out, analyze(&sub)...)
	}
	return out
}
