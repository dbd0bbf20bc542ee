package main

import (
	"fmt"
	"time"
)

const acr = "contosoweuprod.azurecr.io/"

var (
	systemNodes = []string{"aks-systempool-38211457-vmss000000", "aks-systempool-38211457-vmss000001", "aks-systempool-38211457-vmss000002"}
	zones       = []string{"westeurope-1", "westeurope-2", "westeurope-3"}
	systemTaint = []any{obj{"key": "CriticalAddonsOnly", "value": "true", "effect": "NoSchedule"}}
)

func userNode(suffix string) string { return "aks-userpool-38211457-vmss00000" + suffix }

// zoneOf spreads user nodes over the three zones by their suffix.
func zoneOf(node string) string { return zones[int(node[len(node)-1])%3] }

// cluster adds the system pool and the named user-pool nodes, all healthy.
func (in *incident) cluster(userSuffixes ...string) map[string]obj {
	nodes := map[string]obj{}
	for i, n := range systemNodes {
		nodes[n] = in.node(n, nodeOpt{pool: "systempool", zone: zones[i], taints: systemTaint, vmSize: "Standard_D4ds_v5",
			allocCPU: "3860m", allocMem: "12880632Ki"}, base.Add(-61*24*time.Hour))
	}
	for _, s := range userSuffixes {
		n := userNode(s)
		nodes[n] = in.node(n, nodeOpt{pool: "userpool", zone: zoneOf(n)}, base.Add(-9*24*time.Hour))
	}
	return nodes
}

// podIP hands out overlay addresses from 10.244.0.0/16, stable per seed.
func podIP(seed string) string {
	h := hashOf(seed, 2)
	return fmt.Sprintf("10.244.%d.%d", int(h[0])%12, 10+int(h[1])*7%240)
}

func aspnet(name, image string, port int) container {
	return container{name: name, image: image, port: port, reqCPU: "250m", reqMem: "384Mi", limCPU: "1", limMem: "768Mi",
		env:       env("ASPNETCORE_ENVIRONMENT", "Production", "DOTNET_gcServer", "0"),
		liveness:  httpProbe("/healthz/live", port, 10, 10, 2, 3),
		readiness: httpProbe("/healthz/ready", port, 5, 5, 2, 3)}
}

func appLabels(name, partOf, version string) map[string]any {
	return labelsOf("app.kubernetes.io/name", name, "app.kubernetes.io/part-of", partOf, "app.kubernetes.io/version", version,
		"azure.workload.identity/use", "true")
}

// serilog renders one Serilog compact JSON line.
func serilog(at time.Time, level, tmpl, source string, props string) string {
	l := ""
	if level != "Information" {
		l = `,"@l":"` + level + `"`
	}
	if props != "" {
		props = "," + props
	}
	return fmt.Sprintf(`{"@t":"%s","@mt":"%s"%s,"SourceContext":"%s"%s}`, at.UTC().Format("2006-01-02T15:04:05.0000000Z"), tmpl, l, source, props)
}

// healthy adds one ready pod of owner on each named user node, up since
// since; the pod runs the template's first container.
func (in *incident) healthy(owner *workload, since time.Time, nodes ...string) []obj {
	c := owner.tpl.containers[0]
	var out []obj
	for _, nd := range nodes {
		out = append(out, in.pod(owner, "", userNode(nd), podIP(owner.name+nd+ts(since)), "Running", since,
			cs{name: c.name, image: c.image, ready: true, started: since}))
	}
	return out
}

// crashLooping adds one pod of owner per named user node whose first
// container waits in CrashLoopBackOff. The i-th pod's last run lasted ran
// and ended endedAgo plus i minutes before now.
func (in *incident) crashLooping(owner *workload, since time.Time, restarts int, reason string, exit int, endedAgo, ran time.Duration, nodes ...string) []obj {
	c := owner.tpl.containers[0]
	var out []obj
	for i, nd := range nodes {
		end := in.ago(endedAgo + time.Duration(i)*time.Minute)
		p := in.pod(owner, "", userNode(nd), podIP(owner.name+nd+ts(since)), "Running", since,
			cs{name: c.name, image: c.image, restarts: restarts + i, waitReason: "CrashLoopBackOff",
				lastReason: reason, lastExit: exit, lastStart: end.Add(-ran), lastEnd: end})
		in.event(p, "Warning", "BackOff", "Back-off restarting failed container "+c.name+" in pod "+nameOf(p)+"_"+owner.ns+"("+p["metadata"].(obj)["uid"].(string)+")",
			"kubelet", userNode(nd), 12+restarts+i, since.Add(time.Minute), in.ago(time.Duration(20+10*i)*time.Second))
		out = append(out, p)
	}
	return out
}

func names(pods []obj) []string {
	var out []string
	for _, p := range pods {
		out = append(out, nameOf(p))
	}
	return out
}

// The kubernetes-mixin alerts used by several incidents, with their
// upstream wording.
func (in *incident) firePodNotReady(ns, pod string, startedAgo time.Duration) {
	in.fire(amLabels("KubePodNotReady", "warning", ns, "pod", pod),
		"Pod has been in a non-ready state for more than 15 minutes.", "Pod "+ns+"/"+pod+" has been in a non-ready state for longer than 15 minutes.",
		`sum by (namespace, pod, cluster) (max by(namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`, 1, startedAgo)
}

func (in *incident) fireCrashLooping(ns, pod, container string, startedAgo time.Duration) {
	in.fire(amLabels("KubePodCrashLooping", "warning", ns, "pod", pod, "container", container, "job", "kube-state-metrics"),
		"Pod is crash looping.", "Pod "+ns+"/"+pod+" ("+container+") is in waiting state (reason: \"CrashLoopBackOff\").",
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1, startedAgo)
}

func (in *incident) fireReplicasMismatch(ns, deployment string, value float64, startedAgo time.Duration) {
	in.fire(amLabels("KubeDeploymentReplicasMismatch", "warning", ns, "deployment", deployment, "job", "kube-state-metrics"),
		"Deployment has not matched the expected number of replicas.", "Deployment "+ns+"/"+deployment+" has not matched the expected number of replicas for longer than 15 minutes.",
		`(kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}) and (changes(kube_deployment_status_replicas_updated{job="kube-state-metrics"}[10m]) == 0)`, value, startedAgo)
}

// failedRuns adds one failed pod of j per attempt, first at first and then
// every apart, each running for ran and logging logOf(start); then the
// job-controller's and cronjob-controller's events for the failed Job. It
// returns when the Job was marked failed.
func (in *incident) failedRuns(cj, j *workload, nodes []string, first time.Time, every, ran time.Duration, logOf func(start time.Time) []logLine) time.Time {
	c := j.tpl.containers[0]
	var end time.Time
	for i, nd := range nodes {
		start := first.Add(time.Duration(i) * every)
		end = start.Add(ran)
		p := in.pod(j, j.name+"-"+hashOf(fmt.Sprint(j.name, i), 5), userNode(nd), podIP(fmt.Sprint(j.name, i)), "Failed", start,
			cs{name: c.name, image: c.image, termReason: "Error", termExit: 1, lastStart: start, lastEnd: end})
		in.logLines(j.ns+"/"+nameOf(p)+"/"+c.name, logOf(start))
		in.event(j.obj, "Normal", "SuccessfulCreate", "Created pod: "+nameOf(p), "job-controller", "", 1, start, start)
	}
	failed := end.Add(time.Minute)
	markFailed(j, failed)
	in.event(j.obj, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit", "job-controller", "", 1, failed, failed)
	in.event(cj.obj, "Normal", "SawCompletedJob", "Saw completed job: "+j.name+", status: Failed", "cronjob-controller", "", 1, failed, failed)
	return failed
}

// pyLogger formats Python logging lines ("%(asctime)s %(levelname)s
// [%(name)s] %(message)s") at offsets from start.
func pyLogger(start time.Time, name string) func(d time.Duration, level, msg string) logLine {
	return func(d time.Duration, level, msg string) logLine {
		t := start.Add(d)
		return logLine{at: t, text: fmt.Sprintf("%s %s [%s] %s", t.Format("2006-01-02 15:04:05,000"), level, name, msg)}
	}
}

// pythonError is a Python traceback as one log entry per line, all at at,
// ending with the tail the Azure Storage SDK prints for a service error.
func pythonError(at time.Time, frames []string, exception, message, requestID, code string) []logLine {
	lines := append([]string{"Traceback (most recent call last):"}, frames...)
	lines = append(lines, "azure.core.exceptions."+exception+": "+message, "RequestId:"+requestID,
		"Time:"+at.UTC().Format("2006-01-02T15:04:05.0000000Z"), "ErrorCode:"+code)
	var out []logLine
	for _, l := range lines {
		out = append(out, logLine{at: at, text: l})
	}
	return out
}
