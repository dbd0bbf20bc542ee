package analyze

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// dnsFailure finds names that do not resolve and tells a wrong or missing
// name (NXDOMAIN) from a failing cluster DNS server (timeouts, SERVFAIL).
type dnsFailure struct{}

func (dnsFailure) Name() string { return "dns" }

var (
	dnsFailureRe = regexp.MustCompile(`(?i)no such host|server misbehaving|lookup [^\s:]+(?: on [^\s]+)?: .*(?:timeout|refused|no answer)|unknownhostexception|name or service not known|temporary failure in name resolution|getaddrinfo (?:enotfound|eai_again)|could not resolve host|nodename nor servname|nxdomain|servfail|name resolution failed|failed to resolve host|dns resolution failed|could not translate host name`)
	// dnsServerRe is the cluster DNS itself failing, rather than the name.
	dnsServerRe = regexp.MustCompile(`(?i)server misbehaving|:53: (?:i/o timeout|read: connection refused|connect: connection refused)|on [^\s]+:53: .*timeout|temporary failure in name resolution|eai_again|servfail|no answer from dns`)
	dnsNameRe   = regexp.MustCompile(`(?i)lookup ([a-z0-9_][a-z0-9_.-]*)|unknownhostexception: ([a-z0-9_][a-z0-9_.-]*)|(?:enotfound|eai_again) ([a-z0-9_][a-z0-9_.-]*)|could not resolve host:? ([a-z0-9_][a-z0-9_.-]*)|resolve host "?([a-z0-9_][a-z0-9_.-]*)|translate host name "?([a-z0-9_][a-z0-9_.-]*)|(?:failed|unable) to resolve ['"]([a-z0-9_][a-z0-9_.-]*)['"]|\bhost='([a-z0-9_][a-z0-9_.-]*)'.*(?:name resolution|resolve)`)
)

func (d dnsFailure) Analyze(b *incident.Bundle) []incident.Finding {
	return d.analyzeLogs(b, logRecords(b))
}

func (dnsFailure) analyzeLogs(b *incident.Bundle, recs []logRecord) []incident.Finding {
	var out []incident.Finding
	if f, ok := externalDNSSync(b, recs); ok {
		out = append(out, f)
	}
	hits := matchRecords(b, recs, dnsFailureRe)
	if len(hits) == 0 {
		return out
	}
	names := map[string]int{}
	serverSide := 0
	var top string
	for _, r := range hits {
		for _, l := range r.Lines {
			if !dnsFailureRe.MatchString(l) {
				continue
			}
			if dnsServerRe.MatchString(l) {
				serverSide += r.Count
			}
			if n := lookedUpName(l); n != "" {
				names[n] += r.Count
				if top == "" || names[n] > names[top] {
					top = n
				}
			}
			break
		}
	}
	total := totalCount(hits)
	line := firstMatch(hits, dnsFailureRe)
	namespace := hits[0].Namespace
	var entity incident.Entity
	var detail strings.Builder
	var serverIDs []string
	fmt.Fprintf(&detail, "Name resolution fails %s", plural(total, "time", "times"))
	if top != "" {
		fmt.Fprintf(&detail, " for %s", top)
		if len(names) > 1 {
			fmt.Fprintf(&detail, " (and %d other names)", len(names)-1)
		}
	}
	fmt.Fprintf(&detail, ": %q.", display(line))
	if dns, ok := unhealthyClusterDNS(b); ok {
		// Whatever the answers say, a cluster DNS without ready servers
		// explains every failed lookup: it is what to fix.
		entity = dns.Backend
		if entity.IsZero() {
			entity = incident.Entity{Namespace: dns.Namespace, Kind: incident.KindService, Name: dns.Name}
		}
		fmt.Fprintf(&detail, " The cluster DNS (Service %s/%s, %s) is unhealthy: %d ready and %d not-ready endpoints",
			dns.Namespace, dns.Name, entity.String(), dns.Ready, dns.NotReady)
		if len(dns.BackendProblems) > 0 {
			fmt.Fprintf(&detail, "; %s", strings.Join(firstN(dns.BackendProblems, 3), "; "))
		}
		detail.WriteString(".")
	} else if serverSide*2 > total {
		// The resolver times out or fails instead of answering: the cluster
		// DNS server is what every pod with the default DNS policy asks, so
		// when the bundle shows it, it is what to fix even with its pods
		// ready (overloaded, dropping packets, its upstream timing out).
		// Without it in view, the workload whose calls fail is what the
		// responder can act on.
		server, known := clusterDNSServer(b)
		if cache, ok := nodeLocalCache(b, hits); ok {
			server, known = cache, true
		}
		if cache, node, ok := cacheDownOnNode(b, hits); ok {
			server, known = cache.Entity, true
			fmt.Fprintf(&detail, " Only pods on node %s fail their lookups while the same workload's pods on other nodes resolve, and %s has %d of %d pods ready: "+
				"the node-local cache on that node (listening on its link-local address) is down, and that node's pods ask nothing else.",
				node, cache.Entity, cache.Ready, cache.Replicas)
		}
		switch {
		case known:
			entity = server
		case len(recordPods(hits)) > 0:
			entity = responsible(b, namespace, recordPods(hits))
		default:
			entity = targetEntity(b)
		}
		fmt.Fprintf(&detail, " The DNS server (%s) itself times out or fails rather than answering that the name does not exist: check CoreDNS (its load, its upstream resolvers, the network path to it) and the clients' ndots and search lists.", dnsServerName(b))
		if known {
			if own := serverErrors(b, recs, server); len(own) > 0 {
				fmt.Fprintf(&detail, " Its own logs show %s, e.g. %q.", plural(totalCount(own), "error", "errors"), display(firstMatch(own, dnsServerErrorRe)))
				serverIDs = recordIDs(own, 3)
			}
		}
	} else {
		entity = targetEntity(b)
		if top != "" {
			entity = nameEntity(b, namespace, top)
		}
		detail.WriteString(" The name does not exist (NXDOMAIN): a misspelt or missing host, Service or namespace in the configuration.")
	}
	confidence := 0.75
	if hitsNovel(hits) {
		confidence += 0.1
	}
	ids := append(recordIDs(hits, 5), serverIDs...)
	title := "DNS resolution failing"
	if top != "" {
		title = fmt.Sprintf("DNS lookup of %s failing", top)
	}
	return append(out, incident.Finding{
		Category:   incident.CategoryDNSFailure,
		Severity:   incident.SeverityCritical,
		Title:      title,
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      earliest(hits),
	})
}

var (
	// externalDNSSyncRe is ExternalDNS failing a sync with its DNS provider:
	// its controller's "Failed to do run once", the provider's records or
	// zones that cannot be listed, changes that cannot be submitted.
	externalDNSSyncRe = regexp.MustCompile(`(?i)failed to do run once|records retrieval failed|failed to list (?:hosted )?zones|failed to submit all changes|failed to submit changes`)
	// providerDeniedRe is the provider refusing ExternalDNS's credentials or
	// permissions: AWS (AccessDenied, an expired or invalid token), Azure
	// (AuthorizationFailed), Google (googleapi 403), Cloudflare.
	providerDeniedRe = regexp.MustCompile(`(?i)accessdenied|statuscode: 403|not authorized to perform|invalidclienttokenid|expiredtoken|authorizationfailed|googleapi: error 403|authentication error|forbidden`)
	// deniedActionRe is the refused IAM action: "is not authorized to
	// perform: route53:ListHostedZones".
	deniedActionRe = regexp.MustCompile(`(?i)not authorized to perform:? ([a-z0-9-]+:[a-z]+)`)
)

// externalDNSSync finds ExternalDNS failing to sync with its DNS provider.
// Records it created before keep resolving; names added since (a new
// Ingress, Service or Gateway host) are never published, so lookups of them
// fail with no such host. ExternalDNS's configuration (its provider
// credentials and permissions) is responsible.
func externalDNSSync(b *incident.Bundle, recs []logRecord) (incident.Finding, bool) {
	var hits []logRecord
	for _, r := range matchRecords(b, recs, externalDNSSyncRe) {
		if severeLevel(r.Level) || r.Level == "" {
			hits = append(hits, r)
		}
	}
	if len(hits) == 0 {
		return incident.Finding{}, false
	}
	line := firstMatch(hits, externalDNSSyncRe)
	pods := recordPods(hits)
	entity := responsible(b, hits[0].Namespace, pods)
	detail := fmt.Sprintf("ExternalDNS (%s) fails to sync records with its DNS provider %s: %q. "+
		"Records it created before keep resolving, but names added since are never published, so they do not resolve.",
		entity, plural(totalCount(hits), "time", "times"), excerpt(line, externalDNSSyncRe))
	confidence := 0.7
	if denied := firstMatch(hits, providerDeniedRe); denied != "" {
		confidence = 0.85
		refused := "its requests"
		if m := deniedActionRe.FindStringSubmatch(denied); m != nil {
			refused = m[1]
		}
		detail += fmt.Sprintf(" The provider denies %s (AccessDenied / 403): grant ExternalDNS's role or credentials the permissions it needs to list zones and records and change them.", refused)
	}
	return criticalLogFinding(b, incident.CategoryDNSFailure, entity, fmt.Sprintf("%s cannot publish DNS records", entity.Name), detail, hits, pods, confidence), true
}

func lookedUpName(line string) string {
	m := dnsNameRe.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	for _, g := range m[1:] {
		if g != "" {
			return strings.TrimSuffix(strings.ToLower(g), ".")
		}
	}
	return ""
}

// nameEntity blames what the unresolvable name was meant to reach: the
// Service it names in the cluster, or the outside host.
func nameEntity(b *incident.Bundle, namespace, name string) incident.Entity {
	return hostEntity(b, namespace, name)
}

// nodeLocalServerRe is the server a Go-style failed lookup was sent to when
// it is link-local: a node-local cache ("lookup x on 169.254.20.10:53").
var nodeLocalServerRe = regexp.MustCompile(`\bon (169\.254\.\d{1,3}\.\d{1,3}):53\b`)

// nodeLocalCache is the NodeLocal DNSCache DaemonSet when the failed lookups
// were sent to a link-local server (not the metadata service's) and the
// bundle holds it: pods pointed at the cache never reach kube-dns directly.
func nodeLocalCache(b *incident.Bundle, hits []logRecord) (incident.Entity, bool) {
	m := nodeLocalServerRe.FindStringSubmatch(firstMatch(hits, nodeLocalServerRe))
	if m == nil || m[1] == metadataServiceIP {
		return incident.Entity{}, false
	}
	if w, ok := incident.NodeLocalDNS(b.Workloads); ok {
		return w.Entity, true
	}
	return incident.Entity{}, false
}

// cacheDownOnNode is the NodeLocal DNSCache DaemonSet, and the node, when
// the failed lookups of the examined pods all come from one node, pods of the same
// workload on other nodes are not among them, and the DaemonSet has pods
// that are not ready: each node's pods ask only their node's cache.
func cacheDownOnNode(b *incident.Bundle, hits []logRecord) (incident.WorkloadState, string, bool) {
	w, ok := incident.NodeLocalDNS(b.Workloads)
	if !ok || w.Ready >= w.Replicas {
		return incident.WorkloadState{}, "", false
	}
	// The DNS servers' own logs (read for the failure) are not clients:
	// only the examined pods are.
	var failing []string
	node := ""
	var owner incident.Entity
	for _, r := range hits {
		p, found := findPod(b, r.Namespace, r.Pod)
		if !found {
			continue
		}
		if p.Node == "" || (node != "" && p.Node != node) {
			return incident.WorkloadState{}, "", false
		}
		node, owner = p.Node, ownerOf(p)
		failing = append(failing, p.Name)
	}
	if node == "" {
		return incident.WorkloadState{}, "", false
	}
	for _, p := range b.Pods {
		if p.Node != "" && p.Node != node && ownerOf(p) == owner && !contains(failing, p.Name) {
			return w, node, true
		}
	}
	return incident.WorkloadState{}, "", false
}

// dnsServerErrorRe is a DNS server logging a failed query: CoreDNS's errors
// plugin (its upstream timing out or refusing, SERVFAIL answers), or failing
// to listen at all (its address or health port taken).
var dnsServerErrorRe = regexp.MustCompile(`(?i)\[error\]|plugin/errors|i/o timeout|servfail|timed? ?out|refused|no route to host|bind: address already in use|listen (?:tcp|udp)[46]? \S+: bind`)

// serverErrors are the records of the DNS server's pods (named after its
// workload) that log failed queries.
func serverErrors(b *incident.Bundle, recs []logRecord, server incident.Entity) []logRecord {
	var out []logRecord
	for _, r := range recs {
		if r.Namespace != server.Namespace || !strings.HasPrefix(r.Pod, server.Name+"-") || stale(b, r) {
			continue
		}
		if firstMatch([]logRecord{r}, dnsServerErrorRe) != "" {
			out = append(out, r)
		}
	}
	return out
}

// clusterDNSServer is the workload serving the cluster DNS: the backend of
// the kube-dns Service, or the CoreDNS (kube-dns) Deployment in kube-system
// when the bundle holds it without the Service.
func clusterDNSServer(b *incident.Bundle) (incident.Entity, bool) {
	for _, s := range b.Services {
		if isClusterDNS(s) && !s.Backend.IsZero() {
			return s.Backend, true
		}
	}
	for _, w := range b.Workloads {
		n := strings.ToLower(w.Entity.Name)
		if w.Entity.Namespace == "kube-system" && w.Entity.IsWorkload() && (n == "coredns" || n == "kube-dns") {
			return w.Entity, true
		}
	}
	return incident.Entity{}, false
}

func isClusterDNS(s incident.ServiceState) bool {
	return s.Namespace == "kube-system" && (s.Name == "kube-dns" || s.Selector["k8s-app"] == "kube-dns")
}

// dnsServerName names the cluster's DNS server: the CoreDNS/kube-dns
// workload when the bundle shows one, the kube-dns Service otherwise.
func dnsServerName(b *incident.Bundle) string {
	for _, w := range b.Workloads {
		n := strings.ToLower(w.Entity.Name)
		if strings.Contains(n, "coredns") || strings.Contains(n, "kube-dns") {
			return w.Entity.String()
		}
	}
	return "CoreDNS, Service kube-system/kube-dns"
}

// unhealthyClusterDNS is the cluster DNS Service when the bundle shows it
// without ready endpoints or with failing pods behind it.
func unhealthyClusterDNS(b *incident.Bundle) (incident.ServiceState, bool) {
	for _, s := range b.Services {
		if isClusterDNS(s) && (s.Ready == 0 || len(s.BackendProblems) > 0) {
			return s, true
		}
	}
	return incident.ServiceState{}, false
}

func hitsNovel(recs []logRecord) bool {
	for _, r := range recs {
		if r.Novel {
			return true
		}
	}
	return false
}
