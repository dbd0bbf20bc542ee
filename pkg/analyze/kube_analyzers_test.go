package analyze

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// kubeCase is a hand-built bundle and what one analyzer must conclude.
type kubeCase struct {
	name   string
	bundle func() *incident.Bundle
	want   bool
	entity incident.Entity
	words  []string
}

func runKubeCases(t *testing.T, a Analyzer, cat incident.Category, cases []kubeCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.bundle()
			got := analyzeOne(a, b)
			if !tt.want {
				if len(got) != 0 {
					t.Fatalf("want no finding, got %+v", got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatal("want a finding, got none")
			}
			checkFinding(t, b, got[0], cat, tt.entity, tt.words...)
		})
	}
}

func waiting(reason, msg string) incident.ContainerState {
	return incident.ContainerState{Name: "order", Image: "shop/order:2.31.0", State: "waiting", Reason: reason, Message: msg}
}

func TestImagePull(t *testing.T) {
	notFound := `Failed to pull image "registry.example.com/shop/order:2.31.0": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/order:2.31.0": failed to resolve reference "registry.example.com/shop/order:2.31.0": registry.example.com/shop/order:2.31.0: not found`
	runKubeCases(t, imagePull{}, incident.CategoryImagePull, []kubeCase{
		{"tag not found", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", waiting("ImagePullBackOff", `Back-off pulling image "registry.example.com/shop/order:2.31.0"`)))
			b.Events = []incident.Event{podEvent("order-1", "Failed", notFound, 4, -6*time.Minute, 0),
				podEvent("order-1", "Failed", "Error: ErrImagePull", 4, -6*time.Minute, 0)}
			return b
		}, true, deployOrder, []string{"2.31.0", "was not found in the registry"}},
		{"auth", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", waiting("ErrImagePull", "")))
			b.Events = []incident.Event{podEvent("order-1", "Failed", `Failed to pull image "ghcr.io/acme/order:1.2": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized`, 2, -time.Minute, 0)}
			return b
		}, true, deployOrder, []string{"credentials"}},
		{"rate limit", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", waiting("ErrImagePull", "")))
			b.Events = []incident.Event{podEvent("order-1", "Failed", `Failed to pull image "nginx:1.27": toomanyrequests: You have reached your pull rate limit.`, 2, -time.Minute, 0)}
			return b
		}, true, deployOrder, []string{"rate limit was hit"}},
		{"pulled fine", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Events = []incident.Event{{Object: incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}, Type: "Normal", Reason: "Pulled", Message: `Successfully pulled image "nginx:1.27"`}}
			return b
		}, false, incident.Entity{}, nil},
	})
}

func pendingPod(name string) incident.PodState {
	p := orderPod(name, incident.ContainerState{Name: "order", State: "waiting", Reason: "ContainerCreating",
		Requests: incident.Resources{CPUMilli: 2000, MemoryBytes: 6 << 30}})
	p.Phase, p.Node = "Pending", ""
	p.Conditions = []incident.Condition{{Type: "PodScheduled", Status: "False", Reason: "Unschedulable",
		Message: "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."}}
	return p
}

func TestUnschedulable(t *testing.T) {
	runKubeCases(t, unschedulable{}, incident.CategoryUnschedulable, []kubeCase{
		{"insufficient memory", func() *incident.Bundle {
			b := newBundle(pendingPod("order-1"), pendingPod("order-2"))
			b.Nodes = []incident.NodeState{{Name: "n1", Allocatable: incident.Resources{CPUMilli: 3920, MemoryBytes: 4 << 30}}}
			b.Events = []incident.Event{podEvent("order-1", "FailedScheduling", "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", 9, -10*time.Minute, 0)}
			return b
		}, true, deployOrder, []string{"Insufficient memory", "6Gi", "0/3"}},
		{"taints and selector", func() *incident.Bundle {
			b := newBundle(pendingPod("order-1"))
			b.Events = []incident.Event{podEvent("order-1", "FailedScheduling", "0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 node(s) didn't match Pod's node affinity/selector.", 3, -10*time.Minute, 0)}
			return b
		}, true, deployOrder, []string{"3 node(s): node(s) didn't match", "affinity"}},
		{"unbound claim: the claim is blamed (DESIGN's entity rule)", func() *incident.Bundle {
			return unboundClaim()
		}, true, incident.Entity{Namespace: "shop", Kind: incident.KindPVC, Name: "data-order-0"}, []string{"unbound", "data-order-0", "fast-ssd"}},
		{"unbound claim the alert is about", func() *incident.Bundle {
			b := unboundClaim()
			b.Alert.Labels["persistentvolumeclaim"] = "data-order-0"
			return b
		}, true, incident.Entity{Namespace: "shop", Kind: incident.KindPVC, Name: "data-order-0"}, []string{"unbound"}},
		// WaitForFirstConsumer: the scheduler picked a node, then the CSI
		// driver could not create the disk; its reason is on the claim.
		{"the CSI driver cannot provision the claim at PreBind", func() *incident.Bundle {
			b := newBundle(pendingPod("order-1"))
			b.Events = []incident.Event{podEvent("order-1", "FailedScheduling", `running PreBind plugin "VolumeBinding": binding volumes: provisioning failed for PVC "data-order-0"`, 6, -10*time.Minute, 0),
				{Object: incident.Entity{Namespace: "shop", Kind: incident.KindPVC, Name: "data-order-0"}, Type: "Warning", Reason: "ProvisioningFailed",
					Message: `failed to provision volume with StorageClass "gp3": rpc error: code = Internal desc = Could not create volume "pvc-1f2e": could not create volume in EC2: operation error EC2: CreateVolume, https response error StatusCode: 403, RequestID: 5e1a, api error UnauthorizedOperation: You are not authorized to perform this operation.`,
					Count:   9, FirstSeen: at(-10 * time.Minute), LastSeen: at(0)}}
			return b
		}, true, incident.Entity{Namespace: "shop", Kind: incident.KindPVC, Name: "data-order-0"}, []string{"data-order-0", "UnauthorizedOperation"}},
		{"unbound claim named by the StatefulSet controller's event", func() *incident.Bundle {
			b := newBundle(pendingPod("order-1"))
			sts := incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "order"}
			b.Events = []incident.Event{podEvent("order-1", "FailedScheduling", "0/5 nodes are available: pod has unbound immediate PersistentVolumeClaims.", 4, -10*time.Minute, 0),
				{Object: sts, Type: "Normal", Reason: "SuccessfulCreate", Message: "create Claim data-order-0 Pod order-0 in StatefulSet order success", Count: 1, FirstSeen: at(-11 * time.Minute), LastSeen: at(-11 * time.Minute)},
				{Object: sts, Type: "Normal", Reason: "SuccessfulCreate", Message: "create Claim data-order-1 Pod order-1 in StatefulSet order success", Count: 1, FirstSeen: at(-10 * time.Minute), LastSeen: at(-10 * time.Minute)}}
			return b
		}, true, incident.Entity{Namespace: "shop", Kind: incident.KindPVC, Name: "data-order-1"}, []string{"data-order-1"}},
		{"scheduled pods", func() *incident.Bundle { return newBundle(orderPod("order-1", healthy())) }, false, incident.Entity{}, nil},
	})
}

func TestNodePressure(t *testing.T) {
	node := incident.Entity{Kind: incident.KindNode, Name: "node-a"}
	runKubeCases(t, nodePressure{}, incident.CategoryNodePressure, []kubeCase{
		{"memory pressure with evictions", func() *incident.Bundle {
			p := orderPod("order-1", healthy())
			p.Phase, p.Reason, p.Message = "Failed", "Evicted", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 48Mi."
			b := newBundle(p)
			b.Nodes = []incident.NodeState{{Name: "node-a", Conditions: []incident.Condition{
				{Type: "Ready", Status: "True"}, {Type: "MemoryPressure", Status: "True", Reason: "KubeletHasInsufficientMemory", LastTransitionTime: at(-8 * time.Minute)}}}}
			return b
		}, true, node, []string{"MemoryPressure=True", "low on memory", "evicted 1 pod"}},
		{"not ready", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Nodes = []incident.NodeState{{Name: "node-a", Conditions: []incident.Condition{{Type: "Ready", Status: "Unknown", Reason: "NodeStatusUnknown", Message: "Kubelet stopped posting node status."}}}}
			return b
		}, true, node, []string{"NotReady", "stopped posting"}},
		{"pods lost with their node", func() *incident.Bundle {
			p := orderPod("order-1", healthy())
			p.Phase, p.Reason = "Unknown", "NodeLost"
			return newBundle(p)
		}, true, node, []string{"NotReady", "node lost"}},
		{"evicted for a node condition", func() *incident.Bundle {
			p := orderPod("order-1", healthy())
			p.Phase, p.Reason, p.Message = "Failed", "Evicted", "Pod was rejected: The node had condition: [DiskPressure]."
			return newBundle(p)
		}, true, node, []string{"disk pressure", "low on disk"}},
		{"own ephemeral limit is not node pressure", func() *incident.Bundle {
			p := orderPod("order-1", healthy())
			p.Reason, p.Message = "Evicted", "Pod ephemeral local storage usage exceeds the total limit of containers 1Gi."
			return newBundle(p)
		}, false, incident.Entity{}, nil},
		{"healthy nodes", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Nodes = []incident.NodeState{{Name: "node-a", Conditions: []incident.Condition{{Type: "Ready", Status: "True"}, {Type: "DiskPressure", Status: "False"}}}}
			return b
		}, false, incident.Entity{}, nil},
		{"a taint eviction marked for a pod on its node", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Events = []incident.Event{{Object: incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}, Type: "Normal",
				Reason: "TaintManagerEviction", Message: "Marking for deletion Pod shop/order-1", Count: 1, FirstSeen: at(-5 * time.Minute), LastSeen: at(-5 * time.Minute)}}
			return b
		}, true, node, []string{"TaintManagerEviction"}},
		{"rebooted and still NotReady", func() *incident.Bundle {
			b := rebootedNode("False")
			b.Events = b.Events[:1]
			return b
		}, true, node, []string{"Rebooted", "NotReady"}},
		{"a cancelled taint eviction says nothing against a node", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Events = []incident.Event{{Object: incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}, Type: "Normal",
				Reason: "TaintManagerEviction", Message: "Cancelling deletion of Pod shop/order-1", Count: 1, FirstSeen: at(-5 * time.Minute), LastSeen: at(-5 * time.Minute)}}
			return b
		}, false, incident.Entity{}, nil},
	})
}

func TestCPUThrottling(t *testing.T) {
	runKubeCases(t, cpuThrottling{}, incident.CategoryCPUThrottling, []kubeCase{
		{"throttled with latency", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = []incident.Series{
				metric(incident.MetricCPUThrottling, deployOrder, time.Minute, 0.02, 0.03, 0.02, 0.6, 0.7, 0.65),
				metric(incident.MetricLatencyP99, deployOrder, time.Minute, 0.1, 0.1, 0.12, 0.9, 1.2, 1.1),
			}
			return b
		}, true, deployOrder, []string{"70%", "latency"}},
		{"below threshold", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = []incident.Series{metric(incident.MetricCPUThrottling, deployOrder, time.Minute, 0.02, 0.1, 0.12)}
			return b
		}, false, incident.Entity{}, nil},
	})
}

func TestTrafficSpike(t *testing.T) {
	runKubeCases(t, trafficSpike{}, incident.CategoryTrafficSpike, []kubeCase{
		{"step then latency", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = []incident.Series{
				metric(incident.MetricRequestRate, deployOrder, time.Minute, 100, 110, 105, 480, 500, 490),
				metric(incident.MetricLatencyP95, deployOrder, time.Minute, 0.1, 0.1, 0.1, 0.2, 0.8, 0.9),
			}
			return b
		}, true, deployOrder, []string{"x4.5", "latency"}},
		{"a blip of retries is not a spike", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = []incident.Series{
				metric(incident.MetricRequestRate, deployOrder, time.Minute, 16, 17, 16, 52, 30, 18, 17, 16, 17),
				metric(incident.MetricErrorRatio, deployOrder, time.Minute, 0.001, 0.001, 0.001, 1, 0.5, 0.001, 0.001, 0.001, 0.001),
			}
			return b
		}, false, incident.Entity{}, nil},
		{"steady traffic", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Metrics = []incident.Series{metric(incident.MetricRequestRate, deployOrder, time.Minute, 100, 110, 105, 120, 100, 98)}
			return b
		}, false, incident.Entity{}, nil},
	})
}

// rolloutOrder is the order service as an Argo Rollout.
var rolloutOrder = incident.Entity{Namespace: "shop", Kind: incident.KindRollout, Name: "order"}

func TestBadDeploy(t *testing.T) {
	rollouts := func() []incident.Rollout {
		return []incident.Rollout{
			{Owner: deployOrder, Name: "order-6f7c8", Revision: 7, Images: []string{"shop/order:1.14.2"}, CreatedAt: at(-72 * time.Hour)},
			{Owner: deployOrder, Name: "order-7d9c5", Revision: 8, Images: []string{"shop/order:1.15.0"}, CreatedAt: at(-9 * time.Minute)},
		}
	}
	runKubeCases(t, badDeploy{}, incident.CategoryBadDeploy, []kubeCase{
		{"new errors after a new image", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Rollouts = rollouts()
			b.Templates = []incident.LogTemplate{template("order-1", `ERROR failed to serialise order: unknown field "currency_code"`, 80, true, -7*time.Minute)}
			b.Metrics = []incident.Series{metric(incident.MetricErrorRatio, deployOrder, 2*time.Minute, 0.001, 0.001, 0.001, 0.001, 0.2, 0.3, 0.3, 0.3)}
			return b
		}, true, deployOrder, []string{"1.14.2", "1.15.0", "currency_code", "revision 8"}},
		{"old rollout", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Rollouts = rollouts()
			b.Rollouts[1].CreatedAt = at(-30 * time.Hour)
			b.Templates = []incident.LogTemplate{template("order-1", `ERROR failed`, 80, true, -7*time.Minute)}
			return b
		}, false, incident.Entity{}, nil},
		{"pods crashing long after a rollout are not its doing", func() *incident.Bundle {
			p := orderPod("order-1", crashed("Error", 1, 5))
			p.ReplicaSet = "order-7d9c5"
			b := newBundle(p)
			b.Rollouts = rollouts()
			b.Rollouts[1].CreatedAt = at(-90 * time.Minute)
			return b
		}, false, incident.Entity{}, nil},
		{"recent rollout and nothing wrong", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Rollouts = rollouts()
			return b
		}, false, incident.Entity{}, nil},
		{"an Argo Rollout's canary revision, aborted by its analysis", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Rollouts = rollouts()
			for i := range b.Rollouts {
				b.Rollouts[i].Owner = rolloutOrder
			}
			b.Target.Workload = rolloutOrder
			b.Workloads = []incident.WorkloadState{{Entity: rolloutOrder, Conditions: []incident.Condition{
				{Type: "Phase/Degraded", Status: "Aborted", Message: `RolloutAborted: Metric "error-ratio" assessed Failed`}}}}
			b.Metrics = []incident.Series{metric(incident.MetricErrorRatio, rolloutOrder, 2*time.Minute, 0.001, 0.001, 0.001, 0.001, 0.2, 0.3, 0.3, 0.3)}
			return b
		}, true, rolloutOrder, []string{"Rollout order", "revision 8", "aborted the canary", "error-ratio", "kubectl argo rollouts -n shop abort order"}},
		{"an aborted canary alone names the Rollout", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Rollouts = rollouts()
			for i := range b.Rollouts {
				b.Rollouts[i].Owner = rolloutOrder
			}
			b.Workloads = []incident.WorkloadState{{Entity: rolloutOrder, Conditions: []incident.Condition{
				{Type: "Progressing", Status: "False", Reason: "RolloutAborted"}}}}
			return b
		}, true, rolloutOrder, []string{"aborted the canary: RolloutAborted"}},
		{"a Deployment's condition named Aborted is no canary", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Rollouts = rollouts()
			b.Workloads = []incident.WorkloadState{{Entity: deployOrder, Conditions: []incident.Condition{{Type: "Progressing", Status: "Aborted"}}}}
			return b
		}, false, incident.Entity{}, nil},
	})
}

// kubectl rollout undo does not know Argo's Rollout kind.
func TestRollbackCommandForRollouts(t *testing.T) {
	tests := []struct {
		e    incident.Entity
		want string
	}{
		{deployOrder, "rollout undo deployment/order"},
		{rolloutOrder, "kubectl argo rollouts -n shop undo order"},
	}
	for _, tc := range tests {
		if got := rollback(tc.e); !strings.Contains(got, tc.want) {
			t.Errorf("rollback(%v) = %q, want it to contain %q", tc.e, got, tc.want)
		}
	}
}

func TestJobFailure(t *testing.T) {
	job := incident.Entity{Namespace: "shop", Kind: incident.KindJob, Name: "nightly-report-29384"}
	runKubeCases(t, jobFailure{}, incident.CategoryJobFailure, []kubeCase{
		{"backoff limit", func() *incident.Bundle {
			p := orderPod("nightly-report-29384-x1", incident.ContainerState{Name: "report", State: "terminated",
				Terminated: &incident.Termination{Reason: "Error", ExitCode: 1}})
			p.Owner = job
			b := newBundle(p)
			b.Workloads = []incident.WorkloadState{{Entity: job, Failed: 4, BackoffLimit: 3,
				Conditions: []incident.Condition{{Type: "Failed", Status: "True", Reason: "BackoffLimitExceeded", Message: "Job has reached the specified backoff limit"}}}}
			b.Logs = []incident.LogStream{{Namespace: "shop", Pod: p.Name, Container: "report", Previous: true,
				Lines: []incident.LogLine{{Text: "Traceback (most recent call last):"}, {Text: "KeyError: 'region'"}}}}
			return b
		}, true, job, []string{"BackoffLimitExceeded", "backoffLimit 3", "exit code 1"}},
		{"a CronJob's failed run blames the Job, naming its CronJob", func() *incident.Bundle {
			run := incident.Entity{Namespace: "shop", Kind: incident.KindJob, Name: "export-29922600"}
			cron := incident.Entity{Namespace: "shop", Kind: incident.KindCronJob, Name: "export"}
			p := orderPod("export-29922600-thq72", incident.ContainerState{Name: "export", State: "terminated",
				Terminated: &incident.Termination{Reason: "Error", ExitCode: 1}})
			p.Owner = cron
			b := newBundle(p)
			b.Target.Workload = cron
			b.Workloads = []incident.WorkloadState{{Entity: cron, Schedule: "0 * * * *"}, {Entity: run, Failed: 2, BackoffLimit: 1,
				Conditions: []incident.Condition{{Type: "Failed", Status: "True", Reason: "BackoffLimitExceeded"}}}}
			return b
		}, true, incident.Entity{Namespace: "shop", Kind: incident.KindJob, Name: "export-29922600"}, []string{"export-29922600", "a run of CronJob export"}},
		{"a failed Job pod without the Job object", func() *incident.Bundle {
			p := orderPod("nightly-report-29384-x1", incident.ContainerState{Name: "report", State: "terminated",
				Terminated: &incident.Termination{Reason: "Error", ExitCode: 3}})
			p.Owner, p.Phase = job, "Failed"
			return newBundle(p)
		}, true, job, []string{"exit code 3"}},
		{"running job", func() *incident.Bundle {
			b := newBundle()
			b.Workloads = []incident.WorkloadState{{Entity: job, Active: 1}}
			return b
		}, false, incident.Entity{}, nil},
	})
}

func unboundClaim() *incident.Bundle {
	b := newBundle(pendingPod("order-1"))
	b.Events = []incident.Event{podEvent("order-1", "FailedScheduling", "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available", 3, -10*time.Minute, 0),
		{Object: incident.Entity{Namespace: "shop", Kind: incident.KindPVC, Name: "data-order-0"}, Type: "Warning", Reason: "ProvisioningFailed",
			Message: `storageclass.storage.k8s.io "fast-ssd" not found`, Count: 5, FirstSeen: at(-10 * time.Minute), LastSeen: at(0)}}
	return b
}

// webhookEvent is a ReplicaSet's FailedCreate when the API server cannot call
// an admission webhook, as kube-controller-manager words it.
func webhookEvent(cause string) incident.Event {
	return incident.Event{Object: incident.Entity{Namespace: "shop", Kind: incident.KindReplicaSet, Name: "order-5d8f7c9b6"},
		Type: "Warning", Reason: "FailedCreate", Count: 16, FirstSeen: at(-20 * time.Minute), LastSeen: at(-time.Minute),
		Message: `Error creating: Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": ` + cause}
}

func TestWebhookCertificate(t *testing.T) {
	const expired = `tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-10-17T12:49:46Z is after 2026-10-17T11:53:00Z`
	istiod := incident.Entity{Namespace: "istio-system", Kind: incident.KindDeployment, Name: "istiod"}
	svc := incident.ServiceState{Namespace: "istio-system", Name: "istiod", Dependency: true, Ready: 1, Backend: istiod}

	b := newBundle(orderPod("order-1", healthy()))
	b.Events = []incident.Event{webhookEvent(expired)}
	b.Services = []incident.ServiceState{svc}
	got := analyzeOne(tlsFailure{}, b)
	if len(got) != 1 {
		t.Fatalf("got %d findings: %+v", len(got), got)
	}
	// The webhook's server holds the certificate, not the workload that
	// cannot scale.
	checkFinding(t, b, got[0], incident.CategoryTLSFailure, istiod, "certificate has expired", "namespace.sidecar-injector.istio.io")

	// Without the Service in the evidence, the webhook's Service is named.
	b.Services = nil
	got = analyzeOne(tlsFailure{}, b)
	if len(got) != 1 {
		t.Fatalf("got %d findings: %+v", len(got), got)
	}
	checkFinding(t, b, got[0], incident.CategoryTLSFailure,
		incident.Entity{Namespace: "istio-system", Kind: incident.KindService, Name: "istiod"}, "certificate has expired")

	// A webhook that times out is not a certificate problem.
	b.Events = []incident.Event{webhookEvent(`context deadline exceeded`)}
	if got := analyzeOne(tlsFailure{}, b); len(got) != 0 {
		t.Errorf("a webhook timeout gave a TLS finding: %+v", got)
	}
}

// TestWebhookUnreachable: creations refused because the API server cannot
// reach an admission webhook blame the webhook's Service, whoever was
// alerted; the webhook's own wording varies with the server behind it.
func TestWebhookUnreachable(t *testing.T) {
	kyverno := incident.Entity{Namespace: "kyverno", Kind: incident.KindService, Name: "kyverno-svc"}
	gatekeeper := incident.Entity{Namespace: "gatekeeper-system", Kind: incident.KindService, Name: "gatekeeper-webhook-service"}
	event := func(hook, url, cause string) incident.Event {
		e := webhookEvent(cause)
		e.Message = `Error creating: Internal error occurred: failed calling webhook "` + hook + `": failed to call webhook: Post "` + url + `": ` + cause
		return e
	}
	for _, tt := range []struct {
		name     string
		event    incident.Event
		services []incident.ServiceState
		want     incident.Entity
		words    []string
	}{
		{name: "no endpoints behind the webhook",
			event:    event("mutate.kyverno.svc-fail", "https://kyverno-svc.kyverno.svc:443/mutate/fail?timeout=10s", `no endpoints available for service "kyverno-svc"`),
			services: []incident.ServiceState{{Namespace: "kyverno", Name: "kyverno-svc", Dependency: true}},
			want:     kyverno, words: []string{"0 ready", "scale it back up"}},
		{name: "the webhook times out with ready pods",
			event:    event("validation.gatekeeper.sh", "https://gatekeeper-webhook-service.gatekeeper-system.svc:443/v1/admit?timeout=3s", `context deadline exceeded (Client.Timeout exceeded while awaiting headers)`),
			services: []incident.ServiceState{{Namespace: "gatekeeper-system", Name: "gatekeeper-webhook-service", Dependency: true, Ready: 3}},
			want:     gatekeeper, words: []string{"NetworkPolicy", "validation.gatekeeper.sh"}},
		{name: "refused, the Service not in view",
			event: event("validation.gatekeeper.sh", "https://gatekeeper-webhook-service.gatekeeper-system.svc:443/v1/admit", `dial tcp 10.96.14.2:443: connect: connection refused`),
			want:  gatekeeper, words: []string{"cannot create its pods"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newBundle(orderPod("order-1", healthy()))
			b.Events = []incident.Event{tt.event}
			b.Services = tt.services
			got := analyzeOne(dependency{}, b)
			if len(got) != 1 {
				t.Fatalf("got %d findings: %+v", len(got), got)
			}
			checkFinding(t, b, got[0], incident.CategoryDependencyFailure, tt.want, tt.words...)
		})
	}
	// Not this rule: a webhook whose certificate fails (the tls analyzer's),
	// a create refused by a quota, a webhook that denied the request (it
	// answered), and a Normal event.
	for _, e := range []incident.Event{
		webhookEvent(`tls: failed to verify certificate: x509: certificate has expired or is not yet valid`),
		{Object: incident.Entity{Namespace: "shop", Kind: incident.KindReplicaSet, Name: "order-5d8f7c9b6"}, Type: "Warning", Reason: "FailedCreate",
			Message: `Error creating: pods "order-5d8f7c9b6-x" is forbidden: exceeded quota: compute, requested: limits.cpu=2, used: limits.cpu=8, limited: limits.cpu=8`, FirstSeen: at(-time.Minute), LastSeen: at(0)},
		{Object: incident.Entity{Namespace: "shop", Kind: incident.KindReplicaSet, Name: "order-5d8f7c9b6"}, Type: "Warning", Reason: "FailedCreate",
			Message: `Error creating: admission webhook "validation.gatekeeper.sh" denied the request: [must-have-owner] you must provide labels: {"owner"}`, FirstSeen: at(-time.Minute), LastSeen: at(0)},
		{Object: incident.Entity{Namespace: "shop", Kind: incident.KindReplicaSet, Name: "order-5d8f7c9b6"}, Type: "Normal", Reason: "SuccessfulCreate",
			Message: `Created pod: order-5d8f7c9b6-x`, FirstSeen: at(-time.Minute), LastSeen: at(0)},
	} {
		b := newBundle(orderPod("order-1", healthy()))
		b.Events = []incident.Event{e}
		if got := analyzeOne(dependency{}, b); len(got) != 0 {
			t.Errorf("%q gave %+v", e.Message, got)
		}
	}
}

// TestQuotaBlocksScaleOut: a ReplicaSet that cannot create the pods its
// autoscaler asked for because the namespace's ResourceQuota is used up is
// the workload's exhausted quota, named with the quota.
func TestQuotaBlocksScaleOut(t *testing.T) {
	b := newBundle(orderPod("order-1", healthy()), orderPod("order-2", healthy()))
	b.Events = []incident.Event{{Object: incident.Entity{Namespace: "shop", Kind: incident.KindReplicaSet, Name: "order-5d8f7c9b6"},
		Type: "Warning", Reason: "FailedCreate", Count: 9, FirstSeen: at(-12 * time.Minute), LastSeen: at(-time.Minute),
		Message: `Error creating: pods "order-5d8f7c9b6-x7k2p" is forbidden: exceeded quota: compute-resources, requested: requests.memory=2Gi, used: requests.memory=8Gi, limited: requests.memory=8Gi`}}
	got := analyzeOne(exhaustion{}, b)
	if len(got) != 1 {
		t.Fatalf("got %d findings: %+v", len(got), got)
	}
	checkFinding(t, b, got[0], incident.CategoryResourceExhaustion, deployOrder, "quota", "exceeded quota: compute-resources", "ResourceQuota")
}

// rebootedNode is node-a rebooted six minutes ago and reporting NodeReady a
// minute later, with its Ready condition as given.
func rebootedNode(ready string) *incident.Bundle {
	b := newBundle(orderPod("order-1", healthy()))
	node := incident.Entity{Kind: incident.KindNode, Name: "node-a"}
	b.Nodes = []incident.NodeState{{Name: "node-a", Conditions: []incident.Condition{{Type: "Ready", Status: ready, LastTransitionTime: at(-5 * time.Minute)}}}}
	b.Events = []incident.Event{
		{Object: node, Type: "Warning", Reason: "Rebooted", Message: "Node node-a has been rebooted, boot id: 1f0c", Count: 1, FirstSeen: at(-6 * time.Minute), LastSeen: at(-6 * time.Minute)},
		{Object: node, Type: "Normal", Reason: "NodeReady", Message: "Node node-a status is now: NodeReady", Count: 1, FirstSeen: at(-5 * time.Minute), LastSeen: at(-5 * time.Minute)},
	}
	return b
}

// A node rebooted and Ready again is reported, but not as a cause.
func TestRecoveredNodeIsNoCause(t *testing.T) {
	got := nodePressure{}.Analyze(rebootedNode("True"))
	if len(got) != 1 || got[0].Confidence >= minRootScore || !strings.Contains(got[0].Title, "recovered") {
		t.Fatalf("want one weak recovered finding, got %+v", got)
	}
}

// conntrackBundle runs order-1 on node-a and order-2 on node-b, with the
// conntrack share of each node as given.
func conntrackBundle(a, b float64, lines ...string) *incident.Bundle {
	second := orderPod("order-2", healthy())
	second.Node = "node-b"
	bundle := newBundle(orderPod("order-1", healthy()), second)
	nodeA := incident.Entity{Kind: incident.KindNode, Name: "node-a"}
	nodeB := incident.Entity{Kind: incident.KindNode, Name: "node-b"}
	bundle.Metrics = []incident.Series{
		metric(incident.MetricConntrackRatio, nodeA, time.Minute, 0.7, 0.8, 0.9, a, a, a),
		metric(incident.MetricConntrackRatio, nodeB, time.Minute, b, b, b, b, b, b),
	}
	if len(lines) > 0 {
		stream := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: "order"}
		for i, l := range lines {
			stream.Lines = append(stream.Lines, incident.LogLine{Time: at(time.Duration(i-3) * time.Second), Text: l})
		}
		bundle.Logs = []incident.LogStream{stream}
	}
	return bundle
}

func TestConntrackTableFull(t *testing.T) {
	nodeA := incident.Entity{Kind: incident.KindNode, Name: "node-a"}
	for _, tt := range []struct {
		name  string
		b     *incident.Bundle
		want  bool
		words []string
	}{
		{"one node's table at its limit", conntrackBundle(1, 0.17), true, []string{"conntrack", "100% of nf_conntrack_max"}},
		{"the kernel's drop line on a node without the metric", func() *incident.Bundle {
			b := conntrackBundle(0, 0, "kernel: [8812.04] nf_conntrack: table full, dropping packet")
			b.Metrics = nil
			return b
		}(), true, []string{"table full, dropping packet"}},
		{"tables well below their limit", conntrackBundle(0.6, 0.2), false, nil},
		{"a line about conntrack that is no drop", func() *incident.Bundle {
			b := conntrackBundle(0, 0, "INFO conntrack table 40% used, nf_conntrack_max=262144")
			b.Metrics = nil
			return b
		}(), false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := conntrackFull(tt.b)
			if !tt.want {
				if len(got) != 0 {
					t.Fatalf("want no finding, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one finding, got %+v", got)
			}
			checkFinding(t, tt.b, got[0], incident.CategoryResourceExhaustion, nodeA, tt.words...)
		})
	}
}
