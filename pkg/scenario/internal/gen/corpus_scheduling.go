package main

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// schedulingScenarios: pods that cannot be placed and nodes that fail.
func schedulingScenarios() []definition {
	return []definition{
		{"unschedulable-insufficient-memory-search", unschedulableMemory},
	}
}

// A memory request raised to 6Gi no longer fits any node of the group.
func unschedulableMemory(b *builder) {
	b.setup("2026-11-17T11:30:00Z", 40)
	b.describe(`search-indexer's memory request was raised to 6Gi for a bigger index. No node of
the m6i.large group has 6Gi allocatable free, the cluster autoscaler group is at its
maximum, and the new pods stay Pending with "Insufficient memory".`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("search-indexer", ctrSpec{name: "indexer", image: b.ecr("search/indexer", "7.3.1"), port: 9200,
		cpuReq: "500m", memReq: "3Gi", memLim: "4Gi"})
	w := b.deployment("search", "search-indexer", 2, b.at(days(150)), spec)
	old := w.revision(8, b.at(days(40)), nil)
	cur := w.revision(9, b.at(22*time.Minute), func(s *corev1.PodSpec) {
		s.Containers[0].Resources.Requests["memory"] = resource.MustParse("6Gi")
		s.Containers[0].Resources.Limits["memory"] = resource.MustParse("6Gi")
	})
	p0 := old.pod(nodes[0], b.at(days(40)))
	p0.ctr("indexer").logs = quietStartup(b, slogStyle, "search-indexer", "7.3.1")
	msg := "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
	var alertPod *podPlan
	for i := 0; i < 2; i++ {
		p := cur.pod(nil, b.at(22*time.Minute-time.Duration(i)*time.Second))
		p.pending = msg
		b.schedulerEvent(p, "Warning", "FailedScheduling", "Scheduling", msg, p.created.Add(300*time.Millisecond), b.at(40*time.Second), 23)
		b.event(p.entityRef(), "Normal", "NotTriggerScaleUp", "pod didn't trigger scale-up: 1 max node group size reached", "cluster-autoscaler", "", p.created.Add(10*time.Second))
		b.repeat(p.entityRef(), "Normal", "NotTriggerScaleUp", "pod didn't trigger scale-up: 1 max node group size reached", "cluster-autoscaler", "", p.created.Add(10*time.Second), b.now, time.Minute)
		if i == 0 {
			alertPod = p
		}
	}
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 0 to 1", cur.name), "deployment-controller", "", cur.created)
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled down replica set %s from 2 to 1", old.name), "deployment-controller", "", cur.created.Add(time.Second))
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 1 to 2", cur.name), "deployment-controller", "", cur.created.Add(2*time.Second))
	b.alert(alertSpec{
		labels:      podAlert("KubePodNotReady", "search", alertPod.name, "", "warning"),
		summary:     "Pod has been in a non-ready state for more than 15 minutes.",
		description: fmt.Sprintf("Pod search/%s has been in a non-ready state for longer than 15 minutes on cluster .", alertPod.name),
		runbook:     runbooks + "kubepodnotready",
		startsAt:    b.at(7 * time.Minute),
		query:       `sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics",phase=~"Pending|Unknown|Failed"}) * on (namespace, pod, cluster) group_left (owner_kind) topk by (namespace, pod, cluster) (1, max by (namespace, pod, owner_kind, cluster) (kube_pod_owner{owner_kind!="Job"}))) > 0`,
		value:       1,
	})
	b.expect("Unschedulable", "search", "Deployment", "search-indexer", "Insufficient memory", "6Gi")
}
