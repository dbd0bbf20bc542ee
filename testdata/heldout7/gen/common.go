package main

import (
	"fmt"
	"time"
)

const (
	r1n03 = "node-r1-03.dc1.internal"
	r1n05 = "node-r1-05.dc1.internal"
	r2n04 = "node-r2-04.dc1.internal"
	r2n06 = "node-r2-06.dc1.internal"
	r3n02 = "node-r3-02.dc1.internal"
	r3n07 = "node-r3-07.dc1.internal"
	r4n01 = "node-r4-01.dc1.internal"
	r4n02 = "node-r4-02.dc1.internal"
)

const (
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
	second = time.Second
)

// workers adds the six long-lived workers every incident starts from.
func (s *scene) workers() {
	s.nodes(r1n03, r1n05, r2n04, r2n06, r3n02, r3n07)
}

func (s *scene) crashLoopAlert(ns, pod, container string, startsAgo time.Duration) {
	s.setAlert("KubePodCrashLooping", "warning", map[string]string{"namespace": ns, "pod": pod, "container": container,
		"job": "kube-state-metrics", "reason": "CrashLoopBackOff", "uid": uidOf(s.find("Pod", ns, pod))},
		"Pod is crash looping.",
		fmt.Sprintf("Pod %s/%s (%s) is in waiting state (reason: \"CrashLoopBackOff\").", ns, pod, container),
		`max_over_time(kube_pod_container_status_waiting_reason{job="kube-state-metrics",namespace=~".*",reason="CrashLoopBackOff"}[5m]) >= 1`,
		startsAgo, 1)
}

func (s *scene) podNotReadyAlert(ns, pod string, startsAgo time.Duration) {
	s.setAlert("KubePodNotReady", "warning", map[string]string{"namespace": ns, "pod": pod, "job": "kube-state-metrics"},
		"Pod has been in a non-ready state for more than 15 minutes.",
		fmt.Sprintf("Pod %s/%s has been in a non-ready state for longer than 15 minutes.", ns, pod),
		`sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics",namespace=~".*",phase=~"Pending|Unknown|Failed"}) * on (namespace, pod, cluster) group_left (owner_kind) topk by (namespace, pod, cluster) (1, max by (namespace, pod, owner_kind, cluster) (kube_pod_owner{owner_kind!="Job"}))) > 0`,
		startsAgo, 1)
}

func (s *scene) replicasMismatchAlert(ns, deployment string, startsAgo time.Duration, missing float64) {
	s.setAlert("KubeDeploymentReplicasMismatch", "warning", map[string]string{"namespace": ns, "deployment": deployment, "job": "kube-state-metrics"},
		"Deployment has not matched the expected number of replicas.",
		fmt.Sprintf("Deployment %s/%s has not matched the expected number of replicas for longer than 15 minutes.", ns, deployment),
		`(kube_deployment_spec_replicas{job="kube-state-metrics",namespace=~".*"} > kube_deployment_status_replicas_available{job="kube-state-metrics",namespace=~".*"}) and (changes(kube_deployment_status_replicas_updated{job="kube-state-metrics",namespace=~".*"}[10m]) == 0)`,
		startsAgo, missing)
}

func (s *scene) jobFailedAlert(ns, job string, startsAgo time.Duration) {
	s.setAlert("KubeJobFailed", "warning", map[string]string{"namespace": ns, "job_name": job, "job": "kube-state-metrics", "condition": "true"},
		"Job failed to complete.",
		fmt.Sprintf("Job %s/%s failed to complete. Removing failed job after investigation should clear this alert.", ns, job),
		`kube_job_failed{job="kube-state-metrics",namespace=~".*"} > 0`, startsAgo, 1)
}

// restarts adds the kube-state-metrics restart counter of one container.
func (s *scene) restarts(ns, pod, container string, from, to float64) {
	s.metric("kube_pod_container_status_restarts", "counter", ksm(map[string]string{"namespace": ns, "pod": pod, "container": container, "uid": uidOf(s.find("Pod", ns, pod))}),
		func(x float64) float64 { return float64(int(from + (to-from)*x)) })
}

func gi(n float64) float64 { return n * 1024 * 1024 * 1024 }
func mi(n float64) float64 { return n * 1024 * 1024 }

func minuteOf(n int) time.Duration { return time.Duration(n) * time.Minute }
