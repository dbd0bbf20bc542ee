package analyze

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// nodePressure finds nodes that are NotReady or under memory, disk or PID
// pressure, and the evictions they cause.
type nodePressure struct{}

func (nodePressure) Name() string { return "nodepressure" }

var (
	lowResourceRe   = regexp.MustCompile(`(?i)low on resource: ([a-z-]+)|had condition: \[([a-z]+)pressure\]`)
	pressureTaintRe = regexp.MustCompile(`node\.kubernetes\.io/(memory-pressure|disk-pressure|pid-pressure|not-ready|unreachable)`)
	// ownLimitRe is an eviction for the pod's own storage limit, not the node's.
	ownLimitRe = regexp.MustCompile(`(?i)exceeds the total limit|exceeded its local ephemeral storage limit|usage exceeds the limit`)
)

var nodeEventReasons = map[string]bool{
	"NodeNotReady": true, "NodeHasDiskPressure": true, "NodeHasInsufficientMemory": true,
	"NodeHasInsufficientPID": true, "EvictionThresholdMet": true, "NodeNotSchedulable": true,
	"TaintManagerEviction": true, "SystemOOM": true, "Rebooted": true, "KubeletNotReady": true,
	"FreeDiskSpaceFailed": true, "ImageGCFailed": true, "ContainerGCFailed": true, "NodeHasInsufficientDisk": true,
}

// nodeSignals gathers what is known against one node.
type nodeSignals struct {
	name       string
	conditions []string
	ids        []string
	evicted    []string
	resources  []string
	onset      time.Time
	strength   float64
	// current says the node's or its pods' state shows the problem now,
	// not only past events.
	current bool
	// lastEvent is when the latest event against the node was seen.
	lastEvent time.Time
}

func (nodePressure) Analyze(b *incident.Bundle) []incident.Finding {
	return append(nodeConditions(b), conntrackFull(b)...)
}

// nodeConditions reads the nodes' conditions, evictions and node events.
func nodeConditions(b *incident.Bundle) []incident.Finding {
	nodes := map[string]*nodeSignals{}
	get := func(name string) *nodeSignals {
		if nodes[name] == nil {
			nodes[name] = &nodeSignals{name: name}
		}
		return nodes[name]
	}
	for _, n := range b.Nodes {
		for _, c := range n.Conditions {
			if !badNodeCondition(c) {
				continue
			}
			s := get(n.Name)
			s.conditions = append(s.conditions, describeCondition(c))
			s.ids = append(s.ids, n.ID)
			s.strength = max(s.strength, 0.85)
			s.current = true
			if !c.LastTransitionTime.IsZero() && (s.onset.IsZero() || c.LastTransitionTime.Before(s.onset)) {
				s.onset = c.LastTransitionTime
			}
		}
	}
	for _, p := range b.Pods {
		// Pods whose node stopped reporting show as Unknown / NodeLost.
		if (p.Phase == "Unknown" || strings.EqualFold(p.Reason, "NodeLost")) && p.Node != "" {
			s := get(p.Node)
			s.conditions = append(s.conditions, fmt.Sprintf("pod %s status Unknown (node lost)", p.Name))
			s.ids = append(s.ids, p.ID)
			s.strength = max(s.strength, 0.7)
			s.current = true
			continue
		}
		if !strings.EqualFold(p.Reason, "Evicted") || ownLimitRe.MatchString(p.Message) {
			continue
		}
		s := get(p.Node)
		s.evicted = append(s.evicted, p.Name)
		s.ids = append(s.ids, p.ID)
		s.strength = max(s.strength, 0.75)
		if r := lowResource(p.Message); r != "" {
			s.resources = append(s.resources, r)
		}
	}
	for _, e := range b.Events {
		if staleEvent(b, e) {
			continue
		}
		switch {
		case strings.EqualFold(e.Reason, "Evicted") && !ownLimitRe.MatchString(e.Message):
			node := nodeOfEvent(b, e)
			s := get(node)
			if e.Object.Kind == incident.KindPod && !contains(s.evicted, e.Object.Name) {
				s.evicted = append(s.evicted, e.Object.Name)
			}
			s.ids = append(s.ids, e.ID)
			s.strength = max(s.strength, 0.75)
			if r := lowResource(e.Message); r != "" {
				s.resources = append(s.resources, r)
			}
			setOnset(&s.onset, e.FirstSeen)
		case nodeEventReasons[e.Reason] && !taintEvictionCancelled(e):
			s := get(nodeOfEvent(b, e))
			s.ids = append(s.ids, e.ID)
			s.conditions = append(s.conditions, fmt.Sprintf("%s: %s", e.Reason, truncate(e.Message, 120)))
			s.strength = max(s.strength, 0.7)
			setOnset(&s.onset, e.FirstSeen)
			if e.LastSeen.After(s.lastEvent) {
				s.lastEvent = e.LastSeen
			}
		case strings.EqualFold(e.Reason, "FailedScheduling") && pressureTaintRe.MatchString(e.Message):
			s := get("")
			s.ids = append(s.ids, e.ID)
			s.conditions = append(s.conditions, "scheduler reports taint "+pressureTaintRe.FindString(e.Message))
			s.strength = max(s.strength, 0.6)
			setOnset(&s.onset, e.FirstSeen)
		}
	}
	var out []incident.Finding
	for _, name := range sortedKeys(nodes) {
		if s := nodes[name]; recoveredNode(b, name, s) {
			out = append(out, recoveredFinding(s))
			delete(nodes, name)
		}
	}
	if len(nodes) == 0 {
		return out
	}
	// An unnamed node's signals belong to the only named one, if there is one.
	if anon, ok := nodes[""]; ok && len(nodes) == 2 {
		for name, s := range nodes {
			if name != "" {
				s.ids = append(s.ids, anon.ids...)
				s.conditions = append(s.conditions, anon.conditions...)
				s.evicted = append(s.evicted, anon.evicted...)
				s.resources = append(s.resources, anon.resources...)
				s.strength = max(s.strength, anon.strength)
			}
		}
		delete(nodes, "")
	}
	hosting := targetNodes(b)
	for _, name := range sortedKeys(nodes) {
		s := nodes[name]
		confidence := s.strength
		if len(s.evicted) > 0 && len(s.conditions) > 0 {
			confidence += 0.1
		}
		// A sick node that runs none of the alert's pods is a bystander.
		if name != "" && len(hosting) > 0 && !hosting[name] && len(s.evicted) == 0 {
			confidence -= 0.35
		}
		out = append(out, nodeFinding(b, s, confidence))
	}
	return out
}

func nodeFinding(b *incident.Bundle, s *nodeSignals, confidence float64) incident.Finding {
	entity := incident.Entity{Kind: incident.KindNode, Name: s.name}
	label := s.name
	if label == "" {
		label = "a node"
	}
	var detail strings.Builder
	fmt.Fprintf(&detail, "Node %s is unhealthy", label)
	if len(s.conditions) > 0 {
		fmt.Fprintf(&detail, ": %s", strings.Join(uniq(s.conditions), "; "))
	}
	detail.WriteString(".")
	if len(s.evicted) > 0 {
		fmt.Fprintf(&detail, " The kubelet evicted %s (%s)", plural(len(s.evicted), "pod", "pods"), strings.Join(firstN(s.evicted, 5), ", "))
		if len(s.resources) > 0 {
			fmt.Fprintf(&detail, " because the node was low on %s", strings.Join(uniq(s.resources), " and "))
		}
		detail.WriteString(".")
	}
	kind := "pressure"
	if r := uniq(s.resources); len(r) > 0 {
		kind = r[0] + " pressure"
	} else {
		for _, c := range s.conditions {
			if strings.HasPrefix(c, "Ready=") || strings.Contains(c, "NotReady") || strings.Contains(c, "node lost") {
				kind = "NotReady"
				break
			}
			if i := strings.Index(c, "Pressure"); i > 0 {
				kind = strings.ToLower(c[:i]) + " pressure"
				break
			}
		}
	}
	return incident.Finding{
		Category:   incident.CategoryNodePressure,
		Severity:   incident.SeverityCritical,
		Title:      fmt.Sprintf("node %s: %s", label, kind),
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   s.ids,
		Confidence: confidence,
		Onset:      s.onset,
	}
}

func badNodeCondition(c incident.Condition) bool {
	switch c.Type {
	case "Ready":
		return c.Status != "True"
	case "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable":
		return c.Status == "True"
	}
	return false
}

func describeCondition(c incident.Condition) string {
	s := fmt.Sprintf("%s=%s", c.Type, c.Status)
	if c.Reason != "" {
		s += " (" + c.Reason + ")"
	}
	if c.Message != "" {
		s += " " + truncate(c.Message, 120)
	}
	return s
}

func sortedKeys(nodes map[string]*nodeSignals) []string {
	names := make([]string, 0, len(nodes))
	for n := range nodes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// recoveredConfidence keeps a recovered node among the findings, to be
// read, but far below what a root cause needs.
const recoveredConfidence = 0.1

// recoveredFinding says what happened to a node that is healthy again.
func recoveredFinding(s *nodeSignals) incident.Finding {
	return incident.Finding{
		Category: incident.CategoryNodePressure,
		Severity: incident.SeverityInfo,
		Title:    fmt.Sprintf("node %s recovered: Ready again", s.name),
		Detail: fmt.Sprintf("Node %s had %s and has since reported NodeReady; it is Ready now, so the alert outlived a restart rather than pointing at a fault on the node.",
			s.name, strings.Join(uniq(s.conditions), "; ")),
		Entity:     incident.Entity{Kind: incident.KindNode, Name: s.name},
		Evidence:   s.ids,
		Confidence: recoveredConfidence,
	}
}

// recoveredNode reports a node whose trouble is only past events (a reboot,
// a NotReady spell) that the kubelet has since answered with NodeReady, and
// which is Ready now: a planned reboot the alert outlived, nothing to blame.
func recoveredNode(b *incident.Bundle, name string, s *nodeSignals) bool {
	if name == "" || s.current || len(s.evicted) > 0 || s.lastEvent.IsZero() {
		return false
	}
	ready := false
	for _, n := range b.Nodes {
		if n.Name != name {
			continue
		}
		for _, c := range n.Conditions {
			ready = ready || (c.Type == "Ready" && c.Status == "True")
		}
	}
	if !ready {
		return false
	}
	for _, e := range b.Events {
		if e.Object.Kind == incident.KindNode && e.Object.Name == name && e.Reason == "NodeReady" && !e.LastSeen.Before(s.lastEvent) {
			return true
		}
	}
	return false
}

// taintEvictionCancelled is the taint manager withdrawing an eviction it
// scheduled ("Cancelling deletion of Pod ns/name"): the taint went away or
// the pod left the node, so it says nothing against a node.
func taintEvictionCancelled(e incident.Event) bool {
	return e.Reason == "TaintManagerEviction" && strings.HasPrefix(e.Message, "Cancelling deletion")
}

// nodeOfEvent is the node an event is about: its object when that is a node,
// otherwise the node of the pod it concerns.
func nodeOfEvent(b *incident.Bundle, e incident.Event) string {
	if e.Object.Kind == incident.KindNode {
		return e.Object.Name
	}
	if e.Object.Kind == incident.KindPod {
		if p, ok := findPod(b, e.Object.Namespace, e.Object.Name); ok {
			return p.Node
		}
	}
	return ""
}

// targetNodes are the nodes running the alert's pods.
func targetNodes(b *incident.Bundle) map[string]bool {
	out := map[string]bool{}
	if b.Target.Node != "" {
		out[b.Target.Node] = true
	}
	for _, p := range b.Pods {
		if p.Node != "" {
			out[p.Node] = true
		}
	}
	return out
}

func setOnset(onset *time.Time, t time.Time) {
	if !t.IsZero() && (onset.IsZero() || t.Before(*onset)) {
		*onset = t
	}
}

func firstN(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}

// lowResource is the resource an eviction message says the node ran low on.
func lowResource(msg string) string {
	m := lowResourceRe.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	if m[1] != "" {
		return strings.ToLower(m[1])
	}
	return strings.ToLower(m[2])
}

// conntrackFullShare is the share of the connection-tracking table in use at
// which the kernel is about to drop new connections (it drops at 100%;
// node-exporter's mixin warns at 75%).
const conntrackFullShare = 0.95

// conntrackDropRe is the kernel's line when the table is full.
var conntrackDropRe = regexp.MustCompile(`(?i)\b(?:nf|ip)_conntrack: table full, dropping packet`)

// conntrackFull finds a node whose connection-tracking table is full: new
// connections through it are dropped and time out, to backends that are
// healthy, while the same pods on other nodes work. The node's table is the
// exhausted resource.
func conntrackFull(b *incident.Bundle) []incident.Finding {
	type full struct {
		ids   []string
		share float64
		onset time.Time
		lines int
	}
	nodes := map[string]*full{}
	for _, s := range series(b, incident.MetricConntrackRatio) {
		if s.Entity.Kind != incident.KindNode || s.Entity.Name == "" || s.Summary.Max < conntrackFullShare {
			continue
		}
		nodes[s.Entity.Name] = &full{ids: []string{s.ID}, share: s.Summary.Max, onset: seriesOnset(s)}
	}
	for _, r := range matchRecords(b, logRecords(b), conntrackDropRe) {
		p, ok := findPod(b, r.Namespace, r.Pod)
		if !ok || p.Node == "" {
			continue
		}
		f := nodes[p.Node]
		if f == nil {
			f = &full{}
			nodes[p.Node] = f
		}
		f.ids = append(f.ids, r.ID)
		f.lines += r.Count
	}
	hosting := targetNodes(b)
	var out []incident.Finding
	for _, name := range slices.Sorted(maps.Keys(nodes)) {
		f := nodes[name]
		var said []string
		if f.share > 0 {
			said = append(said, fmt.Sprintf("its connection-tracking table reached %.0f%% of nf_conntrack_max", 100*f.share))
		}
		if f.lines > 0 {
			said = append(said, fmt.Sprintf("the kernel logged %q %s", "nf_conntrack: table full, dropping packet", plural(f.lines, "time", "times")))
		}
		confidence := 0.85
		if len(hosting) > 0 && !hosting[name] {
			confidence -= 0.35
		}
		out = append(out, incident.Finding{
			Category: incident.CategoryResourceExhaustion,
			Severity: incident.SeverityCritical,
			Title:    fmt.Sprintf("node %s: conntrack table full", name),
			Detail: fmt.Sprintf("Node %s is out of connection-tracking entries: %s. The kernel drops new connections through that node, so its pods time out to healthy backends while the same pods on other nodes work. Raise net.netfilter.nf_conntrack_max on the node (or its kube-proxy conntrack settings) and find what holds so many connections.",
				name, strings.Join(said, " and ")),
			Entity:     incident.Entity{Kind: incident.KindNode, Name: name},
			Evidence:   f.ids,
			Confidence: confidence,
			Onset:      f.onset,
		})
	}
	return out
}
