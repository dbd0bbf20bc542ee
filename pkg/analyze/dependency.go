package analyze

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// dependency finds calls to another service or database that fail
// (refused, timed out, reset, 5xx) and names the peer the logs blame most.
type dependency struct{}

func (dependency) Name() string { return "dependency" }

var depFailureRe = regexp.MustCompile(`(?i)` + strings.Join([]string{
	`connection refused|econnrefused|connectexception|connect: connection`,
	`i/o timeout|timed out|deadline exceeded|etimedout|sockettimeoutexception|connecttimeout|read timeout`,
	`connection reset|econnreset|broken pipe|unexpected eof|server closed the connection`,
	`no route to host|network is unreachable|ehostunreach`,
	`upstream connect error|no healthy upstream|circuit ?breaker (?:is )?open|code = unavailable`,
	`communications link failure|could not connect to server|operationalerror|unable to connect`,
	`(?:returned|responded(?: with)?|answered|got|received)(?: status| http| code)?[ :=]+5\d\d\b`,
	`service unavailable|bad gateway|gateway timeout`,
	// HTTP clients' own words for a 5xx answer to an outgoing call (Guzzle,
	// Python requests, Spring WebClient and RestTemplate, axios, .NET's
	// HttpClient, Faraday, Go clients); an app's access log of its own 5xx
	// answers does not read like these.
	"server error: `?(?:get|post|put|patch|delete|head) https?://|resulted in a `?5\\d\\d\\b|serverexception\\(code: 5\\d\\d\\)",
	`5\d\d server error: [a-z ]{0,40} for url|5\d\d [a-z ]{0,40} from (?:get|post|put|patch|delete|head) https?://|httpservererrorexception`,
	`request failed with status code 5\d\d|does not indicate success: 5\d\d|responded with status 5\d\d|unexpected status(?: code)?:? 5\d\d`,
	// A proxy in front of the dependency: Envoy's access log response flags
	// (UH no healthy upstream, UF connection failure, UT timeout, UC
	// connection terminated, URX retries exhausted, UO overflow) and nginx's
	// error log.
	`\b5\d\d (?:UH|UF|UT|UC|URX|UO|UPE|UMSDR)\b`,
	`no live upstreams|upstream prematurely closed|upstream sent invalid`,
	// Ruby's Net::HTTP: a connect or read that did not finish in time.
	`net::(?:open|read|write)timeout|failed to open tcp connection to`,
	// A database or cache that answers but refuses writes: after a failover
	// the client still talks to the old primary, now a replica (PostgreSQL's
	// SQLSTATE 25006, MySQL's --read-only, Redis's READONLY, MongoDB's
	// NotWritablePrimary).
	`in a read-only transaction|read_only_sql_transaction|running with the --(?:super-)?read-only option|can't write against a read only (?:replica|slave)|notwritableprimary|not writable primary`,
	// Vault answering 503 while sealed, in its API client's words.
	`vault is sealed|code: 5\d\d\. errors:`,
	// A cloud API throttling its callers (AWS SDKs' error codes).
	`provisionedthroughputexceeded|throttlingexception|throttling: rate exceeded|requestlimitexceeded|requestthrottled|slowdown: please reduce your request rate`,
}, "|"))

// telemetryRe matches an app failing to ship its own traces, metrics or
// logs: noisy when the collector is away, and never why requests fail.
var telemetryRe = regexp.MustCompile(`(?i)\b(?:traces?|spans?|metrics?|telemetry|otlp|otel|opentelemetry|jaeger|zipkin|statsd|dogstatsd|datadog|log shipping)\b.{0,40}\b(?:export(?:er|ing)?|send(?:ing)?|push(?:ing)?|flush(?:ing)?|upload(?:ing)?)\b|\b(?:export(?:ing)?|send(?:ing)?|flush(?:ing)?) (?:traces?|spans?|metrics?|telemetry)\b|:(?:4317|4318|14250|9411)\b`)

var serverErrorRe = regexp.MustCompile(`\b5\d\d\b`)

func (d dependency) Analyze(b *incident.Bundle) []incident.Finding {
	return d.analyzeLogs(b, logRecords(b))
}

func (dependency) analyzeLogs(b *incident.Bundle, recs []logRecord) []incident.Finding {
	out := callFailures(b, recs)
	if f, ok := webhookUnreachable(b); ok {
		out = append(out, f)
	}
	return out
}

// webhookDownRe is the API server failing to reach an admission webhook's
// server at all (TLS failures are the tls analyzer's): no endpoints behind
// its Service, a timeout (a NetworkPolicy, a slow or overloaded server), a
// refused or reset connection, a 5xx.
var webhookDownRe = regexp.MustCompile(`(?i)no endpoints available for service|context deadline exceeded|i/o timeout|timed out|timeout exceeded|connection refused|connection reset|no route to host|service unavailable|server error|\bEOF\b`)

// webhookUnreachable finds pod (or other object) creations refused because
// the API server cannot call an admission webhook: whichever workload was
// alerted, the webhook's Service is what to fix, since every create through
// it fails (with failurePolicy Fail) until its server answers again.
func webhookUnreachable(b *incident.Bundle) (incident.Finding, bool) {
	hits, host, hook := webhookCalls(b, func(msg string) bool {
		return !tlsFailureRe.MatchString(msg) && webhookDownRe.MatchString(msg)
	})
	if len(hits) == 0 {
		return incident.Finding{}, false
	}
	entity := hostEntity(b, hits[0].Object.Namespace, host)
	count := 0
	for _, e := range hits {
		count += eventCount(e)
	}
	var detail strings.Builder
	fmt.Fprintf(&detail, "The API server cannot call the admission webhook %q at %s, so %s cannot create its pods (%s). Event: %q.",
		hook, host, hits[0].Object, plural(count, "failure", "failures"), truncate(hits[0].Message, 300))
	confidence := 0.8
	if svc, ok := serviceState(b, entity); ok {
		fmt.Fprintf(&detail, " Service %s/%s has %d ready and %d not-ready endpoints", svc.Namespace, svc.Name, svc.Ready, svc.NotReady)
		if !svc.Backend.IsZero() {
			fmt.Fprintf(&detail, " (backend %s)", svc.Backend)
		}
		detail.WriteString(".")
		if svc.Ready == 0 {
			confidence += 0.1
		}
	}
	switch l := strings.ToLower(hits[0].Message); {
	case strings.Contains(l, "no endpoints"):
		detail.WriteString(" The webhook's server has no ready pods: scale it back up or fix its pods; until then every create through the webhook fails.")
	case strings.Contains(l, "deadline") || strings.Contains(l, "timeout") || strings.Contains(l, "timed out"):
		detail.WriteString(" The call times out: check that the API server can reach the webhook's pods (a NetworkPolicy, a firewall rule for the control plane, the webhook's port) and that they answer in time.")
	}
	return incident.Finding{
		Category:   incident.CategoryDependencyFailure,
		Severity:   incident.SeverityCritical,
		Title:      fmt.Sprintf("admission webhook %s is unreachable", host),
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   eventIDs(hits),
		Confidence: confidence,
		Onset:      hits[0].FirstSeen,
	}, true
}

// callFailures reads the logs' failed calls to other services.
func callFailures(b *incident.Bundle, recs []logRecord) []incident.Finding {
	// A DNS server's own timeouts towards its upstream (CoreDNS's
	// "read udp ...->...:53: i/o timeout") are the DNS failure's detail.
	skip := func(line string) bool {
		return dnsFailureRe.MatchString(line) || dnsServerRe.MatchString(line) || tlsFailureRe.MatchString(line) ||
			exhaustionRe.MatchString(line) || telemetryRe.MatchString(line)
	}
	tallies := tallyPeers(b, recs, depFailureRe, skip)
	if len(tallies) == 0 {
		return traceOnlyFinding(b)
	}
	best, total := bestNamed(tallies)
	anonymous := best == nil
	if anonymous {
		best = tallies[0]
		best.entity = targetEntity(b)
		// Drivers often name no host (a read-only replica's refusal, a
		// throttled API): the one outside host the pods are configured to
		// reach is the peer, or the regional endpoint of the AWS API the
		// SDK names.
		if h, ok := configuredPeer(b, best.recs); ok {
			best.entity, best.host, best.port = hostEntity(b, h.Namespace, h.Host), h.Host, h.Port
			anonymous = false
		} else if api, ok := awsServicePeer(b, best.recs); ok {
			best.entity, best.host = api, api.Name
			anonymous = false
		} else if svc, ok := namedDownDependency(b, best.recs); ok {
			// A multi-line client error names its peer on another line.
			best.entity, best.host = svc, svc.Name
			anonymous = false
		}
	}
	confidence := 0.6
	if best.novel {
		confidence += 0.1
	}
	if best.count*2 < total {
		confidence -= 0.1
	}
	var detail strings.Builder
	peer := best.host
	if best.port != "" {
		peer += ":" + best.port
	}
	if anonymous {
		fmt.Fprintf(&detail, "Calls to a dependency fail %s (the logs do not name it): %q.",
			plural(total, "time", "times"), display(best.line))
		confidence = 0.4
	} else {
		caller := "Calls"
		if name := targetEntity(b).Name; name != "" {
			caller = "Calls from " + name
		}
		fmt.Fprintf(&detail, "%s to %s fail: %s in the logs, e.g. %q.",
			caller, peer, plural(best.count, "error", "errors"), display(best.line))
		if kind := failureKind(best.line); kind != "" {
			fmt.Fprintf(&detail, " The failure is %s.", kind)
		}
		if best.host == metadataServiceIP {
			detail.WriteString(" That is the instance metadata service, where cloud SDKs fetch credentials")
			if best.entity.Kind == incident.KindDaemonSet {
				fmt.Fprintf(&detail, "; %s intercepts those calls on every node and answers them, so check its pods on the callers' nodes and its own calls to the cloud", best.entity)
			}
			detail.WriteString(".")
		}
		if total > best.count {
			fmt.Fprintf(&detail, " %d other dependency errors name other peers or none.", total-best.count)
		}
	}
	ids := recordIDs(best.recs, 5)
	category, entity := incident.CategoryDependencyFailure, best.entity
	title := fmt.Sprintf("dependency %s is failing", best.entity.Name)
	if svc, ok := serviceState(b, best.entity); ok {
		fmt.Fprintf(&detail, " Service %s has %d ready and %d not-ready endpoints.", svc.Name, svc.Ready, svc.NotReady)
		if svc.Ready == 0 {
			confidence += 0.15
		}
		if svc.Ready+svc.NotReady == 0 && svc.Backend.IsZero() && len(svc.Selector) > 0 {
			fmt.Fprintf(&detail, " No pod matches its selector (%s): the workload behind it is scaled to zero or gone, or its pods' labels do not match the selector.", selectorString(svc.Selector))
		}
		if pull, ok := backendCannotPull(svc); ok {
			// The dependency is down because its pods never start: the
			// image they cannot pull is the cause, its workload what to fix.
			category, entity = incident.CategoryImagePull, svc.Backend
			title = fmt.Sprintf("%s cannot pull its image, so dependency %s has no ready endpoints", svc.Backend.Name, svc.Name)
			fmt.Fprintf(&detail, " Its pods cannot start: %s. Fix the image reference (tag, registry, pull secret) of %s.", pull, svc.Backend)
		}
		if why, ok := backendProbeMisconfigured(svc); ok {
			// The backend runs and answers, but its readiness probe is
			// refused for its own request: the probe keeps it out of the
			// Service.
			category, entity = incident.CategoryProbeFailure, svc.Backend
			title = fmt.Sprintf("%s readiness probe is refused, so dependency %s has no ready endpoints", svc.Backend.Name, svc.Name)
			fmt.Fprintf(&detail, " Its pods run but fail their readiness probe: %q. The server answers the probe and refuses it, so the probe is wrong (it lacks the password or credentials the server now requires, or its command): fix the readiness probe of %s.", why, svc.Backend)
		}
	}
	if svc, ok := serviceState(b, entity); ok && !svc.Backend.IsZero() && firstMatch(best.recs, vaultSealedRe) != "" {
		// The Service routes fine; the servers behind it refuse to serve
		// until they are unsealed.
		entity = svc.Backend
		title = fmt.Sprintf("dependency %s is sealed", svc.Backend.Name)
		fmt.Fprintf(&detail, " Its servers answer %q: %s stays unavailable until it is unsealed (vault operator unseal on each pod, or a working auto-unseal).", display(firstMatch(best.recs, vaultSealedRe)), svc.Backend)
	}
	if s, ok := risingSeries(b, incident.MetricErrorRatio); ok {
		fmt.Fprintf(&detail, " The error ratio rose from %.1f%% to %.1f%%.", 100*s.Summary.First, 100*s.Summary.Max)
		ids = append(ids, s.ID)
		confidence += 0.05
	}
	severity := incident.SeverityWarning
	if total >= 10 {
		severity = incident.SeverityCritical
	}
	if anonymous {
		title = fmt.Sprintf("%s: calls to a dependency fail", best.entity.Name)
	}
	return []incident.Finding{withTraceOrigin(b, incident.Finding{
		Category:   category,
		Severity:   severity,
		Title:      title,
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      earliest(best.recs),
	})}
}

// vaultSealedRe is Vault's answer while sealed.
var vaultSealedRe = regexp.MustCompile(`(?i)vault is sealed`)

// namedDownDependency is the one dependency Service without a ready
// endpoint that the failing pods' other lines name: a client's multi-line
// error ("URL: PUT https://vault.vault.svc:8200/...", then "Code: 503")
// names the peer on another line than the failure.
func namedDownDependency(b *incident.Bundle, recs []logRecord) (incident.Entity, bool) {
	pods := recordPods(recs)
	var found []incident.Entity
	for _, r := range logRecords(b) {
		if !contains(pods, r.Pod) {
			continue
		}
		for _, l := range r.Lines {
			p, ok := peerOf(b, l)
			if !ok {
				continue
			}
			e := peerEntity(b, r.Namespace, p)
			if svc, ok := serviceState(b, e); ok && svc.Dependency && svc.Ready == 0 && !contains(entityNames(found), e.String()) {
				found = append(found, e)
			}
		}
	}
	if len(found) != 1 {
		return incident.Entity{}, false
	}
	return found[0], true
}

func entityNames(es []incident.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.String()
	}
	return out
}

// envoyNoUpstreamRe is Envoy's access-log flag for a request with no
// healthy upstream host to send it to.
var envoyNoUpstreamRe = regexp.MustCompile(`\b5\d\d UH\b`)

// selectorString renders a selector the way kubectl takes it, keys sorted.
func selectorString(sel map[string]string) string {
	parts := make([]string, 0, len(sel))
	for k, v := range sel {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// pullProblemRe is a backend pod waiting on its image, as the gatherer
// words its problems ("inventory-7c9-x: inventory ImagePullBackOff").
var pullProblemRe = regexp.MustCompile(`\b(?:ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull)\b`)

// backendCannotPull reports a Service without ready endpoints whose backend's
// pods all wait on an image they cannot pull, with those pods' problems.
func backendCannotPull(svc incident.ServiceState) (string, bool) {
	if svc.Ready > 0 || svc.Backend.IsZero() || len(svc.BackendProblems) == 0 {
		return "", false
	}
	for _, p := range svc.BackendProblems {
		if !pullProblemRe.MatchString(p) {
			return "", false
		}
	}
	return strings.Join(firstN(svc.BackendProblems, 3), "; "), true
}

// readOnlyPeerRe and throttledRe tell two ways a peer that answers fails
// its callers (failureKind).
var (
	readOnlyPeerRe = regexp.MustCompile(`read-only transaction|read_only_sql_transaction|--(?:super-)?read-only option|write against a read only|notwritableprimary|not writable primary`)
	throttledRe    = regexp.MustCompile(`provisionedthroughputexceeded|throttl|requestlimitexceeded|slowdown: please reduce`)
)

// failureKind names the way a call failed.
func failureKind(line string) string {
	l := strings.ToLower(line)
	switch {
	case envoyNoUpstreamRe.MatchString(line) || strings.Contains(l, "no healthy upstream") || strings.Contains(l, "no live upstreams"):
		return "the proxy has no healthy upstream: every endpoint of the dependency is down, not ready or failing health checks"
	case readOnlyPeerRe.MatchString(l):
		return "writes refused by a read-only replica: the client still talks to the former primary (a failover moved the writer), so reconnect it to the writer endpoint"
	case vaultSealedRe.MatchString(l):
		return "Vault is sealed: it answers 503 until it is unsealed (after a restart with manual or unreachable auto-unseal)"
	case throttledRe.MatchString(l):
		return "throttling: the service refuses calls beyond its provisioned or rate limit"
	case strings.Contains(l, "refused"):
		return "connection refused: nothing listens there (the dependency is down or has no ready endpoints)"
	case strings.Contains(l, "timeout") || strings.Contains(l, "timed out") || strings.Contains(l, "deadline"):
		return "a timeout: the dependency is unreachable or too slow"
	case strings.Contains(l, "reset") || strings.Contains(l, "eof") || strings.Contains(l, "broken pipe"):
		return "the connection dropped mid-request"
	case serverErrorRe.MatchString(l) || strings.Contains(l, "unavailable") || strings.Contains(l, "bad gateway"):
		return "a server error (5xx) answered by the dependency"
	}
	return ""
}

func serviceState(b *incident.Bundle, e incident.Entity) (incident.ServiceState, bool) {
	if e.Kind != incident.KindService {
		return incident.ServiceState{}, false
	}
	for _, s := range b.Services {
		if s.Name == e.Name && (e.Namespace == "" || s.Namespace == e.Namespace) {
			return s, true
		}
	}
	return incident.ServiceState{}, false
}

// risingSeries is the first series of that name that at least doubled.
func risingSeries(b *incident.Bundle, name string) (incident.Series, bool) {
	for _, s := range series(b, name) {
		if rose(s, 2) {
			return s, true
		}
	}
	return incident.Series{}, false
}
