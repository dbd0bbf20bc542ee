package prom

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/common/model"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// maxUsageClaims bounds the claims asked about in one query: a StatefulSet
// behind a dependency mounts one per replica, rarely more than a few dozen.
const maxUsageClaims = 64

// ClaimUsage fills UsedBytes (and Capacity, when the kubelet reports it) of
// the claims from the kubelet's volume statistics at the given time, so that
// a full volume can be told among the claims a failing dependency mounts.
// Claims the kubelet reports nothing for are left as they are.
func (c *Collector) ClaimUsage(ctx context.Context, claims []incident.ClaimState, at time.Time) error {
	var namespaces, names []string
	for i, cl := range claims {
		if i == maxUsageClaims {
			break
		}
		if !dnsName(cl.Namespace) || !dnsName(cl.Name) {
			continue
		}
		if !slices.Contains(namespaces, cl.Namespace) {
			namespaces = append(namespaces, cl.Namespace)
		}
		if !slices.Contains(names, cl.Name) {
			names = append(names, cl.Name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	sel := fmt.Sprintf("{namespace=~%s, persistentvolumeclaim=~%s}", anyOf(namespaces), anyOf(names))
	used, err := c.claimValues(ctx, "kubelet_volume_stats_used_bytes"+sel, at)
	if err != nil {
		return err
	}
	capacity, err := c.claimValues(ctx, "kubelet_volume_stats_capacity_bytes"+sel, at)
	if err != nil {
		return err
	}
	for i := range claims {
		key := claims[i].Namespace + "/" + claims[i].Name
		if u, ok := used[key]; ok {
			claims[i].UsedBytes = u
		}
		if cp, ok := capacity[key]; ok && cp > 0 {
			claims[i].Capacity = cp
		}
	}
	return nil
}

// claimValues runs an instant query and returns the largest value of each
// namespace/claim (a volume reported by two kubelet scrapes counts once).
func (c *Collector) claimValues(ctx context.Context, expr string, at time.Time) (map[string]int64, error) {
	q := "max by (namespace, persistentvolumeclaim) (" + expr + ")"
	value, _, _, err := c.api.Query(ctx, q, at)
	if err != nil {
		return nil, fmt.Errorf("volume usage: %w", err)
	}
	vec, ok := value.(model.Vector)
	if !ok {
		return nil, fmt.Errorf("volume usage: instant query returned %s, want vector", valueKind(value))
	}
	out := map[string]int64{}
	for _, s := range vec {
		v := float64(s.Value)
		if v < 0 || v > 1<<60 || v != v {
			continue // not a byte count
		}
		out[string(s.Metric["namespace"])+"/"+string(s.Metric["persistentvolumeclaim"])] = int64(v)
	}
	return out, nil
}

var dnsNameRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$`)

func dnsName(s string) bool { return dnsNameRe.MatchString(s) }

// PodClaims names, from the kubelet's volume statistics at the given time,
// the claims of the pods that follow the StatefulSet naming,
// "<template>-<pod>", in the pods' namespaces: for a dependency's pod read
// without its volumes, the claim a full disk in its logs is on. At most
// maxUsageClaims names.
func (c *Collector) PodClaims(ctx context.Context, pods []incident.PodState, at time.Time) ([]incident.ClaimState, error) {
	var namespaces []string
	for _, p := range pods {
		if dnsName(p.Namespace) && dnsName(p.Name) && !slices.Contains(namespaces, p.Namespace) {
			namespaces = append(namespaces, p.Namespace)
		}
	}
	if len(namespaces) == 0 {
		return nil, nil
	}
	measured, err := c.claimValues(ctx, fmt.Sprintf("kubelet_volume_stats_capacity_bytes{namespace=~%s}", anyOf(namespaces)), at)
	if err != nil {
		return nil, err
	}
	var out []incident.ClaimState
	for key := range measured {
		ns, name, _ := strings.Cut(key, "/")
		for _, p := range pods {
			if p.Namespace == ns && strings.HasSuffix(name, "-"+p.Name) && len(out) < maxUsageClaims {
				out = append(out, incident.ClaimState{Namespace: ns, Name: name})
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b incident.ClaimState) int {
		return strings.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	return out, nil
}
