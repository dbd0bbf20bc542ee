package main

import "time"

// Incidents of full volumes, certificates, load, and of nothing wrong.

func galeraWorkload(now time.Time) workload {
	return workload{kind: "StatefulSet", namespace: "mariadb", name: "mariadb-galera", replicas: 3, ready: 3,
		labels:     map[string]string{"app.kubernetes.io/name": "mariadb-galera", "app.kubernetes.io/instance": "mariadb-galera"},
		containers: []ctr{{name: "mariadb-galera", image: "docker.io/bitnami/mariadb-galera:11.4.4-debian-12-r1", reqCPU: "1", reqMem: "2Gi", limMem: "4Gi", ports: []int{3306, 4567}}},
		created:    now.Add(-500 * 24 * 60 * m)}
}

func volumeStats(namespace, claim string, capacity float64, start, end time.Time, avail func(int) float64) []series {
	l := map[string]string{"namespace": namespace, "persistentvolumeclaim": claim, "job": "kubelet", "metrics_path": "/metrics"}
	return []series{
		sr("kubelet_volume_stats_capacity_bytes", "gauge", "[ALPHA] Capacity in bytes of the volume", l, start, end, flat(capacity)),
		sr("kubelet_volume_stats_available_bytes", "gauge", "[ALPHA] Number of available bytes in the volume", l, start, end, avail),
	}
}

func galeraPVCFull() *incident {
	now := mustTime("2026-12-04T11:48:00Z")
	g := galeraWorkload(now)
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, g.object())
	for i, n := range coreNodes {
		s := []string{"0", "1", "2"}[i]
		p := g.pod("", s, n, now.Add(-40*24*60*m), running("mariadb-galera", now.Add(-40*24*60*m), 0, true))
		objs = append(objs, p.object(), pvc("mariadb", "data-mariadb-galera-"+s, "longhorn", "20Gi", "Bound", "pvc-"+uid("PVC", "mariadb", s)[:18], g.created, g.labels))
	}
	api := workload{kind: "Deployment", namespace: "pos", name: "pos-api", replicas: 3, ready: 3,
		labels:     map[string]string{"app": "pos-api"},
		containers: []ctr{{name: "rails", image: registry + "/pos-api:8.14.2", reqCPU: "500m", reqMem: "768Mi", limMem: "1536Mi", ports: []int{3000}}},
		created:    now.Add(-300 * 24 * 60 * m)}
	ah := "8c6f5d9b7e"
	a1 := api.pod(ah, "2xkbn", "core-srv-1", now.Add(-5*24*60*m), running("rails", now.Add(-5*24*60*m), 0, true))
	objs = append(objs, api.object(), api.replicaSet(ah, 3, 3, now.Add(-5*24*60*m), 41), a1.object(),
		event("longhorn-system", "Volume", "pvc-"+uid("PVC", "mariadb", "0")[:18], "Warning", "VolumeFull", "volume usage is at 100% of 20Gi", "longhorn-volume-controller", "", 6, now.Add(-40*m), now.Add(-2*m)))
	start, end := now.Add(-12*m), now.Add(-15*sec)
	ms := volumeStats("mariadb", "data-mariadb-galera-0", 21474836480, start, end, func(i int) float64 { return float64(max(0, 52428800-i*2097152)) })
	ms = append(ms, volumeStats("mariadb", "data-mariadb-galera-1", 21474836480, start, end, flat(9.1e9))...)
	ms = append(ms, volumeStats("mariadb", "data-mariadb-galera-2", 21474836480, start, end, flat(9.0e9))...)
	ms = append(ms, sr("probe_duration_seconds", "gauge", "Returns how long the probe took to complete in seconds", map[string]string{"job": "blackbox", "instance": "https://pos.shops.example/api/checkout/probe"}, start, end, func(i int) float64 { return 0.2 + 0.5*float64(min(i, 30)) }))
	return &incident{
		name: "h11-galera-0-binlog-fills-its-longhorn-volume-checkout-stalls",
		description: `Binary logging is enabled only on mariadb-galera-0 (for point-in-time backups) and
expire_logs_days was never set; its 20Gi Longhorn volume is full and mariadbd waits for
space. Galera flow control then stalls writes on every member, so POS checkouts hang.
The other two members have 9 GB free.`,
		source: "https://github.com/mariadb-corporation/mysql-wsrep/issues/281",
		now:    now,
		alert: alert{labels: grafanaAlert("POS checkout probe slow", "Shops", "namespace", "pos", "service", "pos-api", "severity", "critical"),
			annotations: annotations("Checkout probe takes more than 5s", "The synthetic checkout against pos-api takes more than 5s for 3 minutes."),
			startsAt:    now.Add(-4 * m), value: 15.2, query: `max(probe_duration_seconds{instance="https://pos.shops.example/api/checkout/probe"})`},
		expect:  expect{category: "ResourceExhaustion", namespace: "mariadb", kind: "PersistentVolumeClaim", name: "data-mariadb-galera-0", mentions: []string{"No space left on device", "data-mariadb-galera-0"}},
		objects: objs,
		logs: []logFile{
			{namespace: "mariadb", pod: "mariadb-galera-0", container: "mariadb-galera", lines: at(now.Add(-10*m),
				0*sec, `2026-12-04 11:38:00 11 [Warning] mariadbd: Disk is full writing '/bitnami/mariadb/data/mariadb-bin.000913' (Errcode: 28 "No space left on device"). Waiting for someone to free space... (Expect up to 60 secs delay for server to continue after freeing disk space)`,
				0*sec, `2026-12-04 11:38:00 11 [Warning] mariadbd: Retry in 60 secs. Message reprinted in 600 secs`,
				3*m, `2026-12-04 11:41:00 0 [Note] WSREP: Flow-control interval: [253, 256]`,
				9*m, `2026-12-04 11:47:00 0 [Warning] WSREP: Failed to report last committed 88213002, -110 (Connection timed out)`,
			)},
			{namespace: "pos", pod: a1.name, container: "rails", lines: at(now.Add(-3*m),
				0*sec, `I, [2026-12-04T11:45:00.001 #1]  INFO -- : [77de] Started POST "/api/baskets/0417-60021/checkout" for 10.42.0.14 at 2026-12-04 11:45:00 +0000`,
				15*sec, `E, [2026-12-04T11:45:15.002 #1] ERROR -- : [77de] Rack::Timeout::RequestTimeoutException (Request ran for longer than 15000ms ):`,
				15*sec, `I, [2026-12-04T11:45:15.003 #1]  INFO -- : [77de] Completed 500 Internal Server Error in 15001ms (ActiveRecord: 14988.0ms | Allocations: 3102)`,
			)},
		},
		metrics: ms,
	}
}

func natsJetStreamFull() *incident {
	now := mustTime("2026-12-05T21:15:00Z")
	n := workload{kind: "StatefulSet", namespace: "nats", name: "nats", replicas: 3, ready: 3,
		labels:     map[string]string{"app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": "nats"},
		containers: []ctr{{name: "nats", image: "nats:2.10.22-alpine", reqCPU: "500m", reqMem: "1Gi", limMem: "2Gi", ports: []int{4222, 6222, 8222}}},
		created:    now.Add(-300 * 24 * 60 * m)}
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, n.object())
	for i, nd := range coreNodes {
		s := []string{"0", "1", "2"}[i]
		p := n.pod("", s, nd, now.Add(-30*24*60*m), running("nats", now.Add(-30*24*60*m), 0, true))
		objs = append(objs, p.object(), pvc("nats", "nats-js-nats-"+s, "local-path", "10Gi", "Bound", "pvc-"+uid("PVC", "nats", s)[:18], n.created, n.labels))
	}
	pub := workload{kind: "Deployment", namespace: "loyalty", name: "loyalty-events", replicas: 2, ready: 2,
		labels:     map[string]string{"app": "loyalty-events"},
		containers: []ctr{{name: "publisher", image: registry + "/loyalty-events:1.6.2", reqCPU: "100m", reqMem: "64Mi", limMem: "128Mi"}},
		created:    now.Add(-120 * 24 * 60 * m)}
	ph := "6c9d8f7b5a"
	p1 := pub.pod(ph, "j8wnd", "core-srv-1", now.Add(-9*24*60*m), running("publisher", now.Add(-9*24*60*m), 0, true))
	objs = append(objs, pub.object(), pub.replicaSet(ph, 2, 2, now.Add(-9*24*60*m), 7), p1.object(),
		configMap("nats", "nats-config", map[string]string{"nats.conf": "jetstream {\n  max_file_store: 10Gi\n  store_dir: /data\n}\n"}, n.created))
	start, end := now.Add(-10*m), now.Add(-15*sec)
	ms := volumeStats("nats", "nats-js-nats-1", 10737418240, start, end, flat(4096))
	ms = append(ms, volumeStats("nats", "nats-js-nats-0", 10737418240, start, end, flat(8.8e9))...)
	ms = append(ms, volumeStats("nats", "nats-js-nats-2", 10737418240, start, end, flat(8.7e9))...)
	return &incident{
		name: "h11-nats-jetstream-r1-stream-fills-nats-1-volume",
		description: `The LOYALTY_EVENTS stream was created with one replica and no max_bytes; it was placed on
nats-1 and has grown until nats-1's 10Gi local-path volume is full. JetStream refuses new
messages and the loyalty event publisher logs "insufficient resources". The other two NATS
volumes are mostly empty.`,
		source: "https://github.com/nats-io/nats-server/issues/3672",
		now:    now,
		alert: alert{labels: grafanaAlert("Loyalty events not published", "Loyalty", "namespace", "loyalty", "deployment", "loyalty-events", "severity", "critical"),
			annotations: annotations("loyalty-events publish failures", "loyalty-events failed to publish 1,800 messages in 5 minutes."),
			startsAt:    now.Add(-7 * m), value: 1800, query: `sum(increase(loyalty_events_publish_failures_total[5m]))`},
		expect:  expect{category: "ResourceExhaustion", namespace: "nats", kind: "PersistentVolumeClaim", name: "nats-js-nats-1", mentions: []string{"insufficient resources", "nats-js-nats-1"}},
		objects: objs,
		logs: []logFile{
			{namespace: "nats", pod: "nats-1", container: "nats", lines: at(now.Add(-9*m),
				0*sec, `[7] 2026/12/05 21:06:00.118277 [WRN] JetStream resource limits exceeded for server`,
				0*sec, `[7] 2026/12/05 21:06:00.118301 [ERR] JetStream failed to store a msg on stream '$G > LOYALTY_EVENTS': write /data/jetstream/$G/streams/LOYALTY_EVENTS/msgs/1841.blk: no space left on device`,
				30*sec, `[7] 2026/12/05 21:06:30.402117 [WRN] JetStream resource limits exceeded for server`,
			)},
			{namespace: "loyalty", pod: p1.name, container: "publisher", lines: at(now.Add(-8*m),
				0*sec, `time=2026-12-05T21:07:00.011Z level=ERROR msg="publish failed" subject=loyalty.points.earned store=0417 err="nats: insufficient resources"`,
				1*sec, `time=2026-12-05T21:07:01.220Z level=ERROR msg="publish failed" subject=loyalty.points.earned store=0388 err="nats: insufficient resources"`,
				2*m, `time=2026-12-05T21:09:00.530Z level=WARN msg="outbox backlog" pending=5512`,
			)},
		},
		metrics: ms,
	}
}

func loyaltyVendorHostname() *incident {
	now := mustTime("2026-12-06T09:40:00Z")
	w := workload{kind: "Deployment", namespace: "loyalty", name: "partner-sync", replicas: 1, ready: 1,
		labels: map[string]string{"app": "partner-sync"},
		containers: []ctr{{name: "sidekiq", image: registry + "/partner-sync:2.2.0", reqCPU: "200m", reqMem: "384Mi", limMem: "768Mi",
			env: []obj{envVal("PARTNER_API_URL", "https://api.loyaltyhub.eu/v3")}}, {name: "linkerd-proxy", image: "cr.l5d.io/linkerd/proxy:edge-24.11.8", reqCPU: "10m", reqMem: "20Mi", limMem: "250Mi"}},
		created: now.Add(-180 * 24 * 60 * m)}
	hash := "8b7c6d9f5e"
	p := w.pod(hash, "n4vtz", "core-srv-2", now.Add(-4*24*60*m), running("sidekiq", now.Add(-4*24*60*m), 0, true), running("linkerd-proxy", now.Add(-4*24*60*m), 0, true))
	jid := func(i int) string { return uid("jid", "partner-sync", string(rune('a'+i)))[:24] }
	return &incident{
		name: "h11-partner-api-moved-behind-cdn-hostname-mismatch",
		description: `The loyalty partner moved api.loyaltyhub.eu behind a new CDN whose certificate covers only
*.cdn-edge.net; every balance sync from the Sidekiq worker fails the TLS handshake with a
hostname mismatch. Nothing in the cluster changed; a Linkerd proxy warning is unrelated.`,
		source: "https://github.com/puppetlabs/puppet/pull/7401",
		now:    now,
		alert: alert{labels: grafanaAlert("Partner balance sync failing", "Loyalty", "namespace", "loyalty", "deployment", "partner-sync", "severity", "warning"),
			annotations: annotations("Partner balance sync failing", "PartnerBalanceSyncJob failed 40 times in 10 minutes."),
			startsAt:    now.Add(-9 * m), value: 40, query: `sum(increase(sidekiq_jobs_failed_total{class="PartnerBalanceSyncJob"}[10m]))`},
		expect: expect{category: "TLSFailure", kind: "External", name: "api.loyaltyhub.eu", mentions: []string{"hostname mismatch", "api.loyaltyhub.eu"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), w.object(), w.replicaSet(hash, 1, 1, now.Add(-4*24*60*m), 6), p.object(),
			event("loyalty", "Pod", p.name, "Normal", "Pulled", `Container image "cr.l5d.io/linkerd/proxy:edge-24.11.8" already present on machine`, "kubelet", "core-srv-2", 1, now.Add(-4*24*60*m), now.Add(-4*24*60*m))),
		logs: []logFile{
			{namespace: "loyalty", pod: p.name, container: "sidekiq", lines: at(now.Add(-8*m),
				0*sec, `2026-12-06T09:32:00.104Z pid=1 tid=2ke7 class=PartnerBalanceSyncJob jid=`+jid(0)+` INFO: start`,
				1*sec, `2026-12-06T09:32:01.388Z pid=1 tid=2ke7 class=PartnerBalanceSyncJob jid=`+jid(0)+` elapsed=1.284 INFO: fail`,
				1*sec, `2026-12-06T09:32:01.389Z pid=1 tid=2ke7 WARN: {"context":"Job raised exception","job":{"class":"PartnerBalanceSyncJob","args":["store-0417"],"retry":5,"queue":"partners","jid":"`+jid(0)+`"}}`,
				1*sec, `2026-12-06T09:32:01.389Z pid=1 tid=2ke7 WARN: OpenSSL::SSL::SSLError: SSL_connect returned=1 errno=0 peeraddr=203.0.113.40:443 state=error: certificate verify failed (hostname mismatch)`,
				1*sec, `2026-12-06T09:32:01.389Z pid=1 tid=2ke7 WARN: /usr/local/lib/ruby/3.3.0/net/protocol.rb:46:in 'OpenSSL::SSL::SSLSocket#connect_nonblock'`,
				3*m, `2026-12-06T09:35:00.771Z pid=1 tid=2kgr class=PartnerBalanceSyncJob jid=`+jid(1)+` INFO: start`,
				3*m+sec, `2026-12-06T09:35:01.912Z pid=1 tid=2kgr WARN: OpenSSL::SSL::SSLError: SSL_connect returned=1 errno=0 peeraddr=203.0.113.40:443 state=error: certificate verify failed (hostname mismatch)`,
			)},
			{namespace: "loyalty", pod: p.name, container: "linkerd-proxy", lines: at(now.Add(-6*m),
				0*sec, `[345600.118824s]  WARN ThreadId(01) outbound:proxy{addr=10.43.112.9:6379}: linkerd_reconnect: Failed to connect error=connect timed out after 1s`,
				2*sec, `[345602.201005s]  INFO ThreadId(01) outbound:proxy{addr=10.43.112.9:6379}: linkerd_reconnect: Connected`,
			)},
		},
	}
}

func keycloakLoginStorm() *incident {
	now := mustTime("2026-12-07T07:06:00Z")
	w := workload{kind: "StatefulSet", namespace: "auth", name: "keycloak", replicas: 2, ready: 2,
		labels: map[string]string{"app.kubernetes.io/name": "keycloak", "app.kubernetes.io/instance": "keycloak"},
		containers: []ctr{{name: "keycloak", image: "quay.io/keycloak/keycloak:26.0.7", reqCPU: "1", reqMem: "1Gi", limMem: "2Gi", ports: []int{8080, 9000},
			readiness: httpProbe("/health/ready", 9000, 10, 5, 3)}},
		created: now.Add(-200 * 24 * 60 * m)}
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, w.object())
	var kc []pod
	for i, s := range []string{"0", "1"} {
		p := w.pod("", s, coreNodes[i], now.Add(-6*24*60*m), running("keycloak", now.Add(-6*24*60*m), 0, true))
		kc = append(kc, p)
		objs = append(objs, p.object())
	}
	objs = append(objs, service("auth", "keycloak", w.labels, 8080, 8080, w.created, ""), endpoints("auth", "keycloak", 8080, w.created, kc, nil))
	start, end := now.Add(-14*m), now.Add(-15*sec)
	// Shops open at 07:00 and every terminal logs in within a few minutes.
	load := func(base, peak float64) func(int) float64 {
		return func(i int) float64 {
			if i < 24 {
				return base
			}
			return peak
		}
	}
	var ms []series
	for _, p := range kc {
		l := cl("auth", p.name, "keycloak")
		// Cumulative CPU seconds: 0.2 cores before the opening, 3.7 after.
		ms = append(ms, sr("container_cpu_usage_seconds_total", "counter", helpCPU, l, start, end, func(i int) float64 {
			return 88000 + 0.2*15*float64(min(i, 24)) + 3.7*15*float64(max(0, i-24))
		}))
		ms = append(ms, sr("container_cpu_cfs_throttled_periods_total", "counter", helpThrottled, l, start, end, flat(0)))
	}
	ms = append(ms,
		sr("keycloak_user_events_total", "counter", "Keycloak user events", map[string]string{"event": "login", "realm": "shops", "namespace": "auth"}, start, end, func(i int) float64 {
			if i < 24 {
				return 120400 + 0.4*15*float64(i)
			}
			return 120400 + 0.4*15*24 + 14*15*float64(i-24)
		}),
		sr("probe_duration_seconds", "gauge", "Returns how long the probe took to complete in seconds", map[string]string{"job": "blackbox", "instance": "https://sso.shops.example/realms/shops/.well-known/openid-configuration"}, start, end, load(0.08, 4.6)),
		sr("kube_node_status_allocatable", "gauge", "The allocatable for different resources of a node that are available for scheduling.", map[string]string{"node": "core-srv-1", "resource": "cpu", "unit": "core"}, start, end, flat(8)),
	)
	return &incident{
		name: "h11-keycloak-store-opening-login-storm-saturates-cpu",
		description: `At 07:00 every shop opens and about 1,900 terminals log in within minutes, 35 times the
night rate, each login hashing a password with 210,000 PBKDF2 iterations. Both Keycloak
pods use nearly four cores each (they have no CPU limit and are not throttled) and SSO
answers slowly. Nothing is broken or misconfigured; two pods are not enough for the peak.`,
		source: "https://github.com/keycloak/keycloak/issues/27990",
		now:    now,
		alert: alert{labels: map[string]string{"alertname": "ProbeSlow", "job": "blackbox", "instance": "https://sso.shops.example/realms/shops/.well-known/openid-configuration",
			"namespace": "auth", "severity": "warning", "prometheus": promInstance},
			annotations: annotations("SSO endpoint slow", "Probe of sso.shops.example takes more than 2s."),
			startsAt:    now.Add(-4 * m), value: 4.6, query: `probe_duration_seconds{instance=~"https://sso.*"} > 2`},
		expect:  expect{category: "TrafficSpike", namespace: "auth", kind: "StatefulSet", name: "keycloak", mentions: []string{"login"}},
		objects: objs,
		logs: []logFile{{namespace: "auth", pod: "keycloak-0", container: "keycloak", lines: at(now.Add(-6*m),
			0*sec, `2026-12-07 07:00:00,201 WARN  [org.infinispan.CLUSTER] (jgroups-7,keycloak-0) ISPN000312: Lost data because of graceful leaver keycloak-1-33107`,
			3*m, `2026-12-07 07:03:00,884 WARN  [org.keycloak.events] (executor-thread-41) type="LOGIN_ERROR", realmId="shops", clientId="pos-terminal", userId="null", ipAddress="10.42.0.14", error="user_not_found", username="0417-kasse-9"`,
		)}},
		metrics: ms,
	}
}

func kedaAtMaxSaturdayBacklog() *incident {
	now := mustTime("2026-12-05T12:30:00Z")
	w := workload{kind: "Deployment", namespace: "inventory-sync", name: "stock-consumer", replicas: 10, ready: 10,
		labels:     map[string]string{"app": "stock-consumer"},
		containers: []ctr{{name: "consumer", image: registry + "/stock-consumer:3.0.4", reqCPU: "250m", reqMem: "256Mi", limMem: "512Mi"}},
		created:    now.Add(-90 * 24 * 60 * m)}
	hash := "9d6c7b8f5a"
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, w.object(), w.replicaSet(hash, 10, 10, now.Add(-8*24*60*m), 12))
	var first pod
	for i, s := range []string{"2bqxl", "4nkvd", "6rtwz", "8cmhf", "b3pjs", "d7xwk", "f9lzq", "h2vnc", "k5tgm", "n8wrb"} {
		created := now.Add(-8 * 24 * 60 * m)
		if i >= 3 {
			created = now.Add(-time.Duration(50-3*i) * m)
		}
		p := w.pod(hash, s, coreNodes[i%3], created, running("consumer", created, 0, true))
		if i == 0 {
			first = p
		}
		objs = append(objs, p.object())
	}
	objs = append(objs,
		event("inventory-sync", "HorizontalPodAutoscaler", "keda-hpa-stock-consumer", "Normal", "SuccessfulRescale", "New size: 10; reason: external metric s0-nats-jetstream-STOCK_EVENTS(&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: stock-consumer,},MatchExpressions:[]LabelSelectorRequirement{},}) above target", "horizontal-pod-autoscaler", "", 1, now.Add(-23*m), now.Add(-23*m)),
		event("inventory-sync", "ScaledObject", "stock-consumer", "Normal", "KEDAScaleTargetActivated", "Scaled apps/v1.Deployment inventory-sync/stock-consumer from 3 to 10", "keda-operator", "", 1, now.Add(-47*m), now.Add(-47*m)),
	)
	start, end := now.Add(-15*m), now.Add(-15*sec)
	hpa := map[string]string{"namespace": "inventory-sync", "horizontalpodautoscaler": "keda-hpa-stock-consumer"}
	return &incident{
		name: "h11-keda-stock-consumer-at-max-replicas-saturday-sale-lag",
		description: `Saturday's sale sends seven times the usual stock events. KEDA scaled the NATS
JetStream consumer to its maxReplicaCount of 10 twenty minutes ago and the consumer lag
keeps growing; the consumers process at full speed without errors. Capacity, not a fault.`,
		source: "https://github.com/kedacore/keda/issues/7322",
		now:    now,
		alert: alert{labels: with(ksmAlert("KubeHpaMaxedOut", "inventory-sync", "", "", "warning"), "horizontalpodautoscaler", "keda-hpa-stock-consumer"),
			annotations: runbook("HPA is running at max replicas", "HPA inventory-sync/keda-hpa-stock-consumer has been running at max replicas for longer than 15 minutes.", "kubehpamaxedout"),
			startsAt:    now.Add(-6 * m), value: 10,
			query: `kube_horizontalpodautoscaler_status_current_replicas{job="kube-state-metrics"} == kube_horizontalpodautoscaler_spec_max_replicas{job="kube-state-metrics"}`},
		expect:  expect{category: "TrafficSpike", namespace: "inventory-sync", kind: "Deployment", name: "stock-consumer", mentions: []string{"lag"}},
		objects: objs,
		logs: []logFile{{namespace: "inventory-sync", pod: first.name, container: "consumer", lines: lines(now.Add(-3*m), 60*sec,
			`{"level":"info","msg":"batch processed","stream":"STOCK_EVENTS","consumer":"stock-consumer","size":500,"took_ms":412}`,
			`{"level":"info","msg":"batch processed","stream":"STOCK_EVENTS","consumer":"stock-consumer","size":500,"took_ms":398}`,
			`{"level":"info","msg":"batch processed","stream":"STOCK_EVENTS","consumer":"stock-consumer","size":500,"took_ms":405}`,
		)}},
		metrics: []series{
			sr("keda_scaler_metrics_value", "gauge", "The current value for each scaler's metric that would be used by the HPA in computing the target average.",
				map[string]string{"namespace": "inventory-sync", "scaledObject": "stock-consumer", "scaler": "nats-jetstream-scaler", "metric": "s0-nats-jetstream-STOCK_EVENTS"}, start, end, linear(31000, 420)),
			sr("kube_horizontalpodautoscaler_status_current_replicas", "gauge", "Current number of replicas of pods managed by this autoscaler.", hpa, start, end, flat(10)),
			sr("kube_horizontalpodautoscaler_spec_max_replicas", "gauge", "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.", hpa, start, end, flat(10)),
			sr("nats_consumer_num_pending", "gauge", "Number of messages pending on the consumer.", map[string]string{"stream_name": "STOCK_EVENTS", "consumer_name": "stock-consumer"}, start, end, linear(31000, 420)),
		},
	}
}

func unknownProbeFlapRecovered() *incident {
	now := mustTime("2026-12-03T04:20:00Z")
	w := workload{kind: "Deployment", namespace: "loyalty", name: "loyalty-web", replicas: 3, ready: 3,
		labels:     map[string]string{"app.kubernetes.io/name": "loyalty-web", "app.kubernetes.io/part-of": "loyalty"},
		containers: []ctr{{name: "php-fpm", image: registry + "/loyalty:4.12.0", reqCPU: "200m", reqMem: "192Mi", limMem: "384Mi", ports: []int{9000}}},
		created:    now.Add(-300 * 24 * 60 * m)}
	hash := "5c7b9d8f6d"
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, w.object(), w.replicaSet(hash, 3, 3, now.Add(-6*24*60*m), 14))
	var ps []pod
	for i, s := range []string{"mk2zt", "q8hdn", "x4fwp"} {
		p := w.pod(hash, s, coreNodes[i], now.Add(-6*24*60*m), running("php-fpm", now.Add(-6*24*60*m), 0, true))
		ps = append(ps, p)
		objs = append(objs, p.object())
	}
	objs = append(objs, service("loyalty", "loyalty-web", w.labels, 80, 9000, w.created, ""), endpoints("loyalty", "loyalty-web", 9000, w.created, ps, nil))
	start, end := now.Add(-12*m), now.Add(-15*sec)
	return &incident{
		name: "h11-unknown-uptime-probe-blip-loyalty-web-healthy",
		description: `An Uptime-Kuma-style probe from the office saw two failed checks of the loyalty site
seven minutes ago and raised an alert with no retries configured. Since then every check has
passed; the pods never restarted, no event or log shows a problem. Nothing in the cluster
supports a cause; the probe's own network path is the likeliest explanation.`,
		source: "https://github.com/louislam/uptime-kuma/issues/2637",
		now:    now,
		alert: alert{labels: map[string]string{"alertname": "MonitorDown", "monitor": "loyalty-web", "url": "https://loyalty.shops.example/", "namespace": "loyalty", "severity": "warning", "source": "uptime-kuma"},
			annotations: annotations("[loyalty-web] [Down] Request failed with status code 522", "Monitor loyalty-web is down."),
			startsAt:    now.Add(-7 * m), value: 0, query: `monitor_status{monitor_name="loyalty-web"} == 0`},
		expect:  expect{category: "Unknown", namespace: "loyalty", kind: "Deployment", name: "loyalty-web", mentions: []string{"loyalty-web"}},
		objects: objs,
		logs: []logFile{{namespace: "loyalty", pod: ps[0].name, container: "php-fpm", lines: lines(now.Add(-9*m), 2*m,
			`10.42.0.14 -  03/Dec/2026:04:11:00 +0000 "GET /index.php" 200`,
			`10.42.0.14 -  03/Dec/2026:04:13:00 +0000 "GET /index.php" 200`,
			`10.42.0.14 -  03/Dec/2026:04:15:00 +0000 "GET /index.php" 200`,
			`10.42.0.14 -  03/Dec/2026:04:17:00 +0000 "GET /index.php" 200`,
		)}},
		metrics: []series{
			sr("monitor_status", "gauge", "Monitor Status (1 = UP, 0= DOWN, 2= PENDING, 3= MAINTENANCE)", map[string]string{"monitor_name": "loyalty-web", "monitor_type": "http", "monitor_url": "https://loyalty.shops.example/"}, start, end, func(i int) float64 {
				if i == 19 || i == 20 {
					return 0
				}
				return 1
			}),
			sr("kube_pod_container_status_restarts_total", "counter", helpRestarts, cl("loyalty", ps[0].name, "php-fpm"), start, end, flat(0)),
		},
	}
}

func unknownNotReadyNoEvidence() *incident {
	now := mustTime("2026-12-04T22:50:00Z")
	w := workload{kind: "Deployment", namespace: "pos", name: "pos-api", replicas: 3, ready: 3,
		labels:     map[string]string{"app": "pos-api"},
		containers: []ctr{{name: "rails", image: registry + "/pos-api:8.14.2", reqCPU: "500m", reqMem: "768Mi", limMem: "1536Mi", ports: []int{3000}}},
		created:    now.Add(-300 * 24 * 60 * m)}
	hash := "8c6f5d9b7e"
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	objs = append(objs, w.object(), w.replicaSet(hash, 3, 3, now.Add(-5*24*60*m), 41))
	var alerted pod
	for i, s := range []string{"2xkbn", "7qpwd", "hz5mt"} {
		p := w.pod(hash, s, coreNodes[i], now.Add(-5*24*60*m), running("rails", now.Add(-5*24*60*m), 0, true))
		if i == 1 {
			alerted = p
		}
		objs = append(objs, p.object())
	}
	return &incident{
		name: "h11-unknown-pos-api-not-ready-alert-nothing-behind-it",
		description: `A KubePodNotReady alert names a pos-api pod, but the pod is Running and Ready, has never
restarted, and no event, log or metric was collected that shows it unready; the Prometheus
scrape of kube-state-metrics had gaps during a kube-vip failover. The evidence supports no
cause.`,
		source: "https://github.com/kubernetes/kubernetes/issues/77943",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodNotReady", "pos", alerted.name, "", "warning"),
			annotations: runbook("Pod has been in a non-ready state for more than 15 minutes.", "Pod pos/"+alerted.name+" has been in a non-ready state for longer than 15 minutes.", "kubepodnotready"),
			startsAt:    now.Add(-3 * m), value: 1,
			query: `sum by (namespace, pod) (max by(namespace, pod) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`},
		expect:  expect{category: "Unknown", namespace: "pos", kind: "Deployment", name: "pos-api", mentions: []string{"pos-api"}},
		objects: objs,
	}
}

func unknownLonghornDegradedDrain() *incident {
	now := mustTime("2026-12-06T23:10:00Z")
	g := galeraWorkload(now)
	var objs []obj
	for _, n := range coreNodes {
		nd := node{name: n, roles: []string{"control-plane", "etcd", "master"}, ready: "True", heartbeat: now.Add(-30 * sec), created: now.Add(-400 * 24 * 60 * m)}
		if n == "core-srv-3" {
			nd.unschedulable = true
			nd.taints = []obj{{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": ts(now.Add(-25 * m))}}
		}
		objs = append(objs, nd.object())
	}
	objs = append(objs, g.object())
	for i, n := range coreNodes {
		s := []string{"0", "1", "2"}[i]
		started := now.Add(-40 * 24 * 60 * m)
		if n == "core-srv-3" {
			n, started = "core-srv-1", now.Add(-22*m)
		}
		p := g.pod("", s, n, started, running("mariadb-galera", started, 0, true))
		objs = append(objs, p.object(), pvc("mariadb", "data-mariadb-galera-"+s, "longhorn", "20Gi", "Bound", "pvc-"+uid("PVC", "mariadb", s)[:18], g.created, g.labels))
	}
	vol := "pvc-" + uid("PVC", "mariadb", "2")[:18]
	objs = append(objs,
		event("", "Node", "core-srv-3", "Normal", "NodeNotSchedulable", "Node core-srv-3 status is now: NodeNotSchedulable", "kubelet", "core-srv-3", 1, now.Add(-25*m), now.Add(-25*m)),
		event("longhorn-system", "Volume", vol, "Normal", "Degraded", "volume "+vol+" became degraded", "longhorn-volume-controller", "", 1, now.Add(-22*m), now.Add(-22*m)),
		event("longhorn-system", "Engine", vol+"-e-0", "Normal", "Rebuilding", "Start rebuilding replica "+vol+"-r-8c1d2e3f with Address 10.42.0.88:10105 for normal engine "+vol+"-e-0 and volume "+vol, "longhorn-engine-controller", "", 1, now.Add(-20*m), now.Add(-20*m)),
		event("mariadb", "Pod", "mariadb-galera-2", "Normal", "Scheduled", "Successfully assigned mariadb/mariadb-galera-2 to core-srv-1", "default-scheduler", "", 1, now.Add(-22*m), now.Add(-22*m)),
	)
	start, end := now.Add(-12*m), now.Add(-15*sec)
	return &incident{
		name: "h11-unknown-longhorn-volume-degraded-during-planned-drain",
		description: `core-srv-3 was cordoned and drained for its kernel update; mariadb-galera-2 moved to
core-srv-1 and Longhorn is rebuilding the replica that lived on core-srv-3, so the volume
is degraded until the rebuild finishes. This is the expected state of a planned drain: the
database is Synced, the rebuild is progressing and nothing is failing.`,
		source: "https://github.com/longhorn/longhorn/issues/1958",
		now:    now,
		alert: alert{labels: map[string]string{"alertname": "LonghornVolumeStatusWarning", "namespace": "longhorn-system", "volume": vol, "pvc": "data-mariadb-galera-2",
			"pvc_namespace": "mariadb", "node": "core-srv-1", "severity": "warning", "issue": "Longhorn volume is Degraded.", "prometheus": promInstance},
			annotations: annotations("Longhorn volume is Degraded for more than 5 minutes.", "Longhorn volume "+vol+" on core-srv-1 is Degraded for more than 5 minutes."),
			startsAt:    now.Add(-15 * m), value: 2, query: `longhorn_volume_robustness == 2`},
		expect:  expect{category: "Unknown", namespace: "mariadb", kind: "PersistentVolumeClaim", name: "data-mariadb-galera-2", mentions: []string{"degraded"}},
		objects: objs,
		logs: []logFile{{namespace: "mariadb", pod: "mariadb-galera-2", container: "mariadb-galera", lines: at(now.Add(-21*m),
			0*sec, `2026-12-06 22:49:00 0 [Note] WSREP: Member 2.0 (mariadb-galera-2) requested state transfer from '*any*'. Selected 0.0 (mariadb-galera-0)(SYNCED) as donor.`,
			90*sec, `2026-12-06 22:50:30 0 [Note] WSREP: 2.0 (mariadb-galera-2): State transfer from 0.0 (mariadb-galera-0) complete.`,
			91*sec, `2026-12-06 22:50:31 0 [Note] WSREP: Shifting JOINED -> SYNCED (TO: 88300112)`,
			91*sec, `2026-12-06 22:50:31 0 [Note] WSREP: Synchronized with group, ready for connections`,
		)}},
		metrics: []series{
			sr("longhorn_volume_robustness", "gauge", "Robustness of this volume: 0=unknown, 1=healthy, 2=degraded, 3=faulted",
				map[string]string{"volume": vol, "pvc": "data-mariadb-galera-2", "pvc_namespace": "mariadb", "node": "core-srv-1"}, start, end, flat(2)),
			sr("longhorn_volume_state", "gauge", "State of this volume: 1=creating, 2=attached, 3=Detached, 4=Attaching, 5=Detaching, 6=Deleting",
				map[string]string{"volume": vol, "pvc": "data-mariadb-galera-2", "pvc_namespace": "mariadb", "node": "core-srv-1"}, start, end, flat(2)),
			sr("mysql_global_status_wsrep_ready", "gauge", "Generic metric from SHOW GLOBAL STATUS.", map[string]string{"namespace": "mariadb", "pod": "mariadb-galera-2"}, start, end, flat(1)),
		},
	}
}
