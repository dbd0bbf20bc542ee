"""Cases whose responsible object is the alerted workload, its node, its Job,
or nothing at all."""

from datetime import timedelta

from common import (NODES, app, crashlooping_alert, error_rate_alert, http_metrics, nodes, pod_metrics, replicas_mismatch_alert, step,
                    stuck_rollout)
from kit import Case, at, iso, res, running, terminated, waiting


def ts_py(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def hpa_at_max():
    c = Case("h4-flash-sale-hpa-at-max-gunicorn", "2026-11-27T20:10:00Z", """
A Black Friday e-mail campaign sends storefront (namespace web, Python gunicorn behind the ingress)
from about 400 to 2,600 requests per second. The HorizontalPodAutoscaler is pinned at its maximum
of 6 replicas (ScalingLimited: TooManyReplicas), every pod runs at its CPU request, p99 latency
goes from 0.25 s to over 3 s and the ingress starts returning 504s. Nothing crashed and nothing
was deployed; a few gunicorn worker timeouts are a consequence of saturation. The cause is load
beyond capacity.""",
             [("Scenario: preparing for and handling a traffic spike (HPA latency, maxReplicas)",
               "https://agent-zone.pages.dev/knowledge/kubernetes/scenarios-scaling-for-traffic-spike"),
              ("Why Kubernetes HPA fails during traffic spikes",
               "https://earezki.com/ai-news/2026-02-24-your-kubernetes-hpa-is-scaling-too-late-and-you-dont-even-know-it/")],
             "TrafficSpike", ("web", "Deployment", "storefront"), ["maximum", "requests"])
    nodes(c)
    sfx = ["b7x1k", "c8y2l", "d9z3m", "f1a4n", "g2b5p", "h3c6q"]
    _, pods = app(c, "web", "storefront", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront:24.11.6", "6f8d7c9b5a",
                  [(s, NODES[i % 3], {"created_min": 60 * 24 * 2 if i < 2 else 30 - i}) for i, s in enumerate(sfx)],
                  resources=res("1", "1Gi", None, "2Gi"))
    c.raw("autoscaling", {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                          "metadata": {"name": "storefront", "namespace": "web"},
                          "spec": {"minReplicas": 2, "maxReplicas": 6,
                                   "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "storefront"},
                                   "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                                       "type": "Utilization", "averageUtilization": 65}}}]},
                          "status": {"currentReplicas": 6, "desiredReplicas": 6,
                                     "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
                                         "averageUtilization": 98}}}],
                                     "conditions": [{"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale"},
                                                    {"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound"},
                                                    {"type": "ScalingLimited", "status": "True", "reason": "TooManyReplicas",
                                                     "message": "the desired replica count is more than the maximum replica count",
                                                     "lastTransitionTime": iso(c.ago(24))}]}})
    c.event("web", "HorizontalPodAutoscaler", "storefront", "SuccessfulRescale",
            "New size: 6; reason: cpu resource utilization (percentage of request) above target", typ="Normal",
            first_min=26, last_min=25, component="horizontal-pod-autoscaler", api="autoscaling/v2")
    c.set_alert("HighLatencyP99", {"namespace": "web", "service": "storefront"}, "storefront p99 latency above 1s",
                'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="storefront"}[5m]))) > 1',
                3.4, 16)
    rps_total = lambda m: 400 if m > 28 else 2600  # noqa: E731
    for p in pods:
        c.log("web", p, "storefront", c.every(30, 0, 2, lambda t, i: (
            "[%s +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:%d)" % (ts_py(t), 40 + i % 7) if t >= c.ago(15) and i % 97 == 0 else
            '10.31.0.%d - - [%s +0000] "GET /p/%d HTTP/1.1" 200 18342 "-" "Mozilla/5.0" %.3f'
            % (i % 250, t.strftime("%d/%b/%Y:%H:%M:%S"), 10000 + i, 0.21 if t < c.ago(28) else 2.8))))
        pod_metrics(c, "web", p, "storefront", 780, lambda m: 0.3 if m > 28 else 0.99, mem_limit_mi=2048, restarts=lambda m: 0)
        http_metrics(c, "web", "storefront", p, lambda m: rps_total(m) / 6, lambda m: 0.002 if m > 20 else 0.06,
                     p99_s=lambda m: 0.25 if m > 28 else 3.3, code_err="504")
    return c


def gunicorn_liveness():
    c = Case("h4-gunicorn-sync-workers-fail-liveness", "2026-11-04T10:45:00Z", """
reports (namespace analytics) runs Django under gunicorn with 3 sync workers. Month-start CSV
exports take 40-90 s per request, all workers are busy, and the liveness probe GET /healthz
(timeoutSeconds 1) times out; the kubelet restarts the container (exit 137 after SIGTERM, reason
Error). Memory stays at a third of the limit: these are probe kills, not OOM kills.""",
             [("deis/controller issue 418 (liveness probe times out when gunicorn workers are exhausted)",
               "https://github.com/deis/controller/issues/418"),
              ("mozmeao/snippets-service issue 1354 (timeouts from the liveness probes with gunicorn sync workers)",
               "https://github.com/mozmeao/snippets-service/issues/1354")],
             "ProbeFailure", ("analytics", "Deployment", "reports"), ["Liveness probe failed"])
    nodes(c)
    probes = {"livenessProbe": {"httpGet": {"path": "/healthz", "port": 8000}, "timeoutSeconds": 1, "periodSeconds": 10,
                                "failureThreshold": 3},
              "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8000}, "timeoutSeconds": 1, "periodSeconds": 5}}
    img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/reports:2.9.0"
    pods_spec = []
    for i, s in enumerate(["r4t5y", "u6i7o"]):
        pods_spec.append((s, NODES[i], {"ready": False, "restarts": 6 + i, "state": running(c, 3 + i),
                                        "last": terminated(c, "Error", 137, 9 + i, 3 + i)}))
    _, pods = app(c, "analytics", "reports", img, "7b9c8d6e5f", pods_spec, resources=res("500m", "512Mi", None, "1536Mi"),
                  probes=probes, rs_created_min=60 * 24 * 12)
    for i, p in enumerate(pods):
        c.event("analytics", "Pod", p, "Unhealthy",
                'Liveness probe failed: Get "http://10.31.4%d.%d:8000/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
                % (i, 20 + len(p) % 200), count=19 + i, first_min=45, last_min=1, host=NODES[i])
        c.event("analytics", "Pod", p, "Killing", "Container reports failed liveness probe, will be restarted", typ="Normal",
                count=6 + i, first_min=44, last_min=3 + i, host=NODES[i])
        c.log("analytics", p, "reports", c.every(9 + i, 3.2 + i, 5, lambda t, j: (
            "[%s +0000] [1] [INFO] Booting worker with pid: %d" % (ts_py(t), 8 + j) if j < 3 else
            '10.31.0.%d - - [%s +0000] "GET /reports/export?month=2026-10&format=csv HTTP/1.1" 200 48213377 "-" "python-requests/2.32" 71.204'
            % (j % 250, t.strftime("%d/%b/%Y:%H:%M:%S")) if j % 4 == 0 else
            "[%s +0000] [%d] [INFO] export month=2026-10 rows=%d elapsed=%ds" % (ts_py(t), 9 + j % 3, 180000 + j * 5000, 40 + j % 50)))
            + [(c.ago(3.1 + i), "[%s +0000] [1] [INFO] Handling signal: term" % ts_py(c.ago(3.1 + i)))], previous=True)
        c.log("analytics", p, "reports", c.every(3 + i, 0, 10, lambda t, j: (
            "[%s +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)" % ts_py(t) if j == 0 else
            "[%s +0000] [%d] [INFO] export month=2026-10 rows=%d elapsed=%ds" % (ts_py(t), 9 + j % 3, 20000 + j * 5000, 10 + j))))
        restarts = lambda m, b=6 + i: b - int(max(0, m - 3) / 7)  # noqa: E731
        pod_metrics(c, "analytics", p, "reports", lambda m: 420 + (m % 7) * 20, 0.45, mem_limit_mi=1536, restarts=restarts)
    crashlooping_alert(c, "analytics", pods[0], "reports", 20, by_restarts=True, severity="warning")
    return c


def quarkus_config_property():
    c = Case("h4-quarkus-required-property-missing-after-node-rotation", "2026-11-09T08:25:00Z", """
An EKS managed node group AMI upgrade replaced every node overnight. pricing-engine (namespace
pricing, Java Quarkus) had not been redeployed for 20 days, but two days ago someone renamed a key
of its ConfigMap pricing-engine-config (PRICING_FX_BASE_URL became PRICING_FX_BASEURL). The running
pods kept the old environment; the pods recreated on the new nodes now fail at boot with
"SRCFG00014: The config property pricing.fx.base-url is required but it could not be found in any
config source" and crash-loop. The node rotation is only the trigger; the cause is bad
configuration of pricing-engine.""",
             [("quarkusio/quarkus issue 25236 (SRCFG00014 ... required but it could not be found in any config source)",
               "https://github.com/quarkusio/quarkus/issues/25236"),
              ("quarkusio/quarkus issue 46801 (SRCFG00014 for a missing rest-client url)",
               "https://github.com/quarkusio/quarkus/issues/46801")],
             "ConfigError", ("pricing", "Deployment", "pricing-engine"), ["pricing.fx.base-url"])
    new_nodes = ["ip-10-31-13-77.eu-west-1.compute.internal", "ip-10-31-29-140.eu-west-1.compute.internal"]
    for i, n in enumerate(new_nodes):
        c.node(n, zone=["eu-west-1a", "eu-west-1b"][i], since_min=90)
    img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/pricing-engine:4.0.7"
    specs = []
    for i, s in enumerate(["q9w8e", "r7t6y"]):
        specs.append((s, new_nodes[i], {"ready": False, "restarts": 9, "state": waiting(
            "CrashLoopBackOff", "back-off 5m0s restarting failed container=pricing-engine pod=pricing-engine-5d6c7b8a9f-" + s),
            "last": terminated(c, "Error", 1, 4, 3.9), "created_min": 80}))
    _, pods = app(c, "pricing", "pricing-engine", img, "5d6c7b8a9f", specs, revision=3, rs_created_min=60 * 24 * 20,
                  env=[{"name": "QUARKUS_PROFILE", "value": "prod"}])
    c.raw("config", {"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "pricing-engine-config", "namespace": "pricing",
                                  "creationTimestamp": iso(c.ago(60 * 24 * 120)),
                                  "annotations": {"kubectl.kubernetes.io/last-applied-configuration": ""}},
                     "data": {"PRICING_FX_BASEURL": "https://fx.internal.acme-retail.example/v2",
                              "PRICING_CACHE_TTL": "PT5M", "QUARKUS_HTTP_PORT": "8080"}})
    for n in ("ip-10-31-12-45.eu-west-1.compute.internal", "ip-10-31-27-203.eu-west-1.compute.internal"):
        c.event("", "Node", n, "NodeNotSchedulable", "Node %s status is now: NodeNotSchedulable" % n, typ="Normal",
                first_min=95, last_min=95, component="kubelet", host=n)
    for p in pods:
        c.event("pricing", "Pod", p, "BackOff", "Back-off restarting failed container pricing-engine in pod %s" % p,
                count=38, first_min=78, last_min=0.5)
        lines = [(c.ago(4), "__  ____  __  _____   ___  __ ____  ______ "),
                 (c.ago(3.98), "%s INFO  [io.quarkus] (main) pricing-engine 4.0.7 on JVM (powered by Quarkus 3.15.1) starting"
                  % c.ago(3.98).strftime("%Y-%m-%d %H:%M:%S,%f")[:23]),
                 (c.ago(3.95), "%s ERROR [io.qua.run.Application] (main) Failed to start application: java.lang.RuntimeException: "
                  "Failed to start quarkus" % c.ago(3.95).strftime("%Y-%m-%d %H:%M:%S,%f")[:23]),
                 (c.ago(3.95), "Caused by: io.smallrye.config.ConfigValidationException: Configuration validation failed:"),
                 (c.ago(3.95), "\tjava.util.NoSuchElementException: SRCFG00014: The config property pricing.fx.base-url is required "
                  "but it could not be found in any config source"),
                 (c.ago(3.94), "%s INFO  [io.quarkus] (main) pricing-engine stopped in 0.021s" % c.ago(3.94).strftime("%Y-%m-%d %H:%M:%S,%f")[:23])]
        c.log("pricing", p, "pricing-engine", lines, previous=True)
        pod_metrics(c, "pricing", p, "pricing-engine", lambda m: 0 if m % 5 > 1 else 180, 0.02, mem_limit_mi=768,
                    restarts=lambda m: 9 - int(m / 5))
    crashlooping_alert(c, "pricing", pods[0], "pricing-engine", 60)
    return c


def dotnet_rollout_null_connection_string():
    c = Case("h4-dotnet-rollout-null-connection-string", "2026-11-16T15:50:00Z", """
Revision 8 of identity-svc (namespace auth, ASP.NET Core 8) renamed the environment variable
ConnectionStrings__Identity to ConnectionStrings__IdentityDb in the Helm values but not in the code.
The new ReplicaSet's pods exit at startup with "System.ArgumentNullException: Value cannot be null.
(Parameter 'connectionString')"; the rollout uses maxUnavailable 0, so the three old pods still
serve and users see nothing yet. The rollout introduced the failure.""",
             [("dotnet-architecture/eShopOnContainers issue 1305 (WebMVC pod fails to start: Value cannot be null)",
               "https://github.com/dotnet-architecture/eShopOnContainers/issues/1305"),
              ("dotnet-architecture/eShopOnContainers issue 1252 (Value cannot be null; CrashLoopBackOff)",
               "https://github.com/dotnet-architecture/eShopOnContainers/issues/1252")],
             "BadDeploy", ("auth", "Deployment", "identity-svc"), ["connectionString"])
    nodes(c)
    old_img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/identity-svc:8.3.0"
    new_img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/identity-svc:8.4.0"
    _, new, olds = stuck_rollout(c, "auth", "identity-svc", old_img, new_img, ("6b5a4c3d2e", "9f8e7d6c5b"), 8, 22,
                                 ["aa1bb", "cc2dd", "ee3ff"], 60 * 24 * 15, 1, log=lambda t, j: (
                                     "info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished HTTP/1.1 POST "
                                     "http://identity-svc/connect/token - 200 1288 application/json %.4fms" % (11 + j % 7)))
    for p in olds:
        pod_metrics(c, "auth", p, "identity-svc", 240, 0.1, mem_limit_mi=512, restarts=lambda m: 0)
    np = "%s-gg4hh" % new
    c.pod("auth", np, c.owner("ReplicaSet", new, "auth"), NODES[1],
          [{"name": "identity-svc", "image": new_img, "ready": False, "restarts": 8,
            "state": waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=identity-svc pod=" + np),
            "last": terminated(c, "Error", 134, 3, 2.9)}],
          labels={"app.kubernetes.io/name": "identity-svc", "pod-template-hash": "9f8e7d6c5b"}, created_min=22)
    c.event("auth", "Deployment", "identity-svc", "ScalingReplicaSet", "Scaled up replica set %s to 1" % new, typ="Normal",
            first_min=22, last_min=22, component="deployment-controller", api="apps/v1")
    c.event("auth", "Pod", np, "BackOff", "Back-off restarting failed container identity-svc in pod " + np, count=31,
            first_min=20, last_min=0.5, host=NODES[1])
    t0 = c.ago(3)
    c.log("auth", np, "identity-svc", [
        (t0, "info: Microsoft.Hosting.Lifetime[0] Application is starting."),
        (t0 + timedelta(seconds=1), "Unhandled exception. System.ArgumentNullException: Value cannot be null. (Parameter 'connectionString')"),
        (t0 + timedelta(seconds=1), "   at Npgsql.ThrowHelper.ThrowArgumentNullException(String paramName)"),
        (t0 + timedelta(seconds=1), "   at Microsoft.EntityFrameworkCore.NpgsqlDbContextOptionsBuilderExtensions.UseNpgsql(DbContextOptionsBuilder optionsBuilder, String connectionString)"),
        (t0 + timedelta(seconds=1), "   at Acme.Identity.Program.<Main>$(String[] args) in /src/Identity/Program.cs:line 41"),
    ], previous=True)
    pod_metrics(c, "auth", np, "identity-svc", lambda m: 0 if m % 3 > 1 else 60, 0.01, mem_limit_mi=512,
                restarts=lambda m: max(0, 8 - int(m / 2.5)), minutes=22)
    crashlooping_alert(c, "auth", np, "identity-svc", 15, severity="warning")
    return c


def rust_rollout_missing_field():
    c = Case("h4-rust-rollout-rejects-upstream-payloads", "2026-11-19T12:35:00Z", """
geo-router (namespace maps, Rust axum) rolled out v2.14.0 at 12:17. The new struct for the
timezone lookup made the field tz mandatory, but one upstream omits it for maritime points, so
38% of requests now fail with "missing field `tz`" and return 500. All new pods are Running and
Ready, nothing restarts, traffic is flat; the error rate steps up at the rollout. A transient
DNS retry warning is unrelated. The rollout introduced the failure.""",
             [("Skyscanner: how a couple of characters brought down our site (bad change rolled out everywhere)",
               "https://medium.com/@SkyscannerEng/how-a-couple-of-characters-brought-down-our-site-356ccaf1fbc3"),
              ("Kubernetes Failure Stories", "https://k8s.af")],
             "BadDeploy", ("maps", "Deployment", "geo-router"), ["v2.14.0"])
    nodes(c)
    img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/geo-router:v2.14.0"
    c.replicaset("maps", "geo-router", "55c4b3a291", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/geo-router:v2.13.4", 0, 0,
                 11, 60 * 24 * 9)
    _, pods = app(c, "maps", "geo-router", img, "8e7f6a5b4c",
                  [("m1n2b", NODES[0], {"created_min": 18}), ("v3c4x", NODES[1], {"created_min": 17}),
                   ("z5l6k", NODES[2], {"created_min": 16})], revision=12, rs_created_min=18)
    c.event("maps", "Deployment", "geo-router", "ScalingReplicaSet", "Scaled down replica set geo-router-55c4b3a291 to 0 from 1",
            typ="Normal", first_min=16, last_min=16, component="deployment-controller", api="apps/v1")
    c.event("maps", "Deployment", "geo-router", "ScalingReplicaSet", "Scaled up replica set geo-router-8e7f6a5b4c to 3 from 2",
            typ="Normal", first_min=16, last_min=16, component="deployment-controller", api="apps/v1")
    error_rate_alert(c, "maps", "geo-router", 0.05, 0.38, 13)
    for k, p in enumerate(pods):
        c.log("maps", p, "geo-router", c.every(17 - k, 0, 4, lambda t, i: (
            "%s  WARN hickory_resolver::name_server: retrying query for tz-lookup.maps.svc.cluster.local after timeout" % (t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z")
            if i == 5 else
            "%s ERROR geo_router::handlers::resolve: request failed route=/v1/resolve error=upstream payload: missing field `tz` at line 1 column 212"
            % (t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z") if i % 3 != 2 else
            "%s  INFO geo_router::handlers::resolve: resolved route=/v1/resolve status=200 elapsed_ms=%d" % (t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z", 6 + i % 5))))
        http_metrics(c, "maps", "geo-router", p, lambda m: 220, lambda m: 0.38, minutes=16)
        pod_metrics(c, "maps", p, "geo-router", 46, 0.2, mem_limit_mi=256, restarts=lambda m: 0, minutes=16)
    return c


def ecr_pull_denied():
    c = Case("h4-ecr-cross-account-pull-403", "2026-11-22T07:20:00Z", """
ingest-worker (namespace pipeline) moved its image to the shared-services account's ECR
(987654321098). The node IAM role of the cluster has no permission on that repository, so the
new ReplicaSet's pods fail with "403 Forbidden" from the registry and sit in ImagePullBackOff;
the old pods keep running. The image cannot be pulled (registry auth).""",
             [("kubernetes/community issue 4003 (not able to pull images from ECR: no basic auth credentials)",
               "https://github.com/kubernetes/community/issues/4003"),
              ("aws/amazon-vpc-cni-k8s issue 708 (no basic auth credentials: node role needs ECR pull permission)",
               "https://github.com/aws/amazon-vpc-cni-k8s/issues/708")],
             "ImagePull", ("pipeline", "Deployment", "ingest-worker"), ["403 Forbidden"])
    nodes(c)
    old_img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ingest-worker:3.3.1"
    new_img = "987654321098.dkr.ecr.eu-west-1.amazonaws.com/platform/ingest-worker:3.4.0"
    _, new, _ = stuck_rollout(c, "pipeline", "ingest-worker", old_img, new_img, ("4c3b2a1f9e", "7a8b9c0d1e"), 21, 14,
                              ["ww1xx", "yy2zz"], 60 * 24 * 4, 1, log=lambda t, j: (
                                  '{"time":"%s","level":"INFO","msg":"batch ingested","records":%d}' % (iso(t), 500 + j)))
    np = "%s-qq3rr" % new
    c.pod("pipeline", np, c.owner("ReplicaSet", new, "pipeline"), NODES[2],
          [{"name": "ingest-worker", "image": new_img, "ready": False, "restarts": 0,
            "state": waiting("ImagePullBackOff", 'Back-off pulling image "%s"' % new_img)}],
          phase="Pending", labels={"app.kubernetes.io/name": "ingest-worker", "pod-template-hash": "7a8b9c0d1e"}, created_min=14)
    c.event("pipeline", "Pod", np, "Failed",
            'Failed to pull image "%s": failed to pull and unpack image "%s": failed to resolve reference "%s": '
            'pulling from host 987654321098.dkr.ecr.eu-west-1.amazonaws.com failed with status code [manifests 3.4.0]: 403 Forbidden'
            % (new_img, new_img, new_img), count=7, first_min=14, last_min=2, host=NODES[2])
    c.event("pipeline", "Pod", np, "Failed", "Error: ErrImagePull", count=7, first_min=14, last_min=2, host=NODES[2])
    c.event("pipeline", "Pod", np, "BackOff", 'Back-off pulling image "%s"' % new_img, typ="Normal", count=52, first_min=13,
            last_min=0.5, host=NODES[2])
    c.set_alert("KubePodNotReady", {"namespace": "pipeline", "pod": np}, "Pod pipeline/%s has been in a non-ready state for more than 10 minutes" % np,
                'sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown"}) > 0', 1, 4, severity="warning")
    c.with_metrics = False
    return c


def dockerhub_rate_limit():
    c = Case("h4-dockerhub-rate-limit-daemonset-new-nodes", "2026-11-26T18:05:00Z", """
Karpenter added three nodes for an evening batch. The fluent-bit DaemonSet (namespace logging)
pulls fluent/fluent-bit:3.1.9 anonymously from Docker Hub through the cluster's single NAT IP and
hits the pull rate limit: "429 Too Many Requests - toomanyrequests: You have reached your pull rate
limit". The pods on the new nodes stay in ImagePullBackOff and the DaemonSet rollout is stuck.""",
             [("kata-containers/kata-containers issue 10109 (rate limit pulling images from Docker Hub)",
               "https://github.com/kata-containers/kata-containers/issues/10109"),
              ("pangeo-data/pangeo-binder issue 194 (Docker rate limit; ImagePullBackOff on every node)",
               "https://github.com/pangeo-data/pangeo-binder/issues/194")],
             "ImagePull", ("logging", "DaemonSet", "fluent-bit"), ["toomanyrequests"])
    old_nodes = NODES[:2]
    new_nodes = ["ip-10-31-50-%d.eu-west-1.compute.internal" % n for n in (11, 72, 133)]
    for n in old_nodes:
        c.node(n)
    for n in new_nodes:
        c.node(n, nodegroup="karpenter-batch", itype="c7i.4xlarge", zone="eu-west-1b", since_min=15)
    img = "fluent/fluent-bit:3.1.9"
    c.raw("workloads", {"apiVersion": "apps/v1", "kind": "DaemonSet",
                        "metadata": {"name": "fluent-bit", "namespace": "logging", "generation": 6,
                                     "creationTimestamp": iso(c.ago(60 * 24 * 300))},
                        "spec": {"selector": {"matchLabels": {"app": "fluent-bit"}},
                                 "template": {"metadata": {"labels": {"app": "fluent-bit"}},
                                              "spec": {"containers": [{"name": "fluent-bit", "image": img}]}}},
                        "status": {"desiredNumberScheduled": 5, "currentNumberScheduled": 5, "numberReady": 2,
                                   "numberAvailable": 2, "numberUnavailable": 3, "updatedNumberScheduled": 5,
                                   "observedGeneration": 6}})
    for i, n in enumerate(old_nodes + new_nodes):
        p = "fluent-bit-%s" % ["8kq2d", "v7m3x", "t2p9w", "h6j4n", "b3c8z"][i]
        ok = i < 2
        c.pod("logging", p, c.owner("DaemonSet", "fluent-bit", "logging"), n,
              [{"name": "fluent-bit", "image": img, "ready": ok, "restarts": 0,
                "state": running(c, 60 * 24 * 6) if ok else waiting("ImagePullBackOff", 'Back-off pulling image "%s"' % img)}],
              phase="Running" if ok else "Pending", labels={"app": "fluent-bit"}, created_min=60 * 24 * 6 if ok else 14)
        if ok:
            c.log("logging", p, "fluent-bit", c.every(20, 0, 60, lambda t, j: (
                "[%s] [ info] [output:es:es.0] worker #0 flushed %d records" % (t.strftime("%Y/%m/%d %H:%M:%S"), 300 + j))))
        else:
            c.event("logging", "Pod", p, "Failed",
                    'Failed to pull image "%s": failed to pull and unpack image "docker.io/%s": failed to copy: httpReadSeeker: failed open: '
                    'unexpected status code https://registry-1.docker.io/v2/fluent/fluent-bit/manifests/sha256:6b1f0e8c: 429 Too Many Requests - '
                    'Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and '
                    'upgrading: https://www.docker.com/increase-rate-limit' % (img, img), count=5, first_min=14, last_min=2, host=n)
            c.event("logging", "Pod", p, "BackOff", 'Back-off pulling image "%s"' % img, typ="Normal", count=40, first_min=13,
                    last_min=0.5, host=n)
    c.set_alert("KubeDaemonSetRolloutStuck", {"namespace": "logging", "daemonset": "fluent-bit"},
                "DaemonSet logging/fluent-bit has not finished or progressed for at least 10 minutes",
                'kube_daemonset_status_number_available{daemonset="fluent-bit"} != kube_daemonset_status_desired_number_scheduled{daemonset="fluent-bit"}',
                3, 10, severity="warning")
    c.with_metrics = False
    return c


def node_memory_pressure():
    c = Case("h4-node-memory-pressure-evicts-thumbnailer", "2026-11-29T22:10:00Z", """
Node ip-10-31-40-118 (namespace-less, EKS general node group) reports MemoryPressure: BestEffort
batch pods and a memory-hungry sidecar push memory.available under the 100Mi eviction threshold.
The kubelet evicts pods, among them two thumbnailer pods (namespace media); their replacements
are created but the node keeps evicting. Other nodes are fine. The cause is the node's memory
pressure.""",
             [("kubernetes/kubernetes issue 52386 (kubelet MemoryPressure; pods evicted for memory reclaim)",
               "https://github.com/kubernetes/kubernetes/issues/52386"),
              ("kubernetes/kubernetes issue 107899 (node MemoryPressure and evictions)",
               "https://github.com/kubernetes/kubernetes/issues/107899")],
             "NodePressure", ("", "Node", "ip-10-31-40-118.eu-west-1.compute.internal"), ["MemoryPressure"])
    bad = "ip-10-31-40-118.eu-west-1.compute.internal"
    c.node(NODES[0])
    c.node(NODES[1])
    c.node(bad, zone="eu-west-1c", memory_pressure=True)
    img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/thumbnailer:1.7.2"
    c.deployment("media", "thumbnailer", img, 4, 2, revision=5, available=2)
    rs = c.replicaset("media", "thumbnailer", "6a5b4c3d2e", img, 4, 2, 5, 60 * 24 * 3)
    lab = {"app.kubernetes.io/name": "thumbnailer", "pod-template-hash": "6a5b4c3d2e"}
    for i, s in enumerate(["e1v1c", "e2v2d"]):
        c.pod("media", "%s-%s" % (rs, s), c.owner("ReplicaSet", rs, "media"), bad,
              [{"name": "thumbnailer", "image": img, "ready": False, "restarts": 0,
                "state": terminated(c, "ContainerStatusUnknown", 137, 60 * 24, 18 - i)}],
              phase="Failed", reason="Evicted", labels=lab, created_min=60 * 24 * 3,
              message="The node was low on resource: memory. Threshold quantity: 100Mi, available: 71244Ki. ")
        c.event("media", "Pod", "%s-%s" % (rs, s), "Evicted",
                "The node was low on resource: memory. Threshold quantity: 100Mi, available: 71244Ki. ",
                first_min=18 - i, last_min=18 - i, host=bad)
    for i, s in enumerate(["k8r1a", "k8r2b"]):
        p = "%s-%s" % (rs, s)
        c.pod("media", p, c.owner("ReplicaSet", rs, "media"), NODES[i],
              [{"name": "thumbnailer", "image": img, "ready": True, "restarts": 0, "state": running(c, 60 * 24 * 3)}],
              labels=lab, created_min=60 * 24 * 3)
        c.log("media", p, "thumbnailer", c.every(20, 0, 15, lambda t, j: (
            "%s INFO thumbnailer.worker: rendered asset=%d sizes=3 in %dms" % (ts_py(t), 88000 + j, 140 + j % 30))))
    pend = "%s-n3w1x" % rs
    c.pod("media", pend, c.owner("ReplicaSet", rs, "media"), bad,
          [{"name": "thumbnailer", "image": img, "ready": False, "restarts": 0, "state": waiting("ContainerCreating")}],
          phase="Pending", labels=lab, created_min=2)
    c.event("", "Node", bad, "EvictionThresholdMet", "Attempting to reclaim memory", count=6, first_min=25, last_min=1, host=bad)
    c.event("", "Node", bad, "NodeHasInsufficientMemory",
            "Node %s status is now: NodeHasInsufficientMemory" % bad, first_min=25, last_min=25, host=bad)
    replicas_mismatch_alert(c, "media", "thumbnailer", 2, 15)
    c.series("node_memory_MemAvailable_bytes", "gauge", {"instance": bad, "node": bad},
             lambda m, i: int((2400 if m > 28 else 70) * 1024 * 1024))
    c.series("node_memory_MemTotal_bytes", "gauge", {"instance": bad, "node": bad}, lambda m, i: 32386544 * 1024)
    return c


def node_not_ready_pleg():
    c = Case("h4-node-notready-pleg-kafka-broker", "2026-11-30T03:20:00Z", """
Node ip-10-31-27-203 went NotReady at 02:58 with "PLEG is not healthy: pleg was last seen active
4m12s ago; threshold is 3m0s" (the container runtime hangs on a stuck NFS mount of one pod).
kafka-1 (namespace streaming) runs there: its Ready condition is False, the broker is out of the
ISR and the StatefulSet alert fires. kafka-0 and kafka-2 on healthy nodes log ISR shrinks, a
consequence. The cause is the NotReady node.""",
             [("kubernetes/kubernetes issue 94829 (PLEG unhealthy due to a hanging container inspect; node NotReady)",
               "https://github.com/kubernetes/kubernetes/issues/94829"),
              ("aws-samples/eks-workshop-v2 issue 447 (EKS node NotReady because PLEG is not healthy)",
               "https://github.com/aws-samples/eks-workshop-v2/issues/447")],
             "NodePressure", ("", "Node", "ip-10-31-27-203.eu-west-1.compute.internal"), ["PLEG"])
    bad = NODES[1]
    c.node(NODES[0])
    c.node(bad, zone="eu-west-1b", ready=False, not_ready_reason="KubeletNotReady",
           not_ready_msg="PLEG is not healthy: pleg was last seen active 4m12.339s ago; threshold is 3m0s",
           taints=[{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": iso(c.ago(21))}])
    c.node(NODES[2], zone="eu-west-1c")
    c.raw("workloads", {"apiVersion": "apps/v1", "kind": "StatefulSet",
                        "metadata": {"name": "kafka", "namespace": "streaming", "generation": 9,
                                     "creationTimestamp": iso(c.ago(60 * 24 * 400))},
                        "spec": {"replicas": 3, "serviceName": "kafka-headless", "selector": {"matchLabels": {"app": "kafka"}},
                                 "template": {"metadata": {"labels": {"app": "kafka"}},
                                              "spec": {"containers": [{"name": "kafka", "image": "bitnami/kafka:3.8.0"}]}}},
                        "status": {"replicas": 3, "readyReplicas": 2, "currentReplicas": 3, "updatedReplicas": 3,
                                   "availableReplicas": 2, "observedGeneration": 9}})
    for i, n in enumerate(NODES):
        p = "kafka-%d" % i
        ok = n != bad
        c.pod("streaming", p, c.owner("StatefulSet", "kafka", "streaming"), n,
              [{"name": "kafka", "image": "bitnami/kafka:3.8.0", "ready": ok, "restarts": 0, "state": running(c, 60 * 24 * 20)}],
              labels={"app": "kafka"}, created_min=60 * 24 * 20, ready=ok, ip="10.31.4%d.11" % i)
        if ok:
            c.log("streaming", p, "kafka", c.every(30, 0, 40, lambda t, j, i=i: (
                "[%s] INFO [Partition orders-%d broker=%d] Shrinking ISR from 0,1,2 to 0,2. Leader: (highWatermark: %d) (kafka.cluster.Partition)"
                % (t.strftime("%Y-%m-%d %H:%M:%S,%f")[:23], j % 12, i, 88120 + j) if t >= c.ago(21) else
                "[%s] INFO [GroupCoordinator %d]: Member consumer-%d heartbeat ok (kafka.coordinator.group.GroupCoordinator)"
                % (t.strftime("%Y-%m-%d %H:%M:%S,%f")[:23], i, j))))
        else:
            c.event("streaming", "Pod", p, "NodeNotReady", "Node is not ready", first_min=21, last_min=21,
                    component="node-controller")
    c.event("", "Node", bad, "NodeNotReady", "Node %s status is now: NodeNotReady" % bad, first_min=22, last_min=22,
            component="kubelet", host=bad)
    c.set_alert("KubeStatefulSetReplicasMismatch", {"namespace": "streaming", "statefulset": "kafka"},
                "StatefulSet streaming/kafka has not matched the expected number of replicas for 15 minutes",
                'kube_statefulset_status_replicas_ready{statefulset="kafka"} != kube_statefulset_status_replicas{statefulset="kafka"}',
                2, 15, severity="critical")
    c.series("kube_node_status_condition", "gauge", {"node": bad, "condition": "Ready", "status": "true"},
             lambda m, i: 1 if m > 22 else 0)
    return c


def kube_backup_job_publickey():
    c = Case("h4-cronjob-run-fails-git-publickey", "2026-11-10T01:25:00Z", """
The CronJob kube-state-backup (namespace ops) dumps cluster objects and pushes them to a Git
repository. The deploy key was removed from the repository during an access review; the 01:00 run
(Job kube-state-backup-29904540) fails with "git@github.com: Permission denied (publickey)" three
times and reaches its backoff limit. The alert names the CronJob; the CronJob's spec is fine, the
failed run is the Job.""",
             [("pieterlange/kube-backup issue 71 (Job has reached the specified backoff limit)",
               "https://github.com/pieterlange/kube-backup/issues/71"),
              ("kubermatic/dashboard issue 6336 (backup CronJobs fail with backoff limit reached)",
               "https://github.com/kubermatic/dashboard/issues/6336")],
             "JobFailure", ("ops", "Job", "kube-state-backup-29904540"), ["Permission denied (publickey)"])
    c.node(NODES[0])
    sched = at("2026-11-10T01:00:00Z")
    job = "kube-state-backup-%d" % (int(sched.timestamp()) // 60)
    assert job == "kube-state-backup-29904540", job
    img = "ghcr.io/acme-retail/kube-backup:1.6.0"
    c.raw("workloads", {"apiVersion": "batch/v1", "kind": "CronJob",
                        "metadata": {"name": "kube-state-backup", "namespace": "ops", "creationTimestamp": iso(c.ago(60 * 24 * 500))},
                        "spec": {"schedule": "0 1 * * *", "concurrencyPolicy": "Forbid", "successfulJobsHistoryLimit": 3,
                                 "failedJobsHistoryLimit": 1,
                                 "jobTemplate": {"spec": {"backoffLimit": 2, "template": {"spec": {
                                     "restartPolicy": "Never", "containers": [{"name": "backup", "image": img}]}}}}},
                        "status": {"lastScheduleTime": iso(sched), "lastSuccessfulTime": "2026-11-09T01:03:12Z"}})
    c.raw("workloads", {"apiVersion": "batch/v1", "kind": "Job",
                        "metadata": {"name": job, "namespace": "ops", "labels": {"job-name": job},
                                     "creationTimestamp": iso(sched),
                                     "ownerReferences": [c.owner("CronJob", "kube-state-backup", "ops", api="batch/v1")]},
                        "spec": {"backoffLimit": 2, "template": {"spec": {"restartPolicy": "Never",
                                                                          "containers": [{"name": "backup", "image": img}]}}},
                        "status": {"startTime": iso(sched), "failed": 3, "active": 0,
                                   "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                                                   "message": "Job has reached the specified backoff limit",
                                                   "lastTransitionTime": "2026-11-10T01:07:41Z"}]}})
    for k, s in enumerate(["b1k2p", "c3l4q", "d5m6r"]):
        p = "%s-%s" % (job, s)
        start = sched + timedelta(seconds=[2, 70, 230][k])
        started_min = (c.now - start).total_seconds() / 60
        c.pod("ops", p, c.owner("Job", job, "ops", api="batch/v1"), NODES[0],
              [{"name": "backup", "image": img, "ready": False, "restarts": 0,
                "state": terminated(c, "Error", 128, started_min, started_min - 0.5)}],
              phase="Failed", labels={"job-name": job}, created_min=started_min, restart_policy="Never")
        c.log("ops", p, "backup", [
            (start + timedelta(seconds=1), "+ kubectl get --export -o=json ns,deployment,configmap,svc,statefulset,cronjob,ingress"),
            (start + timedelta(seconds=22), "+ git -C /backup/git add -A"),
            (start + timedelta(seconds=23), "+ git -C /backup/git commit -m 'Automatic backup at 2026-11-10T01:00'"),
            (start + timedelta(seconds=24), "[master 9c1e2f3] Automatic backup at 2026-11-10T01:00"),
            (start + timedelta(seconds=25), "+ git -C /backup/git push origin master"),
            (start + timedelta(seconds=26), "git@github.com: Permission denied (publickey)."),
            (start + timedelta(seconds=26), "fatal: Could not read from remote repository."),
        ])
    c.event("ops", "Job", job, "BackoffLimitExceeded", "Job has reached the specified backoff limit",
            first_min=(c.now - at("2026-11-10T01:07:41Z")).total_seconds() / 60,
            last_min=(c.now - at("2026-11-10T01:07:41Z")).total_seconds() / 60, component="job-controller", api="batch/v1")
    c.set_alert("CronJobLastRunFailed", {"namespace": "ops", "cronjob": "kube-state-backup"},
                "The last run of CronJob ops/kube-state-backup failed",
                'kube_job_status_failed{namespace="ops",job_name=~"kube-state-backup-.*"} > 0', 3, 17, severity="warning")
    c.with_metrics = False
    return c


def cronjob_too_many_missed():
    c = Case("h4-cronjob-stopped-scheduling-missed-starts", "2026-12-03T09:00:00Z", """
The CronJob ledger-reconcile (namespace finance, every 5 minutes) has not created a Job for nine
days. The cluster's controller manager was down during a failed control-plane upgrade window and
the CronJob has no startingDeadlineSeconds, so the controller now refuses it: "Cannot determine if
job needs to be started: too many missed start time (> 100). Set or decrease
.spec.startingDeadlineSeconds or check clock skew." There is no failed Job and no pod to look
at; the CronJob's own spec is the cause.""",
             [("elemental-lf/benji issue 108 (FailedNeedsStart: too many missed start time; backups silently stopped)",
               "https://github.com/elemental-lf/benji/issues/108"),
              ("kubernetes/website pull request 9296 (documenting startingDeadlineSeconds and the 100 missed schedules)",
               "https://github.com/kubernetes/website/pull/9296")],
             "JobFailure", ("finance", "CronJob", "ledger-reconcile"), ["startingDeadlineSeconds"])
    c.node(NODES[0])
    c.raw("workloads", {"apiVersion": "batch/v1", "kind": "CronJob",
                        "metadata": {"name": "ledger-reconcile", "namespace": "finance",
                                     "creationTimestamp": iso(c.ago(60 * 24 * 180))},
                        "spec": {"schedule": "*/5 * * * *", "concurrencyPolicy": "Forbid", "suspend": False,
                                 "jobTemplate": {"spec": {"backoffLimit": 1, "template": {"spec": {
                                     "restartPolicy": "Never",
                                     "containers": [{"name": "reconcile",
                                                     "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger-reconcile:2.2.0"}]}}}}},
                        "status": {"lastScheduleTime": iso(c.ago(60 * 24 * 9 + 35)),
                                   "lastSuccessfulTime": iso(c.ago(60 * 24 * 9 + 33))}})
    c.event("finance", "CronJob", "ledger-reconcile", "FailedNeedsStart",
            "Cannot determine if job needs to be started: too many missed start time (> 100). Set or decrease "
            ".spec.startingDeadlineSeconds or check clock skew", count=2591, first_min=60 * 24 * 9, last_min=0.2,
            component="cronjob-controller", api="batch/v1")
    c.set_alert("KubeCronJobNotScheduled", {"namespace": "finance", "cronjob": "ledger-reconcile"},
                "CronJob finance/ledger-reconcile has not scheduled a Job for more than 1 hour",
                'time() - kube_cronjob_status_last_schedule_time{cronjob="ledger-reconcile"} > 3600', 779700, 60 * 24 * 9 - 60,
                severity="warning")
    c.series("kube_cronjob_status_last_schedule_time", "gauge", {"namespace": "finance", "cronjob": "ledger-reconcile"},
             lambda m, i: int(c.ago(60 * 24 * 9 + 35).timestamp()))
    return c


def quota_blocks_rollout():
    c = Case("h4-resourcequota-limits-block-rolling-update", "2026-11-13T11:10:00Z", """
allocation-manager (namespace offender-mgmt) rolls out a new version with maxSurge 1. The
namespace ResourceQuota namespace-quota caps limits at 6 CPU / 12Gi and the three old pods plus
the other workloads already use all of it, so the ReplicaSet cannot create the surge pod:
"exceeded quota: namespace-quota, requested: limits.cpu=1,limits.memory=2Gi, used:
limits.cpu=6,limits.memory=12Gi". The rollout is stuck at the old version. The cause is the quota.""",
             [("ministryofjustice/cloud-platform issue 590 (rolling updates blocked: exceeded quota namespace-quota)",
               "https://github.com/ministryofjustice/cloud-platform/issues/590"),
              ("kubernetes/website pull request 641 (ResourceQuota walkthrough: FailedCreate forbidden by quota)",
               "https://github.com/kubernetes/website/pull/641")],
             "ResourceExhaustion", ("offender-mgmt", "Deployment", "allocation-manager"), ["exceeded quota"])
    nodes(c)
    old_img = "754256621582.dkr.ecr.eu-west-2.amazonaws.com/offender-management/allocation-manager:b7f3e21"
    new_img = "754256621582.dkr.ecr.eu-west-2.amazonaws.com/offender-management/allocation-manager:c1a9d04"
    _, new, _ = stuck_rollout(c, "offender-mgmt", "allocation-manager", old_img, new_img, ("6597bc46dc", "7d84f1c2a9"), 42,
                              31, ["wtqkj", "2wm8p", "x4c7v"], 60 * 24 * 6, 0, resources=res("250m", "1Gi", "1", "2Gi"),
                              log=lambda t, j: ('I, [%s #1]  INFO -- : [%08x] Completed 200 OK in %dms (Views: 11.2ms | ActiveRecord: 4.1ms)'
                                                % (t.strftime("%Y-%m-%dT%H:%M:%S.%f"), j * 2654435761 % (1 << 32), 30 + j % 40)))
    c.raw("policy", {"apiVersion": "v1", "kind": "ResourceQuota",
                     "metadata": {"name": "namespace-quota", "namespace": "offender-mgmt"},
                     "spec": {"hard": {"limits.cpu": "6", "limits.memory": "12Gi"}},
                     "status": {"hard": {"limits.cpu": "6", "limits.memory": "12Gi"},
                                "used": {"limits.cpu": "6", "limits.memory": "12Gi"}}})
    c.event("offender-mgmt", "ReplicaSet", new, "FailedCreate",
            'Error creating: pods "%s-4zq8n" is forbidden: exceeded quota: namespace-quota, requested: limits.cpu=1,limits.memory=2Gi, '
            'used: limits.cpu=6,limits.memory=12Gi, limited: limits.cpu=6,limits.memory=12Gi' % new,
            count=18, first_min=31, last_min=1, component="replicaset-controller", api="apps/v1")
    c.set_alert("KubeDeploymentRolloutStuck", {"namespace": "offender-mgmt", "deployment": "allocation-manager"},
                "Rollout of deployment offender-mgmt/allocation-manager is not progressing",
                'kube_deployment_status_condition{condition="Progressing",status="false"} == 1 or '
                'kube_deployment_status_replicas_updated != kube_deployment_spec_replicas', 0, 15, severity="warning")
    c.with_metrics = False
    return c


def healthy_scale_in_target_down():
    c = Case("h4-healthy-target-down-after-hpa-scale-in", "2026-11-14T03:40:00Z", """
At 03:25 the HPA of search-suggest (namespace web) scaled it from 6 to 3 replicas after the
evening peak. The Prometheus job scrapes pod IPs from a static file-based target list that a
sidecar refreshes every 15 minutes, so three removed pod IPs show as down and TargetDown fires.
The three remaining pods are Running, Ready, not restarting, serving with normal latency and no
errors. Nothing is wrong with the workload; the right answer is that no cause is supported.""",
             [("kubernetes-sigs/kubernetes-mixin issue 108 (alerts that fire without user-facing impact)",
               "https://github.com/kubernetes-sigs/kubernetes-mixin/issues/108"),
              ("kubermatic/kubermatic issue 2367 (alert fatigue from alerts that do not mean a problem)",
               "https://github.com/kubermatic/kubermatic/issues/2367")],
             "Unknown", ("web", "Deployment", "search-suggest"), [])
    nodes(c)
    _, pods = app(c, "web", "search-suggest", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-suggest:1.12.0",
                  "5e4d3c2b1a", [("aq1sw", NODES[0], {}), ("de3fr", NODES[1], {}), ("gt5hy", NODES[2], {})])
    c.raw("autoscaling", {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                          "metadata": {"name": "search-suggest", "namespace": "web"},
                          "spec": {"minReplicas": 3, "maxReplicas": 12,
                                   "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "search-suggest"},
                                   "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                                       "type": "Utilization", "averageUtilization": 60}}}]},
                          "status": {"currentReplicas": 3, "desiredReplicas": 3,
                                     "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
                                         "averageUtilization": 22}}}]}})
    c.event("web", "HorizontalPodAutoscaler", "search-suggest", "SuccessfulRescale", "New size: 3; reason: All metrics below target",
            typ="Normal", first_min=15, last_min=15, component="horizontal-pod-autoscaler", api="autoscaling/v2")
    c.event("web", "Deployment", "search-suggest", "ScalingReplicaSet", "Scaled down replica set search-suggest-5e4d3c2b1a to 3 from 6",
            typ="Normal", first_min=15, last_min=15, component="deployment-controller", api="apps/v1")
    for p in pods:
        c.log("web", p, "search-suggest", c.every(30, 0, 20, lambda t, j: (
            '{"ts":"%s","lvl":"info","route":"/suggest","q_len":%d,"status":200,"took_ms":%d}' % (iso(t), 3 + j % 9, 4 + j % 6))))
        pod_metrics(c, "web", p, "search-suggest", 150, 0.15, mem_limit_mi=512, restarts=lambda m: 0)
        http_metrics(c, "web", "search-suggest", p, lambda m: 80 if m > 15 else 60, lambda m: 0.0, p99_s=lambda m: 0.03)
    c.set_alert("TargetDown", {"namespace": "web", "job": "search-suggest", "service": "search-suggest"},
                "50% of the search-suggest/search-suggest targets in web namespace are down",
                '100 * (count by (job, namespace, service) (up == 0) / count by (job, namespace, service) (up)) > 10',
                50, 8, severity="warning")
    return c


def healthy_job_retry_succeeded():
    c = Case("h4-healthy-job-failed-once-then-succeeded", "2026-11-28T04:20:00Z", """
KubeJobFailed fires for the Job sitemap-build-29930640 (namespace seo): its first pod failed
because the S3 endpoint reset one connection, the Job controller retried within its backoff
limit and the second pod completed; the Job is Complete (succeeded 1, failed 1). The alert
expression counts any failed pod, so it keeps firing although the run succeeded and the output
was published. Nothing needs fixing; the right answer is that no cause is supported.""",
             [("kubernetes/website pull request 5319 (Job backoff failure policy: retries before the Job is failed)",
               "https://github.com/kubernetes/website/pull/5319"),
              ("kubernetes/kubernetes issue 54870 (Job backoffLimit and retried pods)",
               "https://github.com/kubernetes/kubernetes/issues/54870")],
             "Unknown", ("seo", "Job", "sitemap-build-29930640"), [])
    c.node(NODES[2])
    sched = at("2026-11-28T04:00:00Z")
    job = "sitemap-build-%d" % (int(sched.timestamp()) // 60)
    assert job == "sitemap-build-29930640", job
    img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/sitemap-build:0.9.3"
    c.raw("workloads", {"apiVersion": "batch/v1", "kind": "CronJob",
                        "metadata": {"name": "sitemap-build", "namespace": "seo", "creationTimestamp": iso(c.ago(60 * 24 * 60))},
                        "spec": {"schedule": "0 4 * * *", "jobTemplate": {"spec": {"backoffLimit": 3, "template": {"spec": {
                            "restartPolicy": "Never", "containers": [{"name": "build", "image": img}]}}}}},
                        "status": {"lastScheduleTime": iso(sched), "lastSuccessfulTime": "2026-11-28T04:09:40Z"}})
    c.raw("workloads", {"apiVersion": "batch/v1", "kind": "Job",
                        "metadata": {"name": job, "namespace": "seo", "labels": {"job-name": job}, "creationTimestamp": iso(sched),
                                     "ownerReferences": [c.owner("CronJob", "sitemap-build", "seo", api="batch/v1")]},
                        "spec": {"backoffLimit": 3, "template": {"spec": {"restartPolicy": "Never",
                                                                          "containers": [{"name": "build", "image": img}]}}},
                        "status": {"startTime": iso(sched), "completionTime": "2026-11-28T04:09:40Z", "succeeded": 1, "failed": 1,
                                   "conditions": [{"type": "Complete", "status": "True",
                                                   "lastTransitionTime": "2026-11-28T04:09:40Z"}]}})
    p1, p2 = "%s-f4il1" % job, "%s-s8cc2" % job
    c.pod("seo", p1, c.owner("Job", job, "seo", api="batch/v1"), NODES[2],
          [{"name": "build", "image": img, "ready": False, "restarts": 0, "state": terminated(c, "Error", 1, 20, 17)}],
          phase="Failed", labels={"job-name": job}, created_min=20, restart_policy="Never")
    c.pod("seo", p2, c.owner("Job", job, "seo", api="batch/v1"), NODES[2],
          [{"name": "build", "image": img, "ready": False, "restarts": 0, "state": terminated(c, "Completed", 0, 16.5, 10.3)}],
          phase="Succeeded", labels={"job-name": job}, created_min=16.5, restart_policy="Never")
    c.log("seo", p1, "build", [
        (c.ago(20), "INFO  sitemap: crawling 48211 product urls"),
        (c.ago(17.2), "ERROR sitemap: upload failed: botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: \"https://acme-seo-assets.s3.eu-west-1.amazonaws.com/sitemaps/products-3.xml.gz\""),
        (c.ago(17), "ERROR sitemap: exiting with status 1"),
    ])
    c.log("seo", p2, "build", [
        (c.ago(16.5), "INFO  sitemap: crawling 48211 product urls"),
        (c.ago(10.5), "INFO  sitemap: uploaded 7 files to s3://acme-seo-assets/sitemaps/"),
        (c.ago(10.3), "INFO  sitemap: done in 372s"),
    ])
    c.event("seo", "Job", job, "Completed", "Job completed", typ="Normal", first_min=10.3, last_min=10.3,
            component="job-controller", api="batch/v1")
    c.set_alert("KubeJobFailed", {"namespace": "seo", "job_name": job},
                "Job seo/%s failed to complete" % job, 'kube_job_failed{job_name=~"sitemap-build-.*"} > 0 or kube_job_status_failed > 0',
                1, 15, severity="warning")
    c.with_metrics = False
    return c


def dotnet_cfs_throttling():
    c = Case("h4-dotnet-basket-api-cfs-throttled", "2026-11-20T17:45:00Z", """
basket-api (namespace checkout, ASP.NET Core 8) has a CPU limit of 500m. Since the .NET 8
upgrade the server GC and the thread pool start one thread per node CPU (8), so bursts exhaust
the CFS quota early in every 100 ms period: 70-80% of periods are throttled, p99 latency goes
from 90 ms to 2.4 s and Kestrel logs heartbeat delays, while average CPU stays just under the
limit and traffic is flat. Nothing restarts. The cause is CPU throttling of basket-api.""",
             [("kubernetes/kubernetes issue 67577 (CFS quotas can lead to unnecessary throttling)",
               "https://github.com/kubernetes/kubernetes/issues/67577"),
              ("kubernetes/kubernetes issue 51135 (CPU limits add latency to bursty services)",
               "https://github.com/kubernetes/kubernetes/issues/51135")],
             "CPUThrottling", ("checkout", "Deployment", "basket-api"), ["throttl"])
    nodes(c)
    _, pods = app(c, "checkout", "basket-api", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/basket-api:8.0.11",
                  "3f2e1d0c9b", [("ba1sk", NODES[0], {}), ("ba2sk", NODES[1], {}), ("ba3sk", NODES[2], {})],
                  resources=res("250m", "512Mi", "500m", "1Gi"), rs_created_min=60 * 24 * 2)
    c.set_alert("HighLatencyP99", {"namespace": "checkout", "service": "basket-api"}, "basket-api p99 latency above 500ms",
                'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="basket-api"}[5m]))) > 0.5',
                2.4, 25)
    for p in pods:
        c.log("checkout", p, "basket-api", c.every(40, 0, 20, lambda t, j: (
            'warn: Microsoft.AspNetCore.Server.Kestrel[22] As of "%s", the heartbeat has been running for "00:00:01.%04d" which is longer than "00:00:01". This could be caused by thread pool starvation.'
            % (t.strftime("%m/%d/%Y %H:%M:%S +00:00"), 2000 + j * 37 % 8000) if j % 2 else
            "info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished HTTP/1.1 GET http://basket-api/api/v1/basket/%d - 200 - application/json %.1fms"
            % (70000 + j, 1800 + j % 700))))
        pod_metrics(c, "checkout", p, "basket-api", 380, 0.47, mem_limit_mi=1024, cpu_limit=0.5, restarts=lambda m: 0,
                    throttle=lambda m: 0.76)
        http_metrics(c, "checkout", "basket-api", p, lambda m: 150, lambda m: 0.001, p99_s=lambda m: 2.4)
    return c


def node_oom_with_dns_noise():
    c = Case("h4-nodejs-oomkilled-with-unrelated-dns-noise", "2026-11-23T21:30:00Z", """
transcode-api (namespace media, Node.js 20) buffers whole uploads in memory; since a mobile app
release allows 4K videos, the container's working set climbs to its 768Mi limit within minutes
and the kernel kills it (OOMKilled, exit 137); it has restarted 5 times. At the same time the
unrelated thumb-cache in the same namespace logs a few EAI_AGAIN DNS errors during a CoreDNS pod
restart: a red herring. The cause is transcode-api exceeding its memory limit.""",
             [("broadinstitute/gnomad-browser pull request 1410 (Node API pods OOMKilled, exit 137, at the container limit)",
               "https://github.com/broadinstitute/gnomad-browser/pull/1410"),
              ("nodejs/node issue 24225 (Node memory outside the heap gets containers OOMKilled)",
               "https://github.com/nodejs/node/issues/24225")],
             "OOMKilled", ("media", "Deployment", "transcode-api"), ["768Mi"])
    nodes(c)
    specs = []
    for i, s in enumerate(["tx1aa", "tx2bb"]):
        specs.append((s, NODES[i], {"ready": True, "restarts": 5 - i, "state": running(c, 2 + i),
                                    "last": terminated(c, "OOMKilled", 137, 7 + i, 2 + i)}))
    _, pods = app(c, "media", "transcode-api", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/transcode-api:3.0.2", "2b3c4d5e6f",
                  specs, resources=res("500m", "512Mi", None, "768Mi"), rs_created_min=60 * 24 * 5)
    _, tc = app(c, "media", "thumb-cache", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/thumb-cache:1.1.0", "9a8b7c6d5e",
                [("tc1zz", NODES[2], {})])
    for i, p in enumerate(pods):
        c.event("media", "Pod", p, "BackOff", "Back-off restarting failed container transcode-api in pod " + p,
                count=4 - i, first_min=30, last_min=2 + i, host=NODES[i])
        c.log("media", p, "transcode-api", c.every(7 + i, 2.2 + i, 10, lambda t, j: (
            '{"level":30,"time":%d,"pid":1,"hostname":"%s","msg":"upload received","bytes":%d,"codec":"hevc"}'
            % (int(t.timestamp() * 1000), p, 180000000 + j * 9000000))), previous=True)
        c.log("media", p, "transcode-api", c.every(2 + i, 0, 15, lambda t, j: (
            '{"level":30,"time":%d,"pid":1,"hostname":"%s","msg":"server listening","port":3000}' % (int(t.timestamp() * 1000), p)
            if j == 0 else
            '{"level":30,"time":%d,"pid":1,"hostname":"%s","msg":"upload received","bytes":%d,"codec":"hevc"}'
            % (int(t.timestamp() * 1000), p, 150000000 + j * 8000000))))
        pod_metrics(c, "media", p, "transcode-api", lambda m: 180 + 590 * ((m * 60) % 300) / 300.0, 0.6,
                    mem_limit_mi=768, restarts=lambda m, b=5 - i: max(0, b - int(m / 6)))
    c.log("media", tc[0], "thumb-cache", c.every(30, 0, 20, lambda t, j: (
        '{"level":50,"time":%d,"msg":"redis reconnect failed","err":"getaddrinfo EAI_AGAIN thumb-redis.media.svc.cluster.local"}'
        % int(t.timestamp() * 1000) if 8 <= j <= 10 else
        '{"level":30,"time":%d,"msg":"cache hit ratio","ratio":0.9%d}' % (int(t.timestamp() * 1000), j % 10))))
    crashlooping_alert(c, "media", pods[0], "transcode-api", 18, by_restarts=True, severity="warning")
    return c


def nginx_too_many_open_files():
    c = Case("h4-nginx-edge-too-many-open-files", "2026-11-24T19:55:00Z", """
nginx-edge (namespace edge) is configured with worker_connections 8192, but the new node AMI's
containerd unit sets LimitNOFILE=1024 for containers. Under the evening load nginx logs
"accept4() failed (24: Too many open files)" and "socket() failed (24: Too many open files) while
connecting to upstream", clients get 502s and resets. CPU and memory are low, nothing restarts.
The cause is file-descriptor exhaustion in nginx-edge.""",
             [("canonical/microk8s issue 206 (nginx accept4() failed (24: Too many open files) in a pod)",
               "https://github.com/canonical/microk8s/issues/206"),
              ("canonical/k8s-snap issue 718 (containerd LimitNOFILE gives pods a 1024 open-files limit)",
               "https://github.com/canonical/k8s-snap/issues/718")],
             "ResourceExhaustion", ("edge", "Deployment", "nginx-edge"), ["Too many open files"])
    nodes(c)
    _, pods = app(c, "edge", "nginx-edge", "nginx:1.27.2", "4d5e6f7a8b", [("ng1aa", NODES[0], {}), ("ng2bb", NODES[1], {})],
                  rs_created_min=60 * 24)
    for p in pods:
        c.log("edge", p, "nginx-edge", c.every(25, 0, 3, lambda t, j: (
            "%s [crit] 2%d#2%d: accept4() failed (24: Too many open files)" % (t.strftime("%Y/%m/%d %H:%M:%S"), j % 4, j % 4)
            if t >= c.ago(18) and j % 3 == 0 else
            "%s [alert] 2%d#2%d: *%d socket() failed (24: Too many open files) while connecting to upstream, client: 10.31.0.%d, server: shop.acme-retail.example, request: \"GET /api/cart HTTP/1.1\", upstream: \"http://10.31.42.17:8080/api/cart\""
            % (t.strftime("%Y/%m/%d %H:%M:%S"), j % 4, j % 4, 880000 + j, j % 250)
            if t >= c.ago(18) and j % 3 == 1 else
            '10.31.0.%d - - [%s +0000] "GET /api/cart HTTP/1.1" %d 512 "-" "Mozilla/5.0" rt=0.012'
            % (j % 250, t.strftime("%d/%b/%Y:%H:%M:%S"), 502 if t >= c.ago(18) else 200))))
        pod_metrics(c, "edge", p, "nginx-edge", 64, 0.25, mem_limit_mi=256, restarts=lambda m: 0)
        http_metrics(c, "edge", "nginx-edge", p, lambda m: 900, step(0.001, 0.22, 18), code_err="502")
        c.series("process_open_fds", "gauge", {"namespace": "edge", "pod": p, "job": "nginx-exporter"},
                 lambda m, i: 1024 if m <= 18 else 700 + int(300 * (40 - m) / 22))
        c.series("process_max_fds", "gauge", {"namespace": "edge", "pod": p, "job": "nginx-exporter"}, lambda m, i: 1024)
    error_rate_alert(c, "edge", "nginx-edge", 0.05, 0.22, 12)
    return c


def pending_max_node_group():
    c = Case("h4-pending-insufficient-cpu-node-group-at-max", "2026-11-17T06:40:00Z", """
feature-builder (namespace ml) was scaled from 2 to 6 replicas for a backfill; each pod requests 3
CPU. The node group is at its maximum size, so four pods stay Pending: "0/3 nodes are available:
3 Insufficient cpu" and the cluster autoscaler reports "pod didn't trigger scale-up: 1 max node
group size reached". The cause is that the pods cannot be scheduled.""",
             [("kubernetes/autoscaler issue 5692 (pod didn't trigger scale-up because max node group size reached)",
               "https://github.com/kubernetes/autoscaler/issues/5692"),
              ("kubernetes/autoscaler issue 4606 (0/6 nodes are available: Insufficient cpu, no scale-up)",
               "https://github.com/kubernetes/autoscaler/issues/4606")],
             "Unschedulable", ("ml", "Deployment", "feature-builder"), ["Insufficient cpu"])
    nodes(c)
    img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/feature-builder:0.31.0"
    r = res("3", "6Gi", None, "8Gi")
    c.deployment("ml", "feature-builder", img, 6, 2, revision=9, available=2, resources=r)
    rs = c.replicaset("ml", "feature-builder", "8c7b6a5f4e", img, 6, 2, 9, 60 * 24 * 10)
    lab = {"app.kubernetes.io/name": "feature-builder", "pod-template-hash": "8c7b6a5f4e"}
    for i, s in enumerate(["fb1rn", "fb2rn"]):
        p = "%s-%s" % (rs, s)
        c.pod("ml", p, c.owner("ReplicaSet", rs, "ml"), NODES[i],
              [{"name": "feature-builder", "image": img, "ready": True, "restarts": 0, "state": running(c, 60 * 24), "resources": r}],
              labels=lab, created_min=60 * 24)
        c.log("ml", p, "feature-builder", c.every(30, 0, 30, lambda t, j: (
            "%s INFO backfill partition=2026-10-%02d rows=%d" % (ts_py(t), 1 + j % 30, 1200000 + j * 1000))))
    msg = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    for s in ["pn1aa", "pn2bb", "pn3cc", "pn4dd"]:
        p = "%s-%s" % (rs, s)
        c.pod("ml", p, c.owner("ReplicaSet", rs, "ml"), None,
              [{"name": "feature-builder", "image": img, "resources": r, "state": {}}], phase="Pending", labels=lab,
              created_min=22, scheduled=False, sched_msg=msg)
        c.event("ml", "Pod", p, "FailedScheduling", msg, count=14, first_min=22, last_min=1, component="default-scheduler",
                series=True)
        c.event("ml", "Pod", p, "NotTriggerScaleUp", "pod didn't trigger scale-up: 1 max node group size reached",
                typ="Normal", count=12, first_min=21, last_min=1, component="cluster-autoscaler")
    replicas_mismatch_alert(c, "ml", "feature-builder", 4, 15)
    c.with_metrics = False
    return c


def poison_message_crashloop():
    c = Case("h4-worker-crashloop-on-poison-message-prometheus-down", "2026-12-04T10:20:00Z", """
order-mailer (namespace notify, Node.js SQS consumer) crashes on one message whose body is an HTML
error page instead of JSON: JSON.parse throws, the unhandled rejection ends the process (exit 1),
the message is not deleted, becomes visible again and kills the next container too. Both pods are
in CrashLoopBackOff. Prometheus was being upgraded at the time: there are no metrics for this
incident. The cause is the application crashing (a poison message), not memory or probes.""",
             [("taskiq-python/taskiq-aio-pika issue 35 (crash loop due to a poison message)",
               "https://github.com/taskiq-python/taskiq-aio-pika/issues/35"),
              ("alanxz/rabbitmq-c issue 743 (consumer crashes on the same redelivered message forever)",
               "https://github.com/alanxz/rabbitmq-c/issues/743")],
             "CrashLoop", ("notify", "Deployment", "order-mailer"), ["Unexpected token"])
    nodes(c)
    specs = []
    for i, s in enumerate(["om1qq", "om2ww"]):
        specs.append((s, NODES[i], {"ready": False, "restarts": 14 + i, "state": waiting(
            "CrashLoopBackOff", "back-off 5m0s restarting failed container=order-mailer pod=order-mailer-1a2b3c4d5e-" + s),
            "last": terminated(c, "Error", 1, 3 + i, 2.9 + i)}))
    _, pods = app(c, "notify", "order-mailer", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/order-mailer:2.5.1", "1a2b3c4d5e",
                  specs, resources=res("100m", "256Mi", None, "512Mi"), rs_created_min=60 * 24 * 7)
    for i, p in enumerate(pods):
        t0 = c.ago(3 + i)
        c.log("notify", p, "order-mailer", [
            (t0, '{"level":30,"time":%d,"msg":"polling queue","queue":"order-mail-prod"}' % int(t0.timestamp() * 1000)),
            (t0 + timedelta(seconds=2), '{"level":30,"time":%d,"msg":"received messages","count":10}' % int(t0.timestamp() * 1000 + 2000)),
            (t0 + timedelta(seconds=2), "/app/dist/consumer.js:88"),
            (t0 + timedelta(seconds=2), "    const order = JSON.parse(message.Body);"),
            (t0 + timedelta(seconds=2), "SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON"),
            (t0 + timedelta(seconds=2), "    at JSON.parse (<anonymous>)"),
            (t0 + timedelta(seconds=2), "    at handleMessage (/app/dist/consumer.js:88:24)"),
            (t0 + timedelta(seconds=2), "Node.js v20.18.0"),
        ], previous=True)
        c.event("notify", "Pod", p, "BackOff", "Back-off restarting failed container order-mailer in pod " + p, count=60 + i,
                first_min=70, last_min=0.5, host=NODES[i])
    crashlooping_alert(c, "notify", pods[0], "order-mailer", 55)
    c.with_metrics = False
    return c


def quarkus_startup_probe():
    c = Case("h4-quarkus-startup-probe-shorter-than-boot", "2026-12-05T07:50:00Z", """
points-service (namespace loyalty, Quarkus in JVM mode) validates its Hibernate schema and warms a
2 GB cache at start, which now takes about 95 s after the loyalty tables grew. Its startupProbe
allows 60 s (failureThreshold 6 x periodSeconds 10); the kubelet kills it with exit 143 before it
is up, and it restarts forever. Memory stays at 45% of the limit: probe kills, not OOM.""",
             [("travis-ci/worker-operator issue 1 (liveness probe too eager kills the worker before it starts)",
               "https://github.com/travis-ci/worker-operator/issues/1"),
              ("benoitc/gunicorn issue 2467 (health checks of busy workers in Kubernetes)",
               "https://github.com/benoitc/gunicorn/issues/2467")],
             "ProbeFailure", ("loyalty", "Deployment", "points-service"), ["Startup probe failed"])
    nodes(c)
    probes = {"startupProbe": {"httpGet": {"path": "/q/health/started", "port": 8080}, "periodSeconds": 10, "failureThreshold": 6},
              "livenessProbe": {"httpGet": {"path": "/q/health/live", "port": 8080}, "periodSeconds": 10}}
    specs = []
    for i, s in enumerate(["pt1ab", "pt2cd"]):
        specs.append((s, NODES[i + 1], {"ready": False, "restarts": 7, "state": running(c, 0.6 + i * 0.3),
                                        "last": terminated(c, "Error", 143, 1.8 + i * 0.3, 0.7 + i * 0.3)}))
    _, pods = app(c, "loyalty", "points-service", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/points-service:5.4.0", "6e5d4c3b2a",
                  specs, resources=res("1", "2Gi", None, "4Gi"), probes=probes, rs_created_min=60 * 24 * 3)
    for i, p in enumerate(pods):
        c.event("loyalty", "Pod", p, "Unhealthy", "Startup probe failed: HTTP probe failed with statuscode: 503", count=48,
                first_min=45, last_min=0.2, host=NODES[i + 1])
        c.event("loyalty", "Pod", p, "Killing", "Container points-service failed startup probe, will be restarted", typ="Normal",
                count=7, first_min=44, last_min=0.7 + i * 0.3, host=NODES[i + 1])
        t0 = c.ago(1.8 + i * 0.3)
        c.log("loyalty", p, "points-service", [
            (t0, "%s INFO  [io.quarkus] (main) points-service 5.4.0 on JVM (powered by Quarkus 3.15.1) starting" % t0.strftime("%Y-%m-%d %H:%M:%S,%f")[:23]),
            (t0 + timedelta(seconds=4), "%s INFO  [org.hib.val.int.uti.Version] (main) HV000001: Hibernate Validator 8.0.1.Final"
             % (t0 + timedelta(seconds=4)).strftime("%Y-%m-%d %H:%M:%S,%f")[:23]),
            (t0 + timedelta(seconds=9), "%s INFO  [c.a.l.c.CacheWarmer] (main) warming points cache: 0/18400000 accounts"
             % (t0 + timedelta(seconds=9)).strftime("%Y-%m-%d %H:%M:%S,%f")[:23]),
            (t0 + timedelta(seconds=40), "%s INFO  [c.a.l.c.CacheWarmer] (main) warming points cache: 7100000/18400000 accounts"
             % (t0 + timedelta(seconds=40)).strftime("%Y-%m-%d %H:%M:%S,%f")[:23]),
            (t0 + timedelta(seconds=64), "%s INFO  [io.quarkus] (Shutdown thread) points-service stopped in 0.184s"
             % (t0 + timedelta(seconds=64)).strftime("%Y-%m-%d %H:%M:%S,%f")[:23]),
        ], previous=True)
        pod_metrics(c, "loyalty", p, "points-service", lambda m: 900 + 900 * ((m * 60) % 65) / 65.0, 1.0, mem_limit_mi=4096,
                    restarts=lambda m: max(0, 7 - int(m / 6)))
    crashlooping_alert(c, "loyalty", pods[0], "points-service", 35, by_restarts=True, severity="warning")
    return c


CASES = [hpa_at_max, gunicorn_liveness, quarkus_config_property, dotnet_rollout_null_connection_string,
         rust_rollout_missing_field, ecr_pull_denied, dockerhub_rate_limit, node_memory_pressure, node_not_ready_pleg,
         kube_backup_job_publickey, cronjob_too_many_missed, quota_blocks_rollout, healthy_scale_in_target_down,
         healthy_job_retry_succeeded, dotnet_cfs_throttling, node_oom_with_dns_noise, nginx_too_many_open_files,
         pending_max_node_group, poison_message_crashloop, quarkus_startup_probe]
