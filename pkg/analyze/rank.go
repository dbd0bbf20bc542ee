package analyze

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// explains is the small table of causality the ranker trusts: a finding of
// the key category accounts for findings of the listed categories, which are
// then symptoms rather than root causes.
var explains = map[incident.Category][]incident.Category{
	incident.CategoryOOMKilled:          {incident.CategoryCrashLoop, incident.CategoryProbeFailure, incident.CategoryBadDeploy},
	incident.CategoryConfigError:        {incident.CategoryCrashLoop, incident.CategoryProbeFailure, incident.CategoryDependencyFailure, incident.CategoryBadDeploy},
	incident.CategoryImagePull:          {incident.CategoryCrashLoop, incident.CategoryBadDeploy, incident.CategoryProbeFailure},
	incident.CategoryDNSFailure:         {incident.CategoryDependencyFailure, incident.CategoryProbeFailure, incident.CategoryCrashLoop},
	incident.CategoryTLSFailure:         {incident.CategoryDependencyFailure, incident.CategoryProbeFailure, incident.CategoryCrashLoop},
	incident.CategoryDependencyFailure:  {incident.CategoryProbeFailure, incident.CategoryCrashLoop},
	incident.CategoryResourceExhaustion: {incident.CategoryCrashLoop, incident.CategoryProbeFailure},
	incident.CategoryNodePressure:       {incident.CategoryUnschedulable, incident.CategoryCrashLoop, incident.CategoryProbeFailure, incident.CategoryOOMKilled},
	incident.CategoryBadDeploy:          {incident.CategoryCrashLoop, incident.CategoryProbeFailure, incident.CategoryDependencyFailure},
	incident.CategoryTrafficSpike:       {incident.CategoryCPUThrottling, incident.CategoryProbeFailure, incident.CategoryResourceExhaustion, incident.CategoryOOMKilled},
	incident.CategoryCPUThrottling:      {incident.CategoryProbeFailure},
	incident.CategoryProbeFailure:       {incident.CategoryCrashLoop},
	incident.CategoryJobFailure:         {incident.CategoryCrashLoop},
	incident.CategoryUnschedulable:      {incident.CategoryProbeFailure},
	// The cost finding of a cost alert names the scale-out, the rollout or
	// the crash loop that drove the spend as its driver: on that alert they
	// are its detail, not competing answers.
	incident.CategoryCostAnomaly: {incident.CategoryCrashLoop, incident.CategoryBadDeploy, incident.CategoryTrafficSpike,
		incident.CategoryProbeFailure, incident.CategoryOOMKilled, incident.CategoryCPUThrottling},
}

// reachesAcross marks causes that act on other objects than the one they
// are reported on: a failing dependency breaks its callers, a pressured node
// its pods, a traffic spike the service it hits.
var reachesAcross = map[incident.Category]bool{
	incident.CategoryDependencyFailure: true,
	incident.CategoryDNSFailure:        true,
	incident.CategoryTLSFailure:        true,
	incident.CategoryNodePressure:      true,
	incident.CategoryTrafficSpike:      true,
}

// timedCauses are the categories whose onset comes from metrics or object
// history (a rollout's creation, a node condition's transition).
var timedCauses = map[incident.Category]bool{
	incident.CategoryCPUThrottling: true,
	incident.CategoryTrafficSpike:  true,
	incident.CategoryBadDeploy:     true,
	incident.CategoryNodePressure:  true,
	incident.CategoryCostAnomaly:   true,
}

// alertHints are words in an alert's name or summary that point at a
// category: a small tie-breaker, never enough on its own.
var alertHints = map[incident.Category][]string{
	incident.CategoryOOMKilled:          {"oom", "memory"},
	incident.CategoryCrashLoop:          {"crashloop", "restart"},
	incident.CategoryImagePull:          {"imagepull", "image"},
	incident.CategoryUnschedulable:      {"pending", "unschedulable", "schedul"},
	incident.CategoryNodePressure:       {"node", "pressure", "evict"},
	incident.CategoryCPUThrottling:      {"throttl"},
	incident.CategoryJobFailure:         {"job"},
	incident.CategoryTLSFailure:         {"cert", "tls", "ssl"},
	incident.CategoryDNSFailure:         {"dns"},
	incident.CategoryResourceExhaustion: {"disk", "volume", "filesystem", "pvc", "quota", "descriptor", "pool"},
	incident.CategoryTrafficSpike:       {"traffic", "requestrate", "rps", "load"},
	incident.CategoryProbeFailure:       {"probe"},
	incident.CategoryDependencyFailure:  {"upstream", "dependency", "downstream"},
	incident.CategoryCostAnomaly:        {"cost", "spend"},
}

// Scoring weights and the floor below which nothing is blamed.
const (
	causeBonus     = 0.15
	symptomPenalty = 0.35
	offTargetMalus = 0.3
	timingBonus    = 0.05
	lateMalus      = 0.1
	alertHintBonus = 0.05
	// selfDependencyMalus sinks a dependency failure that names the alert's
	// own service.
	selfDependencyMalus = 0.4
	minRootScore        = 0.35
	// causeLag is how much later than its symptom a cause may be first seen
	// (events and scrapes lag each other).
	causeLag         = 10 * time.Minute
	maxConfidence    = 0.95
	unknownCertainty = 0.2
)

type scored struct {
	f           incident.Finding
	score       float64
	explainsOf  []int
	explainedBy int
}

// Rank orders findings causes-before-symptoms and picks the root cause with a
// confidence; Unknown, saying what is missing, when nothing supports a cause.
// Findings are renumbered f1, f2, ... in the returned order.
func Rank(b *incident.Bundle, findings []incident.Finding) (incident.RootCause, []incident.Finding) {
	if b == nil {
		b = &incident.Bundle{}
	}
	items := make([]scored, len(findings))
	for i, f := range findings {
		items[i] = scored{f: f, score: baseScore(b, f), explainedBy: -1}
	}
	for i := range items {
		for j := range items {
			if i == j || !explainsFinding(b, items[i].f, items[j].f) {
				continue
			}
			items[i].explainsOf = append(items[i].explainsOf, j)
		}
	}
	for i := range items {
		if len(items[i].explainsOf) > 0 {
			items[i].score += causeBonus
		}
	}
	// A symptom is explained by its strongest cause; mutual explanations
	// (a probe that restarts a crash-looping container, and so on) are
	// settled by score.
	for j := range items {
		best := -1
		for i := range items {
			if !slices.Contains(items[i].explainsOf, j) {
				continue
			}
			if explainsFinding(b, items[j].f, items[i].f) && items[j].score > items[i].score {
				continue
			}
			if best < 0 || items[i].score > items[best].score {
				best = i
			}
		}
		items[j].explainedBy = best
	}
	for j := range items {
		if items[j].explainedBy >= 0 {
			items[j].score -= symptomPenalty
		}
	}

	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, c := items[order[x]], items[order[y]]
		if a.score != c.score {
			return a.score > c.score
		}
		return a.f.Severity.Rank() > c.f.Severity.Rank()
	})

	var ranked []incident.Finding
	placed := make([]bool, len(items))
	place := func(i int) {
		if placed[i] {
			return
		}
		placed[i] = true
		ranked = append(ranked, items[i].f)
	}
	var root incident.RootCause
	if len(order) > 0 && items[order[0]].score >= minRootScore {
		top := order[0]
		place(top)
		// The root's symptoms follow it, so the reader sees the chain.
		for _, i := range order {
			if items[i].explainedBy == top {
				place(i)
			}
		}
		root = rootFrom(items, top)
	} else {
		root = unknownRoot(b, findings)
	}
	for _, i := range order {
		place(i)
	}
	for i := range ranked {
		ranked[i].ID = fmt.Sprintf("f%d", i+1)
	}
	return root, ranked
}

// baseScore combines the analyzer's confidence with relevance to the alert's
// target and timing relative to startsAt.
func baseScore(b *incident.Bundle, f incident.Finding) float64 {
	s := clamp01(f.Confidence)
	if !onTarget(b, f) {
		s -= offTargetMalus
	}
	if !f.Onset.IsZero() {
		d := f.Onset.Sub(startsAt(b))
		switch {
		case d >= -time.Hour && d <= 5*time.Minute:
			s += timingBonus
		case d > 15*time.Minute:
			s -= lateMalus
		}
	}
	if alertHints[f.Category] != nil && alertMentions(b, alertHints[f.Category]) {
		s += alertHintBonus
	}
	if f.Category == incident.CategoryDependencyFailure && isTargetService(b, f.Entity) {
		// Callers failing against the very service the alert is about are
		// its consequence, not its cause.
		s -= selfDependencyMalus
	}
	return s
}

// isTargetService reports a Service that is the alert's target or fronts
// its workload (same name in the same namespace).
func isTargetService(b *incident.Bundle, e incident.Entity) bool {
	if e.Kind != incident.KindService {
		return false
	}
	t := targetEntity(b)
	return (b.Target.Service != "" && e.Name == b.Target.Service && (e.Namespace == b.Target.Namespace || b.Target.Namespace == "")) ||
		(t.Name != "" && e.Name == t.Name && e.Namespace == t.Namespace)
}

// onTarget reports whether the finding concerns what the alert is about:
// its namespace, workload, pods, node or service, or anything that reaches
// across objects (a dependency, a node).
func onTarget(b *incident.Bundle, f incident.Finding) bool {
	if reachesAcross[f.Category] || f.Entity.Kind == incident.KindExternal || f.Entity.Kind == incident.KindNode {
		return true
	}
	// The claims read are the target's and its dependencies': a full one
	// stops the target's calls wherever it lives.
	if _, read := claimState(b, f.Entity.Namespace, f.Entity.Name); read && f.Entity.Kind == incident.KindPVC && f.Category == incident.CategoryResourceExhaustion {
		return true
	}
	t := b.Target
	if t.Namespace == "" && t.Workload.IsZero() && len(t.Pods) == 0 {
		return true
	}
	if f.Entity.Namespace != "" && t.Namespace != "" && f.Entity.Namespace != t.Namespace {
		return false
	}
	if t.Workload.IsZero() && len(t.Pods) == 0 {
		return true
	}
	return relatedEntities(b, f.Entity, targetEntity(b)) || contains(t.Pods, f.Entity.Name) ||
		(t.Service != "" && f.Entity.Name == t.Service)
}

// relatedEntities: the same object, or a pod and its controller.
func relatedEntities(b *incident.Bundle, x, y incident.Entity) bool {
	if x.Name == y.Name && x.Namespace == y.Namespace {
		return true
	}
	podOf := func(pod, workload incident.Entity) bool {
		if pod.Kind != incident.KindPod || !workload.IsWorkload() {
			return false
		}
		p, ok := findPod(b, pod.Namespace, pod.Name)
		return ok && ownerOf(p).Name == workload.Name
	}
	return podOf(x, y) || podOf(y, x) || mountedClaim(b, x, y) || mountedClaim(b, y, x)
}

// mountedClaim: claim is a PersistentVolumeClaim that the pod, or a pod of
// the workload, mounts (a full or unbound volume stops what mounts it).
func mountedClaim(b *incident.Bundle, claim, user incident.Entity) bool {
	if claim.Kind != incident.KindPVC {
		return false
	}
	for _, p := range b.Pods {
		if p.Namespace != claim.Namespace || !contains(p.Claims, claim.Name) {
			continue
		}
		if (user.Kind == incident.KindPod && p.Name == user.Name) || (user.IsWorkload() && ownerOf(p).Name == user.Name) {
			return true
		}
	}
	return false
}

func explainsFinding(b *incident.Bundle, cause, symptom incident.Finding) bool {
	// A configuration the application rejects, arriving with a new revision
	// while the old one serves, is that rollout's doing (DESIGN: a rollout
	// that introduced the failure, config included): the deploy explains the
	// config error rather than the reverse. A missing ConfigMap or Secret
	// stays the cause: the object, not the rollout, is what to fix.
	if c, s := cause.Category, symptom.Category; (c == incident.CategoryConfigError && s == incident.CategoryBadDeploy) ||
		(c == incident.CategoryBadDeploy && s == incident.CategoryConfigError) {
		deploy, config := cause, symptom
		if c == incident.CategoryConfigError {
			deploy, config = symptom, cause
		}
		rolloutsFault := newRevisionAlone(b, deploy.Entity) && !citesMissingReference(b, config)
		if rolloutsFault != (c == incident.CategoryBadDeploy) {
			return false
		}
		return relatedEntities(b, cause.Entity, symptom.Entity)
	}
	// A full volume behind a dependency is why that dependency fails its
	// callers: the claim lives with the dependency the failure names.
	if cause.Category == incident.CategoryResourceExhaustion && symptom.Category == incident.CategoryDependencyFailure {
		return cause.Entity.Kind == incident.KindPVC && symptom.Entity.Kind != incident.KindExternal &&
			cause.Entity.Namespace == symptom.Entity.Namespace
	}
	if !slices.Contains(explains[cause.Category], symptom.Category) {
		return false
	}
	// A cause cannot begin well after what it is supposed to explain. Only
	// causes timed by metrics or object history are judged so: a log's first
	// line is only as early as the kept log reaches back.
	if timedCauses[cause.Category] && !cause.Onset.IsZero() && !symptom.Onset.IsZero() &&
		cause.Onset.Sub(symptom.Onset) > causeLag && cause.Onset.After(startsAt(b).Add(5*time.Minute)) {
		return false
	}
	// A failing dependency does not explain its own crash: that crash
	// explains the dependency's failure.
	if cause.Category == incident.CategoryDependencyFailure && sameNamed(cause.Entity, symptom.Entity) {
		return false
	}
	return reachesAcross[cause.Category] || cause.Entity.Kind == incident.KindNode ||
		relatedEntities(b, cause.Entity, symptom.Entity)
}

// citesMissingReference reports a finding whose evidence is an event about a
// ConfigMap, Secret or key that does not exist.
func citesMissingReference(b *incident.Bundle, f incident.Finding) bool {
	for _, e := range b.Events {
		if slices.Contains(f.Evidence, e.ID) && missingRefRe.MatchString(e.Message) {
			return true
		}
	}
	return false
}

func alertMentions(b *incident.Bundle, words []string) bool {
	text := strings.ToLower(b.Alert.Name() + " " + b.Alert.Annotations["summary"])
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

func rootFrom(items []scored, top int) incident.RootCause {
	f := items[top].f
	desc := f.Detail
	if desc == "" {
		desc = f.Title
	}
	var symptoms []string
	for _, i := range items[top].explainsOf {
		if items[i].explainedBy == top {
			symptoms = append(symptoms, items[i].f.Title)
		}
	}
	if len(symptoms) > 0 {
		desc += " This explains: " + strings.Join(symptoms, "; ") + "."
	}
	return incident.RootCause{
		Category:    f.Category,
		Entity:      f.Entity,
		Description: desc,
		Confidence:  min(maxConfidence, clamp01(items[top].score)),
	}
}

// unknownRoot says what evidence is missing or why what was found does not
// amount to a cause.
func unknownRoot(b *incident.Bundle, findings []incident.Finding) incident.RootCause {
	var missing []string
	if len(b.Pods) == 0 && len(b.Events) == 0 {
		missing = append(missing, "no Kubernetes evidence: no pods or events were found for the alert's labels")
	}
	if len(b.Logs) == 0 && len(b.Templates) == 0 {
		missing = append(missing, "no logs")
	}
	if len(b.Metrics) == 0 {
		missing = append(missing, "no metrics")
	}
	for _, d := range b.Degraded {
		missing = append(missing, fmt.Sprintf("%s unavailable (%s)", d.Source, truncate(d.Error, 120)))
	}
	var desc strings.Builder
	desc.WriteString("The evidence does not support a root cause.")
	if len(findings) > 0 {
		fmt.Fprintf(&desc, " %s found, none strong or recent enough to blame.",
			plural(len(findings), "weak signal was", "weak signals were"))
	} else if len(b.Pods) > 0 {
		desc.WriteString(" The examined pods look healthy: no failing containers, warning events or new errors around the alert's start, so the alert may be flapping or its threshold too tight.")
	}
	for _, s := range series(b, incident.MetricAlert) {
		if len(s.Points) > 0 {
			fmt.Fprintf(&desc, " The alert's own query went from %.3g to a peak of %.3g and is %.3g now (trend %s).",
				s.Summary.First, s.Summary.Max, s.Summary.Last, orUnknown(s.Summary.Trend))
			break
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(&desc, " Missing: %s.", strings.Join(missing, "; "))
	}
	return incident.RootCause{
		Category:    incident.CategoryUnknown,
		Entity:      targetEntity(b),
		Description: desc.String(),
		Confidence:  unknownCertainty,
	}
}

// sameNamed: a Service and the workload behind it usually share a name.
func sameNamed(x, y incident.Entity) bool {
	return x.Name != "" && x.Name == y.Name && x.Namespace == y.Namespace
}
