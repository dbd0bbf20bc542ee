"""Series and object groups that several heldout6 incidents share: the
kube-state-metrics and cAdvisor views of a container, and the backoff
bookkeeping of a crash-looping one."""

from datetime import timedelta

from kit import Metrics, alert, event, ts

MI = 1024 * 1024
GI = 1024 * MI


def ksm(ns, pod, container, **extra):
    return {"namespace": ns, "pod": pod, "container": container, "job": "kube-state-metrics",
            "instance": "10.42.64.17:8080", **extra}


def cadvisor(ns, pod, container, node):
    return {"namespace": ns, "pod": pod, "container": container, "node": node, "job": "kubelet",
            "metrics_path": "/metrics/cadvisor", "instance": node}


def restarts(m, ns, pod, container, kill_times, before=0):
    """kube_pod_container_status_restarts_total stepping at each kill."""
    changes = [(m.start, before)]
    n = before
    for t in kill_times:
        n += 1
        changes.append((t + timedelta(seconds=10), n))
    m.steps("kube_pod_container_status_restarts", ksm(ns, pod, container), changes)


def limits(m, ns, pod, container, node, cpu=None, memory=None, kind="limits"):
    if memory is not None:
        m.gauge(f"kube_pod_container_resource_{kind}", ksm(ns, pod, container, node=node, resource="memory", unit="byte"),
                lambda t, v=memory: v)
    if cpu is not None:
        m.gauge(f"kube_pod_container_resource_{kind}", ksm(ns, pod, container, node=node, resource="cpu", unit="core"),
                lambda t, v=cpu: v)


def sawtooth(kills, base, peak, run, current_start=None):
    """Memory of a container that is killed at each time in kills after
    running for run seconds, climbing from base towards peak while it runs,
    and absent while it waits out its back-off. current_start is the start of
    the container running now, if one is."""
    kills = sorted(kills)
    rate = (peak - base) / run

    def fn(t):
        for k in kills:
            began = k - timedelta(seconds=run)
            if began <= t <= k:
                return int(base + rate * (t - began).total_seconds())
        if current_start is not None and t >= current_start:
            return int(min(peak * 0.98, base + rate * (t - current_start).total_seconds()))
        return None
    return fn


def backoff_events(ns, pod_obj, container, first, last, count, host):
    name = pod_obj["metadata"]["name"]
    return event(ns, "Pod", name, pod_obj["metadata"]["uid"], "BackOff",
                 f"Back-off restarting failed container {container} in pod {name}_{ns}({pod_obj['metadata']['uid']})",
                 first, last, count=count, component="kubelet", host=host,
                 field_path=f"spec.containers{{{container}}}")


def crashloop_message(ns, pod_name, container, backoff="5m0s"):
    """The waiting message kubelet sets; the uid is derived as kit.pod does."""
    from kit import uid
    return (f"back-off {backoff} restarting failed container={container} "
            f"pod={pod_name}_{ns}({uid('pod', ns, pod_name)})")


def crashloop_alert(ns, pod_name, container, starts, **kw):
    """kube-prometheus' KubePodCrashLooping as it fires for one container."""
    return alert("KubePodCrashLooping", {"namespace": ns, "pod": pod_name, "container": container, "severity": "warning",
                                         "job": "kube-state-metrics"},
                 f"Pod {ns}/{pod_name} ({container}) is in waiting state (reason: \"CrashLoopBackOff\").", starts,
                 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1', 1,
                 **kw)


def statefulset_mismatch_alert(ns, name, starts, ready):
    """kube-prometheus' KubeStatefulSetReplicasMismatch; ready is the value."""
    return alert("KubeStatefulSetReplicasMismatch", {"namespace": ns, "statefulset": name, "severity": "warning", "job": "kube-state-metrics"},
                 f"StatefulSet {ns}/{name} has not matched the expected number of replicas for longer than 15 minutes.", starts,
                 'kube_statefulset_status_replicas_ready{job="kube-state-metrics"} != kube_statefulset_status_replicas{job="kube-state-metrics"}', ready)


__all__ = ["Metrics", "MI", "GI", "ksm", "cadvisor", "restarts", "limits", "sawtooth", "backoff_events",
           "crashloop_message", "crashloop_alert", "statefulset_mismatch_alert", "ts"]
