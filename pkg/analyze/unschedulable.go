package analyze

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// unschedulable finds pods the scheduler cannot place and parses its reason
// ("0/3 nodes are available: 3 Insufficient memory, 1 node(s) had
// untolerated taint ...") into the blocking constraints.
type unschedulable struct{}

func (unschedulable) Name() string { return "unschedulable" }

var (
	schedCountRe = regexp.MustCompile(`(\d+)/(\d+) nodes are available: (.*)`)
	schedPartRe  = regexp.MustCompile(`^(\d+) (.+)$`)
	pvcEventRe   = regexp.MustCompile(`(?i)(?:persistentvolumeclaim|pvc) "?([a-z0-9.-]+)"?`)
	// volumeBlockedRe is the scheduler waiting on a volume: a claim not bound
	// yet, or the VolumeBinding plugin failing to provision one at PreBind
	// (a CSI driver that cannot create the disk).
	// claimCreatedRe is the StatefulSet controller's SuccessfulCreate for a
	// replica's claim: "create Claim data-db-2 Pod db-2 in StatefulSet db success".
	claimCreatedRe  = regexp.MustCompile(`create Claim ([a-z0-9][a-z0-9.-]*) Pod ([a-z0-9][a-z0-9.-]*) in StatefulSet`)
	volumeBlockedRe = regexp.MustCompile(`(?i)unbound|binding volumes|provisioning failed for pvc|waiting for a volume to be created`)
)

// schedConstraint is one reason nodes were rejected and on how many.
type schedConstraint struct {
	nodes  int
	reason string
}

func (unschedulable) Analyze(b *incident.Bundle) []incident.Finding {
	var ids, pods []string
	namespace := b.Target.Namespace
	var messages []string
	var onset time.Time
	for _, e := range b.Events {
		if staleEvent(b, e) || !strings.EqualFold(e.Reason, "FailedScheduling") {
			continue
		}
		ids = append(ids, e.ID)
		messages = append(messages, e.Message)
		if !e.FirstSeen.IsZero() && (onset.IsZero() || e.FirstSeen.Before(onset)) {
			onset = e.FirstSeen
		}
		if e.Object.Kind == incident.KindPod && !contains(pods, e.Object.Name) {
			pods = append(pods, e.Object.Name)
			namespace = e.Object.Namespace
		}
	}
	// The scheduler's latest event says most; pod conditions repeat an
	// older message and only fill in when events are missing.
	var latest incident.Event
	for _, e := range b.Events {
		if strings.EqualFold(e.Reason, "FailedScheduling") && !staleEvent(b, e) && !e.LastSeen.Before(latest.LastSeen) {
			latest = e
		}
	}
	var conditionMessages []string
	for _, p := range b.Pods {
		for _, c := range p.Conditions {
			if c.Type == "PodScheduled" && c.Status == "False" {
				ids = append(ids, p.ID)
				if c.Message != "" {
					conditionMessages = append(conditionMessages, c.Message)
				}
				if !contains(pods, p.Name) {
					pods = append(pods, p.Name)
					namespace = p.Namespace
				}
			}
		}
	}
	reason := latest.Message
	if reason == "" && len(conditionMessages) > 0 {
		reason = conditionMessages[0]
	}
	messages = append(messages, conditionMessages...)
	if len(messages) == 0 {
		return nil
	}
	if reason == "" {
		reason = messages[0]
	}
	constraints, total := parseScheduling(reason)
	entity := responsible(b, namespace, pods)
	var reasons []string
	for _, c := range constraints {
		reasons = append(reasons, fmt.Sprintf("%d node(s): %s", c.nodes, c.reason))
	}
	detail := fmt.Sprintf("%s stay Pending: the scheduler rejects every node", plural(len(pods), "pod", "pods"))
	if total > 0 {
		detail += fmt.Sprintf(" (0/%d available)", total)
	}
	if len(reasons) > 0 {
		detail += ": " + strings.Join(reasons, "; ")
	} else {
		detail += ": " + truncate(reason, 300)
	}
	detail += "."
	if req := podRequests(b, namespace, pods); req != "" {
		detail += " Each pod requests " + req + "."
	}
	if advice := schedulingAdvice(constraints); advice != "" {
		detail += " " + advice
	}
	if pvc, id, ok := pendingClaim(b, messages, pods); ok {
		// An unbound volume is blamed on its claim (DESIGN's entity rule):
		// binding it is what lets the pods run.
		entity = incident.Entity{Namespace: namespace, Kind: incident.KindPVC, Name: pvc}
		ids = append(ids, id)
		detail += fmt.Sprintf(" PersistentVolumeClaim %s is not bound", pvc)
		if c, ok := claimState(b, namespace, pvc); ok {
			detail += fmt.Sprintf(" (phase %s", c.Phase)
			if c.StorageClass != "" {
				detail += ", StorageClass " + c.StorageClass
			}
			detail += ")"
		}
		if e, ok := eventByID(b, id); ok && e.Object.Kind == incident.KindPVC {
			// The provisioner's reason (an IAM denial, a zone, a quota) comes
			// after its preamble, so keep enough of it.
			detail += fmt.Sprintf(": %s", truncate(e.Message, 500))
		}
		detail += "."
	}
	title := fmt.Sprintf("%s cannot be scheduled", entity.Name)
	if len(constraints) > 0 {
		title += ": " + constraints[0].reason
	}
	return []incident.Finding{{
		Category:   incident.CategoryUnschedulable,
		Severity:   incident.SeverityCritical,
		Title:      title,
		Detail:     detail,
		Entity:     entity,
		Evidence:   ids,
		Confidence: 0.85,
		Onset:      onset,
	}}
}

// parseScheduling splits the scheduler's message into constraints, most
// nodes first, leaving out the preemption postscript.
func parseScheduling(msg string) ([]schedConstraint, int) {
	if i := strings.Index(msg, "preemption:"); i >= 0 {
		msg = msg[:i]
	}
	m := schedCountRe.FindStringSubmatch(msg)
	if m == nil {
		return nil, 0
	}
	total, _ := strconv.Atoi(m[2])
	var out []schedConstraint
	for _, part := range strings.Split(strings.TrimRight(strings.TrimSpace(m[3]), "."), ", ") {
		sub := schedPartRe.FindStringSubmatch(strings.TrimSpace(part))
		if sub == nil {
			// "pod has unbound immediate PersistentVolumeClaims" applies to all.
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, schedConstraint{nodes: total, reason: strings.TrimSuffix(part, ".")})
			}
			continue
		}
		n, _ := strconv.Atoi(sub[1])
		out = append(out, schedConstraint{nodes: n, reason: strings.TrimSuffix(sub[2], ".")})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].nodes > out[j].nodes })
	return out, total
}

func schedulingAdvice(cs []schedConstraint) string {
	for _, c := range cs {
		r := strings.ToLower(c.reason)
		switch {
		case strings.Contains(r, "insufficient"):
			return "Requests exceed what any node can still allocate: lower the requests, free capacity or add nodes."
		case strings.Contains(r, "unbound") && strings.Contains(r, "persistentvolumeclaim"):
			return "A PersistentVolumeClaim is unbound: check its StorageClass and provisioner."
		case strings.Contains(r, "taint"):
			return "Nodes carry taints the pod does not tolerate."
		case strings.Contains(r, "affinity") || strings.Contains(r, "selector"):
			return "No node matches the pod's node selector or affinity rules."
		case strings.Contains(r, "too many pods"):
			return "Nodes are at their pod capacity."
		}
	}
	return ""
}

// pendingClaim names the unbound claim when the scheduler blames one: from a
// claim event, or the pending pod's only claim.
func pendingClaim(b *incident.Bundle, messages, pods []string) (string, string, bool) {
	blamed := false
	for _, m := range messages {
		if volumeBlockedRe.MatchString(m) {
			blamed = true
		}
	}
	if !blamed {
		return "", "", false
	}
	for _, e := range b.Events {
		if e.Object.Kind == incident.KindPVC && e.Type == "Warning" {
			return e.Object.Name, e.ID, true
		}
	}
	for _, e := range b.Events {
		if m := pvcEventRe.FindStringSubmatch(e.Message); m != nil {
			return m[1], e.ID, true
		}
	}
	// The StatefulSet controller says which claim it made for which pod.
	for _, e := range b.Events {
		if m := claimCreatedRe.FindStringSubmatch(e.Message); m != nil && contains(pods, m[2]) {
			return m[1], e.ID, true
		}
	}
	// Without claim events, the pending pod's only claim is the one.
	for _, p := range b.Pods {
		if contains(pods, p.Name) && len(p.Claims) == 1 {
			return p.Claims[0], p.ID, true
		}
	}
	return "", "", false
}

func claimState(b *incident.Bundle, namespace, name string) (incident.ClaimState, bool) {
	for _, c := range b.Claims {
		if c.Namespace == namespace && c.Name == name {
			return c, true
		}
	}
	return incident.ClaimState{}, false
}

// podRequests sums the containers' requests of the first pending pod, with
// the largest node allocatable for comparison.
func podRequests(b *incident.Bundle, namespace string, pods []string) string {
	for _, name := range pods {
		p, ok := findPod(b, namespace, name)
		if !ok {
			continue
		}
		var cpu, mem int64
		for _, c := range p.Containers {
			if !c.Init {
				cpu += c.Requests.CPUMilli
				mem += c.Requests.MemoryBytes
			}
		}
		if cpu == 0 && mem == 0 {
			return ""
		}
		s := fmt.Sprintf("cpu %dm, memory %s", cpu, quantity(mem))
		var maxCPU, maxMem int64
		for _, n := range b.Nodes {
			maxCPU, maxMem = max(maxCPU, n.Allocatable.CPUMilli), max(maxMem, n.Allocatable.MemoryBytes)
		}
		if maxMem > 0 {
			s += fmt.Sprintf(" (the largest node allocates cpu %dm, memory %s in total)", maxCPU, quantity(maxMem))
		}
		return s
	}
	return ""
}

func eventByID(b *incident.Bundle, id string) (incident.Event, bool) {
	for _, e := range b.Events {
		if e.ID == id {
			return e, true
		}
	}
	return incident.Event{}, false
}
