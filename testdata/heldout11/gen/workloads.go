package main

// Incidents whose responsible object is the alerted workload itself.

func incidents() []*incident {
	return []*incident{
		horizonOOM(), zioOOMNoMetrics(), servantHeadEmptyList(), goConcurrentMapWrites(),
		litestarReadinessPath(), vertxBlockedEventLoop(), giteaTokenScope(), keycloakKeyMaterial(),
		fluxSubstitutionLiteral(), minioPoolInsufficientMemory(), svclbPortConflict(), edgeNodeWANNotReady(),
		imageGCDiskPressure(), traefikThrottled(), galeraNonPrimary(), minioServiceNoEndpoints(),
		corednsCustomForward(), vertxClassVersion(), hapiMissingModule(), galeraPVCFull(),
		natsJetStreamFull(), loyaltyVendorHostname(), keycloakLoginStorm(), galeraBackupAccessDenied(),
		expirePointsDeadlock(), cronEveryMinuteChurn(), unknownProbeFlapRecovered(), unknownNotReadyNoEvidence(),
		unknownLonghornDegradedDrain(), kedaAtMaxSaturdayBacklog(), rakeTaskReleaseBadDeploy(),
	}
}

func horizonOOM() *incident {
	now := mustTime("2026-11-21T14:32:00Z")
	w := workload{kind: "Deployment", namespace: "loyalty", name: "loyalty-horizon", replicas: 2, ready: 1,
		labels: map[string]string{"app.kubernetes.io/name": "loyalty-horizon", "app.kubernetes.io/part-of": "loyalty"},
		containers: []ctr{{name: "horizon", image: registry + "/loyalty:4.12.0", reqCPU: "250m", reqMem: "256Mi", limMem: "512Mi",
			args: []string{"php", "artisan", "horizon"}}}, created: now.Add(-20 * 24 * 60 * m)}
	hash := "6f8d9c7b54"
	p1 := w.pod(hash, "q2w7k", "core-srv-2", now.Add(-3*60*m),
		crashLooping("horizon", "loyalty-horizon-6f8d9c7b54-q2w7k", 5, terminated("OOMKilled", 137, now.Add(-4*m-10*sec), now.Add(-2*m-5*sec))))
	p2 := w.pod(hash, "r8x4n", "core-srv-3", now.Add(-3*60*m),
		cstat{name: "horizon", state: "running", started: now.Add(-9 * m), restarts: 2, ready: true,
			last: &cstat{state: "terminated", reason: "OOMKilled", exitCode: 137, started: now.Add(-16 * m), finish: now.Add(-9*m - 3*sec)}})
	web := workload{kind: "Deployment", namespace: "loyalty", name: "loyalty-web", replicas: 3, ready: 3,
		labels:     map[string]string{"app.kubernetes.io/name": "loyalty-web", "app.kubernetes.io/part-of": "loyalty"},
		containers: []ctr{{name: "php-fpm", image: registry + "/loyalty:4.12.0", reqCPU: "200m", reqMem: "192Mi", limMem: "384Mi", ports: []int{9000}}},
		created:    w.created}
	webPod := web.pod("5c7b9d8f6d", "mk2zt", "core-srv-1", now.Add(-3*60*m), running("php-fpm", now.Add(-3*60*m), 0, true))
	start, end := now.Add(-10*m), now.Add(-15*sec)
	return &incident{
		name: "h11-horizon-worker-oomkilled-on-points-export-batch",
		description: `The Laravel Horizon workers of the loyalty app are OOMKilled at their 512Mi limit while
they run the nightly ExportPointsLedger job for the regional stores, restart and pick the
same job up again. The web pods are fine; an HPA metrics warning on loyalty-web is noise.`,
		source: "https://github.com/laravel/horizon/issues/599",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodCrashLooping", "loyalty", p1.name, "horizon", "warning"),
			annotations: runbook("Pod is crash looping.", "Pod loyalty/"+p1.name+" (horizon) is in waiting state (reason: \"CrashLoopBackOff\").", "kubepodcrashlooping"),
			startsAt:    now.Add(-6 * m), value: 1,
			query: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`},
		expect: expect{category: "OOMKilled", namespace: "loyalty", kind: "Deployment", name: "loyalty-horizon",
			mentions: []string{"OOMKilled", "512Mi"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)),
			w.object(), w.replicaSet(hash, 2, 1, now.Add(-3*60*m), 14), p1.object(), p2.object(),
			web.object(), web.replicaSet("5c7b9d8f6d", 3, 3, now.Add(-3*60*m), 14), webPod.object(),
			event("loyalty", "Pod", p1.name, "Warning", "BackOff", "Back-off restarting failed container horizon in pod "+p1.name+"_loyalty("+uid("Pod", "loyalty", p1.name)+")",
				"kubelet", "core-srv-2", 19, now.Add(-25*m), now.Add(-40*sec)),
			event("loyalty", "Pod", p1.name, "Normal", "Pulled", `Container image "`+registry+`/loyalty:4.12.0" already present on machine`,
				"kubelet", "core-srv-2", 6, now.Add(-28*m), now.Add(-2*m)),
			event("loyalty", "HorizontalPodAutoscaler", "loyalty-web", "Warning", "FailedGetResourceMetric",
				"failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
				"horizontal-pod-autoscaler", "", 3, now.Add(-50*m), now.Add(-12*m)),
		),
		logs: []logFile{
			{namespace: "loyalty", pod: p1.name, container: "horizon", previous: true, lines: at(now.Add(-4*m-10*sec),
				0*sec, "",
				1*sec, "   INFO  Horizon started successfully.",
				2*sec, "",
				4*sec, "  2026-11-21 14:28:04 App\\Jobs\\SyncStoreBalances ........................ RUNNING",
				5*sec, "  2026-11-21 14:28:05 App\\Jobs\\SyncStoreBalances .................. 412.08ms DONE",
				6*sec, "  2026-11-21 14:28:06 App\\Jobs\\ExportPointsLedger ....................... RUNNING",
			)},
			{namespace: "loyalty", pod: p2.name, container: "horizon", lines: at(now.Add(-9*m),
				0*sec, "   INFO  Horizon started successfully.",
				3*sec, "  2026-11-21 14:23:03 App\\Jobs\\RecalculateTier ........................ RUNNING",
				4*sec, "  2026-11-21 14:23:04 App\\Jobs\\RecalculateTier .................. 88.51ms DONE",
				5*m, "  2026-11-21 14:28:00 App\\Jobs\\SyncStoreBalances ........................ RUNNING",
				5*m+sec, "  2026-11-21 14:28:01 App\\Jobs\\SyncStoreBalances .................. 377.90ms DONE",
			)},
		},
		metrics: []series{
			sr("container_memory_working_set_bytes", "gauge", helpWorkingSet, cl("loyalty", p1.name, "horizon"), start, end, sawtooth(180e6, 14e6, 26)),
			sr("container_memory_working_set_bytes", "gauge", helpWorkingSet, cl("loyalty", p2.name, "horizon"), start, end, linear(150e6, 1.2e6)),
			sr("kube_pod_container_resource_limits", "gauge", helpLimits, cl("loyalty", p1.name, "horizon", "resource", "memory", "unit", "byte"), start, end, flat(536870912)),
			sr("kube_pod_container_status_restarts_total", "counter", helpRestarts, cl("loyalty", p1.name, "horizon"), start, end, stepAt(26, 4, 5)),
			sr("kube_pod_container_status_last_terminated_reason", "gauge", "Describes the last reason the container was in terminated state.",
				cl("loyalty", p1.name, "horizon", "reason", "OOMKilled"), start, end, flat(1)),
			sr("container_memory_working_set_bytes", "gauge", helpWorkingSet, cl("loyalty", webPod.name, "php-fpm"), start, end, flat(141e6)),
		},
	}
}

func zioOOMNoMetrics() *incident {
	now := mustTime("2026-11-24T06:11:00Z")
	w := workload{kind: "Deployment", namespace: "inventory-sync", name: "stock-reconciler", replicas: 1, ready: 0,
		labels: map[string]string{"app": "stock-reconciler"},
		containers: []ctr{{name: "reconciler", image: registry + "/stock-reconciler:2.3.1", reqCPU: "500m", reqMem: "512Mi", limMem: "768Mi",
			env: []obj{envVal("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=90"), envVal("RECONCILE_BATCH", "all-stores")}}},
		created: now.Add(-60 * 24 * 60 * m)}
	hash := "84f6c9d5b7"
	p := w.pod(hash, "x9pqd", "core-srv-1", now.Add(-2*60*m),
		crashLooping("reconciler", "stock-reconciler-84f6c9d5b7-x9pqd", 7, terminated("OOMKilled", 137, now.Add(-5*m), now.Add(-3*m-20*sec))))
	return &incident{
		name: "h11-zio-stock-reconciler-oomkilled-without-metrics",
		description: `The Scala ZIO stock reconciler loads every store's SKU table at once after the batch
setting was switched to all-stores; the JVM may grow to 90% of the 768Mi limit and the
container is OOMKilled before the heap limit is reached. No metrics were scraped; the
previous log stops mid-batch without an OutOfMemoryError.`,
		source: "https://github.com/IBM/event-streams/issues/7",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodCrashLooping", "inventory-sync", p.name, "reconciler", "warning"),
			annotations: runbook("Pod is crash looping.", "Pod inventory-sync/"+p.name+" (reconciler) is in waiting state (reason: \"CrashLoopBackOff\").", "kubepodcrashlooping"),
			startsAt:    now.Add(-9 * m), value: 1,
			query: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`},
		expect: expect{category: "OOMKilled", namespace: "inventory-sync", kind: "Deployment", name: "stock-reconciler",
			mentions: []string{"OOMKilled", "768Mi"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), w.object(), w.replicaSet(hash, 1, 0, now.Add(-2*60*m), 9), p.object(),
			event("inventory-sync", "Pod", p.name, "Warning", "BackOff", "Back-off restarting failed container reconciler in pod "+p.name+"_inventory-sync("+uid("Pod", "inventory-sync", p.name)+")",
				"kubelet", "core-srv-1", 31, now.Add(-50*m), now.Add(-1*m))),
		logs: []logFile{{namespace: "inventory-sync", pod: p.name, container: "reconciler", previous: true, lines: at(now.Add(-5*m),
			0*sec, `timestamp=2026-11-24T06:06:00.412Z level=INFO thread=#zio-fiber-1 message="Starting stock-reconciler 2.3.1 (batch=all-stores)"`,
			2*sec, `timestamp=2026-11-24T06:06:02.118Z level=INFO thread=#zio-fiber-9 message="Connected to mariadb-galera.mariadb.svc:3306 pool=hikari-1"`,
			3*sec, `timestamp=2026-11-24T06:06:03.020Z level=INFO thread=#zio-fiber-12 message="Loading SKU snapshots for 214 stores"`,
			40*sec, `timestamp=2026-11-24T06:06:40.771Z level=INFO thread=#zio-fiber-12 message="Loaded 61 of 214 store snapshots (1840211 rows)"`,
			81*sec, `timestamp=2026-11-24T06:07:21.309Z level=INFO thread=#zio-fiber-12 message="Loaded 118 of 214 store snapshots (3590448 rows)"`,
		)}},
	}
}

func servantHeadEmptyList() *incident {
	now := mustTime("2026-11-25T10:45:00Z")
	w := workload{kind: "Deployment", namespace: "pos", name: "price-rules", replicas: 2, ready: 0,
		labels:     map[string]string{"app": "price-rules", "tier": "api"},
		containers: []ctr{{name: "price-rules", image: registry + "/price-rules:1.19.2", reqCPU: "100m", reqMem: "128Mi", limMem: "256Mi", ports: []int{8080}}},
		created:    now.Add(-90 * 24 * 60 * m)}
	hash := "7b6d5f9c48"
	mk := func(suffix, node string, restarts int) pod {
		name := "price-rules-" + hash + "-" + suffix
		return w.pod(hash, suffix, node, now.Add(-6*24*60*m),
			crashLooping("price-rules", name, restarts, terminated("Error", 1, now.Add(-3*m), now.Add(-3*m+4*sec))))
	}
	p1, p2 := mk("hv2lc", "core-srv-2", 9), mk("t6zmw", "core-srv-3", 9)
	cm := configMap("pos", "price-rules-promotions", map[string]string{"promotions.json": `{"weekend-bundle":{"tiers":[]},"loyalty-double":{"tiers":[{"min":0,"pct":5}]}}`}, now.Add(-40*m))
	prev := func(p pod) logFile {
		return logFile{namespace: "pos", pod: p.name, container: "price-rules", previous: true, lines: at(now.Add(-3*m),
			0*sec, `[Info] price-rules 1.19.2 listening on port 8080`,
			1*sec, `[Info] loading promotions from /etc/price-rules/promotions.json`,
			2*sec, `[Info] promotion loyalty-double: 1 tier(s)`,
			3*sec, `price-rules: Prelude.head: empty list`,
			3*sec, `CallStack (from HasCallStack):`,
			3*sec, `  error, called at libraries/base/GHC/List.hs:1646:3 in base:GHC.List`,
			3*sec, `  errorEmptyList, called at libraries/base/GHC/List.hs:85:11 in base:GHC.List`,
			3*sec, `  badHead, called at libraries/base/GHC/List.hs:81:28 in base:GHC.List`,
			3*sec, `  head, called at src/PriceRules/Promotion.hs:57:22 in price-rules-1.19.2-inplace:PriceRules.Promotion`,
		)}
	}
	svc := service("pos", "price-rules", w.labels, 80, 8080, w.created, "")
	start, end := now.Add(-12*m), now.Add(-15*sec)
	return &incident{
		name: "h11-servant-price-rules-crash-on-empty-promotion-tiers",
		description: `The Haskell Servant price-rules service crashes at start with "Prelude.head: empty list"
since a promotion with no tiers was added to its ConfigMap 40 minutes ago. No new image
was rolled out: the ReplicaSet is six days old. The POS checkout sees 503s from Traefik.`,
		source: "https://github.com/uds-psl/autosubst2/issues/11",
		now:    now,
		alert: alert{labels: ksmAlert("KubeDeploymentReplicasMismatch", "pos", "", "", "warning"),
			annotations: runbook("Deployment has not matched the expected number of replicas.", "Deployment pos/price-rules has not matched the expected number of replicas for longer than 15 minutes.", "kubedeploymentreplicasmismatch"),
			startsAt:    now.Add(-16 * m), value: 2,
			query: `kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}`},
		expect: expect{category: "CrashLoop", namespace: "pos", kind: "Deployment", name: "price-rules",
			mentions: []string{"Prelude.head: empty list"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), w.object(), w.replicaSet(hash, 2, 0, now.Add(-6*24*60*m), 23), p1.object(), p2.object(), cm, svc,
			endpoints("pos", "price-rules", 8080, w.created, nil, []pod{p1, p2}),
			event("pos", "Pod", p1.name, "Warning", "BackOff", "Back-off restarting failed container price-rules in pod "+p1.name+"_pos("+uid("Pod", "pos", p1.name)+")", "kubelet", "core-srv-2", 44, now.Add(-38*m), now.Add(-50*sec)),
			event("pos", "Pod", p2.name, "Warning", "BackOff", "Back-off restarting failed container price-rules in pod "+p2.name+"_pos("+uid("Pod", "pos", p2.name)+")", "kubelet", "core-srv-3", 41, now.Add(-38*m), now.Add(-70*sec)),
		),
		logs: []logFile{prev(p1), prev(p2)},
		metrics: []series{
			sr("kube_pod_container_status_restarts_total", "counter", helpRestarts, cl("pos", p1.name, "price-rules"), start, end, func(i int) float64 { return float64(6 + i/16) }),
			sr("kube_pod_container_status_restarts_total", "counter", helpRestarts, cl("pos", p2.name, "price-rules"), start, end, func(i int) float64 { return float64(6 + i/16) }),
			sr("kube_deployment_status_replicas_available", "gauge", "The number of available replicas per deployment.", map[string]string{"namespace": "pos", "deployment": "price-rules"}, start, end, flat(0)),
			sr("traefik_service_requests_total", "counter", "How many HTTP requests processed on a service, partitioned by status code, protocol, and method.",
				map[string]string{"service": "pos-price-rules-80@kubernetes", "code": "503", "method": "GET", "protocol": "http"}, start, end, linear(1200, 14)),
		},
	}
}

func goConcurrentMapWrites() *incident {
	now := mustTime("2026-11-26T19:03:00Z")
	w := workload{kind: "DaemonSet", namespace: "pos", name: "terminal-agent", replicas: 4, ready: 3,
		labels:     map[string]string{"app": "terminal-agent"},
		containers: []ctr{{name: "agent", image: registry + "/terminal-agent:0.31.0", reqCPU: "50m", reqMem: "64Mi", limMem: "128Mi"}},
		created:    now.Add(-30 * 24 * 60 * m)}
	bad := w.pod("", "7jz4q", "edge-shop-0417", now.Add(-5*24*60*m),
		crashLooping("agent", "terminal-agent-7jz4q", 12, terminated("Error", 2, now.Add(-6*m), now.Add(-4*m-10*sec))))
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, node{name: "edge-shop-0417", roles: []string{"edge"}, ready: "True", heartbeat: now.Add(-30 * sec), created: now.Add(-200 * 24 * 60 * m), cpu: "4", memory: "8025424Ki"}.object())
	objs = append(objs, w.object(), bad.object())
	var logs []logFile
	for i, n := range coreNodes {
		p := w.pod("", []string{"b2kfm", "d8vnw", "l4rts"}[i], n, now.Add(-5*24*60*m), running("agent", now.Add(-5*24*60*m), 0, true))
		objs = append(objs, p.object())
	}
	objs = append(objs,
		event("pos", "Pod", bad.name, "Warning", "BackOff", "Back-off restarting failed container agent in pod "+bad.name+"_pos("+uid("Pod", "pos", bad.name)+")", "kubelet", "edge-shop-0417", 57, now.Add(-90*m), now.Add(-2*m)),
		event("", "Node", "edge-shop-0417", "Normal", "NodeReady", "Node edge-shop-0417 status is now: NodeReady", "kubelet", "edge-shop-0417", 1, now.Add(-70*m), now.Add(-70*m)),
	)
	logs = append(logs, logFile{namespace: "pos", pod: bad.name, container: "agent", previous: true, lines: at(now.Add(-6*m),
		0*sec, `time=2026-11-26T18:57:00.101Z level=INFO msg="terminal-agent starting" version=0.31.0 store=0417`,
		1*sec, `time=2026-11-26T18:57:01.330Z level=INFO msg="discovered terminals" count=9`,
		2*sec, `time=2026-11-26T18:57:02.004Z level=WARN msg="receipt printer reconnect" terminal=0417-07 attempt=3`,
		110*sec, `fatal error: concurrent map writes`,
		110*sec, ``,
		110*sec, `goroutine 88 [running]:`,
		110*sec, `gitea.core.lan/shop/terminal-agent/internal/fleet.(*Registry).MarkSeen(0xc0001a4000, {0xc00039a0f0, 0x7})`,
		110*sec, `	/src/internal/fleet/registry.go:64 +0x8c`,
		110*sec, `gitea.core.lan/shop/terminal-agent/internal/fleet.(*Poller).poll(0xc0001b2090, {0x9a1c40, 0xc0000b4050}, 0xc00039a0f0)`,
		110*sec, `	/src/internal/fleet/poller.go:112 +0x1f5`,
	)})
	return &incident{
		name: "h11-go-terminal-agent-concurrent-map-writes-on-busy-shop",
		description: `The Go terminal agent DaemonSet crashes with "fatal error: concurrent map writes" on the one
shop node with nine terminals, where two pollers race on the same registry map. The other
three agents run the same image and are healthy; the image has not changed for five days.`,
		source: "https://github.com/fleetdm/fleet/issues/49536",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodCrashLooping", "pos", bad.name, "agent", "warning"),
			annotations: runbook("Pod is crash looping.", "Pod pos/"+bad.name+" (agent) is in waiting state (reason: \"CrashLoopBackOff\").", "kubepodcrashlooping"),
			startsAt:    now.Add(-30 * m), value: 1,
			query: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`},
		expect:  expect{category: "CrashLoop", namespace: "pos", kind: "DaemonSet", name: "terminal-agent", mentions: []string{"concurrent map writes"}},
		objects: objs,
		logs:    logs,
	}
}

func litestarReadinessPath() *incident {
	now := mustTime("2026-11-27T09:20:00Z")
	probe := httpProbe("/healthz", 8000, 10, 2, 3)
	w := workload{kind: "Deployment", namespace: "media", name: "thumb-api", replicas: 3, ready: 2, generation: 8,
		labels:     map[string]string{"app.kubernetes.io/name": "thumb-api"},
		containers: []ctr{{name: "api", image: registry + "/thumb-api:3.4.0", reqCPU: "200m", reqMem: "256Mi", limMem: "512Mi", ports: []int{8000}, readiness: probe}},
		created:    now.Add(-120 * 24 * 60 * m)}
	newHash, oldHash := "59d7c8b6f4", "6c4f8b7d95"
	oldCtr := w.containers[0]
	oldCtr.image = registry + "/thumb-api:3.3.2"
	oldCtr.readiness = httpProbe("/health", 8000, 10, 2, 3)
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, w.object(), w.replicaSet(newHash, 1, 0, now.Add(-14*m), 8), w.replicaSet(oldHash, 2, 2, now.Add(-9*24*60*m), 7, oldCtr))
	newPod := w.pod(newHash, "wq8fj", "core-srv-1", now.Add(-14*m), running("api", now.Add(-14*m), 0, false))
	oldW := w
	oldW.containers = []ctr{oldCtr}
	old1 := oldW.pod(oldHash, "c2hxl", "core-srv-2", now.Add(-9*24*60*m), running("api", now.Add(-9*24*60*m), 0, true))
	old2 := oldW.pod(oldHash, "n7tqz", "core-srv-3", now.Add(-9*24*60*m), running("api", now.Add(-9*24*60*m), 0, true))
	objs = append(objs, newPod.object(), old1.object(), old2.object(),
		service("media", "thumb-api", w.labels, 80, 8000, w.created, ""),
		endpoints("media", "thumb-api", 8000, w.created, []pod{old1, old2}, []pod{newPod}),
		event("media", "Pod", newPod.name, "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 404", "kubelet", "core-srv-1", 82, now.Add(-13*m), now.Add(-8*sec)),
		event("media", "Deployment", "thumb-api", "Normal", "ScalingReplicaSet", "Scaled up replica set thumb-api-"+newHash+" from 0 to 1", "deployment-controller", "", 1, now.Add(-14*m), now.Add(-14*m)),
	)
	logs := []logFile{{namespace: "media", pod: newPod.name, container: "api", lines: at(now.Add(-14*m),
		0*sec, `INFO:     Started server process [1]`,
		0*sec, `INFO:     Waiting for application startup.`,
		1*sec, `INFO:     Application startup complete.`,
		1*sec, `INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)`,
		12*sec, `INFO:     10.42.0.1:40312 - "GET /healthz HTTP/1.1" 404 Not Found`,
		22*sec, `INFO:     10.42.0.1:40330 - "GET /healthz HTTP/1.1" 404 Not Found`,
		32*sec, `INFO:     10.42.0.1:40348 - "GET /healthz HTTP/1.1" 404 Not Found`,
		13*m+50*sec, `INFO:     10.42.0.1:52114 - "GET /healthz HTTP/1.1" 404 Not Found`,
	)}}
	return &incident{
		name: "h11-litestar-thumb-api-readiness-probe-on-removed-path",
		description: `The chart bump for thumb-api 3.4.0 moved the readiness probe to /healthz, but the Litestar
app still serves /health; the new pod answers 404 and never becomes Ready, so the rollout
stalls at one new pod while the two old ones keep serving.`,
		source: "https://github.com/nightscout/nocturne/pull/1163",
		now:    now,
		alert: alert{labels: ksmAlert("KubeDeploymentRolloutStuck", "media", "", "", "warning"),
			annotations: runbook("Deployment rollout is not progressing.", "Rollout of deployment media/thumb-api is not progressing for longer than 10 minutes.", "kubedeploymentrolloutstuck"),
			startsAt:    now.Add(-4 * m), value: 1,
			query: `kube_deployment_status_condition{condition="Progressing", status="false",job="kube-state-metrics"} != 0 or kube_deployment_status_replicas_updated != kube_deployment_spec_replicas`},
		expect:  expect{category: "ProbeFailure", namespace: "media", kind: "Deployment", name: "thumb-api", mentions: []string{"readiness", "404"}},
		objects: objs,
		logs:    logs,
		metrics: []series{
			sr("kube_pod_container_status_ready", "gauge", helpReady, cl("media", newPod.name, "api"), now.Add(-12*m), now.Add(-15*sec), flat(0)),
			sr("kube_pod_container_status_ready", "gauge", helpReady, cl("media", old1.name, "api"), now.Add(-12*m), now.Add(-15*sec), flat(1)),
			sr("kube_deployment_status_replicas_updated", "gauge", "The number of updated replicas per deployment.", map[string]string{"namespace": "media", "deployment": "thumb-api"}, now.Add(-12*m), now.Add(-15*sec), flat(1)),
		},
	}
}

func vertxBlockedEventLoop() *incident {
	now := mustTime("2026-11-28T12:40:00Z")
	live := httpProbe("/health/live", 8080, 10, 1, 3)
	w := workload{kind: "Deployment", namespace: "inventory-sync", name: "stock-gateway", replicas: 2, ready: 1,
		labels: map[string]string{"app": "stock-gateway"},
		containers: []ctr{{name: "gateway", image: registry + "/stock-gateway:5.2.0", reqCPU: "500m", reqMem: "512Mi", limMem: "1Gi", ports: []int{8080},
			liveness: live, readiness: httpProbe("/health/ready", 8080, 10, 1, 3)}},
		created: now.Add(-45 * 24 * 60 * m)}
	hash := "5b9f7c6d84"
	p1 := w.pod(hash, "f4ksd", "core-srv-2", now.Add(-26*60*m),
		cstat{name: "gateway", state: "running", started: now.Add(-3 * m), restarts: 6, ready: false,
			last: &cstat{state: "terminated", reason: "Error", exitCode: 143, started: now.Add(-9 * m), finish: now.Add(-3*m - 2*sec)}})
	p2 := w.pod(hash, "m2zbn", "core-srv-3", now.Add(-26*60*m), running("gateway", now.Add(-26*60*m), 0, true))
	previous := at(now.Add(-9*m),
		0*sec, `12:31:00.211 [main] INFO  i.v.c.i.launcher.commands.VertxIsolatedDeployer - Succeeded in deploying verticle`,
		4*m, `12:35:00.018 [vert.x-eventloop-thread-1] INFO  c.s.stock.ExportHandler - CSV export requested store=all rows=2214871`,
		4*m+3*sec, `12:35:03.020 [vertx-blocked-thread-checker] WARN  i.v.core.impl.BlockedThreadChecker - Thread Thread[vert.x-eventloop-thread-1,5,main] has been blocked for 2811 ms, time limit is 2000 ms`,
		4*m+4*sec, `12:35:04.020 [vertx-blocked-thread-checker] WARN  i.v.core.impl.BlockedThreadChecker - Thread Thread[vert.x-eventloop-thread-1,5,main] has been blocked for 3812 ms, time limit is 2000 ms`,
		4*m+6*sec, `12:35:06.021 [vertx-blocked-thread-checker] WARN  i.v.core.impl.BlockedThreadChecker - Thread Thread[vert.x-eventloop-thread-1,5,main] has been blocked for 5813 ms, time limit is 2000 ms`,
		4*m+6*sec, `io.vertx.core.VertxException: Thread blocked`,
		4*m+6*sec, `	at java.base/java.io.BufferedWriter.write(BufferedWriter.java:234)`,
		4*m+6*sec, `	at com.shop.stock.ExportHandler.writeRows(ExportHandler.java:88)`,
		5*m+50*sec, `12:36:50.021 [vertx-blocked-thread-checker] WARN  i.v.core.impl.BlockedThreadChecker - Thread Thread[vert.x-eventloop-thread-1,5,main] has been blocked for 109814 ms, time limit is 2000 ms`,
		5*m+58*sec, `12:36:58.004 [SIGTERM handler] INFO  c.s.stock.Main - shutting down`,
	)
	return &incident{
		name: "h11-vertx-stock-gateway-liveness-kills-blocked-event-loop",
		description: `A CSV export handler in the Vert.x stock gateway writes millions of rows on the event loop;
the loop is blocked for minutes, the liveness probe with a 1 s timeout fails three times and
the kubelet kills the container (exit 143). The other replica serves alone.`,
		source: "https://github.com/eclipse-hono/hono/pull/749",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodNotReady", "inventory-sync", p1.name, "", "warning"),
			annotations: runbook("Pod has been in a non-ready state for more than 15 minutes.", "Pod inventory-sync/"+p1.name+" has been in a non-ready state for longer than 15 minutes.", "kubepodnotready"),
			startsAt:    now.Add(-2 * m), value: 1,
			query: `sum by (namespace, pod) (max by(namespace, pod) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`},
		expect: expect{category: "ProbeFailure", namespace: "inventory-sync", kind: "Deployment", name: "stock-gateway", mentions: []string{"liveness", "blocked"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), w.object(), w.replicaSet(hash, 2, 1, now.Add(-26*60*m), 12), p1.object(), p2.object(),
			event("inventory-sync", "Pod", p1.name, "Warning", "Unhealthy", "Liveness probe failed: Get \"http://"+podIP("inventory-sync/"+p1.name)+":8080/health/live\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "kubelet", "core-srv-2", 18, now.Add(-70*m), now.Add(-3*m-10*sec)),
			event("inventory-sync", "Pod", p1.name, "Normal", "Killing", "Container gateway failed liveness probe, will be restarted", "kubelet", "core-srv-2", 6, now.Add(-68*m), now.Add(-3*m-5*sec)),
		),
		logs: []logFile{{namespace: "inventory-sync", pod: p1.name, container: "gateway", previous: true, lines: previous}},
		metrics: []series{
			sr("vertx_eventloop_blocked_seconds_total", "counter", "Time event loop threads spent blocked.", map[string]string{"namespace": "inventory-sync", "pod": p1.name}, now.Add(-10*m), now.Add(-15*sec), func(i int) float64 {
				if i < 16 {
					return 410
				}
				return 410 + 15*float64(i-16)
			}),
			sr("kube_pod_container_status_restarts_total", "counter", helpRestarts, cl("inventory-sync", p1.name, "gateway"), now.Add(-10*m), now.Add(-15*sec), stepAt(28, 5, 6)),
		},
	}
}
