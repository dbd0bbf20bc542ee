package analyze

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// probeFailure reads Unhealthy and Killing events: which probe fails, on
// which path and port, with which error, and whether the kubelet restarts
// the container because of it.
type probeFailure struct{}

func (probeFailure) Name() string { return "probe" }

var (
	probeKindRe   = regexp.MustCompile(`(?i)\b(liveness|readiness|startup) probe (?:failed|errored)`)
	probeURLRe    = regexp.MustCompile(`(?i)(?:get|head|post) "?(https?)://([^/:"\s]+):(\d+)(/[^"\s]*)?`)
	probeStatusRe = regexp.MustCompile(`(?i)status ?code:? (\d{3})`)
	probeKillRe   = regexp.MustCompile(`(?i)failed (liveness|startup) probe`)
)

// probeProblem is one kind of probe failing on some pods.
type probeProblem struct {
	kind    string
	events  []incident.Event
	pods    []string
	message string
	count   int
}

func (probeFailure) Analyze(b *incident.Bundle) []incident.Finding {
	return byWorkload(b, probeOne)
}

// probeOne analyzes the pods of one workload.
func probeOne(b *incident.Bundle) []incident.Finding {
	problems := map[string]*probeProblem{}
	killed := map[string]int{}
	var killEvents []incident.Event
	namespace := b.Target.Namespace
	for _, e := range b.Events {
		if staleEvent(b, e) {
			continue
		}
		if m := probeKillRe.FindStringSubmatch(e.Message); m != nil {
			killed[strings.ToLower(m[1])] += eventCount(e)
			killEvents = append(killEvents, e)
			continue
		}
		if !strings.EqualFold(e.Reason, "Unhealthy") && !strings.EqualFold(e.Reason, "ProbeWarning") {
			continue
		}
		m := probeKindRe.FindStringSubmatch(e.Message)
		if m == nil {
			continue
		}
		kind := strings.ToLower(m[1])
		p := problems[kind]
		if p == nil {
			p = &probeProblem{kind: kind, message: e.Message}
			problems[kind] = p
		}
		p.events = append(p.events, e)
		p.count += eventCount(e)
		if e.Object.Kind == incident.KindPod && !contains(p.pods, e.Object.Name) {
			p.pods = append(p.pods, e.Object.Name)
			namespace = e.Object.Namespace
		}
	}
	if len(problems) == 0 {
		return probesFromStatus(b)
	}
	kinds := make([]string, 0, len(problems))
	for k := range problems {
		kinds = append(kinds, k)
	}
	// Liveness and startup failures restart containers: report them first.
	order := map[string]int{"liveness": 0, "startup": 1, "readiness": 2}
	sort.Slice(kinds, func(i, j int) bool { return order[kinds[i]] < order[kinds[j]] })

	var out []incident.Finding
	for _, kind := range kinds {
		p := problems[kind]
		entity := responsible(b, namespace, p.pods)
		ids := eventIDs(p.events)
		for _, name := range p.pods {
			ids = append(ids, podID(b, namespace, name))
		}
		var detail strings.Builder
		fmt.Fprintf(&detail, "The %s probe failed %s on %s: %s.", kind, plural(p.count, "time", "times"),
			plural(len(p.pods), "pod", "pods"), truncate(p.message, 300))
		spec := probeSpec(b, p.pods, kind)
		if spec != nil {
			fmt.Fprintf(&detail, " Probe: %s", spec.Handler)
			if spec.Path != "" || spec.Port != "" {
				fmt.Fprintf(&detail, " %s port %s", spec.Path, spec.Port)
			}
			fmt.Fprintf(&detail, ", initialDelaySeconds %d, timeoutSeconds %d, failureThreshold %d.",
				spec.InitialDelaySec, max(spec.TimeoutSec, 1), max(spec.FailureThreshold, 3))
		}
		reason, confidence := probeDiagnosis(p.message, spec)
		detail.WriteString(" " + reason)
		if kind == "readiness" && killed[kind] == 0 && !probeClientErrorRe.MatchString(p.message) && allStarting(b, namespace, p.pods) {
			// Readiness fails until a new pod has started: that is what
			// the probe is for, not a failure.
			detail.WriteString(" The pods are still starting (running, no restart, started within " + startupGrace.String() + "), so an unready state is expected for now.")
			confidence = min(confidence, 0.25)
		}
		severity := incident.SeverityWarning
		if n := killed[kind]; n > 0 {
			fmt.Fprintf(&detail, " The kubelet restarted the container %s because of it.", plural(n, "time", "times"))
			ids = append(ids, eventIDs(killEvents)...)
			severity = incident.SeverityCritical
			confidence += 0.1
		}
		out = append(out, incident.Finding{
			Category:   incident.CategoryProbeFailure,
			Severity:   severity,
			Title:      fmt.Sprintf("%s %s probe failing", entity.Name, kind),
			Detail:     detail.String(),
			Entity:     entity,
			Evidence:   ids,
			Confidence: confidence,
			Onset:      p.events[0].FirstSeen,
		})
	}
	return out
}

// probeClientErrorRe is a probe answered 4xx: a wrong path or a refused
// request is a misconfiguration however young the pod.
var probeClientErrorRe = regexp.MustCompile(`(?i)statuscode: 4\d\d`)

// allStarting reports that every named pod is still starting.
func allStarting(b *incident.Bundle, namespace string, pods []string) bool {
	if len(pods) == 0 {
		return false
	}
	for _, name := range pods {
		p, ok := findPod(b, namespace, name)
		if !ok || !stillStarting(b, p) {
			return false
		}
	}
	return true
}

// probeDiagnosis explains the probe error; the confidence is how much the
// probe itself (rather than something behind it) is the problem.
func probeDiagnosis(msg string, spec *incident.Probe) (string, float64) {
	lower := strings.ToLower(msg)
	port, path := "", ""
	if m := probeURLRe.FindStringSubmatch(msg); m != nil {
		port, path = m[3], m[4]
	}
	status := ""
	if m := probeStatusRe.FindStringSubmatch(msg); m != nil {
		status = m[1]
	}
	switch {
	case strings.Contains(lower, "connection refused"):
		return fmt.Sprintf("Nothing accepts connections on port %s: the probe targets the wrong port, or the app has not started listening yet (slow start).", orUnknown(port)), 0.7
	case status == "404":
		return fmt.Sprintf("The path %s returns 404: the probe targets a path the app does not serve.", orUnknown(path)), 0.75
	case strings.HasPrefix(status, "5"):
		return fmt.Sprintf("The health endpoint answers %s: the app reports itself unhealthy, often because something it depends on is failing.", status), 0.45
	case strings.Contains(lower, "deadline exceeded") || strings.Contains(lower, "timeout") || strings.Contains(lower, "timed out"):
		t := "the configured"
		if spec != nil && spec.TimeoutSec > 0 {
			t = fmt.Sprintf("its %ds", spec.TimeoutSec)
		}
		return fmt.Sprintf("The health endpoint does not answer within %s timeout: the app is hung, overloaded or too slow to start.", t), 0.65
	}
	return "", 0.5
}

func probeSpec(b *incident.Bundle, pods []string, kind string) *incident.Probe {
	for _, p := range b.Pods {
		if len(pods) > 0 && !contains(pods, p.Name) {
			continue
		}
		for _, c := range p.Containers {
			for _, pr := range c.Probes {
				if strings.EqualFold(pr.Kind, kind) {
					return &pr
				}
			}
		}
	}
	return nil
}

// staleEvent is an event last seen long before the alert: history, not cause.
func staleEvent(b *incident.Bundle, e incident.Event) bool {
	return !e.LastSeen.IsZero() && e.LastSeen.Before(startsAt(b).Add(-staleAfter))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// probesFromStatus infers probe failures from container status when no
// probe events were collected (events expire after an hour): a container
// with a liveness probe that keeps being killed (exit 137/143, not by the
// OOM killer), or a running container with a readiness probe that is not
// ready.
func probesFromStatus(b *incident.Bundle) []incident.Finding {
	var killed, unready []string
	var ids []string
	namespace := b.Target.Namespace
	var spec incident.Probe
	for _, p := range b.Pods {
		for _, c := range p.Containers {
			t := c.LastTermination
			if live, ok := probeOf(c, "liveness"); ok && t != nil && (t.ExitCode == 137 || t.ExitCode == 143) &&
				!strings.EqualFold(t.Reason, "OOMKilled") && c.RestartCount >= 2 {
				killed, spec, namespace = append(killed, p.Name), live, p.Namespace
				ids = append(ids, p.ID)
				continue
			}
			if ready, ok := probeOf(c, "readiness"); ok && c.State == "running" && !c.Ready {
				unready = append(unready, p.Name)
				if len(killed) == 0 {
					spec, namespace = ready, p.Namespace
				}
				ids = append(ids, p.ID)
			}
		}
	}
	var kind, detail string
	var pods []string
	confidence := 0.5
	switch {
	case len(killed) > 0:
		kind, pods = "liveness", killed
		detail = fmt.Sprintf("Containers of %s keep being killed (exit 137/143, not by the OOM killer) while a liveness probe watches them: the kubelet restarts them because the probe fails.", plural(len(killed), "pod", "pods"))
		confidence = 0.55
	case len(unready) > 0:
		kind, pods = "readiness", unready
		detail = fmt.Sprintf("Containers of %s run but are not ready: their readiness probe fails.", plural(len(unready), "pod", "pods"))
		confidence = 0.4
	default:
		return nil
	}
	detail += fmt.Sprintf(" Probe: %s %s port %s, initialDelaySeconds %d, timeoutSeconds %d, failureThreshold %d. No probe events were collected, so the probe's error is unknown.",
		spec.Handler, spec.Path, orUnknown(spec.Port), spec.InitialDelaySec, max(spec.TimeoutSec, 1), max(spec.FailureThreshold, 3))
	entity := responsible(b, namespace, pods)
	return []incident.Finding{{
		Category:   incident.CategoryProbeFailure,
		Severity:   incident.SeverityWarning,
		Title:      fmt.Sprintf("%s %s probe failing", entity.Name, kind),
		Detail:     detail,
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
	}}
}

func probeOf(c incident.ContainerState, kind string) (incident.Probe, bool) {
	for _, p := range c.Probes {
		if strings.EqualFold(p.Kind, kind) {
			return p, true
		}
	}
	return incident.Probe{}, false
}

var (
	// probeMisconfiguredRe is a readiness probe refused for what the probe
	// itself sends or runs, while the server answers: a command without the
	// password the server now requires (Redis NOAUTH / WRONGPASS, MySQL,
	// PostgreSQL), an HTTP probe refused 401/403, a probe command missing
	// from the image.
	probeMisconfiguredRe = regexp.MustCompile(`(?i)noauth|wrongpass|authentication required|access denied for user|password authentication failed|statuscode: 40[13]\b|executable file not found|command not found`)
	// unreadyProblemRe is a backend pod, as the gatherer words its problems,
	// that runs but is not ready, with its readiness probe's message if read.
	unreadyProblemRe = regexp.MustCompile(`^[^:]+: not ready(?: \((.*)\))?$`)
)

// backendProbeMisconfigured reports a Service without ready endpoints whose
// backend's pods all run but are not ready because their readiness probe is
// refused for its own request (see probeMisconfiguredRe), with the probe's
// message: the server answers, so the probe, not the backend, is wrong.
func backendProbeMisconfigured(svc incident.ServiceState) (string, bool) {
	if svc.Ready > 0 || svc.Backend.IsZero() || len(svc.BackendProblems) == 0 {
		return "", false
	}
	why := ""
	for _, p := range svc.BackendProblems {
		m := unreadyProblemRe.FindStringSubmatch(p)
		if m == nil {
			return "", false
		}
		if why == "" && probeMisconfiguredRe.MatchString(m[1]) {
			why = m[1]
		}
	}
	return why, why != ""
}
