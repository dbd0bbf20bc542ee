package analyze

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// crashLoop finds containers that exit repeatedly for a reason other than
// the OOM killer, explains the exit code and quotes the last log lines.
type crashLoop struct{}

func (crashLoop) Name() string { return "crashloop" }

// startFailures are waiting reasons of a container the runtime cannot start
// (a missing executable, a bad mount); config-related ones are also the
// config analyzer's.
var startFailures = map[string]bool{"RunContainerError": true, "CreateContainerError": true, "StartError": true}

// exitNotStarted marks a container that never ran: no exit code to explain.
const exitNotStarted = -1

// exitMeaning explains the exit codes a responder meets most.
var exitMeaning = map[int32]string{
	0:   "the process exited successfully, but a long-running container is expected to keep running",
	1:   "a generic application error",
	2:   "misuse of a shell builtin or bad command-line arguments",
	126: "the command cannot be executed (permission or not an executable)",
	127: "the command was not found in the image",
	128: "an invalid exit argument",
	134: "SIGABRT: the process aborted itself",
	137: "SIGKILL: killed by the kubelet (failed liveness probe) or the kernel",
	139: "SIGSEGV: segmentation fault",
	143: "SIGTERM: asked to stop by the kubelet (probe failure or eviction) and exited",
}

func describeExit(code int32) string {
	if code == exitNotStarted {
		return "no exit code: the runtime could not start the process"
	}
	if m, ok := exitMeaning[code]; ok {
		return fmt.Sprintf("exit code %d (%s)", code, m)
	}
	if code > 128 && code < 160 {
		return fmt.Sprintf("exit code %d (killed by signal %d)", code, code-128)
	}
	return fmt.Sprintf("exit code %d", code)
}

type crashingContainer struct {
	pod  incident.PodState
	c    incident.ContainerState
	term incident.Termination
}

func (crashLoop) Analyze(b *incident.Bundle) []incident.Finding {
	// One finding per workload: a crash loop elsewhere in the namespace is a
	// separate problem (often a red herring) and is ranked as such.
	crashing := map[incident.Entity][]crashingContainer{}
	backoffs := map[incident.Entity][]incident.Event{}
	var owners []incident.Entity
	note := func(e incident.Entity) {
		if !slices.Contains(owners, e) {
			owners = append(owners, e)
		}
	}
	for _, p := range b.Pods {
		// A Job's pods that fail without restarting are the job analyzer's.
		jobPod := p.Owner.Kind == incident.KindJob || p.Owner.Kind == incident.KindCronJob
		for _, c := range p.Containers {
			if jobPod && c.RestartCount < 2 && c.Reason != "CrashLoopBackOff" {
				continue
			}
			if t, ok := crashTermination(c); ok {
				o := ownerOf(p)
				crashing[o] = append(crashing[o], crashingContainer{pod: p, c: c, term: t})
				note(o)
			}
		}
	}
	for _, e := range backOffEvents(b) {
		o := ownerOfObject(b, e.Object)
		backoffs[o] = append(backoffs[o], e)
		note(o)
	}
	sortEntities(owners)
	var out []incident.Finding
	for _, o := range owners {
		out = append(out, crashFinding(b, crashing[o], backoffs[o]))
	}
	return out
}

func crashFinding(b *incident.Bundle, crashing []crashingContainer, backoffs []incident.Event) incident.Finding {
	var ids []string
	var podNames []string
	namespace := b.Target.Namespace
	maxRestarts := int32(0)
	var onset time.Time
	for _, x := range crashing {
		ids = append(ids, x.pod.ID)
		if !contains(podNames, x.pod.Name) {
			podNames = append(podNames, x.pod.Name)
			namespace = x.pod.Namespace
		}
		maxRestarts = max(maxRestarts, x.c.RestartCount)
	}
	// The loop began with the kubelet's first back-off; a pod's start time
	// says nothing about when it started failing.
	for _, e := range backoffs {
		setOnset(&onset, e.FirstSeen)
		ids = append(ids, e.ID)
		if e.Object.Kind == incident.KindPod && len(crashing) == 0 && !contains(podNames, e.Object.Name) {
			podNames = append(podNames, e.Object.Name)
			namespace = e.Object.Namespace
		}
	}
	entity := responsible(b, namespace, podNames)

	var detail strings.Builder
	confidence := 0.55
	if len(crashing) > 0 {
		x := crashing[0]
		fmt.Fprintf(&detail, "Container %s of %s restarts repeatedly (up to %d restarts); the last run ended with %s",
			x.c.Name, plural(len(podNames), "pod", "pods"), maxRestarts, describeExit(x.term.ExitCode))
		if x.term.Reason != "" {
			fmt.Fprintf(&detail, ", reason %s", x.term.Reason)
		}
		if x.term.Message != "" {
			fmt.Fprintf(&detail, ": %s", truncate(x.term.Message, 200))
		}
		if !x.term.StartedAt.IsZero() && !x.term.FinishedAt.IsZero() {
			fmt.Fprintf(&detail, " after running %s", x.term.FinishedAt.Sub(x.term.StartedAt).Round(time.Second))
		}
		detail.WriteString(".")
		lines, tailIDs := tailLines(b, x.pod.Name, x.c.Name, 5)
		ids = append(ids, tailIDs...)
		if len(lines) > 0 {
			quoted := make([]string, len(lines))
			for i, l := range lines {
				quoted[i] = fmt.Sprintf("%q", display(l))
			}
			fmt.Fprintf(&detail, " Last log lines before exit: %s.", strings.Join(quoted, " | "))
			confidence += 0.1
		}
		if maxRestarts >= 3 || x.c.Reason == "CrashLoopBackOff" {
			confidence += 0.1
		}
	} else {
		fmt.Fprintf(&detail, "Kubelet reports %s: %s (%d times).", backoffs[0].Reason,
			truncate(backoffs[0].Message, 200), eventCount(backoffs[0]))
	}
	return incident.Finding{
		Category:   incident.CategoryCrashLoop,
		Severity:   incident.SeverityCritical,
		Title:      fmt.Sprintf("%s is crash-looping", entity.Name),
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      onset,
	}
}

// crashTermination returns how a repeatedly failing container last ended;
// OOM kills belong to the oomkilled analyzer.
func crashTermination(c incident.ContainerState) (incident.Termination, bool) {
	t := c.LastTermination
	if t == nil {
		t = c.Terminated
	}
	if t != nil && strings.EqualFold(t.Reason, "OOMKilled") {
		return incident.Termination{}, false
	}
	looping := c.Reason == "CrashLoopBackOff" || c.RestartCount >= 2
	switch {
	case t != nil && looping:
		return *t, true
	case t != nil && c.Terminated != nil && t.ExitCode != 0 && !c.Init:
		return *t, true
	case c.Reason == "CrashLoopBackOff":
		return incident.Termination{Reason: c.Reason, Message: c.Message}, true
	case startFailures[c.Reason]:
		return incident.Termination{Reason: c.Reason, Message: c.Message, ExitCode: exitNotStarted}, true
	}
	return incident.Termination{}, false
}

func backOffEvents(b *incident.Bundle) []incident.Event {
	var out []incident.Event
	for _, e := range eventsWithReason(b, "BackOff", "CrashLoopBackOff") {
		if strings.Contains(strings.ToLower(e.Message), "restarting failed container") {
			out = append(out, e)
		}
	}
	return out
}
