package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestPullFailingOnOneNodeBlamesTheNode(t *testing.T) {
	const image = "registry.corp.example/shop/order:4.1.0"
	// failing: one pod of Deployment shop/order on node-b cannot pull with
	// msg, while a replica runs the same image on node-a.
	failing := func(msg string, runningElsewhere bool) *incident.Bundle {
		stuck := orderPod("order-7d9c5-bbbbb", incident.ContainerState{Name: "order", Image: image, State: "waiting", Reason: "ImagePullBackOff"})
		stuck.Node, stuck.Phase = "node-b", "Pending"
		pods := []incident.PodState{stuck}
		if runningElsewhere {
			ok := orderPod("order-7d9c5-aaaaa", incident.ContainerState{Name: "order", Image: image, State: "running", Ready: true})
			pods = append(pods, ok)
		}
		b := newBundle(pods...)
		b.Events = []incident.Event{podEvent(stuck.Name, "Failed", `Failed to pull image "`+image+`": `+msg, 6, -10*time.Minute, 0)}
		return b
	}
	untrusted := `rpc error: code = Unknown desc = failed to pull and unpack image "` + image + `": failed to resolve reference: failed to do request: Head "https://registry.corp.example/v2/shop/order/manifests/4.1.0": tls: failed to verify certificate: x509: certificate signed by unknown authority`
	runKubeCases(t, imagePull{}, incident.CategoryImagePull, []kubeCase{
		{"an untrusted registry certificate on one node while another node runs the image", func() *incident.Bundle {
			return failing(untrusted, true)
		}, true, incident.Entity{Kind: incident.KindNode, Name: "node-b"}, []string{"x509", "node-b", "trust"}},
		{"an untrusted certificate on one node while the workload's other replicas are ready", func() *incident.Bundle {
			b := failing(untrusted, false)
			b.Workloads = []incident.WorkloadState{{Entity: deployOrder, Images: []string{image}, Replicas: 3, Ready: 2}}
			return b
		}, true, incident.Entity{Kind: incident.KindNode, Name: "node-b"}, []string{"ready replicas"}},
		{"an untrusted certificate with the image running nowhere else stays the workload's", func() *incident.Bundle {
			return failing(untrusted, false)
		}, true, deployOrder, []string{"x509"}},
		{"a tag missing on one node is the image's, not the node's (the others run it from their cache)", func() *incident.Bundle {
			return failing(`rpc error: code = NotFound desc = failed to pull and unpack image "`+image+`": not found`, true)
		}, true, deployOrder, []string{"not found"}},
	})
}
