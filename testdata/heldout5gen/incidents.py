"""The heldout5 incidents. Sources were cited from the author's memory of
public reports; see /work/notes/heldout5.md."""
from gen import *

KAF = "https://k8s.af"
I = []
def add(**kw): I.append(kw)
def E(ns, kind, name): return {"namespace": ns, "kind": kind, "name": name}
def X(name): return {"namespace": "", "kind": "External", "name": name}
def N(s): return {"namespace": "", "kind": "Node", "name": NODE % s}

# 1 OOM, Java 8 ignoring cgroup limits
add(id="h5-java-heap-ignores-cgroup", family="plain", cat="OOMKilled", entity=E("billing", "Deployment", "invoice-svc"),
    source="JDK-8146115 'Improve docker container detection and resource configuration usage' https://bugs.openjdk.org/browse/JDK-8146115",
    story="Spring Boot invoice-svc on an old JRE sizes its heap from the node's 12Gi, not the 768Mi limit; the kernel kills it under load.",
    labels={"alertname": "KubePodCrashLooping", "namespace": "billing", "pod": "invoice-svc-6f7d8-k2v9q", "container": "invoice"},
    summary="invoice-svc restarting",
    objs=[deploy("billing", "invoice-svc", 2, 1), rs("billing", "invoice-svc", "6f7d8", 2, 1, 4, "eu.gcr.io/acme/invoice:3.1.0", 3000),
          pod("billing", "invoice-svc-6f7d8-k2v9q", "ReplicaSet", "invoice-svc-6f7d8", "invoice", "eu.gcr.io/acme/invoice:3.1.0", restarts=6, ready=False, mem="768Mi", last=("OOMKilled", 137), age=3000),
          event("billing", "Pod", "invoice-svc-6f7d8-k2v9q", "BackOff", "Back-off restarting failed container invoice in pod invoice-svc-6f7d8-k2v9q", count=14)],
    logs={("billing", "invoice-svc-6f7d8-k2v9q", "invoice", True): ["2027-03-09 13:48:01.112  INFO 1 --- [main] c.a.i.InvoiceApplication : Started InvoiceApplication in 9.8 seconds", "2027-03-09 13:50:12.004  INFO 1 --- [nio-8080-exec-4] c.a.i.BatchRenderer : rendering 4000 PDFs"]},
    metrics=[("container_memory_working_set_bytes", "gauge", {"namespace": "billing", "pod": "invoice-svc-6f7d8-k2v9q", "container": "invoice"}, ramp(3e8, 8.0e8)),
             ("kube_pod_container_resource_limits", "gauge", {"namespace": "billing", "pod": "invoice-svc-6f7d8-k2v9q", "container": "invoice", "resource": "memory"}, flat(805306368))])

# 2 probe kills under GC / slow dependency
add(id="h5-liveness-probe-timeout-gunicorn", family="probe kills", cat="ProbeFailure", entity=E("catalog", "Deployment", "catalog-api"),
    source="Henning Jacobs, 'Kubernetes Liveness Probes are Dangerous' https://srcco.de/posts/kubernetes-liveness-probes-are-dangerous.html",
    story="The Python catalog-api liveness probe times out (1s) while gunicorn workers are busy; kubelet kills healthy pods repeatedly. Not OOM.",
    labels={"alertname": "KubePodCrashLooping", "namespace": "catalog", "pod": "catalog-api-7c9b5-zt4mp", "container": "api"},
    summary="catalog-api restarting",
    objs=[deploy("catalog", "catalog-api", 3, 1), rs("catalog", "catalog-api", "7c9b5", 3, 1, 9, "ghcr.io/acme/catalog:2.2", 5000),
          pod("catalog", "catalog-api-7c9b5-zt4mp", "ReplicaSet", "catalog-api-7c9b5", "api", "ghcr.io/acme/catalog:2.2", restarts=5, ready=False, last=("Error", 137), age=5000),
          event("catalog", "Pod", "catalog-api-7c9b5-zt4mp", "Unhealthy", "Liveness probe failed: Get \"http://10.8.1.4:8000/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", count=31),
          event("catalog", "Pod", "catalog-api-7c9b5-zt4mp", "Killing", "Container api failed liveness probe, will be restarted", typ="Normal", count=5)],
    logs={("catalog", "catalog-api-7c9b5-zt4mp", "api", True): ["[2027-03-09 13:49:02 +0000] [1] [INFO] Booting worker with pid: 9", "[2027-03-09 13:51:40 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)", "[2027-03-09 13:51:41 +0000] [1] [INFO] Handling signal: term"]})

# 3 image pull rate limit
add(id="h5-dockerhub-rate-limit", family="external", cat="ImagePull", entity=E("ci", "Deployment", "webhook-relay"),
    source="Docker Hub download rate limit https://docs.docker.com/docker-hub/download-rate-limit/",
    story="A node pool replacement re-pulls node:18-alpine anonymously from Docker Hub; pulls fail with toomanyrequests.",
    labels={"alertname": "KubeDeploymentReplicasMismatch", "namespace": "ci", "deployment": "webhook-relay"},
    summary="webhook-relay has 0/2 ready",
    objs=[deploy("ci", "webhook-relay", 2, 0), rs("ci", "webhook-relay", "5d4c", 2, 0, 3, "docker.io/library/node:18-alpine", 40),
          pod("ci", "webhook-relay-5d4c-p8x2d", "ReplicaSet", "webhook-relay-5d4c", "relay", "docker.io/library/node:18-alpine", state="waiting", reason="ImagePullBackOff", ready=False, age=40, waiting_msg="Back-off pulling image \"node:18-alpine\""),
          event("ci", "Pod", "webhook-relay-5d4c-p8x2d", "Failed", "Failed to pull image \"node:18-alpine\": rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/library/node:18-alpine\": toomanyrequests: You have reached your pull rate limit.", count=9)])

# 4 image registry moved
add(id="h5-k8s-gcr-frozen", family="plain", cat="ImagePull", entity=E("ops", "DaemonSet", "node-problem-detector"),
    source="Kubernetes blog 'k8s.gcr.io Redirect to registry.k8s.io' https://kubernetes.io/blog/2023/03/10/image-registry-redirect/",
    story="node-problem-detector pinned a tag never published to the frozen k8s.gcr.io; new nodes cannot pull it.",
    labels={"alertname": "KubeDaemonSetRolloutStuck", "namespace": "ops", "daemonset": "node-problem-detector"},
    summary="DaemonSet rollout stuck",
    objs=[deploy("ops", "node-problem-detector", 2, 1, kind="DaemonSet"),
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "node-problem-detector-q7h2w", "namespace": "ops", "creationTimestamp": ts(20), "labels": {"app.kubernetes.io/name": "node-problem-detector"}, "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "node-problem-detector", "controller": True, "uid": "u-npd"}]},
           "spec": {"nodeName": NODE % "a1", "containers": [{"name": "npd", "image": "k8s.gcr.io/node-problem-detector/node-problem-detector:v0.8.13"}]},
           "status": {"phase": "Pending", "containerStatuses": [{"name": "npd", "image": "k8s.gcr.io/node-problem-detector/node-problem-detector:v0.8.13", "ready": False, "restartCount": 0, "state": {"waiting": {"reason": "ErrImagePull", "message": "manifest unknown"}}}]}},
          event("ops", "Pod", "node-problem-detector-q7h2w", "Failed", "Failed to pull image \"k8s.gcr.io/node-problem-detector/node-problem-detector:v0.8.13\": manifest unknown", count=6, new=True)])

# 5 CPU throttling, metrics only
add(id="h5-cpu-limit-throttling-latency", family="metrics only", cat="CPUThrottling", entity=E("search", "Deployment", "query-router"),
    source="Omio Engineering, 'CPU limits and aggressive throttling in Kubernetes' https://medium.com/omio-engineering/cpu-limits-and-aggressive-throttling-in-kubernetes-c5b20bd8a718",
    story="Go query-router at 35% average CPU has p99 latency over SLO; CFS throttles 70% of periods under its 500m limit. No restarts, no errors in logs.",
    labels={"alertname": "LatencyHigh", "namespace": "search", "service": "query-router"},
    summary="p99 above 800ms",
    objs=[deploy("search", "query-router", 3), rs("search", "query-router", "8b6f", 3, 3, 12, "ghcr.io/acme/query-router:1.19.3", 9000),
          pod("search", "query-router-8b6f-aa1", "ReplicaSet", "query-router-8b6f", "router", "ghcr.io/acme/query-router:1.19.3", age=9000)],
    logs={("search", "query-router-8b6f-aa1", "router", False): ['level=info ts=2027-03-09T13:50:00Z msg="served" route=/q status=200 dur=712ms'] * 5},
    metrics=[("container_cpu_cfs_throttled_periods_total", "counter", {"namespace": "search", "pod": "query-router-8b6f-aa1", "container": "router"}, counter(7)),
             ("container_cpu_cfs_periods_total", "counter", {"namespace": "search", "pod": "query-router-8b6f-aa1", "container": "router"}, counter(10)),
             ("container_cpu_usage_seconds_total", "counter", {"namespace": "search", "pod": "query-router-8b6f-aa1", "container": "router"}, counter(0.45)),
             ("kube_pod_container_resource_limits", "gauge", {"namespace": "search", "pod": "query-router-8b6f-aa1", "container": "router", "resource": "cpu"}, flat(0.5))])

# 6 DNS conntrack race, CoreDNS add-on
add(id="h5-dns-conntrack-race", family="add-on in another namespace", cat="DNSFailure", entity=E("kube-system", "Deployment", "coredns"),
    source="XING, 'A reason for unexplained connection timeouts on Kubernetes/Docker' https://tech.xing.com/a-reason-for-unexplained-connection-timeouts-on-kubernetes-docker-abd041cf7e02 ; kubernetes/kubernetes#56903",
    story="Node.js checkout sees 5s stalls: getaddrinfo EAI_AGAIN for payments.internal; CoreDNS pods are overloaded and dropping queries.",
    labels={"alertname": "HighErrorRate", "namespace": "shop", "deployment": "checkout-web"},
    summary="checkout 5xx",
    objs=[deploy("shop", "checkout-web", 2), rs("shop", "checkout-web", "4f2a", 2, 2, 7, "acme/checkout:5.0.1", 8000),
          pod("shop", "checkout-web-4f2a-b1", "ReplicaSet", "checkout-web-4f2a", "web", "acme/checkout:5.0.1", age=8000),
          deploy("kube-system", "coredns", 2, 2), rs("kube-system", "coredns", "5d78c", 2, 2, 1, "registry.k8s.io/coredns/coredns:v1.10.1", 90000),
          pod("kube-system", "coredns-5d78c-9kq", "ReplicaSet", "coredns-5d78c", "coredns", "registry.k8s.io/coredns/coredns:v1.10.1", age=90000)],
    logs={("shop", "checkout-web-4f2a-b1", "web", False): ['{"level":50,"time":1804600000000,"msg":"payment call failed","err":"getaddrinfo EAI_AGAIN payments.internal"}'] * 6,
          ("kube-system", "coredns-5d78c-9kq", "coredns", False): ["[ERROR] plugin/errors: 2 payments.internal. A: read udp 10.8.0.5:41234->169.254.169.254:53: i/o timeout"] * 4}),

# 7 TLS Let's Encrypt root expiry
add(id="h5-le-root-expiry-old-openssl", family="external", cat="TLSFailure", entity=X("api.partner-bank.example"),
    source="Let's Encrypt, 'DST Root CA X3 Expiration (September 2021)' https://letsencrypt.org/docs/dst-root-ca-x3-expiration-september-2021/",
    story="A Python 3.6 image with old OpenSSL cannot verify the partner's LE chain after the root expiry; outbound calls fail. Pods healthy.",
    labels={"alertname": "UpstreamErrors", "namespace": "payments", "deployment": "settlement-worker"},
    summary="settlement upstream failures",
    objs=[deploy("payments", "settlement-worker", 1), rs("payments", "settlement-worker", "77aa", 1, 1, 2, "acme/settlement:0.9", 20000),
          pod("payments", "settlement-worker-77aa-x", "ReplicaSet", "settlement-worker-77aa", "worker", "acme/settlement:0.9", age=20000)],
    logs={("payments", "settlement-worker-77aa-x", "worker", False): ["2027-03-09 13:55:01,220 ERROR settle: requests.exceptions.SSLError: HTTPSConnectionPool(host='api.partner-bank.example', port=443): [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1056)"] * 5})

# 8 Dependency failure through Service with no endpoints in another namespace
add(id="h5-redis-service-no-endpoints", family="dependency service in another namespace", cat="DependencyFailure", entity=E("data", "Service", "session-redis"),
    source="Target, 'On Infrastructure at Scale: A Cascading Failure of Distributed Systems' https://medium.com/@daniel.p.woods/on-infrastructure-at-scale-a-cascading-failure-of-distributed-systems-7cff2a3cd2df",
    story="Rust login-gw fails because session-redis in namespace data has no ready endpoints; login-gw itself is fine.",
    labels={"alertname": "HighErrorRate", "namespace": "identity", "deployment": "login-gw"},
    summary="login errors",
    objs=[deploy("identity", "login-gw", 2), rs("identity", "login-gw", "9c1d", 2, 2, 3, "acme/login-gw:0.14.2", 7000),
          pod("identity", "login-gw-9c1d-m2", "ReplicaSet", "login-gw-9c1d", "gw", "acme/login-gw:0.14.2", age=7000),
          *service("data", "session-redis", 0)],
    logs={("identity", "login-gw-9c1d-m2", "gw", False): ["2027-03-09T13:52:00.1Z ERROR login_gw::session: redis error: Connection refused (os error 111) host=session-redis.data.svc.cluster.local:6379"] * 6})

# 9 PVC full behind healthy postgres
add(id="h5-postgres-pvc-full", family="volume behind the workload", cat="ResourceExhaustion", entity=E("db", "PersistentVolumeClaim", "data-orders-pg-0"),
    source="Sentry, 'Transaction ID Wraparound in Postgres' https://blog.sentry.io/transaction-id-wraparound-in-postgres/ (disk/storage exhaustion variant)",
    story="orders-pg WAL fills its 50Gi volume; postgres refuses writes. The StatefulSet pods stay Running.",
    labels={"alertname": "KubePersistentVolumeFillingUp", "namespace": "db", "persistentvolumeclaim": "data-orders-pg-0"},
    summary="PVC 99% full",
    objs=[deploy("db", "orders-pg", 1, kind="StatefulSet"),
          pod("db", "orders-pg-0", "StatefulSet", "orders-pg", "postgres", "postgres:15.4", age=40000),
          {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data-orders-pg-0", "namespace": "db"}, "spec": {"resources": {"requests": {"storage": "50Gi"}}}, "status": {"phase": "Bound", "capacity": {"storage": "50Gi"}}}],
    logs={("db", "orders-pg-0", "postgres", False): ["2027-03-09 13:55:00.001 UTC [311] PANIC:  could not write to file \"pg_wal/xlogtemp.311\": No space left on device"] * 3},
    metrics=[("kubelet_volume_stats_used_bytes", "gauge", {"namespace": "db", "persistentvolumeclaim": "data-orders-pg-0"}, ramp(5.0e10, 5.36e10)),
             ("kubelet_volume_stats_capacity_bytes", "gauge", {"namespace": "db", "persistentvolumeclaim": "data-orders-pg-0"}, flat(5.3687e10))])

# 10 Unschedulable: preempted by priority
add(id="h5-pod-priority-preemption", family="plain", cat="Unschedulable", entity=E("cortex", "StatefulSet", "ingester"),
    source="Grafana Labs, 'How a production outage was caused using Kubernetes pod priorities' https://grafana.com/blog/2019/07/24/how-a-production-outage-was-caused-using-kubernetes-pod-priorities/",
    story="ingester pods preempted for a higher-priority rollout stay Pending: 0/6 nodes available, insufficient memory.",
    labels={"alertname": "KubeStatefulSetReplicasMismatch", "namespace": "cortex", "statefulset": "ingester"},
    summary="ingester replicas mismatch",
    objs=[deploy("cortex", "ingester", 3, 1, kind="StatefulSet"),
          pod("cortex", "ingester-2", "StatefulSet", "ingester", "ingester", "cortexproject/cortex:v1.15", state="pending", phase="Pending", age=15),
          event("cortex", "Pod", "ingester-2", "FailedScheduling", "0/6 nodes are available: 6 Insufficient memory. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.", count=12, comp="default-scheduler", new=True),
          event("cortex", "Pod", "ingester-2", "Preempted", "Preempted by cortex/distributor-5f-abc on node " + NODE % "a1", count=1, first=16, last=16, comp="default-scheduler")])

# 11 BadDeploy: templating typo
add(id="h5-config-template-typo-rollout", family="plain", cat="BadDeploy", entity=E("web", "Deployment", "frontend-edge"),
    source="Skyscanner, 'How a couple of characters brought down our site' https://medium.com/@SkyscannerEng/how-a-couple-of-characters-brought-down-our-site-356ccaf1fbc3",
    story="Revision 31 of nginx frontend-edge shipped a rendered config with a bad upstream; new pods return 502 while revision 30 was fine.",
    labels={"alertname": "HighErrorRate", "namespace": "web", "deployment": "frontend-edge"},
    summary="5xx on frontend-edge", fired=6,
    objs=[deploy("web", "frontend-edge", 3, 3, gen=31), rs("web", "frontend-edge", "6b7c", 3, 3, 31, "acme/edge:2027.03.09-1", 12), rs("web", "frontend-edge", "59f1", 0, 0, 30, "acme/edge:2027.03.02-2", 10000),
          pod("web", "frontend-edge-6b7c-q1", "ReplicaSet", "frontend-edge-6b7c", "nginx", "acme/edge:2027.03.09-1", age=12),
          event("web", "Deployment", "frontend-edge", "ScalingReplicaSet", "Scaled up replica set frontend-edge-6b7c to 3", typ="Normal", first=12, last=10, comp="deployment-controller")],
    logs={("web", "frontend-edge-6b7c-q1", "nginx", False): ['2027/03/09 13:51:00 [error] 22#22: *118 no live upstreams while connecting to upstream, client: 10.8.2.1, server: _, request: "GET / HTTP/1.1", upstream: "http://backend_v2"', '10.8.2.1 - - [09/Mar/2027:13:51:00 +0000] "GET / HTTP/1.1" 502 157 "-" "Mozilla/5.0"'] * 4})

# 12 ConfigError: missing secret key
add(id="h5-missing-secret-key", family="plain", cat="ConfigError", entity=E("notify", "Deployment", "mailer"),
    source="Kubernetes Failure Stories (config errors) https://k8s.af ; 'CreateContainerConfigError' kubernetes/kubernetes#57785 https://github.com/kubernetes/kubernetes/issues/57785",
    story="mailer references key SMTP_PASSWORD that the Secret no longer has; container never starts.",
    labels={"alertname": "KubeDeploymentReplicasMismatch", "namespace": "notify", "deployment": "mailer"},
    summary="mailer 0/1",
    objs=[deploy("notify", "mailer", 1, 0), rs("notify", "mailer", "3a3a", 1, 0, 5, "acme/mailer:1.2", 30),
          pod("notify", "mailer-3a3a-zz", "ReplicaSet", "mailer-3a3a", "mailer", "acme/mailer:1.2", state="waiting", reason="CreateContainerConfigError", ready=False, age=30, waiting_msg="couldn't find key SMTP_PASSWORD in Secret notify/smtp-creds"),
          event("notify", "Pod", "mailer-3a3a-zz", "Failed", "Error: couldn't find key SMTP_PASSWORD in Secret notify/smtp-creds", count=20)])

# 13 healthy: alert flapped, nothing wrong
add(id="h5-nothing-wrong-recovered", family="healthy", cat="Unknown", entity=E("search", "Deployment", "indexer"),
    source="Kubernetes Failure Stories, alert fatigue discussions https://k8s.af",
    story="A latency alert fired for indexer but all pods are ready, no restarts, no warnings, logs clean, metrics flat. Nothing supports a cause.",
    labels={"alertname": "LatencyHigh", "namespace": "search", "deployment": "indexer"},
    summary="indexer latency",
    objs=[deploy("search", "indexer", 2), rs("search", "indexer", "1b2c", 2, 2, 4, "acme/indexer:7.1", 30000),
          pod("search", "indexer-1b2c-aa", "ReplicaSet", "indexer-1b2c", "indexer", "acme/indexer:7.1", age=30000)],
    logs={("search", "indexer-1b2c-aa", "indexer", False): ["INFO  [indexer] batch committed docs=500 took=120ms"] * 6},
    metrics=[("container_memory_working_set_bytes", "gauge", {"namespace": "search", "pod": "indexer-1b2c-aa", "container": "indexer"}, flat(2.1e8))])

# 14 NodePressure: disk pressure evictions
add(id="h5-node-disk-pressure-evictions", family="node", cat="NodePressure", entity=N("x1"),
    source="kubernetes/kubernetes#66961 'Pods evicted due to DiskPressure' https://github.com/kubernetes/kubernetes/issues/66961",
    story="Container logs filled the node's root disk; kubelet evicts report-gen pods with DiskPressure.",
    labels={"alertname": "KubePodNotReady", "namespace": "reports", "pod": "report-gen-5c5c-ev1"},
    summary="report-gen not ready",
    objs=[node("x1", pressure="DiskPressure"), deploy("reports", "report-gen", 2, 1), rs("reports", "report-gen", "5c5c", 2, 1, 3, "acme/report:4", 9000),
          {**pod("reports", "report-gen-5c5c-ev1", "ReplicaSet", "report-gen-5c5c", "gen", "acme/report:4", state="terminated", reason="Evicted", exit_code=0, phase="Failed", ready=False, age=9000)},
          event("reports", "Pod", "report-gen-5c5c-ev1", "Evicted", "The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 4%.", count=1, comp="kubelet"),
          event("", "Node", NODE % "x1", "EvictionThresholdMet", "Attempting to reclaim ephemeral-storage", count=3)])

# 15 NodePressure: node NotReady PLEG
add(id="h5-node-notready-pleg", family="node", cat="NodePressure", entity=N("a1"),
    source="kubernetes/kubernetes#45419 'PLEG is not healthy' https://github.com/kubernetes/kubernetes/issues/45419",
    story="Node goes NotReady (PLEG is not healthy); pods on it show Unknown and cart pods flap. The node is the cause.",
    labels={"alertname": "KubeNodeNotReady", "node": NODE % "a1"},
    summary="node not ready",
    objs=[node("a1", ready=False), event("", "Node", NODE % "a1", "NodeNotReady", "Node " + NODE % "a1" + " status is now: NodeNotReady", count=1, comp="node-controller"),
          event("", "Node", NODE % "a1", "ContainerGCFailed", "rpc error: code = DeadlineExceeded desc = context deadline exceeded; PLEG is not healthy: pleg was last seen active 3m12s ago", count=4)])

# 16 JobFailure named by its CronJob's alert
add(id="h5-cronjob-backup-job-failed", family="job named by its cronjob", cat="JobFailure", entity=E("db", "Job", "pg-backup-28499520"),
    source="Kubernetes Failure Stories, CronJob stories https://k8s.af",
    story="Hourly pg-backup job fails: pg_dump cannot authenticate after a password rotation; backoffLimit exceeded.",
    labels={"alertname": "KubeJobFailed", "namespace": "db", "cronjob": "pg-backup", "job_name": "pg-backup-28499520"},
    summary="backup failed",
    objs=[cronjob("db", "pg-backup"), job("db", "pg-backup-28499520", cron="pg-backup", failed=3),
          pod("db", "pg-backup-28499520-7wq", "Job", "pg-backup-28499520", "dump", "postgres:15.4", state="terminated", reason="Error", exit_code=1, ready=False, age=20),
          event("db", "Job", "pg-backup-28499520", "BackoffLimitExceeded", "Job has reached the specified backoff limit", comp="job-controller")],
    logs={("db", "pg-backup-28499520-7wq", "dump", False): ['pg_dump: error: connection to server at "orders-pg.db.svc" (10.8.4.2), port 5432 failed: FATAL:  password authentication failed for user "backup"']})

# 17 CronJob spec cause: concurrencyPolicy Forbid with long run, missed schedules
add(id="h5-cronjob-startingdeadline-missed", family="cronjob spec", cat="JobFailure", entity=E("analytics", "CronJob", "rollup"),
    source="kubernetes/kubernetes#42649 'CronJob: too many missed start times' https://github.com/kubernetes/kubernetes/issues/42649",
    story="rollup CronJob has startingDeadlineSeconds 10 and concurrencyPolicy Forbid; it stopped scheduling: too many missed start times.",
    labels={"alertname": "CronJobNotScheduled", "namespace": "analytics", "cronjob": "rollup"},
    summary="rollup not run for 3h",
    objs=[cronjob("analytics", "rollup", "*/5 * * * *", "Forbid", {"startingDeadlineSeconds": 10}),
          event("analytics", "CronJob", "rollup", "FailedNeedsStart", "Cannot determine if job needs to be started: too many missed start times (> 100). Set or decrease .spec.startingDeadlineSeconds or check clock skew", count=40, comp="cronjob-controller")])

# 18 TrafficSpike with HPA at max, metrics
add(id="h5-launch-traffic-hpa-max", family="load beyond capacity", cat="TrafficSpike", entity=E("game", "Deployment", "matchmaker"),
    source="Google Cloud, 'Bringing Pokemon GO to life on Google Cloud' https://cloud.google.com/blog/products/containers-kubernetes/bringing-pokemon-go-to-life-on-google-cloud",
    story="Launch traffic is 8x the estimate; matchmaker HPA is at maxReplicas 10, CPU saturated, latency and 503s climb. No bug.",
    labels={"alertname": "HighErrorRate", "namespace": "game", "deployment": "matchmaker"},
    summary="503s",
    objs=[deploy("game", "matchmaker", 10), rs("game", "matchmaker", "aa11", 10, 10, 6, "acme/mm:3.3.0", 40000),
          pod("game", "matchmaker-aa11-01", "ReplicaSet", "matchmaker-aa11", "mm", "acme/mm:3.3.0", age=40000),
          {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "matchmaker", "namespace": "game"}, "spec": {"minReplicas": 3, "maxReplicas": 10, "scaleTargetRef": {"kind": "Deployment", "name": "matchmaker"}}, "status": {"currentReplicas": 10, "desiredReplicas": 10}},
          event("game", "HorizontalPodAutoscaler", "matchmaker", "ScalingLimited", "the desired replica count is more than the maximum replica count", count=20, comp="horizontal-pod-autoscaler")],
    metrics=[("http_requests_total", "counter", {"namespace": "game", "service": "matchmaker", "code": "200"}, counter(400)),
             ("http_requests_total", "counter", {"namespace": "game", "service": "matchmaker", "code": "503"}, counter(60)),
             ("kube_horizontalpodautoscaler_status_current_replicas", "gauge", {"namespace": "game", "horizontalpodautoscaler": "matchmaker"}, ramp(3, 10)),
             ("kube_horizontalpodautoscaler_spec_max_replicas", "gauge", {"namespace": "game", "horizontalpodautoscaler": "matchmaker"}, flat(10))])

# 19 red herring: noisy deprecation error + real OOM
add(id="h5-red-herring-deprecation-oom", family="red herring", cat="OOMKilled", entity=E("media", "Deployment", "thumbnailer"),
    source="Kubernetes Failure Stories, 'Node.js heap and container memory' https://k8s.af",
    story="Node thumbnailer logs a harmless ERROR 'punycode deprecated' every request; the real cause is sharp buffers pushing it past the 512Mi limit.",
    labels={"alertname": "KubePodCrashLooping", "namespace": "media", "pod": "thumbnailer-77c-r4", "container": "thumb"},
    summary="thumbnailer restarts",
    objs=[deploy("media", "thumbnailer", 2, 1), rs("media", "thumbnailer", "77c", 2, 1, 8, "acme/thumb:9.4.0", 9000),
          pod("media", "thumbnailer-77c-r4", "ReplicaSet", "thumbnailer-77c", "thumb", "acme/thumb:9.4.0", restarts=4, ready=False, last=("OOMKilled", 137), age=9000)],
    logs={("media", "thumbnailer-77c-r4", "thumb", True): ["(node:1) [DEP0040] DeprecationWarning: The `punycode` module is deprecated. ERROR logged by logger", '{"level":"info","msg":"resize","bytes":48211233}'] * 5})

# 20 two problems: CPU throttle minor, ImagePull on new rollout is the alert
add(id="h5-two-problems-bad-tag", family="two problems", cat="ImagePull", entity=E("ledger", "Deployment", "ledger-api"),
    source="Kubernetes Failure Stories (image tag typos) https://k8s.af",
    story="ledger-api rollout to tag 4.0.O (letter O) fails to pull; meanwhile an unrelated batch job is throttled. The mismatch alert is the pull.",
    labels={"alertname": "KubeDeploymentReplicasMismatch", "namespace": "ledger", "deployment": "ledger-api"},
    summary="ledger-api rollout stuck",
    objs=[deploy("ledger", "ledger-api", 3, 2, gen=14), rs("ledger", "ledger-api", "b0b0", 1, 0, 14, "acme/ledger:4.0.O", 15),
          pod("ledger", "ledger-api-b0b0-n1", "ReplicaSet", "ledger-api-b0b0", "api", "acme/ledger:4.0.O", state="waiting", reason="ImagePullBackOff", ready=False, age=15, waiting_msg="Back-off pulling image"),
          event("ledger", "Pod", "ledger-api-b0b0-n1", "Failed", "Failed to pull image \"acme/ledger:4.0.O\": not found", count=7)],
    metrics=[("container_cpu_cfs_throttled_periods_total", "counter", {"namespace": "ledger", "pod": "recon-batch-1", "container": "batch"}, counter(5))])

# 21 RBAC forbidden, missing evidence -> Unknown
add(id="h5-rbac-forbidden-no-evidence", family="missing evidence", cat="Unknown", entity=E("partner", "Deployment", "sftp-bridge"),
    source="Kubernetes RBAC docs and 'forbidden' failure stories https://k8s.af",
    story="Alert on sftp-bridge but the collector has no access to namespace partner: no pods, no events, no logs, no metrics. Nothing to support a cause.",
    labels={"alertname": "TargetDown", "namespace": "partner", "deployment": "sftp-bridge"},
    summary="sftp-bridge target down",
    objs=[])

# 22 DependencyFailure external: cloud IAM / metadata
add(id="h5-kiam-metadata-latency", family="add-on in another namespace", cat="DependencyFailure", entity=E("kube-system", "DaemonSet", "kiam-agent"),
    source="Adevinta, 'Kubernetes made my latency 10x higher' https://srvaroa.github.io/kubernetes/migration/latency/dns/java/aws/microservices/2019/10/22/kubernetes-added-a-0-to-my-latency.html",
    story="Java ads-api calls are slow because every AWS SDK credential fetch goes through kiam-agent in kube-system, which times out.",
    labels={"alertname": "LatencyHigh", "namespace": "ads", "deployment": "ads-api"},
    summary="ads-api latency",
    objs=[deploy("ads", "ads-api", 2), rs("ads", "ads-api", "c3c3", 2, 2, 2, "acme/ads:1.0", 9000),
          pod("ads", "ads-api-c3c3-1", "ReplicaSet", "ads-api-c3c3", "api", "acme/ads:1.0", age=9000),
          deploy("kube-system", "kiam-agent", 2, 2, kind="DaemonSet"),
          {**pod("kube-system", "kiam-agent-x9", "DaemonSet", "kiam-agent", "agent", "quay.io/uswitch/kiam:v3.6", age=90000)}],
    logs={("ads", "ads-api-c3c3-1", "api", False): ["2027-03-09 13:50:01.100 WARN  [pool-3-thread-2] c.a.a.InstanceMetadataServiceResourceFetcher : Fail to retrieve token: Read timed out"] * 4,
          ("kube-system", "kiam-agent-x9", "agent", False): ['{"level":"error","msg":"error fetching credentials: rpc error: code = DeadlineExceeded","pod.iam.role":"ads-api"}'] * 4})

# 23 TLS webhook cert expired (cert-manager add-on)
add(id="h5-webhook-cert-expired", family="add-on in another namespace", cat="TLSFailure", entity=E("cert-manager", "Deployment", "cert-manager-webhook"),
    source="cert-manager issue 'x509: certificate has expired' webhook https://github.com/cert-manager/cert-manager/issues/2602",
    story="Deployments in apps fail to create pods: admission webhook call fails x509 certificate has expired; the webhook in cert-manager is the cause.",
    labels={"alertname": "KubeDeploymentReplicasMismatch", "namespace": "apps", "deployment": "quotes"},
    summary="quotes 0/2",
    objs=[deploy("apps", "quotes", 2, 0, gen=3), rs("apps", "quotes", "d4d4", 2, 0, 3, "acme/quotes:2", 20),
          event("apps", "ReplicaSet", "quotes-d4d4", "FailedCreate", "Error creating: Internal error occurred: failed calling webhook \"webhook.cert-manager.io\": failed to call webhook: Post \"https://cert-manager-webhook.cert-manager.svc:443/mutate?timeout=10s\": x509: certificate has expired or is not yet valid", count=25, comp="replicaset-controller"),
          deploy("cert-manager", "cert-manager-webhook", 1), rs("cert-manager", "cert-manager-webhook", "5e5e", 1, 1, 1, "quay.io/jetstack/cert-manager-webhook:v1.5.3", 500000),
          pod("cert-manager", "cert-manager-webhook-5e5e-a", "ReplicaSet", "cert-manager-webhook-5e5e", "webhook", "quay.io/jetstack/cert-manager-webhook:v1.5.3", age=500000)])

# 24 CrashLoop app reason: Go panic nil map
add(id="h5-go-panic-nil-map", family="plain", cat="CrashLoop", entity=E("fleet", "Deployment", "tracker"),
    source="Kubernetes Failure Stories (crash loops) https://k8s.af",
    story="Go tracker panics on a nil map when a device sends an empty payload; exits 2 repeatedly. Running for weeks, no rollout.",
    labels={"alertname": "KubePodCrashLooping", "namespace": "fleet", "pod": "tracker-8d8d-q", "container": "tracker"},
    summary="tracker crash loop",
    objs=[deploy("fleet", "tracker", 2, 1), rs("fleet", "tracker", "8d8d", 2, 1, 5, "acme/tracker:1.8.2", 40000),
          pod("fleet", "tracker-8d8d-q", "ReplicaSet", "tracker-8d8d", "tracker", "acme/tracker:1.8.2", state="waiting", reason="CrashLoopBackOff", restarts=9, ready=False, last=("Error", 2), age=40000),
          event("fleet", "Pod", "tracker-8d8d-q", "BackOff", "Back-off restarting failed container tracker", count=30)],
    logs={("fleet", "tracker-8d8d-q", "tracker", True): ['time=2027-03-09T13:57:01Z level=INFO msg="listening" addr=:7000', "panic: assignment to entry in nil map", "goroutine 41 [running]:", "main.(*Tracker).ingest(0xc0001a2000, {0x0, 0x0})", "\t/src/ingest.go:88 +0x1c5"]})

# 25 ResourceExhaustion: connection pool exhausted (HikariCP)
add(id="h5-hikari-pool-exhausted", family="plain", cat="ResourceExhaustion", entity=E("orders", "Deployment", "order-book"),
    source="Kubernetes Failure Stories (connection pool exhaustion) https://k8s.af",
    story="Spring order-book leaks connections; HikariCP pool of 10 exhausted, requests time out. Database itself healthy.",
    labels={"alertname": "HighErrorRate", "namespace": "orders", "deployment": "order-book"},
    summary="order-book 5xx",
    objs=[deploy("orders", "order-book", 2), rs("orders", "order-book", "e1e1", 2, 2, 11, "acme/order-book:6.2", 20000),
          pod("orders", "order-book-e1e1-1", "ReplicaSet", "order-book-e1e1", "app", "acme/order-book:6.2", age=20000)],
    logs={("orders", "order-book-e1e1-1", "app", False): ["2027-03-09 13:55:10.881 ERROR 1 --- [nio-8080-exec-9] o.h.engine.jdbc.spi.SqlExceptionHelper : HikariPool-1 - Connection is not available, request timed out after 30000ms."] * 6},
    metrics=[("hikaricp_connections_active", "gauge", {"namespace": "orders", "pod": "order-book-e1e1-1", "pool": "HikariPool-1"}, flat(10)),
             ("hikaricp_connections_pending", "gauge", {"namespace": "orders", "pod": "order-book-e1e1-1", "pool": "HikariPool-1"}, ramp(0, 140))])

# 26 DNS: ndots external names, no metrics
add(id="h5-ndots-external-lookups", family="missing evidence", cat="DNSFailure", entity=E("kube-system", "Deployment", "coredns"),
    source="Preply, 'DNS postmortem' https://medium.com/preply-engineering/dns-postmortem-e169efd45aa",
    story="Python scraper fails intermittently: NXDOMAIN storms from ndots:5 overload CoreDNS; 'Temporary failure in name resolution'. No metrics collected.",
    labels={"alertname": "JobErrorsHigh", "namespace": "crawl", "deployment": "scraper"},
    summary="scraper errors",
    objs=[deploy("crawl", "scraper", 4), rs("crawl", "scraper", "f0f0", 4, 4, 2, "acme/scraper:0.3", 9000),
          pod("crawl", "scraper-f0f0-1", "ReplicaSet", "scraper-f0f0", "scraper", "acme/scraper:0.3", age=9000),
          deploy("kube-system", "coredns", 2, 2), rs("kube-system", "coredns", "5d78c", 2, 2, 1, "registry.k8s.io/coredns/coredns:v1.10.1", 90000),
          pod("kube-system", "coredns-5d78c-2bb", "ReplicaSet", "coredns-5d78c", "coredns", "registry.k8s.io/coredns/coredns:v1.10.1", age=90000, restarts=3, last=("OOMKilled", 137))],
    logs={("crawl", "scraper-f0f0-1", "scraper", False): ["ERROR:scraper:fetch failed: HTTPSConnectionPool(host='cdn.example.org', port=443): Max retries exceeded (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution'))"] * 5})

# 27 Unschedulable: PVC zone affinity
add(id="h5-pvc-zone-volume-affinity", family="plain", cat="Unschedulable", entity=E("queue", "StatefulSet", "rabbit"),
    source="kubernetes/kubernetes#34583 'Pods with PVs stuck pending due to volume zone conflict' https://github.com/kubernetes/kubernetes/issues/34583",
    story="rabbit-1 restarts after node replacement but its disk is in europe-west1-b with no nodes left there: volume node affinity conflict.",
    labels={"alertname": "KubePodNotReady", "namespace": "queue", "pod": "rabbit-1"},
    summary="rabbit-1 pending",
    objs=[deploy("queue", "rabbit", 3, 2, kind="StatefulSet"),
          pod("queue", "rabbit-1", "StatefulSet", "rabbit", "rabbitmq", "rabbitmq:3.12-management", state="pending", phase="Pending", age=25),
          event("queue", "Pod", "rabbit-1", "FailedScheduling", "0/6 nodes are available: 6 node(s) had volume node affinity conflict.", count=18, comp="default-scheduler", new=True)])

# 28 CostAnomaly: HPA scaled out on bad custom metric, spend up, no errors
add(id="h5-cost-scaleout-bad-metric", family="metrics only", cat="CostAnomaly", entity=E("recs", "Deployment", "ranker"),
    source="OpenCost / Kubecost cost-spike write-ups: 'Kubernetes cost anomaly from autoscaling' https://www.opencost.io/docs/",
    story="ranker HPA keys on a queue metric that stopped decaying after an exporter change; replicas go 4 -> 40, no errors, spend 9x baseline.",
    labels={"alertname": "NamespaceCostAnomaly", "namespace": "recs", "deployment": "ranker"},
    summary="recs spend 9x baseline",
    objs=[deploy("recs", "ranker", 40), rs("recs", "ranker", "1c1c", 40, 40, 3, "acme/ranker:2.0", 30000),
          pod("recs", "ranker-1c1c-01", "ReplicaSet", "ranker-1c1c", "ranker", "acme/ranker:2.0", age=30000)],
    metrics=[("kube_deployment_status_replicas", "gauge", {"namespace": "recs", "deployment": "ranker"}, ramp(4, 40)),
             ("node_total_hourly_cost", "gauge", {"node": NODE % "x1", "instance_type": "n2-standard-8"}, flat(0.388)),
             ("container_cpu_usage_seconds_total", "counter", {"namespace": "recs", "pod": "ranker-1c1c-01", "container": "ranker"}, counter(0.02))])

# 29 Envoy upstream: dependency Service in other namespace, red herring in envoy
add(id="h5-envoy-upstream-reset", family="dependency service in another namespace", cat="DependencyFailure", entity=E("inventory", "Service", "stock-grpc"),
    source="Monzo, 'Current account payments may fail - Major Outage (27/10/2017)' https://community.monzo.com/t/resolved-current-account-payments-may-fail-major-outage-27-10-2017/26296",
    story="Envoy sidecar in storefront returns 503 UH (no healthy upstream) for stock-grpc in inventory, whose endpoints are all not-ready; a harmless envoy 'deprecated field' warning is noise.",
    labels={"alertname": "HighErrorRate", "namespace": "storefront", "deployment": "storefront"},
    summary="storefront 503",
    objs=[deploy("storefront", "storefront", 2), rs("storefront", "storefront", "a9a9", 2, 2, 5, "acme/storefront:8", 9000),
          pod("storefront", "storefront-a9a9-1", "ReplicaSet", "storefront-a9a9", "envoy", "envoyproxy/envoy:v1.27.0", age=9000),
          *service("inventory", "stock-grpc", 0)],
    logs={("storefront", "storefront-a9a9-1", "envoy", False): ["[2027-03-09 13:40:00.000][1][warning][misc] Deprecated field: type envoy.config.route.v3.RouteAction Using deprecated option 'envoy.config.route.v3.RouteAction.max_grpc_timeout'"] + ['[2027-03-09T13:55:00.000Z] "POST /stock.Stock/Reserve HTTP/2" 503 UH 0 19 0 - "-" "grpc-go/1.58" "stock-grpc.inventory.svc.cluster.local:50051"'] * 6})

# 30 BadDeploy: new Python release crashloops on new rs; old rs fine
add(id="h5-django-migration-rollout", family="plain", cat="BadDeploy", entity=E("cms", "Deployment", "editorial"),
    source="GitLab, 'Postmortem of database outage of January 31' https://about.gitlab.com/blog/2017/02/10/postmortem-of-database-outage-of-january-31/ (deploy-introduced failure pattern)",
    story="editorial revision 18 (Django) expects a column that its migration never added; new pods crash on start while revision 17 pods keep serving.",
    labels={"alertname": "KubePodCrashLooping", "namespace": "cms", "pod": "editorial-1818-a", "container": "django"},
    summary="editorial crash loop", fired=7,
    objs=[deploy("cms", "editorial", 3, 2, gen=18), rs("cms", "editorial", "1818", 1, 0, 18, "acme/editorial:18", 14), rs("cms", "editorial", "1717", 2, 2, 17, "acme/editorial:17", 20000),
          pod("cms", "editorial-1818-a", "ReplicaSet", "editorial-1818", "django", "acme/editorial:18", state="waiting", reason="CrashLoopBackOff", restarts=5, ready=False, last=("Error", 1), age=14),
          pod("cms", "editorial-1717-b", "ReplicaSet", "editorial-1717", "django", "acme/editorial:17", age=20000),
          event("cms", "Deployment", "editorial", "ScalingReplicaSet", "Scaled up replica set editorial-1818 to 1", typ="Normal", first=14, last=14, comp="deployment-controller")],
    logs={("cms", "editorial-1818-a", "django", True): ["Traceback (most recent call last):", "django.db.utils.ProgrammingError: column articles_article.embargo_until does not exist"]})

# 31 OOM on Rust with node memory fine, metrics missing (no metrics)
add(id="h5-rust-oom-no-metrics", family="missing evidence", cat="OOMKilled", entity=E("edge", "Deployment", "ingest-rs"),
    source="Kubernetes Failure Stories (OOMKilled without metrics) https://k8s.af",
    story="Rust ingest-rs is OOMKilled on large batches; Prometheus was not scraping this namespace, so only pod status shows it.",
    labels={"alertname": "KubePodCrashLooping", "namespace": "edge", "pod": "ingest-rs-4e4e-z", "container": "ingest"},
    summary="ingest-rs restarts",
    objs=[deploy("edge", "ingest-rs", 2, 1), rs("edge", "ingest-rs", "4e4e", 2, 1, 2, "acme/ingest-rs:0.7", 9000),
          pod("edge", "ingest-rs-4e4e-z", "ReplicaSet", "ingest-rs-4e4e", "ingest", "acme/ingest-rs:0.7", restarts=3, ready=False, mem="256Mi", last=("OOMKilled", 137), age=9000)],
    logs={("edge", "ingest-rs-4e4e-z", "ingest", True): ["2027-03-09T13:55:00.000Z  INFO ingest_rs::batch: accepted batch size=912345"] * 3})

INCIDENTS = I
