package analyze

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// traceBlame is where the trace evidence says the target's failing or slow
// requests originate: a downstream service, or a peer no service answered.
type traceBlame struct {
	entity incident.Entity
	group  incident.TraceGroup
	// ids are the origin group and the error or latency groups of the same
	// service, for citation.
	ids []string
	// ownAddress is true when the peer is the caller's own host.
	ownAddress bool
}

// latencyAlertRe recognises latency-driven alerts by name or query.
var latencyAlertRe = regexp.MustCompile(`(?i)latenc|slow|duration|p9[59]|quantile`)

// traceOrigin picks the origin the most traces agree on. Latency alerts
// look at latency origins first; others at error origins first. An origin
// in the target's own service blames nothing downstream.
func traceOrigin(b *incident.Bundle) (traceBlame, bool) {
	kinds := []string{incident.TraceErrorOrigin, incident.TraceLatencyOrigin}
	if latencyAlertRe.MatchString(b.Alert.Name()) || latencyAlertRe.MatchString(b.Alert.Query) {
		kinds[0], kinds[1] = kinds[1], kinds[0]
	}
	own := targetEntity(b)
	for _, kind := range kinds {
		var best *incident.TraceGroup
		for i := range b.Traces {
			g := &b.Traces[i]
			if g.Kind != kind || g.ID == "" || (g.Peer == "" && ownTraceService(b, own, g.Service)) {
				continue
			}
			if best == nil || g.Traces > best.Traces {
				best = g
			}
		}
		if best == nil {
			continue
		}
		e, own := traceEntity(b, *best)
		return traceBlame{entity: e, group: *best, ids: traceIDs(b, *best), ownAddress: own}, true
	}
	return traceBlame{}, false
}

// ownTraceService reports whether a service.name is the alert's target.
func ownTraceService(b *incident.Bundle, own incident.Entity, service string) bool {
	return strings.EqualFold(service, own.Name) || strings.EqualFold(service, b.Target.Service) || ownHost(b, service)
}

// traceEntity maps an origin to the object serving it. A peer on the
// caller's own host (loopback, its pod's address) that no service answered
// is the caller's, unless another Service exposes that port: its configured
// address points where nothing of the cluster listens, as the logs
// analyzers read such addresses too; own says so.
func traceEntity(b *incident.Bundle, g incident.TraceGroup) (e incident.Entity, own bool) {
	if g.Peer != "" {
		host, port, err := net.SplitHostPort(g.Peer)
		if err != nil {
			host, port = g.Peer, ""
		}
		if ownHost(b, host) {
			if svc, ok := servicePort(b, port); ok {
				return svc, false
			}
			return targetEntity(b), true
		}
		return peerEntity(b, "", peer{host: host, port: port}), false
	}
	return hostEntity(b, "", g.Service), false
}

// traceIDs cites the origin first, then up to two groups of the same
// service that show its errors or slowness.
func traceIDs(b *incident.Bundle, origin incident.TraceGroup) []string {
	ids := []string{origin.ID}
	for _, g := range b.Traces {
		if len(ids) == 3 {
			break
		}
		if g.ID != origin.ID && g.Service == origin.Service && (g.Kind == incident.TraceErrors || g.Kind == incident.TraceLatency) {
			ids = append(ids, g.ID)
		}
	}
	return ids
}

// describe says what the traces show, for a finding's detail.
func (t traceBlame) describe() string {
	g := t.group
	switch {
	case g.Kind == incident.TraceLatencyOrigin:
		return fmt.Sprintf("Traces show the wait in %s: its span %q spends the most time in %s (p95 %s), called by %s.",
			t.entity.Name, g.Operation, plural(g.Traces, "slow trace", "slow traces"), g.P95.Round(time.Millisecond), g.Caller)
	case t.ownAddress:
		return fmt.Sprintf("Traces show %s's calls to %s, an address of its own host, failing with no traced service answering, in %s: %q; the address it is configured with is wrong.",
			g.Caller, g.Peer, plural(g.Traces, "trace", "traces"), g.Status)
	case g.Peer != "":
		return fmt.Sprintf("Traces show %s's calls to %s failing with no traced service answering, in %s: %q.",
			g.Caller, g.Peer, plural(g.Traces, "trace", "traces"), g.Status)
	}
	return fmt.Sprintf("Traces show the errors originate in %s: the deepest failing span is %q, in %s, called by %s: %q.",
		t.entity.Name, g.Operation, plural(g.Traces, "trace", "traces"), g.Caller, g.Status)
}

// withTraceOrigin moves a dependency finding to the origin the traces
// name, instead of the caller or the peer the logs guessed, and cites them.
func withTraceOrigin(b *incident.Bundle, f incident.Finding) incident.Finding {
	t, ok := traceOrigin(b)
	if !ok {
		return f
	}
	if f.Entity != t.entity {
		f.Entity = t.entity
		f.Title = fmt.Sprintf("dependency %s is failing", t.entity.Name)
	}
	f.Detail += " " + t.describe()
	f.Evidence = append(f.Evidence, t.ids...)
	f.Confidence += 0.1
	return f
}

// traceOnlyFinding is the dependency finding of traces alone, when the
// logs name no failing call.
func traceOnlyFinding(b *incident.Bundle) []incident.Finding {
	t, ok := traceOrigin(b)
	if !ok {
		return nil
	}
	severity := incident.SeverityWarning
	if t.group.Traces >= 10 {
		severity = incident.SeverityCritical
	}
	return []incident.Finding{{
		Category:   incident.CategoryDependencyFailure,
		Severity:   severity,
		Title:      fmt.Sprintf("dependency %s is failing", t.entity.Name),
		Detail:     t.describe(),
		Entity:     t.entity,
		Evidence:   t.ids,
		Confidence: 0.55,
		Onset:      t.group.FirstSeen,
	}}
}
