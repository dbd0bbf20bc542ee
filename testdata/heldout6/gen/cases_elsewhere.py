"""Incidents whose responsible object is not the alerted workload: cluster
add-ons in kube-system or linkerd, a dependency's Service, a volume, a node,
or a host outside the cluster."""

from datetime import timedelta

from common import GI, MI, backoff_events, cadvisor, crashloop_message, ksm, limits, restarts, sawtooth
from kit import (Metrics, Workload, alert, configmap, container_spec, endpoints, event, event_series, http_probe,
                 log_lines, node, node_name, parse, pv, pvc, running, service, tcp_probe, ts, uid, waiting)


def _app(ns, name, image, n_nodes, now, replicas=2, revision=3, port=8080, ready=True, mem_lim="1Gi", env=None,
         probe_path="/health/ready", days=60):
    c = container_spec(name, image, cpu_req="250m", mem_req="512Mi", mem_lim=mem_lim, ports=[("http", port)],
                       readiness=http_probe(probe_path, port), env=env)
    d = Workload("Deployment", ns, name, {"app.kubernetes.io/name": name}, [c], replicas, now - timedelta(days=days),
                 revision=revision)
    h = d.add_rs(revision, replicas, replicas if ready else 0, created=now - timedelta(days=4))
    pods = [d.pod(h, i, [running(now - timedelta(days=4), ready=ready)], n_nodes[i % len(n_nodes)], now - timedelta(days=4))
            for i in range(replicas)]
    return d, pods


def coredns_lost_replica_during_node_reroll():
    now = parse("2026-11-19T13:52:00Z")
    n1, n2, n3 = node_name(11, 19), node_name(26, 240), node_name(44, 3)
    nodes = [node(n1, now, itype="m6i.xlarge"), node(n2, now, itype="m6i.xlarge", zone="us-west-2b"),
             node(n3, now, itype="m6i.xlarge", zone="us-west-2c", created_days=0)]
    nodes[2]["metadata"]["creationTimestamp"] = ts(now - timedelta(minutes=6))
    ks = "kube-system"
    cd = container_spec("coredns", "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.3-eksbuild.2",
                        cpu_req="100m", mem_req="70Mi", mem_lim="170Mi", ports=[("dns", 53), ("metrics", 9153)],
                        args=["-conf", "/etc/coredns/Corefile"], liveness=http_probe("/health", 8080, period=10, timeout=5, failure=5),
                        readiness=http_probe("/ready", 8181))
    d = Workload("Deployment", ks, "coredns", {"k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns"}, [cd], 2,
                 now - timedelta(days=500), revision=6, selector_keys=["k8s-app", "eks.amazonaws.com/component"])
    h = d.add_rs(6, 2, 1, created=now - timedelta(days=60))
    p_ok = d.pod(h, 0, [running(now - timedelta(days=11), ready=True)], n1, now - timedelta(days=11))
    p_new = d.pod(h, 1, [waiting("ContainerCreating", None)], n3, now - timedelta(minutes=5), phase="Pending")
    p_new["status"]["conditions"] = [{"type": "PodScheduled", "status": "True", "lastTransitionTime": ts(now - timedelta(minutes=5))},
                                     {"type": "Ready", "status": "False", "reason": "ContainersNotReady",
                                      "lastTransitionTime": ts(now - timedelta(minutes=5))}]
    gone = d.pod_name(h, 9)
    svc = service(ks, "kube-dns", {"k8s-app": "kube-dns"}, [("dns", 53, 53), ("dns-tcp", 53, 53)], "172.20.0.10", now - timedelta(days=500))
    ep = endpoints(ks, "kube-dns", [p_ok], [], [("dns", 53)])
    ns = "search"
    app, apods = _app(ns, "search-api", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/search-api:5.2.1", [n1, n2], now, replicas=3)
    objs = nodes + d.objects() + [p_ok, p_new, svc, ep] + app.objects() + apods
    objs.append(event(ks, "ReplicaSet", d.rs_name(h), uid("ReplicaSet", ks, d.rs_name(h)), "SuccessfulCreate",
                      f"Created pod: {p_new['metadata']['name']}", now - timedelta(minutes=30), now - timedelta(minutes=30),
                      etype="Normal", component="replicaset-controller", api="apps/v1"))
    objs.append(event_series(ks, "Pod", p_new["metadata"]["name"], p_new["metadata"]["uid"], "FailedScheduling",
                             "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
                             now - timedelta(minutes=29), now - timedelta(minutes=6), 9))
    objs.append(event(ks, "Pod", p_ok["metadata"]["name"], p_ok["metadata"]["uid"], "Unhealthy",
                      "Readiness probe failed: Get \"http://%s:8181/ready\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)" % p_ok["status"]["podIP"],
                      now - timedelta(minutes=27), now - timedelta(minutes=2), count=19, host=n1, field_path="spec.containers{coredns}"))
    cdlog = []
    for k in range(60):
        cdlog.append(f"[ERROR] plugin/errors: 2 opensearch.search.svc.cluster.local.search.svc.cluster.local. AAAA: read udp 10.42.71.5:{40000 + k * 37}->10.42.0.2:53: i/o timeout")
        if k % 6 == 0:
            cdlog.append('[WARNING] plugin/health: Local health request to "http://:8080/health" took more than 1s: 1.873s')
    logs = {(ks, p_ok["metadata"]["name"], "coredns", False): log_lines(now - timedelta(minutes=28), 20, cdlog)}
    for p in apods:
        logs[(ns, p["metadata"]["name"], "search-api", False)] = log_lines(now - timedelta(minutes=28), 20, [
            "@SP@ ERROR [ktor-cio-dispatcher-worker-3] SearchRoutes - query failed: java.net.UnknownHostException: opensearch.search.svc.cluster.local: Temporary failure in name resolution",
            "@SP@ INFO  [ktor-cio-dispatcher-worker-5] Application - 200 OK: GET - /v1/search?q=boots in 88ms"] * 40)
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    loss = now - timedelta(minutes=30)
    m.counter("coredns_dns_requests", {"namespace": ks, "pod": p_ok["metadata"]["name"], "server": "dns://:53", "proto": "udp", "job": "coredns"},
              lambda t: 1450.0 if t < loss else 2900.0)
    m.counter("coredns_dns_requests", {"namespace": ks, "pod": gone, "server": "dns://:53", "proto": "udp", "job": "coredns"},
              lambda t: 1450.0, end=loss)
    m.counter("coredns_dns_responses", {"namespace": ks, "pod": p_ok["metadata"]["name"], "server": "dns://:53", "rcode": "SERVFAIL", "job": "coredns"},
              lambda t: 0.1 if t < loss else 310.0)
    m.counter("container_cpu_usage_seconds", cadvisor(ks, p_ok["metadata"]["name"], "coredns", n1), lambda t: 0.35 if t < loss else 0.98)
    m.gauge("kube_deployment_status_replicas_available", {"namespace": ks, "deployment": "coredns", "job": "kube-state-metrics"},
            lambda t: 2 if t < loss else 1)
    return {
        "name": "h6-coredns-single-replica-overloaded-after-node-replacement",
        "description": """
search-api (Kotlin) fails lookups with UnknownHostException "Temporary failure in name resolution". A
Karpenter drift replacement evicted one of the two CoreDNS replicas 30 minutes ago; its replacement is
stuck on a brand-new node (anti-affinity, then ContainerCreating), so one CoreDNS pod serves all of the
cluster's queries, answers SERVFAIL, logs i/o timeouts and fails its own readiness probe. The fault is
the cluster DNS add-on in kube-system, not the application.""",
        "sources": ["RebelMouse status page, 'CoreDNS Performance Degradation' postmortem (a CoreDNS pod lost during a node reroll; the remaining pods could not handle the load), https://status.rebelmouse.com/incidents/w170d4lz2bhl"],
        "now": now,
        "alert": alert("SearchApiErrors", {"namespace": ns, "service": "search-api", "severity": "critical"},
                       "search-api error ratio is 38%", now - timedelta(minutes=24),
                       'sum(rate(ktor_http_server_requests_seconds_count{service="search-api",status=~"5.."}[5m])) / sum(rate(ktor_http_server_requests_seconds_count{service="search-api"}[5m])) > 0.05', 0.38),
        "expect": {"category": "DNSFailure", "entity": {"namespace": ks, "kind": "Deployment", "name": "coredns"},
                   "mentions": ["coredns"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def coredns_vpc_resolver_pps_limit():
    now = parse("2026-11-20T19:07:00Z")
    ks = "kube-system"
    n1, n2 = node_name(5, 90), node_name(23, 61)
    nodes = [node(n1, now, itype="c6i.large", cpu="2", memory="4Gi"), node(n2, now, itype="m6i.xlarge", zone="us-west-2b")]
    cd = container_spec("coredns", "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.3-eksbuild.2",
                        cpu_req="100m", mem_req="70Mi", mem_lim="170Mi", ports=[("dns", 53), ("metrics", 9153)],
                        args=["-conf", "/etc/coredns/Corefile"], readiness=http_probe("/ready", 8181))
    d = Workload("Deployment", ks, "coredns", {"k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns"}, [cd], 2,
                 now - timedelta(days=500), revision=6, selector_keys=["k8s-app", "eks.amazonaws.com/component"],
                 extra_template={"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                     {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                                                          "labelSelector": {"matchExpressions": [{"key": "k8s-app", "operator": "In", "values": ["kube-dns"]}]}}}]}}})
    h = d.add_rs(6, 2, 2, created=now - timedelta(days=60))
    cps = [d.pod(h, i, [running(now - timedelta(days=2))], n1, now - timedelta(days=2)) for i in range(2)]
    cm = configmap(ks, "coredns", {"Corefile": ".:53 {\n    errors\n    health {\n        lameduck 5s\n    }\n    ready\n"
                                               "    kubernetes cluster.local in-addr.arpa ip6.arpa {\n        pods insecure\n        fallthrough in-addr.arpa ip6.arpa\n    }\n"
                                               "    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n"},
                   now - timedelta(days=500))
    ns = "payments"
    app, apods = _app(ns, "payments-gateway", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/payments-gateway:1.40.0", [n2], now, replicas=3)
    objs = nodes + d.objects() + cps + [cm] + app.objects() + apods
    cdlog = []
    for k in range(50):
        host = ("api.stripe.com.", "sqs.us-west-2.amazonaws.com.", "hooks.slack.com.")[k % 3]
        cdlog.append(f"[ERROR] plugin/errors: 2 {host} A: read udp 10.42.5.{120 + (k % 2)}:{41000 + 17 * k}->10.42.0.2:53: i/o timeout")
    logs = {}
    for p in cps:
        logs[(ks, p["metadata"]["name"], "coredns", False)] = log_lines(now - timedelta(minutes=25), 28, cdlog)
    for p in apods:
        logs[(ns, p["metadata"]["name"], "payments-gateway", False)] = log_lines(now - timedelta(minutes=25), 30, [
            "{\"level\":\"error\",\"logger\":\"stripe\",\"msg\":\"request failed\",\"error\":\"dial tcp: lookup api.stripe.com on 172.20.0.10:53: read udp 10.42.23.80:52144->172.20.0.10:53: i/o timeout\"}",
            "{\"level\":\"info\",\"logger\":\"http\",\"msg\":\"POST /v1/charges\",\"status\":200,\"duration_ms\":412}"] * 25)
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    t0 = now - timedelta(minutes=26)
    m.counter("node_ethtool_linklocal_allowance_exceeded", {"instance": n1, "device": "eth0", "job": "node-exporter"},
              lambda t: 0 if t < t0 else 140.0)
    m.counter("node_ethtool_linklocal_allowance_exceeded", {"instance": n2, "device": "eth0", "job": "node-exporter"}, lambda t: 0)
    for p in cps:
        m.counter("coredns_forward_requests", {"namespace": ks, "pod": p["metadata"]["name"], "to": "10.42.0.2:53", "job": "coredns"},
                  lambda t: 380.0 if t < t0 else 610.0)
        m.counter("coredns_dns_responses", {"namespace": ks, "pod": p["metadata"]["name"], "rcode": "SERVFAIL", "server": "dns://:53", "job": "coredns"},
                  lambda t: 0.05 if t < t0 else 95.0)
    return {
        "name": "h6-coredns-both-replicas-behind-one-eni-vpc-dns-throttled",
        "description": """
payments-gateway lookups of api.stripe.com and AWS endpoints time out. Both CoreDNS replicas run on the
same small node (the anti-affinity is only preferred) and forward everything to the VPC resolver through
that node's ENI, which drops packets past 1024 per second: node_ethtool_linklocal_allowance_exceeded
rises only on that node, and both CoreDNS pods log forward i/o timeouts to 10.42.0.2:53. Cluster DNS,
the CoreDNS Deployment, is the responsible object.""",
        "sources": ["Rearc engineering, 'Troubleshooting Intermittent DNS Resolution Issues on EKS Clusters' (VPC DNS throttling at 1024 packets/s per ENI when CoreDNS replicas share a node), https://engineering.rearc.io/posts/2024-05-14-troubleshooting-intermittent-dns-resolution-issues-on-eks-clusters/",
                    "Delivery Hero tech blog, 'Designing Your Kubernetes DNS EcoSystem' (CoreDNS forward timeouts to the AWS resolver), https://tech.deliveryhero.com/designing-your-kubernetes-dns-ecosystem/"],
        "now": now,
        "alert": alert("PaymentsGatewayUpstreamErrors", {"namespace": ns, "service": "payments-gateway", "severity": "critical"},
                       "payments-gateway upstream call failures above 10%", now - timedelta(minutes=18),
                       'sum(rate(gateway_upstream_errors_total{namespace="payments"}[5m])) / sum(rate(gateway_upstream_requests_total{namespace="payments"}[5m])) > 0.1', 0.23),
        "expect": {"category": "DNSFailure", "entity": {"namespace": ks, "kind": "Deployment", "name": "coredns"},
                   "mentions": ["i/o timeout"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def lbc_webhook_cert_mismatch_blocks_pods():
    now = parse("2026-11-21T08:16:00Z")
    ks, ns = "kube-system", "checkout"
    n1, n2 = node_name(13, 58), node_name(30, 221)
    nodes = [node(n1, now, itype="m7i.xlarge"), node(n2, now, itype="m7i.xlarge", zone="us-west-2b")]
    lbc = container_spec("aws-load-balancer-controller", "public.ecr.aws/eks/aws-load-balancer-controller:v2.9.2",
                         cpu_req="100m", mem_req="128Mi", mem_lim="512Mi", ports=[("webhook-server", 9443), ("metrics-server", 8080)],
                         args=["--cluster-name=shop-prod", "--ingress-class=alb", "--aws-region=us-west-2"],
                         volume_mounts=[{"name": "cert", "mountPath": "/tmp/k8s-webhook-server/serving-certs", "readOnly": True}])
    d = Workload("Deployment", ks, "aws-load-balancer-controller", {"app.kubernetes.io/name": "aws-load-balancer-controller",
                                                                   "app.kubernetes.io/instance": "aws-load-balancer-controller"},
                 [lbc], 2, now - timedelta(days=300), revision=19,
                 extra_template={"volumes": [{"name": "cert", "secret": {"secretName": "aws-load-balancer-tls", "defaultMode": 420}}],
                                 "serviceAccountName": "aws-load-balancer-controller"})
    h = d.add_rs(19, 2, 2, created=now - timedelta(minutes=47))
    lps = [d.pod(h, i, [running(now - timedelta(minutes=46))], (n1, n2)[i], now - timedelta(minutes=47)) for i in range(2)]
    wsvc = service(ks, "aws-load-balancer-webhook-service", {"app.kubernetes.io/name": "aws-load-balancer-controller"},
                   [("webhook-server", 443, 9443)], "172.20.201.14", now - timedelta(days=300))
    wep = endpoints(ks, "aws-load-balancer-webhook-service", lps, [], [("webhook-server", 9443)])
    c = container_spec("cart-api", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/cart-api:4.4.0", cpu_req="300m",
                       mem_req="512Mi", mem_lim="1Gi", ports=[("http", 8080)], readiness=http_probe("/ready", 8080))
    cart = Workload("Deployment", ns, "cart-api", {"app": "cart-api"}, [c], 6, now - timedelta(days=200), revision=44)
    ch = cart.add_rs(44, 6, 3, created=now - timedelta(days=2))
    cps = [cart.pod(ch, i, [running(now - timedelta(days=2))], (n1, n2)[i % 2], now - timedelta(days=2)) for i in range(3)]
    nsobj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "uid": uid("ns", ns),
                                                                   "labels": {"kubernetes.io/metadata.name": ns,
                                                                              "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled"}},
             "status": {"phase": "Active"}}
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "cart-api", "namespace": ns, "uid": uid("hpa", ns, "cart-api")},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "cart-api"}, "minReplicas": 3, "maxReplicas": 12,
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 65}}}]},
           "status": {"currentReplicas": 3, "desiredReplicas": 6,
                      "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 118, "averageValue": "354m"}}}]}}
    msg = ('Error creating: Internal error occurred: failed calling webhook "mpod.elbv2.k8s.aws": failed to call webhook: Post '
           '"https://aws-load-balancer-webhook-service.kube-system.svc:443/mutate-v1-pod?timeout=10s": tls: failed to verify certificate: '
           'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify '
           'candidate authority certificate "aws-load-balancer-controller-ca")')
    objs = nodes + d.objects() + lps + [wsvc, wep] + cart.objects() + cps + [nsobj, hpa]
    objs.append(event(ns, "ReplicaSet", cart.rs_name(ch), uid("ReplicaSet", ns, cart.rs_name(ch)), "FailedCreate", msg,
                      now - timedelta(minutes=41), now - timedelta(seconds=50), count=37, component="replicaset-controller", api="apps/v1"))
    objs.append(event(ns, "HorizontalPodAutoscaler", "cart-api", hpa["metadata"]["uid"], "SuccessfulRescale",
                      "New size: 6; reason: cpu resource utilization (percentage of request) above target",
                      now - timedelta(minutes=41), now - timedelta(minutes=41), etype="Normal", component="horizontal-pod-autoscaler",
                      api="autoscaling/v2"))
    objs.append(event(ks, "Deployment", "aws-load-balancer-controller", d.uid, "ScalingReplicaSet",
                      f"Scaled up replica set aws-load-balancer-controller-{h} from 0 to 2", now - timedelta(minutes=47),
                      now - timedelta(minutes=47), etype="Normal", component="deployment-controller", api="apps/v1"))
    logs = {}
    for p in lps:
        logs[(ks, p["metadata"]["name"], "aws-load-balancer-controller", False)] = log_lines(now - timedelta(minutes=46), 30, [
            '{"level":"info","ts":"@ISO@","logger":"controller-runtime.webhook","msg":"Serving webhook server","host":"","port":9443}',
            '{"level":"info","ts":"@ISO@","logger":"controller-runtime.certwatcher","msg":"Starting certificate watcher"}',
            '@GOLOG@ http: TLS handshake error from 10.42.0.151:51544: remote error: tls: bad certificate',
            '@GOLOG@ http: TLS handshake error from 10.42.0.151:40216: remote error: tls: bad certificate'] + [
            f'@GOLOG@ http: TLS handshake error from 10.42.0.151:{30000 + 311 * k}: remote error: tls: bad certificate' for k in range(60)])
    return {
        "name": "h6-lbc-webhook-cert-regenerated-blocks-pod-creation",
        "description": """
cart-api cannot scale out: the HPA wants 6 replicas, only 3 exist, and the ReplicaSet's FailedCreate
events say the API server cannot call the aws-load-balancer-controller's pod mutating webhook
(mpod.elbv2.k8s.aws, injected because the namespace has pod-readiness-gate-inject enabled):
"x509: certificate signed by unknown authority ... aws-load-balancer-controller-ca". The controller was
re-deployed 47 minutes ago and its chart generated a new serving certificate, while the webhook
configuration still carries the old CA bundle; the controller logs TLS handshake errors "bad
certificate". The responsible object is the aws-load-balancer-controller in kube-system. No metrics
were exported for this incident.""",
        "sources": ["kubernetes-sigs/aws-load-balancer-controller issue 3337 (failed calling webhook: x509: certificate signed by unknown authority ... aws-load-balancer-controller-ca), https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/3337",
                    "kubernetes-sigs/aws-load-balancer-controller issue 2237 (helm chart re-creates the TLS certificates on every install), https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2237",
                    "kubernetes-sigs/aws-load-balancer-controller issue 4605 (production incident until the controller pods were rotated), https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/4605"],
        "now": now,
        "alert": alert("KubeDeploymentReplicasMismatch", {"namespace": ns, "deployment": "cart-api", "severity": "warning",
                                                          "job": "kube-state-metrics"},
                       f"Deployment {ns}/cart-api has not matched the expected number of replicas for longer than 15 minutes.",
                       now - timedelta(minutes=25),
                       'kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}', 3),
        "expect": {"category": "TLSFailure", "entity": {"namespace": ks, "kind": "Deployment", "name": "aws-load-balancer-controller"},
                   "mentions": ["x509", "mpod.elbv2.k8s.aws"]},
        "objects": objs, "logs": logs, "metrics": None,
    }


def linkerd_trust_anchor_expired():
    now = parse("2026-11-23T00:41:00Z")
    ld, ns = "linkerd", "inventory"
    n1, n2 = node_name(15, 100), node_name(34, 66)
    nodes = [node(n1, now, itype="m6i.xlarge"), node(n2, now, itype="m6i.xlarge", zone="us-west-2b")]
    ident = container_spec("identity", "cr.l5d.io/linkerd/controller:stable-2.14.10", cpu_req="100m", mem_req="50Mi", mem_lim="250Mi",
                           ports=[("grpc", 8080), ("admin-http", 9990)], args=["identity", "-log-level=info", "-identity-issuance-lifetime=24h0m0s"])
    idd = Workload("Deployment", ld, "linkerd-identity", {"linkerd.io/control-plane-component": "identity", "linkerd.io/control-plane-ns": "linkerd"},
                   [ident], 1, now - timedelta(days=366), revision=2)
    ih = idd.add_rs(2, 1, 1, created=now - timedelta(days=40))
    ipod = idd.pod(ih, 0, [running(now - timedelta(days=40))], n1, now - timedelta(days=40))
    roots = configmap(ld, "linkerd-identity-trust-roots", {"ca-bundle.crt": "-----BEGIN CERTIFICATE-----\n(root.linkerd.cluster.local, notAfter 2026-11-22T23:58:04Z)\n-----END CERTIFICATE-----\n"},
                      now - timedelta(days=366))

    app = container_spec("inventory-api", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/inventory-api:7.1.3", cpu_req="250m",
                         mem_req="512Mi", mem_lim="1Gi", ports=[("http", 8080)], readiness=http_probe("/ready", 8080))
    proxy = container_spec("linkerd-proxy", "cr.l5d.io/linkerd/proxy:stable-2.14.10", cpu_req="100m", mem_req="20Mi", mem_lim="250Mi",
                           ports=[("linkerd-proxy", 4143), ("linkerd-admin", 4191)], readiness=http_probe("/ready", 4191, period=10))
    d = Workload("Deployment", ns, "inventory-api", {"app": "inventory-api"}, [proxy, app], 3, now - timedelta(days=150), revision=23,
                 annotations={"linkerd.io/inject": "enabled"})
    h = d.add_rs(23, 3, 2, created=now - timedelta(days=1))
    pods = [d.pod(h, i, [running(now - timedelta(days=1)), running(now - timedelta(days=1))], (n1, n2)[i % 2], now - timedelta(days=1),
                  annotations={"linkerd.io/proxy-version": "stable-2.14.10"}) for i in range(2)]
    newp = d.pod(h, 2, [running(now - timedelta(minutes=14), ready=False), running(now - timedelta(minutes=14))], n2, now - timedelta(minutes=14),
                 annotations={"linkerd.io/proxy-version": "stable-2.14.10"})
    objs = nodes + idd.objects() + [ipod, roots] + d.objects() + pods + [newp]
    objs.append(event(ns, "Pod", newp["metadata"]["name"], newp["metadata"]["uid"], "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503",
                      now - timedelta(minutes=13), now - timedelta(seconds=20), count=78, host=n2, field_path="spec.containers{linkerd-proxy}"))
    logs = {
        (ld, ipod["metadata"]["name"], "identity", False): log_lines(now - timedelta(minutes=44), 40, [
            'time="2026-11-22T23:57:10Z" level=info msg="issued certificate for inventory-api.inventory.serviceaccount.identity.linkerd.cluster.local until 2026-11-23 23:57:30 +0000 UTC: 9c4e..."'] * 3 + [
            'time="@ISO@" level=info msg="issued certificate for %s.serviceaccount.identity.linkerd.cluster.local until 2026-11-24 00:%02d:00 +0000 UTC"' % (sa, k // 2)
            for k, sa in enumerate(["inventory-api.inventory", "cart-api.checkout", "web.storefront"] * 20)]),
        (ns, newp["metadata"]["name"], "linkerd-proxy", False): log_lines(now - timedelta(minutes=14), 19, [
            "[     0.002210s]  INFO ThreadId(01) linkerd2_proxy: release 2.210.4 (5a910be) by linkerd on 2024-05-03T19:37:11Z",
            "[     0.004511s]  INFO ThreadId(01) linkerd2_proxy: Admin interface on 0.0.0.0:4191",
            "[     0.005120s]  INFO ThreadId(01) linkerd2_proxy: Local identity is inventory-api.inventory.serviceaccount.identity.linkerd.cluster.local"] + [
            f"[    {10 + 15 * k:5d}.1{k:05d}s]  WARN ThreadId(01) identity:identity{{server.addr=linkerd-identity-headless.linkerd.svc.cluster.local:8080}}:controller{{addr=linkerd-identity-headless.linkerd.svc.cluster.local:8080}}:endpoint{{addr=10.42.15.77:8080}}: linkerd_reconnect: Failed to connect error=invalid peer certificate: Expired"
            for k in range(40)]),
    }
    for p in pods:
        logs[(ns, p["metadata"]["name"], "linkerd-proxy", False)] = log_lines(now - timedelta(minutes=40), 30, [
            "[ 86390.221003s]  WARN ThreadId(01) outbound:proxy{addr=172.20.61.9:8080}:service{ns=checkout name=cart-api port=8080}:endpoint{addr=10.42.30.44:8080}: linkerd_reconnect: Failed to connect error=invalid peer certificate: Expired",
            "[ 86391.004112s]  INFO ThreadId(01) inbound:server{port=8080}: linkerd_app_core::serve: Connection closed error=TLS detection timed out"] * 30)
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    exp = parse("2026-11-22T23:58:04Z")
    m.counter("response_total", {"namespace": ns, "deployment": "inventory-api", "direction": "outbound", "classification": "failure",
                                 "status_code": "503", "job": "linkerd-proxy"}, lambda t: 0.1 if t < exp else 41.0)
    m.counter("response_total", {"namespace": ns, "deployment": "inventory-api", "direction": "outbound", "classification": "success",
                                 "status_code": "200", "job": "linkerd-proxy"}, lambda t: 55.0 if t < exp else 6.0)
    m.gauge("identity_cert_expiration_timestamp_seconds", {"namespace": ld, "pod": ipod["metadata"]["name"], "job": "linkerd-controller"},
            lambda t: exp.timestamp())
    return {
        "name": "h6-linkerd-trust-anchor-expired-mesh-503s",
        "description": """
inventory-api, meshed by Linkerd, returns 503 on most outbound calls since 23:58 UTC and a new replica
never becomes ready. Every linkerd-proxy logs "invalid peer certificate: Expired"; the trust anchor in
linkerd-identity-trust-roots expired at 2026-11-22T23:58:04Z and linkerd-identity keeps issuing leaf
certificates that chain to it. The application containers are fine. The responsible object is the
mesh identity (linkerd-identity and its expired root), a certificate problem.""",
        "sources": ["linkerd/linkerd2 issue 3676 'Replicate data plane trust root expiry' (after the trust root expired, proxies reject certificates, injected pods get 503, new workloads cannot start), https://github.com/linkerd/linkerd2/issues/3676",
                    "linkerd/linkerd2 issue 9612 (production outage because linkerd's certificate expired), https://github.com/linkerd/linkerd2/issues/9612"],
        "now": now,
        "alert": alert("InventoryApiHighErrorRate", {"namespace": ns, "deployment": "inventory-api", "severity": "critical"},
                       "inventory-api outbound failure rate is 87%", now - timedelta(minutes=38),
                       'sum(rate(response_total{namespace="inventory",classification="failure"}[5m])) / sum(rate(response_total{namespace="inventory"}[5m])) > 0.05', 0.87),
        "expect": {"category": "TLSFailure", "entity": {"namespace": ld, "kind": "Deployment", "name": "linkerd-identity"},
                   "mentions": ["Expired"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def rds_ca_rotation_untrusted_root():
    now = parse("2026-11-24T02:47:00Z")
    ns = "orders"
    n1, n2 = node_name(16, 37), node_name(39, 150)
    nodes = [node(n1, now, itype="m6i.xlarge"), node(n2, now, itype="m6i.xlarge", zone="us-west-2c")]
    host = "orders-db.c7xq2kd9ab1e.us-west-2.rds.amazonaws.com"
    c = container_spec("orders-api", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/orders-api:2026.10.4", cpu_req="300m",
                       mem_req="384Mi", mem_lim="768Mi", ports=[("http", 8080)], readiness=http_probe("/healthz/ready", 8080),
                       env_from=[{"configMapRef": {"name": "orders-db"}}])
    d = Workload("Deployment", ns, "orders-api", {"app.kubernetes.io/name": "orders-api"}, [c], 3, now - timedelta(days=600), revision=72)
    h = d.add_rs(72, 3, 0, created=now - timedelta(days=26))
    pods = [d.pod(h, i, [running(now - timedelta(days=26), ready=False)], (n1, n2)[i % 2], now - timedelta(days=26)) for i in range(3)]
    cm = configmap(ns, "orders-db", {"DB_HOST": host, "DB_PORT": "5432", "DB_NAME": "orders", "DB_SSLMODE": "VerifyFull",
                                     "DB_ROOT_CERT": "/app/certs/rds-ca-2019-root.pem"}, now - timedelta(days=600))
    svc = service(ns, "orders-api", {"app.kubernetes.io/name": "orders-api"}, [("http", 80, 8080)], "172.20.44.12", now - timedelta(days=600))
    ep = endpoints(ns, "orders-api", [], pods, [("http", 8080)])
    objs = nodes + d.objects() + pods + [cm, svc, ep]
    for p in pods:
        objs.append(event(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "Unhealthy",
                          "Readiness probe failed: HTTP probe failed with statuscode: 503", now - timedelta(minutes=16),
                          now - timedelta(seconds=15), count=95, host=p["spec"]["nodeName"], field_path="spec.containers{orders-api}"))
    err = ["fail: Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService[103]",
           "      Health check orders-db with status Unhealthy completed after 84.1021ms with message '(null)'",
           "      Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.20.11.84:5432",
           "       ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot",
           "         at System.Net.Security.SslStream.SendAuthResetSignal(ReadOnlySpan`1 alert, ExceptionDispatchInfo exception)",
           "         at Npgsql.Internal.NpgsqlConnector.NegotiateEncryption(SslMode sslMode, NpgsqlTimeout timeout, Boolean async)"]
    logs = {(ns, p["metadata"]["name"], "orders-api", False): log_lines(now - timedelta(minutes=17), 5, err * 30) for p in pods}
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    t0 = now - timedelta(minutes=17)
    m.gauge("kube_deployment_status_replicas_available", {"namespace": ns, "deployment": "orders-api", "job": "kube-state-metrics"},
            lambda t: 3 if t < t0 else 0)
    m.gauge("aws_rds_maintenance_event", {"dbinstance_identifier": "orders-db", "event": "ca-certificate-rotation", "ca": "rds-ca-rsa2048-g1", "job": "yace"},
            lambda t: 0 if t < now - timedelta(minutes=19) else 1)
    return {
        "name": "h6-rds-ca-rotated-app-trusts-only-old-root",
        "description": f"""
All orders-api (C#/ASP.NET Core, Npgsql) pods went unready at 02:30 UTC: the database health check fails
with "The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot". The
RDS instance {host} had its CA rotated to rds-ca-rsa2048-g1 in its maintenance window, while the app
verifies the server against the rds-ca-2019 root bundled in its image (DB_SSLMODE=VerifyFull). The
failing certificate check is against the database endpoint outside the cluster.""",
        "sources": ["AWS RDS User Guide, 'Rotating your SSL/TLS certificate' (clients that verify with the old CA lose connectivity when the instance moves to a new CA), https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html",
                    "AWS Database Blog, 'Amazon RDS customers: Update your SSL/TLS certificates', https://aws.amazon.com/blogs/database/amazon-rds-customers-update-your-ssl-tls-certificates-by-february-5-2020/"],
        "now": now,
        "alert": alert("KubeDeploymentReplicasMismatch", {"namespace": ns, "deployment": "orders-api", "severity": "critical", "job": "kube-state-metrics"},
                       f"Deployment {ns}/orders-api has 0 of 3 replicas available.", now - timedelta(minutes=2),
                       'kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}', 3),
        "expect": {"category": "TLSFailure", "entity": {"namespace": "", "kind": "External", "name": host},
                   "mentions": ["UntrustedRoot"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def cloudflare_outage_carrier_api():
    now = parse("2025-11-18T11:58:00Z")
    ns = "shipping"
    n1, n2 = node_name(17, 14), node_name(28, 190)
    nodes = [node(n1, now, itype="c7i.large", cpu="2", memory="4Gi"), node(n2, now, itype="c7i.large", zone="us-west-2b", cpu="2", memory="4Gi")]
    host = "api.parcelroute.example"
    fpm = container_spec("php-fpm", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/shipping-quotes:3.2.0", cpu_req="200m",
                         mem_req="256Mi", mem_lim="512Mi", ports=[("fastcgi", 9000)],
                         env=[{"name": "CARRIER_API_URL", "value": f"https://{host}/v2"}])
    d = Workload("Deployment", ns, "shipping-quotes", {"app": "shipping-quotes"}, [fpm], 2, now - timedelta(days=200), revision=17)
    h = d.add_rs(17, 2, 2, created=now - timedelta(days=15))
    pods = [d.pod(h, i, [running(now - timedelta(days=15))], (n1, n2)[i], now - timedelta(days=15)) for i in range(2)]
    objs = nodes + d.objects() + pods
    err = ('[@LAR@] production.ERROR: Carrier rate lookup failed {"carrier":"parcelroute","exception":"[object] '
           '(GuzzleHttp\\\\Exception\\\\ServerException(code: 500): Server error: `POST https://' + host + '/v2/rates` resulted in a '
           '`500 Internal Server Error` response:\\n<html>\\r\\n<head><title>500 Internal Server Error</title></head>\\r\\n<body>\\r\\n'
           '<center><h1>500 Internal Server Error</h1></center>\\r\\n<hr><center>cloudflare</center>\\r\\n (truncated...)\\n at '
           '/var/www/html/vendor/guzzlehttp/guzzle/src/Exception/RequestException.php:113)"}')
    logs = {}
    for p in pods:
        lines = [err] * 70
        logs[(ns, p["metadata"]["name"], "php-fpm", False)] = log_lines(now - timedelta(minutes=37), 30, lines)
    m = Metrics(now - timedelta(minutes=50), now - timedelta(seconds=30))
    t0 = parse("2025-11-18T11:20:00Z")
    m.counter("shipping_carrier_requests", {"namespace": ns, "carrier": "parcelroute", "outcome": "ok", "job": "shipping-quotes"},
              lambda t: 24.0 if t < t0 else 1.5)
    m.counter("shipping_carrier_requests", {"namespace": ns, "carrier": "parcelroute", "outcome": "http_5xx", "job": "shipping-quotes"},
              lambda t: 0.0 if t < t0 else 22.0)
    m.counter("shipping_carrier_requests", {"namespace": ns, "carrier": "postal-direct", "outcome": "ok", "job": "shipping-quotes"},
              lambda t: 9.0)
    return {
        "name": "h6-carrier-api-behind-cloudflare-returns-500",
        "description": f"""
Checkout shows no shipping rates for most carts. shipping-quotes (Laravel) gets HTTP 500 pages signed
"cloudflare" from the carrier's API {host} since 11:20 UTC on 18 November 2025, the start of
Cloudflare's global outage; another carrier that is not behind Cloudflare keeps answering. Pods, nodes
and DNS are healthy. The failing dependency is the external host.""",
        "sources": ["ilert postmortem digest, 'Cloudflare: Global outage caused by Bot Management config file' (18 Nov 2025, HTTP 5xx from 11:20 UTC), https://www.ilert.com/postmortems/cloudflare-global-outage-nov-2025",
                    "GNcrypto, 'Cloudflare post-mortem ties global outage to bot-management bug', https://www.gncrypto.news/news/cloudflare-faulty-bot-config-outage"],
        "now": now,
        "alert": alert("ShippingCarrierErrors", {"namespace": ns, "service": "shipping-quotes", "carrier": "parcelroute", "severity": "warning"},
                       "parcelroute rate lookups fail 94% of the time", now - timedelta(minutes=31),
                       'sum(rate(shipping_carrier_requests_total{outcome!="ok",carrier="parcelroute"}[5m])) / sum(rate(shipping_carrier_requests_total{carrier="parcelroute"}[5m])) > 0.2', 0.94),
        "expect": {"category": "DependencyFailure", "entity": {"namespace": "", "kind": "External", "name": host},
                   "mentions": ["500"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def keda_scaled_dependency_to_zero():
    now = parse("2026-11-25T17:22:00Z")
    ns_dep, ns = "inventory", "checkout"
    n1, n2 = node_name(10, 212), node_name(25, 30)
    nodes = [node(n1, now, itype="m6i.xlarge"), node(n2, now, itype="m6i.xlarge", zone="us-west-2b")]
    g = container_spec("inventory-grpc", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/inventory-grpc:1.19.2", cpu_req="250m",
                       mem_req="256Mi", mem_lim="512Mi", ports=[("grpc", 9090)])
    dep = Workload("Deployment", ns_dep, "inventory-grpc", {"app": "inventory-grpc"}, [g], 0, now - timedelta(days=120), revision=9,
                   annotations={"autoscaling.keda.sh/paused": "false"})
    hh = dep.add_rs(9, 0, 0, created=now - timedelta(days=6))
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "keda-hpa-inventory-grpc", "namespace": ns_dep, "uid": uid("hpa", ns_dep, "keda"),
                        "labels": {"app.kubernetes.io/managed-by": "keda-operator", "scaledobject.keda.sh/name": "inventory-grpc"}},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "inventory-grpc"}, "minReplicas": 1, "maxReplicas": 10,
                    "metrics": [{"type": "External", "external": {"metric": {"name": "s0-metric-api-pending_reservations"},
                                                                  "target": {"type": "AverageValue", "averageValue": "50"}}}]},
           "status": {"currentReplicas": 0, "desiredReplicas": 0,
                      "conditions": [{"type": "ScalingActive", "status": "False", "reason": "ScalingDisabled",
                                      "message": "scaling is disabled since the replica count of the target is zero",
                                      "lastTransitionTime": ts(now - timedelta(minutes=26))}]}}
    svc = service(ns_dep, "inventory-grpc", {"app": "inventory-grpc"}, [("grpc", 9090, 9090)], "172.20.150.3", now - timedelta(days=120))
    ep = endpoints(ns_dep, "inventory-grpc", [], [], [("grpc", 9090)])
    app, apods = _app(ns, "checkout-api", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/checkout-api:3.8.2", [n1, n2], now, replicas=3)
    objs = nodes + dep.objects() + [hpa, svc, ep] + app.objects() + apods
    objs.append(event(ns_dep, "Deployment", "inventory-grpc", dep.uid, "ScalingReplicaSet", f"Scaled down replica set inventory-grpc-{hh} from 3 to 0",
                      now - timedelta(minutes=26), now - timedelta(minutes=26), etype="Normal", component="deployment-controller", api="apps/v1"))
    objs.append(event(ns_dep, "HorizontalPodAutoscaler", "keda-hpa-inventory-grpc", hpa["metadata"]["uid"], "FailedGetExternalMetric",
                      'unable to get external metric inventory/s0-metric-api-pending_reservations/&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: inventory-grpc,},MatchExpressions:[]LabelSelectorRequirement{},}: unable to fetch metrics from external metrics API: error when checking metric value: Get "http://reservations-stats.inventory.svc.cluster.local:8080/v1/pending": dial tcp 172.20.88.41:8080: connect: connection refused',
                      now - timedelta(minutes=31), now - timedelta(minutes=27), count=9, component="horizontal-pod-autoscaler", api="autoscaling/v2"))
    logs = {}
    for p in apods:
        logs[(ns, p["metadata"]["name"], "checkout-api", False)] = log_lines(now - timedelta(minutes=25), 15, [
            "@SP@ ERROR [DefaultDispatcher-worker-2] InventoryClient - reserve failed: io.grpc.StatusException: UNAVAILABLE: io exception",
            "Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: inventory-grpc.inventory.svc.cluster.local/172.20.150.3:9090",
            "@SP@ ERROR [eventLoopGroupProxy-4-1] Application - 503 Service Unavailable: POST - /v1/checkout in 9ms"] * 30)
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    t0 = now - timedelta(minutes=26)
    m.gauge("kube_deployment_spec_replicas", {"namespace": ns_dep, "deployment": "inventory-grpc", "job": "kube-state-metrics"},
            lambda t: 3 if t < t0 else 0)
    m.gauge("keda_scaler_errors", {"namespace": ns_dep, "scaledObject": "inventory-grpc", "scaler": "metrics-api-scaler", "job": "keda-operator"},
            lambda t: 0 if t < t0 - timedelta(minutes=5) else 1)
    m.counter("ktor_http_server_requests_seconds_count", {"namespace": ns, "service": "checkout-api", "route": "/v1/checkout", "status": "503", "job": "checkout-api"},
              lambda t: 0 if t < t0 else 14.0)
    return {
        "name": "h6-keda-scaled-grpc-dependency-to-zero",
        "description": """
checkout-api answers 503 because every reservation call to inventory-grpc is refused. The
inventory-grpc Deployment in namespace inventory was scaled from 3 to 0 by KEDA 26 minutes ago when its
metrics-api trigger (reservations-stats) became unreachable; its Service has no endpoints at all.
checkout-api itself is healthy. The responsible object is the dependency's Service with no endpoints
behind it.""",
        "sources": ["kedacore/keda issue 1850 'Keda scales to 0 if metric API is not available', https://github.com/kedacore/keda/issues/1850",
                    "kedacore/keda issue 7239 (fallback does not scale from 0 to 1 when metrics cannot be fetched and minReplicaCount is 0), https://github.com/kedacore/keda/issues/7239"],
        "now": now,
        "alert": alert("CheckoutApiErrors", {"namespace": ns, "service": "checkout-api", "severity": "critical"},
                       "checkout-api 5xx ratio is 71%", now - timedelta(minutes=21),
                       'sum(rate(ktor_http_server_requests_seconds_count{service="checkout-api",status=~"5.."}[5m])) / sum(rate(ktor_http_server_requests_seconds_count{service="checkout-api"}[5m])) > 0.05', 0.71),
        "expect": {"category": "DependencyFailure", "entity": {"namespace": ns_dep, "kind": "Service", "name": "inventory-grpc"},
                   "mentions": ["inventory-grpc"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def conntrack_full_on_ingress_node():
    now = parse("2026-11-26T20:35:00Z")
    ns = "edge"
    bad, ok1 = node_name(3, 77), node_name(21, 140)
    nodes = [node(bad, now, itype="c6i.large", cpu="2", memory="4Gi"), node(ok1, now, itype="c6i.large", zone="us-west-2b", cpu="2", memory="4Gi")]
    t = container_spec("traefik", "docker.io/traefik:v3.1.6", cpu_req="300m", mem_req="128Mi", mem_lim="512Mi",
                       ports=[("web", 8000), ("websecure", 8443), ("metrics", 9100)], readiness=http_probe("/ping", 8080, period=10),
                       args=["--entrypoints.websecure.address=:8443", "--providers.kubernetescrd", "--metrics.prometheus=true"])
    d = Workload("Deployment", ns, "traefik", {"app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "traefik-edge"}, [t], 2,
                 now - timedelta(days=220), revision=12)
    h = d.add_rs(12, 2, 2, created=now - timedelta(days=10))
    pods = [d.pod(h, i, [running(now - timedelta(days=10))], (bad, ok1)[i], now - timedelta(days=10)) for i in range(2)]
    objs = nodes + d.objects() + pods
    logs = {
        (ns, pods[0]["metadata"]["name"], "traefik", False): log_lines(now - timedelta(minutes=22), 6, [
            '@ISO@ ERR 500 Internal Server Error error="dial tcp 10.42.31.18:8080: i/o timeout" entryPointName=websecure routerName=storefront-web-storefront@kubernetescrd',
            '@ISO@ ERR 500 Internal Server Error error="dial tcp 10.42.27.90:8080: i/o timeout" entryPointName=websecure routerName=catalog-api-catalog@kubernetescrd',
            '@ISO@ DBG Service selected by WRR: 10.42.19.3:8080'] * 60),
        (ns, pods[1]["metadata"]["name"], "traefik", False): log_lines(now - timedelta(minutes=22), 60, [
            '@ISO@ INF Configuration loaded from providers providerName=kubernetescrd'] * 5),
    }
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    t0 = now - timedelta(minutes=24)
    m.gauge("node_nf_conntrack_entries", {"instance": bad, "job": "node-exporter"},
            lambda tt: 131072 if tt >= t0 else int(96000 + 35000 * (tt - m.start).total_seconds() / (t0 - m.start).total_seconds()))
    m.gauge("node_nf_conntrack_entries_limit", {"instance": bad, "job": "node-exporter"}, lambda tt: 131072)
    m.gauge("node_nf_conntrack_entries", {"instance": ok1, "job": "node-exporter"}, lambda tt: 21800)
    m.gauge("node_nf_conntrack_entries_limit", {"instance": ok1, "job": "node-exporter"}, lambda tt: 131072)
    m.counter("node_nf_conntrack_stat_drop", {"instance": bad, "job": "node-exporter"}, lambda tt: 0 if tt < t0 else 230.0)
    for i, p in enumerate(pods):
        m.counter("traefik_service_requests", {"namespace": ns, "pod": p["metadata"]["name"], "code": "500", "service": "storefront-web-storefront-80@kubernetescrd", "job": "traefik"},
                  (lambda tt, i=i: 0.1 if (i == 1 or tt < t0) else 64.0))
        m.counter("traefik_service_requests", {"namespace": ns, "pod": p["metadata"]["name"], "code": "200", "service": "storefront-web-storefront-80@kubernetescrd", "job": "traefik"},
                  (lambda tt, i=i: 300.0 if (i == 1 or tt < t0) else 120.0))
    return {
        "name": "h6-conntrack-table-full-on-one-ingress-node",
        "description": f"""
About a third of edge requests fail with Traefik 500 "dial tcp ...: i/o timeout" to perfectly healthy
backends. All failures come from the Traefik replica on {bad}, whose nf_conntrack table is at its
131072 limit with conntrack drops climbing; the other replica's node is at 17% and serves normally.
The backends and Traefik's configuration are fine: new connections from that node are dropped by the
kernel because the node's connection-tracking table is exhausted.""",
        "sources": ["Michal Drozd, 'Kubernetes conntrack Table Exhaustion: The Silent Packet Killer' (nf_conntrack: table full, dropping packet; timeouts to healthy services), https://www.michal-drozd.com/en/blog/kubernetes-conntrack-exhaustion/",
                    "Netdata guide, 'Kubernetes conntrack exhaustion: dropped connections under load', https://www.netdata.cloud/guides/kubernetes/kubernetes-conntrack-exhaustion/"],
        "now": now,
        "alert": alert("TraefikHighErrorRate", {"namespace": ns, "service": "traefik", "severity": "critical"},
                       "Traefik 5xx ratio for storefront is 31%", now - timedelta(minutes=19),
                       'sum(rate(traefik_service_requests_total{code=~"5.."}[5m])) / sum(rate(traefik_service_requests_total[5m])) > 0.05', 0.31),
        "expect": {"category": "ResourceExhaustion", "entity": {"namespace": "", "kind": "Node", "name": bad},
                   "mentions": ["conntrack"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


CASES = [coredns_lost_replica_during_node_reroll, coredns_vpc_resolver_pps_limit, lbc_webhook_cert_mismatch_blocks_pods,
         linkerd_trust_anchor_expired, rds_ca_rotation_untrusted_root, cloudflare_outage_carrier_api, keda_scaled_dependency_to_zero,
         conntrack_full_on_ingress_node]
