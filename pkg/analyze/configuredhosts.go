package analyze

import (
	"net"
	"regexp"
	"slices"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// addrPortRe is an IP address with its port in a log line ("Failed to
// connect to 10.20.11.84:5432").
var addrPortRe = regexp.MustCompile(`\b(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\b`)

// configuredPeer is the outside host the pods of recs are configured to
// reach (from their ConfigMaps) when their failing lines name no host or
// only an IP: drivers often log the resolved address, not the name they
// were given. With several configured hosts, the one whose port the pods'
// lines name wins; when that stays ambiguous there is no answer.
func configuredPeer(b *incident.Bundle, recs []logRecord) (incident.ConfiguredHost, bool) {
	var candidates []incident.ConfiguredHost
	for _, h := range b.ConfiguredHosts {
		if _, _, inCluster := clusterName(h.Host, h.Namespace, b); inCluster || ownHost(b, h.Host) {
			continue
		}
		if referencedBy(b, h, recs) {
			candidates = append(candidates, h)
		}
	}
	if len(candidates) > 1 {
		ports := loggedPorts(b, recs)
		candidates = slices.DeleteFunc(candidates, func(h incident.ConfiguredHost) bool { return !slices.Contains(ports, h.Port) })
	}
	if len(candidates) != 1 {
		return incident.ConfiguredHost{}, false
	}
	return candidates[0], true
}

// envSourcePrefix starts the Source of a host a container is given
// literally in its environment (the gatherer's "container/<name>").
const envSourcePrefix = "container/"

// referencedBy reports whether a pod of recs takes its environment from
// the configured host's source, or is given the host in its own.
func referencedBy(b *incident.Bundle, h incident.ConfiguredHost, recs []logRecord) bool {
	for _, r := range recs {
		for _, name := range append([]string{r.Pod}, r.Pods...) {
			p, ok := findPod(b, r.Namespace, name)
			if !ok || p.Namespace != h.Namespace {
				continue
			}
			for _, c := range p.Containers {
				if slices.Contains(c.EnvFrom, h.Source) || h.Source == envSourcePrefix+c.Name {
					return true
				}
			}
		}
	}
	return false
}

// loggedPorts are the ports of outside IP addresses the records' pods log
// anywhere in their lines (the connect line often precedes the TLS error).
func loggedPorts(b *incident.Bundle, recs []logRecord) []string {
	pods := recordPods(recs)
	var out []string
	for _, r := range logRecords(b) {
		if !slices.Contains(pods, r.Pod) {
			continue
		}
		for _, l := range r.Lines {
			for _, m := range addrPortRe.FindAllStringSubmatch(l, -1) {
				if net.ParseIP(m[1]) != nil && hostEntity(b, r.Namespace, m[1]).Kind == incident.KindExternal && !slices.Contains(out, m[2]) {
					out = append(out, m[2])
				}
			}
		}
	}
	return out
}
