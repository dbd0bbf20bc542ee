package main

import (
	"fmt"
	"time"
)

func utc(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, time.UTC)
}

func beamSideInputOOM() *scn {
	s := newScn("h9-beam-enricher-oomkilled-side-input-reload", utc(11, 3, 9, 40))
	s.source = "https://github.com/apache/beam/issues/30360"
	s.description = `The analytics clickstream enricher (an Apache Beam Python pipeline on the in-process
runner, reading Pub/Sub) is OOMKilled every few minutes: the product catalogue side input is
reloaded as a dict every ten minutes and, with the state cache on, two copies live at once and
working set climbs to the 3Gi limit. A pubsub DeprecationWarning and a slow-ack warning are noise.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(20*24*time.Hour))
	t := tmpl{labels: labelsApp("clickstream-enricher"), containers: []ctr{{name: "enricher",
		image:    "europe-west4-docker.pkg.dev/retail-prod/analytics/clickstream-enricher:2.61.0-3",
		args:     []string{"--streaming", "--input_subscription=projects/retail-prod/subscriptions/clickstream-raw", "--max_cache_memory_usage_mb=1024"},
		requests: res("1", "2Gi"), limits: res("2", "3Gi")}},
		extra: obj{"serviceAccountName": "clickstream-enricher"}}
	a := s.app("analytics", "clickstream-enricher", 2, 0, s.ago(9*24*time.Hour), 14, t)
	last := s.ago(3 * time.Minute)
	first := s.podName(a, 0)
	p0 := s.appPod(a, 0, nodes[0], "Running", s.ago(9*24*time.Hour), cst{name: "enricher", restarts: 6,
		state: waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container=enricher pod="+first+"_analytics("+s.uid("Pod", "analytics", first)+")"),
		last:  terminated("OOMKilled", 137, s.ago(9*time.Minute), last)})
	p1 := s.appPod(a, 1, nodes[1], "Running", s.ago(9*24*time.Hour), cst{name: "enricher", restarts: 5,
		state: running(s.ago(2 * time.Minute)), last: terminated("OOMKilled", 137, s.ago(12*time.Minute), s.ago(2*time.Minute))})
	for _, p := range []string{p0, p1} {
		s.event("analytics", "Pod", p, "Warning", "BackOff", "Back-off restarting failed container enricher in pod "+p+"_analytics("+s.uid("Pod", "analytics", p)+")", 14, s.ago(40*time.Minute), s.ago(2*time.Minute), "kubelet", nodes[0])
	}
	s.event("analytics", "Pod", p0, "Normal", "Pulled", `Container image "europe-west4-docker.pkg.dev/retail-prod/analytics/clickstream-enricher:2.61.0-3" already present on machine`, 6, s.ago(40*time.Minute), s.ago(9*time.Minute), "kubelet", nodes[0])
	prev := func(start time.Time) []logLine {
		return every(start, 40*time.Second,
			"INFO:apache_beam.runners.portability.fn_api_runner.fn_runner:Running ((((ref_AppliedPTransform_ReadClickstream_6)+(ref_AppliedPTransform_ParseJson_7))+(ref_AppliedPTransform_Enrich_8))",
			"INFO:apache_beam.runners.worker.statecache:Creating state cache with size 1073741824",
			"/usr/local/lib/python3.11/site-packages/google/cloud/pubsub_v1/subscriber/_protocol/streaming_pull_manager.py:148: DeprecationWarning: The 'min_duration_per_lease_extension' parameter is deprecated",
			"INFO:enricher.catalog:Refreshing side input product_catalog from gs://retail-prod-analytics/catalog/latest.jsonl",
			"INFO:enricher.catalog:Loaded product_catalog side input as dict: 4812377 entries",
			"WARNING:google.cloud.pubsub_v1.subscriber._protocol.leaser:Dropping 212 items because they were leased too long.",
			"INFO:enricher.catalog:Refreshing side input product_catalog from gs://retail-prod-analytics/catalog/latest.jsonl",
			"INFO:enricher.catalog:Loaded product_catalog side input as dict: 4813020 entries")
	}
	s.log("analytics/"+p0+"/enricher.previous", prev(s.ago(9*time.Minute))...)
	s.log("analytics/"+p1+"/enricher.previous", prev(s.ago(12*time.Minute))...)
	s.log("analytics/"+p1+"/enricher", every(s.ago(2*time.Minute), 30*time.Second,
		"INFO:apache_beam.runners.worker.statecache:Creating state cache with size 1073741824",
		"INFO:enricher.catalog:Refreshing side input product_catalog from gs://retail-prod-analytics/catalog/latest.jsonl")...)
	m := newMetrics(s.now, 10*time.Minute)
	m.gauge("container_memory_working_set_bytes", "Current working set of the container in bytes", `namespace="analytics",pod="`+p1+`",container="enricher"`,
		func(i int) float64 { return mib(900 + float64((i*61)%2150)) })
	m.gauge("kube_pod_container_resource_limits", "The number of requested limit resource by a container.", `namespace="analytics",pod="`+p1+`",container="enricher",resource="memory",unit="byte"`, flat(mib(3072)))
	m.counter("kube_pod_container_status_restarts", "The number of container restarts per container.", `namespace="analytics",pod="`+p0+`",container="enricher"`, 4, func(i int) float64 {
		if i == 18 || i == 34 {
			return 1
		}
		return 0
	})
	m.gauge("kube_pod_container_status_last_terminated_reason", "Describes the last reason the container was in terminated state.", `namespace="analytics",pod="`+p0+`",container="enricher",reason="OOMKilled"`, flat(1))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "analytics", "pod": p0, "container": "enricher",
		"severity": "warning", "cluster": "retail-prod-ew4", "project_id": "retail-prod", "location": "europe-west4"},
		map[string]string{"summary": "Pod is crash looping.", "description": "Pod analytics/" + p0 + " (enricher) is in waiting state (reason: \"CrashLoopBackOff\")."},
		15*time.Minute, `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	s.expect("OOMKilled", "analytics", "Deployment", "clickstream-enricher", "OOMKilled", "side input", "3Gi")
	return s
}

func sqlProxySidecarOOM() *scn {
	s := newScn("h9-cloud-sql-proxy-sidecar-oomkilled-connection-burst", utc(11, 5, 18, 12))
	s.source = "https://github.com/GoogleCloudPlatform/cloud-sql-proxy/issues/103"
	s.description = `The Go gRPC quote-api keeps running, but its cloud-sql-proxy sidecar (limit 64Mi) is
OOMKilled during the evening burst: every gRPC handler opens its own Postgres connection through the
proxy, and memory grows with connections. The app logs connection refused to 127.0.0.1:5432 while
the proxy restarts. No metrics were kept for this incident.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("quote-api"), containers: []ctr{
		{name: "quote-api", image: "europe-west4-docker.pkg.dev/retail-prod/pricing/quote-api:1.31.4",
			ports: []obj{port("grpc", 9090)}, requests: res("500m", "256Mi"), limits: res("", "512Mi"),
			env: []obj{envVal("DATABASE_URL", "postgres://quote@127.0.0.1:5432/pricing?sslmode=disable")}},
		{name: "cloud-sql-proxy", image: "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.4",
			args:     []string{"--structured-logs", "--port=5432", "retail-prod:europe-west4:pricing-pg"},
			requests: res("50m", "32Mi"), limits: res("", "64Mi")}},
		extra: obj{"serviceAccountName": "quote-api"}}
	a := s.app("pricing", "quote-api", 3, 2, s.ago(6*24*time.Hour), 31, t)
	var pods []string
	for i := 0; i < 3; i++ {
		proxy := healthy("cloud-sql-proxy", s.ago(2*time.Hour))
		if i == 1 {
			proxy = cst{name: "cloud-sql-proxy", restarts: 7, state: waiting("CrashLoopBackOff", "back-off 1m20s restarting failed container=cloud-sql-proxy"),
				last: terminated("OOMKilled", 137, s.ago(4*time.Minute), s.ago(3*time.Minute))}
		}
		pods = append(pods, s.appPod(a, i, nodes[i%2], "Running", s.ago(6*24*time.Hour), healthy("quote-api", s.ago(6*24*time.Hour)), proxy))
	}
	bad := pods[1]
	s.event("pricing", "Pod", bad, "Warning", "BackOff", "Back-off restarting failed container cloud-sql-proxy in pod "+bad+"_pricing("+s.uid("Pod", "pricing", bad)+")", 19, s.ago(35*time.Minute), s.ago(time.Minute), "kubelet", nodes[1])
	s.event("pricing", "Pod", bad, "Warning", "Unhealthy", "Readiness probe failed: dial tcp 127.0.0.1:5432: connect: connection refused", 11, s.ago(35*time.Minute), s.ago(2*time.Minute), "kubelet", nodes[1])
	s.log("pricing/"+bad+"/cloud-sql-proxy.previous", every(s.ago(4*time.Minute), 4*time.Second,
		`{"severity":"INFO","timestamp":"2026-11-05T18:08:00.113Z","message":"Authorizing with Application Default Credentials"}`,
		`{"severity":"INFO","timestamp":"2026-11-05T18:08:00.402Z","message":"[retail-prod:europe-west4:pricing-pg] Listening on 127.0.0.1:5432"}`,
		`{"severity":"INFO","timestamp":"2026-11-05T18:08:00.402Z","message":"The proxy has started successfully and is ready for new connections!"}`,
		`{"severity":"INFO","timestamp":"2026-11-05T18:08:31.020Z","message":"[retail-prod:europe-west4:pricing-pg] Accepted connection from 127.0.0.1:41822"}`,
		`{"severity":"INFO","timestamp":"2026-11-05T18:08:31.900Z","message":"[retail-prod:europe-west4:pricing-pg] Accepted connection from 127.0.0.1:41838"}`)...)
	s.log("pricing/"+bad+"/cloud-sql-proxy.previous", repeat(s.ago(4*time.Minute).Add(25*time.Second), 800*time.Millisecond, 40, func(i int, at time.Time) string {
		return fmt.Sprintf(`{"severity":"INFO","timestamp":"%s","message":"[retail-prod:europe-west4:pricing-pg] Accepted connection from 127.0.0.1:%d"}`, at.Format("2006-01-02T15:04:05.000Z"), 42000+i*6)
	})...)
	s.log("pricing/"+bad+"/quote-api", repeat(s.ago(5*time.Minute), 9*time.Second, 30, func(i int, _ time.Time) string {
		if i%3 == 2 {
			return gcl("WARNING", "quote cache miss ratio above 0.4", "logger", "quote.cache")
		}
		return gcl("ERROR", `failed to connect to `+"`host=127.0.0.1 user=quote database=pricing`"+`: dial error (dial tcp 127.0.0.1:5432: connect: connection refused)`, "logger", "quote.store", "grpc.method", "/pricing.v1.QuoteService/GetQuote")
	})...)
	s.setAlert(map[string]string{"alertname": "PricingQuoteErrors", "namespace": "pricing", "service": "quote-api", "severity": "critical",
		"grafana_folder": "Pricing", "team": "pricing"},
		map[string]string{"summary": "quote-api gRPC errors above 5%", "description": "UNAVAILABLE responses from pricing.v1.QuoteService rose to 12%"},
		20*time.Minute, `sum(rate(grpc_server_handled_total{namespace="pricing",grpc_service="pricing.v1.QuoteService",grpc_code!="OK"}[5m])) / sum(rate(grpc_server_handled_total{namespace="pricing",grpc_service="pricing.v1.QuoteService"}[5m]))`, 0.12)
	s.expect("OOMKilled", "pricing", "Deployment", "quote-api", "cloud-sql-proxy", "OOMKilled", "64Mi")
	return s
}

func metadataServerCrashLoop() *scn {
	s := newScn("h9-gke-metadata-server-crashloop-breaks-workload-identity", utc(11, 7, 6, 55))
	s.source = "https://github.com/kubeflow/kfctl/issues/48"
	s.description = `Pub/Sub consumers in analytics on one node fail to get Workload Identity tokens:
google-auth reports the metadata server unavailable. The gke-metadata-server pod on that node
(kube-system DaemonSet) fails its liveness probe and is restarted in a loop, so every pod on the
node loses credentials. Pods of the same Deployment on other nodes are fine.`
	created := s.ago(40 * 24 * time.Hour)
	nodes := s.nodes("pool-std", "e2-standard-8", false, 3, created)
	dsT := tmpl{labels: map[string]string{"k8s-app": "gke-metadata-server"}, containers: []ctr{{name: "gke-metadata-server",
		image: "gke.gcr.io/gke-metadata-server:gke_metadata_server_20260912.00_p0", requests: res("100m", "100Mi"), limits: res("", "200Mi"),
		liveness: httpProbe("/healthz", 989, 10, 3, 3), ports: []obj{port("metrics", 987)}}},
		extra: obj{"hostNetwork": true, "priorityClassName": "system-node-critical", "serviceAccountName": "gke-metadata-server"}}
	s.add(obj{"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": s.meta("DaemonSet", "kube-system", "gke-metadata-server", map[string]string{"addonmanager.kubernetes.io/mode": "Reconcile", "k8s-app": "gke-metadata-server"}, created),
		"spec":   obj{"selector": obj{"matchLabels": dsT.labels}, "template": obj{"metadata": obj{"labels": dsT.labels}, "spec": dsT.podSpec()}},
		"status": obj{"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2, "numberAvailable": 2, "numberUnavailable": 1, "updatedNumberScheduled": 3}})
	var mds []string
	for i, n := range nodes {
		name := "gke-metadata-server-" + suffix(s.name+n, 5)
		st := healthy("gke-metadata-server", created)
		if i == 2 {
			st = cst{name: "gke-metadata-server", restarts: 38, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=gke-metadata-server"),
				last: terminated("Error", 2, s.ago(6*time.Minute), s.ago(5*time.Minute))}
		}
		s.pod("kube-system", name, n, "DaemonSet", "gke-metadata-server", withLabels(dsT.labels, "controller-revision-hash", "6d9f8b7c5d"), dsT, "Running", created, []cst{st}, nil)
		mds = append(mds, name)
	}
	sick := mds[2]
	s.event("kube-system", "Pod", sick, "Warning", "Unhealthy", "Liveness probe failed: Get \"http://"+nodeIP(nodes[2])+":989/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", 112, s.ago(3*time.Hour), s.ago(5*time.Minute), "kubelet", nodes[2])
	s.event("kube-system", "Pod", sick, "Normal", "Killing", "Container gke-metadata-server failed liveness probe, will be restarted", 37, s.ago(3*time.Hour), s.ago(5*time.Minute), "kubelet", nodes[2])
	s.log("kube-system/"+sick+"/gke-metadata-server.previous", every(s.ago(6*time.Minute), 7*time.Second,
		"I1107 06:49:01.114302       1 main.go:287] Starting gke-metadata-server",
		"I1107 06:49:01.503911       1 cache.go:142] Watching pods on node "+nodes[2],
		"W1107 06:49:33.877120       1 server.go:618] [conn-id:5b1f0c2e9a44d7e1 ip:10.52.7.41 pod:analytics/events-ingest] Slow token refresh for \"events-ingest@retail-prod.iam.gserviceaccount.com\": 29.8s",
		"E1107 06:49:58.020551       1 server.go:631] [conn-id:9e03aa1b77c21f50 ip:10.52.7.41 pod:analytics/events-ingest] Unable to generate access token for \"events-ingest@retail-prod.iam.gserviceaccount.com\": context deadline exceeded",
		"E1107 06:50:09.612730       1 server.go:631] [conn-id:0c77d1e5a9b3f412 ip:10.52.7.44 pod:analytics/sessionizer] Unable to generate access token for \"sessionizer@retail-prod.iam.gserviceaccount.com\": context deadline exceeded")...)
	t := tmpl{labels: labelsApp("events-ingest"), containers: []ctr{{name: "ingest", image: "europe-west4-docker.pkg.dev/retail-prod/analytics/events-ingest:0.48.2",
		requests: res("250m", "512Mi"), limits: res("", "1Gi")}}, extra: obj{"serviceAccountName": "events-ingest"}}
	a := s.app("analytics", "events-ingest", 3, 3, s.ago(12*24*time.Hour), 9, t)
	pods := s.runningPods(a, 3, nodes, s.ago(12*24*time.Hour))
	victim := pods[2]
	s.log("analytics/"+victim+"/ingest", repeat(s.ago(10*time.Minute), 20*time.Second, 28, func(i int, _ time.Time) string {
		switch i % 4 {
		case 0:
			return "WARNING:google.auth.compute_engine._metadata:Compute Engine Metadata server unavailable on attempt 1 of 3. Reason: timed out"
		case 1:
			return "WARNING:google.auth.compute_engine._metadata:Compute Engine Metadata server unavailable on attempt 3 of 3. Reason: [Errno 111] Connection refused"
		case 2:
			return "ERROR:events_ingest.subscriber:streaming pull failed: google.auth.exceptions.TransportError: Failed to retrieve http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/?recursive=true from the Google Compute Engine metadata service. Compute Engine Metadata server unavailable"
		default:
			return "INFO:events_ingest.subscriber:reopening StreamingPull on projects/retail-prod/subscriptions/events-ingest in 10s"
		}
	})...)
	s.log("analytics/"+pods[0]+"/ingest", repeat(s.ago(10*time.Minute), time.Minute, 10, func(i int, _ time.Time) string {
		return fmt.Sprintf("INFO:events_ingest.subscriber:acked %d messages from projects/retail-prod/subscriptions/events-ingest", 4100+i*13)
	})...)
	m := newMetrics(s.now, 10*time.Minute)
	for i, p := range pods {
		rate := 70.0
		if i == 2 {
			rate = 0
		}
		m.counter("events_ingest_messages_acked", "Pub/Sub messages acknowledged.", `namespace="analytics",pod="`+p+`"`, 2.1e6, flat(rate*15))
	}
	m.counter("kube_pod_container_status_restarts", "The number of container restarts per container.", `namespace="kube-system",pod="`+sick+`",container="gke-metadata-server"`, 34, func(i int) float64 {
		if i%10 == 9 {
			return 1
		}
		return 0
	})
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "PubSubSubscriptionBacklogGrowing", "namespace": "analytics", "pod": victim, "subscription_id": "events-ingest", "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "events-ingest backlog is growing", "description": "Oldest unacked message age above 10 minutes for events-ingest."},
		12*time.Minute, `max(pubsub_googleapis_com:subscription_oldest_unacked_message_age{subscription_id="events-ingest"}) > 600`, 914)
	s.expect("DependencyFailure", "kube-system", "DaemonSet", "gke-metadata-server", "gke-metadata-server", "metadata server")
	return s
}

func inventorySyncConcurrentMapWrites() *scn {
	s := newScn("h9-inventory-sync-fatal-concurrent-map-writes", utc(11, 9, 14, 20))
	s.source = "https://github.com/fleetdm/fleet/issues/49536"
	s.description = `The Go inventory-sync worker exits with "fatal error: concurrent map writes" under load and
restarts in a loop; nothing was deployed for nine days and memory stays far under the limit. A NEG
readiness gate warning on another pod and a slow Spanner commit warning are unrelated.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(25*24*time.Hour))
	t := tmpl{labels: labelsApp("inventory-sync"), containers: []ctr{{name: "inventory-sync", image: "europe-west4-docker.pkg.dev/retail-prod/inventory/inventory-sync:3.8.1",
		ports: []obj{port("grpc", 8443), port("metrics", 9090)}, requests: res("500m", "256Mi"), limits: res("", "768Mi")}}}
	a := s.app("inventory", "inventory-sync", 2, 1, s.ago(9*24*time.Hour), 22, t)
	p0 := s.appPod(a, 0, nodes[0], "Running", s.ago(9*24*time.Hour), cst{name: "inventory-sync", restarts: 9,
		state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=inventory-sync"),
		last:  terminated("Error", 2, s.ago(7*time.Minute), s.ago(6*time.Minute))})
	p1 := s.appPod(a, 1, nodes[1], "Running", s.ago(9*24*time.Hour), cst{name: "inventory-sync", ready: true, restarts: 4, state: running(s.ago(31 * time.Minute)),
		last: terminated("Error", 2, s.ago(50*time.Minute), s.ago(31*time.Minute))})
	s.event("inventory", "Pod", p0, "Warning", "BackOff", "Back-off restarting failed container inventory-sync in pod "+p0+"_inventory("+s.uid("Pod", "inventory", p0)+")", 27, s.ago(time.Hour), s.ago(time.Minute), "kubelet", nodes[0])
	s.event("inventory", "Pod", p1, "Warning", "LoadBalancerNegNotReady", "Waiting for pod to become healthy in at least one of the NEG(s): [k8s1-7c1d2e3f-inventory-inventory-sync-8443-5a9e0c1b]", 1, s.ago(31*time.Minute), s.ago(31*time.Minute), "neg-readiness-reflector", "")
	s.log("inventory/"+p0+"/inventory-sync.previous", every(s.ago(7*time.Minute), 6*time.Second,
		gcl("INFO", "starting inventory-sync", "version", "3.8.1", "go", "go1.23.2"),
		gcl("INFO", "subscribed to projects/retail-prod/subscriptions/stock-movements"),
		gcl("WARNING", "spanner commit took 1.8s", "table", "StockLevels"),
		gcl("INFO", "applied 512 stock movements", "batch", "7731"))...)
	s.log("inventory/"+p0+"/inventory-sync.previous", every(s.ago(6*time.Minute).Add(-time.Second), time.Millisecond,
		"fatal error: concurrent map writes",
		"",
		"goroutine 4187 [running]:",
		"github.com/retail/inventory-sync/internal/reserve.(*Ledger).Apply(0xc0001a8e40, {0xc00b2f6a80, 0x24})",
		"\t/src/internal/reserve/ledger.go:118 +0x1c5",
		"github.com/retail/inventory-sync/internal/pubsub.(*Consumer).handle.func1()",
		"\t/src/internal/pubsub/consumer.go:94 +0x8e",
		"created by github.com/retail/inventory-sync/internal/pubsub.(*Consumer).handle in goroutine 212",
		"\t/src/internal/pubsub/consumer.go:88 +0x1d3")...)
	s.log("inventory/"+p1+"/inventory-sync", repeat(s.ago(12*time.Minute), 40*time.Second, 18, func(i int, _ time.Time) string {
		return gcl("INFO", fmt.Sprintf("applied %d stock movements", 480+i%40), "batch", fmt.Sprint(9120+i))
	})...)
	m := newMetrics(s.now, 12*time.Minute)
	m.counter("kube_pod_container_status_restarts", "The number of container restarts per container.", `namespace="inventory",pod="`+p0+`",container="inventory-sync"`, 6, func(i int) float64 {
		if i == 12 || i == 30 || i == 44 {
			return 1
		}
		return 0
	})
	m.gauge("container_memory_working_set_bytes", "Current working set of the container in bytes", `namespace="inventory",pod="`+p1+`",container="inventory-sync"`, wobble(mib(182), mib(6)))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "inventory", "pod": p0, "container": "inventory-sync", "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Pod is crash looping.", "description": "Pod inventory/" + p0 + " (inventory-sync) is in waiting state (reason: \"CrashLoopBackOff\")."},
		25*time.Minute, `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	s.expect("CrashLoop", "inventory", "Deployment", "inventory-sync", "concurrent map writes")
	return s
}

func pumaGrpcSegfault() *scn {
	s := newScn("h9-puma-cluster-grpc-gem-segfault-after-fork", utc(11, 10, 11, 5))
	s.source = "https://github.com/grpc/grpc/issues/16013"
	s.description = `The Sinatra tracking-web app runs Puma in cluster mode with preload_app!; the grpc gem
(used for the Pub/Sub client) initialised in the master crashes every forked worker with
"[BUG] Segmentation fault", and the master exits. Exit code 134 each time, no rollout, no metrics.`
	nodes := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(20*24*time.Hour))
	t := tmpl{labels: labelsApp("tracking-web"), containers: []ctr{{name: "puma", image: "europe-west4-docker.pkg.dev/retail-prod/fulfilment/tracking-web:2026.11.2",
		command: []string{"bundle", "exec", "puma", "-C", "config/puma.rb"}, ports: []obj{port("http", 9292)},
		requests: res("300m", "512Mi"), limits: res("", "1Gi"), readiness: httpProbe("/healthz", "http", 10, 2, 3),
		env: []obj{envVal("WEB_CONCURRENCY", "3"), envVal("RAILS_MAX_THREADS", "5")}}}}
	a := s.app("fulfilment", "tracking-web", 2, 0, s.ago(5*24*time.Hour), 17, t)
	var pods []string
	for i := 0; i < 2; i++ {
		pods = append(pods, s.appPod(a, i, nodes[i], "Running", s.ago(26*time.Hour), cst{name: "puma", restarts: 11 + i,
			state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=puma"),
			last:  terminated("Error", 134, s.ago(9*time.Minute), s.ago(8*time.Minute))}))
	}
	for i, p := range pods {
		s.event("fulfilment", "Pod", p, "Warning", "BackOff", "Back-off restarting failed container puma in pod "+p+"_fulfilment("+s.uid("Pod", "fulfilment", p)+")", 40+i, s.ago(90*time.Minute), s.ago(time.Minute), "kubelet", nodes[i])
		s.log("fulfilment/"+p+"/puma.previous", every(s.ago(9*time.Minute), 300*time.Millisecond,
			"[1] Puma starting in cluster mode...",
			"[1] * Puma version: 6.4.3 (ruby 3.3.5-p100) (\"The Eagle of Durango\")",
			"[1] *  Min threads: 5",
			"[1] *  Max threads: 5",
			"[1] *  Environment: production",
			"[1] *   Master PID: 1",
			"[1] *      Workers: 3",
			"[1] *     Restarts: (✔) hot (✖) phased",
			"[1] * Preloading application",
			"[1] * Listening on http://0.0.0.0:9292",
			"[1] Use Ctrl-C to stop",
			"[1] - Worker 0 (PID: 14) booted in 0.01s, phase: 0",
			"/usr/local/bundle/gems/grpc-1.66.0-x86_64-linux/src/ruby/lib/grpc/generic/active_call.rb:339: [BUG] Segmentation fault at 0x0000000000000018",
			"ruby 3.3.5 (2024-09-03 revision ef084cc8f4) [x86_64-linux]",
			"-- Control frame information -----------------------------------------------",
			"c:0031 p:---- s:0174 e:000173 CFUNC  :run_batch",
			"[1] ! Terminating timed out worker (worker failed to check in within 60 seconds): 14",
			"[1] ! Unable to start worker",
			"[1] Early termination of worker")...)
	}
	s.setAlert(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "fulfilment", "deployment": "tracking-web", "severity": "warning", "cluster": "retail-prod-ew4", "job": "kube-state-metrics"},
		map[string]string{"summary": "Deployment has not matched the expected number of replicas.", "description": "Deployment fulfilment/tracking-web has not matched the expected number of replicas for longer than 15 minutes."},
		50*time.Minute, `kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}`, 2)
	s.expect("CrashLoop", "fulfilment", "Deployment", "tracking-web", "Segmentation fault", "grpc")
	return s
}

func fastifyLocalhostLiveness() *scn {
	s := newScn("h9-fastify-listens-on-localhost-liveness-refused", utc(11, 12, 15, 30))
	s.source = "https://github.com/fastify/fastify-cli/issues/57"
	s.description = `A new Fastify service, reviews-api, starts and logs "Server listening at
http://127.0.0.1:3000": Fastify binds to localhost unless told otherwise, so the kubelet's liveness
and readiness probes on the pod IP are refused and the container is killed every 30 s. The
service is new (revision 1), no metrics were collected.`
	nodes := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(20*24*time.Hour))
	t := tmpl{labels: labelsApp("reviews-api"), containers: []ctr{{name: "reviews-api", image: "europe-west4-docker.pkg.dev/retail-prod/storefront/reviews-api:1.0.0",
		ports: []obj{port("http", 3000)}, requests: res("200m", "256Mi"), limits: res("", "512Mi"),
		liveness: httpProbe("/health", "http", 10, 1, 3), readiness: httpProbe("/health", "http", 5, 1, 3),
		env: []obj{envVal("PORT", "3000"), envVal("NODE_ENV", "production")}}}}
	s.deployment("storefront", "reviews-api", 2, s.ago(25*time.Minute), 1, t, depStatus(2, 2, 0, 0,
		cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", s.ago(25*time.Minute))))
	a := app{ns: "storefront", name: "reviews-api", t: t, rs: s.rs("storefront", "reviews-api", 1, 2, 0, s.ago(25*time.Minute), t)}
	for i := 0; i < 2; i++ {
		p := s.appPod(a, i, nodes[i], "Running", s.ago(25*time.Minute), cst{name: "reviews-api", restarts: 8,
			state: running(s.ago(20 * time.Second)), last: terminated("Error", 137, s.ago(70*time.Second), s.ago(40*time.Second))})
		ip := podIP(p)
		s.event("storefront", "Pod", p, "Warning", "Unhealthy", "Liveness probe failed: Get \"http://"+ip+":3000/health\": dial tcp "+ip+":3000: connect: connection refused", 24, s.ago(24*time.Minute), s.ago(30*time.Second), "kubelet", nodes[i])
		s.event("storefront", "Pod", p, "Warning", "Unhealthy", "Readiness probe failed: Get \"http://"+ip+":3000/health\": dial tcp "+ip+":3000: connect: connection refused", 61, s.ago(24*time.Minute), s.ago(20*time.Second), "kubelet", nodes[i])
		s.event("storefront", "Pod", p, "Normal", "Killing", "Container reviews-api failed liveness probe, will be restarted", 8, s.ago(23*time.Minute), s.ago(40*time.Second), "kubelet", nodes[i])
		boot := func(start time.Time) []logLine {
			ms := start.UnixMilli()
			return every(start, 400*time.Millisecond,
				fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"%s","msg":"Server listening at http://127.0.0.1:3000"}`, ms, p),
				fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"%s","msg":"reviews-api ready","routes":14}`, ms+400, p),
				fmt.Sprintf(`{"level":40,"time":%d,"pid":1,"hostname":"%s","msg":"(node:1) [FSTDEP017] FastifyDeprecation: You are accessing the deprecated \"request.routerPath\" property. Use \"request.routeOptions.url\" instead."}`, ms+800, p))
		}
		s.log("storefront/"+p+"/reviews-api.previous", boot(s.ago(70*time.Second))...)
		s.log("storefront/"+p+"/reviews-api", boot(s.ago(20*time.Second))...)
	}
	s.setAlert(map[string]string{"alertname": "KubePodNotReady", "namespace": "storefront", "pod": s.podName(a, 0), "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Pod has been in a non-ready state for more than 15 minutes.", "description": "Pod storefront/" + s.podName(a, 0) + " has been in a non-ready state for longer than 15 minutes."},
		9*time.Minute, `sum by (namespace, pod) (max by(namespace, pod) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`, 1)
	s.expect("ProbeFailure", "storefront", "Deployment", "reviews-api", "127.0.0.1", "liveness")
	return s
}

func arPull403OnNapPool() *scn {
	s := newScn("h9-nap-node-service-account-artifact-registry-403", utc(11, 14, 8, 45))
	s.source = "https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/issues/1779"
	s.description = `label-renderer scaled out and node auto-provisioning created a new pool whose nodes run as
a custom service account without Artifact Registry Reader. Pods on the new nodes cannot pull
(403 Forbidden on the token endpoint) while pods on the old pool still run the same image. The
new pods never started, so they have no logs.`
	old := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(30*24*time.Hour))
	napNode := "gke-retail-prod-ew4-nap-e2-standard-8-" + hex8(s.name+"nap") + "-q7w8"
	s.gkeNode(napNode, "nap-e2-standard-8-1k9zqp3x", "europe-west4-b", "e2-standard-8", false, s.ago(40*time.Minute), nil)
	img := "europe-west4-docker.pkg.dev/retail-prod/fulfilment/label-renderer:4.2.0"
	t := tmpl{labels: labelsApp("label-renderer"), containers: []ctr{{name: "renderer", image: img, ports: []obj{port("http", 8080)},
		requests: res("2", "3Gi"), limits: res("", "3Gi")}}}
	s.deployment("fulfilment", "label-renderer", 6, s.ago(60*24*time.Hour), 12, t, depStatus(6, 6, 2, 2))
	a := app{ns: "fulfilment", name: "label-renderer", t: t, rs: s.rs("fulfilment", "label-renderer", 12, 6, 2, s.ago(8*24*time.Hour), t)}
	for i := 0; i < 2; i++ {
		s.appPod(a, i, old[i], "Running", s.ago(8*24*time.Hour), healthy("renderer", s.ago(8*24*time.Hour)))
	}
	var alerted string
	for i := 2; i < 6; i++ {
		p := s.appPod(a, i, napNode, "Pending", s.ago(38*time.Minute), cst{name: "renderer", state: waiting("ImagePullBackOff", `Back-off pulling image "`+img+`"`)})
		if alerted == "" {
			alerted = p
		}
		s.event("fulfilment", "Pod", p, "Warning", "Failed", `Failed to pull image "`+img+`": failed to pull and unpack image "`+img+`": failed to resolve reference "`+img+`": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://europe-west4-docker.pkg.dev/v2/token?scope=repository%3Aretail-prod%2Ffulfilment%2Flabel-renderer%3Apull&service=europe-west4-docker.pkg.dev: 403 Forbidden`, 9, s.ago(37*time.Minute), s.ago(4*time.Minute), "kubelet", napNode)
		s.event("fulfilment", "Pod", p, "Warning", "Failed", "Error: ErrImagePull", 9, s.ago(37*time.Minute), s.ago(4*time.Minute), "kubelet", napNode)
		s.event("fulfilment", "Pod", p, "Normal", "BackOff", `Back-off pulling image "`+img+`"`, 140, s.ago(36*time.Minute), s.ago(20*time.Second), "kubelet", napNode)
	}
	s.event("fulfilment", "Pod", alerted, "Normal", "TriggeredScaleUp", "pod triggered scale-up: [{https://www.googleapis.com/compute/v1/projects/retail-prod/zones/europe-west4-b/instanceGroups/gke-retail-prod-ew4-nap-e2-standard-8-1k9zqp3x-grp 0->1 (max: 1000)}]", 1, s.ago(41*time.Minute), s.ago(41*time.Minute), "cluster-autoscaler", "")
	m := newMetrics(s.now, 10*time.Minute)
	for i := 2; i < 6; i++ {
		m.gauge("kube_pod_container_status_waiting_reason", "Describes the reason the container is currently in waiting state.", `namespace="fulfilment",pod="`+s.podName(a, i)+`",container="renderer",reason="ImagePullBackOff"`, flat(1))
	}
	m.gauge("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", `namespace="fulfilment",deployment="label-renderer"`, flat(2))
	m.gauge("kube_deployment_spec_replicas", "Number of desired pods for a deployment.", `namespace="fulfilment",deployment="label-renderer"`, flat(6))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "KubePodNotReady", "namespace": "fulfilment", "pod": alerted, "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Pod has been in a non-ready state for more than 15 minutes."},
		20*time.Minute, `sum by (namespace, pod) (max by(namespace, pod) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`, 1)
	s.expect("ImagePull", "fulfilment", "Deployment", "label-renderer", "403 Forbidden", "Artifact Registry")
	return s
}

func symfonyEnvNotFound() *scn {
	s := newScn("h9-symfony-messenger-dsn-env-not-found", utc(11, 16, 13, 10))
	s.source = "https://github.com/symfony/symfony/issues/58105"
	s.description = `The Symfony order-consumer (messenger:consume) crashes at boot: MESSENGER_TRANSPORT_DSN is
read from a Secret key marked optional, the key was renamed to MESSENGER_DSN when the Secret was
rotated, so the variable is simply absent and Symfony throws EnvNotFoundException. No metrics.`
	nodes := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(20*24*time.Hour))
	t := tmpl{labels: labelsApp("order-consumer"), containers: []ctr{{name: "consumer", image: "europe-west4-docker.pkg.dev/retail-prod/fulfilment/order-app:7.1.3",
		command:  []string{"php", "bin/console", "messenger:consume", "async", "--time-limit=3600", "-vv"},
		requests: res("250m", "256Mi"), limits: res("", "512Mi"),
		env: []obj{envVal("APP_ENV", "prod"), {"name": "MESSENGER_TRANSPORT_DSN", "valueFrom": obj{"secretKeyRef": obj{"name": "order-app", "key": "MESSENGER_TRANSPORT_DSN", "optional": true}}},
			{"name": "DATABASE_URL", "valueFrom": obj{"secretKeyRef": obj{"name": "order-app", "key": "DATABASE_URL"}}}}}}}
	a := s.app("fulfilment", "order-consumer", 2, 0, s.ago(30*24*time.Hour), 8, t)
	var pods []string
	for i := 0; i < 2; i++ {
		p := s.appPod(a, i, nodes[i], "Running", s.ago(3*time.Hour), cst{name: "consumer", restarts: 28,
			state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=consumer"),
			last:  terminated("Error", 255, s.ago(4*time.Minute), s.ago(4*time.Minute).Add(2*time.Second))})
		pods = append(pods, p)
		s.event("fulfilment", "Pod", p, "Warning", "BackOff", "Back-off restarting failed container consumer in pod "+p+"_fulfilment("+s.uid("Pod", "fulfilment", p)+")", 150, s.ago(3*time.Hour), s.ago(time.Minute), "kubelet", nodes[i])
		s.log("fulfilment/"+p+"/consumer.previous", every(s.ago(4*time.Minute), 300*time.Millisecond,
			`PHP Fatal error:  Uncaught Symfony\Component\DependencyInjection\Exception\EnvNotFoundException: Environment variable not found: "MESSENGER_TRANSPORT_DSN". in /app/vendor/symfony/dependency-injection/EnvVarProcessor.php:221`,
			`Stack trace:`,
			`#0 /app/vendor/symfony/dependency-injection/Container.php(393): Symfony\Component\DependencyInjection\EnvVarProcessor->getEnv('string', 'MESSENGER_TRANS...', Object(Closure))`,
			`#1 /app/var/cache/prod/ContainerXk2aP1q/getMessenger_Transport_AsyncService.php(23): Symfony\Component\DependencyInjection\Container->getEnv('MESSENGER_TRANS...')`,
			`#2 /app/vendor/symfony/console/Application.php(1096): Symfony\Component\Messenger\Command\ConsumeMessagesCommand->run(Object(Symfony\Component\Console\Input\ArgvInput), Object(Symfony\Component\Console\Output\ConsoleOutput))`,
			`#3 {main}`,
			`  thrown in /app/vendor/symfony/dependency-injection/EnvVarProcessor.php on line 221`)...)
	}
	s.setAlert(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "fulfilment", "pod": pods[0], "container": "consumer", "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Pod is crash looping."}, 2*time.Hour+40*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	s.expect("ConfigError", "fulfilment", "Deployment", "order-consumer", "MESSENGER_TRANSPORT_DSN", "Environment variable not found")
	return s
}

func workloadIdentityAnnotationMissing() *scn {
	s := newScn("h9-ksa-without-workload-identity-annotation-pubsub-403", utc(11, 18, 10, 25))
	s.source = "https://github.com/mia-0032/fluent-plugin-gcloud-pubsub-custom/issues/83"
	s.description = `Config Sync moved the clickstream-subscriber to a new Kubernetes service account,
clickstream-reader, created without the iam.gke.io/gcp-service-account annotation. Workload
Identity then authenticates the pod as the bare KSA principal, which has no Pub/Sub role: every
StreamingPull fails with PermissionDenied "User not authorized to perform this action".`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(20*24*time.Hour))
	oldT := tmpl{labels: labelsApp("clickstream-subscriber"), containers: []ctr{{name: "subscriber", image: "europe-west4-docker.pkg.dev/retail-prod/analytics/clickstream-subscriber:1.12.0",
		requests: res("200m", "256Mi"), limits: res("", "512Mi")}}, extra: obj{"serviceAccountName": "clickstream-subscriber"}}
	newT := oldT
	newT.extra = obj{"serviceAccountName": "clickstream-reader"}
	s.deployment("analytics", "clickstream-subscriber", 2, s.ago(50*24*time.Hour), 6, newT, depStatus(2, 2, 2, 2))
	s.rs("analytics", "clickstream-subscriber", 5, 0, 0, s.ago(20*24*time.Hour), oldT)
	a := app{ns: "analytics", name: "clickstream-subscriber", t: newT, rs: s.rs("analytics", "clickstream-subscriber", 6, 2, 2, s.ago(35*time.Minute), newT)}
	pods := s.runningPods(a, 2, nodes, s.ago(35*time.Minute))
	s.event("analytics", "Deployment", "clickstream-subscriber", "Normal", "ScalingReplicaSet", "Scaled up replica set "+a.rs+" to 2", 1, s.ago(35*time.Minute), s.ago(35*time.Minute), "deployment-controller", "")
	s.add(obj{"apiVersion": "v1", "kind": "ConfigMap", "metadata": s.meta("ConfigMap", "analytics", "clickstream-subscriber", map[string]string{"app.kubernetes.io/managed-by": "configmanagement.gke.io"}, s.ago(35*time.Minute)),
		"data": map[string]string{"SUBSCRIPTION": "projects/retail-prod/subscriptions/clickstream-bq-sink", "KSA": "clickstream-reader", "CONFIGSYNC_COMMIT": "8f41c2d"}})
	for _, p := range pods {
		s.log("analytics/"+p+"/subscriber", repeat(s.ago(30*time.Minute), 50*time.Second, 34, func(i int, _ time.Time) string {
			if i%5 == 4 {
				return gcl("INFO", "retrying StreamingPull in 30s", "subscription", "clickstream-bq-sink")
			}
			return gcl("ERROR", `subscriber exited: rpc error: code = PermissionDenied desc = User not authorized to perform this action.`, "subscription", "projects/retail-prod/subscriptions/clickstream-bq-sink", "principal", "retail-prod.svc.id.goog[analytics/clickstream-reader]")
		})...)
	}
	m := newMetrics(s.now, 10*time.Minute)
	m.gauge("pubsub_googleapis_com:subscription_num_undelivered_messages", "Number of unacknowledged messages (GMP from Cloud Monitoring).", `subscription_id="clickstream-bq-sink",project_id="retail-prod"`, m.ramp(1.8e5, 3.1e5))
	m.counter("clickstream_messages_processed", "Messages written to BigQuery.", `namespace="analytics",pod="`+pods[0]+`"`, 1.9e7, flat(0))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "ClickstreamSinkStalled", "namespace": "analytics", "deployment": "clickstream-subscriber", "severity": "critical", "grafana_folder": "Analytics"},
		map[string]string{"summary": "No clickstream messages written for 20 minutes", "runbook_url": "https://runbooks.retail.internal/analytics/clickstream"},
		20*time.Minute, `sum(rate(clickstream_messages_processed_total{namespace="analytics"}[10m])) == 0`, 0)
	s.expect("ConfigError", "analytics", "Deployment", "clickstream-subscriber", "Workload Identity", "PermissionDenied")
	return s
}

func arm64NodeSelectorAmd64Image() *scn {
	s := newScn("h9-t2a-arm-node-selector-amd64-only-image", utc(12, 14, 13, 35))
	s.source = "https://cloud.google.com/kubernetes-engine/docs/how-to/prepare-arm-workloads-for-deployment"
	s.description = `To save cost, geo-tiler was given nodeSelector kubernetes.io/arch=arm64; node
auto-provisioning created Tau T2A (Arm) nodes for it, but the image is built for linux/amd64 only
and containerd cannot pull it: "no match for platform in manifest". The pods never started. A
GMP scrape warning on the old pods is unrelated.`
	old := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	arm := "gke-retail-prod-ew4-nap-t2a-standard-4-" + hex8(s.name+"arm") + "-7kq2"
	s.gkeNode(arm, "nap-t2a-standard-4-9c2kx1vd", "europe-west4-a", "t2a-standard-4", false, s.ago(30*time.Minute),
		[]any{obj{"key": "kubernetes.io/arch", "value": "arm64", "effect": "NoSchedule"}})
	img := "europe-west4-docker.pkg.dev/retail-prod/analytics/geo-tiler:1.8.2"
	c := ctr{name: "tiler", image: img, ports: []obj{port("http", 8080)}, requests: res("1", "1Gi"), limits: res("", "2Gi")}
	oldT := tmpl{labels: labelsApp("geo-tiler"), containers: []ctr{c}}
	newT := tmpl{labels: oldT.labels, containers: []ctr{c}, extra: obj{"nodeSelector": map[string]string{"kubernetes.io/arch": "arm64"},
		"tolerations": []any{obj{"key": "kubernetes.io/arch", "operator": "Equal", "value": "arm64", "effect": "NoSchedule"}}}}
	s.deployment("analytics", "geo-tiler", 2, s.ago(80*24*time.Hour), 10, newT, depStatus(3, 1, 2, 2))
	oldA := app2(s, "analytics", "geo-tiler", 9, 2, 2, s.ago(12*24*time.Hour), oldT)
	newA := app2(s, "analytics", "geo-tiler", 10, 1, 0, s.ago(32*time.Minute), newT)
	running := s.runningPods(oldA, 2, old, s.ago(12*24*time.Hour))
	p := s.appPod(newA, 0, arm, "Pending", s.ago(32*time.Minute), cst{name: "tiler", state: waiting("ImagePullBackOff", `Back-off pulling image "`+img+`"`)})
	s.event("analytics", "Pod", p, "Normal", "TriggeredScaleUp", "pod triggered scale-up: [{https://www.googleapis.com/compute/v1/projects/retail-prod/zones/europe-west4-a/instanceGroups/gke-retail-prod-ew4-nap-t2a-standard-4-9c2kx1vd-grp 0->1 (max: 1000)}]", 1, s.ago(32*time.Minute), s.ago(32*time.Minute), "cluster-autoscaler", "")
	s.event("analytics", "Pod", p, "Normal", "Pulling", `Pulling image "`+img+`"`, 7, s.ago(27*time.Minute), s.ago(3*time.Minute), "kubelet", arm)
	s.event("analytics", "Pod", p, "Warning", "Failed", `Failed to pull image "`+img+`": rpc error: code = NotFound desc = failed to pull and unpack image "`+img+`": no match for platform in manifest: not found`, 7, s.ago(27*time.Minute), s.ago(3*time.Minute), "kubelet", arm)
	s.event("analytics", "Pod", p, "Warning", "Failed", "Error: ErrImagePull", 7, s.ago(27*time.Minute), s.ago(3*time.Minute), "kubelet", arm)
	s.event("analytics", "Pod", p, "Normal", "BackOff", `Back-off pulling image "`+img+`"`, 110, s.ago(26*time.Minute), s.ago(15*time.Second), "kubelet", arm)
	s.event("analytics", "Deployment", "geo-tiler", "Normal", "ScalingReplicaSet", "Scaled up replica set "+newA.rs+" to 1", 1, s.ago(32*time.Minute), s.ago(32*time.Minute), "deployment-controller", "")
	s.log("analytics/"+running[0]+"/tiler", repeat(s.ago(10*time.Minute), time.Minute, 10, func(i int, _ time.Time) string {
		if i == 4 {
			return gcl("WARNING", "metrics scrape took 9.8s, close to the 10s PodMonitoring timeout", "logger", "tiler.metrics")
		}
		return gcl("INFO", "rendered tile batch", "zoom", fmt.Sprint(10+i%5), "tiles", "4096")
	})...)
	m := newMetrics(s.now, 10*time.Minute)
	m.gauge("kube_pod_container_status_waiting_reason", "Describes the reason the container is currently in waiting state.", `namespace="analytics",pod="`+p+`",container="tiler",reason="ImagePullBackOff"`, flat(1))
	m.gauge("kube_node_labels", "Kubernetes labels converted to Prometheus labels.", `node="`+arm+`",label_kubernetes_io_arch="arm64",label_cloud_google_com_gke_nodepool="nap-t2a-standard-4-9c2kx1vd"`, flat(1))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "KubeDeploymentRolloutStuck", "namespace": "analytics", "deployment": "geo-tiler", "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Deployment rollout is not progressing."}, 15*time.Minute,
		`kube_deployment_status_replicas_updated{job="kube-state-metrics"} != kube_deployment_spec_replicas{job="kube-state-metrics"}`, 1)
	s.expect("ImagePull", "analytics", "Deployment", "geo-tiler", "no match for platform", "arm64")
	return s
}
