"""Cases whose responsible object is not the alerted workload."""

from common import NODES, app, error_rate_alert, http_metrics, nodes, pod_metrics, replicas_mismatch_alert, step
from kit import Case, res, running, terminated, waiting, iso

ERR = "ResourceExhaustion"


def postgres_volume_full():
    c = Case("h4-postgres-volume-full-behind-elixir-api", "2026-11-03T14:20:00Z", """
The Elixir/Phoenix service invoicer (namespace billing) returns 500s on every write. Its
database, the StatefulSet billing-pg in namespace billing-db, is Running and Ready (pg_isready
passes, reads work), but its data volume pgdata-billing-pg-0 is 100% used: PostgreSQL logs
'could not extend file "base/16384/24577": No space left on device' and Ecto surfaces
ERROR 53100 (disk_full). The responsible object is the full PersistentVolumeClaim, not the
alerted service nor the (healthy-looking) database pod.""",
             [("holos-run/holos issue 97 (postgres pods out of space, /pgdata 100%)",
               "https://github.com/holos-run/holos/issues/97"),
              ("openstate/open-raadsinformatie issue 427 (Postgres disk full)",
               "https://github.com/openstate/open-raadsinformatie/issues/427")],
             ERR, ("billing-db", "PersistentVolumeClaim", "pgdata-billing-pg-0"),
             ["No space left on device", "pgdata-billing-pg-0"])
    nodes(c)
    _, pods = app(c, "billing", "invoicer", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/invoicer:1.42.0",
                  "5f7c9d6b8d", [("x2k9q", NODES[0], {}), ("m7vtc", NODES[1], {}), ("p4hzr", NODES[2], {})],
                  resources=res("250m", "512Mi", None, "1Gi"))
    c.service("billing", "invoicer", {"app.kubernetes.io/name": "invoicer"}, 4000)
    c.endpoints("billing", "invoicer", ["10.31.40.31", "10.31.41.32", "10.31.42.33"], port=4000)
    c.raw("workloads", {
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "billing-pg", "namespace": "billing-db", "generation": 4,
                     "creationTimestamp": iso(c.ago(60 * 24 * 200))},
        "spec": {"replicas": 1, "serviceName": "billing-pg", "selector": {"matchLabels": {"app": "billing-pg"}},
                 "template": {"metadata": {"labels": {"app": "billing-pg"}},
                              "spec": {"containers": [{"name": "postgres", "image": "postgres:16.4"}]}},
                 "volumeClaimTemplates": [{"metadata": {"name": "pgdata"},
                                           "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "gp3",
                                                    "resources": {"requests": {"storage": "50Gi"}}}}]},
        "status": {"replicas": 1, "readyReplicas": 1, "currentReplicas": 1, "updatedReplicas": 1,
                   "availableReplicas": 1, "observedGeneration": 4}})
    c.pod("billing-db", "billing-pg-0", c.owner("StatefulSet", "billing-pg", "billing-db"), NODES[2],
          [{"name": "postgres", "image": "postgres:16.4", "ready": True, "restarts": 0, "state": running(c, 60 * 24 * 31),
            "resources": res("1", "4Gi", None, "4Gi")}], labels={"app": "billing-pg"}, created_min=60 * 24 * 31,
          ip="10.31.42.90")
    c.raw("storage", {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                      "metadata": {"name": "pgdata-billing-pg-0", "namespace": "billing-db",
                                   "labels": {"app": "billing-pg"}, "creationTimestamp": iso(c.ago(60 * 24 * 200))},
                      "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "gp3",
                               "resources": {"requests": {"storage": "50Gi"}},
                               "volumeName": "pvc-8f1d2c3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f"},
                      "status": {"phase": "Bound", "capacity": {"storage": "50Gi"}, "accessModes": ["ReadWriteOnce"]}})
    c.service("billing-db", "billing-pg", {"app": "billing-pg"}, 5432)
    c.endpoints("billing-db", "billing-pg", ["10.31.42.90"], port=5432)
    error_rate_alert(c, "billing", "invoicer", 0.05, 0.41, 12)
    for p in pods:
        c.log("billing", p, "invoicer", c.every(20, 0, 9, lambda t, i: (
            "%s request_id=F%07x [info] POST /api/invoices" % (t.strftime("%H:%M:%S.%f")[:12], i * 7919)
            if i % 3 == 0 else
            "%s request_id=F%07x [error] ** (Postgrex.Error) ERROR 53100 (disk_full) could not extend file \"base/16384/24577\": No space left on device"
            % (t.strftime("%H:%M:%S.%f")[:12], i * 7919)) if t >= c.ago(14) else
            "%s request_id=F%07x [info] Sent 201 in 38ms" % (t.strftime("%H:%M:%S.%f")[:12], i * 7919)))
    c.log("billing-db", "billing-pg-0", "postgres", c.every(20, 0, 20, lambda t, i: (
        "%s UTC [%d] ERROR:  could not extend file \"base/16384/24577\": No space left on device" % (t.strftime("%Y-%m-%d %H:%M:%S.%f")[:23], 2200 + i)
        if i % 2 == 0 else
        "%s UTC [%d] HINT:  Check free disk space." % (t.strftime("%Y-%m-%d %H:%M:%S.%f")[:23], 2199 + i)) if t >= c.ago(14) else
        "%s UTC [%d] LOG:  checkpoint complete: wrote 1423 buffers (8.7%%)" % (t.strftime("%Y-%m-%d %H:%M:%S.%f")[:23], 61)))
    cap = 50 * 1024 ** 3
    lab = {"namespace": "billing-db", "persistentvolumeclaim": "pgdata-billing-pg-0"}
    c.series("kubelet_volume_stats_capacity_bytes", "gauge", lab, lambda m, i: cap)
    c.series("kubelet_volume_stats_used_bytes", "gauge", lab,
             lambda m, i: cap if m <= 14 else int(cap * (0.985 + 0.015 * (40 - m) / 26)))
    for p in pods:
        http_metrics(c, "billing", "invoicer", p, lambda m: 60, step(0.001, 0.42, 14))
        pod_metrics(c, "billing", p, "invoicer", 310, 0.12, mem_limit_mi=1024, restarts=lambda m: 0)
    pod_metrics(c, "billing-db", "billing-pg-0", "postgres", 2900, 0.4, mem_limit_mi=4096, restarts=lambda m: 0)
    return c


def istiod_scaled_to_zero():
    c = Case("h4-istiod-scaled-to-zero-blocks-sidecar-injection", "2026-11-12T19:40:00Z", """
A "cost saver" script scaled Deployments in istio-system to zero at 19:00, istiod included. The
Service istiod there has no endpoints, so the mutating webhook namespace.sidecar-injector.istio.io
cannot be called: the new ReplicaSet of search-api (namespace catalog) fails every pod creation
with 'no endpoints available for service "istiod"' and the rollout is stuck. search-api itself is
fine (its old pods still serve). The responsible object is the istiod Service in istio-system
(its backend has no pods).""",
             [("istio/istio issue 13840 (sidecar-injector webhook failures block pod creation on EKS)",
               "https://github.com/istio/istio/issues/13840"),
              ("kubernetes/kubernetes issue 112765 (can no longer create pods: failed calling webhook)",
               "https://github.com/kubernetes/kubernetes/issues/112765")],
             "DependencyFailure", ("istio-system", "Service", "istiod"),
             ["istiod", "no endpoints available"])
    nodes(c)
    img_old = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-api:2026.11.2"
    img_new = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-api:2026.11.3"
    c.deployment("catalog", "search-api", img_new, 3, 3, revision=5, available=3, updated=0,
                 strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                 progressing={"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated",
                              "message": 'ReplicaSet "search-api-6c9f7d8b4" is progressing.',
                              "lastTransitionTime": iso(c.ago(16))})
    old = c.replicaset("catalog", "search-api", "85b6d4f7c9", img_old, 3, 3, 4, 60 * 24 * 8)
    new = c.replicaset("catalog", "search-api", "6c9f7d8b4", img_new, 1, 0, 5, 16)
    pods = []
    for i, s in enumerate(["qz7xd", "lm2ks", "w9f4n"]):
        p = "%s-%s" % (old, s)
        pods.append(p)
        c.pod("catalog", p, c.owner("ReplicaSet", old, "catalog"), NODES[i],
              [{"name": "search-api", "image": img_old, "ready": True, "restarts": 0, "state": running(c, 60 * 24 * 8)},
               {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.23.2", "ready": True, "restarts": 0,
                "state": running(c, 60 * 24 * 8)}],
              labels={"app.kubernetes.io/name": "search-api", "pod-template-hash": "85b6d4f7c9"},
              created_min=60 * 24 * 8, ip="10.31.4%d.5%d" % (i, i))
    c.event("catalog", "ReplicaSet", new, "FailedCreate",
            'Error creating: Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": '
            'failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": '
            'no endpoints available for service "istiod"', count=17, first_min=16, last_min=1,
            component="replicaset-controller", api="apps/v1")
    c.event("catalog", "Deployment", "search-api", "ScalingReplicaSet", "Scaled up replica set %s to 1" % new,
            typ="Normal", first_min=16, last_min=16, component="deployment-controller", api="apps/v1")
    c.event("catalog", "Pod", pods[1], "Unhealthy",
            "Readiness probe failed: Get \"http://10.31.41.51:15021/healthz/ready\": dial tcp 10.31.41.51:15021: connect: connection refused",
            count=1, first_min=38, last_min=38)
    c.deployment("istio-system", "istiod", "docker.io/istio/pilot:1.23.2", 0, 0, revision=11, available=0,
                 labels={"app": "istiod", "istio": "pilot"})
    c.replicaset("istio-system", "istiod", "7d4c9b6f5", "docker.io/istio/pilot:1.23.2", 0, 0, 11, 60 * 24 * 20,
                 labels={"app": "istiod", "istio": "pilot"})
    c.event("istio-system", "Deployment", "istiod", "ScalingReplicaSet", "Scaled down replica set istiod-7d4c9b6f5 to 0 from 2",
            typ="Normal", first_min=40, last_min=40, component="deployment-controller", api="apps/v1")
    c.service("istio-system", "istiod", {"app": "istiod", "istio": "pilot"}, 443, 15017)
    c.endpoints("istio-system", "istiod")
    c.set_alert("KubeDeploymentRolloutStuck", {"namespace": "catalog", "deployment": "search-api"},
                "Rollout of deployment catalog/search-api is not progressing",
                'kube_deployment_status_replicas_updated{deployment="search-api"} != kube_deployment_spec_replicas{deployment="search-api"}',
                0, 10, severity="warning")
    for p in pods:
        c.log("catalog", p, "search-api", c.every(20, 0, 30, lambda t, i: (
            '{"level":"info","ts":"%s","msg":"GET /v2/search","status":200,"duration_ms":%d}' % (iso(t), 18 + i % 9))))
        pod_metrics(c, "catalog", p, "search-api", 420, 0.3, mem_limit_mi=1024, restarts=lambda m: 0)
        http_metrics(c, "catalog", "search-api", p, lambda m: 120, lambda m: 0.0008)
    return c


def datadog_webhook_default_deny():
    c = Case("h4-admission-webhook-timeout-after-default-deny", "2026-11-18T09:30:00Z", """
A platform change applied a default-deny ingress NetworkPolicy to namespace datadog. The API
server can no longer reach the Datadog admission controller (Service
datadog-cluster-agent-admission-controller), so every pod admission waits for the webhook and
times out: the HPA of notifications (namespace messaging) asks for 8 replicas, the ReplicaSet
can only keep the 4 it had, each new pod fails with "context deadline exceeded". The cluster
agent pods are Running and Ready and log nothing about it (the requests never arrive). The
responsible object is the webhook's Service in namespace datadog. The NetworkPolicy itself is not
in the snapshot (the collector cannot read it).""",
             [("kubernetes/kubernetes issue 128162 (pod admission fails on webhook timeouts behind a default-deny policy)",
               "https://github.com/kubernetes/kubernetes/issues/128162"),
              ("projectcalico/calico issue 3809 (context deadline exceeded calling a webhook)",
               "https://github.com/projectcalico/calico/issues/3809")],
             "DependencyFailure", ("datadog", "Service", "datadog-cluster-agent-admission-controller"),
             ["context deadline exceeded", "datadog-cluster-agent-admission-controller"])
    nodes(c)
    img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/notifications:5.3.1"
    rs, pods = app(c, "messaging", "notifications", img, "74c5d9f8b6",
                   [("ab12c", NODES[0], {}), ("cd34e", NODES[1], {}), ("ef56g", NODES[2], {}), ("gh78j", NODES[0], {})],
                   replicas=8, deploy_ready=4, available=4, updated=8)
    c.raw("autoscaling", {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                          "metadata": {"name": "notifications", "namespace": "messaging"},
                          "spec": {"minReplicas": 2, "maxReplicas": 20,
                                   "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "notifications"},
                                   "metrics": [{"type": "External", "external": {
                                       "metric": {"name": "sqs_messages_visible"},
                                       "target": {"type": "AverageValue", "averageValue": "500"}}}]},
                          "status": {"currentReplicas": 4, "desiredReplicas": 8}})
    c.event("messaging", "ReplicaSet", rs, "FailedCreate",
            "Error creating: Timeout: request did not complete within requested timeout - context deadline exceeded",
            count=23, first_min=25, last_min=1, component="replicaset-controller", api="apps/v1")
    c.event("messaging", "ReplicaSet", rs, "FailedCreate",
            'Error creating: Internal error occurred: failed calling webhook "datadog.webhook.agent.config": failed to call webhook: '
            'Post "https://datadog-cluster-agent-admission-controller.datadog.svc:443/injectconfig?timeout=10s": context deadline exceeded',
            count=9, first_min=24, last_min=2, component="replicaset-controller", api="apps/v1")
    c.event("messaging", "HorizontalPodAutoscaler", "notifications", "SuccessfulRescale",
            "New size: 8; reason: external metric sqs_messages_visible above target", typ="Normal",
            first_min=25, last_min=25, component="horizontal-pod-autoscaler", api="autoscaling/v2")
    _, dd = app(c, "datadog", "datadog-cluster-agent", "gcr.io/datadoghq/cluster-agent:7.57.2", "6b8f7c5d4",
                [("r2d2x", NODES[1], {}), ("c3p0y", NODES[2], {})], labels={"app": "datadog-cluster-agent"})
    c.service("datadog", "datadog-cluster-agent-admission-controller", {"app": "datadog-cluster-agent"}, 443, 8000)
    c.endpoints("datadog", "datadog-cluster-agent-admission-controller", ["10.31.41.77", "10.31.42.78"], port=8000)
    replicas_mismatch_alert(c, "messaging", "notifications", 4, 15)
    for p in pods:
        c.log("messaging", p, "notifications", c.every(25, 0, 20, lambda t, i: (
            "%s INFO [notifications.consumer] batch processed size=10 lag=%d" % (t.strftime("%Y-%m-%d %H:%M:%S,%f")[:23], 4200 + i * 35))))
    for p in dd:
        c.log("datadog", p, "datadog-cluster-agent", c.every(25, 0, 60, lambda t, i: (
            "%s UTC | CLUSTER | INFO | (pkg/clusteragent/autoscaling/workload/controller.go:141 in Run) | Workload autoscaling controller running"
            % t.strftime("%Y-%m-%d %H:%M:%S"))))
    c.with_metrics = False
    return c


def pgbouncer_selector_mismatch():
    c = Case("h4-pgbouncer-service-selector-mismatch", "2026-11-21T16:05:00Z", """
A chart upgrade of pgbouncer (namespace db) moved its pod labels from app=pgbouncer to
app.kubernetes.io/name=pgbouncer but the hand-written Service pgbouncer still selects
app=pgbouncer. The two pgbouncer pods are Running and Ready, the Service has no endpoints, and
the Elixir consumer order-events (namespace orders) fails with "tcp connect
(pgbouncer.db.svc.cluster.local:6432): connection refused" and DBConnection queue drops. The
responsible object is the pgbouncer Service in namespace db.""",
             [("elixir-ecto/ecto issue 3541 (DBConnection.ConnectionError when the database is not reachable)",
               "https://github.com/elixir-ecto/ecto/issues/3541"),
              ("blockscout/blockscout issue 6406 (connection not available and request was dropped from queue)",
               "https://github.com/blockscout/blockscout/issues/6406")],
             "DependencyFailure", ("db", "Service", "pgbouncer"),
             ["pgbouncer", "connection refused"])
    nodes(c)
    _, pods = app(c, "orders", "order-events", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/order-events:0.19.4",
                  "58d9c7b6f4", [("t8v2m", NODES[0], {}), ("h3k5z", NODES[1], {})])
    _, pb = app(c, "db", "pgbouncer", "bitnami/pgbouncer:1.23.1", "7f6c5b4d9a",
                [("n4b7q", NODES[1], {"created_min": 35}), ("y6w1e", NODES[2], {"created_min": 35})],
                labels={"app.kubernetes.io/name": "pgbouncer", "app.kubernetes.io/instance": "pgbouncer"},
                revision=7, rs_created_min=35)
    c.event("db", "Deployment", "pgbouncer", "ScalingReplicaSet", "Scaled up replica set pgbouncer-7f6c5b4d9a to 2",
            typ="Normal", first_min=35, last_min=35, component="deployment-controller", api="apps/v1")
    c.service("db", "pgbouncer", {"app": "pgbouncer"}, 6432)
    c.endpoints("db", "pgbouncer")
    c.set_alert("OrderEventsLagHigh", {"namespace": "orders", "deployment": "order-events"},
                "order-events consumer lag above 10k messages",
                'sum(kafka_consumergroup_lag{consumergroup="order-events"}) > 10000', 48211, 20)
    for p in pods:
        c.log("orders", p, "order-events", c.every(30, 0, 7, lambda t, i: (
            "%s [info] Broadway batch acked count=50" % t.strftime("%H:%M:%S.%f")[:12] if t < c.ago(33) else
            ("%s [error] Postgrex.Protocol (#PID<0.%d.0>) failed to connect: ** (DBConnection.ConnectionError) tcp connect (pgbouncer.db.svc.cluster.local:6432): connection refused - :econnrefused"
             % (t.strftime("%H:%M:%S.%f")[:12], 2400 + i) if i % 2 else
             "%s [error] ** (DBConnection.ConnectionError) connection not available and request was dropped from queue after 2977ms. This means requests are coming in and your connection pool cannot serve them fast enough."
             % t.strftime("%H:%M:%S.%f")[:12]))))
    for p in pb:
        c.log("db", p, "pgbouncer", c.every(34, 0, 60, lambda t, i: (
            "%s UTC [1] LOG stats: 0 xacts/s, 0 queries/s, 0 client parses/s, in 0 B/s, out 0 B/s, xact 0 us, query 0 us, wait 0 us"
            % t.strftime("%Y-%m-%d %H:%M:%S.%f")[:23])))
    for p in pods:
        pod_metrics(c, "orders", p, "order-events", 260, 0.05, mem_limit_mi=512, restarts=lambda m: 0)
    return c


def coredns_upstream_timeouts():
    c = Case("h4-coredns-forward-timeouts-on-one-node", "2026-11-25T11:15:00Z", """
Both CoreDNS replicas (namespace kube-system) ended up on the same EKS node and exceed the
per-ENI packet allowance towards the VPC resolver: they log "read udp ...->10.31.0.2:53: i/o
timeout" for external names and answer SERVFAIL. partner-sync (namespace partners, Python
requests) fails with "Temporary failure in name resolution" for api.partnerhub.example; other
services see sporadic EAI_AGAIN. The responsible object is the CoreDNS Deployment in kube-system.""",
             [("coredns/coredns issue 4327 (EKS CoreDNS pods fail to resolve; ENI DNS limits)",
               "https://github.com/coredns/coredns/issues/4327"),
              ("coredns/coredns issue 4662 (AWS EKS dial tcp i/o timeout; two replicas on one node)",
               "https://github.com/coredns/coredns/issues/4662")],
             "DNSFailure", ("kube-system", "Deployment", "coredns"),
             ["i/o timeout", "coredns"])
    nodes(c)
    _, pods = app(c, "partners", "partner-sync", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/partner-sync:3.1.0",
                  "9d8c7b6a5f", [("kq2rt", NODES[0], {}), ("zv8pl", NODES[2], {})])
    _, dns = app(c, "kube-system", "coredns", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/coredns:v1.11.3-eksbuild.1",
                 "5c98db65d4", [("7rmwx", NODES[1], {}), ("fj2sd", NODES[1], {})], labels={"k8s-app": "kube-dns"})
    c.service("kube-system", "kube-dns", {"k8s-app": "kube-dns"}, 53)
    c.endpoints("kube-system", "kube-dns", ["10.31.41.20", "10.31.41.21"], port=53)
    c.set_alert("PartnerSyncFailing", {"namespace": "partners", "deployment": "partner-sync"},
                "partner-sync failure ratio above 20%",
                'sum(rate(partner_sync_runs_total{result="error"}[10m])) / sum(rate(partner_sync_runs_total[10m])) > 0.2',
                0.63, 18)
    for p in pods:
        c.log("partners", p, "partner-sync", c.every(25, 0, 12, lambda t, i: (
            "%s,%03d ERROR partner_sync.client: sync failed: HTTPSConnectionPool(host='api.partnerhub.example', port=443): "
            "Max retries exceeded with url: /v1/catalog?page=%d (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f3a9c>: "
            "Failed to resolve 'api.partnerhub.example' ([Errno -3] Temporary failure in name resolution)\"))"
            % (t.strftime("%Y-%m-%d %H:%M:%S"), i % 1000, i) if i % 3 else
            "%s,%03d INFO partner_sync.client: page %d synced in 0.8s" % (t.strftime("%Y-%m-%d %H:%M:%S"), i % 1000, i))))
    for j, p in enumerate(dns):
        c.log("kube-system", p, "coredns", c.every(25, 0, 4, lambda t, i, j=j: (
            "[ERROR] plugin/errors: 2 api.partnerhub.example. %s: read udp 10.31.41.2%d:%d->10.31.0.2:53: i/o timeout"
            % ("A" if i % 2 else "AAAA", j, 40000 + i * 13))))
        pod_metrics(c, "kube-system", p, "coredns", 38, 0.09, mem_limit_mi=170, restarts=lambda m: 0)
    for rc in ("NOERROR", "SERVFAIL"):
        acc = {"v": 0}

        def f(m, i, rc=rc, acc=acc):
            acc["v"] += (300 if rc == "NOERROR" else (90 if m <= 22 else 1)) * 15
            return acc["v"]
        c.series("coredns_dns_responses", "counter", {"namespace": "kube-system", "pod": dns[0], "rcode": rc, "server": "dns://:53"}, f)
    return c


def ledger_grpc_expired_cert():
    c = Case("h4-internal-grpc-certificate-expired", "2026-12-01T09:40:00Z", """
The Go gRPC service ledger-grpc (namespace core) serves a TLS certificate from a cert-manager
Certificate that stopped renewing (the ACME order kept failing and nobody watched it). It
expired at 09:14; the Java caller payments-api (namespace payments) fails every call with
"PKIX path validation failed ... validity check failed" and the payments error rate alert fires.
ledger-grpc itself logs TLS handshake errors and is otherwise Running and Ready. The responsible
object is ledger-grpc, the workload presenting the expired certificate, in another namespace than
the alert.""",
             [("cert-manager/cert-manager issue 3481 (cert-manager stops reconciling certificate expiries)",
               "https://github.com/cert-manager/cert-manager/issues/3481"),
              ("operate-first/apps issue 1439 (ingress cert expired after failed renewal)",
               "https://github.com/operate-first/apps/issues/1439")],
             "TLSFailure", ("core", "Deployment", "ledger-grpc"),
             ["certificate", "expired"])
    nodes(c)
    _, callers = app(c, "payments", "payments-api", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api:7.2.0",
                     "6d5c4b3a2f", [("p1q2r", NODES[0], {}), ("s3t4u", NODES[1], {}), ("v5w6x", NODES[2], {})])
    _, ledger = app(c, "core", "ledger-grpc", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger-grpc:1.18.3",
                    "84f7e6d5c3", [("a9b8c", NODES[1], {}), ("d7e6f", NODES[2], {})])
    c.service("core", "ledger-grpc", {"app.kubernetes.io/name": "ledger-grpc"}, 8443)
    c.endpoints("core", "ledger-grpc", ["10.31.40.61", "10.31.41.62"], port=8443)
    error_rate_alert(c, "payments", "payments-api", 0.05, 0.97, 24)
    for p in callers:
        c.log("payments", p, "payments-api", c.every(35, 0, 10, lambda t, i: (
            "%s ERROR 1 --- [nio-8080-exec-%d] c.a.p.ledger.LedgerClient : ledger call failed: io.grpc.StatusRuntimeException: UNAVAILABLE: io exception "
            "Caused by: javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: "
            "validity check failed (NotAfter: Tue Dec 01 09:14:02 UTC 2026)" % (t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z", i % 10 + 1)
            if t >= c.ago(26) else
            "%s  INFO 1 --- [nio-8080-exec-%d] c.a.p.api.PaymentController : POST /payments 201" % (t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z", i % 10 + 1))))
        http_metrics(c, "payments", "payments-api", p, lambda m: 45, step(0.002, 0.97, 26))
    for p in ledger:
        c.log("core", p, "ledger-grpc", c.every(35, 0, 6, lambda t, i: (
            "%s http: TLS handshake error from 10.31.4%d.%d:%d: remote error: tls: bad certificate" % (t.strftime("%Y/%m/%d %H:%M:%S"), i % 3, 30 + i % 20, 40000 + i)
            if t >= c.ago(26) else
            '{"level":"info","time":"%s","msg":"PostEntries ok","entries":12}' % iso(t))))
        pod_metrics(c, "core", p, "ledger-grpc", 90, 0.05, mem_limit_mi=256, restarts=lambda m: 0)
    c.as_list = True
    return c


def envoy_no_healthy_upstream():
    c = Case("h4-gateway-503-upstream-image-tag-typo", "2026-12-02T13:30:00Z", """
The Envoy edge gateway (namespace edge-gw) returns 503 UH no_healthy_upstream for every /api/stock
request. The upstream inventory (namespace stock) uses the Recreate strategy; its rollout 12
minutes ago points at the tag v3.8.O (letter O instead of zero), which does not exist in the
registry, so the only pods are in ImagePullBackOff and the inventory Service has no ready
endpoints. The gateway is healthy. The responsible object is the inventory Deployment and its
image.""",
             [("vllm-project/aibrix issue 1103 (envoy upstream connect error when no pod is ready)",
               "https://github.com/vllm-project/aibrix/issues/1103"),
              ("istio/istio issue 9906 (503 upstream connect error or disconnect/reset before headers)",
               "https://github.com/istio/istio/issues/9906")],
             "ImagePull", ("stock", "Deployment", "inventory"),
             ["v3.8.O", "not found"])
    nodes(c)
    _, gw = app(c, "edge-gw", "envoy-gateway", "envoyproxy/envoy:v1.31.2", "5b4c3d2e1f",
                [("gq1w2", NODES[0], {}), ("ge3r4", NODES[1], {})])
    img = "ghcr.io/acme-retail/inventory:v3.8.O"
    c.deployment("stock", "inventory", img, 2, 0, revision=14, available=0,
                 strategy={"type": "Recreate"})
    rs = c.replicaset("stock", "inventory", "7c6d5e4f3b", img, 2, 0, 14, 12)
    msg = ('failed to pull and unpack image "ghcr.io/acme-retail/inventory:v3.8.O": failed to resolve reference '
           '"ghcr.io/acme-retail/inventory:v3.8.O": ghcr.io/acme-retail/inventory:v3.8.O: not found')
    ips = []
    for i, s in enumerate(["k1l2m", "n3o4p"]):
        p = "%s-%s" % (rs, s)
        c.pod("stock", p, c.owner("ReplicaSet", rs, "stock"), NODES[i + 1],
              [{"name": "inventory", "image": img, "ready": False, "restarts": 0,
                "state": waiting("ImagePullBackOff", 'Back-off pulling image "ghcr.io/acme-retail/inventory:v3.8.O"')}],
              phase="Pending", created_min=12, labels={"app.kubernetes.io/name": "inventory", "pod-template-hash": "7c6d5e4f3b"},
              ip="10.31.4%d.8%d" % (i, i))
        ips.append("10.31.4%d.8%d" % (i, i))
        c.event("stock", "Pod", p, "Failed", "Failed to pull image \"%s\": %s" % (img, msg), count=6, first_min=12, last_min=2,
                host=NODES[i + 1])
        c.event("stock", "Pod", p, "BackOff", 'Back-off pulling image "%s"' % img, typ="Normal", count=44, first_min=11, last_min=0.5,
                host=NODES[i + 1])
    c.event("stock", "Deployment", "inventory", "ScalingReplicaSet", "Scaled down replica set inventory-59f8e7d6c5 to 0 from 2",
            typ="Normal", first_min=12, last_min=12, component="deployment-controller", api="apps/v1")
    c.service("stock", "inventory", {"app.kubernetes.io/name": "inventory"}, 8080)
    c.endpoints("stock", "inventory", not_ready_ips=ips, port=8080)
    c.set_alert("HighErrorRate", {"namespace": "edge-gw", "service": "envoy-gateway"},
                "envoy-gateway 5xx ratio above 2%",
                'sum(rate(envoy_cluster_upstream_rq_xx{envoy_response_code_class="5"}[5m])) / sum(rate(envoy_cluster_upstream_rq_total[5m])) > 0.02',
                0.31, 10)
    for p in gw:
        c.log("edge-gw", p, "envoy-gateway", c.every(20, 0, 3, lambda t, i: (
            '[%s] "GET /api/stock/sku-%d HTTP/1.1" 503 UH no_healthy_upstream - 0 19 0 - "10.31.0.%d" "okhttp/4.12.0" "%08x-1c2d-4e5f-8a9b-%012x" "api.acme-retail.example" "-"'
            % (t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z", 1000 + i, i % 250, i * 2654435761 % (1 << 32), i)
            if t >= c.ago(12) and i % 3 == 0 else
            '[%s] "GET /api/cart HTTP/1.1" 200 - 0 812 14 13 "10.31.0.%d" "okhttp/4.12.0" "%08x-1c2d-4e5f-8a9b-%012x" "api.acme-retail.example" "10.31.42.15:8080"'
            % (t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z", i % 250, i * 2654435761 % (1 << 32), i))))
    for p in gw:
        pod_metrics(c, "edge-gw", p, "envoy-gateway", 120, 0.2, mem_limit_mi=512, restarts=lambda m: 0)
    return c


CASES = [postgres_volume_full, istiod_scaled_to_zero, datadog_webhook_default_deny, pgbouncer_selector_mismatch,
         coredns_upstream_timeouts, ledger_grpc_expired_cert, envoy_no_healthy_upstream]
