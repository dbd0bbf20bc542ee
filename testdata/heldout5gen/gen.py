#!/usr/bin/env python3
"""heldout5 generator: writes testdata/heldout5 from the table INCIDENTS.
Its own choices: GKE-style node names, 'prod-eu' cluster, namespaces per team,
timestamps on 2027-03-09, several log formats. Run: python3 gen.py OUTDIR"""
import json, os, sys, shutil
from datetime import datetime, timedelta, timezone

NOW = datetime(2027, 3, 9, 14, 0, 0, tzinfo=timezone.utc)
def ts(mins): return (NOW - timedelta(minutes=mins)).strftime("%Y-%m-%dT%H:%M:%SZ")
def tsn(mins, s=0): return (NOW - timedelta(minutes=mins) + timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
NODE = "gke-prod-eu-pool-b-4c1e9d2a-%s"

def dump(o, ind=0):
    p = "  " * ind
    if isinstance(o, dict):
        out = []
        for k, v in o.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{p}{k}:\n{dump(v, ind+1)}")
            else:
                out.append(f"{p}{k}: {scalar(v)}")
        return "\n".join(out)
    if isinstance(o, list):
        out = []
        for v in o:
            if isinstance(v, (dict, list)) and v:
                s = dump(v, ind+1).lstrip()
                out.append(f"{p}- {s}")
            else:
                out.append(f"{p}- {scalar(v)}")
        return "\n".join(out)
    return p + scalar(o)

def scalar(v):
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, (int, float)): return str(v)
    if v == {} : return "{}"
    if v == []: return "[]"
    return json.dumps(str(v))

def node(suffix, ready=True, pressure=None):
    conds = [{"type": "Ready", "status": "True" if ready else "Unknown", "reason": "KubeletReady" if ready else "NodeStatusUnknown"}]
    for t in ["MemoryPressure", "DiskPressure", "PIDPressure"]:
        conds.append({"type": t, "status": "True" if pressure == t else "False"})
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": NODE % suffix},
            "status": {"allocatable": {"cpu": "3920m", "memory": "12Gi", "pods": "110"}, "conditions": conds}}

def deploy(ns, name, replicas=3, ready=None, image="", gen=1, kind="Deployment"):
    ready = replicas if ready is None else ready
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name, "namespace": ns, "generation": gen},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                     "template": {"metadata": {"labels": {"app.kubernetes.io/name": name}}}},
            "status": {"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready, "observedGeneration": gen}}

def rs(ns, dep, h, replicas, ready, rev, image, age):
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            # The Deployment controller gives a ReplicaSet its template's
            # labels, which is how clients list a Deployment's ReplicaSets.
            "metadata": {"name": f"{dep}-{h}", "namespace": ns, "creationTimestamp": ts(age),
                         "labels": {"app.kubernetes.io/name": dep, "pod-template-hash": h},
                         "annotations": {"deployment.kubernetes.io/revision": str(rev)},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": dep, "controller": True, "uid": f"d-{dep}"}]},
            "spec": {"replicas": replicas,
                     "selector": {"matchLabels": {"app.kubernetes.io/name": dep, "pod-template-hash": h}},
                     "template": {"metadata": {"labels": {"app.kubernetes.io/name": dep, "pod-template-hash": h}},
                                  "spec": {"containers": [{"name": dep.split("-")[0], "image": image}]}}},
            "status": {"replicas": replicas, "readyReplicas": ready}}

def pod(ns, name, owner_kind, owner, container, image, state="running", restarts=0, reason="", exit_code=0,
        node_suffix="x1", age=600, ready=True, phase=None, mem="512Mi", waiting_msg="", last=None):
    st = {"running": {"startedAt": ts(age if restarts == 0 else 2)}}
    if state == "waiting":
        st = {"waiting": {"reason": reason, "message": waiting_msg}}
    if state == "terminated":
        st = {"terminated": {"reason": reason, "exitCode": exit_code, "finishedAt": ts(3), "startedAt": ts(5)}}
    cs = {"name": container, "image": image, "ready": ready, "restartCount": restarts, "started": state == "running", "state": st}
    if last:
        cs["lastState"] = {"terminated": {"reason": last[0], "exitCode": last[1], "finishedAt": ts(3), "startedAt": ts(4)}}
    if phase is None:
        phase = "Running" if state in ("running", "waiting") else ("Failed" if exit_code else "Succeeded")
    status = {"phase": phase, "startTime": ts(age), "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}
    spec = {"containers": [{"name": container, "image": image, "resources": {"requests": {"cpu": "250m", "memory": mem}, "limits": {"memory": mem}}}]}
    if phase == "Pending" and state == "pending":
        status = {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]}
    else:
        spec["nodeName"] = NODE % node_suffix
        status["containerStatuses"] = [cs]
    # A ReplicaSet's pods carry its template's labels: the Deployment's
    # selector plus pod-template-hash (the API server rejects a Deployment
    # whose selector does not match them).
    labels = {"app.kubernetes.io/name": owner}
    if owner_kind == "ReplicaSet":
        workload, h = owner.rsplit("-", 1)
        labels = {"app.kubernetes.io/name": workload, "pod-template-hash": h}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns, "creationTimestamp": ts(age),
            "labels": labels,
            "ownerReferences": [{"apiVersion": "apps/v1" if owner_kind != "Job" else "batch/v1", "kind": owner_kind, "name": owner, "controller": True, "uid": f"u-{owner}"}]},
            "spec": spec, "status": status}

def event(ns, kind, name, reason, msg, typ="Warning", count=1, first=10, last=1, comp="kubelet", new=False):
    md = {"name": f"{name}.{reason.lower()}.{first}", "namespace": ns}
    io = {"kind": kind, "name": name, "namespace": ns}
    if new:
        return {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": md, "regarding": io, "reason": reason, "note": msg,
                "type": typ, "eventTime": tsn(first), "reportingController": comp,
                "series": {"count": count, "lastObservedTime": tsn(last)} if count > 1 else None} if count > 1 else \
               {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": md, "regarding": io, "reason": reason, "note": msg,
                "type": typ, "eventTime": tsn(first), "reportingController": comp}
    return {"apiVersion": "v1", "kind": "Event", "metadata": md, "involvedObject": io, "reason": reason, "message": msg,
            "type": typ, "count": count, "firstTimestamp": ts(first), "lastTimestamp": ts(last), "source": {"component": comp}}

def service(ns, name, ready_ips=1):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
           "spec": {"selector": {"app.kubernetes.io/name": name}, "ports": [{"port": 80, "targetPort": 8080}]}}
    sub = {"ports": [{"port": 8080}]}
    if ready_ips:
        sub["addresses"] = [{"ip": f"10.8.3.{10+i}"} for i in range(ready_ips)]
    else:
        sub["notReadyAddresses"] = [{"ip": "10.8.3.9"}]
    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": ns}, "subsets": [sub]}
    return [svc, ep]

def job(ns, name, cron=None, failed=1, succeeded=0, backoff=2):
    md = {"name": name, "namespace": ns, "creationTimestamp": ts(30)}
    if cron:
        md["ownerReferences"] = [{"apiVersion": "batch/v1", "kind": "CronJob", "name": cron, "controller": True, "uid": f"c-{cron}"}]
    conds = [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}] if failed > backoff else []
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": md, "spec": {"backoffLimit": backoff},
            "status": {"failed": failed, "succeeded": succeeded, "conditions": conds}}

def cronjob(ns, name, schedule="0 * * * *", policy="Allow", extra=None):
    spec = {"schedule": schedule, "concurrencyPolicy": policy}
    if extra: spec.update(extra)
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name, "namespace": ns}, "spec": spec,
            "status": {"lastScheduleTime": ts(30)}}

def metrics(series):
    """series: list of (name, type, labels dict, [values]) sampled every 30s ending at now-30s."""
    out, seen = [], set()
    for name, typ, labels, vals in series:
        if name not in seen:
            out.append(f"# TYPE {name} {typ}"); seen.add(name)
        lab = ",".join(f'{k}="{v}"' for k, v in labels.items())
        start = NOW.timestamp() - 30 * len(vals)
        for i, v in enumerate(vals):
            out.append(f"{name}{{{lab}}} {v} {start + 30*i:.3f}")
    # OpenMetrics wants each metric family contiguous; sort stable by name
    return out

def om(series):
    fam = {}
    for s in series:
        fam.setdefault(s[0], []).append(s)
    lines = []
    for name in fam:
        lines += metrics(fam[name])
    return "\n".join(lines) + "\n# EOF\n"

def ramp(a, b, n=30): return [round(a + (b - a) * i / (n - 1), 3) for i in range(n)]
def flat(v, n=30): return [v] * n
def counter(rate, n=30, start=0): return [round(start + rate * 30 * i, 3) for i in range(n)]

def write(out, inc):
    d = os.path.join(out, inc["id"])
    os.makedirs(os.path.join(d, "kube"), exist_ok=True)
    alert = {"labels": dict(inc["labels"], cluster="prod-eu"), "annotations": {"summary": inc["summary"]},
             "status": "firing", "startsAt": ts(inc.get("fired", 5))}
    meta = {"name": inc["id"], "description": inc["story"].strip() + "\nSource: " + inc["source"],
            "now": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "alert": alert,
            "expect": {"category": inc["cat"], "entity": inc["entity"], "mentions": inc.get("mentions", [])}}
    if not meta["expect"]["mentions"]: del meta["expect"]["mentions"]
    with open(os.path.join(d, "scenario.yaml"), "w") as f:
        f.write("# Generated by testdata/heldout5gen/gen.py; family: %s\n" % inc["family"])
        f.write(dump(meta) + "\n")
    own = {o["metadata"]["name"] for o in inc["objs"] if o["kind"] == "Node"}
    objs = [n for n in (node("a1"), node("x1")) if n["metadata"]["name"] not in own] + inc["objs"]
    with open(os.path.join(d, "kube", "objects.yaml"), "w") as f:
        f.write("\n---\n".join(dump(o) for o in objs) + "\n")
    for (ns, p, c, prev), lines in inc.get("logs", {}).items():
        ld = os.path.join(d, "logs", ns, p); os.makedirs(ld, exist_ok=True)
        with open(os.path.join(ld, c + (".previous.log" if prev else ".log")), "w") as f:
            n = len(lines)
            for i, l in enumerate(lines):
                f.write(f"{tsn(12, int(i * 600 / max(n,1)))} {l}\n")
    if inc.get("metrics"):
        with open(os.path.join(d, "metrics.om"), "w") as f:
            f.write(om(inc["metrics"]))

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from incidents import INCIDENTS
    out = sys.argv[1]
    shutil.rmtree(out, ignore_errors=True)
    for inc in INCIDENTS:
        write(out, inc)
    print(len(INCIDENTS), "incidents written to", out)
