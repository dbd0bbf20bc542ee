package main

import "time"

// rollout is a Deployment halfway through a rolling update: the new
// ReplicaSet's pods fail while the old ReplicaSet's pods still serve.
type rollout struct {
	w                workload
	newHash, oldHash string
	oldImage         string
	revision         int
	started          time.Time
	newPods, oldPods []pod
}

func (r rollout) old() workload {
	o := r.w
	c := o.containers[0]
	c.image = r.oldImage
	o.containers = []ctr{c}
	return o
}

func (r rollout) objects() []obj {
	out := []obj{r.w.object(),
		r.w.replicaSet(r.newHash, len(r.newPods), 0, r.started, r.revision),
		r.w.replicaSet(r.oldHash, len(r.oldPods), len(r.oldPods), r.started.Add(-14*24*60*m), r.revision-1, r.old().containers...),
		event(r.w.namespace, "Deployment", r.w.name, "Normal", "ScalingReplicaSet", "Scaled up replica set "+r.w.name+"-"+r.newHash+" from 0 to 1", "deployment-controller", "", 1, r.started, r.started),
	}
	for _, p := range append(append([]pod{}, r.newPods...), r.oldPods...) {
		out = append(out, p.object())
	}
	return out
}

func vertxClassVersion() *incident {
	now := mustTime("2026-12-01T16:42:00Z")
	r := rollout{newHash: "84c7d9f6b5", oldHash: "6d5b8f7c94", oldImage: registry + "/basket-service:5.9.3", revision: 27, started: now.Add(-11 * m)}
	r.w = workload{kind: "Deployment", namespace: "pos", name: "basket-service", replicas: 3, ready: 2, generation: 27,
		labels:     map[string]string{"app": "basket-service"},
		containers: []ctr{{name: "basket", image: registry + "/basket-service:6.0.0", reqCPU: "300m", reqMem: "512Mi", limMem: "1Gi", ports: []int{8080}}},
		created:    now.Add(-500 * 24 * 60 * m)}
	np := r.w.pod(r.newHash, "zr6kc", "core-srv-3", r.started,
		crashLooping("basket", "basket-service-84c7d9f6b5-zr6kc", 7, terminated("Error", 1, now.Add(-1*m), now.Add(-1*m+sec))))
	r.newPods = []pod{np}
	for i, s := range []string{"fb2qd", "l8twx"} {
		r.oldPods = append(r.oldPods, r.old().pod(r.oldHash, s, coreNodes[i], now.Add(-14*24*60*m), running("basket", now.Add(-14*24*60*m), 0, true)))
	}
	start, end := now.Add(-10*m), now.Add(-15*sec)
	return &incident{
		name: "h11-vertx-basket-release-built-for-newer-jre",
		description: `basket-service 6.0.0 was compiled for Java 21 after the build image changed, but its
Dockerfile still starts from a Java 17 JRE. The new ReplicaSet's pod exits at once with
UnsupportedClassVersionError; the two pods of 5.9.3 keep serving baskets.`,
		source: "https://github.com/liquibase/docker/issues/366",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodCrashLooping", "pos", np.name, "basket", "warning"),
			annotations: runbook("Pod is crash looping.", "Pod pos/"+np.name+" (basket) is in waiting state (reason: \"CrashLoopBackOff\").", "kubepodcrashlooping"),
			startsAt:    now.Add(-5 * m), value: 1,
			query: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`},
		expect: expect{category: "BadDeploy", namespace: "pos", kind: "Deployment", name: "basket-service", mentions: []string{"UnsupportedClassVersionError", "6.0.0"}},
		objects: append(append(nodes(now, now.Add(-400*24*60*m)), r.objects()...),
			event("pos", "Pod", np.name, "Warning", "BackOff", "Back-off restarting failed container basket in pod "+np.name+"_pos("+uid("Pod", "pos", np.name)+")", "kubelet", "core-srv-3", 33, now.Add(-10*m), now.Add(-30*sec))),
		logs: []logFile{{namespace: "pos", pod: np.name, container: "basket", previous: true, lines: at(now.Add(-1*m),
			0*sec, `Error: LinkageError occurred while loading main class com.shop.basket.BasketLauncher`,
			0*sec, `	java.lang.UnsupportedClassVersionError: com/shop/basket/BasketLauncher has been compiled by a more recent version of the Java Runtime (class file version 65.0), this version of the Java Runtime only recognizes class file versions up to 61.0`,
		)}},
		metrics: []series{
			sr("kube_pod_container_status_restarts_total", "counter", helpRestarts, cl("pos", np.name, "basket"), start, end, func(i int) float64 { return float64(2 + i/8) }),
			sr("kube_deployment_status_replicas_updated", "gauge", "The number of updated replicas per deployment.", map[string]string{"namespace": "pos", "deployment": "basket-service"}, start, end, flat(1)),
		},
	}
}

func hapiMissingModule() *incident {
	now := mustTime("2026-12-02T10:07:00Z")
	r := rollout{newHash: "7f5c9b8d6e", oldHash: "59c8d7b6f4", oldImage: registry + "/loyalty-notify:1.14.2", revision: 19, started: now.Add(-9 * m)}
	r.w = workload{kind: "Deployment", namespace: "loyalty", name: "loyalty-notify", replicas: 2, ready: 2, generation: 19,
		labels:     map[string]string{"app": "loyalty-notify"},
		containers: []ctr{{name: "hapi", image: registry + "/loyalty-notify:2.0.0", reqCPU: "100m", reqMem: "128Mi", limMem: "256Mi", ports: []int{3000}, env: []obj{envVal("NODE_ENV", "production")}}},
		created:    now.Add(-250 * 24 * 60 * m)}
	np := r.w.pod(r.newHash, "g2xnp", "core-srv-1", r.started,
		crashLooping("hapi", "loyalty-notify-7f5c9b8d6e-g2xnp", 5, terminated("Error", 1, now.Add(-2*m), now.Add(-2*m+sec))))
	r.newPods = []pod{np}
	for i, s := range []string{"c6mrw", "w3kzh"} {
		r.oldPods = append(r.oldPods, r.old().pod(r.oldHash, s, coreNodes[i+1], now.Add(-14*24*60*m), running("hapi", now.Add(-14*24*60*m), 0, true)))
	}
	return &incident{
		name: "h11-hapi-notify-release-misses-inert-in-production-install",
		description: `loyalty-notify 2.0.0 serves its e-mail templates with @hapi/inert, which the release put
under devDependencies; the image runs npm ci --omit=dev, so the new pod dies at require().
The old pods print a punycode deprecation warning that is harmless.`,
		source: "https://github.com/PostHog/posthog/pull/17528",
		now:    now,
		alert: alert{labels: ksmAlert("KubePodCrashLooping", "loyalty", np.name, "hapi", "warning"),
			annotations: runbook("Pod is crash looping.", "Pod loyalty/"+np.name+" (hapi) is in waiting state (reason: \"CrashLoopBackOff\").", "kubepodcrashlooping"),
			startsAt:    now.Add(-4 * m), value: 1,
			query: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`},
		expect: expect{category: "BadDeploy", namespace: "loyalty", kind: "Deployment", name: "loyalty-notify", mentions: []string{"Cannot find module", "2.0.0"}},
		objects: append(append(nodes(now, now.Add(-400*24*60*m)), r.objects()...),
			event("loyalty", "Pod", np.name, "Warning", "BackOff", "Back-off restarting failed container hapi in pod "+np.name+"_loyalty("+uid("Pod", "loyalty", np.name)+")", "kubelet", "core-srv-1", 21, now.Add(-8*m), now.Add(-40*sec))),
		logs: []logFile{
			{namespace: "loyalty", pod: np.name, container: "hapi", previous: true, lines: at(now.Add(-2*m),
				0*sec, `node:internal/modules/cjs/loader:1228`,
				0*sec, `  throw err;`,
				0*sec, `  ^`,
				0*sec, ``,
				0*sec, `Error: Cannot find module '@hapi/inert'`,
				0*sec, `Require stack:`,
				0*sec, `- /app/dist/plugins/templates.js`,
				0*sec, `- /app/dist/server.js`,
				0*sec, `    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)`,
				0*sec, `    at Module._load (node:internal/modules/cjs/loader:1051:27)`,
				0*sec, `    at Module.require (node:internal/modules/cjs/loader:1311:19)`,
				0*sec, `    at require (node:internal/modules/helpers:179:18)`,
				0*sec, `    at Object.<anonymous> (/app/dist/plugins/templates.js:3:15) {`,
				0*sec, `  code: 'MODULE_NOT_FOUND',`,
				0*sec, `  requireStack: [ '/app/dist/plugins/templates.js', '/app/dist/server.js' ]`,
				0*sec, `}`,
				0*sec, ``,
				0*sec, `Node.js v20.18.1`,
			)},
			{namespace: "loyalty", pod: r.oldPods[0].name, container: "hapi", lines: at(now.Add(-6*m),
				0*sec, `(node:1) [DEP0040] DeprecationWarning: The `+"`punycode`"+` module is deprecated. Please use a userland alternative instead.`,
				2*m, `{"level":30,"time":1796616000000,"msg":"sent","template":"tier-upgrade","member":"m-88213"}`,
			)},
		},
	}
}

func rakeTaskReleaseBadDeploy() *incident {
	now := mustTime("2026-12-03T14:28:00Z")
	r := rollout{newHash: "5c8f6d7b9a", oldHash: "7b9d6c5f8e", oldImage: registry + "/loyalty-tiers:0.21.4", revision: 8, started: now.Add(-13 * m)}
	r.w = workload{kind: "Deployment", namespace: "loyalty", name: "loyalty-tiers", replicas: 2, ready: 1, generation: 8,
		labels: map[string]string{"app": "loyalty-tiers"},
		containers: []ctr{{name: "hanami", image: registry + "/loyalty-tiers:0.22.0", reqCPU: "200m", reqMem: "256Mi", limMem: "512Mi", ports: []int{2300},
			readiness: httpProbe("/health", 2300, 10, 2, 3)}},
		created: now.Add(-150 * 24 * 60 * m)}
	np := r.w.pod(r.newHash, "kd7wq", "core-srv-2", r.started, running("hanami", r.started.Add(5*sec), 0, true))
	r.newPods = []pod{np}
	r.oldPods = []pod{r.old().pod(r.oldHash, "p3ntx", "core-srv-3", now.Add(-14*24*60*m), running("hanami", now.Add(-14*24*60*m), 0, true))}
	start, end := now.Add(-15*m), now.Add(-15*sec)
	code := func(hash string, status string) map[string]string {
		return map[string]string{"namespace": "loyalty", "service": "loyalty-tiers", "revision": hash, "status": status}
	}
	return &incident{
		name: "h11-hanami-tiers-release-references-missing-serializer",
		description: `loyalty-tiers 0.22.0 (Hanami) renamed TierSerializer but one action still references the
old constant; the new pod passes its readiness check and serves, but every GET of a member's
tier raises NameError and returns 500. Only the new ReplicaSet's requests fail.`,
		source: "https://github.com/badges/shields/issues/1618",
		now:    now,
		alert: alert{labels: map[string]string{"alertname": "LoyaltyTiersErrorRate", "namespace": "loyalty", "service": "loyalty-tiers", "severity": "warning", "prometheus": promInstance},
			annotations: annotations("loyalty-tiers 5xx ratio above 5%", "loyalty-tiers answers 5xx for 48% of requests."),
			startsAt:    now.Add(-8 * m), value: 0.48,
			query: `sum(rate(http_requests_total{service="loyalty-tiers",status=~"5.."}[5m])) / sum(rate(http_requests_total{service="loyalty-tiers"}[5m])) > 0.05`},
		expect:  expect{category: "BadDeploy", namespace: "loyalty", kind: "Deployment", name: "loyalty-tiers", mentions: []string{"uninitialized constant", "0.22.0"}},
		objects: append(append(nodes(now, now.Add(-400*24*60*m)), r.objects()...), service("loyalty", "loyalty-tiers", r.w.labels, 80, 2300, r.w.created, ""), endpoints("loyalty", "loyalty-tiers", 2300, r.w.created, append(r.newPods, r.oldPods...), nil)),
		logs: []logFile{
			{namespace: "loyalty", pod: np.name, container: "hanami", lines: at(now.Add(-4*m),
				0*sec, `[loyalty-tiers] [INFO] [2026-12-03 14:24:00 +0000] GET 200 1ms 10.42.0.1 /health -`,
				2*sec, `[loyalty-tiers] [ERROR] [2026-12-03 14:24:02 +0000] GET 500 9ms 10.42.1.22 /members/m-55120/tier -`,
				2*sec, `NameError: uninitialized constant Loyalty::Actions::Tiers::Show::TierSerializer`,
				2*sec, `/app/slices/loyalty/actions/tiers/show.rb:18:in 'handle'`,
				2*sec, `/usr/local/bundle/gems/hanami-controller-2.1.0/lib/hanami/action.rb:325:in 'call'`,
				3*sec, `[loyalty-tiers] [ERROR] [2026-12-03 14:24:03 +0000] GET 500 8ms 10.42.2.7 /members/m-10442/tier -`,
				3*sec, `NameError: uninitialized constant Loyalty::Actions::Tiers::Show::TierSerializer`,
			)},
			{namespace: "loyalty", pod: r.oldPods[0].name, container: "hanami", lines: at(now.Add(-4*m),
				1*sec, `[loyalty-tiers] [INFO] [2026-12-03 14:24:01 +0000] GET 200 14ms 10.42.1.22 /members/m-88213/tier -`,
			)},
		},
		metrics: []series{
			sr("http_requests_total", "counter", "Requests served by the Hanami app.", code(r.newHash, "500"), start, end, func(i int) float64 {
				if i < 8 {
					return 0
				}
				return 9 * float64(i-8)
			}),
			sr("http_requests_total", "counter", "Requests served by the Hanami app.", code(r.newHash, "200"), start, end, func(i int) float64 { return 2 * float64(max(0, i-8)) }),
			sr("http_requests_total", "counter", "Requests served by the Hanami app.", code(r.oldHash, "200"), start, end, linear(120500, 11)),
		},
	}
}
