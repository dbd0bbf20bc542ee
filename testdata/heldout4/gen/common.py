"""Shared shapes for the held-out-4 cases: a Deployment with its ReplicaSet
and pods, and the usual cAdvisor / kube-state-metrics / HTTP series."""

from kit import MI, iso, running

NODES = [
    "ip-10-31-12-45.eu-west-1.compute.internal",
    "ip-10-31-27-203.eu-west-1.compute.internal",
    "ip-10-31-40-118.eu-west-1.compute.internal",
]


def nodes(case, names=NODES):
    zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    for i, n in enumerate(names):
        case.node(n, zone=zones[i % 3])


def app(case, ns, name, image, hash_, pods, replicas=None, revision=1, rs_created_min=60 * 24 * 6,
        resources=None, probes=None, labels=None, deploy_ready=None, **kw):
    """pods: list of (suffix, node, container-state dict overrides). Returns pod names."""
    labels = labels or {"app.kubernetes.io/name": name}
    replicas = replicas if replicas is not None else len(pods)
    ready = sum(1 for p in pods if p[2].get("ready", True))
    case.deployment(ns, name, image, replicas, ready if deploy_ready is None else deploy_ready, revision=revision,
                    labels=labels, resources=resources, probes=probes, **kw)
    rs = case.replicaset(ns, name, hash_, image, len(pods), ready, revision, rs_created_min, labels=labels)
    names = []
    for i, (suffix, node, c) in enumerate(pods):
        pname = "%s-%s" % (rs, suffix)
        cont = {"name": name, "image": image, "ready": True, "restarts": 0,
                "state": running(case, min(rs_created_min, 60 * 24 * 6)), "resources": resources, "probes": probes}
        cont.update(c)
        plabels = dict(labels)
        plabels["pod-template-hash"] = hash_
        case.pod(ns, pname, case.owner("ReplicaSet", rs, ns), node, [cont], labels=plabels,
                 created_min=c.get("created_min", min(rs_created_min, 60 * 24 * 6)),
                 ip="10.31.%d.%d" % (40 + i, 20 + len(pname) % 200), phase=c.get("phase", "Running"))
        names.append(pname)
    return rs, names


def pod_metrics(case, ns, pod, container, mem_mi, cpu_cores, mem_limit_mi=None, restarts=None, cpu_limit=None,
                throttle=None, minutes=40):
    """mem_mi / cpu_cores: f(minutes_ago) or constant; restarts: f(minutes_ago) -> count."""
    lab = {"namespace": ns, "pod": pod, "container": container}
    mem = mem_mi if callable(mem_mi) else (lambda m, v=mem_mi: v)
    cpu = cpu_cores if callable(cpu_cores) else (lambda m, v=cpu_cores: v)
    case.series("container_memory_working_set_bytes", "gauge", lab, lambda m, i: int(mem(m) * MI), minutes)
    acc = {"v": 0.0}

    def cpu_counter(m, i):
        acc["v"] += cpu(m) * 15
        return round(acc["v"], 3)
    case.series("container_cpu_usage_seconds", "counter", lab, cpu_counter, minutes)
    if mem_limit_mi:
        case.series("kube_pod_container_resource_limits", "gauge", dict(lab, resource="memory", unit="byte"),
                    lambda m, i: int(mem_limit_mi * MI), minutes)
    if cpu_limit:
        case.series("kube_pod_container_resource_limits", "gauge", dict(lab, resource="cpu", unit="core"),
                    lambda m, i: cpu_limit, minutes)
    if restarts is not None:
        case.series("kube_pod_container_status_restarts", "counter", lab, lambda m, i: int(restarts(m)), minutes)
    if throttle is not None:
        per = {"p": 0, "t": 0}

        def periods(m, i):
            per["p"] += 150
            return per["p"]

        def throttled(m, i):
            per["t"] += int(150 * throttle(m))
            return per["t"]
        case.series("container_cpu_cfs_periods", "counter", lab, periods, minutes)
        case.series("container_cpu_cfs_throttled_periods", "counter", lab, throttled, minutes)


def http_metrics(case, ns, service, pod, rps, err_ratio, p99_s=None, code_err="500", minutes=40, job=None):
    """rps / err_ratio / p99_s: f(minutes_ago)."""
    ok = {"v": 0.0}
    bad = {"v": 0.0}
    base = {"namespace": ns, "service": service, "pod": pod, "job": job or service}

    def okf(m, i):
        ok["v"] += rps(m) * (1 - err_ratio(m)) * 15
        return int(ok["v"])

    def badf(m, i):
        bad["v"] += rps(m) * err_ratio(m) * 15
        return int(bad["v"])
    case.series("http_requests", "counter", dict(base, code="200"), okf, minutes)
    case.series("http_requests", "counter", dict(base, code=code_err), badf, minutes)
    if p99_s:
        case.series("http_request_duration_seconds_p99", "gauge", base, lambda m, i: round(p99_s(m), 4), minutes)


def step(before, after, at_min):
    """A value that changes from before to after at_min minutes ago."""
    return lambda m: after if m <= at_min else before


def stuck_rollout(case, ns, name, old_img, new_img, hashes, revision, new_min, old_suffixes, old_min, updated,
                  new_replicas=1, resources=None, log=None):
    """A surge-first rolling update (maxUnavailable 0) whose new ReplicaSet has
    no ready pod, with the old pods still serving. hashes: (old, new).
    log(t, i) -> line for the old pods. Returns (old rs, new rs, old pods)."""
    n = len(old_suffixes)
    case.deployment(ns, name, new_img, n, n, revision=revision, updated=updated, available=n,
                    strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                    progressing={"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated",
                                 "lastTransitionTime": iso(case.ago(new_min))})
    old = case.replicaset(ns, name, hashes[0], old_img, n, n, revision - 1, old_min)
    new = case.replicaset(ns, name, hashes[1], new_img, new_replicas, 0, revision, new_min)
    pods = []
    for i, s in enumerate(old_suffixes):
        p = "%s-%s" % (old, s)
        pods.append(p)
        case.pod(ns, p, case.owner("ReplicaSet", old, ns), NODES[i % len(NODES)],
                 [{"name": name, "image": old_img, "ready": True, "restarts": 0, "state": running(case, old_min),
                   "resources": resources}],
                 labels={"app.kubernetes.io/name": name, "pod-template-hash": hashes[0]}, created_min=old_min)
        if log:
            case.log(ns, p, name, case.every(25, 0, 20, log))
    return old, new, pods


def replicas_mismatch_alert(case, ns, deploy, available, minutes):
    """The kube-prometheus KubeDeploymentReplicasMismatch alert for one Deployment."""
    case.set_alert("KubeDeploymentReplicasMismatch", {"namespace": ns, "deployment": deploy},
                   "Deployment %s/%s has not matched the expected number of replicas for 15 minutes" % (ns, deploy),
                   'kube_deployment_spec_replicas{deployment="%s"} > kube_deployment_status_replicas_available{deployment="%s"}'
                   % (deploy, deploy), available, minutes, severity="warning")


def crashlooping_alert(case, ns, pod, container, minutes, by_restarts=False, severity="critical"):
    """KubePodCrashLooping in its two common shapes: restarts increase or the waiting reason."""
    if by_restarts:
        query, value, summary = ('increase(kube_pod_container_status_restarts_total{namespace="%s"}[15m]) > 2' % ns, 3,
                                 "Pod %s/%s is restarting frequently" % (ns, pod))
    else:
        query, value, summary = ('max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff",namespace="%s"}[5m]) >= 1'
                                 % ns, 1, "Pod %s/%s is crash looping" % (ns, pod))
    case.set_alert("KubePodCrashLooping", {"namespace": ns, "pod": pod, "container": container}, summary, query, value, minutes,
                   severity=severity)


def error_rate_alert(case, ns, service, ratio, value, minutes):
    """HighErrorRate on the 5xx share of one service's requests."""
    case.set_alert("HighErrorRate", {"namespace": ns, "service": service},
                   "%s 5xx ratio above %d%%" % (service, int(ratio * 100)),
                   'sum(rate(http_requests_total{service="%s",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="%s"}[5m])) > %g'
                   % (service, service, ratio), value, minutes)
