"""Incidents where a container dies: memory kills (one of them in a sidecar,
one alongside an unrelated failure), a crash that logs nothing, a startup
that cannot find its key, and a release that rejects old clients."""

from datetime import timedelta

from common import crashloop_alert, statefulset_mismatch_alert, GI, MI, backoff_events, cadvisor, crashloop_message, ksm, limits, restarts, sawtooth
from kit import (Metrics, Workload, alert, configmap, container_spec, event, event_series, http_probe,
                 log_lines, node, node_name, parse, running, service, endpoints, tcp_probe, ts, waiting)


def fluent_bit_oom():
    now = parse("2026-11-03T04:20:00Z")
    ns = "logging"
    n1, n2, n3 = node_name(17, 201), node_name(33, 12), node_name(48, 90)
    nodes = [node(n1, now, itype="m6i.2xlarge", cpu="8", memory="32Gi"),
             node(n2, now, itype="m6i.2xlarge", zone="us-west-2b", cpu="8", memory="32Gi"),
             node(n3, now, itype="c6i.2xlarge", zone="us-west-2c", cpu="8", memory="16Gi")]
    fb = container_spec("fluent-bit", "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2.20240516",
                        cpu_req="100m", mem_req="128Mi", mem_lim="256Mi", ports=[("http", 2020)],
                        liveness=http_probe("/", 2020, period=10), readiness=http_probe("/api/v1/health", 2020),
                        volume_mounts=[{"name": "varlog", "mountPath": "/var/log", "readOnly": True},
                                       {"name": "config", "mountPath": "/fluent-bit/etc/"}])
    ds = Workload("DaemonSet", ns, "fluent-bit", {"app.kubernetes.io/name": "fluent-bit",
                                                  "app.kubernetes.io/instance": "fluent-bit"},
                  [fb], 3, now - timedelta(days=40), revision=4,
                  extra_template={"volumes": [{"name": "varlog", "hostPath": {"path": "/var/log"}},
                                              {"name": "config", "configMap": {"name": "fluent-bit"}}],
                                  "serviceAccountName": "fluent-bit"})
    ds.status = {"currentNumberScheduled": 3, "desiredNumberScheduled": 3, "numberAvailable": 2,
                 "numberMisscheduled": 0, "numberReady": 2, "numberUnavailable": 1, "updatedNumberScheduled": 3}
    # Each run lasts about 90 s before the kill, then the 5-minute back-off.
    run = 90
    kills = [now - timedelta(seconds=s) for s in (2100, 1710, 1320, 930, 540, 150)]
    p1 = ds.pod(n1, 0, [waiting("CrashLoopBackOff", crashloop_message(ns, ds.pod_name(n1), "fluent-bit"),
                                restarts=11, last=("OOMKilled", 137, kills[-1] - timedelta(seconds=run), kills[-1]))],
                n1, now - timedelta(days=6))
    p2 = ds.pod(n2, 0, [running(now - timedelta(days=5), restarts=1,
                                last=("OOMKilled", 137, now - timedelta(days=5, hours=2), now - timedelta(days=5)))],
                n2, now - timedelta(days=6))
    p3 = ds.pod(n3, 0, [running(now - timedelta(days=6))], n3, now - timedelta(days=6))
    cm = configmap(ns, "fluent-bit", {
        "fluent-bit.conf": "[SERVICE]\n    Flush 5\n    HTTP_Server On\n    HTTP_Port 2020\n    Health_Check On\n"
                           "[INPUT]\n    Name tail\n    Path /var/log/containers/*.log\n    multiline.parser cri\n"
                           "    Tag kube.*\n    Mem_Buf_Limit 200MB\n    Skip_Long_Lines On\n"
                           "[INPUT]\n    Name systemd\n    Tag host.*\n    Mem_Buf_Limit 50MB\n"
                           "[FILTER]\n    Name kubernetes\n    Match kube.*\n    Merge_Log On\n"
                           "[OUTPUT]\n    Name es\n    Match *\n    Host opensearch.search.svc\n    Port 9200\n"
                           "    Retry_Limit False\n    Suppress_Type_Name On\n"}, now - timedelta(days=12))
    objs = nodes + ds.objects() + [p1, p2, p3, cm,
                                   backoff_events(ns, p1, "fluent-bit", now - timedelta(minutes=33), now - timedelta(seconds=40), 29, n1),
                                   event(ns, "Pod", p1["metadata"]["name"], p1["metadata"]["uid"], "Pulled",
                                         'Container image "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2.20240516" already present on machine',
                                         now - timedelta(minutes=33), now - timedelta(minutes=2), count=7, etype="Normal", host=n1,
                                         field_path="spec.containers{fluent-bit}")]
    start = kills[-1] - timedelta(seconds=run)
    boot = ["Fluent Bit v1.9.10", "* Copyright (C) 2015-2022 The Fluent Bit Authors",
            "[@FB@] [ info] [fluent bit] version=1.9.10, commit=760956f50c, pid=1",
            "[@FB@] [ info] [storage] version=1.4.0, type=memory-only, sync=normal, checksum=disabled, max_chunks_up=128",
            "[@FB@] [ info] [input:tail:tail.0] initializing",
            "[@FB@] [ info] [filter:kubernetes:kubernetes.0] connectivity OK",
            "[@FB@] [ info] [sp] stream processor started"]
    flush = ["[@FB@] [error] [output:es:es.0] HTTP status=429 URI=/_bulk, response:",
             "{\"error\":{\"root_cause\":[{\"type\":\"es_rejected_execution_exception\",\"reason\":\"rejected execution of coordinating operation [coordinating_and_primary_bytes=510876213, max_coordinating_and_primary_bytes=510656102]\"}],\"status\":429}",
             "[@FB@] [ warn] [engine] failed to flush chunk '1-1793679200.118302211.flb', retry in 7 seconds: task_id=12, input=tail.0 > output=es.0 (out_id=0)"]
    logs = {
        (ns, p1["metadata"]["name"], "fluent-bit", False): log_lines(start, 2, boot + flush * 9),
        (ns, p1["metadata"]["name"], "fluent-bit", True): log_lines(kills[-2] - timedelta(seconds=run), 2, boot + flush * 9),
        (ns, p3["metadata"]["name"], "fluent-bit", False): log_lines(now - timedelta(minutes=20), 40, flush[:1] + flush[2:] * 3),
    }
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    restarts(m, ns, p1["metadata"]["name"], "fluent-bit", kills, before=5)
    m.gauge("container_memory_working_set_bytes", cadvisor(ns, p1["metadata"]["name"], "fluent-bit", n1),
            sawtooth(kills, 60 * MI, 255 * MI, run))
    m.gauge("container_memory_working_set_bytes", cadvisor(ns, p3["metadata"]["name"], "fluent-bit", n3),
            lambda t: 118 * MI)
    limits(m, ns, p1["metadata"]["name"], "fluent-bit", n1, memory=256 * MI)
    m.gauge("kube_pod_container_status_last_terminated_reason", ksm(ns, p1["metadata"]["name"], "fluent-bit", reason="OOMKilled"),
            lambda t: 1)
    return {
        "name": "h6-fluent-bit-daemonset-oomkilled-es-backpressure",
        "description": """
The Fluent Bit log shipper (DaemonSet logging/fluent-bit) on one node restarts every few minutes. Its
previous containers ended with reason OOMKilled, exit code 137, memory limit 256Mi; the tail input has
Mem_Buf_Limit 200MB plus a systemd input, so the buffers alone can exceed the limit once OpenSearch
answers bulk requests with 429 and chunks pile up for retry. The 429s are what fills the buffer, but
what kills the pod is the container memory limit: the answer is the OOM kill of the DaemonSet.""",
        "sources": ["fluent/fluent-bit issue 2247 'Fluent-bit crashes with OOM when using in-memory buffer' (Mem_Buf_Limit close to the container limit), https://github.com/fluent/fluent-bit/issues/2247",
                    "scality/metalk8s issue 3376 (fluent-bit OOM killed when the output is unavailable), https://github.com/scality/metalk8s/issues/3376"],
        "now": now,
        "alert": crashloop_alert(ns, p1["metadata"]["name"], "fluent-bit", now - timedelta(minutes=15),
                       runbook="https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping"),
        "expect": {"category": "OOMKilled", "entity": {"namespace": ns, "kind": "DaemonSet", "name": "fluent-bit"},
                   "mentions": ["OOMKilled", "256Mi"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def istio_sidecar_oom():
    now = parse("2026-11-05T15:42:00Z")
    ns = "checkout"
    n1, n2 = node_name(21, 77), node_name(36, 140)
    nodes = [node(n1, now, itype="m7i.2xlarge", cpu="8", memory="32Gi"),
             node(n2, now, itype="m7i.2xlarge", zone="us-west-2b", cpu="8", memory="32Gi")]
    app = container_spec("checkout-api", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/checkout-api:3.8.2",
                         cpu_req="500m", mem_req="768Mi", mem_lim="1Gi", ports=[("http", 8080)],
                         readiness=http_probe("/app-health/checkout-api/readyz", 15020),
                         liveness=http_probe("/app-health/checkout-api/livez", 15020))
    proxy = container_spec("istio-proxy", "docker.io/istio/proxyv2:1.22.3", cpu_req="100m", mem_req="128Mi",
                           cpu_lim="2", mem_lim="128Mi", ports=[("http-envoy-prom", 15090)],
                           readiness=http_probe("/healthz/ready", 15021, period=15, timeout=3, failure=4),
                           args=["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local",
                                 "--proxyLogLevel=warning", "--concurrency", "2"])
    d = Workload("Deployment", ns, "checkout-api", {"app": "checkout-api", "version": "v3"}, [app, proxy], 3,
                 now - timedelta(days=90), revision=31, selector_keys=["app"],
                 extra_template={"serviceAccountName": "checkout-api"})
    h = d.add_rs(31, 3, 0, created=now - timedelta(days=3))
    pods, kills_by_pod = [], {}
    for i, (nn, n_restarts) in enumerate(((n1, 9), (n2, 7), (n1, 8))):
        name = d.pod_name(h, i)
        # Runs of about 6 minutes, then the 5-minute back-off.
        kills = [now - timedelta(minutes=m) for m in (31 - i, 20 - i, 9 - i)]
        kills_by_pod[name] = kills
        st_app = running(now - timedelta(days=3), ready=False)
        st_proxy = waiting("CrashLoopBackOff", crashloop_message(ns, name, "istio-proxy"), restarts=n_restarts,
                           last=("OOMKilled", 137, kills[-1] - timedelta(minutes=6), kills[-1])) if i != 1 else \
            running(kills[-1] + timedelta(minutes=5), ready=True, restarts=n_restarts,
                    last=("OOMKilled", 137, kills[-1] - timedelta(minutes=6), kills[-1]))
        if i == 1:
            st_app = running(now - timedelta(days=3), ready=True)
        pods.append(d.pod(h, i, [st_app, st_proxy], nn, now - timedelta(days=3),
                          annotations={"sidecar.istio.io/status": '{"initContainers":["istio-init"],"containers":["istio-proxy"]}',
                                       "sidecar.istio.io/proxyMemoryLimit": "128Mi"}))
    d.rs[-1] = (h, 31, 3, 1, d.rs[-1][4], d.rs[-1][5])
    svc = service(ns, "checkout-api", {"app": "checkout-api"}, [("http", 8080, 8080)], "172.20.118.40", now - timedelta(days=90))
    ep = endpoints(ns, "checkout-api", [pods[1]], [pods[0], pods[2]], [("http", 8080)])
    objs = nodes + d.objects() + pods + [svc, ep]
    for p in pods:
        objs.append(backoff_events(ns, p, "istio-proxy", now - timedelta(minutes=30), now - timedelta(minutes=1), 14,
                                   p["spec"]["nodeName"]))
    objs.append(event(ns, "Pod", pods[0]["metadata"]["name"], pods[0]["metadata"]["uid"], "Unhealthy",
                      "Readiness probe failed: HTTP probe failed with statuscode: 503", now - timedelta(minutes=30),
                      now - timedelta(minutes=1), count=41, host=n1, field_path="spec.containers{istio-proxy}"))
    logs = {}
    for p in pods:
        name = p["metadata"]["name"]
        k = kills_by_pod[name][-1]
        proxy_lines = [
            "@ISO@\tinfo\tFLAG: --concurrency=\"2\"",
            "@ISO@\tinfo\tWorkload SDS socket not found. Starting Istio SDS Server",
            "@ISO@\tinfo\tPilot SAN: [istiod.istio-system.svc]",
            "@ISO@\tinfo\tads\tADS: new connection for node:sidecar~10.42.71.20~" + name + ".checkout~checkout.svc.cluster.local-1",
            "@ISO@\tinfo\tads\tCDS: PUSH request for node:" + name + ".checkout resources:1873 size:4.1MB",
            "@ISO@\tinfo\tads\tLDS: PUSH request for node:" + name + ".checkout resources:712 size:2.9MB",
            "@ISO@\tinfo\tEnvoy proxy is ready",
            "@ISO@\twarn\tEnvoy may have been out of memory killed. Check memory usage and limits.",
            "@ISO@\terror\tEnvoy exited with error: signal: killed",
        ]
        run_lines = [(20 * j, line) for j, line in enumerate(proxy_lines[:-2])] + [(359, proxy_lines[-2]), (359.5, proxy_lines[-1])]
        logs[(ns, name, "istio-proxy", True)] = log_lines(k - timedelta(minutes=6), 0.4, run_lines)
        logs[(ns, name, "checkout-api", False)] = log_lines(now - timedelta(minutes=25), 45, [
            "@SP@ [eventLoopGroupProxy-4-2] INFO  Application - 200 OK: POST - /v1/checkout in 184ms",
            "@SP@ [DefaultDispatcher-worker-7] WARN  PaymentsClient - io.ktor.client.network.sockets.ConnectTimeoutException: Connect timeout has expired [url=http://payments.payments.svc.cluster.local:8080/v2/authorize, connect_timeout=2000 ms]",
            "@SP@ [eventLoopGroupProxy-4-1] ERROR Application - 502 Bad Gateway: POST - /v1/checkout in 2031ms",
            "@SP@ [eventLoopGroupProxy-4-2] INFO  Application - 200 OK: POST - /v1/checkout in 201ms",
        ] * 3)
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    for p in pods:
        name = p["metadata"]["name"]
        restarts(m, ns, name, "istio-proxy", kills_by_pod[name], before=p["status"]["containerStatuses"][1]["restartCount"] - 3)
        restarts(m, ns, name, "checkout-api", [], before=0)
        m.gauge("container_memory_working_set_bytes", cadvisor(ns, name, "istio-proxy", p["spec"]["nodeName"]),
                sawtooth(kills_by_pod[name], 88 * MI, 127 * MI, 360,
                         current_start=kills_by_pod[name][-1] + timedelta(minutes=5) if p is pods[1] else None))
        m.gauge("container_memory_working_set_bytes", cadvisor(ns, name, "checkout-api", p["spec"]["nodeName"]),
                lambda t: 512 * MI)
        limits(m, ns, name, "istio-proxy", p["spec"]["nodeName"], memory=128 * MI, cpu=2)
        limits(m, ns, name, "checkout-api", p["spec"]["nodeName"], memory=GI)
    m.gauge("pilot_services", {"job": "istiod", "namespace": "istio-system", "pod": "istiod-6c9bb8f7d4-2wkqp"},
            lambda t: 648)
    return {
        "name": "h6-istio-sidecar-oomkilled-mesh-config-growth",
        "description": """
checkout-api (Kotlin/Ktor) pods keep losing readiness. The application container has no restarts;
the istio-proxy sidecar in every pod restarts with reason OOMKilled (exit 137) against a 128Mi limit
set by the proxyMemoryLimit annotation, while istiod pushes it ~1900 clusters and ~700 listeners for the
648 Services of the mesh (no Sidecar resource narrows it). The app logs connect timeouts to payments
during each sidecar restart; those are a consequence, not a payments failure.""",
        "sources": ["istio/istio issue 12765 'envoy proxies keep dying when there are ~600-700 TCP services in a cluster' (sidecar limit 128Mi ran out of memory), https://github.com/istio/istio/issues/12765",
                    "istio/istio issue 19925 'Envoy may have been out of memory killed. Check memory usage and limits.', https://github.com/istio/istio/issues/19925"],
        "now": now,
        "alert": crashloop_alert(ns, pods[0]["metadata"]["name"], "istio-proxy", now - timedelta(minutes=12)),
        "expect": {"category": "OOMKilled", "entity": {"namespace": ns, "kind": "Deployment", "name": "checkout-api"},
                   "mentions": ["istio-proxy", "OOMKilled"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def dotnet_server_gc_oom_with_staging_pull_error():
    now = parse("2026-11-09T10:05:00Z")
    ns = "basket"
    n1, n2, n3 = node_name(12, 44), node_name(29, 181), node_name(40, 7)
    nodes = [node(n1, now, itype="m6i.4xlarge", cpu="16", memory="64Gi"),
             node(n2, now, itype="m6i.4xlarge", zone="us-west-2b", cpu="16", memory="64Gi"),
             node(n3, now, itype="t3.xlarge", zone="us-west-2c", cpu="4", memory="16Gi", pool="staging")]
    app = container_spec("basket-api", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/basket-api:2026.11.2",
                         cpu_req="500m", mem_req="384Mi", mem_lim="512Mi", ports=[("http", 8080)],
                         env=[{"name": "ASPNETCORE_URLS", "value": "http://+:8080"},
                              {"name": "DOTNET_gcServer", "value": "1"},
                              {"name": "ConnectionStrings__Redis", "value": "redis-basket.data.svc.cluster.local:6379"}],
                         readiness=http_probe("/healthz/ready", 8080, period=5), liveness=http_probe("/healthz/live", 8080, period=10, timeout=2))
    d = Workload("Deployment", ns, "basket-api", {"app.kubernetes.io/name": "basket-api"}, [app], 2,
                 now - timedelta(days=200), revision=57)
    h = d.add_rs(57, 2, 1, created=now - timedelta(days=8))
    # Each run lasts about 2 minutes, then the 5-minute back-off.
    run = 120
    kills = {0: [now - timedelta(minutes=m) for m in (36, 29, 22, 15, 8)], 1: [now - timedelta(minutes=m) for m in (33, 26, 19, 12, 5)]}
    pods = []
    for i, nn in enumerate((n1, n2)):
        name = d.pod_name(h, i)
        k = kills[i]
        st = running(k[-1] + timedelta(minutes=5), ready=True, restarts=14 + i,
                     last=("OOMKilled", 137, k[-1] - timedelta(seconds=run), k[-1]))
        if i == 1:
            st = waiting("CrashLoopBackOff", crashloop_message(ns, name, "basket-api"), restarts=15,
                         last=("OOMKilled", 137, k[-1] - timedelta(seconds=run), k[-1]))
        pods.append(d.pod(h, i, [st], nn, now - timedelta(days=8)))
    # The unrelated problem: a preview build in staging whose tag was never pushed.
    st_app = container_spec("basket-api", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/basket-api:pr-1182",
                            cpu_req="250m", mem_req="256Mi", mem_lim="512Mi")
    sd = Workload("Deployment", "basket-staging", "basket-api", {"app.kubernetes.io/name": "basket-api"}, [st_app], 1,
                  now - timedelta(days=30), revision=12)
    sh = sd.add_rs(12, 1, 0, created=now - timedelta(minutes=50))
    sp = sd.pod(sh, 0, [waiting("ImagePullBackOff", 'Back-off pulling image "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/basket-api:pr-1182"')],
                n3, now - timedelta(minutes=50), phase="Pending")
    objs = nodes + d.objects() + pods + sd.objects() + [sp]
    objs.append(backoff_events(ns, pods[1], "basket-api", now - timedelta(minutes=30), now - timedelta(seconds=30), 11, n2))
    for p in pods:
        objs.append(event(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "Unhealthy",
                          "Readiness probe failed: Get \"http://%s:8080/healthz/ready\": dial tcp %s:8080: connect: connection refused"
                          % (p["status"]["podIP"], p["status"]["podIP"]),
                          now - timedelta(minutes=35), now - timedelta(minutes=4), count=22, host=p["spec"]["nodeName"],
                          field_path="spec.containers{basket-api}"))
    objs.append(event("basket-staging", "Pod", sp["metadata"]["name"], sp["metadata"]["uid"], "Failed",
                      'Failed to pull image "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/basket-api:pr-1182": rpc error: code = NotFound desc = failed to pull and unpack image "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/basket-api:pr-1182": failed to resolve reference "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/basket-api:pr-1182": 123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/basket-api:pr-1182: not found',
                      now - timedelta(minutes=49), now - timedelta(minutes=3), count=13, host=n3, field_path="spec.containers{basket-api}"))
    lines = ["info: Microsoft.Hosting.Lifetime[14]", "      Now listening on: http://[::]:8080",
             "info: Microsoft.Hosting.Lifetime[0]", "      Application started. Press Ctrl+C to shut down.",
             "info: Microsoft.Hosting.Lifetime[0]", "      Hosting environment: Production"]
    req = ["info: Microsoft.AspNetCore.Hosting.Diagnostics[2]",
           "      Request finished HTTP/1.1 GET http://basket-api.basket.svc/api/v2/basket/c9f1 - 200 1843 application/json 12.4811ms",
           "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]",
           "      Request finished HTTP/1.1 POST http://basket-api.basket.svc/api/v2/basket/c9f1/items - 201 - - 31.0072ms"]
    logs = {}
    for i, p in enumerate(pods):
        if i == 0:  # running again since the back-off ended
            logs[(ns, p["metadata"]["name"], "basket-api", True)] = log_lines(kills[i][-1] - timedelta(seconds=run - 2), 1.5, lines + req * 18)
            logs[(ns, p["metadata"]["name"], "basket-api", False)] = log_lines(kills[i][-1] + timedelta(minutes=5, seconds=2), 1.5, lines + req * 14)
        else:  # waiting: the last run is what kubectl logs shows, the one before is --previous
            logs[(ns, p["metadata"]["name"], "basket-api", False)] = log_lines(kills[i][-1] - timedelta(seconds=run - 2), 1.5, lines + req * 18)
            logs[(ns, p["metadata"]["name"], "basket-api", True)] = log_lines(kills[i][-2] - timedelta(seconds=run - 2), 1.5, lines + req * 18)
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    for i, p in enumerate(pods):
        name = p["metadata"]["name"]
        restarts(m, ns, name, "basket-api", kills[i], before=14 + i - len(kills[i]))
        m.gauge("container_memory_working_set_bytes", cadvisor(ns, name, "basket-api", p["spec"]["nodeName"]),
                sawtooth(kills[i], 140 * MI, 511 * MI, run, current_start=kills[i][-1] + timedelta(minutes=5) if i == 0 else None))
        limits(m, ns, name, "basket-api", p["spec"]["nodeName"], memory=512 * MI)
        m.gauge("dotnet_gc_heap_size_bytes", {"namespace": ns, "pod": name, "job": "basket-api", "gc_mode": "server"},
                sawtooth(kills[i], 60 * MI, 430 * MI, run, current_start=kills[i][-1] + timedelta(minutes=5) if i == 0 else None))
        m.gauge("kube_pod_container_status_last_terminated_reason", ksm(ns, name, "basket-api", reason="OOMKilled"), lambda t: 1)
    return {
        "name": "h6-dotnet-server-gc-oomkilled-with-unrelated-staging-pull",
        "description": """
basket-api (C#/ASP.NET Core 8) restarts every ~7 minutes on two m6i.4xlarge nodes: lastState OOMKilled,
exit 137, limit 512Mi, working set climbing steadily to the limit after each start. DOTNET_gcServer=1
runs one GC heap per core (16 on these nodes), so the heap grows far past what the limit allows before
the GC collects. The logs stop mid-request with no exception. At the same time a preview build in
namespace basket-staging cannot pull tag pr-1182: a real but unrelated problem that a reader must not
blame for the production restarts. Readiness probe failures are the restart gaps.""",
        "sources": ["aspnet/KestrelHttpServer issue 1260 'Memory Leak in 1.1.0' (Server GC on a many-core host keeps memory high; switching to workstation GC fixed it), https://github.com/aspnet/KestrelHttpServer/issues/1260",
                    "dotnet/runtime issue 852 'Process keeps getting killed for violating docker cgroup mem constraint with server GC', https://github.com/dotnet/runtime/issues/852"],
        "now": now,
        "alert": alert("KubePodCrashLooping", {"namespace": ns, "pod": pods[1]["metadata"]["name"], "container": "basket-api",
                                               "severity": "warning", "job": "kube-state-metrics"},
                       f"Pod {ns}/{pods[1]['metadata']['name']} (basket-api) is restarting 2.00 times / 15 minutes.",
                       now - timedelta(minutes=20), 'increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[15m]) > 1', 2),
        "expect": {"category": "OOMKilled", "entity": {"namespace": ns, "kind": "Deployment", "name": "basket-api"},
                   "mentions": ["OOMKilled", "512Mi"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def php_worker_segfault_no_logs():
    now = parse("2026-11-11T22:14:00Z")
    ns = "storefront"
    n1, n2 = node_name(14, 230), node_name(27, 65)
    nodes = [node(n1, now, itype="c7i.xlarge", cpu="4", memory="8Gi"), node(n2, now, itype="c7i.xlarge", zone="us-west-2b", cpu="4", memory="8Gi")]
    c = container_spec("queue-worker", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/storefront:8.3.14-fpm-otel",
                       cpu_req="200m", mem_req="256Mi", mem_lim="512Mi",
                       command=["php", "artisan", "queue:work", "redis", "--queue=orders,default", "--tries=3", "--max-time=3600"],
                       env=[{"name": "OTEL_PHP_AUTOLOAD_ENABLED", "value": "true"},
                            {"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://otel-collector.observability.svc:4318"}])
    d = Workload("Deployment", ns, "storefront-queue", {"app": "storefront", "component": "queue"}, [c], 2,
                 now - timedelta(days=300), revision=88, selector_keys=["app", "component"])
    h = d.add_rs(88, 2, 0, created=now - timedelta(days=9))
    # About 50 s of work, the segfault, then the 5-minute back-off.
    kills = {0: [now - timedelta(seconds=s) for s in (1930, 1580, 1230, 880, 530, 180)],
             1: [now - timedelta(seconds=s) for s in (1750, 1400, 1050, 700, 350)]}
    pods = []
    for i, nn in enumerate((n1, n2)):
        name = d.pod_name(h, i)
        pods.append(d.pod(h, i, [waiting("CrashLoopBackOff", crashloop_message(ns, name, "queue-worker"), restarts=23 + i,
                                         last=("Error", 139, kills[i][-1] - timedelta(seconds=50), kills[i][-1]))], nn, now - timedelta(days=9)))
    objs = nodes + d.objects() + pods
    for p in pods:
        objs.append(backoff_events(ns, p, "queue-worker", now - timedelta(minutes=37), now - timedelta(minutes=1), 18, p["spec"]["nodeName"]))
    logs = {}
    for i, p in enumerate(pods):
        t0 = kills[i][-1] - timedelta(seconds=50)
        logs[(ns, p["metadata"]["name"], "queue-worker", False)] = log_lines(t0 + timedelta(seconds=2), 1, [
            "", "   INFO  Processing jobs from the [orders,default] queue.", ""])
        logs[(ns, p["metadata"]["name"], "queue-worker", True)] = log_lines(kills[i][-2] - timedelta(seconds=48), 1, [
            "", "   INFO  Processing jobs from the [orders,default] queue.", ""])
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    for i, p in enumerate(pods):
        name = p["metadata"]["name"]
        restarts(m, ns, name, "queue-worker", kills[i], before=23 + i - len(kills[i]))
        m.gauge("container_memory_working_set_bytes", cadvisor(ns, name, "queue-worker", p["spec"]["nodeName"]), sawtooth(kills[i], 58 * MI, 71 * MI, 50))
        limits(m, ns, name, "queue-worker", p["spec"]["nodeName"], memory=512 * MI)
    m.gauge("laravel_queue_size", {"namespace": ns, "queue": "orders", "job": "storefront-metrics"},
            lambda t: 1200 + int((t - m.start).total_seconds() / 6))
    return {
        "name": "h6-php-queue-worker-segfault-logs-nothing",
        "description": """
The Laravel queue workers (Deployment storefront/storefront-queue, PHP 8.3 with the OpenTelemetry
auto-instrumentation extension) crash about 50 seconds after each start: exit code 139 (SIGSEGV),
reason Error, no stack trace and nothing in the log but the banner. Memory stays at ~70Mi of 512Mi, so
this is not an OOM kill. The orders queue backs up. The evidence supports an application crash loop
of the worker; the segfault itself (a native extension) is not visible in logs.""",
        "sources": ["open-telemetry/opentelemetry-php issue 951 'PHP-FPM child segfault' (Kubernetes pod, otel_instrumentation extension, signal 11), https://github.com/open-telemetry/opentelemetry-php/issues/951",
                    "laravel/framework issue 21029 'SIGSEGV on php-fpm' (segfault inside an APM extension hook), https://github.com/laravel/framework/issues/21029"],
        "now": now,
        "alert": crashloop_alert(ns, pods[0]["metadata"]["name"], "queue-worker", now - timedelta(minutes=25)),
        "expect": {"category": "CrashLoop", "entity": {"namespace": ns, "kind": "Deployment", "name": "storefront-queue"},
                   "mentions": ["139"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def laravel_app_key_blank_after_configmap_edit():
    now = parse("2026-11-14T09:31:00Z")
    ns = "storefront"
    n_old, n_new1, n_new2 = node_name(14, 230), node_name(19, 8), node_name(31, 122)
    nodes = [node(n_old, now, itype="c7i.xlarge", cpu="4", memory="8Gi"),
             node(n_new1, now, itype="c7i.large", cpu="2", memory="4Gi", created_days=0),
             node(n_new2, now, itype="c7i.large", zone="us-west-2b", cpu="2", memory="4Gi", created_days=0)]
    for nn in nodes[1:]:
        nn["metadata"]["creationTimestamp"] = ts(now - timedelta(minutes=27))
    fpm = container_spec("php-fpm", "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/storefront:8.3.14-fpm-otel",
                         cpu_req="300m", mem_req="256Mi", mem_lim="512Mi", ports=[("fastcgi", 9000)],
                         env_from=[{"configMapRef": {"name": "storefront-env"}}, {"secretRef": {"name": "storefront-db"}}])
    web = container_spec("nginx", "public.ecr.aws/nginx/nginx:1.27-alpine", cpu_req="50m", mem_req="32Mi", mem_lim="64Mi",
                         ports=[("http", 8080)], readiness=http_probe("/up", 8080, period=5))
    d = Workload("Deployment", ns, "storefront-web", {"app": "storefront", "component": "web"}, [fpm, web], 4,
                 now - timedelta(days=300), revision=141, selector_keys=["app", "component"])
    h = d.add_rs(141, 4, 4, created=now - timedelta(days=9))
    old = [d.pod(h, i, [running(now - timedelta(days=9)), running(now - timedelta(days=9))], n_old, now - timedelta(days=9)) for i in (0, 1)]
    new = [d.pod(h, i, [running(now - timedelta(minutes=25)), running(now - timedelta(minutes=25))], nn, now - timedelta(minutes=25))
           for i, nn in ((2, n_new1), (3, n_new2))]
    cm = configmap(ns, "storefront-env", {"APP_ENV": "production", "APP_DEBUG": "false", "APP_KEY": "",
                                          "APP_URL": "https://shop.example.com", "CACHE_STORE": "redis",
                                          "SESSION_DRIVER": "redis", "REDIS_HOST": "redis-sessions.data.svc.cluster.local",
                                          "LOG_CHANNEL": "stderr"}, now - timedelta(days=300))
    cm["metadata"]["managedFields"] = [{"manager": "kubectl-edit", "operation": "Update", "apiVersion": "v1",
                                        "time": ts(now - timedelta(hours=3, minutes=12)),
                                        "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:APP_KEY": {}, "f:LOG_CHANNEL": {}}}}]
    svc = service(ns, "storefront-web", {"app": "storefront", "component": "web"}, [("http", 80, 8080)], "172.20.9.210", now - timedelta(days=300))
    ep = endpoints(ns, "storefront-web", old + new, [], [("http", 8080)])
    objs = nodes + d.objects() + old + new + [cm, svc, ep]
    for nn in nodes[1:]:
        objs.append(event("", "Node", nn["metadata"]["name"], nn["metadata"]["uid"], "Registered",
                          "Status condition transitioned, Type: Registered, Status: Unknown -> True, Reason: Registered",
                          now - timedelta(minutes=26), now - timedelta(minutes=26), etype="Normal", component="karpenter"))
    for p in new:
        objs.append(event(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "Scheduled",
                          f"Successfully assigned {ns}/{p['metadata']['name']} to {p['spec']['nodeName']}",
                          now - timedelta(minutes=25), now - timedelta(minutes=25), etype="Normal", component="default-scheduler"))
    err = ('[@LAR@] production.ERROR: No application encryption key has been specified. '
           '{"exception":"[object] (Illuminate\\\\Encryption\\\\MissingAppKeyException(code: 0): No application encryption key has been specified. '
           'at /var/www/html/vendor/laravel/framework/src/Illuminate/Encryption/EncryptionServiceProvider.php:83)')
    logs = {}
    for p in new:
        lines = ["[@FPM@] NOTICE: fpm is running, pid 1", "[@FPM@] NOTICE: ready to handle connections"]
        for k in range(40):
            lines.append(err)
            lines.append("[stacktrace]")
            lines.append("#0 /var/www/html/vendor/laravel/framework/src/Illuminate/Support/helpers.php(399): Illuminate\\Encryption\\EncryptionServiceProvider->{closure}('')")
        logs[(ns, p["metadata"]["name"], "php-fpm", False)] = log_lines(now - timedelta(minutes=25), 12, lines)
        logs[(ns, p["metadata"]["name"], "nginx", False)] = log_lines(now - timedelta(minutes=24), 20, [
            '10.42.3.17 - - [@NGINX@] "GET /cart HTTP/1.1" 500 6628 "-" "Mozilla/5.0" rt=0.041',
            '10.42.3.17 - - [@NGINX@] "GET /up HTTP/1.1" 200 19 "-" "kube-probe/1.31" rt=0.004'] * 30)
    for p in old:
        logs[(ns, p["metadata"]["name"], "nginx", False)] = log_lines(now - timedelta(minutes=24), 20, [
            '10.42.3.17 - - [@NGINX@] "GET /cart HTTP/1.1" 200 18342 "-" "Mozilla/5.0" rt=0.088'] * 40)
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    switch = now - timedelta(minutes=25)
    for p in old + new:
        name = p["metadata"]["name"]
        is_new = p in new
        m.counter("nginx_http_requests", {"namespace": ns, "pod": name, "status": "200", "job": "storefront-web"},
                  (lambda t, n=is_new: 0 if (n and t < switch) else (2.0 if n else 18.0)))
        if is_new:
            m.counter("nginx_http_requests", {"namespace": ns, "pod": name, "status": "500", "job": "storefront-web"},
                      lambda t: 0 if t < switch else 16.0)
        restarts(m, ns, name, "php-fpm", [], before=0)
    return {
        "name": "h6-laravel-blank-app-key-picked-up-by-rescheduled-pods",
        "description": """
storefront-web (PHP-FPM/Laravel behind nginx) serves 500s on about half of its requests. The two pods
that Karpenter rescheduled 25 minutes ago after consolidating a node log
"No application encryption key has been specified" (MissingAppKeyException) on every request that
touches the session; the two older pods are fine. The ConfigMap storefront-env, edited with kubectl
three hours earlier, now has APP_KEY set to an empty string; the old pods still hold the value they
read at start, new pods read the blank one. No rollout happened. Node consolidation is the trigger
that exposed the bad configuration, not the cause.""",
        "sources": ["alexjustesen/speedtest-tracker issue 711 'No Application Encryption Key Error' (MissingAppKeyException in a PHP-FPM container), https://github.com/alexjustesen/speedtest-tracker/issues/711",
                    "cattr-app/server-application issue 68 'No application encryption key has been specified.', https://github.com/cattr-app/server-application/issues/68"],
        "now": now,
        "alert": alert("StorefrontHighErrorRate", {"namespace": ns, "service": "storefront-web", "severity": "critical"},
                       "storefront-web returns 5xx for 44% of requests", now - timedelta(minutes=20),
                       'sum(rate(nginx_http_requests_total{namespace="storefront",status=~"5.."}[5m])) / sum(rate(nginx_http_requests_total{namespace="storefront"}[5m])) > 0.05', 0.44),
        "expect": {"category": "ConfigError", "entity": {"namespace": ns, "kind": "Deployment", "name": "storefront-web"},
                   "mentions": ["encryption key"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def ktor_release_rejects_old_clients():
    now = parse("2026-11-17T13:48:00Z")
    ns = "pricing"
    n1, n2 = node_name(18, 91), node_name(38, 203)
    nodes = [node(n1, now, itype="m7g.xlarge", cpu="4", memory="16Gi"), node(n2, now, itype="m7g.xlarge", zone="us-west-2c", cpu="4", memory="16Gi")]
    for nn in nodes:
        nn["metadata"]["labels"]["kubernetes.io/arch"] = "arm64"
        nn["status"]["nodeInfo"]["architecture"] = "arm64"

    def c(tag):
        return container_spec("pricing-api", f"123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/pricing-api:{tag}",
                              cpu_req="500m", mem_req="512Mi", mem_lim="768Mi", ports=[("http", 8080)],
                              env=[{"name": "JAVA_TOOL_OPTIONS", "value": "-XX:MaxRAMPercentage=70"}],
                              readiness=http_probe("/health/ready", 8080), liveness=http_probe("/health/live", 8080, period=20))
    d = Workload("Deployment", ns, "pricing-api", {"app.kubernetes.io/name": "pricing-api"}, [c("2.13.4")], 4,
                 now - timedelta(days=400), revision=15)
    rollout = now - timedelta(minutes=14)
    h_old = d.add_rs(14, 0, 0, containers=[c("2.13.4")], created=now - timedelta(days=12))
    h_new = d.add_rs(15, 4, 4, containers=[c("2.14.0")], created=rollout)
    d.annotations["kubernetes.io/change-cause"] = "argocd sync pricing-api 2.14.0 (commit 9f3e1c2)"
    pods = [d.pod(h_new, i, [running(rollout + timedelta(seconds=40 + 60 * i))], (n1, n2)[i % 2], rollout + timedelta(seconds=60 * i))
            for i in range(4)]
    svc = service(ns, "pricing-api", {"app.kubernetes.io/name": "pricing-api"}, [("http", 80, 8080)], "172.20.77.5", now - timedelta(days=400))
    ep = endpoints(ns, "pricing-api", pods, [], [("http", 8080)])
    objs = nodes + d.objects() + pods + [svc, ep]
    for k, (msg, t) in enumerate([
            (f"Scaled up replica set pricing-api-{h_new} from 0 to 1", rollout),
            (f"Scaled down replica set pricing-api-{h_old} from 4 to 3", rollout + timedelta(seconds=60)),
            (f"Scaled up replica set pricing-api-{h_new} from 1 to 2", rollout + timedelta(seconds=60)),
            (f"Scaled down replica set pricing-api-{h_old} from 3 to 2", rollout + timedelta(seconds=120)),
            (f"Scaled up replica set pricing-api-{h_new} from 2 to 4", rollout + timedelta(seconds=120)),
            (f"Scaled down replica set pricing-api-{h_old} from 2 to 0", rollout + timedelta(seconds=240))]):
        objs.append(event(ns, "Deployment", "pricing-api", d.uid, "ScalingReplicaSet", msg, t, t, etype="Normal",
                          component="deployment-controller", api="apps/v1"))
    err = ("ERROR io.ktor.server.Application - Unhandled: POST - /v2/quote, io.ktor.server.plugins.BadRequestException: "
           "Failed to convert request body to class shop.pricing.api.QuoteRequest")
    cause = ("Caused by: kotlinx.serialization.MissingFieldException: Field 'currency' is required for type with serial name "
             "'shop.pricing.api.QuoteRequest', but it was missing at path: $")
    logs = {}
    for p in pods:
        lines = ["INFO  ktor.application - Autoreload is disabled because the development mode is off.",
                 "INFO  ktor.application - Application started in 3.912 seconds.",
                 "INFO  ktor.application - Responding at http://0.0.0.0:8080"]
        for _ in range(30):
            lines += [err, cause, "\tat kotlinx.serialization.internal.PluginExceptionsKt.throwMissingFieldException(PluginExceptions.kt:20)",
                      "INFO  io.ktor.server.Application - 200 OK: POST - /v2/quote in 23ms"]
        logs[(ns, p["metadata"]["name"], "pricing-api", False)] = log_lines(rollout + timedelta(minutes=1), 6, lines)
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    m.counter("ktor_http_server_requests_seconds_count", {"namespace": ns, "service": "pricing-api", "route": "/v2/quote", "status": "200", "job": "pricing-api"},
              lambda t: 310.0 if t < rollout else 120.0)
    m.counter("ktor_http_server_requests_seconds_count", {"namespace": ns, "service": "pricing-api", "route": "/v2/quote", "status": "400", "job": "pricing-api"},
              lambda t: 0.2 if t < rollout else min(190.0, 190.0 * (t - rollout).total_seconds() / 240))
    m.gauge("kube_deployment_status_observed_generation", {"namespace": ns, "deployment": "pricing-api", "job": "kube-state-metrics"},
            lambda t: 14 if t < rollout else 15)
    return {
        "name": "h6-ktor-release-rejects-requests-from-older-clients",
        "description": """
pricing-api (Kotlin/Ktor) was rolled out to 2.14.0 fourteen minutes ago (revision 15, new ReplicaSet,
old one scaled to 0). From the first new pod on, ~60% of POST /v2/quote calls fail with
BadRequestException caused by kotlinx.serialization.MissingFieldException: the new QuoteRequest makes
'currency' required and the cart service still sends the old body. Pods are healthy and ready; the
failure started exactly with the rollout.""",
        "sources": ["danger/kotlin issue 145 'Field approvals_before_merge is required, but it was missing' (after updating to the newest version, MissingFieldException on payloads that lack the new field), https://github.com/danger/kotlin/issues/145"],
        "now": now,
        "alert": alert("PricingApiClientErrors", {"namespace": ns, "service": "pricing-api", "severity": "critical"},
                       "pricing-api rejects 61% of /v2/quote requests", now - timedelta(minutes=9),
                       'sum(rate(ktor_http_server_requests_seconds_count{service="pricing-api",status=~"4..|5.."}[5m])) / sum(rate(ktor_http_server_requests_seconds_count{service="pricing-api"}[5m])) > 0.1', 0.61),
        "expect": {"category": "BadDeploy", "entity": {"namespace": ns, "kind": "Deployment", "name": "pricing-api"},
                   "mentions": ["2.14.0", "MissingFieldException"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


CASES = [fluent_bit_oom, istio_sidecar_oom, dotnet_server_gc_oom_with_staging_pull_error, php_worker_segfault_no_logs,
         laravel_app_key_blank_after_configmap_edit, ktor_release_rejects_old_clients]
