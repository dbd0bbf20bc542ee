package main

import (
	"fmt"
	"time"
)

var _ = register(vaultSealedAfterRestart)

func vaultSealedAfterRestart() *scene {
	s := newScene("h7-vault-sealed-after-rack-power-event-agents-503", "2026-12-07T14:10:00Z")
	s.description = `A PDU failure in rack r2 restarted nodes and with them all three Vault server pods. Vault uses Shamir
seals with manual unsealing, so vault-0..2 came back Running but sealed (0/1 Ready) and nobody has unsealed them yet.
New pods of ledger-api hang in Init: vault-agent-init gets "Code: 503. Errors: * Vault is sealed" from
auth/kubernetes/login. Existing ledger-api pods keep their rendered secrets and keep serving. Responsible: the vault
StatefulSet in the vault namespace, a dependency of the alerted workload.`
	s.source = "https://github.com/hashicorp/vault-helm/issues/821"
	s.workers()
	for _, n := range []string{r2n04, r2n06} {
		s.event("", "Node", n, "Warning", "Rebooted", "Node "+n+" has been rebooted, boot id: "+uid(n, "boot"), 1, 38*minute, 38*minute, "kubelet", n)
	}
	vc := ctr{name: "vault", image: "hashicorp/vault:1.17.6", cpuReq: "250m", cpuLim: "1", memReq: "256Mi", memLim: "512Mi", port: 8200,
		args:      []string{"server", "-config=/vault/config/extraconfig-from-values.hcl"},
		readiness: obj{"exec": obj{"command": []any{"/bin/sh", "-ec", "vault status -tls-skip-verify"}}, "timeoutSeconds": 3, "periodSeconds": 5, "failureThreshold": 2, "successThreshold": 1, "initialDelaySeconds": 5}}
	v := s.statefulSet("vault", "vault", 3, 700*day, "1.17.6", nil, nil, vc)
	v.obj["status"].(obj)["readyReplicas"] = 0
	var vpods []string
	for i, n := range []string{r1n03, r2n04, r2n06} {
		age := []int{36, 35, 34}[i]
		p := v.pod(nil, fmt.Sprint(i), n, minuteOf(age), s.runningUnready(minuteOf(age)-20*second, 0, nil))
		vpods = append(vpods, p)
		s.podEvent("vault", p, "Warning", "Unhealthy", "Readiness probe failed: Key                Value\n---                -----\nSeal Type          shamir\nInitialized        true\nSealed             true\nTotal Shares       5\nThreshold          3\nUnseal Progress    0/3\nUnseal Nonce       n/a\nVersion            1.17.6\nBuild Date         2024-09-24T19:48:40Z\nStorage Type       raft\nHA Enabled         true", 400-i*12, minuteOf(age)-15*second, 3*second)
	}
	s.logLines("vault", vpods[0], "vault", false, 36*minute-15*second, 1*second,
		"==> Vault server configuration:",
		"",
		"Administrative Namespace: ",
		"             Api Address: https://vault-0.vault-internal:8200",
		"                     Cgo: disabled",
		"         Cluster Address: https://vault-0.vault-internal:8201",
		"   Environment Variables: HOME, HOSTNAME, KUBERNETES_PORT, VAULT_ADDR, VAULT_API_ADDR, VAULT_CLUSTER_ADDR",
		"              Go Version: go1.22.7",
		"              Listener 1: tcp (addr: \"[::]:8200\", cluster address: \"[::]:8201\", disable_request_limiter: \"false\", max_request_duration: \"1m30s\", max_request_size: \"33554432\", tls: \"enabled\")",
		"               Log Level: info",
		"                   Mlock: supported: true, enabled: false",
		"           Recovery Mode: false",
		"                 Storage: raft (HA available)",
		"                 Version: Vault v1.17.6, built 2024-09-24T19:48:40Z",
		"",
		"==> Vault server started! Log data will stream in below:",
		"",
		"{ts} [INFO]  proxy environment: http_proxy=\"\" https_proxy=\"\" no_proxy=\"\"",
		"{ts} [INFO]  incrementing seal generation: generation=1",
		"{ts} [INFO]  core: Initializing version history cache for core")
	s.service("vault", "vault-active", map[string]string{"app.kubernetes.io/name": "vault", "app.kubernetes.io/instance": "vault", "vault-active": "true"}, 8200, 8200, "")
	s.emptyServices["vault/vault-active"] = true
	s.endpoints("vault", "vault-active", 8200, nil, nil)
	s.service("vault", "vault", selectorOf("vault"), 8200, 8200, "")
	s.endpoints("vault", "vault", 8200, nil, vpods)
	w := s.deployment("ledger", "ledger-api", 3, 400*day, obj{"serviceAccountName": "ledger-api"})
	r := w.rev("7d9f6b8c5", "9.2.0", 4*day, 3, ctr{name: "api", image: "harbor.dc1.internal/ledger/ledger-api:9.2.0", cpuReq: "500m", cpuLim: "2", memReq: "512Mi", memLim: "1Gi", port: 8080})
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 4*day)}, 2)
	w.pod(r, "b4qnz", r1n05, 4*day, s.running(4*day))
	w.pod(r, "k7xwd", r3n02, 4*day, s.running(4*day))
	p := w.pod(r, "s2mvc", r3n07, 33*minute)
	init := ctr{name: "vault-agent-init", image: "hashicorp/vault:1.17.6", cpuReq: "250m", cpuLim: "500m", memReq: "64Mi", memLim: "128Mi"}
	s.initBlocked("ledger", p, init, s.running(33*minute-4*second))
	lines := []string{"==> Vault Agent started! Log data will stream in below:",
		"{ts} [INFO]  agent.auth.handler: starting auth handler", "{ts} [INFO]  agent.auth.handler: authenticating"}
	for j := 0; j < 14; j++ {
		lines = append(lines, "{ts} [ERROR] agent.auth.handler: error authenticating:", "  error=", "  | Error making API request.", "  | ",
			"  | URL: PUT https://vault.vault.svc:8200/v1/auth/kubernetes/login", "  | Code: 503. Errors:", "  | ", "  | * Vault is sealed",
			"   backoff=2m14s", "{ts} [INFO]  agent.auth.handler: authenticating")
	}
	s.logLines("ledger", p, "vault-agent-init", false, 33*minute-3*second, 13*second, lines...)
	s.event("ledger", "ReplicaSet", "ledger-api-7d9f6b8c5", "Normal", "SuccessfulCreate", "Created pod: "+p, 1, 33*minute, 33*minute, "replicaset-controller", "")
	s.metric("vault_core_unsealed", "gauge", map[string]string{"job": "vault", "namespace": "vault", "pod": vpods[0]}, flat(0))
	s.metric("kube_statefulset_status_replicas_ready", "gauge", ksm(map[string]string{"namespace": "vault", "statefulset": "vault"}), flat(0))
	s.podNotReadyAlert("ledger", p, 18*minute)
	s.want("DependencyFailure", "vault", "StatefulSet", "vault", "Vault is sealed", "vault")
	return s
}

var _ = register(vaultAgentSidecarOOM)

func vaultAgentSidecarOOM() *scene {
	s := newScene("h7-vault-agent-sidecar-oomkilled-after-limit-cut", "2026-12-07T15:30:00Z")
	s.description = `To reclaim reserved memory, the payments team set vault.hashicorp.com/agent-limits-mem: "32Mi" on
merchant-api (the injector default is 128Mi). The injected vault-agent sidecar renders 14 dynamic database and PKI
templates and needs ~45Mi at renewal time, so it is OOMKilled every few minutes and its restarts make the pod flap;
the Go application container itself is healthy and well under its own limit. Responsible: merchant-api's pod spec
(the sidecar's memory limit), not Vault.`
	s.source = "https://github.com/hashicorp/vault-k8s/pull/4"
	s.workers()
	w := s.deployment("payments", "merchant-api", 2, 380*day, obj{"serviceAccountName": "merchant-api"})
	app := ctr{name: "api", image: "harbor.dc1.internal/payments/merchant-api:7.3.0", cpuReq: "500m", cpuLim: "2", memReq: "512Mi", memLim: "1Gi", port: 8080}
	agent := ctr{name: "vault-agent", image: "hashicorp/vault:1.17.6", cpuReq: "250m", cpuLim: "500m", memReq: "32Mi", memLim: "32Mi",
		args: []string{"echo ${VAULT_CONFIG?} | base64 -d > /home/vault/config.json && vault agent -config=/home/vault/config.json"}}
	r := w.rev("6f8d9b7c5", "7.3.0", 50*minute, 2, app, agent)
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 45*minute)}, 1)
	var pods []string
	for i, n := range []string{r1n05, r3n07} {
		sidecar := s.crashLoop(6+i, "2m40s", s.term("OOMKilled", 137, time.Duration(5+i)*minute, time.Duration(3+i)*minute))
		p := w.pod(r, []string{"c7wqk", "m4zxn"}[i], n, 50*minute, s.running(50*minute-8*second), sidecar)
		pods = append(pods, p)
		metaOf(s.find("Pod", "payments", p))["annotations"] = obj{"vault.hashicorp.com/agent-inject": "true", "vault.hashicorp.com/agent-inject-status": "injected",
			"vault.hashicorp.com/role": "merchant-api", "vault.hashicorp.com/agent-limits-mem": "32Mi", "vault.hashicorp.com/agent-requests-mem": "32Mi"}
		s.podEvent("payments", p, "Warning", "BackOff", "Back-off restarting failed container vault-agent in pod "+p+"_payments("+uidOf(s.find("Pod", "payments", p))+")", 24+i, 45*minute, 90*second)
	}
	for _, rs := range []obj{r.obj, w.obj} {
		rs["spec"].(obj)["template"].(obj)["metadata"].(obj)["annotations"] = obj{"vault.hashicorp.com/agent-inject": "true", "vault.hashicorp.com/role": "merchant-api",
			"vault.hashicorp.com/agent-limits-mem": "32Mi", "vault.hashicorp.com/agent-requests-mem": "32Mi"}
	}
	s.event("payments", "Deployment", "merchant-api", "Normal", "ScalingReplicaSet", "Scaled up replica set merchant-api-6f8d9b7c5 to 2 from 1", 1, 48*minute, 48*minute, "deployment-controller", "")
	s.logLines("payments", pods[0], "vault-agent", true, 5*minute, 4*second, join(
		[]string{"==> Vault Agent started! Log data will stream in below:",
			"{ts} [INFO]  agent.auth.handler: authentication successful, sending token to sinks",
			"{ts} [INFO]  agent: (runner) creating new runner (dry: false, once: false)"},
		repeat(14, "{ts} [INFO]  agent: (runner) rendered \"(dynamic)\" => \"/vault/secrets/template-{i}\""),
		[]string{"{ts} [INFO]  agent.apiproxy: received request: method=PUT path=/v1/sys/leases/renew"})...)
	s.logLines("payments", pods[0], "api", false, 4*minute, 30*second,
		`{"time":"{ts}","level":"INFO","msg":"request","method":"POST","path":"/v1/merchants/m_88123/payouts","status":201,"duration_ms":48}`,
		`{"time":"{ts}","level":"WARN","msg":"secret file changed, reloading db pool","path":"/vault/secrets/db-creds"}`,
		`{"time":"{ts}","level":"INFO","msg":"request","method":"GET","path":"/v1/merchants/m_90211","status":200,"duration_ms":9}`)
	for i, p := range pods {
		node := []string{r1n05, r3n07}[i]
		s.metric("container_memory_working_set_bytes", "gauge", cad("payments", p, "vault-agent", node), sawtooth(mi(18), mi(32), 2))
		s.metric("container_memory_working_set_bytes", "gauge", cad("payments", p, "api", node), ramp(mi(210), mi(232)))
	}
	s.restarts("payments", pods[0], "vault-agent", 4, 6)
	s.crashLoopAlert("payments", pods[0], "vault-agent", 30*minute)
	s.want("OOMKilled", "payments", "Deployment", "merchant-api", "vault-agent", "32Mi")
	return s
}

var _ = register(ingressControllerThrottled)

func ingressControllerThrottled() *scene {
	s := newScene("h7-ingress-nginx-controller-throttled-at-500m-limit", "2026-12-07T16:20:00Z")
	s.description = `Last week a resource-hygiene change gave the shared ingress-nginx controller a 500m CPU limit. At the
afternoon peak each controller pod is throttled in ~85% of CFS periods: nginx's own request time p99 is 1.9s while
the upstream response time of the storefront services stays at 40-60ms. The alert fires on storefront latency, but the
apps are fast; the responsible object is the ingress-nginx-controller Deployment in the ingress-nginx namespace.`
	s.source = "https://github.com/zalando-incubator/kubernetes-on-aws/pull/923"
	s.workers()
	w := s.deployment("ingress-nginx", "ingress-nginx-controller", 2, 800*day, nil)
	r := w.rev("7c6d5b9f8", "1.11.3", 6*day, 2, ctr{name: "controller", image: "registry.k8s.io/ingress-nginx/controller:v1.11.3", cpuReq: "500m", cpuLim: "500m", memReq: "256Mi", memLim: "512Mi", port: 443,
		args: []string{"/nginx-ingress-controller", "--publish-service=ingress-nginx/ingress-nginx-controller", "--election-id=ingress-nginx-leader", "--controller-class=k8s.io/ingress-nginx", "--configmap=ingress-nginx/ingress-nginx-controller"}})
	w.status(nil, 2)
	nodes := []string{r1n03, r3n02}
	var pods []string
	for i, n := range nodes {
		pods = append(pods, w.pod(r, []string{"x4kdm", "f8qzl"}[i], n, 6*day, s.running(6*day)))
	}
	svc := s.service("ingress-nginx", "ingress-nginx-controller", selectorOf("ingress-nginx-controller"), 443, 443, "LoadBalancer")
	svc["status"] = obj{"loadBalancer": obj{"ingress": []any{obj{"ip": "10.40.200.11", "ipMode": "VIP"}}}}
	s.endpoints("ingress-nginx", "ingress-nginx-controller", 443, pods, nil)
	s.logLines("ingress-nginx", pods[0], "controller", false, 2*minute, 3*second, repeat(30,
		`10.40.31.{i} - - [07/Dec/2026:16:18:{i}0 +0000] "GET /api/catalog/products?page={i} HTTP/2.0" 200 18244 "https://shop.dc1.example.com/" "Mozilla/5.0 (X11; Linux x86_64)" 61 1.8{i}2 [storefront-catalog-api-8080] [] 192.168.40.17:8080 18231 0.04{i} 200 4f1c9a0e2b7d`)...)
	cat := s.deployment("storefront", "catalog-api", 3, 300*day, nil)
	cr := cat.rev("5d7b9c8f4", "2.13.4", 21*day, 3, ctr{name: "api", image: "harbor.dc1.internal/storefront/catalog-api:2.13.4", cpuReq: "500m", cpuLim: "2", memReq: "512Mi", memLim: "1Gi", port: 8080})
	cat.status(nil, 3)
	for i, n := range []string{r1n05, r2n04, r3n07} {
		cat.pod(cr, []string{"f2kq8", "n6zvd", "s9tlw"}[i], n, 21*day, s.running(21*day))
	}
	for i, p := range pods {
		l := cad("ingress-nginx", p, "controller", nodes[i])
		s.metric("container_cpu_cfs_periods", "counter", l, rate(5.2e6, 10))
		s.metric("container_cpu_cfs_throttled_periods", "counter", l, rate(3.1e6, 8.5))
		s.metric("container_cpu_usage_seconds", "counter", l, rate(2.6e5, 0.5))
		s.metric("kube_pod_container_resource_limits", "gauge", ksm(map[string]string{"namespace": "ingress-nginx", "pod": p, "container": "controller", "resource": "cpu", "unit": "core", "node": nodes[i]}), flat(0.5))
	}
	s.metric("nginx_ingress_controller_request_duration_seconds:p99", "gauge", map[string]string{"ingress": "storefront", "namespace": "storefront", "job": "ingress-nginx"}, ramp(1.2, 1.9))
	s.metric("nginx_ingress_controller_response_duration_seconds:p99", "gauge", map[string]string{"ingress": "storefront", "namespace": "storefront", "job": "ingress-nginx"}, flat(0.058))
	s.setAlert("StorefrontLatencyHigh", "critical", map[string]string{"namespace": "storefront", "ingress": "storefront", "team": "storefront"},
		"Storefront p99 latency above 1s", "p99 latency of storefront requests measured at the ingress is 1.9s (SLO 400ms).",
		`histogram_quantile(0.99, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{namespace="storefront",ingress="storefront"}[5m]))) > 1`, 13*minute, 1.9)
	s.want("CPUThrottling", "ingress-nginx", "Deployment", "ingress-nginx-controller", "ingress-nginx-controller", "500m")
	return s
}
