"""Incidents about capacity and storage: full volumes, a cache at its
maxmemory, a node out of disk, CPU quota, load beyond the autoscaler,
volumes and node pools that keep pods Pending, images a node may not pull,
a spend jump, a probe that kills a slow starter and a broker upgrade."""

from datetime import timedelta

from common import crashloop_alert, statefulset_mismatch_alert, GI, MI, backoff_events, cadvisor, crashloop_message, ksm, limits, restarts, sawtooth
from kit import (Metrics, Workload, alert, configmap, container_spec, endpoints, event, event_series, http_probe,
                 log_lines, node, node_name, parse, pv, pvc, running, service, tcp_probe, terminated, ts, uid, waiting)

ECR = "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/"


def _client(ns, name, tag, nodes_, now, replicas=2, ready=True):
    c = container_spec(name, f"{ECR}{name}:{tag}", cpu_req="250m", mem_req="512Mi", mem_lim="1Gi", ports=[("http", 8080)],
                       readiness=http_probe("/health/ready", 8080))
    d = Workload("Deployment", ns, name, {"app.kubernetes.io/name": name}, [c], replicas, now - timedelta(days=90), revision=8)
    h = d.add_rs(8, replicas, replicas if ready else 0, created=now - timedelta(days=5))
    pods = [d.pod(h, i, [running(now - timedelta(days=5), ready=ready)], nodes_[i % len(nodes_)], now - timedelta(days=5))
            for i in range(replicas)]
    return d, pods


def redis_sessions_at_maxmemory():
    now = parse("2026-11-27T18:40:00Z")
    ns_r, ns = "data", "checkout"
    n1, n2 = node_name(9, 14), node_name(24, 201)
    nodes = [node(n1, now, itype="r6i.large", cpu="2", memory="16Gi", pool="memory"), node(n2, now, itype="m6i.xlarge", zone="us-west-2b")]
    rc = container_spec("redis", "public.ecr.aws/docker/library/redis:7.2.5", cpu_req="500m", mem_req="3Gi", mem_lim="3Gi",
                        ports=[("redis", 6379)], args=["--maxmemory", "2gb", "--maxmemory-policy", "noeviction", "--appendonly", "no"],
                        readiness=tcp_probe(6379, period=5))
    ex = container_spec("metrics", "quay.io/oliver006/redis_exporter:v1.62.0", cpu_req="20m", mem_req="32Mi", mem_lim="64Mi", ports=[("metrics", 9121)])
    sts = Workload("StatefulSet", ns_r, "redis-sessions", {"app.kubernetes.io/name": "redis-sessions"}, [rc, ex], 1, now - timedelta(days=400),
                   revision=3, service_name="redis-sessions-headless")
    sts.status = {"readyReplicas": 1, "availableReplicas": 1, "currentReplicas": 1, "updatedReplicas": 1}
    rp = sts.pod(0, None, [running(now - timedelta(days=33)), running(now - timedelta(days=33))], n1, now - timedelta(days=33))
    svc = service(ns_r, "redis-sessions", {"app.kubernetes.io/name": "redis-sessions"}, [("redis", 6379, 6379)], "172.20.19.200", now - timedelta(days=400))
    ep = endpoints(ns_r, "redis-sessions", [rp], [], [("redis", 6379)])
    app, apods = _client(ns, "cart-api", "4.4.0", [n2], now, replicas=3)
    objs = nodes + sts.objects() + [rp, svc, ep] + app.objects() + apods
    logs = {(ns_r, rp["metadata"]["name"], "redis", False): log_lines(now - timedelta(hours=2), 600, [
        "1:M @REDIS@ * 100 changes in 300 seconds. Saving...",
        "1:M @REDIS@ * Background saving started by pid 8812",
        "8812:C @REDIS@ * DB saved on disk",
        "1:M @REDIS@ * Background saving terminated with success"] * 3)}
    for p in apods:
        logs[(ns, p["metadata"]["name"], "cart-api", False)] = log_lines(now - timedelta(minutes=24), 10, [
            "@SP@ ERROR [lettuce-nioEventLoop-4-1] SessionStore - write session failed: io.lettuce.core.RedisCommandExecutionException: OOM command not allowed when used memory > 'maxmemory'.",
            "@SP@ ERROR [eventLoopGroupProxy-4-2] Application - 500 Internal Server Error: POST - /v1/cart/items in 4ms",
            "@SP@ INFO  [eventLoopGroupProxy-4-1] Application - 200 OK: GET - /v1/cart in 3ms"] * 45)
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    t0 = now - timedelta(minutes=24)
    lab = {"namespace": ns_r, "pod": rp["metadata"]["name"], "job": "redis-exporter", "instance": "redis-sessions-0:9121"}
    m.gauge("redis_memory_max_bytes", lab, lambda t: 2 * GI)
    m.gauge("redis_memory_used_bytes", lab, lambda t: min(2 * GI + 3 * MI, int(1.93 * GI + (t - m.start).total_seconds() * 50000)))
    m.gauge("redis_db_keys", {**lab, "db": "db0"}, lambda t: 4100000 + int((t - m.start).total_seconds() * 20))
    m.gauge("redis_db_keys_expiring", {**lab, "db": "db0"}, lambda t: 0)
    m.counter("redis_rejected_calls", {**lab, "cmd": "set"}, lambda t: 0 if t < t0 else 48.0)
    m.gauge("container_memory_working_set_bytes", cadvisor(ns_r, rp["metadata"]["name"], "redis", n1), lambda t: int(2.21 * GI))
    limits(m, ns_r, rp["metadata"]["name"], "redis", n1, memory=3 * GI)
    restarts(m, ns_r, rp["metadata"]["name"], "redis", [], before=0)
    return {
        "name": "h6-redis-sessions-at-maxmemory-noeviction",
        "description": """
cart-api (Kotlin, Lettuce) fails cart writes with "OOM command not allowed when used memory >
'maxmemory'". That is Redis refusing writes, not a container kill: the redis-sessions StatefulSet runs
with --maxmemory 2gb and maxmemory-policy noeviction, used memory sits at the 2 GiB cap, its 4.1 million
session keys have no TTL, and the container uses 2.2Gi of its 3Gi limit with zero restarts. The
exhausted resource is the session store.""",
        "sources": ["redis/redis issue 2746 'OOM command not allowed when used memory > maxmemory', https://github.com/redis/redis/issues/2746",
                    "rhubarbgroup/redis-cache issue 530 (OOM command not allowed; set a maxmemory-policy), https://github.com/rhubarbgroup/redis-cache/issues/530"],
        "now": now,
        "alert": alert("CartApiErrors", {"namespace": ns, "service": "cart-api", "severity": "critical"},
                       "cart-api 5xx ratio is 33%", now - timedelta(minutes=19),
                       'sum(rate(ktor_http_server_requests_seconds_count{service="cart-api",status=~"5.."}[5m])) / sum(rate(ktor_http_server_requests_seconds_count{service="cart-api"}[5m])) > 0.05', 0.33),
        "expect": {"category": "ResourceExhaustion", "entity": {"namespace": ns_r, "kind": "StatefulSet", "name": "redis-sessions"},
                   "mentions": ["maxmemory"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def mongodb_volume_full():
    now = parse("2026-11-28T06:12:00Z")
    ns_m, ns = "data", "reviews"
    n1, n2, n3 = node_name(8, 33), node_name(22, 97), node_name(41, 180)
    nodes = [node(n1, now, itype="r6i.xlarge", memory="32Gi", pool="stateful"), node(n2, now, itype="r6i.xlarge", zone="us-west-2b", memory="32Gi", pool="stateful"),
             node(n3, now, itype="m6i.xlarge", zone="us-west-2c")]
    mc = container_spec("mongod", "docker.io/mongo:7.0.14", cpu_req="1", mem_req="4Gi", mem_lim="8Gi", ports=[("mongodb", 27017)],
                        args=["--replSet", "rs0", "--bind_ip_all", "--wiredTigerCacheSizeGB", "3"],
                        volume_mounts=[{"name": "datadir", "mountPath": "/data/db"}], readiness=tcp_probe(27017))
    sts = Workload("StatefulSet", ns_m, "mongodb", {"app.kubernetes.io/name": "mongodb"}, [mc], 2, now - timedelta(days=500), revision=7,
                   volume_claims=[("datadir", "100Gi", "gp3")], service_name="mongodb-headless")
    sts.status = {"readyReplicas": 1, "availableReplicas": 1, "currentReplicas": 2, "updatedReplicas": 2}
    # mongod dies six seconds after each start; the back-off is at its 5-minute cap.
    kills = [now - timedelta(seconds=s) for s in (1530, 1224, 918, 612, 306)]
    p0 = sts.pod(0, None, [waiting("CrashLoopBackOff", crashloop_message(ns_m, "mongodb-0", "mongod"), restarts=9,
                             last=("Error", 14, kills[-1] - timedelta(seconds=6), kills[-1]))], n1, now - timedelta(days=40))
    p1 = sts.pod(1, None, [running(now - timedelta(days=40))], n2, now - timedelta(days=40))
    pvcs, pvs = [], []
    for i, (p, zone) in enumerate(((p0, "us-west-2a"), (p1, "us-west-2b"))):
        claim = f"datadir-mongodb-{i}"
        vol = f"pvc-{uid('pvc', ns_m, claim)}"
        pvcs.append(pvc(ns_m, claim, "100Gi", "gp3", "Bound", now - timedelta(days=500), volume=vol, labels={"app.kubernetes.io/name": "mongodb"}))
        pvs.append(pv(vol, ns_m, claim, "100Gi", "gp3", zone, now - timedelta(days=500)))
    svc = service(ns_m, "mongodb", {"app.kubernetes.io/name": "mongodb"}, [("mongodb", 27017, 27017)], "172.20.66.7", now - timedelta(days=500))
    ep = endpoints(ns_m, "mongodb", [p1], [p0], [("mongodb", 27017)])
    app, apods = _client(ns, "reviews-api", "3.3.1", [n3], now, replicas=2)
    objs = nodes + sts.objects() + [p0, p1] + pvcs + pvs + [svc, ep] + app.objects() + apods
    objs.append(backoff_events(ns_m, p0, "mongod", now - timedelta(minutes=32), now - timedelta(seconds=40), 21, n1))
    mlog = [
        '{"t":{"$date":"@MONGO@"},"s":"I",  "c":"CONTROL",  "id":4615611, "ctx":"initandlisten","msg":"MongoDB starting","attr":{"pid":1,"port":27017,"dbPath":"/data/db","architecture":"64-bit","host":"mongodb-0"}}',
        '{"t":{"$date":"@MONGO@"},"s":"I",  "c":"STORAGE",  "id":22315,   "ctx":"initandlisten","msg":"Opening WiredTiger","attr":{"config":"create,cache_size=3072M,session_max=33000,eviction=(threads_min=4,threads_max=4)"}}',
        '{"t":{"$date":"@MONGO@"},"s":"E",  "c":"WT",       "id":22435,   "ctx":"initandlisten","msg":"WiredTiger error message","attr":{"error":28,"message":{"ts_sec":1795932464,"thread":"1:0x7f3c2a1e6c80","session_name":"connection","category":"WT_VERB_DEFAULT","verbose_level":"ERROR","msg":"__posix_file_write:616:/data/db/journal/WiredTigerTmplog.0000000001: handle-write: pwrite: failed to write 128 bytes at offset 0","error_str":"No space left on device","error_code":28}}}',
        '{"t":{"$date":"@MONGO@"},"s":"F",  "c":"STORAGE",  "id":28595,   "ctx":"initandlisten","msg":"Terminating.","attr":{"reason":"28: No space left on device"}}',
        '{"t":{"$date":"@MONGO@"},"s":"F",  "c":"ASSERT",   "id":23091,   "ctx":"initandlisten","msg":"Fatal assertion","attr":{"msgid":28595,"file":"src/mongo/db/storage/wiredtiger/wiredtiger_kv_engine.cpp","line":719}}',
        '{"t":{"$date":"@MONGO@"},"s":"F",  "c":"ASSERT",   "id":23092,   "ctx":"initandlisten","msg":"\\n\\n***aborting after fassert() failure\\n\\n"}']
    logs = {(ns_m, "mongodb-0", "mongod", False): log_lines(kills[-1] - timedelta(seconds=6), 1, mlog),
            (ns_m, "mongodb-0", "mongod", True): log_lines(kills[-2] - timedelta(seconds=6), 1, mlog),
            (ns_m, "mongodb-1", "mongod", False): log_lines(now - timedelta(minutes=30), 20, [
                '{"t":{"$date":"@MONGO@"},"s":"I",  "c":"REPL",     "id":21358,   "ctx":"ReplCoord-7","msg":"Replica set state transition","attr":{"newState":"SECONDARY","oldState":"SECONDARY"}}',
                '{"t":{"$date":"@MONGO@"},"s":"I",  "c":"ELECTION", "id":4615655, "ctx":"ReplCoord-9","msg":"Not starting an election, since we are not electable","attr":{"reason":"Not standing for election because member is not currently a secondary; member is more than 10 seconds behind the most up-to-date member (mask 0x80)"}}'] * 20)}
    for p in apods:
        logs[(ns, p["metadata"]["name"], "reviews-api", False)] = log_lines(now - timedelta(minutes=30), 20, [
            "@SP@ ERROR [DefaultDispatcher-worker-4] ReviewRepository - com.mongodb.MongoTimeoutException: Timed out after 30000 ms while waiting for a server that matches WritableServerSelector. Client view of cluster state is {type=REPLICA_SET, servers=[{address=mongodb-0.mongodb-headless.data.svc:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}}, {address=mongodb-1.mongodb-headless.data.svc:27017, type=REPLICA_SET_SECONDARY}]"] * 40)
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    for i in range(2):
        lab = {"namespace": ns_m, "persistentvolumeclaim": f"datadir-mongodb-{i}", "job": "kubelet", "metrics_path": "/metrics"}
        m.gauge("kubelet_volume_stats_capacity_bytes", lab, lambda t: 105089261568)
        if i == 0:
            m.gauge("kubelet_volume_stats_available_bytes", lab,
                    lambda t: max(0, int(1.1 * GI - (t - m.start).total_seconds() * 900000)), end=kills[0])
        else:
            m.gauge("kubelet_volume_stats_available_bytes", lab, lambda t: int(31 * GI))
    restarts(m, ns_m, "mongodb-0", "mongod", kills, before=4)
    return {
        "name": "h6-mongodb-primary-volume-full-wiredtiger-enospc",
        "description": """
reviews-api (Kotlin) cannot write: MongoTimeoutException waiting for a writable server. The replica set
primary mongodb-0 crash-loops with exit code 14 right after start because WiredTiger cannot write its
journal, "No space left on device", and its 100Gi volume datadir-mongodb-0 ran down to zero free bytes
(volume stats stop when the pod stops). mongodb-1 is a lagging secondary that will not stand for
election. The responsible object is the full PersistentVolumeClaim.""",
        "sources": ["keptn/examples issue 144 (carts-db MongoDB pod crashes with WiredTiger error 28 No space left on device until the PVC is enlarged), https://github.com/keptn/examples/issues/144"],
        "now": now,
        "alert": alert("ReviewsApiErrors", {"namespace": ns, "service": "reviews-api", "severity": "critical"},
                       "reviews-api write error ratio is 100%", now - timedelta(minutes=26),
                       'sum(rate(reviews_write_errors_total[5m])) / sum(rate(reviews_write_requests_total[5m])) > 0.05', 1),
        "expect": {"category": "ResourceExhaustion", "entity": {"namespace": ns_m, "kind": "PersistentVolumeClaim", "name": "datadir-mongodb-0"},
                   "mentions": ["No space left on device"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def rabbitmq_disk_alarm_blocks_publishers():
    now = parse("2026-11-29T11:05:00Z")
    ns_q, ns = "messaging", "orders"
    n1, n2, n3 = node_name(6, 12), node_name(20, 140), node_name(37, 222)
    nodes = [node(n1, now, itype="m6i.large", cpu="2", memory="8Gi", pool="stateful"),
             node(n2, now, itype="m6i.large", zone="us-west-2b", cpu="2", memory="8Gi", pool="stateful"),
             node(n3, now, itype="m6i.large", zone="us-west-2c", cpu="2", memory="8Gi", pool="stateful")]
    rc = container_spec("rabbitmq", "docker.io/rabbitmq:3.13.7-management", cpu_req="500m", mem_req="2Gi", mem_lim="2Gi",
                        ports=[("amqp", 5672), ("management", 15672), ("prometheus", 15692)], readiness=tcp_probe(5672),
                        volume_mounts=[{"name": "data", "mountPath": "/var/lib/rabbitmq/mnesia"}],
                        env=[{"name": "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "value": "-rabbit disk_free_limit {absolute,2147483648}"}])
    sts = Workload("StatefulSet", ns_q, "rabbitmq", {"app.kubernetes.io/name": "rabbitmq"}, [rc], 3, now - timedelta(days=300), revision=5,
                   volume_claims=[("data", "20Gi", "gp3")], service_name="rabbitmq-nodes")
    sts.status = {"readyReplicas": 3, "availableReplicas": 3, "currentReplicas": 3, "updatedReplicas": 3}
    qp = [sts.pod(i, None, [running(now - timedelta(days=12))], (n1, n2, n3)[i], now - timedelta(days=12)) for i in range(3)]
    pvcs, pvs = [], []
    for i in range(3):
        claim = f"data-rabbitmq-{i}"
        vol = f"pvc-{uid('pvc', ns_q, claim)}"
        pvcs.append(pvc(ns_q, claim, "20Gi", "gp3", "Bound", now - timedelta(days=300), volume=vol))
        pvs.append(pv(vol, ns_q, claim, "20Gi", "gp3", ("us-west-2a", "us-west-2b", "us-west-2c")[i], now - timedelta(days=300)))
    cons = container_spec("order-events-consumer", f"{ECR}order-events-consumer:1.12.0", cpu_req="100m", mem_req="256Mi", mem_lim="512Mi")
    cd = Workload("Deployment", ns, "order-events-consumer", {"app.kubernetes.io/name": "order-events-consumer"}, [cons], 0,
                  now - timedelta(days=200), revision=14)
    ch = cd.add_rs(14, 0, 0, created=now - timedelta(days=20))
    app, apods = _client(ns, "order-service", "6.0.3", [n1, n2], now, replicas=2)
    objs = nodes + sts.objects() + qp + pvcs + pvs + cd.objects() + app.objects() + apods
    objs.append(event(ns, "Deployment", "order-events-consumer", cd.uid, "ScalingReplicaSet",
                      f"Scaled down replica set order-events-consumer-{ch} from 2 to 0", now - timedelta(hours=5, minutes=40),
                      now - timedelta(hours=5, minutes=40), etype="Normal", component="deployment-controller", api="apps/v1"))
    alarm_at = now - timedelta(minutes=21)
    logs = {(ns_q, "rabbitmq-1", "rabbitmq", False): log_lines(alarm_at - timedelta(minutes=5), 0.001, [
        (0, "@RMQ@ [info] <0.612.0> Free disk space is insufficient soon: 2.61 GiB free, limit 2.0 GiB"),
        (299.9, "@RMQ@ [warning] <0.612.0> Free disk space is insufficient. Free bytes: 2146009088. Limit: 2147483648"),
        (300.0, "@RMQ@ [warning] <0.608.0> disk resource limit alarm set on node 'rabbit@rabbitmq-1.rabbitmq-nodes.messaging'."),
        (300.01, "@RMQ@ [warning] <0.608.0> "),
        (300.02, "@RMQ@ [warning] <0.608.0> **********************************************************"),
        (300.03, "@RMQ@ [warning] <0.608.0> *** Publishers will be blocked until this alarm clears ***"),
        (300.04, "@RMQ@ [warning] <0.608.0> **********************************************************")])}
    for p in apods:
        logs[(ns, p["metadata"]["name"], "order-service", False)] = log_lines(alarm_at, 15, [
            "@SP@ WARN  [AMQP Connection 172.20.90.5:5672] OrderEventsPublisher - connection blocked by broker: low on disk",
            "@SP@ ERROR [eventLoopGroupProxy-4-2] OrderEventsPublisher - publish timed out after 30000 ms (exchange=orders, routingKey=order.created)",
            "@SP@ ERROR [eventLoopGroupProxy-4-2] Application - 503 Service Unavailable: POST - /v1/orders in 30004ms"] * 25)
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    for i in range(3):
        lab = {"namespace": ns_q, "persistentvolumeclaim": f"data-rabbitmq-{i}", "job": "kubelet", "metrics_path": "/metrics"}
        m.gauge("kubelet_volume_stats_capacity_bytes", lab, lambda t: 21003583488)
        if i == 1:
            m.gauge("kubelet_volume_stats_available_bytes", lab, lambda t: max(int(1.9 * GI), int(2.9 * GI - (t - m.start).total_seconds() * 480000)))
        else:
            m.gauge("kubelet_volume_stats_available_bytes", lab, lambda t: int(14.2 * GI))
    for i in range(3):
        m.gauge("rabbitmq_alarms_free_disk_space_watermark", {"namespace": ns_q, "pod": f"rabbitmq-{i}", "job": "rabbitmq"},
                (lambda t, i=i: 1 if (i == 1 and t >= alarm_at) else 0))
    m.gauge("rabbitmq_queue_messages_ready", {"namespace": ns_q, "pod": "rabbitmq-1", "queue": "order-events", "vhost": "/", "job": "rabbitmq"},
            lambda t: 2400000 + int((min(t, alarm_at) - m.start).total_seconds() * 300))
    return {
        "name": "h6-rabbitmq-disk-alarm-blocks-all-publishers",
        "description": """
order-service (Kotlin) times out publishing order events and returns 503. Its connection is blocked by
the broker: rabbitmq-1 raised the disk resource limit alarm ("Publishers will be blocked until this
alarm clears") when free space on its volume data-rabbitmq-1 fell below the 2 GiB disk_free_limit,
which blocks publishers cluster-wide. The queue order-events holds 2.4 million ready messages because its
consumer Deployment was scaled to 0 five hours ago and nobody scaled it back; that is why the volume
filled. What is exhausted now is that PersistentVolumeClaim.""",
        "sources": ["rabbitmq/rabbitmq-server issue 1986 (disk resource limit alarm set on node ... Publishers will be blocked until this alarm clears), https://github.com/rabbitmq/rabbitmq-server/issues/1986",
                    "rabbitmq/rabbitmq-server issue 2225 'Add Error Logging When Low on Storage' (clients hang on send when the broker is low on storage), https://github.com/rabbitmq/rabbitmq-server/issues/2225"],
        "now": now,
        "alert": alert("OrderServicePublishFailures", {"namespace": ns, "service": "order-service", "severity": "critical"},
                       "order-service cannot publish order events", now - timedelta(minutes=17),
                       'sum(rate(order_events_publish_failures_total[5m])) > 1', 12.4),
        "expect": {"category": "ResourceExhaustion", "entity": {"namespace": ns_q, "kind": "PersistentVolumeClaim", "name": "data-rabbitmq-1"},
                   "mentions": ["disk"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def rabbitmq_upgrade_missing_feature_flag():
    now = parse("2026-11-30T21:25:00Z")
    ns = "events"
    n1, n2, n3 = node_name(7, 45), node_name(19, 118), node_name(35, 9)
    nodes = [node(n1, now, itype="m6i.large", cpu="2", memory="8Gi", pool="stateful"),
             node(n2, now, itype="m6i.large", zone="us-west-2b", cpu="2", memory="8Gi", pool="stateful"),
             node(n3, now, itype="m6i.large", zone="us-west-2c", cpu="2", memory="8Gi", pool="stateful")]
    old_c = container_spec("rabbitmq", "docker.io/rabbitmq:3.11.28-management", cpu_req="500m", mem_req="2Gi", mem_lim="2Gi",
                           ports=[("amqp", 5672)], readiness=tcp_probe(5672))
    new_c = dict(old_c, image="docker.io/rabbitmq:3.12.14-management")
    sts = Workload("StatefulSet", ns, "rabbitmq-events", {"app.kubernetes.io/name": "rabbitmq-events"}, [new_c], 3, now - timedelta(days=700),
                   revision=9, volume_claims=[("data", "20Gi", "gp3")], service_name="rabbitmq-events-nodes")
    old_rev, new_rev = "rabbitmq-events-6d8c7f9b5d", "rabbitmq-events-7b9f6c4d88"
    sts.status = {"readyReplicas": 2, "availableReplicas": 2, "currentReplicas": 2, "updatedReplicas": 1,
                  "currentRevision": old_rev, "updateRevision": new_rev}
    kills = [now - timedelta(seconds=s) for s in (1290, 984, 678, 372)]
    pods = []
    for i in range(3):
        if i == 2:
            st = waiting("CrashLoopBackOff", crashloop_message(ns, "rabbitmq-events-2", "rabbitmq"), restarts=6,
                         last=("Error", 1, kills[-1] - timedelta(seconds=9), kills[-1]))
            p = sts.pod(i, None, [st], (n1, n2, n3)[i], now - timedelta(minutes=26), containers=[new_c])
            p["metadata"]["labels"]["controller-revision-hash"] = new_rev
        else:
            p = sts.pod(i, None, [running(now - timedelta(days=30))], (n1, n2, n3)[i], now - timedelta(days=30), containers=[old_c])
            p["metadata"]["labels"]["controller-revision-hash"] = old_rev
        pods.append(p)
    crs = []
    for rev, name, c in ((8, old_rev, old_c), (9, new_rev, new_c)):
        crs.append({"apiVersion": "apps/v1", "kind": "ControllerRevision", "revision": rev,
                    "metadata": {"name": name, "namespace": ns, "uid": uid("cr", ns, name),
                                 "creationTimestamp": ts(now - timedelta(days=30) if rev == 8 else now - timedelta(minutes=26)),
                                 "labels": {"app.kubernetes.io/name": "rabbitmq-events", "controller.kubernetes.io/hash": name.rsplit("-", 1)[1]},
                                 "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "rabbitmq-events", "uid": sts.uid,
                                                      "controller": True, "blockOwnerDeletion": True}]},
                    "data": {"spec": {"template": {"spec": {"containers": [{"name": "rabbitmq", "image": c["image"]}]}}}}})
    pub, ppods = _client("notifications", "notifier", "2.7.0", [n1], now, replicas=2)
    objs = nodes + sts.objects() + pods + crs + pub.objects() + ppods
    objs.append(backoff_events(ns, pods[2], "rabbitmq", now - timedelta(minutes=23), now - timedelta(seconds=50), 15, n3))
    objs.append(event(ns, "StatefulSet", "rabbitmq-events", sts.uid, "SuccessfulDelete", "delete Pod rabbitmq-events-2 in StatefulSet rabbitmq-events successful",
                      now - timedelta(minutes=26), now - timedelta(minutes=26), etype="Normal", component="statefulset-controller", api="apps/v1"))
    boot = ["@RMQ@ [notice] <0.44.0> Application syslog exited with reason: stopped",
            "@RMQ@ [info] <0.230.0> Feature flags: list of feature flags found:",
            "@RMQ@ [info] <0.230.0> Feature flags:   [ ] classic_queue_type_delivery_support",
            "@RMQ@ [info] <0.230.0> Feature flags:   [x] implicit_default_bindings",
            "@RMQ@ [info] <0.230.0> Feature flags:   [x] quorum_queue",
            "@RMQ@ [error] <0.230.0> Feature flags: `classic_queue_type_delivery_support`: required feature flag not enabled! It must be enabled before upgrading RabbitMQ.",
            "@RMQ@ [error] <0.230.0> Failed to initialize feature flags registry: {disabled_required_feature_flag,",
            "@RMQ@ [error] <0.230.0>                                               classic_queue_type_delivery_support}",
            "@RMQ@ [error] <0.230.0> ",
            "@RMQ@ [error] <0.230.0> BOOT FAILED",
            "@RMQ@ [error] <0.230.0> ===========",
            "@RMQ@ [error] <0.230.0> Error during startup: {error,failed_to_initialize_feature_flags_registry}"]
    logs = {(ns, "rabbitmq-events-2", "rabbitmq", False): log_lines(kills[-1] - timedelta(seconds=9), 0.3, boot),
            (ns, "rabbitmq-events-2", "rabbitmq", True): log_lines(kills[-2] - timedelta(seconds=9), 0.3, boot),
            (ns, "rabbitmq-events-0", "rabbitmq", False): log_lines(now - timedelta(minutes=25), 60, [
                "@RMQ@ [info] <0.1322.0> rabbit on node 'rabbit@rabbitmq-events-2.rabbitmq-events-nodes.events' down",
                "@RMQ@ [info] <0.1322.0> Keeping rabbit@rabbitmq-events-2.rabbitmq-events-nodes.events listeners: the node is already back"] * 6)}
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    restarts(m, ns, "rabbitmq-events-2", "rabbitmq", kills, before=2)
    m.gauge("kube_statefulset_status_replicas_ready", {"namespace": ns, "statefulset": "rabbitmq-events", "job": "kube-state-metrics"},
            lambda t: 3 if t < now - timedelta(minutes=26) else 2)
    return {
        "name": "h6-rabbitmq-upgrade-fails-required-feature-flag",
        "description": """
A chart upgrade moved the rabbitmq-events StatefulSet from RabbitMQ 3.11.28 to 3.12.14 (update revision
rabbitmq-events-7b9f6c4d88). The rolling update replaced the highest ordinal first and rabbitmq-events-2
now fails to boot: "Feature flags: `classic_queue_type_delivery_support`: required feature flag not
enabled! It must be enabled before upgrading RabbitMQ." The two pods still on the old revision run; the
rollout is stuck. The new revision, not the broker's data or the node, introduced the failure.""",
        "sources": ["docker-library/rabbitmq issue 661 'Failed to upgrade Rabbitmq from 3.10.8 to 3.12.3' (required feature flag classic_queue_type_delivery_support not enabled), https://github.com/docker-library/rabbitmq/issues/661",
                    "rabbitmq/rabbitmq-server issue 10199 (node does not start after the upgrade: required feature flag not enabled, BOOT FAILED), https://github.com/rabbitmq/rabbitmq-server/issues/10199"],
        "now": now,
        "alert": crashloop_alert(ns, "rabbitmq-events-2", "rabbitmq", now - timedelta(minutes=12)),
        "expect": {"category": "BadDeploy", "entity": {"namespace": ns, "kind": "StatefulSet", "name": "rabbitmq-events"},
                   "mentions": ["feature flag", "3.12.14"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def node_disk_pressure_image_bloat():
    now = parse("2026-12-01T03:10:00Z")
    bad, ok = node_name(9, 33), node_name(27, 80)
    since = now - timedelta(minutes=23)
    nodes = [node(bad, now, itype="g5.xlarge", cpu="4", memory="16Gi", pool="ml",
                  pressure={"DiskPressure": (since, "kubelet has disk pressure")},
                  taints=[{"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule", "timeAdded": ts(since)}]),
             node(ok, now, itype="m6i.xlarge", zone="us-west-2b")]
    ns = "search"
    c = container_spec("search-api", f"{ECR}search-api:5.2.1", cpu_req="250m", mem_req="512Mi", mem_lim="1Gi", ports=[("http", 8080)])
    d = Workload("Deployment", ns, "search-api", {"app.kubernetes.io/name": "search-api"}, [c], 3, now - timedelta(days=90), revision=8)
    h = d.add_rs(8, 3, 2, created=now - timedelta(days=4))
    evicted = d.pod(h, 0, None, bad, now - timedelta(days=4), phase="Failed", reason="Evicted",
                    message="The node was low on resource: ephemeral-storage. Threshold quantity: 4019957248, available: 3561472Ki. ",
                    conditions=[{"type": "DisruptionTarget", "status": "True", "reason": "TerminationByKubelet",
                                 "message": "The node was low on resource: ephemeral-storage.", "lastTransitionTime": ts(since + timedelta(minutes=2))},
                                {"type": "Ready", "status": "False", "lastTransitionTime": ts(since + timedelta(minutes=2))}])
    evicted["status"]["containerStatuses"] = [{"name": "search-api", "image": c["image"], "ready": False, "restartCount": 0, "started": False,
                                               "state": {"terminated": {"exitCode": 137, "reason": "ContainerStatusUnknown",
                                                                        "message": "The container could not be located when the pod was terminated",
                                                                        "startedAt": ts(now - timedelta(days=4)), "finishedAt": ts(since + timedelta(minutes=2))}},
                                               "lastState": {}}]
    live = [d.pod(h, i, [running(now - timedelta(days=4) if i == 1 else since + timedelta(minutes=3))], ok, now - timedelta(days=4) if i == 1 else since + timedelta(minutes=2))
            for i in (1, 2)]
    mlc = container_spec("embedder", f"{ECR}ml/embedder:2026.11.30-cuda12", cpu_req="2", mem_req="8Gi", mem_lim="12Gi")
    ml = Workload("Deployment", "ml", "embedder", {"app.kubernetes.io/name": "embedder"}, [mlc], 1, now - timedelta(days=60), revision=41)
    mh = ml.add_rs(41, 1, 1, created=now - timedelta(hours=2))
    mlp = ml.pod(mh, 0, [running(now - timedelta(minutes=50))], bad, now - timedelta(hours=1))
    objs = nodes + d.objects() + [evicted] + live + ml.objects() + [mlp]
    objs.append(event("", "Node", bad, nodes[0]["metadata"]["uid"], "NodeHasDiskPressure", f"Node {bad} status is now: NodeHasDiskPressure",
                      since, since, etype="Normal", host=bad))
    objs.append(event("", "Node", bad, nodes[0]["metadata"]["uid"], "EvictionThresholdMet", "Attempting to reclaim ephemeral-storage",
                      since, now - timedelta(minutes=1), count=14, host=bad))
    objs.append(event("", "Node", bad, nodes[0]["metadata"]["uid"], "FreeDiskSpaceFailed",
                      "Failed to garbage collect required amount of images. Attempted to free 9868148326 bytes, but only found 0 bytes eligible to free.",
                      since, now - timedelta(minutes=3), count=5, host=bad))
    objs.append(event(ns, "Pod", evicted["metadata"]["name"], evicted["metadata"]["uid"], "Evicted",
                      "The node was low on resource: ephemeral-storage. Threshold quantity: 4019957248, available: 3561472Ki. ",
                      since + timedelta(minutes=2), since + timedelta(minutes=2), host=bad))
    logs = {(ns, p["metadata"]["name"], "search-api", False): log_lines(since + timedelta(minutes=3), 30, [
        "@SP@ INFO  [eventLoopGroupProxy-4-1] Application - 200 OK: GET - /v1/search in 61ms"] * 20) for p in live}
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    m.gauge("kube_node_status_condition", {"node": bad, "condition": "DiskPressure", "status": "true", "job": "kube-state-metrics"},
            lambda t: 1 if t >= since else 0)
    m.gauge("node_filesystem_avail_bytes", {"instance": bad, "mountpoint": "/local", "device": "/dev/nvme1n1p1", "fstype": "xfs", "job": "node-exporter"},
            lambda t: max(int(3.3 * GI), int(9 * GI - (t - m.start).total_seconds() * 2500000)))
    m.gauge("node_filesystem_size_bytes", {"instance": bad, "mountpoint": "/local", "device": "/dev/nvme1n1p1", "fstype": "xfs", "job": "node-exporter"},
            lambda t: 80 * GI)
    m.gauge("kube_pod_status_reason", {"namespace": ns, "pod": evicted["metadata"]["name"], "reason": "Evicted", "job": "kube-state-metrics"},
            lambda t: 1 if t >= since + timedelta(minutes=2) else 0)
    return {
        "name": "h6-bottlerocket-node-disk-pressure-evicts-search-pod",
        "description": f"""
A search-api pod was evicted ("The node was low on resource: ephemeral-storage") and the alert fired on
it. The node {bad} (Bottlerocket, ML node pool) reports DiskPressure for 23 minutes with the
disk-pressure taint: its 80 GiB data volume is nearly full of large CUDA images for the embedder, and
image garbage collection finds nothing it may delete because every image is in use. search-api was
only the eviction victim; the node is the responsible object.""",
        "sources": ["bottlerocket-os/bottlerocket issue 3350 'Garbage Collector don't work on the image disk' (Failed to garbage collect required amount of images ... only found 0 bytes eligible to free), https://github.com/bottlerocket-os/bottlerocket/issues/3350",
                    "kubernetes/kubernetes issue 41032 'Eviction manager evicts innocent pods after cleaning up unused images', https://github.com/kubernetes/kubernetes/issues/41032"],
        "now": now,
        "alert": alert("KubePodEvicted", {"namespace": ns, "pod": evicted["metadata"]["name"], "severity": "warning", "job": "kube-state-metrics"},
                       f"Pod {ns}/{evicted['metadata']['name']} was evicted.", now - timedelta(minutes=20),
                       'kube_pod_status_reason{reason="Evicted"} > 0', 1),
        "expect": {"category": "NodePressure", "entity": {"namespace": "", "kind": "Node", "name": bad},
                   "mentions": ["DiskPressure"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def akka_cfs_throttling():
    now = parse("2026-12-01T16:33:00Z")
    ns = "recs"
    n1, n2 = node_name(12, 120), node_name(31, 42)
    nodes = [node(n1, now, itype="m6i.4xlarge", cpu="16", memory="64Gi"), node(n2, now, itype="m6i.4xlarge", zone="us-west-2b", cpu="16", memory="64Gi")]
    c = container_spec("recs-engine", f"{ECR}recs-engine:11.4.0", cpu_req="500m", cpu_lim="1", mem_req="2Gi", mem_lim="3Gi", ports=[("http", 8080)],
                       env=[{"name": "JAVA_OPTS", "value": "-XX:ActiveProcessorCount=8 -XX:+UseG1GC -Xmx2g"},
                            {"name": "AKKA_DISPATCHER_PARALLELISM_MIN", "value": "8"}],
                       readiness=http_probe("/ready", 8080, timeout=2))
    d = Workload("Deployment", ns, "recs-engine", {"app.kubernetes.io/name": "recs-engine"}, [c], 4, now - timedelta(days=220), revision=30)
    h = d.add_rs(30, 4, 4, created=now - timedelta(days=6))
    pods = [d.pod(h, i, [running(now - timedelta(days=6))], (n1, n2)[i % 2], now - timedelta(days=6)) for i in range(4)]
    objs = nodes + d.objects() + pods
    logs = {}
    for p in pods:
        logs[(ns, p["metadata"]["name"], "recs-engine", False)] = log_lines(now - timedelta(minutes=30), 9, [
            "[WARN] [@AKKA@] [recs-akka.actor.default-dispatcher-7] [akka.actor.ActorSystemImpl(recs)] Request timeout encountered for request [GET /v1/recs/home Empty]",
            "[INFO] [@AKKA@] [recs-akka.actor.default-dispatcher-3] [shop.recs.http.Routes] GET /v1/recs/product 200 1.84 s",
            "[INFO] [@AKKA@] [recs-akka.actor.default-dispatcher-5] [shop.recs.http.Routes] GET /v1/recs/home 200 2.31 s"] * 60)
    m = Metrics(now - timedelta(minutes=45), now - timedelta(seconds=30))
    t0 = now - timedelta(minutes=32)
    for p in pods:
        name, nn = p["metadata"]["name"], p["spec"]["nodeName"]
        m.counter("container_cpu_usage_seconds", cadvisor(ns, name, "recs-engine", nn), lambda t: 0.55 if t < t0 else 0.97)
        m.counter("container_cpu_cfs_periods", cadvisor(ns, name, "recs-engine", nn), lambda t: 10.0)
        m.counter("container_cpu_cfs_throttled_periods", cadvisor(ns, name, "recs-engine", nn), lambda t: 2.0 if t < t0 else 7.6)
        m.counter("container_cpu_cfs_throttled_seconds", cadvisor(ns, name, "recs-engine", nn), lambda t: 0.05 if t < t0 else 2.9)
        limits(m, ns, name, "recs-engine", nn, cpu=1, memory=3 * GI)
        m.gauge("container_memory_working_set_bytes", cadvisor(ns, name, "recs-engine", nn), lambda t: int(2.3 * GI))
    m.gauge("akka_http_request_duration_p99_seconds", {"namespace": ns, "service": "recs-engine", "job": "recs-engine"},
            lambda t: 0.21 if t < t0 else 2.6)
    m.counter("akka_http_requests", {"namespace": ns, "service": "recs-engine", "job": "recs-engine"}, lambda t: 210.0 if t < t0 else 235.0)
    return {
        "name": "h6-akka-service-cfs-throttled-at-one-cpu-limit",
        "description": """
recs-engine (Scala/Akka HTTP) p99 latency rose from 0.2s to 2.6s with request timeouts, while traffic
grew only ~10%. Each pod has a CPU limit of 1 core but runs the JVM with ActiveProcessorCount=8 and an
Akka dispatcher of 8 threads, plus G1 workers: the container now uses its whole quota and 76% of CFS
periods are throttled (2.9 s throttled per second). Memory is stable, nothing restarts. The latency is
CPU quota starvation of the Deployment.""",
        "sources": ["Michal Drozd, 'Kubernetes CPU Throttling Autopsy: Why p99 Latency Explodes at 40% CPU Usage', https://www.michal-drozd.com/en/blog/k8s-cpu-throttling/",
                    "devopsbeast, 'Your Pod Is Using 5% CPU and Still Throttled. Here Is Why.', https://devopsbeast.com/blog/kubernetes-cpu-throttling-explained"],
        "now": now,
        "alert": alert("RecsLatencyHigh", {"namespace": ns, "service": "recs-engine", "severity": "warning"},
                       "recs-engine p99 latency is 2.6s (SLO 500ms)", now - timedelta(minutes=25),
                       'akka_http_request_duration_p99_seconds{service="recs-engine"} > 0.5', 2.6),
        "expect": {"category": "CPUThrottling", "entity": {"namespace": ns, "kind": "Deployment", "name": "recs-engine"},
                   "mentions": ["throttl"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def campaign_traffic_hpa_at_max():
    now = parse("2026-12-02T19:12:00Z")
    ns = "catalog"
    nodes_ = [node(node_name(14 + i, 60 + i), now, itype="c7i.2xlarge", cpu="8", memory="16Gi", zone=("us-west-2a", "us-west-2b", "us-west-2c")[i % 3])
              for i in range(4)]
    c = container_spec("catalog-api", f"{ECR}catalog-api:2026.12.1", cpu_req="1", cpu_lim="2", mem_req="1Gi", mem_lim="2Gi", ports=[("http", 8080)],
                       readiness=http_probe("/healthz/ready", 8080))
    d = Workload("Deployment", ns, "catalog-api", {"app.kubernetes.io/name": "catalog-api"}, [c], 12, now - timedelta(days=300), revision=64)
    h = d.add_rs(64, 12, 12, created=now - timedelta(days=1))
    t0 = now - timedelta(minutes=28)
    pods = [d.pod(h, i, [running(now - timedelta(days=1) if i < 4 else t0 + timedelta(minutes=2 + i))], nodes_[i % 4]["metadata"]["name"],
                  now - timedelta(days=1) if i < 4 else t0 + timedelta(minutes=1 + i)) for i in range(12)]
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "catalog-api", "namespace": ns, "uid": uid("hpa", ns, "catalog-api")},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "catalog-api"}, "minReplicas": 4, "maxReplicas": 12,
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]},
           "status": {"currentReplicas": 12, "desiredReplicas": 12, "lastScaleTime": ts(t0 + timedelta(minutes=9)),
                      "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 192, "averageValue": "1920m"}}}],
                      "conditions": [{"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale", "lastTransitionTime": ts(t0)},
                                     {"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound", "lastTransitionTime": ts(t0)},
                                     {"type": "ScalingLimited", "status": "True", "reason": "TooManyReplicas",
                                      "message": "the desired replica count is more than the maximum replica count", "lastTransitionTime": ts(t0 + timedelta(minutes=9))}]}}
    objs = nodes_ + d.objects() + pods + [hpa]
    for k, (a, b) in enumerate(((4, 8), (8, 12))):
        tt = t0 + timedelta(minutes=3 + 6 * k)
        objs.append(event(ns, "HorizontalPodAutoscaler", "catalog-api", hpa["metadata"]["uid"], "SuccessfulRescale",
                          f"New size: {b}; reason: cpu resource utilization (percentage of request) above target", tt, tt, etype="Normal",
                          component="horizontal-pod-autoscaler", api="autoscaling/v2"))
    logs = {}
    for p in pods[:3]:
        logs[(ns, p["metadata"]["name"], "catalog-api", False)] = log_lines(t0, 4, [
            "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]",
            "      Request finished HTTP/1.1 GET http://catalog-api.catalog.svc/api/v1/products?campaign=winter26 - 200 48211 application/json 2841.3318ms",
            "warn: Microsoft.AspNetCore.Server.Kestrel[22]",
            "      As of \"@KESTREL@\", the heartbeat has been running for \"00:00:01.3107723\" which is longer than \"00:00:01\". This could be caused by thread pool starvation."] * 50)
    m = Metrics(now - timedelta(minutes=50), now - timedelta(seconds=30))
    m.counter("haproxy_backend_http_requests", {"proxy": "catalog_catalog-api_http", "job": "haproxy-ingress", "namespace": "edge"},
              lambda t: 420.0 if t < t0 else 2650.0)
    m.counter("haproxy_backend_http_responses", {"proxy": "catalog_catalog-api_http", "code": "5xx", "job": "haproxy-ingress", "namespace": "edge"},
              lambda t: 0.2 if t < t0 else 310.0)
    m.gauge("haproxy_backend_current_queue", {"proxy": "catalog_catalog-api_http", "job": "haproxy-ingress", "namespace": "edge"},
            lambda t: 0 if t < t0 else 880)
    m.gauge("kube_horizontalpodautoscaler_status_current_replicas", {"namespace": ns, "horizontalpodautoscaler": "catalog-api", "job": "kube-state-metrics"},
            lambda t: 4 if t < t0 + timedelta(minutes=3) else (8 if t < t0 + timedelta(minutes=9) else 12))
    m.gauge("kube_horizontalpodautoscaler_spec_max_replicas", {"namespace": ns, "horizontalpodautoscaler": "catalog-api", "job": "kube-state-metrics"},
            lambda t: 12)
    for p in pods[:4]:
        m.counter("container_cpu_usage_seconds", cadvisor(ns, p["metadata"]["name"], "catalog-api", p["spec"]["nodeName"]),
                  lambda t: 0.45 if t < t0 else 1.95)
    return {
        "name": "h6-campaign-traffic-beyond-hpa-max-catalog",
        "description": """
A winter campaign e-mail went out at 18:44 UTC and catalog-api (C#/ASP.NET Core behind HAProxy ingress)
went from ~420 to ~2650 requests per second. The HPA scaled 4 -> 8 -> 12 and is pinned at maxReplicas
(ScalingLimited TooManyReplicas) with CPU at 192% of requests; HAProxy queues ~880 requests and returns
5xx, Kestrel warns of thread pool starvation. No pod crashes, nothing was deployed. The cause is load
beyond the configured capacity.""",
        "sources": ["Superallen blog, 'Kubernetes autoscaling with HPA' (Black Friday traffic 10x with 3 pods, services fell over), https://superallen.org/blog/2019/kubernetes-autoscaling-hpa",
                    "k8s-issues scenario 445 'Delayed Scaling Response to Traffic Spike', https://k8s-issues.purutuladhar.com/scenario/445"],
        "now": now,
        "alert": alert("CatalogApiLatencyHigh", {"namespace": ns, "service": "catalog-api", "severity": "critical"},
                       "catalog-api p95 latency above 2s and 5xx at 11%", now - timedelta(minutes=20),
                       'sum(rate(haproxy_backend_http_responses_total{proxy="catalog_catalog-api_http",code="5xx"}[5m])) / sum(rate(haproxy_backend_http_requests_total{proxy="catalog_catalog-api_http"}[5m])) > 0.05', 0.11),
        "expect": {"category": "TrafficSpike", "entity": {"namespace": ns, "kind": "Deployment", "name": "catalog-api"},
                   "mentions": ["maxReplicas"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


CASES = [redis_sessions_at_maxmemory, mongodb_volume_full, rabbitmq_disk_alarm_blocks_publishers, rabbitmq_upgrade_missing_feature_flag,
         node_disk_pressure_image_bloat, akka_cfs_throttling, campaign_traffic_hpa_at_max]
