package kube

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Bounds of the configured-host lookup: ConfigMaps read per collection and
// hosts kept in all.
const (
	maxConfigMaps      = 5
	maxConfiguredHosts = 10
)

type configMap struct {
	typeMeta
	Data map[string]string `json:"data"`
}

var (
	// hostKeyRe is a key whose value names a server: DB_HOST,
	// REDIS_ENDPOINT, PAYMENTS_URL, spring.datasource.url.
	hostKeyRe = regexp.MustCompile(`(?i)(?:^|[_.-])(?:host|hostname|endpoint|addr|address|server|url|uri)$`)
	// dnsNameRe is a DNS name with at least two labels.
	dnsNameRe = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$`)
)

// ConfiguredHosts reads the ConfigMaps the pods take their environment
// from and returns the hosts their host-like keys name. A ConfigMap that is
// missing or may not be read is skipped with a note: the rest of the
// evidence does not depend on it.
func (c *Collector) ConfiguredHosts(ctx context.Context, pods []incident.PodState) ([]incident.ConfiguredHost, []string, error) {
	var out []incident.ConfiguredHost
	var notes []string
	var errs []error
	for _, ref := range configMapRefs(pods) {
		cm, err := get[configMap](ctx, c.api, configMapResource, ref.Namespace, ref.Name)
		switch {
		case apierrors.IsNotFound(err):
			continue
		case apierrors.IsForbidden(err):
			notes = append(notes, fmt.Sprintf("configmap %s/%s may not be read (grant get on configmaps to see the hosts it configures)", ref.Namespace, ref.Name))
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("get configmap %s/%s: %w", ref.Namespace, ref.Name, err))
			continue
		}
		out = append(out, hostsOfConfigMap(ref.Namespace, "configmap/"+ref.Name, cm.Data)...)
		if len(out) >= maxConfiguredHosts {
			out = out[:maxConfiguredHosts]
			break
		}
	}
	return out, notes, errors.Join(errs...)
}

// configMapRefs are the distinct ConfigMaps the pods' containers reference,
// at most maxConfigMaps.
func configMapRefs(pods []incident.PodState) []NamespacedName {
	var out []NamespacedName
	for _, p := range pods {
		for _, c := range p.Containers {
			for _, ref := range c.EnvFrom {
				name, ok := strings.CutPrefix(ref, "configmap/")
				n := NamespacedName{Namespace: p.Namespace, Name: name}
				if !ok || name == "" || slices.Contains(out, n) {
					continue
				}
				if len(out) == maxConfigMaps {
					return out
				}
				out = append(out, n)
			}
		}
	}
	return out
}

// hostsOfConfigMap keeps, of a ConfigMap's data, the host names under
// host-like keys, with the port the value or a sibling *_PORT key gives.
func hostsOfConfigMap(namespace, source string, data map[string]string) []incident.ConfiguredHost {
	keys := make([]string, 0, len(data))
	for k := range data {
		if hostKeyRe.MatchString(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []incident.ConfiguredHost
	for _, k := range keys {
		host, port, ok := hostAndPort(data[k])
		if !ok {
			continue
		}
		if port == "" {
			port = validPort(data[siblingPortKey(k)])
		}
		out = append(out, incident.ConfiguredHost{Namespace: namespace, Source: source, Key: k, Host: host, Port: port})
	}
	return out
}

// EnvSourcePrefix starts the Source of a host given literally in a
// container's environment: "container/<name>".
const EnvSourcePrefix = "container/"

// hostsOfEnv keeps the hosts a pod's containers are given literally in
// their environment under host-like names (SPRING_DATASOURCE_URL,
// REDIS_HOST), with the port a sibling *_PORT variable gives.
func hostsOfEnv(p *pod) []incident.ConfiguredHost {
	var out []incident.ConfiguredHost
	for _, c := range append(slices.Clip(p.Spec.InitContainers), p.Spec.Containers...) {
		ports := map[string]string{}
		for _, e := range c.Env {
			ports[e.Name] = e.Value.port
		}
		for _, e := range c.Env {
			if e.Value.host == "" || !hostKeyRe.MatchString(e.Name) {
				continue
			}
			port := e.Value.port
			if port == "" {
				port = ports[siblingPortKey(e.Name)]
			}
			out = append(out, incident.ConfiguredHost{Namespace: p.Namespace, Source: EnvSourcePrefix + c.Name, Key: e.Name, Host: e.Value.host, Port: port})
		}
	}
	return out
}

// siblingPortKey is the key that holds the port next to a host key:
// DB_HOST → DB_PORT, redis.host → redis.port.
func siblingPortKey(hostKey string) string {
	loc := hostKeyRe.FindStringIndex(hostKey)
	start := loc[0]
	if start < len(hostKey) && strings.ContainsRune("_.-", rune(hostKey[start])) {
		start++
	}
	word := hostKey[start:]
	port := "port"
	if word == strings.ToUpper(word) {
		port = "PORT"
	}
	return hostKey[:start] + port
}

// hostAndPort reads a host name and optional port from a value: a URL
// (credentials and path dropped), host:port, or a bare host. Addresses that
// are not DNS names (IPs, lists, templates) are refused.
func hostAndPort(value string) (host, port string, ok bool) {
	v := strings.TrimSpace(value)
	if len(v) > 2048 {
		return "", "", false
	}
	// A JDBC URL is a URL behind its "jdbc:" prefix.
	v = strings.TrimPrefix(v, "jdbc:")
	if strings.Contains(v, "://") {
		u, err := url.Parse(v)
		if err != nil {
			return "", "", false
		}
		host, port = u.Hostname(), u.Port()
	} else if h, p, found := strings.Cut(v, ":"); found {
		host, port = h, p
	} else {
		host = v
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if !dnsNameRe.MatchString(host) || len(host) > 253 || !strings.ContainsAny(host, "abcdefghijklmnopqrstuvwxyz") {
		return "", "", false
	}
	if port != "" && validPort(port) == "" {
		return "", "", false
	}
	return host, port, true
}

// validPort returns s when it is a TCP port number, else "".
func validPort(s string) string {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 65535 {
		return ""
	}
	return strconv.Itoa(n)
}
