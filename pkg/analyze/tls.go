package analyze

import (
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// tlsFailure finds TLS handshakes that fail on the certificate: expired,
// signed by an unknown authority, or issued for another name.
type tlsFailure struct{}

func (tlsFailure) Name() string { return "tls" }

var (
	tlsFailureRe = regexp.MustCompile(`(?i)x509: |tls: (?:failed to verify|handshake failure|bad certificate|unknown certificate|certificate required)|remote error: tls|sslhandshakeexception|sslerror|ssl routines|pkix path (?:building|validation) failed|certificate_verify_failed|certificate verify failed|certificate has expired|certificate expired|self[- ]signed certificate|unable to get local issuer certificate|err_tls_cert|cert_has_expired|certificatenotyetvalid|certificateexpiredexception|hostname mismatch|no subject alternative names? matching` +
		// rustls (the Linkerd proxy, Rust clients), .NET SslStream, Node and
		// OpenSSL-based clients (PHP, curl, Python) in their own words.
		`|invalid peer certificate|remote certificate is invalid|untrustedroot|partialchain|unknownissuer|unable to verify the first certificate|self_signed_cert_in_chain|unable_to_verify_leaf_signature|ssl certificate problem`)
	// What went wrong with the certificate, in the words clients use.
	tlsExpiredRe      = regexp.MustCompile(`(?i)expired|not yet valid|cert_has_expired|notafter`)
	tlsUntrustedRe    = regexp.MustCompile(`(?i)unknown authority|unable to get local issuer|self[- ]signed|self_signed|pkix path|unable to find valid certification path|untrusted|unknown ?issuer|partialchain|unable to verify|could not be verified`)
	tlsNameMismatchRe = regexp.MustCompile(`(?i)is valid for|not valid for|notvalidforname|hostname mismatch|subject alternative name|doesn't match|does not match`)
	tlsClientCertRe   = regexp.MustCompile(`(?i)bad certificate|certificate required|unknown certificate`)
	tlsKinds          = []struct {
		re   *regexp.Regexp
		kind string
	}{
		{tlsExpiredRe, "the certificate has expired (or is not yet valid)"},
		{tlsUntrustedRe, "the certificate is signed by an authority the client does not trust"},
		{tlsNameMismatchRe, "the certificate was issued for another name"},
		{tlsClientCertRe, "the peer rejects the client certificate (mutual TLS)"},
	}
	// tlsClientTrustRe is a client saying that its own trust configuration
	// holds no anchor for a chain it could build: Java's PKIX path building
	// (not path validation, which is an expired or revoked certificate),
	// an empty or unreadable truststore, librdkafka's ssl.ca.location hint,
	// curl's CA file that cannot be read.
	tlsClientTrustRe = regexp.MustCompile(`(?i)pkix path building failed|unable to find valid certification path|trustanchors parameter must be non-empty|truststore|ssl\.ca\.location|certificate verify locations`)
	// tlsCredentialRe is a serving credential a proxy loads from a Secret,
	// as Istio's secret discovery names it: kubernetes://<secret>.
	tlsCredentialRe = regexp.MustCompile(`(?i)kubernetes://([a-z0-9][a-z0-9.-]*)`)
	// tlsServerSideRe is a server logging a failed handshake of a client.
	tlsServerSideRe = regexp.MustCompile(`(?i)handshake error from|failed to complete security handshake|server\.serve failed|client didn't provide a certificate`)
	// tlsPeerRe finds the requested name in hostname-mismatch messages:
	// "certificate is valid for a, b, not c".
	tlsPeerRe = regexp.MustCompile(`(?i)\bnot ([a-z0-9_][a-z0-9_.-]*[a-z0-9])`)
)

func (t tlsFailure) Analyze(b *incident.Bundle) []incident.Finding {
	return t.analyzeLogs(b, logRecords(b))
}

func (tlsFailure) analyzeLogs(b *incident.Bundle, recs []logRecord) []incident.Finding {
	out := handshakeFailures(b, recs)
	if f, ok := webhookTLS(b); ok {
		out = append(out, f)
	}
	return out
}

var (
	// webhookCallRe is the API server failing to call an admission webhook,
	// as controllers report it in FailedCreate events.
	webhookCallRe = regexp.MustCompile(`(?i)failed calling webhook "?([^" ]*)"?`)
	// webhookURLRe is the webhook's address in that message.
	webhookURLRe = regexp.MustCompile(`(?i)https://([a-z0-9][a-z0-9.-]*[a-z0-9])(?::\d+)?/`)
)

// webhookTLS finds an admission webhook whose serving certificate is
// rejected: every create through it fails (ReplicaSet or Job FailedCreate),
// whatever workload was alerted. The webhook's server is responsible: the
// workload behind its Service when the evidence has it, else the Service
// or the external host.
func webhookTLS(b *incident.Bundle) (incident.Finding, bool) {
	hits, host, hook := webhookCalls(b, tlsFailureRe.MatchString)
	if len(hits) == 0 {
		return incident.Finding{}, false
	}
	entity := hostEntity(b, hits[0].Object.Namespace, host)
	if st, ok := serviceState(b, entity); ok && !st.Backend.IsZero() {
		entity = st.Backend
	}
	kind := "the handshake fails"
	for _, k := range tlsKinds {
		if k.re.MatchString(hits[0].Message) {
			kind = k.kind
			break
		}
	}
	count := 0
	for _, e := range hits {
		count += eventCount(e)
	}
	detail := fmt.Sprintf("The API server cannot call the admission webhook %q at %s, so %s cannot create its pods (%s): %s. Event: %q. "+
		"Renew the webhook's serving certificate (and its caBundle), or restart its server so it loads the renewed one.",
		hook, host, hits[0].Object, plural(count, "failure", "failures"), kind, truncate(hits[0].Message, 300))
	return incident.Finding{
		Category:   incident.CategoryTLSFailure,
		Severity:   incident.SeverityCritical,
		Title:      fmt.Sprintf("Admission webhook %s: %s", host, strings.SplitN(kind, " (", 2)[0]),
		Detail:     detail,
		Entity:     entity,
		Evidence:   eventIDs(hits),
		Confidence: 0.85,
		Onset:      hits[0].FirstSeen,
	}, true
}

// handshakeFailures reads the logs' failed handshakes.
func handshakeFailures(b *incident.Bundle, recs []logRecord) []incident.Finding {
	// Clients name the server whose certificate they reject; servers log
	// that their clients' handshakes fail. Both blame the server.
	tallies := tallyPeers(b, recs, tlsFailureRe, tlsServerSideRe.MatchString)
	tallies = append(tallies, serverSideTallies(b, recs)...)
	if len(tallies) == 0 {
		return nil
	}
	tallies = mergeTallies(tallies)
	best, total := bestNamed(tallies)
	if best == nil {
		best = tallies[0]
		best.entity = targetEntity(b)
		if m := tlsPeerRe.FindStringSubmatch(best.line); m != nil && strings.Contains(m[1], ".") {
			best.host = m[1]
			best.entity = hostEntity(b, best.recs[0].Namespace, m[1])
		}
	}
	// The line names no server, or only an outside IP: the host the pods
	// are configured to reach is the one presenting the certificate.
	configured := ""
	if best.host == "" || (best.entity.Kind == incident.KindExternal && net.ParseIP(best.host) != nil) {
		if h, ok := configuredPeer(b, best.recs); ok {
			best.host = h.Host
			best.entity = incident.Entity{Kind: incident.KindExternal, Name: h.Host}
			configured = fmt.Sprintf(" The pods reach %s as configured by %s (key %s).", h.Host, h.Source, h.Key)
		}
	}
	kind := "the handshake fails"
	for _, k := range tlsKinds {
		if k.re.MatchString(best.line) {
			kind = k.kind
			break
		}
	}
	peer := best.host
	if peer == "" {
		peer = "a peer"
	}
	detail := fmt.Sprintf("TLS connections to %s fail %s: %s. Log: %q.", peer, plural(total, "time", "times"),
		kind, display(best.line)) + configured
	// An expired certificate is the server's to renew: the workload behind
	// the Service presents it. (An untrusted authority may as well be the
	// client's trust bundle, so the Service stays the answer then.)
	if svc, ok := serviceState(b, best.entity); ok && !svc.Backend.IsZero() && tlsExpiredRe.MatchString(best.line) {
		best.entity = svc.Backend
		detail += fmt.Sprintf(" %s serves it behind Service %s/%s: renew its certificate (its cert-manager Certificate or Secret) and make it reload.", svc.Backend, svc.Namespace, svc.Name)
	}
	// A valid certificate the client cannot anchor in its own truststore is
	// the client's trust configuration to fix, when one workload alone
	// says so (several clients failing alike point back at the server).
	if client, ok := loggingWorkload(b, best.recs); ok && !tlsExpiredRe.MatchString(best.line) && tlsClientTrustRe.MatchString(best.line) {
		best.entity = client
		detail += fmt.Sprintf(" %s does not trust the chain the server presents: its truststore (CA file) lacks the CA that now signs it. "+
			"Point it at the current CA (mount the issuer's CA Secret or ConfigMap instead of a copy baked into the image) and restart it.", client)
	}
	// A gateway's own serving credential, which its proxy loads from a
	// Secret (Istio's SDS names it kubernetes://<secret>), is the gateway's
	// to fix: renew the Secret; the mesh's identity does not sign it.
	credential := tlsCredentialRe.FindStringSubmatch(best.line)
	if gateway, ok := loggingWorkload(b, best.recs); ok && credential != nil {
		best.entity = gateway
		detail += fmt.Sprintf(" %s serves the certificate of Secret %s (its TLS credential) and cannot load it: renew the certificate in that Secret (or its cert-manager Certificate); the proxy picks up the new one.", gateway, credential[1])
	}
	// A name mismatch or a rejected client certificate is the peer's own
	// configuration; any other verification failure of mesh certificates
	// points at what signs them all.
	if mesh, ok := meshIdentity(best, recs); ok && credential == nil && !tlsNameMismatchRe.MatchString(best.line) && !tlsClientCertRe.MatchString(best.line) {
		best.entity = mesh
		detail += fmt.Sprintf(" The failing certificates are the mesh's own workload certificates, which its identity component %s issues from its trust anchor and issuer certificate: "+
			"rotate the expired or replaced trust anchor / issuer and restart the proxies so they pick up new certificates.", mesh)
	}
	confidence := 0.8
	if best.novel {
		confidence += 0.1
	}
	return []incident.Finding{{
		Category:   incident.CategoryTLSFailure,
		Severity:   incident.SeverityCritical,
		Title:      fmt.Sprintf("TLS to %s fails: %s", peer, strings.SplitN(kind, " (", 2)[0]),
		Detail:     detail,
		Entity:     best.entity,
		Evidence:   recordIDs(best.recs, 5),
		Confidence: confidence,
		Onset:      earliest(best.recs),
	}}
}

// soleClient is the one workload whose pods logged the records, if only one
// did.
func loggingWorkload(b *incident.Bundle, recs []logRecord) (incident.Entity, bool) {
	var client incident.Entity
	for _, r := range recs {
		for _, name := range r.Pods {
			p, ok := findPod(b, r.Namespace, name)
			if !ok {
				return incident.Entity{}, false
			}
			o := ownerOf(p)
			if !client.IsZero() && o != client {
				return incident.Entity{}, false
			}
			client = o
		}
	}
	return client, client.IsWorkload()
}

// serverSideTallies blames the server for the failed handshakes it logs:
// the Service selecting the logging pod, or its workload.
func serverSideTallies(b *incident.Bundle, recs []logRecord) []*peerTally {
	byEntity := map[incident.Entity]*peerTally{}
	var out []*peerTally
	for _, r := range recs {
		if stale(b, r) {
			continue
		}
		line := firstMatch([]logRecord{r}, tlsFailureRe)
		if line == "" || !tlsServerSideRe.MatchString(line) {
			continue
		}
		p, ok := findPod(b, r.Namespace, r.Pod)
		if !ok {
			continue
		}
		e := ownerOf(p)
		if svc, ok := serviceSelecting(b, p); ok {
			e = svc
		}
		t := byEntity[e]
		if t == nil {
			t = &peerTally{entity: e, host: e.Name, line: line}
			byEntity[e] = t
			out = append(out, t)
		}
		t.count += r.Count
		t.recs = append(t.recs, r)
		t.novel = t.novel || r.Novel
	}
	return out
}

// mergeTallies adds up tallies that blame the same entity, keeping the
// first one's wording (client-side lines come first and say more).
func mergeTallies(ts []*peerTally) []*peerTally {
	var out []*peerTally
	index := map[incident.Entity]*peerTally{}
	for _, t := range ts {
		if t.entity.IsZero() {
			out = append(out, t)
			continue
		}
		if m, ok := index[t.entity]; ok {
			m.count += t.count
			m.recs = append(m.recs, t.recs...)
			m.novel = m.novel || t.novel
			continue
		}
		index[t.entity] = t
		out = append(out, t)
	}
	sort.SliceStable(out, func(i, j int) bool { return tallyBefore(out[i], out[j]) })
	return out
}

// webhookCalls returns the fresh warning events of failed admission webhook
// calls whose message passes match, keeping those to the first webhook host
// named, with that host (lower-cased) and the webhook's name.
func webhookCalls(b *incident.Bundle, match func(msg string) bool) (hits []incident.Event, host, hook string) {
	for _, e := range b.Events {
		if staleEvent(b, e) || e.Type == "Normal" || !match(e.Message) {
			continue
		}
		m := webhookCallRe.FindStringSubmatch(e.Message)
		u := webhookURLRe.FindStringSubmatch(e.Message)
		if m == nil || u == nil {
			continue
		}
		if host == "" {
			host, hook = strings.ToLower(u[1]), m[1]
		}
		if strings.EqualFold(u[1], host) {
			hits = append(hits, e)
		}
	}
	return hits, host, hook
}

// meshProxies are the sidecar containers of service meshes, each with the
// Deployment that signs its workload certificates and the namespace that
// Deployment runs in by default.
var meshProxies = map[string]struct{ identity, namespace string }{
	"linkerd-proxy": {"linkerd-identity", "linkerd"},
	"istio-proxy":   {"istiod", "istio-system"},
}

// meshIdentityAddrRe finds the identity component's in-cluster address in a
// proxy's lines, which gives the namespace the control plane runs in.
var meshIdentityAddrRe = regexp.MustCompile(`(?i)\b(linkerd-identity|istiod)(?:-headless)?\.([a-z0-9][a-z0-9-]*)\.svc\b`)

// meshIdentity is the mesh identity component responsible for the failed
// handshakes when they are logged by mesh proxies: their certificates all
// chain to the mesh's trust anchor, so an expired or replaced anchor or
// issuer breaks every meshed connection at once, whichever peer is named.
func meshIdentity(t *peerTally, recs []logRecord) (incident.Entity, bool) {
	var mesh struct{ identity, namespace string }
	found := false
	for _, r := range t.recs {
		if m, ok := meshProxies[r.Container]; ok {
			mesh, found = m, true
			break
		}
	}
	if !found {
		return incident.Entity{}, false
	}
	namespace := mesh.namespace
	for _, r := range recs {
		if _, ok := meshProxies[r.Container]; !ok {
			continue
		}
		for _, l := range r.Lines {
			if m := meshIdentityAddrRe.FindStringSubmatch(l); m != nil && strings.EqualFold(m[1], mesh.identity) {
				namespace = strings.ToLower(m[2])
			}
		}
	}
	return incident.Entity{Namespace: namespace, Kind: incident.KindDeployment, Name: mesh.identity}, true
}
