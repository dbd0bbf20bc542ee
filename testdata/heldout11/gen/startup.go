package main

// Incidents where pods do not start or are not placed.

func giteaTokenScope() *incident {
	now := mustTime("2026-11-29T08:15:00Z")
	w := workload{kind: "Deployment", namespace: "pos", name: "pos-sync", replicas: 2, ready: 2, generation: 31,
		labels:     map[string]string{"app": "pos-sync"},
		containers: []ctr{{name: "sync", image: registry + "/pos-sync:1.8.0", reqCPU: "100m", reqMem: "128Mi", limMem: "256Mi", ports: []int{8080}}},
		created:    now.Add(-300 * 24 * 60 * m)}
	newHash, oldHash := "7dc95f8b6a", "58b7f6c9d4"
	oldCtr := w.containers[0]
	oldCtr.image = registry + "/pos-sync:1.7.4"
	oldW := w
	oldW.containers = []ctr{oldCtr}
	ref := registry + "/pos-sync:1.8.0"
	msg := `Failed to pull image "` + ref + `": failed to pull and unpack image "` + ref + `": failed to resolve reference "` + ref +
		`": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://gitea.core.lan/v2/token?scope=repository%3Ashop%2Fpos-sync%3Apull&service=container_registry: 401 Unauthorized`
	np := w.pod(newHash, "kq4vx", "core-srv-3", now.Add(-22*m), cstat{name: "sync", state: "waiting", reason: "ImagePullBackOff",
		message: `Back-off pulling image "` + ref + `"`, image: ref})
	np.phase = "Pending"
	o1 := oldW.pod(oldHash, "h8mzc", "core-srv-1", now.Add(-12*24*60*m), running("sync", now.Add(-12*24*60*m), 0, true))
	o2 := oldW.pod(oldHash, "s2wpf", "core-srv-2", now.Add(-12*24*60*m), running("sync", now.Add(-12*24*60*m), 0, true))
	return &incident{
		name: "h11-gitea-pull-token-lacks-package-scope-after-upgrade",
		description: `Gitea was upgraded over the weekend; the pull secret's access token only carries the
write:repository scope, which the new version no longer accepts for packages, so the token
endpoint answers 401 and the new pos-sync ReplicaSet is stuck in ImagePullBackOff. The old
pods still run from images already on their nodes. No metrics were exported for this.`,
		source: "https://github.com/go-gitea/gitea/issues/32379",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodNotReady", "pos", np.name, "", "warning"),
			annotations: runbook("Pod has been in a non-ready state for more than 15 minutes.", "Pod pos/"+np.name+" has been in a non-ready state for longer than 15 minutes.", "kubepodnotready"),
			startsAt:    now.Add(-6 * m), value: 1,
			query: `sum by (namespace, pod) (max by(namespace, pod) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`},
		expect: expect{category: "ImagePull", namespace: "pos", kind: "Deployment", name: "pos-sync", mentions: []string{"401 Unauthorized", "ImagePullBackOff"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), w.object(), w.replicaSet(newHash, 1, 0, now.Add(-22*m), 31),
			w.replicaSet(oldHash, 2, 2, now.Add(-12*24*60*m), 30, oldCtr), np.object(), o1.object(), o2.object(),
			event("pos", "Pod", np.name, "Normal", "Pulling", `Pulling image "`+ref+`"`, "kubelet", "core-srv-3", 9, now.Add(-22*m), now.Add(-3*m)),
			event("pos", "Pod", np.name, "Warning", "Failed", msg, "kubelet", "core-srv-3", 9, now.Add(-22*m), now.Add(-3*m)),
			event("pos", "Pod", np.name, "Warning", "Failed", "Error: ErrImagePull", "kubelet", "core-srv-3", 9, now.Add(-22*m), now.Add(-3*m)),
			event("pos", "Pod", np.name, "Normal", "BackOff", `Back-off pulling image "`+ref+`"`, "kubelet", "core-srv-3", 84, now.Add(-21*m), now.Add(-20*sec)),
			event("pos", "Pod", np.name, "Warning", "Failed", "Error: ImagePullBackOff", "kubelet", "core-srv-3", 84, now.Add(-21*m), now.Add(-20*sec)),
		),
	}
}

func keycloakKeyMaterial() *incident {
	now := mustTime("2026-11-30T07:05:00Z")
	w := workload{kind: "StatefulSet", namespace: "auth", name: "keycloak", replicas: 2, ready: 1, generation: 17,
		labels: map[string]string{"app.kubernetes.io/name": "keycloak", "app.kubernetes.io/instance": "keycloak"},
		containers: []ctr{{name: "keycloak", image: "quay.io/keycloak/keycloak:26.0.7", reqCPU: "500m", reqMem: "1Gi", limMem: "2Gi", ports: []int{8080, 9000},
			args: []string{"start", "--optimized"},
			env:  []obj{envVal("KC_DB", "mariadb"), envVal("KC_DB_URL_HOST", "mariadb-galera.mariadb.svc"), envVal("KC_HOSTNAME", "https://sso.shops.example"), envVal("KC_PROXY_HEADERS", "xforwarded")}}},
		created: now.Add(-200 * 24 * 60 * m)}
	p1 := w.pod("", "1", "core-srv-1", now.Add(-12*m),
		crashLooping("keycloak", "keycloak-1", 6, terminated("Error", 2, now.Add(-2*m), now.Add(-2*m+9*sec))))
	p0 := w.pod("", "0", "core-srv-2", now.Add(-9*24*60*m), running("keycloak", now.Add(-9*24*60*m), 0, true))
	return &incident{
		name: "h11-keycloak-values-refactor-dropped-http-enabled",
		description: `A Flux HelmRelease values refactor dropped KC_HTTP_ENABLED from the Keycloak StatefulSet.
Behind Traefik's TLS termination the pod has no certificate, so keycloak-1, recreated by the
rolling update, refuses to start in production mode. keycloak-0 still runs the old revision.
The cert-manager renewal event is routine and not related.`,
		source: "https://github.com/keycloak/keycloak/issues/33605",
		now:    now,
		alert: alert{labels: ksmAlert("KubeStatefulSetReplicasMismatch", "auth", "", "", "warning"),
			annotations: runbook("StatefulSet has not matched the expected number of replicas.", "StatefulSet auth/keycloak has not matched the expected number of replicas for longer than 15 minutes.", "kubestatefulsetreplicasmismatch"),
			startsAt:    now.Add(-3 * m), value: 1,
			query: `kube_statefulset_status_replicas_ready{job="kube-state-metrics"} != kube_statefulset_status_replicas{job="kube-state-metrics"}`},
		expect: expect{category: "ConfigError", namespace: "auth", kind: "StatefulSet", name: "keycloak", mentions: []string{"Key material not provided", "HTTPS"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), w.object(), p0.object(), p1.object(),
			event("auth", "Pod", p1.name, "Warning", "BackOff", "Back-off restarting failed container keycloak in pod keycloak-1_auth("+uid("Pod", "auth", "keycloak-1")+")", "kubelet", "core-srv-1", 27, now.Add(-11*m), now.Add(-40*sec)),
			event("auth", "HelmRelease", "keycloak", "Normal", "UpgradeSucceeded", "Helm upgrade succeeded for release auth/keycloak.v18 with chart keycloakx@2.5.1", "helm-controller", "", 1, now.Add(-13*m), now.Add(-13*m)),
			event("auth", "Certificate", "sso-shops-example", "Normal", "Issuing", "The certificate has been successfully issued", "cert-manager-certificates-issuing", "", 1, now.Add(-45*m), now.Add(-45*m)),
		),
		logs: []logFile{{namespace: "auth", pod: "keycloak-1", container: "keycloak", previous: true, lines: at(now.Add(-2*m),
			0*sec, `Changes detected in configuration. Updating the server image.`,
			6*sec, `2026-11-30 07:03:06,114 INFO  [org.keycloak.quarkus.runtime.hostname.DefaultHostnameProvider] (main) Hostname settings: Base URL: https://sso.shops.example, Hostname: sso.shops.example, Strict HTTPS: true`,
			8*sec, `2026-11-30 07:03:08,402 ERROR [org.keycloak.quarkus.runtime.cli.ExecutionExceptionHandler] (main) ERROR: Failed to start server in (production) mode`,
			8*sec, `2026-11-30 07:03:08,403 ERROR [org.keycloak.quarkus.runtime.cli.ExecutionExceptionHandler] (main) ERROR: Key material not provided to setup HTTPS. Please configure your keys/certificates or start the server in development mode.`,
			8*sec, `2026-11-30 07:03:08,403 ERROR [org.keycloak.quarkus.runtime.cli.ExecutionExceptionHandler] (main) For more details run the same command passing the '--verbose' option. Also you can use '--help' to see the details about the usage of the particular command.`,
		)}},
	}
}

func fluxSubstitutionLiteral() *incident {
	now := mustTime("2026-12-01T11:30:00Z")
	w := workload{kind: "Deployment", namespace: "inventory-sync", name: "stock-feed", replicas: 2, ready: 0, generation: 12,
		labels: map[string]string{"app": "stock-feed"},
		containers: []ctr{{name: "feed", image: registry + "/stock-feed:0.9.3", reqCPU: "100m", reqMem: "128Mi", limMem: "256Mi", ports: []int{8000},
			env: []obj{envVal("NATS_HOST", "nats.nats.svc"), envVal("NATS_PORT", ""), envVal("STREAM", "STOCK_EVENTS")}}},
		created: now.Add(-80 * 24 * 60 * m)}
	hash := "6bd7f4c958"
	mk := func(suffix, node string) pod {
		return w.pod(hash, suffix, node, now.Add(-18*m), crashLooping("feed", "stock-feed-"+hash+"-"+suffix, 8, terminated("Error", 3, now.Add(-90*sec), now.Add(-88*sec))))
	}
	p1, p2 := mk("b5rkn", "core-srv-1"), mk("v9dqc", "core-srv-3")
	prev := func(p pod) logFile {
		return logFile{namespace: "inventory-sync", pod: p.name, container: "feed", previous: true, lines: at(now.Add(-90*sec),
			0*sec, `INFO:     Started server process [1]`,
			0*sec, `INFO:     Waiting for application startup.`,
			1*sec, `ERROR:    Traceback (most recent call last):`,
			1*sec, `  File "/usr/local/lib/python3.12/site-packages/starlette/routing.py", line 693, in lifespan`,
			1*sec, `    async with self.lifespan_context(app) as maybe_state:`,
			1*sec, `  File "/app/stock_feed/app.py", line 31, in lifespan`,
			1*sec, `    nc = await nats.connect(f"nats://{settings.nats_host}:{int(os.environ['NATS_PORT'])}")`,
			1*sec, `ValueError: invalid literal for int() with base 10: ''`,
			1*sec, ``,
			1*sec, `ERROR:    Application startup failed. Exiting.`,
		)}
	}
	return &incident{
		name: "h11-flux-substitution-empties-nats-port-starlette-feed",
		description: `A new ${NATS_PORT} reference was added to the stock-feed manifests, but the cluster-vars
ConfigMap that Flux postBuild substitutes from has no such key, so the variable was rendered
as an empty string. The Starlette app fails in its lifespan hook on int(''). Only logs and
the pod spec show it; there are no metrics.`,
		source: "https://github.com/fluxcd/flux2/issues/2148",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodCrashLooping", "inventory-sync", p1.name, "feed", "warning"),
			annotations: runbook("Pod is crash looping.", "Pod inventory-sync/"+p1.name+" (feed) is in waiting state (reason: \"CrashLoopBackOff\").", "kubepodcrashlooping"),
			startsAt:    now.Add(-12 * m), value: 1,
			query: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`},
		expect: expect{category: "ConfigError", namespace: "inventory-sync", kind: "Deployment", name: "stock-feed", mentions: []string{"NATS_PORT"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), w.object(), w.replicaSet(hash, 2, 0, now.Add(-18*m), 12), p1.object(), p2.object(),
			configMap("flux-system", "cluster-vars", map[string]string{"CLUSTER_NAME": "edge-core", "NATS_HOST": "nats.nats.svc", "GALERA_HOST": "mariadb-galera.mariadb.svc"}, now.Add(-200*24*60*m)),
			event("flux-system", "Kustomization", "apps-inventory-sync", "Normal", "ReconciliationSucceeded", "Reconciliation finished in 2.311s, next run in 10m0s", "kustomize-controller", "", 1, now.Add(-18*m), now.Add(-18*m)),
			event("inventory-sync", "Pod", p1.name, "Warning", "BackOff", "Back-off restarting failed container feed in pod "+p1.name+"_inventory-sync("+uid("Pod", "inventory-sync", p1.name)+")", "kubelet", "core-srv-1", 52, now.Add(-17*m), now.Add(-30*sec)),
		),
		logs: []logFile{prev(p1), prev(p2)},
	}
}

func minioPoolInsufficientMemory() *incident {
	now := mustTime("2026-12-02T15:50:00Z")
	w := workload{kind: "StatefulSet", namespace: "minio-tenant", name: "media-pool-0", replicas: 4, ready: 3, generation: 6,
		labels:     map[string]string{"v1.min.io/tenant": "media", "v1.min.io/pool": "pool-0"},
		containers: []ctr{{name: "minio", image: "quay.io/minio/minio:RELEASE.2026-10-12T00-00-00Z", reqCPU: "1", reqMem: "16Gi", limMem: "16Gi", ports: []int{9000}}},
		created:    now.Add(-250 * 24 * 60 * m)}
	var objs []obj
	for _, n := range coreNodes {
		objs = append(objs, node{name: n, roles: []string{"control-plane", "etcd", "master"}, ready: "True", heartbeat: now.Add(-30 * sec),
			created: now.Add(-400 * 24 * 60 * m), memory: "32827380Ki"}.object())
	}
	objs = append(objs, w.object())
	msg := "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
	for i, n := range coreNodes {
		p := w.pod("", []string{"0", "1", "2"}[i], n, now.Add(-60*24*60*m), running("minio", now.Add(-60*24*60*m), 0, true))
		objs = append(objs, p.object())
	}
	pending := w.pod("", "3", "", now.Add(-26*m))
	pending.phase, pending.unschedulable = "Pending", msg
	objs = append(objs, pending.object(),
		schedEvent("minio-tenant", "media-pool-0-3", msg, now.Add(-26*m), now.Add(-1*m), 31),
		event("minio-tenant", "Tenant", "media", "Normal", "StsUpdated", "Statefulset Updated", "minio-operator", "", 1, now.Add(-26*m), now.Add(-26*m)),
	)
	start, end := now.Add(-10*m), now.Add(-15*sec)
	var ms []series
	for _, n := range coreNodes {
		ms = append(ms, sr("kube_node_status_allocatable", "gauge", "The allocatable for different resources of a node that are available for scheduling.",
			map[string]string{"node": n, "resource": "memory", "unit": "byte"}, start, end, flat(33615237120)))
	}
	ms = append(ms,
		sr("kube_pod_container_resource_requests", "gauge", helpRequests, cl("minio-tenant", "media-pool-0-3", "minio", "resource", "memory", "unit", "byte", "node", ""), start, end, flat(17179869184)),
		sr("kube_pod_status_phase", "gauge", "The pods current phase.", map[string]string{"namespace": "minio-tenant", "pod": "media-pool-0-3", "phase": "Pending"}, start, end, flat(1)),
		sr("kube_pod_status_unschedulable", "gauge", "Describes the unschedulable status for the pod.", map[string]string{"namespace": "minio-tenant", "pod": "media-pool-0-3"}, start, end, flat(1)),
	)
	return &incident{
		name: "h11-minio-pool-memory-request-raised-beyond-free-node-memory",
		description: `The MinIO Tenant's pool resources were raised to 16Gi per server; the operator updated
the StatefulSet and the recreated media-pool-0-3 cannot be placed: none of the three
32Gi core nodes has 16Gi of unrequested memory left next to Galera, NATS and Longhorn.`,
		source: "https://github.com/minio/operator/issues/1975",
		now:    now,
		alert: alert{labels: ksmAlert("KubeStatefulSetReplicasMismatch", "minio-tenant", "", "", "warning"),
			annotations: runbook("StatefulSet has not matched the expected number of replicas.", "StatefulSet minio-tenant/media-pool-0 has not matched the expected number of replicas for longer than 15 minutes.", "kubestatefulsetreplicasmismatch"),
			startsAt:    now.Add(-10 * m), value: 1,
			query: `kube_statefulset_status_replicas_ready{job="kube-state-metrics"} != kube_statefulset_status_replicas{job="kube-state-metrics"}`},
		expect:  expect{category: "Unschedulable", namespace: "minio-tenant", kind: "StatefulSet", name: "media-pool-0", mentions: []string{"Insufficient memory"}},
		objects: objs,
		logs: []logFile{{namespace: "minio-tenant", pod: "media-pool-0-0", container: "minio", lines: at(now.Add(-20*m),
			0*sec, `API: SYSTEM()`,
			0*sec, `Time: 15:30:00 UTC 12/02/2026`,
			0*sec, `DeploymentID: 4b1f0c2e-7f6a-4a57-9d7c-3f0c1e9a2b11`,
			0*sec, `Error: Write failed. Insufficient number of drives online (*errors.errorString)`,
			5*sec, `       1: internal/logger/logonce.go:118:logger.(*logOnceType).logOnceIf()`,
			1*m, `Pool pool-0: 3 of 4 servers online, erasure set healthy with 12 of 16 drives (write quorum 9)`,
		)}},
		metrics: ms,
	}
}

func svclbPortConflict() *incident {
	now := mustTime("2026-12-03T10:10:00Z")
	svcName, dsName := "receipt-ws", "svclb-receipt-ws-1c9e7a42"
	app := workload{kind: "Deployment", namespace: "pos", name: "receipt-ws", replicas: 2, ready: 2,
		labels:     map[string]string{"app": "receipt-ws"},
		containers: []ctr{{name: "ws", image: registry + "/receipt-ws:1.2.0", reqCPU: "50m", reqMem: "64Mi", limMem: "128Mi", ports: []int{8443}}},
		created:    now.Add(-35 * m)}
	hash := "5f6c8d7b9a"
	a1 := app.pod(hash, "p4hnd", "core-srv-1", now.Add(-35*m), running("ws", now.Add(-35*m), 0, true))
	a2 := app.pod(hash, "z7kqm", "core-srv-2", now.Add(-35*m), running("ws", now.Add(-35*m), 0, true))
	lb := service("pos", svcName, app.labels, 443, 8443, now.Add(-35*m), "LoadBalancer")
	lbLabels := map[string]string{"app": dsName, "svccontroller.k3s.cattle.io/svcname": svcName, "svccontroller.k3s.cattle.io/svcnamespace": "pos"}
	ds := workload{kind: "DaemonSet", namespace: "kube-system", name: dsName, replicas: 3, ready: 0, labels: lbLabels,
		containers: []ctr{{name: "lb-tcp-443", image: "rancher/klipper-lb:v0.4.9", ports: []int{443}, env: []obj{envVal("SRC_PORT", "443"), envVal("DEST_PROTO", "TCP"), envVal("DEST_PORT", "443")}}},
		created:    now.Add(-35 * m)}
	traefikLabels := map[string]string{"app": "svclb-traefik-c219fb2c", "svccontroller.k3s.cattle.io/svcname": "traefik", "svccontroller.k3s.cattle.io/svcnamespace": "kube-system"}
	traefikLB := workload{kind: "DaemonSet", namespace: "kube-system", name: "svclb-traefik-c219fb2c", replicas: 3, ready: 3, labels: traefikLabels,
		containers: []ctr{{name: "lb-tcp-80", image: "rancher/klipper-lb:v0.4.9", ports: []int{80}}, {name: "lb-tcp-443", image: "rancher/klipper-lb:v0.4.9", ports: []int{443}}},
		created:    now.Add(-400 * 24 * 60 * m)}
	msg := "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
	objs := append(nodes(now, now.Add(-400*24*60*m)), app.object(), app.replicaSet(hash, 2, 2, now.Add(-35*m), 1), a1.object(), a2.object(), lb,
		endpoints("pos", svcName, 8443, now.Add(-35*m), []pod{a1, a2}, nil), ds.object(), traefikLB.object())
	for i, n := range coreNodes {
		suffix := []string{"4rj2x", "9wmtb", "kx7pl"}[i]
		t := traefikLB.pod("", suffix, n, now.Add(-30*24*60*m), running("lb-tcp-80", now.Add(-30*24*60*m), 0, true), running("lb-tcp-443", now.Add(-30*24*60*m), 0, true))
		p := ds.pod("", []string{"6fd2s", "bq8zr", "tn5vh"}[i], "", now.Add(-35*m))
		p.phase, p.unschedulable = "Pending", msg
		objs = append(objs, t.object(), p.object(), schedEvent("kube-system", p.name, msg, now.Add(-35*m), now.Add(-2*m), 12))
	}
	objs = append(objs, event("pos", "Service", svcName, "Normal", "AppliedDaemonSet", "Applied LoadBalancer DaemonSet kube-system/"+dsName, "service-lb-controller", "", 1, now.Add(-35*m), now.Add(-35*m)))
	return &incident{
		name: "h11-klipper-lb-port-443-already-taken-by-traefik",
		description: `A new LoadBalancer Service pos/receipt-ws asks for port 443. k3s servicelb gives every
LoadBalancer port a hostPort on every node, and Traefik's svclb pods already hold 443 on
all three nodes, so the receipt-ws svclb pods can never be placed. The alert names the
DaemonSet in kube-system; the cause is the Service's port.`,
		source: "https://github.com/k3s-io/k3s/issues/1969",
		now:    now,
		alert: alert{labels: with(ksmAlert("KubeDaemonSetRolloutStuck", "kube-system", "", "", "warning"), "daemonset", dsName),
			annotations: runbook("DaemonSet rollout is stuck.", "DaemonSet kube-system/"+dsName+" has not finished or progressed for at least 15 minutes.", "kubedaemonsetrolloutstuck"),
			startsAt:    now.Add(-20 * m), value: 3,
			query: `kube_daemonset_status_number_available{job="kube-state-metrics"} != kube_daemonset_status_desired_number_scheduled{job="kube-state-metrics"}`},
		expect:  expect{category: "Unschedulable", namespace: "pos", kind: "Service", name: svcName, mentions: []string{"free ports", "443"}},
		objects: objs,
	}
}
