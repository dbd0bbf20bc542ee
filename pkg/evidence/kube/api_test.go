package kube

import "testing"

func TestResourcePaths(t *testing.T) {
	for _, tc := range []struct {
		r               apiResource
		namespace, name string
		want            string
	}{
		{podResource, "shop", "", "/api/v1/namespaces/shop/pods"},
		{podResource, "", "", "/api/v1/pods"},
		{podResource, "shop", "web-0", "/api/v1/namespaces/shop/pods/web-0"},
		{nodeResource, "ignored", "node-a", "/api/v1/nodes/node-a"},
		{deploymentResource, "shop", "order", "/apis/apps/v1/namespaces/shop/deployments/order"},
		{endpointSliceResource, "shop", "", "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices"},
		{rolloutResource, "cart", "cart", "/apis/argoproj.io/v1alpha1/namespaces/cart/rollouts/cart"},
	} {
		if got := tc.r.path(tc.namespace, tc.name); got != tc.want {
			t.Errorf("%s path(%q, %q) = %s, want %s", tc.r.plural, tc.namespace, tc.name, got, tc.want)
		}
	}
}
