package main

import (
	"fmt"
	"time"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func rolloutScenarios() []definition {
	return []definition{
		{"bad-deploy-decode-errors-checkout-api", badDeployDecode},
		{"bad-deploy-feature-flag-npe-loyalty", badDeployNPE},
		{"traffic-spike-ticket-onsale", trafficSpike},
	}
}

// Version 2.14.0 expects a number where the pricing service sends a string.
func badDeployDecode(b *builder) {
	b.setup("2026-11-17T15:08:00Z", 45)
	b.describe(`checkout-api 2.14.0 was rolled out 14 minutes ago (ReplicaSet revision 15).
The new version decodes the pricing service's "total" as a number while pricing sends
a string: every quote fails with "json: cannot unmarshal string into Go struct field".
The error ratio rose right as the new pods took traffic; 2.13.2 had no such error.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("checkout-api", ctrSpec{name: "api", image: b.ecr("checkout/checkout-api", "2.13.2"), port: 8080,
		cpuReq: "250m", memReq: "256Mi", memLim: "512Mi", readiness: httpProbe("/readyz", 8080, 3, 5, 1, 3)})
	w := b.deployment("checkout", "checkout-api", 3, b.at(days(365)), spec)
	old := w.revision(14, b.at(days(6)), nil)
	rollout := b.at(14 * time.Minute)
	cur := w.revision(15, rollout, withImage("api", b.ecr("checkout/checkout-api", "2.14.0")))
	cur.changeCause = "checkout-api 2.14.0 (release train 2026-11-17)"
	for i, n := range nodes {
		p := old.pod(n, b.at(days(6)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("checkout-api", 8080, 16, 0.03, route{"POST", "/v1/quotes", 0.6}, route{"POST", "/v1/orders", 0.4})
		p.ctr("api").logs = quietStartup(b, slogStyle, "checkout-api", "2.13.2")
		p.deleteAt(rollout.Add(time.Duration(25+i*25) * time.Second))
	}
	for i, n := range nodes {
		p := cur.pod(n, rollout.Add(time.Duration(i*25)*time.Second))
		p.http = b.webTraffic("checkout-api", 8080, 16, 0.03, route{"POST", "/v1/quotes", 0.6}, route{"POST", "/v1/orders", 0.4})
		p.http.errRatio = constant(0.57)
		p.ctr("api").logs = func(r run, _ int, emit func(time.Time, string)) {
			t := after(r, 300*time.Millisecond)
			emit(t, slogJSON(t, "INFO", "starting checkout-api", "version", "2.14.0", "commit", "9c1e4ab"))
			every(b, r, 2*time.Second, 2*time.Second, emit, func(t time.Time, k int) string {
				if k%7 == 3 {
					return slogJSON(t, "INFO", "order placed", "order", "ord_"+b.hex(10), "duration_ms", 40+k%60)
				}
				return slogJSON(t, "ERROR", "quote failed", "cart", "c_"+b.hex(10), "status", 500,
					"error", "decode pricing response: json: cannot unmarshal string into Go struct field Quote.total of type float64")
			})
		}
	}
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 0 to 1", cur.name), "deployment-controller", "", rollout)
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled down replica set %s from 3 to 2", old.name), "deployment-controller", "", rollout.Add(25*time.Second))
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 1 to 2", cur.name), "deployment-controller", "", rollout.Add(26*time.Second))
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled down replica set %s from 2 to 0", old.name), "deployment-controller", "", rollout.Add(75*time.Second))
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "checkout", "checkout-api", "critical"),
		summary:     "checkout-api is returning errors",
		description: "More than 5% of requests to checkout/checkout-api fail with 5xx (current value 0.56).",
		startsAt:    b.at(9 * time.Minute),
		query:       errorRatioQuery,
		value:       0.56,
	})
	b.expect("BadDeploy", "checkout", "Deployment", "checkout-api", "2.14.0", "cannot unmarshal")
}

// A rollout that only flips a feature flag makes new pods throw NPEs.
func badDeployNPE(b *builder) {
	b.setup("2026-11-12T13:37:00Z", 40)
	b.describe(`loyalty-service revision 8 only changes configuration: it enables
FEATURE_TIER_V2. Pods of the new ReplicaSet throw NullPointerException on every
points calculation for customers without a tier policy; the one pod still on revision
7 is fine. The rollout is half done and the error ratio follows the new pods.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("loyalty-service", ctrSpec{name: "loyalty", image: b.ecr("crm/loyalty-service", "3.6.1"), port: 8080,
		cpuReq: "500m", memReq: "768Mi", memLim: "1Gi", env: []string{"FEATURE_TIER_V2", "false", "JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75"},
		readiness: httpProbe("/actuator/health/readiness", 8080, 25, 10, 2, 3)})
	w := b.deployment("crm", "loyalty-service", 3, b.at(days(280)), spec)
	old := w.revision(7, b.at(days(16)), nil)
	rollout := b.at(11 * time.Minute)
	cur := w.revision(8, rollout, func(s *corev1.PodSpec) { s.Containers[0].Env[0].Value = "true" })
	cur.changeCause = "enable tier v2 (CRM-2291)"
	javaLogs := func(broken bool) logFunc {
		return func(r run, _ int, emit func(time.Time, string)) {
			t := after(r, 800*time.Millisecond)
			emit(t, springLog(t, "INFO", "loyalty-service", "main", "c.a.loyalty.LoyaltyApplication", "Started LoyaltyApplication in 21.4 seconds (process running for 22.9)"))
			every(b, r, 25*time.Second, 3*time.Second, emit, func(t time.Time, k int) string {
				thread := fmt.Sprintf("http-nio-8080-exec-%d", 1+k%30)
				if broken && k%3 != 0 {
					return springLog(t, "ERROR", "loyalty-service", thread, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
						"Servlet.service() for servlet [dispatcherServlet] threw exception") +
						"\n\njava.lang.NullPointerException: Cannot invoke \"com.acme.loyalty.tier.TierPolicy.multiplier()\" because \"policy\" is null" +
						"\n\tat com.acme.loyalty.points.PointsCalculator.calculate(PointsCalculator.java:58)" +
						"\n\tat com.acme.loyalty.points.PointsService.award(PointsService.java:91)" +
						"\n\tat com.acme.loyalty.api.PointsController.award(PointsController.java:44)" +
						"\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)" +
						"\n\t... 48 common frames omitted"
				}
				if k%4 == 0 {
					return springLog(t, "INFO", "loyalty-service", thread, "c.a.loyalty.points.PointsService", fmt.Sprintf("awarded %d points to customer %s", 10+k%90, b.hex(8)))
				}
				return ""
			})
		}
	}
	for i, n := range nodes {
		p := old.pod(n, b.at(days(16)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("loyalty-service", 8080, 12, 0.03, route{"POST", "/v1/points", 1})
		p.ctr("loyalty").logs = javaLogs(false)
		if i < 2 {
			p.deleteAt(rollout.Add(time.Duration(40+i*45) * time.Second))
		}
	}
	for i, n := range nodes[:2] {
		p := cur.pod(n, rollout.Add(time.Duration(i*45)*time.Second))
		p.ctr("loyalty").readyDelay = 30 * time.Second
		p.http = b.webTraffic("loyalty-service", 8080, 12, 0.03, route{"POST", "/v1/points", 1})
		p.http.errRatio = constant(0.66)
		p.ctr("loyalty").logs = javaLogs(true)
	}
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 0 to 1", cur.name), "deployment-controller", "", rollout)
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled down replica set %s from 3 to 2", old.name), "deployment-controller", "", rollout.Add(40*time.Second))
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 1 to 2", cur.name), "deployment-controller", "", rollout.Add(45*time.Second))
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled down replica set %s from 2 to 1", old.name), "deployment-controller", "", rollout.Add(85*time.Second))
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "crm", "loyalty-service", "warning"),
		summary:     "loyalty-service is returning errors",
		description: "More than 5% of requests to crm/loyalty-service fail with 5xx (current value 0.41).",
		startsAt:    b.at(6 * time.Minute),
		query:       errorRatioQuery,
		value:       0.41,
	})
	b.expect("BadDeploy", "crm", "Deployment", "loyalty-service", "NullPointerException", "revision 8")
}

// An on-sale brings six times the usual load; the HPA is at its maximum.
func trafficSpike(b *builder) {
	b.setup("2026-11-14T10:09:00Z", 40)
	b.describe(`Tickets for a stadium tour went on sale at 10:00 UTC. ticketing-api's request
rate went from ~40 to ~260 requests/s per pod within three minutes; the HPA scaled to
its maximum of 4 replicas (ScalingLimited) and the pods saturate: latency climbs and
the request queue rejects with 503.`)
	nodes := b.cluster(4, "c6i.xlarge", "compute")
	spec := b.podSpec("ticketing-api", ctrSpec{name: "api", image: b.ecr("events/ticketing-api", "11.0.3"), port: 8080,
		cpuReq: "1", memReq: "1Gi", memLim: "2Gi", readiness: httpProbe("/ready", 8080, 5, 5, 2, 3)})
	w := b.deployment("events", "ticketing-api", 4, b.at(days(190)), spec)
	rev := w.revision(52, b.at(days(9)), nil)
	onsale := b.at(9 * time.Minute)
	load := ramp(1, 6.5, onsale, onsale.Add(3*time.Minute))
	for i, n := range nodes {
		created := b.at(days(2))
		if i >= 2 {
			created = onsale.Add(time.Duration(40+i*30) * time.Second)
		}
		p := rev.pod(n, created)
		p.ctr("api").cpuUsage(func(t time.Time) float64 { return min(0.98, 0.22*load(t)) * 3.8 })
		p.http = b.webTraffic("ticketing-api", 8080, 40, 0.035, route{"GET", "/v1/events/{id}/availability", 0.8}, route{"POST", "/v1/holds", 0.2})
		p.http.rps = times(steady(b, 40), load)
		p.http.errCode = "503"
		p.http.errRatio = func(t time.Time) float64 { return max(0.001, (load(t)-4.5)/20) }
		p.http.median = func(t time.Time) float64 { return 0.035 * (1 + 8*max(0, load(t)-3)) }
		p.ctr("api").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 2*time.Second, emit, func(t time.Time, k int) string {
				l := load(t)
				switch {
				case l > 5 && k%2 == 0:
					return zapJSON(t, "warn", "server/queue.go:52", "request queue full, rejecting", "queue_depth", 512, "in_flight", 256, "status", 503)
				case l > 3 && k%3 == 0:
					return zapJSON(t, "warn", "server/queue.go:47", "request queue above 80%", "queue_depth", 400+k%100)
				case k%10 == 0:
					return zapJSON(t, "info", "api/availability.go:88", "availability served", "event", "ev_stadium_tour_2027", "ms", int(35*l))
				}
				return ""
			})
		}
	}
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta: metav1.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"},
		ObjectMeta: metav1.ObjectMeta{Name: "ticketing-api", Namespace: "events", UID: k8sUID(b.uid()), CreationTimestamp: metav1.NewTime(b.at(days(190))),
			ResourceVersion: fmt.Sprint(30000000 + b.rng.IntN(9000000))},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "ticketing-api"},
			MinReplicas:    ptr(int32(2)), MaxReplicas: 4,
			Metrics: []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
				Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr(int32(60))}}}},
		},
		Status: autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: 4, DesiredReplicas: 4, LastScaleTime: ptrTime(onsale.Add(100 * time.Second)),
			CurrentMetrics: []autoscalingv2.MetricStatus{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricStatus{
				Name: corev1.ResourceCPU, Current: autoscalingv2.MetricValueStatus{AverageUtilization: ptr(int32(372))}}}},
			Conditions: []autoscalingv2.HorizontalPodAutoscalerCondition{
				{Type: autoscalingv2.AbleToScale, Status: corev1.ConditionTrue, Reason: "ReadyForNewScale", Message: "recommended size matches current size", LastTransitionTime: metav1.NewTime(onsale.Add(2 * time.Minute))},
				{Type: autoscalingv2.ScalingActive, Status: corev1.ConditionTrue, Reason: "ValidMetricFound", Message: "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)", LastTransitionTime: metav1.NewTime(b.at(days(190)))},
				{Type: autoscalingv2.ScalingLimited, Status: corev1.ConditionTrue, Reason: "TooManyReplicas", Message: "the desired replica count is more than the maximum replica count", LastTransitionTime: metav1.NewTime(onsale.Add(100 * time.Second))},
			}},
	}
	b.extraObjects = append(b.extraObjects, kubeObject{"autoscaling.yaml", hpa})
	hpaRef := corev1.ObjectReference{Kind: "HorizontalPodAutoscaler", Namespace: "events", Name: "ticketing-api", UID: hpa.UID, APIVersion: "autoscaling/v2"}
	b.event(hpaRef, "Normal", "SuccessfulRescale", "New size: 3; reason: cpu resource utilization (percentage of request) above target", "horizontal-pod-autoscaler", "", onsale.Add(70*time.Second))
	b.event(hpaRef, "Normal", "SuccessfulRescale", "New size: 4; reason: cpu resource utilization (percentage of request) above target", "horizontal-pod-autoscaler", "", onsale.Add(100*time.Second))
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighLatencyP99", "events", "ticketing-api", "critical"),
		summary:     "ticketing-api p99 latency above 500ms",
		description: "99th percentile latency of events/ticketing-api is 2.4s for 5 minutes.",
		startsAt:    b.at(4 * time.Minute),
		query:       latencyQuery,
		value:       2.4,
	})
	b.expect("TrafficSpike", "events", "Deployment", "ticketing-api", "ticketing-api", "request rate")
}
