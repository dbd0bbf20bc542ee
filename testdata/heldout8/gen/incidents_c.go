package main

import (
	"fmt"
	"time"
)

// daemonSet writes a DaemonSet with one pod per general node; states[i] is the pod on generalNodes[i].
func (w *world) daemonSet(ns, name, image string, ports []int, states []cs) []string {
	sel := map[string]string{"k8s-app": name}
	rev := hashOf(ns, name, "rev")[:10]
	labels := merge(sel, map[string]string{"controller-revision-hash": rev, "pod-template-generation": "3"})
	tpl := cs{name: name, image: image, ports: ports, resources: res("25m", "5Mi", "", "128Mi")}
	ready := 0
	for _, s := range states {
		if s.ready {
			ready++
		}
	}
	w.add("apps", obj{"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta(ns, name, w.at(300*24*time.Hour), sel),
		"spec": obj{"selector": obj{"matchLabels": sel}, "updateStrategy": obj{"type": "RollingUpdate", "rollingUpdate": obj{"maxUnavailable": "10%"}},
			"template": obj{"metadata": obj{"labels": sel}, "spec": obj{"hostNetwork": true, "priorityClassName": "system-node-critical", "containers": []obj{tpl.spec()}}}},
		"status": obj{"currentNumberScheduled": len(states), "desiredNumberScheduled": len(states), "numberAvailable": ready, "numberReady": ready, "numberUnavailable": len(states) - ready, "updatedNumberScheduled": len(states), "numberMisscheduled": 0, "observedGeneration": 3}})
	var names []string
	for i, s := range states {
		c := tpl
		c.ready, c.restarts, c.state, c.last = s.ready, s.restarts, s.state, s.last
		pn := name + "-" + hashOf(name, generalNodes[i])[:5]
		names = append(names, pn)
		w.pod(podSpec{ns: ns, name: pn, labels: labels, ownerKind: "DaemonSet", ownerName: name, node: generalNodes[i], created: w.at(9 * 24 * time.Hour), containers: []cs{c},
			tolerations: []obj{{"operator": "Exists", "effect": "NoSchedule"}, {"operator": "Exists", "effect": "NoExecute"}}})
	}
	return names
}

// statefulSet writes a StatefulSet, its pods <name>-<i> and one claim <claim>-<name>-<i> per pod.
func (w *world) statefulSet(ns, name, image, claim, size string, port int, states []podState, c cs) []string {
	sel := map[string]string{"app.kubernetes.io/name": name}
	rev := name + "-" + hashOf(ns, name, "sts")[:10]
	c.name, c.image, c.ports = name, image, []int{port}
	ready := 0
	for _, s := range states {
		if s.ready {
			ready++
		}
	}
	w.add("apps", obj{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta(ns, name, w.at(200*24*time.Hour), sel),
		"spec": obj{"replicas": len(states), "serviceName": name + "-headless", "podManagementPolicy": "Parallel", "selector": obj{"matchLabels": sel},
			"template":             obj{"metadata": obj{"labels": sel}, "spec": obj{"containers": []obj{c.spec()}}},
			"volumeClaimTemplates": []obj{{"metadata": obj{"name": claim}, "spec": obj{"accessModes": []string{"ReadWriteOnce"}, "storageClassName": "gp3-encrypted", "resources": obj{"requests": obj{"storage": size}}}}}},
		"status": obj{"replicas": len(states), "readyReplicas": ready, "availableReplicas": ready, "currentReplicas": len(states), "updatedReplicas": len(states), "currentRevision": rev, "updateRevision": rev, "observedGeneration": 4}})
	var names []string
	for i, s := range states {
		pn := fmt.Sprintf("%s-%d", name, i)
		names = append(names, pn)
		pc := c
		pc.ready, pc.restarts, pc.state, pc.last = s.ready, s.restarts, s.state, s.last
		init, proxy := istio(true, w.at(s.age))
		w.pvc(ns, fmt.Sprintf("%s-%s", claim, pn), "gp3-encrypted", size, "Bound", 200*24*time.Hour, sel)
		w.pod(podSpec{ns: ns, name: pn, labels: merge(sel, map[string]string{"controller-revision-hash": rev, "statefulset.kubernetes.io/pod-name": pn, "apps.kubernetes.io/pod-index": fmt.Sprint(i)}),
			ownerKind: "StatefulSet", ownerName: name, node: generalNodes[s.node%len(generalNodes)], created: w.at(s.age), inits: []cs{init}, containers: []cs{pc, proxy},
			volumes: []obj{{"name": claim, "persistentVolumeClaim": obj{"claimName": fmt.Sprintf("%s-%s", claim, pn)}}}})
	}
	return names
}

func nodeLocalDNSBind() *world {
	w := newWorld("h8-node-local-dns-bind-conflict-one-node", "2026-12-04T15:36:00Z")
	w.description = `A profiling agent rolled out as a hostNetwork DaemonSet the day before also listens on 8080. On node
ip-10-42-11-23 it started before node-local-dns restarted, so node-cache can no longer bind its health port
169.254.20.10:8080 and crash-loops. Pods on that node send DNS to 169.254.20.10 and get nothing back: risk-api (FastAPI)
on that node fails every call to fraud-model.risk.svc.cluster.local with "Temporary failure in name resolution",
while its replicas on other nodes are fine.`
	w.source = "https://github.com/kubernetes/kops/issues/9245"
	w.stdNodes()
	crash := func(ago time.Duration) obj { return terminated("Error", 1, w.at(ago+time.Second), w.at(ago)) }
	dns := w.daemonSet("kube-system", "node-local-dns", "registry.k8s.io/dns/k8s-dns-node-cache:1.23.1", []int{53, 9253}, []cs{
		{restarts: 17, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=node-local-dns"), last: crash(2 * time.Minute)},
		{ready: true, state: running(w.at(9 * 24 * time.Hour))},
		{ready: true, state: running(w.at(9 * 24 * time.Hour))},
	})
	w.logLines("kube-system", dns[0], "node-local-dns", true, 2*time.Minute, 50*time.Millisecond,
		"2026/12/04 15:33:58 [INFO] Starting node-cache image: 1.23.1",
		"2026/12/04 15:33:58 [INFO] Using Corefile /etc/Corefile",
		"2026/12/04 15:33:58 [INFO] Using Pidfile ",
		"2026/12/04 15:33:58 [INFO] Skipping kube-dns configmap sync as no directory was specified",
		"cluster.local.:53 on 169.254.20.10",
		"in-addr.arpa.:53 on 169.254.20.10",
		"ip6.arpa.:53 on 169.254.20.10",
		".:53 on 169.254.20.10",
		"[INFO] plugin/reload: Running configuration SHA512 = 8c52b5b4d3c0e1f6a7b9",
		"CoreDNS-1.11.3",
		"linux/amd64, go1.22.9, ",
		"listen tcp 169.254.20.10:8080: bind: address already in use")
	w.logLines("kube-system", dns[1], "node-local-dns", false, 40*time.Second, 10*time.Second, "[INFO] Reloading complete", "[INFO] 127.0.0.1:53818 - 21201 \"HINFO IN 2171431289164121722.5270013190742511873. udp 57 false 512\" NXDOMAIN qr,aa,rd,ra 132 0.000612s")
	w.event("kube-system", "Pod", dns[0], "Warning", "BackOff", "Back-off restarting failed container node-local-dns in pod "+dns[0]+"_kube-system("+uid("kube-system", dns[0])+")", 77, w.at(70*time.Minute), w.at(30*time.Second), "kubelet", generalNodes[0])
	pods := w.app(appSpec{ns: "risk", name: "risk-api", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/risk-api:2.7.5", port: 8000,
		res: res("250m", "384Mi", "1", "768Mi"), revision: 30, age: 500 * 24 * time.Hour, rsAge: 6 * 24 * time.Hour,
		pods: []podState{{ready: true, state: running(w.at(6 * 24 * time.Hour)), age: 6 * 24 * time.Hour, node: 0}, {ready: true, state: running(w.at(6 * 24 * time.Hour)), age: 6 * 24 * time.Hour, node: 1}, {ready: true, state: running(w.at(6 * 24 * time.Hour)), age: 6 * 24 * time.Hour, node: 2}}})
	w.logLines("risk", pods[0], "risk-api", false, 5*time.Second, 5*time.Second, repeat(30, func(j int) string {
		if j%3 == 2 {
			return `INFO:     10.42.33.7:0 - "POST /v1/score HTTP/1.1" 502 Bad Gateway`
		}
		return fmt.Sprintf(`{"level":"ERROR","logger":"risk_api.clients.model","message":"model call failed","exc":"httpx.ConnectError: [Errno -3] Temporary failure in name resolution","url":"http://fraud-model.risk.svc.cluster.local:8080/v2/predict","attempt":%d}`, j%3+1)
	})...)
	w.logLines("risk", pods[1], "risk-api", false, 8*time.Second, 6*time.Second, `INFO:     10.42.33.7:0 - "POST /v1/score HTTP/1.1" 200 OK`, `INFO:     10.42.33.7:0 - "POST /v1/score HTTP/1.1" 200 OK`)
	w.metric("coredns_dns_requests_total", "counter", "Counter of DNS requests made per zone, protocol and family.", map[string]string{"job": "node-local-dns", "instance": generalNodes[1], "server": "dns://169.254.20.10:53", "zone": "cluster.local.", "type": "A", "proto": "udp", "family": "1"}, func(s int) float64 { return 8.1e6 + float64(s)*400 })
	w.metric("up", "gauge", "Whether the scrape succeeded.", map[string]string{"job": "node-local-dns", "instance": generalNodes[0]}, constant(0))
	w.metric("up", "gauge", "Whether the scrape succeeded.", map[string]string{"job": "node-local-dns", "instance": generalNodes[1]}, constant(1))
	w.restartsMetric("kube-system", dns[0], "node-local-dns", 12, 17)
	w.metric("http_requests_total", "counter", "Total number of requests by method, status and handler.", map[string]string{"namespace": "risk", "pod": pods[0], "handler": "/v1/score", "method": "POST", "status": "5xx"}, func(s int) float64 { return 900 + float64(s)*44 })
	w.setAlert("RiskApiErrorBudgetBurn", "critical", map[string]string{"namespace": "risk", "service": "risk-api", "job": "risk/risk-api"},
		"risk-api is burning its error budget", "risk-api 5xx ratio is 31% (1h burn rate 14.4x).", 17*time.Minute,
		`sum(rate(http_requests_total{namespace="risk", handler="/v1/score", status="5xx"}[5m])) / sum(rate(http_requests_total{namespace="risk", handler="/v1/score"}[5m])) > 0.1`, 0.31)
	w.want("DNSFailure", "kube-system", "DaemonSet", "node-local-dns", "169.254.20.10", "name resolution")
	return w
}

func externalDNSAccessDenied() *world {
	w := newWorld("h8-externaldns-route53-access-denied-new-host", "2026-12-07T09:58:00Z")
	w.description = `The refunds API got a new public host name, refunds.pay.example.eu, through an annotation on the
Istio ingress gateway Service. ExternalDNS never created the record: after its IRSA policy was narrowed in a security
review, route53:ListHostedZones is denied and every sync fails with AccessDenied. The blackbox probe for the new name
fails with "no such host". Existing names keep resolving because their records were created earlier. No metrics were
collected.`
	w.source = "https://github.com/kubernetes-sigs/external-dns/issues/4219"
	w.stdNodes()
	edns := w.app(appSpec{ns: "external-dns", name: "external-dns", image: "registry.k8s.io/external-dns/external-dns:v0.15.1", port: 7979, noMesh: true, sa: "external-dns",
		res: res("50m", "64Mi", "", "128Mi"), revision: 9, age: 400 * 24 * time.Hour, rsAge: 2 * 24 * time.Hour,
		pods: []podState{{ready: true, state: running(w.at(2 * 24 * time.Hour)), age: 2 * 24 * time.Hour, node: 2}}})
	w.logLines("external-dns", edns[0], "external-dns", false, 20*time.Second, time.Minute, repeat(12, func(j int) string {
		if j%4 == 0 {
			return `time="2026-12-07T09:4` + fmt.Sprint(6+j/2%4) + `:13Z" level=info msg="Applying provider record filter for domains: [pay.example.eu. .pay.example.eu.]"`
		}
		return fmt.Sprintf(`time="2026-12-07T09:%02d:13Z" level=error msg="Failed to do run once: soft error\nrecords retrieval failed: failed to list hosted zones: operation error Route 53: ListHostedZones, https response error StatusCode: 403, RequestID: %s, api error AccessDenied: User: arn:aws:sts::491783263510:assumed-role/payments-eu-external-dns/%d is not authorized to perform: route53:ListHostedZones because no identity-based policy allows the route53:ListHostedZones action (consecutive soft errors: %d)"`, 46+j, uid("r53", fmt.Sprint(j)), 1764998400+j, 2870+j)
	})...)
	gw := w.app(appSpec{ns: "istio-ingress", name: "istio-ingressgateway", container: "istio-proxy", image: "docker.io/istio/proxyv2:1.24.2", port: 8443, noMesh: true,
		res: res("500m", "512Mi", "2", "1Gi"), revision: 14, age: 500 * 24 * time.Hour, rsAge: 10 * 24 * time.Hour,
		pods: []podState{{ready: true, state: running(w.at(10 * 24 * time.Hour)), age: 10 * 24 * time.Hour, node: 0}, {ready: true, state: running(w.at(10 * 24 * time.Hour)), age: 10 * 24 * time.Hour, node: 1}}})
	w.service("istio-ingress", "istio-ingressgateway", map[string]string{"app.kubernetes.io/name": "istio-ingressgateway"}, 443, 8443, []string{ipOf("istio-ingress" + gw[0]), ipOf("istio-ingress" + gw[1])}, nil)
	svc := w.files["network"][len(w.files["network"])-2]
	svc["metadata"].(obj)["annotations"] = map[string]string{"external-dns.alpha.kubernetes.io/hostname": "checkout.pay.example.eu,api.pay.example.eu,refunds.pay.example.eu",
		"service.beta.kubernetes.io/aws-load-balancer-type": "external", "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"}
	svc["spec"].(obj)["type"] = "LoadBalancer"
	svc["status"] = obj{"loadBalancer": obj{"ingress": []obj{{"hostname": "k8s-istioing-istioing-5f1c0e9a2b-8d1e4f7a3c2b9e01.elb.eu-central-1.amazonaws.com"}}}}
	w.setAlert("BlackboxProbeFailed", "critical", map[string]string{"namespace": "platform-edge", "job": "blackbox", "instance": "https://refunds.pay.example.eu/healthz", "module": "http_2xx"},
		"Probe failed for https://refunds.pay.example.eu/healthz", "Probe https://refunds.pay.example.eu/healthz failed: dial: lookup refunds.pay.example.eu on 172.20.0.10:53: no such host", 40*time.Minute,
		`probe_success{job="blackbox", instance="https://refunds.pay.example.eu/healthz"} == 0`, 0)
	w.want("DNSFailure", "external-dns", "Deployment", "external-dns", "route53:ListHostedZones", "AccessDenied")
	return w
}

func flywayChecksumRollout() *world {
	w := newWorld("h8-spring-rollout-flyway-checksum-mismatch", "2026-12-02T10:14:00Z")
	w.description = `payout-service 9.4.0 was rolled out at 09:58. A developer reformatted the already-applied migration
V41__payout_batches.sql in that release, so Flyway's validate-on-migrate fails at start-up ("Migration checksum
mismatch for migration version 41") and the new pods crash-loop. The rollout is stuck with the two 9.3.2 pods of
the previous ReplicaSet still serving, so customers only see reduced capacity.`
	w.source = "https://www.fixwikihub.com/articles/flyway-migration-checksum-mismatch-validate-error-fix"
	w.stdNodes()
	crash := func(ago time.Duration) obj { return terminated("Error", 1, w.at(ago+11*time.Second), w.at(ago)) }
	pods := w.app(appSpec{ns: "payments", name: "payout-service", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/payout-service:9.4.0", port: 8080,
		res: res("500m", "768Mi", "2", "1Gi"), revision: 58, age: 800 * 24 * time.Hour, rsAge: 16 * time.Minute,
		oldRS: &oldRS{image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/payout-service:9.3.2", replicas: 2, created: w.at(9 * 24 * time.Hour)}, oldPods: 2,
		progress: w.progressing("payments", "payout-service", 58, 16*time.Minute),
		pods:     []podState{{restarts: 6, state: waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container=payout-service"), last: crash(70 * time.Second), age: 16 * time.Minute, node: 1}}})
	w.logLines("payments", pods[0], "payout-service", true, 70*time.Second, 800*time.Millisecond,
		"2026-12-02T10:12:49.301Z  INFO 1 --- [payout-service] [           main] c.p.payout.PayoutServiceApplication      : Starting PayoutServiceApplication v9.4.0 using Java 21.0.5 with PID 1",
		"2026-12-02T10:12:55.882Z  INFO 1 --- [payout-service] [           main] com.zaxxer.hikari.HikariDataSource       : HikariPool-1 - Start completed.",
		"2026-12-02T10:12:56.040Z  INFO 1 --- [payout-service] [           main] org.flywaydb.core.FlywayExecutor         : Database: jdbc:postgresql://payments-core.cluster-c9x2k1m0q7zd.eu-central-1.rds.amazonaws.com:5432/payouts (PostgreSQL 16.4)",
		"2026-12-02T10:12:56.611Z  WARN 1 --- [payout-service] [           main] ConfigServletWebServerApplicationContext : Exception encountered during context initialization - cancelling refresh attempt: org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'flywayInitializer' defined in class path resource [org/springframework/boot/autoconfigure/flyway/FlywayAutoConfiguration$FlywayConfiguration.class]: Validate failed: Migrations have failed validation",
		"Migration checksum mismatch for migration version 41",
		"-> Applied to database : 1602937741",
		"-> Resolved locally    : -981723365",
		"Either revert the changes to the migration, or run repair to update the schema history.",
		"2026-12-02T10:12:56.690Z ERROR 1 --- [payout-service] [           main] o.s.boot.SpringApplication               : Application run failed",
		"org.flywaydb.core.api.exception.FlywayValidateException: Validate failed: Migrations have failed validation")
	w.event("payments", "Pod", pods[0], "Warning", "BackOff", "Back-off restarting failed container payout-service in pod "+pods[0]+"_payments("+uid("payments", pods[0])+")", 19, w.at(14*time.Minute), w.at(25*time.Second), "kubelet", generalNodes[1])
	w.event("payments", "Deployment", "payout-service", "Normal", "ScalingReplicaSet", "Scaled up replica set payout-service-"+hashOf("payments", "payout-service", "58")[:10]+" from 0 to 1", 1, w.at(16*time.Minute), w.at(16*time.Minute), "deployment-controller", "")
	w.restartsMetric("payments", pods[0], "payout-service", 3, 6)
	w.metric("kube_deployment_status_replicas_unavailable", "gauge", "The number of unavailable replicas per deployment.", ksm(map[string]string{"namespace": "payments", "deployment": "payout-service"}), constant(1))
	w.setAlert("KubePodCrashLooping", "warning", map[string]string{"namespace": "payments", "pod": pods[0], "container": "payout-service", "job": "kube-state-metrics"},
		"Pod is crash looping.", "Pod payments/"+pods[0]+" (payout-service) is in waiting state (reason: \"CrashLoopBackOff\").", 8*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	w.want("BadDeploy", "payments", "Deployment", "payout-service", "checksum mismatch")
	return w
}

func pydanticBaseSettingsRollout() *world {
	w := newWorld("h8-fastapi-rollout-pydantic-v2-basesettings", "2026-12-06T15:03:00Z")
	w.description = `limits-api 3.0.0 bumped FastAPI to 0.115 and with it Pydantic to v2, but settings.py still imports
BaseSettings from pydantic. Every new pod dies at import time with PydanticImportError ("BaseSettings has been moved to
the pydantic-settings package"). The rollout is stuck; the previous ReplicaSet still serves. A FailedGetResourceMetric
warning from another HPA in the namespace is unrelated.`
	w.source = "https://github.com/fastapi/fastapi/issues/9710"
	w.stdNodes()
	crash := func(ago time.Duration) obj { return terminated("Error", 1, w.at(ago+2*time.Second), w.at(ago)) }
	pods := w.app(appSpec{ns: "risk", name: "limits-api", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/limits-api:3.0.0", port: 8000,
		res: res("200m", "256Mi", "1", "512Mi"), revision: 23, age: 365 * 24 * time.Hour, rsAge: 22 * time.Minute,
		oldRS: &oldRS{image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/limits-api:2.11.6", replicas: 3, created: w.at(24 * 24 * time.Hour)}, oldPods: 3,
		progress: w.progressing("risk", "limits-api", 23, 22*time.Minute),
		pods:     []podState{{restarts: 8, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=limits-api"), last: crash(3 * time.Minute), age: 22 * time.Minute, node: 2}}})
	w.logLines("risk", pods[0], "limits-api", true, 3*time.Minute, 30*time.Millisecond,
		"Traceback (most recent call last):",
		`  File "/usr/local/bin/uvicorn", line 8, in <module>`,
		"    sys.exit(main())",
		`  File "/app/limits_api/main.py", line 7, in <module>`,
		"    from limits_api.settings import settings",
		`  File "/app/limits_api/settings.py", line 3, in <module>`,
		"    from pydantic import BaseSettings, Field",
		`  File "/usr/local/lib/python3.12/site-packages/pydantic/__init__.py", line 412, in __getattr__`,
		"    return _getattr_migration(attr_name)",
		`  File "/usr/local/lib/python3.12/site-packages/pydantic/_migration.py", line 296, in wrapper`,
		`    raise PydanticImportError(`,
		"pydantic.errors.PydanticImportError: `BaseSettings` has been moved to the `pydantic-settings` package. See https://docs.pydantic.dev/2.10/migration/#basesettings-has-moved-to-pydantic-settings for more details.",
		"",
		"For further information visit https://errors.pydantic.dev/2.10/u/import-error")
	w.event("risk", "Pod", pods[0], "Warning", "BackOff", "Back-off restarting failed container limits-api in pod "+pods[0]+"_risk("+uid("risk", pods[0])+")", 30, w.at(20*time.Minute), w.at(40*time.Second), "kubelet", generalNodes[2])
	w.hpa("risk", "risk-api", 3, 12, 3, 3, 70, 0, []obj{{"type": "ScalingActive", "status": "False", "reason": "FailedGetResourceMetric", "message": "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API", "lastTransitionTime": w.at(3 * time.Minute)}})
	w.event("risk", "HorizontalPodAutoscaler", "risk-api", "Warning", "FailedGetResourceMetric", "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API", 2, w.at(3*time.Minute), w.at(2*time.Minute), "horizontal-pod-autoscaler", "")
	w.restartsMetric("risk", pods[0], "limits-api", 6, 8)
	w.metric("kube_deployment_status_replicas_updated", "gauge", "The number of updated replicas per deployment.", ksm(map[string]string{"namespace": "risk", "deployment": "limits-api"}), constant(1))
	w.setAlert("KubeDeploymentRolloutStuck", "warning", map[string]string{"namespace": "risk", "deployment": "limits-api", "job": "kube-state-metrics"},
		"Deployment rollout is not progressing.", "Rollout of deployment risk/limits-api is not progressing for longer than 15 minutes.", 4*time.Minute,
		`kube_deployment_status_condition{condition="Progressing", status="false", job="kube-state-metrics"} != 0 or kube_deployment_status_replicas_updated < kube_deployment_spec_replicas`, 1)
	w.want("BadDeploy", "risk", "Deployment", "limits-api", "BaseSettings", "pydantic-settings")
	return w
}

func mskTruststore() *world {
	w := newWorld("h8-msk-client-truststore-missing-amazon-root", "2026-12-05T17:26:00Z")
	w.description = `payment-events-publisher (Kotlin, Kafka client 3.8) mounts its JKS truststore from the ConfigMap
kafka-truststore. A platform change replaced that truststore with one containing only the internal corporate CA, so
the MSK brokers' Amazon Trust Services certificates no longer chain to a trusted root: every connection fails with
SslAuthenticationException / PKIX path building failed and payment events pile up in the outbox. The brokers and
their certificates are fine; the client trust configuration is wrong.`
	w.source = "https://devopsaitoolkit.com/blog/kafka-error-pkix-path-building-failed/"
	w.stdNodes()
	w.configMap("payments", "kafka-truststore", map[string]string{"README": "truststore.jks generated 2026-12-05 by platform-certs pipeline: 1 entry (alias corp-root-ca-2024)"})
	pods := w.app(appSpec{ns: "payments", name: "payment-events-publisher", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/payment-events-publisher:2.2.1", port: 8080,
		res: res("250m", "512Mi", "1", "768Mi"), revision: 16, age: 230 * 24 * time.Hour, rsAge: 50 * time.Minute,
		env: []obj{{"name": "KAFKA_BOOTSTRAP_SERVERS", "value": "b-1.paymentsmsk.x1y2z3.c4.kafka.eu-central-1.amazonaws.com:9094,b-2.paymentsmsk.x1y2z3.c4.kafka.eu-central-1.amazonaws.com:9094"},
			{"name": "KAFKA_SSL_TRUSTSTORE_LOCATION", "value": "/etc/kafka/truststore/truststore.jks"}},
		volumes: []obj{{"name": "truststore", "configMap": obj{"name": "kafka-truststore"}}},
		pods:    []podState{{ready: true, state: running(w.at(50 * time.Minute)), age: 50 * time.Minute, node: 0}, {ready: true, state: running(w.at(49 * time.Minute)), age: 49 * time.Minute, node: 1}}})
	for i, p := range pods {
		w.logLines("payments", p, "payment-events-publisher", false, time.Duration(6+i*4)*time.Second, 20*time.Second, repeat(24, func(j int) string {
			switch j % 4 {
			case 0:
				return fmt.Sprintf("2026-12-05 17:%02d:%02d,%03d ERROR [kafka-producer-network-thread | payment-events-publisher-1] o.a.k.c.NetworkClient - [Producer clientId=payment-events-publisher-1] Connection to node -%d (b-%d.paymentsmsk.x1y2z3.c4.kafka.eu-central-1.amazonaws.com/10.20.%d.18:9094) failed authentication due to: SSL handshake failed", 18+j/3, j*5%60, j*71%1000, j%2+1, j%2+1, 40+j%2)
			case 1:
				return "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target"
			case 2:
				return fmt.Sprintf("2026-12-05 17:%02d:%02d,%03d WARN  [outbox-relay-1] c.p.events.outbox.OutboxRelay - publish failed, %d events pending in outbox: org.apache.kafka.common.errors.SslAuthenticationException: SSL handshake failed", 18+j/3, j*5%60, j*13%1000, 1800+j*140)
			default:
				return fmt.Sprintf("2026-12-05 17:%02d:%02d,%03d INFO  [http-nio-8080-exec-%d] c.p.events.api.HealthController - GET /actuator/health 200", 18+j/3, j*5%60, j*29%1000, j%8+1)
			}
		})...)
		w.metric("kafka_producer_connection_creation_total", "counter", "The total number of new connections established", map[string]string{"namespace": "payments", "pod": p, "client_id": "payment-events-publisher-1"}, constant(0))
		w.metric("kafka_producer_failed_authentication_total", "counter", "The total number of connections with failed authentication", map[string]string{"namespace": "payments", "pod": p, "client_id": "payment-events-publisher-1"}, func(s int) float64 { return 140 + float64(s)*3 })
	}
	w.metric("outbox_pending_events", "gauge", "Events waiting in the transactional outbox", map[string]string{"namespace": "payments", "application": "payment-events-publisher"}, ramp(1800, 5200))
	w.setAlert("PaymentOutboxBacklogGrowing", "critical", map[string]string{"namespace": "payments", "application": "payment-events-publisher", "job": "payments/payment-events-publisher"},
		"Payment outbox backlog is growing", "5200 payment events are waiting in the outbox and none was published in the last 10 minutes.", 14*time.Minute,
		`max(outbox_pending_events{application="payment-events-publisher"}) > 1000`, 5200)
	w.want("TLSFailure", "payments", "Deployment", "payment-events-publisher", "PKIX", "truststore")
	return w
}

func gatewayCertExpired() *world {
	w := newWorld("h8-istio-gateway-serving-certificate-expired", "2026-12-01T00:40:00Z")
	w.description = `The Istio ingress gateway terminates TLS for checkout.pay.example.eu with the credential
checkout-tls in istio-ingress. The certificate was renewed by hand every year and expired at midnight; the renewal
ticket was closed by mistake. Browsers and the blackbox probe now fail with "certificate has expired" and Istio
logs that the expired certificate is rejected. The checkout pods behind the gateway are healthy.`
	w.source = "https://github.com/istio/istio/issues/47104"
	w.stdNodes()
	gw := w.app(appSpec{ns: "istio-ingress", name: "istio-ingressgateway", container: "istio-proxy", image: "docker.io/istio/proxyv2:1.24.2", port: 8443, noMesh: true,
		res: res("500m", "512Mi", "2", "1Gi"), revision: 14, age: 500 * 24 * time.Hour, rsAge: 10 * 24 * time.Hour,
		pods: []podState{{ready: true, state: running(w.at(10 * 24 * time.Hour)), age: 10 * 24 * time.Hour, node: 0}, {ready: true, state: running(w.at(10 * 24 * time.Hour)), age: 10 * 24 * time.Hour, node: 2}}})
	for i, p := range gw {
		w.logLines("istio-ingress", p, "istio-proxy", false, time.Duration(10+i*5)*time.Second, 30*time.Second,
			"2026-12-01T00:00:03.118204Z	warn	cache	failed to load certificate kubernetes://checkout-tls: the certificate has expired (NotAfter: 2026-12-01T00:00:00Z)",
			"2026-12-01T00:00:03.118422Z	warn	ads	SDS: failed to generate secret for kubernetes://checkout-tls: the certificate has expired",
			`[2026-12-01T00:38:12.004Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - 10.42.11.23:8443 10.20.1.77:53122 checkout.pay.example.eu -`,
			`[2026-12-01T00:38:41.771Z] "GET /v1/health HTTP/1.1" 200 - via_upstream - "-" 0 17 3 2 "-" "kube-probe/1.31" "0f0e7c1a-1b1a-9c5d-8e5b-0d4f2a1c7e33" "api.pay.example.eu" "10.42.61.4:8080" outbound|8080||checkout-api.checkout.svc.cluster.local 10.42.72.9:41122 10.42.72.9:8443 10.20.1.12:60211 api.pay.example.eu -`)
	}
	w.service("istio-ingress", "istio-ingressgateway", map[string]string{"app.kubernetes.io/name": "istio-ingressgateway"}, 443, 8443, []string{ipOf("istio-ingress" + gw[0]), ipOf("istio-ingress" + gw[1])}, nil)
	w.metric("probe_success", "gauge", "Displays whether or not the probe was a success", map[string]string{"job": "blackbox", "instance": "https://checkout.pay.example.eu/healthz", "module": "http_2xx", "namespace": "platform-edge"}, constant(0))
	w.metric("probe_ssl_earliest_cert_expiry", "gauge", "Returns last SSL chain expiry in unixtime", map[string]string{"job": "blackbox", "instance": "https://checkout.pay.example.eu/healthz", "module": "http_2xx", "namespace": "platform-edge"}, constant(float64(mustTime("2026-12-01T00:00:00Z").Unix())))
	w.metric("probe_success", "gauge", "Displays whether or not the probe was a success", map[string]string{"job": "blackbox", "instance": "https://api.pay.example.eu/healthz", "module": "http_2xx", "namespace": "platform-edge"}, constant(1))
	w.setAlert("BlackboxSslCertificateExpired", "critical", map[string]string{"namespace": "platform-edge", "job": "blackbox", "instance": "https://checkout.pay.example.eu/healthz"},
		"SSL certificate has expired", "The SSL certificate for https://checkout.pay.example.eu/healthz expired 40 minutes ago.", 38*time.Minute,
		`round((last_over_time(probe_ssl_earliest_cert_expiry[10m]) - time()) / 86400, 0.1) < 0`, -0.03)
	w.want("TLSFailure", "istio-ingress", "Deployment", "istio-ingressgateway", "checkout-tls", "expired")
	return w
}

func kafkaStreamsStateFull() *world {
	w := newWorld("h8-kafka-streams-state-volume-full", "2026-12-03T23:55:00Z")
	w.description = `balance-aggregator (Kotlin, Kafka Streams) keeps its RocksDB state stores on per-pod gp3 claims of
20Gi. Compaction of a large windowed store on instance 1 filled its claim state-balance-aggregator-1: RocksDB fails
with "No space left on device", the stream thread dies and the pod crash-loops, and the consumer lag of the partitions
it owns grows. Instances 0 and 2 are healthy and their volumes are at about 60%.`
	w.source = "https://github.com/thingsboard/thingsboard/issues/6220"
	w.stdNodes()
	crash := func(ago time.Duration) obj { return terminated("Error", 1, w.at(ago+95*time.Second), w.at(ago)) }
	pods := w.statefulSet("ledger", "balance-aggregator", "491783263510.dkr.ecr.eu-central-1.amazonaws.com/ledger/balance-aggregator:4.6.0", "state", "20Gi", 8080, []podState{
		{ready: true, state: running(w.at(5 * 24 * time.Hour)), age: 5 * 24 * time.Hour, node: 0},
		{restarts: 5, state: waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container=balance-aggregator"), last: crash(90 * time.Second), age: 5 * 24 * time.Hour, node: 1},
		{ready: true, state: running(w.at(5 * 24 * time.Hour)), age: 5 * 24 * time.Hour, node: 2},
	}, cs{resources: res("1", "2Gi", "2", "3Gi")})
	w.logLines("ledger", pods[1], "balance-aggregator", true, 90*time.Second, 3*time.Second,
		"2026-12-03 23:52:01.114 INFO  [main] o.a.k.s.KafkaStreams - stream-client [balance-aggregator-1] State transition from CREATED to REBALANCING",
		"2026-12-03 23:52:40.902 INFO  [balance-aggregator-1-StreamThread-1] o.a.k.s.p.i.StoreChangelogReader - stream-thread [balance-aggregator-1-StreamThread-1] Finished restoring changelog balance-aggregator-balances-store-changelog-2 to store balances-store with a total number of 18204411 records",
		"2026-12-03 23:53:31.440 ERROR [balance-aggregator-1-StreamThread-1] o.a.k.s.p.i.TaskManager - stream-thread [balance-aggregator-1-StreamThread-1] Failed to process stream task 1_2 due to the following error:",
		"org.apache.kafka.streams.errors.ProcessorStateException: Error while executing flush from store balances-store",
		"Caused by: org.rocksdb.RocksDBException: While appending to file: /var/lib/kafka-streams/balance-aggregator/1_2/rocksdb/balances-store/001873.sst: No space left on device",
		"\tat org.rocksdb.RocksDB.flush(Native Method)",
		"2026-12-03 23:53:31.447 ERROR [balance-aggregator-1-StreamThread-1] o.a.k.s.KafkaStreams - stream-client [balance-aggregator-1] Encountered the following exception during processing and the registered exception handler opted to SHUTDOWN_CLIENT. The streams client is going to shut down now.",
		"2026-12-03 23:53:31.910 INFO  [balance-aggregator-1-StreamThread-1] o.a.k.s.KafkaStreams - stream-client [balance-aggregator-1] State transition from PENDING_ERROR to ERROR")
	w.event("ledger", "Pod", pods[1], "Warning", "BackOff", "Back-off restarting failed container balance-aggregator in pod balance-aggregator-1_ledger("+uid("ledger", pods[1])+")", 14, w.at(40*time.Minute), w.at(30*time.Second), "kubelet", generalNodes[1])
	for i, p := range pods {
		claim := "state-" + p
		used := 12.1e9 + float64(i)*3e8
		if i == 1 {
			used = 21.38e9
		}
		w.metric("kubelet_volume_stats_used_bytes", "gauge", "Number of used bytes in the volume", map[string]string{"job": "kubelet", "metrics_path": "/metrics", "namespace": "ledger", "persistentvolumeclaim": claim, "node": generalNodes[i]}, constant(used))
		w.metric("kubelet_volume_stats_capacity_bytes", "gauge", "Capacity in bytes of the volume", map[string]string{"job": "kubelet", "metrics_path": "/metrics", "namespace": "ledger", "persistentvolumeclaim": claim, "node": generalNodes[i]}, constant(21.47e9))
		w.metric("kubelet_volume_stats_available_bytes", "gauge", "Number of available bytes in the volume", map[string]string{"job": "kubelet", "metrics_path": "/metrics", "namespace": "ledger", "persistentvolumeclaim": claim, "node": generalNodes[i]}, constant(21.47e9-used))
	}
	w.metric("kafka_consumergroup_lag", "gauge", "Current Approximate Lag of a ConsumerGroup at Topic/Partition", map[string]string{"job": "kafka-exporter", "consumergroup": "balance-aggregator", "topic": "ledger-entries", "partition": "2"}, ramp(180000, 420000))
	w.restartsMetric("ledger", pods[1], "balance-aggregator", 3, 5)
	w.setAlert("KubePodCrashLooping", "warning", map[string]string{"namespace": "ledger", "pod": pods[1], "container": "balance-aggregator", "job": "kube-state-metrics"},
		"Pod is crash looping.", "Pod ledger/balance-aggregator-1 (balance-aggregator) is in waiting state (reason: \"CrashLoopBackOff\").", 22*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	w.want("ResourceExhaustion", "ledger", "PersistentVolumeClaim", "state-balance-aggregator-1", "No space left on device", "state-balance-aggregator-1")
	return w
}

func pgPoolExhausted() *world {
	w := newWorld("h8-express-pg-pool-exhausted-by-report-queries", "2026-12-02T14:44:00Z")
	w.description = `merchant-portal-api (Express, node-postgres) uses a pg Pool with max 10 clients per pod. A new CSV
export endpoint runs a multi-second report query per request while holding its client; when merchants start the
month-end export, the pools are fully checked out and other requests wait until connectionTimeoutMillis and fail with
"timeout exceeded when trying to connect". Aurora itself is far from its connection limit and its CPU is low.`
	w.source = "https://github.com/brianc/node-postgres/issues/2276"
	w.stdNodes()
	pods := w.app(appSpec{ns: "payments", name: "merchant-portal-api", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/merchant-portal-api:5.9.0", port: 3000,
		res: res("250m", "384Mi", "1", "768Mi"), revision: 61, age: 900 * 24 * time.Hour, rsAge: 3 * 24 * time.Hour,
		env:  []obj{{"name": "PGHOST", "value": "payments-core.cluster-c9x2k1m0q7zd.eu-central-1.rds.amazonaws.com"}, {"name": "PG_POOL_MAX", "value": "10"}, {"name": "PG_CONNECTION_TIMEOUT_MS", "value": "2000"}},
		pods: []podState{{ready: true, state: running(w.at(3 * 24 * time.Hour)), age: 3 * 24 * time.Hour, node: 0}, {ready: true, state: running(w.at(3 * 24 * time.Hour)), age: 3 * 24 * time.Hour, node: 1}}})
	for i, p := range pods {
		w.logLines("payments", p, "merchant-portal-api", false, time.Duration(2+i)*time.Second, 5*time.Second, repeat(36, func(j int) string {
			switch j % 6 {
			case 0:
				return fmt.Sprintf(`{"level":"info","time":"2026-12-02T14:4%d:%02d.%03dZ","msg":"request completed","req":{"method":"GET","url":"/v1/reports/settlements.csv?month=2026-11"},"res":{"statusCode":200},"responseTime":%d}`, j/12+1, j*5%60, j*37%1000, 8400+j*90)
			case 3:
				return fmt.Sprintf(`{"level":"warn","time":"2026-12-02T14:4%d:%02d.%03dZ","msg":"pool saturated","totalCount":10,"idleCount":0,"waitingCount":%d}`, j/12+1, j*5%60, j*11%1000, 30+j)
			default:
				return fmt.Sprintf(`{"level":"error","time":"2026-12-02T14:4%d:%02d.%03dZ","msg":"request failed","req":{"method":"GET","url":"/v1/merchants/m-%04d/payouts"},"err":{"type":"Error","message":"timeout exceeded when trying to connect","stack":"Error: timeout exceeded when trying to connect\n    at /app/node_modules/pg-pool/index.js:45:11"},"res":{"statusCode":500}}`, j/12+1, j*5%60, j*53%1000, 2000+j)
			}
		})...)
		w.metric("pg_pool_total_clients", "gauge", "Number of clients in the pool", map[string]string{"namespace": "payments", "pod": p, "app": "merchant-portal-api"}, constant(10))
		w.metric("pg_pool_idle_clients", "gauge", "Number of idle clients in the pool", map[string]string{"namespace": "payments", "pod": p, "app": "merchant-portal-api"}, constant(0))
		w.metric("pg_pool_waiting_clients", "gauge", "Number of queued requests waiting for a client", map[string]string{"namespace": "payments", "pod": p, "app": "merchant-portal-api"}, ramp(12, 64))
	}
	w.metric("aws_rds_database_connections_average", "gauge", "CloudWatch metric AWS/RDS DatabaseConnections Dimensions: [DBClusterIdentifier] Statistic: Average Unit: Count", map[string]string{"job": "cloudwatch-exporter", "dbcluster_identifier": "payments-core"}, constant(142))
	w.metric("aws_rds_cpuutilization_average", "gauge", "CloudWatch metric AWS/RDS CPUUtilization Dimensions: [DBClusterIdentifier] Statistic: Average Unit: Percent", map[string]string{"job": "cloudwatch-exporter", "dbcluster_identifier": "payments-core"}, constant(23))
	w.setAlert("MerchantPortal5xxHigh", "critical", map[string]string{"namespace": "payments", "service": "merchant-portal-api", "job": "payments/merchant-portal-api"},
		"merchant-portal-api 5xx ratio above 5%", "62% of merchant-portal-api requests fail with 500 over the last 5 minutes.", 9*time.Minute,
		`sum(rate(http_request_duration_seconds_count{service="merchant-portal-api", status_code=~"5.."}[5m])) / sum(rate(http_request_duration_seconds_count{service="merchant-portal-api"}[5m])) > 0.05`, 0.62)
	w.want("ResourceExhaustion", "payments", "Deployment", "merchant-portal-api", "timeout exceeded when trying to connect", "pool")
	return w
}
