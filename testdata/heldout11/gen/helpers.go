package main

import (
	"time"
)

// Shared names of the fleet.
const (
	promInstance = "monitoring/kube-prometheus-stack-prometheus"
	registry     = "gitea.core.lan/shop"
)

var (
	coreNodes = []string{"core-srv-1", "core-srv-2", "core-srv-3"}
	m         = time.Minute
	sec       = time.Second
)

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// ksmAlert is the label set kube-prometheus-stack puts on a kube-state-metrics alert.
func ksmAlert(name, namespace, pod, container, severity string) map[string]string {
	l := map[string]string{"alertname": name, "namespace": namespace, "severity": severity,
		"job": "kube-state-metrics", "prometheus": promInstance, "endpoint": "http",
		"service": "kube-prometheus-stack-kube-state-metrics", "instance": "10.42.1.17:8080"}
	if pod != "" {
		l["pod"] = pod
	}
	if container != "" {
		l["container"] = container
	}
	return l
}

// grafanaAlert is the label set of a Grafana-managed alert rule.
func grafanaAlert(name, folder string, extra ...string) map[string]string {
	l := map[string]string{"alertname": name, "grafana_folder": folder, "__alert_rule_uid__": uid("Rule", folder, name)[:14]}
	for i := 0; i+1 < len(extra); i += 2 {
		l[extra[i]] = extra[i+1]
	}
	return l
}

func annotations(summary, description string) map[string]string {
	return map[string]string{"summary": summary, "description": description}
}

func runbook(summary, description, anchor string) map[string]string {
	a := annotations(summary, description)
	a["runbook_url"] = "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/" + anchor
	return a
}

// pod builds one of the workload's pods; hash is the ReplicaSet's
// pod-template-hash for a Deployment and empty for the others.
func (w workload) pod(hash, suffix, node string, created time.Time, statuses ...cstat) pod {
	p := pod{namespace: w.namespace, node: node, containers: w.containers, statuses: statuses, phase: "Running", created: created}
	switch {
	case hash != "":
		p.name = w.name + "-" + hash + "-" + suffix
		p.ownerKind, p.ownerName = "ReplicaSet", w.name+"-"+hash
		p.labels = with(w.labels, "pod-template-hash", hash)
	case w.kind == "StatefulSet":
		p.name = w.name + "-" + suffix
		p.ownerKind, p.ownerName = "StatefulSet", w.name
		p.labels = with(w.labels, "statefulset.kubernetes.io/pod-name", p.name)
	default:
		p.name = w.name + "-" + suffix
		p.ownerKind, p.ownerName = w.kind, w.name
		p.labels = with(w.labels)
	}
	for i := range p.statuses {
		if p.statuses[i].image == "" && i < len(w.containers) {
			p.statuses[i].image = w.containers[i].image
		}
	}
	return p
}

func running(name string, started time.Time, restarts int, ready bool) cstat {
	return cstat{name: name, state: "running", started: started, restarts: restarts, ready: ready}
}

func crashLooping(name string, podName string, restarts int, last cstat) cstat {
	return cstat{name: name, state: "waiting", reason: "CrashLoopBackOff", restarts: restarts, last: &last,
		message: "back-off 5m0s restarting failed container=" + name + " pod=" + podName + "_"}
}

func terminated(reason string, exit int, started, finished time.Time) cstat {
	return cstat{state: "terminated", reason: reason, exitCode: exit, started: started, finish: finished}
}

// sr is a series from start to end with one sample every 15 s.
func sr(name, typ, help string, labels map[string]string, start, end time.Time, value func(int) float64) series {
	return series{name: name, typ: typ, help: help, labels: labels, start: start, end: end, value: value}
}

func cl(namespace, pod, container string, kv ...string) map[string]string {
	l := map[string]string{"namespace": namespace, "pod": pod, "container": container}
	for i := 0; i+1 < len(kv); i += 2 {
		l[kv[i]] = kv[i+1]
	}
	return l
}

const (
	helpWorkingSet = "Current working set of the container in bytes"
	helpLimits     = "The number of requested limit resource by a container."
	helpRequests   = "The number of requested request resource by a container."
	helpRestarts   = "The number of container restarts per container."
	helpCPU        = "Cumulative cpu time consumed in seconds."
	helpPeriods    = "Number of elapsed enforcement period intervals."
	helpThrottled  = "Number of throttled period intervals."
	helpReady      = "Describes whether the container is currently in ready state."
	helpReplicas   = "The number of ready replicas per deployment."
	helpHTTPDur    = "Histogram of the request duration, by service."
)

func nodes(now time.Time, created time.Time) []obj {
	var out []obj
	for _, n := range coreNodes {
		out = append(out, node{name: n, roles: []string{"control-plane", "etcd", "master"}, ready: "True",
			heartbeat: now.Add(-40 * sec), created: created}.object())
	}
	return out
}
