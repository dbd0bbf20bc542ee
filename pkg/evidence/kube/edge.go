package kube

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// edgeAddOns are the Deployments, in their charts' default namespaces, that
// stand between an outside probe and the cluster: ExternalDNS publishes the
// probed name, an ingress gateway or controller terminates its TLS and
// routes it. A probe of a public URL that no pod answers for is explained by
// one of them.
var edgeAddOns = []NamespacedName{
	{"external-dns", "external-dns"}, {"kube-system", "external-dns"},
	{"istio-ingress", "istio-ingressgateway"}, {"istio-system", "istio-ingressgateway"},
	{"ingress-nginx", "ingress-nginx-controller"},
}

// edgePodsPerAddOn bounds the pods read of each edge add-on.
const edgePodsPerAddOn = 2

// EdgeAddOns reads the edge add-ons the cluster runs and their pods,
// unhealthiest first (at most edgePodsPerAddOn each): at most
// len(edgeAddOns) gets and as many lists. Add-ons that do not exist or may
// not be read are skipped.
func (c *Collector) EdgeAddOns(ctx context.Context) ([]incident.WorkloadState, []incident.PodState, error) {
	var ws []incident.WorkloadState
	var pods []incident.PodState
	for _, n := range edgeAddOns {
		o, err := get[workload](ctx, c.api, deploymentResource, n.Namespace, n.Name)
		switch {
		case apierrors.IsNotFound(err), apierrors.IsForbidden(err):
			continue
		case err != nil:
			return ws, pods, fmt.Errorf("get deployment %s/%s: %w", n.Namespace, n.Name, err)
		}
		st := workloadState(incident.KindDeployment, o)
		ws = append(ws, st)
		if len(st.Selector) == 0 {
			continue
		}
		list, err := list[podList](ctx, c.api, podResource, n.Namespace, listOptions{
			LabelSelector: labels.SelectorFromSet(st.Selector).String(), Limit: listLimit})
		switch {
		case apierrors.IsForbidden(err):
			continue
		case err != nil:
			return ws, pods, fmt.Errorf("list pods of deployment %s/%s: %w", n.Namespace, n.Name, err)
		}
		items := list.Items
		rankPods(items)
		for i := range items[:min(len(items), edgePodsPerAddOn)] {
			pods = append(pods, podState(&items[i], st.Entity, ""))
		}
	}
	return ws, pods, nil
}
