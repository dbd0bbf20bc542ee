package main

import (
	"encoding/json"
	"strconv"
)

// Incidents whose responsible object is not the alerted workload: a node,
// an add-on, a dependency, a volume or a host outside the cluster.

func edgeNodeWANNotReady() *incident {
	now := mustTime("2026-12-04T17:25:00Z")
	edge := node{name: "edge-shop-0417", roles: []string{"edge"}, ready: "Unknown", readyReason: "NodeStatusUnknown",
		readyMessage: "Kubelet stopped posting node status.", heartbeat: now.Add(-11 * m), created: now.Add(-200 * 24 * 60 * m), cpu: "4", memory: "8025424Ki",
		taints: []obj{{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule", "timeAdded": ts(now.Add(-10 * m))},
			{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": ts(now.Add(-10 * m))}},
		extraLabels: map[string]string{"shops.example/store": "0417"}}
	w := workload{kind: "Deployment", namespace: "pos", name: "receipt-bridge-0417", replicas: 1, ready: 0,
		labels:     map[string]string{"app": "receipt-bridge", "store": "0417"},
		containers: []ctr{{name: "bridge", image: registry + "/receipt-bridge:2.0.6", reqCPU: "50m", reqMem: "64Mi", limMem: "128Mi", ports: []int{8080}}},
		created:    now.Add(-150 * 24 * 60 * m)}
	hash := "c8d5f7b946"
	p := w.pod(hash, "wd2hq", "edge-shop-0417", now.Add(-30*24*60*m), running("bridge", now.Add(-30*24*60*m), 0, false))
	other := workload{kind: "Deployment", namespace: "pos", name: "receipt-bridge-0388", replicas: 1, ready: 1,
		labels: map[string]string{"app": "receipt-bridge", "store": "0388"}, containers: w.containers, created: w.created}
	op := other.pod("77b9c6d5f8", "k3xzr", "edge-shop-0388", now.Add(-30*24*60*m), running("bridge", now.Add(-30*24*60*m), 0, true))
	start, end := now.Add(-12*m), now.Add(-15*sec)
	return &incident{
		name: "h11-edge-shop-0417-agent-lost-over-wan-link",
		description: `The shop node edge-shop-0417 is joined to edge-core as an agent over the shop's DSL link.
The link dropped; the kubelet stopped posting status eleven minutes ago, the node controller
marked the node unreachable and the shop's receipt bridge is unreachable from the probes.
The kubelet on the node cannot be reached, so there are no container logs.`,
		source: "https://github.com/rancher/rancher/issues/29997",
		now:    now,
		alert: alert{labels: map[string]string{"alertname": "ProbeFailed", "job": "blackbox", "instance": "https://receipt-0417.shops.lan/healthz",
			"module": "http_2xx", "namespace": "pos", "severity": "critical", "prometheus": promInstance},
			annotations: annotations("Blackbox probe failed", "Probe https://receipt-0417.shops.lan/healthz has failed for 5 minutes."),
			startsAt:    now.Add(-6 * m), value: 0, query: `probe_success{job="blackbox"} == 0`},
		expect: expect{category: "NodePressure", kind: "Node", name: "edge-shop-0417", mentions: []string{"edge-shop-0417"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), edge.object(),
			node{name: "edge-shop-0388", roles: []string{"edge"}, ready: "True", heartbeat: now.Add(-20 * sec), created: now.Add(-210 * 24 * 60 * m), cpu: "4", memory: "8025424Ki"}.object(),
			w.object(), w.replicaSet(hash, 1, 0, now.Add(-30*24*60*m), 4), p.object(), other.object(), other.replicaSet("77b9c6d5f8", 1, 1, now.Add(-30*24*60*m), 4), op.object(),
			event("", "Node", "edge-shop-0417", "Normal", "NodeNotReady", "Node edge-shop-0417 status is now: NodeNotReady", "node-controller", "", 1, now.Add(-10*m), now.Add(-10*m)),
			event("pos", "Pod", p.name, "Warning", "NodeNotReady", "Node is not ready", "node-controller", "", 1, now.Add(-10*m), now.Add(-10*m)),
			event("kube-system", "Pod", "svclb-traefik-c219fb2c-q8hzt", "Warning", "NodeNotReady", "Node is not ready", "node-controller", "", 1, now.Add(-10*m), now.Add(-10*m)),
		),
		logs: []logFile{{namespace: "pos", pod: op.name, container: "bridge", lines: lines(now.Add(-3*m), 30*sec,
			`{"level":"info","ts":"2026-12-04T17:22:00Z","msg":"printer heartbeat","printer":"0388-01","status":"ok"}`,
			`{"level":"info","ts":"2026-12-04T17:22:30Z","msg":"printer heartbeat","printer":"0388-01","status":"ok"}`,
			`{"level":"info","ts":"2026-12-04T17:23:00Z","msg":"printer heartbeat","printer":"0388-01","status":"ok"}`,
		)}},
		metrics: []series{
			sr("kube_node_status_condition", "gauge", "The condition of a cluster node.", map[string]string{"node": "edge-shop-0417", "condition": "Ready", "status": "unknown"}, start, end, stepAt(4, 0, 1)),
			sr("kube_node_status_condition", "gauge", "The condition of a cluster node.", map[string]string{"node": "edge-shop-0417", "condition": "Ready", "status": "true"}, start, end, stepAt(4, 1, 0)),
			sr("probe_success", "gauge", "Displays whether or not the probe was a success", map[string]string{"job": "blackbox", "instance": "https://receipt-0417.shops.lan/healthz"}, start, end, stepAt(2, 1, 0)),
			sr("probe_success", "gauge", "Displays whether or not the probe was a success", map[string]string{"job": "blackbox", "instance": "https://receipt-0388.shops.lan/healthz"}, start, end, flat(1)),
		},
	}
}

func imageGCDiskPressure() *incident {
	now := mustTime("2026-12-05T03:40:00Z")
	var objs []obj
	for _, n := range coreNodes {
		nd := node{name: n, roles: []string{"control-plane", "etcd", "master"}, ready: "True", heartbeat: now.Add(-30 * sec), created: now.Add(-400 * 24 * 60 * m)}
		if n == "core-srv-2" {
			nd.diskPressure = true
			nd.taints = []obj{{"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule", "timeAdded": ts(now.Add(-21 * m))}}
		}
		objs = append(objs, nd.object())
	}
	w := workload{kind: "Deployment", namespace: "media", name: "transcode-worker", replicas: 3, ready: 2,
		labels:     map[string]string{"app": "transcode-worker"},
		containers: []ctr{{name: "transcoder", image: registry + "/transcode-worker:7.1.0", reqCPU: "1", reqMem: "1Gi", limMem: "2Gi"}},
		created:    now.Add(-100 * 24 * 60 * m)}
	hash := "9f7d6b5c84"
	evicted := w.pod(hash, "g7lxw", "core-srv-2", now.Add(-3*24*60*m), cstat{name: "transcoder", state: "terminated", reason: "ContainerStatusUnknown", exitCode: 137,
		started: now.Add(-3 * 24 * 60 * m), finish: now.Add(-19 * m)})
	evicted.phase, evicted.reason = "Failed", "Evicted"
	evicted.message = "The node was low on resource: ephemeral-storage. Threshold quantity: 11916103680, available: 10485356Ki. "
	r1 := w.pod(hash, "m4qzv", "core-srv-1", now.Add(-19*m), running("transcoder", now.Add(-18*m), 0, true))
	r2 := w.pod(hash, "s9fkc", "core-srv-3", now.Add(-3*24*60*m), running("transcoder", now.Add(-3*24*60*m), 0, true))
	objs = append(objs, w.object(), w.replicaSet(hash, 3, 2, now.Add(-3*24*60*m), 11), evicted.object(), r1.object(), r2.object(),
		event("", "Node", "core-srv-2", "Warning", "FreeDiskSpaceFailed", "Failed to garbage collect required amount of images. Attempted to free 14713829376 bytes, but only found 0 bytes eligible to free.", "kubelet", "core-srv-2", 7, now.Add(-50*m), now.Add(-4*m)),
		event("", "Node", "core-srv-2", "Warning", "ImageGCFailed", "Failed to garbage collect required amount of images. Attempted to free 14713829376 bytes, but only found 0 bytes eligible to free.", "kubelet", "core-srv-2", 7, now.Add(-50*m), now.Add(-4*m)),
		event("", "Node", "core-srv-2", "Normal", "NodeHasDiskPressure", "Node core-srv-2 status is now: NodeHasDiskPressure", "kubelet", "core-srv-2", 1, now.Add(-21*m), now.Add(-21*m)),
		event("", "Node", "core-srv-2", "Warning", "EvictionThresholdMet", "Attempting to reclaim ephemeral-storage", "kubelet", "core-srv-2", 9, now.Add(-21*m), now.Add(-2*m)),
		event("media", "Pod", evicted.name, "Warning", "Evicted", "The node was low on resource: ephemeral-storage. Threshold quantity: 11916103680, available: 10485356Ki. ", "kubelet", "core-srv-2", 1, now.Add(-19*m), now.Add(-19*m)),
	)
	start, end := now.Add(-14*m), now.Add(-15*sec)
	fs := func(n string, avail func(int) float64) series {
		return sr("node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes.",
			map[string]string{"instance": n + ":9100", "job": "node-exporter", "device": "/dev/nvme0n1p2", "fstype": "ext4", "mountpoint": "/"}, start, end, avail)
	}
	return &incident{
		name: "h11-core-srv-2-root-disk-full-image-gc-finds-nothing",
		description: `core-srv-2's root filesystem holds both containerd's image store and a Longhorn disk path
that was added by mistake; Longhorn replicas filled it, image garbage collection finds no
unused image to delete and the kubelet reports DiskPressure and evicts a transcode worker.
The alert is about the evicted pod; the node's disk is the problem.`,
		source: "https://github.com/k3s-io/k3s/issues/6290",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodNotReady", "media", evicted.name, "", "warning"),
			annotations: runbook("Pod has been in a non-ready state for more than 15 minutes.", "Pod media/"+evicted.name+" has been in a non-ready state for longer than 15 minutes.", "kubepodnotready"),
			startsAt:    now.Add(-3 * m), value: 1,
			query: `sum by (namespace, pod) (max by(namespace, pod) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`},
		expect:  expect{category: "NodePressure", kind: "Node", name: "core-srv-2", mentions: []string{"core-srv-2", "disk"}},
		objects: objs,
		logs: []logFile{{namespace: "media", pod: r1.name, container: "transcoder", lines: lines(now.Add(-17*m), 2*m,
			`[transcode] 03:23:00 picked job 88213 input=s3://media/raw/0417/promo-dec.mov profile=1080p`,
			`[transcode] 03:25:00 job 88213 done in 118.2s output=s3://media/renditions/0417/promo-dec-1080p.mp4`,
			`[transcode] 03:27:00 picked job 88214 input=s3://media/raw/0388/shelf-loop.mov profile=720p`,
		)}},
		metrics: []series{
			fs("core-srv-2", linear(13.1e9, -4.0e6)),
			fs("core-srv-1", flat(121.4e9)),
			fs("core-srv-3", flat(117.9e9)),
			sr("node_filesystem_size_bytes", "gauge", "Filesystem size in bytes.", map[string]string{"instance": "core-srv-2:9100", "job": "node-exporter", "device": "/dev/nvme0n1p2", "fstype": "ext4", "mountpoint": "/"}, start, end, flat(243939393536)),
			sr("kube_node_status_condition", "gauge", "The condition of a cluster node.", map[string]string{"node": "core-srv-2", "condition": "DiskPressure", "status": "true"}, start, end, flat(1)),
		},
	}
}

func traefikThrottled() *incident {
	now := mustTime("2026-12-05T18:05:00Z")
	tw := workload{kind: "Deployment", namespace: "kube-system", name: "traefik", replicas: 1, ready: 1,
		labels: map[string]string{"app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "traefik-kube-system"},
		containers: []ctr{{name: "traefik", image: "rancher/mirrored-library-traefik:3.1.6", reqCPU: "100m", reqMem: "64Mi", limCPU: "300m", limMem: "256Mi",
			ports: []int{8000, 8443, 9100}, args: []string{"--entryPoints.web.address=:8000/tcp", "--entryPoints.websecure.address=:8443/tcp", "--providers.kubernetescrd"}}},
		created: now.Add(-400 * 24 * 60 * m)}
	thash := "6d8b9c7f5d"
	tp := tw.pod(thash, "vj4rl", "core-srv-1", now.Add(-16*24*60*m), running("traefik", now.Add(-16*24*60*m), 0, true))
	api := workload{kind: "Deployment", namespace: "pos", name: "pos-api", replicas: 3, ready: 3,
		labels:     map[string]string{"app": "pos-api"},
		containers: []ctr{{name: "rails", image: registry + "/pos-api:8.14.2", reqCPU: "500m", reqMem: "768Mi", limMem: "1536Mi", ports: []int{3000}}},
		created:    now.Add(-300 * 24 * 60 * m)}
	ahash := "8c6f5d9b7e"
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, tw.object(), tw.replicaSet(thash, 1, 1, now.Add(-16*24*60*m), 9), tp.object(), api.object(), api.replicaSet(ahash, 3, 3, now.Add(-5*24*60*m), 41))
	var apiPods []pod
	for i, n := range coreNodes {
		p := api.pod(ahash, []string{"2xkbn", "7qpwd", "hz5mt"}[i], n, now.Add(-5*24*60*m), running("rails", now.Add(-5*24*60*m), 0, true))
		apiPods = append(apiPods, p)
		objs = append(objs, p.object())
	}
	objs = append(objs, service("pos", "pos-api", api.labels, 80, 3000, api.created, ""), endpoints("pos", "pos-api", 3000, api.created, apiPods, nil),
		event("kube-system", "HelmChartConfig", "traefik", "Normal", "ApplyJob", "Applying HelmChart using Job kube-system/helm-install-traefik", "helm-controller", "", 1, now.Add(-16*24*60*m), now.Add(-16*24*60*m)))
	start, end := now.Add(-15*m), now.Add(-15*sec)
	tl := cl("kube-system", tp.name, "traefik")
	var ms []series
	ms = append(ms,
		sr("container_cpu_cfs_periods_total", "counter", helpPeriods, tl, start, end, linear(8.1e6, 150)),
		sr("container_cpu_cfs_throttled_periods_total", "counter", helpThrottled, tl, start, end, linear(2.2e6, 104)),
		sr("container_cpu_usage_seconds_total", "counter", helpCPU, tl, start, end, linear(391220, 4.48)),
		sr("kube_pod_container_resource_limits", "gauge", helpLimits, cl("kube-system", tp.name, "traefik", "resource", "cpu", "unit", "core"), start, end, flat(0.3)),
		sr("probe_duration_seconds", "gauge", "Returns how long the probe took to complete in seconds", map[string]string{"job": "blackbox", "instance": "https://pos.shops.example/api/health"}, start, end, func(i int) float64 { return 0.35 + 0.03*float64(i) }),
	)
	for _, p := range apiPods {
		l := cl("pos", p.name, "rails")
		ms = append(ms,
			sr("container_cpu_cfs_periods_total", "counter", helpPeriods, l, start, end, linear(2.4e6, 150)),
			sr("container_cpu_cfs_throttled_periods_total", "counter", helpThrottled, l, start, end, flat(112)),
			sr("container_cpu_usage_seconds_total", "counter", helpCPU, l, start, end, linear(88120, 2.1)))
	}
	return &incident{
		name: "h11-traefik-cpu-limit-throttles-pos-ingress-at-opening",
		description: `A HelmChartConfig for k3s's packaged Traefik set a 300m CPU limit. At shop opening the
TLS handshakes of some hundred terminals saturate it: Traefik spends most periods throttled
and the POS API looks slow from the probes, while the Rails pods answer in milliseconds and
are not throttled. Only the metrics show it.`,
		source: "https://github.com/traefik/traefik-helm-chart/pull/1029",
		now:    now,
		alert: alert{labels: grafanaAlert("POS API latency above 1s", "Shops", "namespace", "pos", "service", "pos-api", "severity", "warning"),
			annotations: annotations("POS API is slow from the shops", "probe_duration_seconds for https://pos.shops.example/api/health is above 1s for 5m"),
			startsAt:    now.Add(-5 * m), value: 1.12, query: `max(probe_duration_seconds{instance="https://pos.shops.example/api/health"})`,
			generator: "https://grafana.core.lan/alerting/grafana/" + uid("Rule", "Shops", "POS API latency above 1s")[:14] + "/view"},
		expect:  expect{category: "CPUThrottling", namespace: "kube-system", kind: "Deployment", name: "traefik", mentions: []string{"traefik", "throttl"}},
		objects: objs,
		logs: []logFile{{namespace: "pos", pod: apiPods[0].name, container: "rails", lines: at(now.Add(-2*m),
			0*sec, `I, [2026-12-05T18:03:00.112 #1]  INFO -- : [8f1d2c4e-0b7a-4d1e-9a55-2f6c1b0e9d31] Started GET "/api/health" for 10.42.0.14 at 2026-12-05 18:03:00 +0000`,
			0*sec, `I, [2026-12-05T18:03:00.121 #1]  INFO -- : [8f1d2c4e-0b7a-4d1e-9a55-2f6c1b0e9d31] Completed 200 OK in 6ms (Views: 0.4ms | ActiveRecord: 1.1ms | Allocations: 912)`,
			20*sec, `I, [2026-12-05T18:03:20.307 #1]  INFO -- : [2a9e7f10-4c3b-4f8a-b1d2-7e6a5c4b3a21] Started POST "/api/baskets/0417-55120/checkout" for 10.42.0.14 at 2026-12-05 18:03:20 +0000`,
			20*sec, `I, [2026-12-05T18:03:20.349 #1]  INFO -- : [2a9e7f10-4c3b-4f8a-b1d2-7e6a5c4b3a21] Completed 201 Created in 41ms (Views: 2.2ms | ActiveRecord: 18.0ms | Allocations: 10544)`,
		)}},
		metrics: ms,
	}
}

func galeraNonPrimary() *incident {
	now := mustTime("2026-12-06T02:18:00Z")
	g := workload{kind: "StatefulSet", namespace: "mariadb", name: "mariadb-galera", replicas: 3, ready: 0,
		labels: map[string]string{"app.kubernetes.io/name": "mariadb-galera", "app.kubernetes.io/instance": "mariadb-galera"},
		containers: []ctr{{name: "mariadb-galera", image: "docker.io/bitnami/mariadb-galera:11.4.4-debian-12-r1", reqCPU: "1", reqMem: "2Gi", limMem: "4Gi", ports: []int{3306, 4567},
			readiness: obj{"exec": obj{"command": []any{"bash", "-ec", `mysql -u"$MARIADB_ROOT_USER" -p"$MARIADB_ROOT_PASSWORD" -e "select 1" | grep 1`}}, "periodSeconds": 10, "timeoutSeconds": 1, "failureThreshold": 3}}},
		created: now.Add(-500 * 24 * 60 * m)}
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, g.object())
	var gPods []pod
	for i, n := range coreNodes {
		started := now.Add(-40 * 24 * 60 * m)
		if n == "core-srv-3" {
			started = now.Add(-19 * m)
		}
		p := g.pod("", []string{"0", "1", "2"}[i], n, started, running("mariadb-galera", started, 0, false))
		gPods = append(gPods, p)
		objs = append(objs, p.object(), pvc("mariadb", "data-mariadb-galera-"+[]string{"0", "1", "2"}[i], "longhorn", "20Gi", "Bound", "pvc-"+uid("PVC", "mariadb", n)[:18], g.created, g.labels))
	}
	objs = append(objs, service("mariadb", "mariadb-galera", g.labels, 3306, 3306, g.created, ""), endpoints("mariadb", "mariadb-galera", 3306, g.created, nil, gPods))
	api := workload{kind: "Deployment", namespace: "loyalty", name: "loyalty-api", replicas: 2, ready: 2,
		labels:     map[string]string{"app": "loyalty-api"},
		containers: []ctr{{name: "puma", image: registry + "/loyalty-api:3.9.0", reqCPU: "300m", reqMem: "512Mi", limMem: "1Gi", ports: []int{3000}}},
		created:    now.Add(-300 * 24 * 60 * m)}
	ah := "6b8d7c5f49"
	a1 := api.pod(ah, "tq2mz", "core-srv-1", now.Add(-6*24*60*m), running("puma", now.Add(-6*24*60*m), 0, true))
	a2 := api.pod(ah, "xw9bd", "core-srv-2", now.Add(-6*24*60*m), running("puma", now.Add(-6*24*60*m), 0, true))
	for _, p := range gPods {
		objs = append(objs, event("mariadb", "Pod", p.name, "Warning", "Unhealthy", "Readiness probe failed: ERROR 1047 (08S01) at line 1: WSREP has not yet prepared node for application use", "kubelet", p.node, 96, now.Add(-17*m), now.Add(-9*sec)))
	}
	objs = append(objs, api.object(), api.replicaSet(ah, 2, 2, now.Add(-6*24*60*m), 22), a1.object(), a2.object(),
		event("", "Node", "core-srv-3", "Warning", "Rebooted", "Node core-srv-3 has been rebooted, boot id: 5e0f6b0c-2a7d-4f0e-8d3b-9c1a2e4f6b7d", "kubelet", "core-srv-3", 1, now.Add(-20*m), now.Add(-20*m)))
	start, end := now.Add(-12*m), now.Add(-15*sec)
	var ms []series
	for _, p := range gPods {
		l := map[string]string{"namespace": "mariadb", "pod": p.name, "instance": podIP("mariadb/"+p.name) + ":9104", "job": "mariadb-galera-metrics"}
		ms = append(ms,
			sr("mysql_global_status_wsrep_cluster_size", "gauge", "Generic metric from SHOW GLOBAL STATUS.", l, start, end, flat(1)),
			sr("mysql_global_status_wsrep_ready", "gauge", "Generic metric from SHOW GLOBAL STATUS.", l, start, end, flat(0)))
	}
	ms = append(ms, sr("http_server_requests_total", "counter", "Requests served by the Rails app.", map[string]string{"namespace": "loyalty", "service": "loyalty-api", "status": "500"}, start, end, linear(3120, 21)))
	prevGalera := at(now.Add(-19*m),
		0*sec, `2026-12-06  1:59:00 0 [Note] WSREP: gcomm: connecting to group 'galera', peer 'mariadb-galera-headless.mariadb.svc.cluster.local:'`,
		3*sec, `2026-12-06  1:59:03 0 [Note] WSREP: view(view_id(NON_PRIM,1f0a3b7e-9c21,17) memb {`,
		3*sec, `	1f0a3b7e-9c21,0`,
		3*sec, `} joined {`,
		3*sec, `} left {`,
		3*sec, `} partitioned {`,
		3*sec, `	6a2c5d11-b7e4,0`,
		3*sec, `	c9e81f42-0d3a,0`,
		3*sec, `})`,
		4*sec, `2026-12-06  1:59:04 0 [Note] WSREP: New COMPONENT: primary = no, bootstrap = no, my_idx = 0, memb_num = 1`,
		5*sec, `2026-12-06  1:59:05 0 [Warning] WSREP: no nodes coming from prim view, prim not possible`,
		17*m, `2026-12-06  2:16:00 0 [Note] WSREP: Received NON-PRIMARY.`,
	)
	return &incident{
		name: "h11-galera-loses-quorum-after-rack-reboot-rails-errors",
		description: `core-srv-3 rebooted during a rack PDU swap and the Galera members on core-srv-1 and
core-srv-2 partitioned from each other in the same minute. Every member is now in a
non-primary component and refuses queries; the Rails loyalty API returns 500s with WSREP
errors. The alert is on the API; the database cluster needs a bootstrap.`,
		source: "https://github.com/mariadb-corporation/galera/issues/680",
		now:    now,
		alert: alert{labels: map[string]string{"alertname": "LoyaltyAPIErrorRate", "namespace": "loyalty", "service": "loyalty-api", "severity": "critical", "prometheus": promInstance},
			annotations: annotations("loyalty-api 5xx ratio above 5%", "loyalty-api answers 5xx for 38% of requests."),
			startsAt:    now.Add(-14 * m), value: 0.38,
			query: `sum(rate(http_server_requests_total{service="loyalty-api",status=~"5.."}[5m])) / sum(rate(http_server_requests_total{service="loyalty-api"}[5m])) > 0.05`},
		expect:  expect{category: "DependencyFailure", namespace: "mariadb", kind: "StatefulSet", name: "mariadb-galera", mentions: []string{"WSREP", "mariadb-galera"}},
		objects: objs,
		logs: []logFile{
			{namespace: "mariadb", pod: "mariadb-galera-0", container: "mariadb-galera", lines: prevGalera},
			{namespace: "loyalty", pod: a1.name, container: "puma", lines: at(now.Add(-4*m),
				0*sec, `I, [2026-12-06T02:14:00.018 #1]  INFO -- : [c1a4] Started POST "/v1/points/earn" for 10.42.1.9 at 2026-12-06 02:14:00 +0000`,
				0*sec, `E, [2026-12-06T02:14:00.031 #1] ERROR -- : [c1a4] ActiveRecord::StatementInvalid (Mysql2::Error: WSREP has not yet prepared node for application use):`,
				0*sec, `E, [2026-12-06T02:14:00.031 #1] ERROR -- : [c1a4] app/models/points_ledger.rb:44:in 'PointsLedger.credit!'`,
				0*sec, `I, [2026-12-06T02:14:00.032 #1]  INFO -- : [c1a4] Completed 500 Internal Server Error in 13ms (ActiveRecord: 2.9ms | Allocations: 2011)`,
				1*m, `W, [2026-12-06T02:15:00.200 #1]  WARN -- : DEPRECATION WARNING: ActiveSupport::ProxyObject is deprecated and will be removed in Rails 8.1`,
			)},
		},
		metrics: ms,
	}
}

func minioServiceNoEndpoints() *incident {
	now := mustTime("2026-12-06T13:37:00Z")
	tenant := workload{kind: "StatefulSet", namespace: "minio-tenant", name: "media-pool-0", replicas: 4, ready: 4,
		labels:     map[string]string{"v1.min.io/tenant": "media", "v1.min.io/pool": "pool-0"},
		containers: []ctr{{name: "minio", image: "quay.io/minio/minio:RELEASE.2026-10-12T00-00-00Z", reqCPU: "1", reqMem: "8Gi", limMem: "8Gi", ports: []int{9000}}},
		created:    now.Add(-250 * 24 * 60 * m)}
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, tenant.object())
	for i, suffix := range []string{"0", "1", "2", "3"} {
		p := tenant.pod("", suffix, coreNodes[i%3], now.Add(-20*24*60*m), running("minio", now.Add(-20*24*60*m), 0, true))
		objs = append(objs, p.object())
	}
	svc := service("minio-tenant", "minio", map[string]string{"v1.min.io/tenant": "media", "v1.min.io/pool": "pool-1"}, 443, 9000, tenant.created, "")
	up := workload{kind: "Deployment", namespace: "media", name: "media-upload", replicas: 2, ready: 2,
		labels:     map[string]string{"app": "media-upload"},
		containers: []ctr{{name: "koa", image: registry + "/media-upload:2.6.1", reqCPU: "100m", reqMem: "128Mi", limMem: "256Mi", ports: []int{3000}, env: []obj{envVal("S3_ENDPOINT", "https://minio.minio-tenant.svc:443")}}},
		created:    now.Add(-180 * 24 * 60 * m)}
	uh := "5d9c7b8f6a"
	u1 := up.pod(uh, "bk6qs", "core-srv-1", now.Add(-2*24*60*m), running("koa", now.Add(-2*24*60*m), 0, true))
	u2 := up.pod(uh, "r3vnx", "core-srv-3", now.Add(-2*24*60*m), running("koa", now.Add(-2*24*60*m), 0, true))
	clusterIP := svc["spec"].(obj)["clusterIP"].(string)
	objs = append(objs, svc, endpoints("minio-tenant", "minio", 9000, tenant.created, nil, nil),
		up.object(), up.replicaSet(uh, 2, 2, now.Add(-2*24*60*m), 15), u1.object(), u2.object(),
		event("flux-system", "Kustomization", "infra-minio", "Normal", "ReconciliationSucceeded", "Reconciliation finished in 1.204s, next run in 10m0s", "kustomize-controller", "", 1, now.Add(-27*m), now.Add(-27*m)),
		event("media", "Pod", u2.name, "Warning", "Unhealthy", "Readiness probe failed: Get \"http://"+podIP("media/"+u2.name)+":3000/ready\": context deadline exceeded", "kubelet", "core-srv-3", 1, now.Add(-2*24*60*m), now.Add(-2*24*60*m)),
	)
	logs := []logFile{{namespace: "media", pod: u1.name, container: "koa", lines: at(now.Add(-5*m),
		0*sec, `  <-- POST /uploads/0417/shelf-photo`,
		0*sec, `Error: connect ECONNREFUSED `+clusterIP+`:443`,
		0*sec, `    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {`,
		0*sec, `  errno: -111, code: 'ECONNREFUSED', syscall: 'connect', address: '`+clusterIP+`', port: 443, '$metadata': { attempts: 3, totalRetryDelay: 412 }`,
		0*sec, `}`,
		0*sec, `  --> POST /uploads/0417/shelf-photo 500 451ms -`,
		40*sec, `  <-- GET /healthz`,
		40*sec, `  --> GET /healthz 200 1ms 2b`,
		70*sec, `  <-- POST /uploads/0388/price-tag`,
		70*sec, `Error: connect ECONNREFUSED `+clusterIP+`:443`,
		70*sec, `  --> POST /uploads/0388/price-tag 500 433ms -`,
	)}}
	return &incident{
		name: "h11-minio-service-selects-decommissioned-pool",
		description: `A Flux patch meant for the pool-1 expansion (rolled back last week) still pins the minio
Service selector to v1.min.io/pool=pool-1. The tenant's pool-0 servers are healthy, but the
Service has no endpoints and the Koa upload service gets ECONNREFUSED. An old readiness
warning on one upload pod is two days old.`,
		source: "https://github.com/prometheus-operator/prometheus-operator/issues/4408",
		now:    now,
		alert: alert{labels: grafanaAlert("Media uploads failing", "Media", "namespace", "media", "service", "media-upload", "severity", "critical"),
			annotations: annotations("Uploads to media-upload fail", "More than 20% of POST /uploads return 5xx for 5 minutes."),
			startsAt:    now.Add(-8 * m), value: 0.92,
			query: `sum(rate(koa_http_requests_total{service="media-upload",status=~"5.."}[5m])) / sum(rate(koa_http_requests_total{service="media-upload"}[5m]))`},
		expect:  expect{category: "DependencyFailure", namespace: "minio-tenant", kind: "Service", name: "minio", mentions: []string{"ECONNREFUSED", "endpoints"}},
		objects: objs,
		logs:    logs,
		metrics: []series{
			sr("koa_http_requests_total", "counter", "HTTP requests served.", map[string]string{"namespace": "media", "service": "media-upload", "status": "500", "method": "POST"}, now.Add(-10*m), now.Add(-15*sec), linear(140, 1.4)),
			sr("koa_http_requests_total", "counter", "HTTP requests served.", map[string]string{"namespace": "media", "service": "media-upload", "status": "200", "method": "POST"}, now.Add(-10*m), now.Add(-15*sec), flat(9120)),
			sr("kube_endpoint_address", "gauge", "Information about Endpoint available and non available addresses.", map[string]string{"namespace": "minio-tenant", "endpoint": "minio", "ready": "true"}, now.Add(-10*m), now.Add(-15*sec), flat(0)),
		},
	}
}

func corednsCustomForward() *incident {
	now := mustTime("2026-12-07T09:02:00Z")
	dns := workload{kind: "Deployment", namespace: "kube-system", name: "coredns", replicas: 1, ready: 1,
		labels:     map[string]string{"k8s-app": "kube-dns"},
		containers: []ctr{{name: "coredns", image: "rancher/mirrored-coredns-coredns:1.11.3", reqCPU: "100m", reqMem: "70Mi", limMem: "170Mi", ports: []int{53, 9153}}},
		created:    now.Add(-400 * 24 * 60 * m)}
	dh := "ccb96694c"
	dp := dns.pod(dh, "q7z2d", "core-srv-1", now.Add(-3*24*60*m), running("coredns", now.Add(-3*24*60*m), 0, true))
	custom := configMap("kube-system", "coredns-custom", map[string]string{"core.server": "core.lan:53 {\n    errors\n    cache 30\n    forward . 10.20.0.53\n}\n"}, now.Add(-3*24*60*m))
	sc := workload{kind: "Deployment", namespace: "flux-system", name: "source-controller", replicas: 1, ready: 1,
		labels:     map[string]string{"app": "source-controller"},
		containers: []ctr{{name: "manager", image: "ghcr.io/fluxcd/source-controller:v1.4.1", reqCPU: "50m", reqMem: "64Mi", limMem: "1Gi", ports: []int{9090}}},
		created:    now.Add(-400 * 24 * 60 * m)}
	sh := "7f9c6b8d54"
	sp := sc.pod(sh, "fz8wq", "core-srv-2", now.Add(-8*24*60*m), running("manager", now.Add(-8*24*60*m), 0, true))
	dnsIP := podIP("kube-system/" + dp.name)
	errLine := func(q string, port int) string {
		return `[ERROR] plugin/errors: 2 ` + q + ` read udp ` + dnsIP + `:` + strconv.Itoa(port) + `->10.20.0.53:53: i/o timeout`
	}
	gitErr := `failed to checkout and determine revision: unable to clone 'https://gitea.core.lan/platform/fleet.git': Get "https://gitea.core.lan/platform/fleet.git/info/refs?service=git-upload-pack": dial tcp: lookup gitea.core.lan on 10.43.0.10:53: read udp ` + podIP("flux-system/"+sp.name) + `:41822->10.43.0.10:53: i/o timeout`
	start, end := now.Add(-10*m), now.Add(-15*sec)
	return &incident{
		name: "h11-coredns-custom-zone-forwards-to-retired-dns-vm",
		description: `The core.lan DNS VM moved from 10.20.0.53 to 10.20.0.54 during a rack change, but the
coredns-custom ConfigMap's core.lan server block still forwards there. Every lookup of an
internal name times out in CoreDNS, so Flux cannot fetch its GitRepository from Gitea.
Public names resolve fine; the alert is on Flux.`,
		source: "https://github.com/coredns/coredns/issues/7069",
		now:    now,
		alert: alert{labels: map[string]string{"alertname": "FluxReconciliationFailure", "namespace": "flux-system", "kind": "GitRepository", "name": "fleet",
			"exported_namespace": "flux-system", "severity": "warning", "prometheus": promInstance},
			annotations: annotations("GitRepository flux-system/fleet reconciliation has been failing for more than ten minutes.", "GitRepository fleet is not ready."),
			startsAt:    now.Add(-9 * m), value: 1, query: `max(gotk_reconcile_condition{status="False",type="Ready"}) by (exported_namespace, name, kind) + on(exported_namespace, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (exported_namespace, name, kind)) * 2 == 1`},
		expect: expect{category: "DNSFailure", namespace: "kube-system", kind: "Deployment", name: "coredns", mentions: []string{"i/o timeout", "gitea.core.lan"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), dns.object(), dns.replicaSet(dh, 1, 1, now.Add(-3*24*60*m), 3), dp.object(), custom,
			configMap("kube-system", "coredns", map[string]string{"Corefile": ".:53 {\n    errors\n    health\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    hosts /etc/coredns/NodeHosts {\n      ttl 60\n      reload 15s\n      fallthrough\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n    import /etc/coredns/custom/*.override\n}\nimport /etc/coredns/custom/*.server\n"}, now.Add(-400*24*60*m)),
			sc.object(), sc.replicaSet(sh, 1, 1, now.Add(-8*24*60*m), 6), sp.object(),
			service("kube-system", "kube-dns", dns.labels, 53, 53, dns.created, ""), endpoints("kube-system", "kube-dns", 53, dns.created, []pod{dp}, nil),
			event("flux-system", "GitRepository", "fleet", "Warning", "GitOperationFailed", gitErr, "source-controller", "", 14, now.Add(-26*m), now.Add(-1*m)),
			event("flux-system", "HelmRepository", "bitnami", "Normal", "ArtifactUpToDate", "artifact up-to-date with remote revision: 'sha256:7c1e0a6a'", "source-controller", "", 3, now.Add(-60*m), now.Add(-5*m)),
		),
		logs: []logFile{
			{namespace: "kube-system", pod: dp.name, container: "coredns", lines: at(now.Add(-6*m),
				0*sec, errLine("gitea.core.lan. A:", 38112),
				0*sec, errLine("gitea.core.lan. AAAA:", 51690),
				2*sec, errLine("zot.core.lan. A:", 44017),
				60*sec, errLine("gitea.core.lan. A:", 59301),
				4*m, errLine("gitea.core.lan. A:", 33428),
			)},
			{namespace: "flux-system", pod: sp.name, container: "manager", lines: at(now.Add(-3*m),
				0*sec, `{"level":"error","ts":"2026-12-07T08:59:00.512Z","msg":"Reconciler error","controller":"gitrepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"GitRepository","GitRepository":{"name":"fleet","namespace":"flux-system"},"error":"`+jsonEscape(gitErr)+`"}`,
				30*sec, `{"level":"info","ts":"2026-12-07T08:59:30.003Z","msg":"no changes since last reconcilation: observed revision 'sha256:7c1e0a6a'","controller":"helmrepository","HelmRepository":{"name":"bitnami","namespace":"flux-system"}}`,
			)},
		},
		metrics: []series{
			sr("coredns_dns_responses_total", "counter", "Counter of response status codes.", map[string]string{"server": "dns://:53", "zone": "core.lan.", "rcode": "SERVFAIL", "pod": dp.name}, start, end, linear(410, 2)),
			sr("coredns_dns_responses_total", "counter", "Counter of response status codes.", map[string]string{"server": "dns://:53", "zone": ".", "rcode": "NOERROR", "pod": dp.name}, start, end, linear(881200, 240)),
			sr("coredns_forward_requests_total", "counter", "Counter of requests made per upstream.", map[string]string{"to": "10.20.0.53:53", "pod": dp.name}, start, end, linear(1980, 6)),
			sr("coredns_forward_responses_total", "counter", "Counter of responses received per upstream.", map[string]string{"to": "10.20.0.53:53", "rcode": "NOERROR", "pod": dp.name}, start, end, flat(1170)),
		},
	}
}

// jsonEscape escapes s for embedding in a JSON string, as a JSON logger would.
func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
