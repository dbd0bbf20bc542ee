package analyze

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestFrozenRegistryIsNamed(t *testing.T) {
	ds := incident.Entity{Namespace: "shop", Kind: incident.KindDaemonSet, Name: "order"}
	pull := func(image string) *incident.Bundle {
		p := orderPod("order-x7k2p", incident.ContainerState{Name: "order", Image: image, State: "waiting", Reason: "ImagePullBackOff",
			Message: `Back-off pulling image "` + image + `"`})
		p.Owner = ds
		b := newBundle(p)
		b.Target.Workload = ds
		b.Events = []incident.Event{podEvent(p.Name, "Failed", `Failed to pull image "`+image+`": rpc error: code = NotFound desc = failed to pull and unpack image "`+image+`": not found`, 4, -10*time.Minute, 0)}
		return b
	}
	runKubeCases(t, imagePull{}, incident.CategoryImagePull, []kubeCase{
		{"a tag missing from the frozen k8s.gcr.io", func() *incident.Bundle {
			return pull("k8s.gcr.io/kube-state-metrics/kube-state-metrics:v2.10.0")
		}, true, ds, []string{"not found", "frozen", "registry.k8s.io"}},
		{"the old google_containers path", func() *incident.Bundle {
			return pull("gcr.io/google_containers/pause:3.9")
		}, true, ds, []string{"frozen"}},
	})
	// Another registry's missing tag is not blamed on the freeze.
	b := pull("registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.99.0")
	got := analyzeOne(imagePull{}, b)
	if len(got) != 1 {
		t.Fatalf("want one finding for registry.k8s.io's missing tag, got %+v", got)
	}
	for _, f := range got {
		if strings.Contains(f.Detail, "frozen") {
			t.Errorf("registry.k8s.io called frozen: %s", f.Detail)
		}
	}
}
