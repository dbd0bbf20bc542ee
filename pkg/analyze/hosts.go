package analyze

import (
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// hostPatterns find the peer a log line talks about, most explicit first:
// a URL, a DNS lookup, a dial, then the wordings of common clients
// (Go, Java, Python, Node, database drivers).
var hostPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://(?:[^@/\s"'<>]*@)?(\[[0-9a-f:]+\]|[a-z0-9_][a-z0-9_.-]*)(?::(\d+))?`),
	regexp.MustCompile(`(?i)\blookup ([a-z0-9_][a-z0-9_.-]*)(?: on [^\s:]+(?::\d+)?)?:`),
	regexp.MustCompile(`(?i)\bdial (?:tcp|udp)[46]? ([a-z0-9_][a-z0-9_.-]*|\[[0-9a-f:]+\]):(\d+)`),
	regexp.MustCompile(`(?i)(?:server|database|db) at "([^"\s]+)"(?: \([^)]*\))?(?:, port (\d+))?`),
	regexp.MustCompile(`(?i)\bon host "?([a-z0-9_][a-z0-9_.-]*)"?(?: \([^)]*\))?(?: and accepting tcp/ip connections on port (\d+))?`),
	regexp.MustCompile(`(?i)(?:unknownhostexception|enotfound|eai_again|could not resolve host|failed to resolve|unable to resolve(?: host)?)[:\s]+"?([a-z0-9_][a-z0-9_.-]*)`),
	regexp.MustCompile(`(?i)connection refused: ([a-z0-9_][a-z0-9_.-]*)/[0-9a-f.:]+:(\d+)`),
	regexp.MustCompile(`(?i)connect(?:ion)? to ([a-z0-9_][a-z0-9_.-]*):(\d+)`),
	regexp.MustCompile(`(?i)\b(?:econnrefused|etimedout|econnreset|ehostunreach) ([0-9a-f.:]+?|[a-z0-9_][a-z0-9_.-]*):(\d+)\b`),
	// An in-cluster DNS name ("svc.ns.svc[.cluster.local][:port]") names its
	// peer whatever the client's wording around it (Elixir's
	// "tcp connect (host:port)", a bare "host:port" in a message).
	regexp.MustCompile(`(?i)\b([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\.svc(?:\.[a-z0-9-]+)*)(?::(\d+))?\b`),
	// A quoted "host:port" field: proxies' access logs (Envoy's authority
	// and upstream host, HAProxy's server) name the peer that way.
	regexp.MustCompile(`(?i)"([a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*):(\d{2,5})"`),
	// Key-value fields in logfmt or JSON ("addr=db:5432", "target":"x:443").
	// Not "remote": servers log their clients' addresses under it.
	regexp.MustCompile(`(?i)\b(?:upstream|backend|service|dependency|host|hostname|server|peer|endpoint|addr|address|target|broker|db_host|redis_addr)"?\s*[ =:]\s*["']?([a-z0-9_][a-z0-9_.-]*)["']?(?::(\d+))?\b`),
	regexp.MustCompile(`(?i)\b(?:calling|call to|request to|connect(?:ing)? to|reach|from|to|at) "?([a-z0-9_][a-z0-9_-]*(?:\.[a-z0-9_-]+)+|[a-z0-9_]+-[a-z0-9_-]+)(?::(\d+))?"?`),
}

// looseHostPatterns is how many of the last hostPatterns match on wording
// alone; their captures must look like a host name to count.
const looseHostPatterns = 2

// notHosts are words the loose patterns may capture that never name a peer.
var notHosts = map[string]bool{
	"": true, "the": true, "a": true, "an": true, "is": true, "was": true, "returned": true, "error": true,
	"connection": true, "server": true, "host": true, "localhost": true, "service": true, "unavailable": true,
	"failed": true, "timeout": true, "tcp": true, "udp": true, "http": true, "https": true, "port": true,
}

// peer is a host (and port) a log line names.
type peer struct {
	host string
	port string
}

// peerOf returns the peer a line names, leaving out the service itself and
// the cluster DNS server. A name beats an address: "host=db.example.com ...
// dial tcp 10.0.1.2:5432" blames db.example.com, on port 5432.
func peerOf(b *incident.Bundle, line string) (peer, bool) {
	var named, addressed peer
	port := ""
	for i, re := range hostPatterns {
		loose := i >= len(hostPatterns)-looseHostPatterns
		for _, m := range re.FindAllStringSubmatch(line, 4) {
			host := strings.TrimSuffix(strings.ToLower(strings.Trim(m[1], `"'[]`)), ".")
			p := ""
			if len(m) > 2 {
				p = m[2]
			}
			if !plausibleHost(host) || p == "53" || ownHost(b, host) {
				continue
			}
			if loose && p == "" && !strings.ContainsAny(host, ".-") && !knownService(b, host) {
				continue
			}
			if port == "" {
				port = p
			}
			switch {
			case net.ParseIP(host) != nil:
				if addressed.host == "" {
					addressed = peer{host: host, port: p}
				}
			case named.host == "":
				named = peer{host: host, port: p}
			}
		}
	}
	switch {
	case named.host != "":
		if named.port == "" {
			named.port = port
		}
		return named, true
	case addressed.host != "":
		return addressed, true
	case metadataServiceRe.MatchString(line):
		// SDKs name the credential endpoint by what it is, not where.
		return peer{host: metadataServiceIP}, true
	}
	return peer{}, false
}

// metadataServiceIP is the link-local address of the cloud's instance
// metadata service (AWS, GCP and Azure alike).
const metadataServiceIP = "169.254.169.254"

// metadataServiceRe is a line about the instance metadata service, where
// cloud SDKs fetch credentials and tokens.
var metadataServiceRe = regexp.MustCompile(`(?i)169\.254\.169\.254|instance ?metadata|\bimds\b|ec2 ?metadata|metadata\.google\.internal|metadata server`)

// metadataAgent is the node agent that intercepts pods' calls to the
// metadata service (kiam, kube2iam, gke-metadata-server,
// eks-pod-identity-agent) when the bundle holds one: it answers them, so
// it is what fails when they time out.
func metadataAgent(b *incident.Bundle) (incident.Entity, bool) {
	for _, w := range b.Workloads {
		n := strings.ToLower(w.Entity.Name)
		if w.Entity.Kind == incident.KindDaemonSet && w.Entity.Namespace == "kube-system" &&
			(strings.Contains(n, "kiam") || strings.Contains(n, "kube2iam") || strings.Contains(n, "metadata") || strings.Contains(n, "pod-identity")) {
			return w.Entity, true
		}
	}
	return incident.Entity{}, false
}

func plausibleHost(h string) bool {
	if notHosts[h] || len(h) > 253 {
		return false
	}
	if _, err := strconv.Atoi(h); err == nil {
		return false
	}
	if net.ParseIP(h) != nil {
		return true
	}
	// Host names, and so Services, have no underscore: a name with one is a
	// proxy's upstream group, a config key or a variable, not a peer to blame.
	if strings.Contains(h, "_") {
		return false
	}
	// Dotted names must end in a label that is not a number or a file
	// extension-looking word attached to a path.
	labels := strings.Split(h, ".")
	last := labels[len(labels)-1]
	if last == "" || strings.HasPrefix(h, ".") {
		return false
	}
	switch last {
	case "go", "py", "java", "js", "ts", "rb", "log", "yaml", "yml", "json", "conf", "txt", "sock":
		return false
	}
	return true
}

// peerEntity maps a peer to the object serving it; a bare IP that is no
// known pod is matched to the one Service exposing its port, when unique.
func peerEntity(b *incident.Bundle, namespace string, p peer) incident.Entity {
	if p.host == metadataServiceIP {
		if agent, ok := metadataAgent(b); ok {
			return agent
		}
	}
	e := hostEntity(b, namespace, p.host)
	if e.Kind == incident.KindExternal && net.ParseIP(p.host) != nil {
		if svc, ok := servicePort(b, p.port); ok {
			return svc
		}
	}
	return e
}

// servicePort is the one Service, other than the caller's own, that
// exposes port.
func servicePort(b *incident.Bundle, port string) (incident.Entity, bool) {
	if port == "" {
		return incident.Entity{}, false
	}
	var match []incident.ServiceState
	for _, s := range b.Services {
		if ownService(b, s) {
			continue
		}
		for _, sp := range s.Ports {
			if sp == port || strings.HasPrefix(sp, port+"/") || strings.HasSuffix(sp, ":"+port) || strings.HasSuffix(sp, "->"+port) {
				match = append(match, s)
				break
			}
		}
	}
	if len(match) != 1 {
		return incident.Entity{}, false
	}
	return incident.Entity{Namespace: match[0].Namespace, Kind: incident.KindService, Name: match[0].Name}, true
}

// peerTally counts the failures a class of lines reports per responsible
// entity, to blame the most frequent one.
type peerTally struct {
	entity incident.Entity
	host   string
	port   string
	count  int
	recs   []logRecord
	line   string
	novel  bool
}

// tallyPeers groups the records whose lines match re by the peer they name.
// Lines naming no peer are grouped under the zero entity.
func tallyPeers(b *incident.Bundle, recs []logRecord, re *regexp.Regexp, skip func(string) bool) []*peerTally {
	byKey := map[incident.Entity]*peerTally{}
	var order []incident.Entity
	for _, r := range recs {
		if stale(b, r) {
			continue
		}
		for _, line := range r.Lines {
			if !re.MatchString(line) || (skip != nil && skip(line)) {
				continue
			}
			var e incident.Entity
			p, ok := peerOf(b, line)
			if ok {
				e = peerEntity(b, r.Namespace, p)
			}
			t := byKey[e]
			if t == nil {
				t = &peerTally{entity: e, host: p.host, port: p.port, line: line}
				byKey[e] = t
				order = append(order, e)
			}
			t.count += r.Count
			t.recs = append(t.recs, r)
			t.novel = t.novel || r.Novel
			break
		}
	}
	out := make([]*peerTally, 0, len(order))
	for _, e := range order {
		out = append(out, byKey[e])
	}
	// Most failures first; a named peer beats an anonymous one on ties.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && tallyBefore(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func tallyBefore(a, b *peerTally) bool {
	if a.count != b.count {
		return a.count > b.count
	}
	return !a.entity.IsZero() && b.entity.IsZero()
}

// bestNamed returns the most frequent tally that names a peer, and the
// total of failures across all tallies.
func bestNamed(ts []*peerTally) (*peerTally, int) {
	total := 0
	var best *peerTally
	for _, t := range ts {
		total += t.count
		if best == nil && !t.entity.IsZero() {
			best = t
		}
	}
	return best, total
}

func knownService(b *incident.Bundle, name string) bool {
	for _, s := range b.Services {
		if strings.EqualFold(s.Name, name) {
			return true
		}
	}
	for _, w := range b.Workloads {
		if strings.EqualFold(w.Entity.Name, name) {
			return true
		}
	}
	return false
}

// ownService reports a Service of the alert's target: its named Service or
// one selecting its pods. A caller does not fail against itself.
func ownService(b *incident.Bundle, s incident.ServiceState) bool {
	if b.Target.Service != "" && s.Name == b.Target.Service {
		return true
	}
	for _, p := range b.Pods {
		if !contains(b.Target.Pods, p.Name) {
			continue
		}
		if selects(s, p) {
			return true
		}
	}
	return false
}
