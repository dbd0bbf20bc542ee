"""Building blocks for the held-out-4 fixtures.

Written apart from the Go generators of pkg/scenario/internal/gen and of the
earlier held-out sets: its own object shapes (EKS node names and labels, one
kube file per object family, a v1 List for some cases), its own log formats
and its own metric cadence (15 s scrapes, some cases without metrics at all
because "Prometheus was down").
"""

import hashlib
import json
import os
import shutil
from datetime import datetime, timedelta, timezone

import yaml


def at(s):
    """Parse "2026-12-01T10:00:00Z"."""
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def nano(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%09dZ" % (t.microsecond * 1000)


def uid(*parts):
    h = hashlib.sha1("/".join(parts).encode()).hexdigest()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


class Case:
    def __init__(self, name, now, description, sources, category, entity, mentions=None):
        self.name = name
        self.now = at(now)
        # Paragraphs are re-flowed: the cases are written as wrapped source text.
        self.description = " ".join(description.split())
        self.sources = sources
        self.category = category
        self.entity = entity  # (namespace, kind, name)
        self.mentions = mentions or []
        self.objects = []  # (file stem, object)
        self.logs = {}  # (ns, pod, container, previous) -> [(time, line)]
        self.metrics = {}  # family -> (type, help, {labels tuple: [(t, v)]})
        self.with_metrics = True
        self.as_list = False
        self.alert = None

    def ago(self, minutes):
        return self.now - timedelta(minutes=minutes)

    # ---- alert -----------------------------------------------------------
    def set_alert(self, alertname, labels, summary, query, value, starts_min_ago, severity="critical"):
        lab = {"alertname": alertname, "severity": severity}
        lab.update(labels)
        self.alert = {
            "status": "firing",
            "labels": lab,
            "annotations": {"summary": summary},
            "startsAt": iso(self.ago(starts_min_ago)),
            "endsAt": "0001-01-01T00:00:00Z",
            "fingerprint": hashlib.sha1(self.name.encode()).hexdigest()[:16],
            "generatorURL": "https://prometheus.prod-euw1.eks.acme-retail.example/graph?g0.expr=" + alertname,
            "values": {"A": value},
            "query": query,
        }

    # ---- objects ---------------------------------------------------------
    def add(self, stem, obj):
        self.objects.append((stem, obj))
        return obj

    def node(self, name, nodegroup="general-m6i", itype="m6i.2xlarge", zone="eu-west-1a", ready=True,
             memory_pressure=False, disk_pressure=False, not_ready_reason=None, not_ready_msg=None,
             since_min=60 * 24 * 9, taints=None):
        t = iso(self.ago(since_min))
        beat = iso(self.ago(0.5))

        def cond(typ, status, reason, msg):
            return {"type": typ, "status": status, "reason": reason, "message": msg,
                    "lastHeartbeatTime": beat, "lastTransitionTime": t}
        conds = [
            cond("MemoryPressure", "True" if memory_pressure else "False",
                 "KubeletHasInsufficientMemory" if memory_pressure else "KubeletHasSufficientMemory",
                 "kubelet has insufficient memory available" if memory_pressure else "kubelet has sufficient memory available"),
            cond("DiskPressure", "True" if disk_pressure else "False",
                 "KubeletHasDiskPressure" if disk_pressure else "KubeletHasNoDiskPressure",
                 "kubelet has disk pressure" if disk_pressure else "kubelet has no disk pressure"),
            cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            cond("Ready", "True" if ready else "False", "KubeletReady" if ready else (not_ready_reason or "KubeletNotReady"),
                 "kubelet is posting ready status" if ready else (not_ready_msg or "kubelet stopped posting node status")),
        ]
        for c in conds:
            if c["type"] in ("MemoryPressure", "DiskPressure") and c["status"] == "True":
                c["lastTransitionTime"] = iso(self.ago(25))
            if c["type"] == "Ready" and not ready:
                c["lastTransitionTime"] = iso(self.ago(22))
        obj = {
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "uid": uid(self.name, "node", name),
                         "creationTimestamp": iso(self.ago(60 * 24 * 12)),
                         "labels": {"eks.amazonaws.com/nodegroup": nodegroup,
                                    "eks.amazonaws.com/capacityType": "ON_DEMAND",
                                    "node.kubernetes.io/instance-type": itype,
                                    "topology.kubernetes.io/zone": zone,
                                    "kubernetes.io/hostname": name,
                                    "kubernetes.io/os": "linux"}},
            "spec": {"providerID": "aws:///%s/i-0%s" % (zone, hashlib.md5(name.encode()).hexdigest()[:16])},
            "status": {"capacity": {"cpu": "8", "memory": "32386544Ki", "pods": "58", "ephemeral-storage": "83873772Ki"},
                       "allocatable": {"cpu": "7910m", "memory": "31369712Ki", "pods": "58", "ephemeral-storage": "76224326324"},
                       "conditions": conds,
                       "nodeInfo": {"kubeletVersion": "v1.30.4-eks-a737599", "containerRuntimeVersion": "containerd://1.7.22",
                                    "osImage": "Amazon Linux 2023.5.20240916", "architecture": "amd64"}},
        }
        if taints:
            obj["spec"]["taints"] = taints
        return self.add("nodes", obj)

    def deployment(self, ns, name, image, replicas, ready, revision=1, created_days=40, labels=None,
                   resources=None, probes=None, env=None, strategy=None, available=None, updated=None, gen=None,
                   progressing=None):
        labels = labels or {"app.kubernetes.io/name": name}
        c = {"name": name, "image": image}
        if resources:
            c["resources"] = resources
        if probes:
            c.update(probes)
        if env:
            c["env"] = env
        conds = [{"type": "Available", "status": "True" if ready > 0 else "False",
                  "reason": "MinimumReplicasAvailable" if ready > 0 else "MinimumReplicasUnavailable",
                  "lastTransitionTime": iso(self.ago(60 * 24))}]
        conds.append(progressing or {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                                     "lastTransitionTime": iso(self.ago(60 * 24))})
        obj = {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "uid": uid(self.name, ns, "deploy", name),
                         "generation": gen or revision, "labels": labels,
                         "creationTimestamp": iso(self.ago(60 * 24 * created_days)),
                         "annotations": {"deployment.kubernetes.io/revision": str(revision)}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "strategy": strategy or {"type": "RollingUpdate",
                                              "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [c]}}},
            "status": {"replicas": replicas, "readyReplicas": ready,
                       "availableReplicas": ready if available is None else available,
                       "updatedReplicas": replicas if updated is None else updated,
                       "observedGeneration": gen or revision, "conditions": conds},
        }
        if ready == 0:
            del obj["status"]["readyReplicas"]
        return self.add("workloads", obj)

    def replicaset(self, ns, deploy, hash_, image, replicas, ready, revision, created_min, labels=None):
        labels = dict(labels or {"app.kubernetes.io/name": deploy})
        labels["pod-template-hash"] = hash_
        name = "%s-%s" % (deploy, hash_)
        obj = {
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": ns, "uid": uid(self.name, ns, "rs", name), "labels": labels,
                         "creationTimestamp": iso(self.ago(created_min)),
                         "annotations": {"deployment.kubernetes.io/revision": str(revision),
                                         "deployment.kubernetes.io/desired-replicas": str(replicas)},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": deploy,
                                              "uid": uid(self.name, ns, "deploy", deploy), "controller": True,
                                              "blockOwnerDeletion": True}]},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": deploy, "image": image}]}}},
            "status": {"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready,
                       "observedGeneration": 1},
        }
        self.add("workloads", obj)
        return name

    def owner(self, kind, name, ns, api="apps/v1"):
        return {"apiVersion": api, "kind": kind, "name": name, "uid": uid(self.name, ns, kind.lower(), name),
                "controller": True, "blockOwnerDeletion": True}

    def pod(self, ns, name, owner, node, containers, phase="Running", created_min=120, labels=None,
            ready=None, ip="10.31.44.10", qos="Burstable", reason=None, message=None, scheduled=True,
            sched_msg=None, restart_policy="Always"):
        """containers: list of dicts name, image, state, last (optional), ready, restarts, resources."""
        if ready is None:
            ready = all(c.get("ready", False) for c in containers) and phase == "Running"
        started = iso(self.ago(created_min))
        conds = []
        if scheduled:
            conds += [{"type": "PodScheduled", "status": "True", "lastTransitionTime": started},
                      {"type": "Initialized", "status": "True", "lastTransitionTime": started},
                      {"type": "ContainersReady", "status": "True" if ready else "False", "lastTransitionTime": started},
                      {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": started}]
        else:
            conds.append({"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                          "message": sched_msg, "lastTransitionTime": started})
        spec_c = []
        stat_c = []
        for c in containers:
            sc = {"name": c["name"], "image": c["image"], "imagePullPolicy": "IfNotPresent"}
            if c.get("resources"):
                sc["resources"] = c["resources"]
            if c.get("probes"):
                sc.update(c["probes"])
            spec_c.append(sc)
            if not scheduled:
                continue
            st = {"name": c["name"], "image": c["image"], "ready": c.get("ready", False),
                  "restartCount": c.get("restarts", 0), "started": "running" in c["state"],
                  "state": c["state"], "lastState": c.get("last", {})}
            if "running" in c["state"]:
                st["containerID"] = "containerd://" + hashlib.sha1((name + c["name"]).encode()).hexdigest()
                st["imageID"] = c["image"].split(":")[0] + "@sha256:" + hashlib.sha256(c["image"].encode()).hexdigest()
            stat_c.append(st)
        meta = {"name": name, "namespace": ns, "uid": uid(self.name, ns, "pod", name),
                "creationTimestamp": started, "labels": labels or {}}
        if owner:
            meta["ownerReferences"] = [owner]
        status = {"phase": phase, "conditions": conds, "qosClass": qos}
        if scheduled:
            status.update({"hostIP": "10.31.%d.%d" % (len(node) % 50, len(name) % 200 + 10), "podIP": ip,
                           "startTime": started, "containerStatuses": stat_c})
        if reason:
            status["reason"] = reason
            status["message"] = message
        spec = {"containers": spec_c, "restartPolicy": restart_policy, "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst"}
        if scheduled:
            spec["nodeName"] = node
        return self.add("pods", {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status})

    def event(self, ns, kind, name, reason, message, typ="Warning", count=1, first_min=10, last_min=1,
              component="kubelet", host=None, api="v1", series=False):
        first = self.ago(first_min)
        last = self.ago(last_min)
        ename = "%s.%s" % (name, hashlib.md5((reason + message + name).encode()).hexdigest()[:16])
        if series:
            obj = {"apiVersion": "events.k8s.io/v1", "kind": "Event",
                   "metadata": {"name": ename, "namespace": ns or "default", "creationTimestamp": iso(first)},
                   "eventTime": nano(first), "reportingController": component,
                   "reportingInstance": component + "-" + (host or "controller"),
                   "action": "Scheduling" if component == "default-scheduler" else "Update",
                   "reason": reason, "note": message, "type": typ,
                   "regarding": {"apiVersion": api, "kind": kind, "name": name, "namespace": ns},
                   "series": {"count": count, "lastObservedTime": nano(last)} if count > 1 else None}
            if obj["series"] is None:
                del obj["series"]
            return self.add("events", obj)
        obj = {"apiVersion": "v1", "kind": "Event",
               "metadata": {"name": ename, "namespace": ns or "default", "creationTimestamp": iso(first)},
               "involvedObject": {"apiVersion": api, "kind": kind, "name": name, "namespace": ns},
               "reason": reason, "message": message, "type": typ, "count": count,
               "firstTimestamp": iso(first), "lastTimestamp": iso(last),
               "source": {"component": component, "host": host} if host else {"component": component}}
        return self.add("events", obj)

    def service(self, ns, name, selector, port, target=None):
        return self.add("network", {
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": ns, "uid": uid(self.name, ns, "svc", name),
                         "creationTimestamp": iso(self.ago(60 * 24 * 90))},
            "spec": {"type": "ClusterIP", "clusterIP": "172.20.%d.%d" % (len(name) * 7 % 250, len(ns) * 11 % 250),
                     "selector": selector,
                     "ports": [{"name": "tcp-%d" % port, "port": port, "targetPort": target or port, "protocol": "TCP"}]}})

    def endpoints(self, ns, name, ready_ips=(), not_ready_ips=(), port=80):
        obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": ns}}
        if ready_ips or not_ready_ips:
            sub = {"ports": [{"port": port, "protocol": "TCP"}]}
            if ready_ips:
                sub["addresses"] = [{"ip": ip} for ip in ready_ips]
            if not_ready_ips:
                sub["notReadyAddresses"] = [{"ip": ip} for ip in not_ready_ips]
            obj["subsets"] = [sub]
        return self.add("network", obj)

    def raw(self, stem, obj):
        return self.add(stem, obj)

    # ---- logs ------------------------------------------------------------
    def log(self, ns, pod, container, lines, previous=False):
        key = (ns, pod, container, previous)
        self.logs.setdefault(key, []).extend(lines)

    def every(self, start_min, end_min, step_s, fmt):
        """Lines from start_min ago to end_min ago, one per step_s; fmt(t, i) -> text."""
        out = []
        t = self.ago(start_min)
        end = self.ago(end_min)
        i = 0
        while t <= end:
            out.append((t, fmt(t, i)))
            t += timedelta(seconds=step_s)
            i += 1
        return out

    # ---- metrics ---------------------------------------------------------
    def series(self, family, typ, labels, fn, minutes=40, step_s=15):
        """fn(minutes_ago, i) -> value or None (gap)."""
        fam = self.metrics.setdefault(family, (typ, {}))
        key = tuple(sorted(labels.items()))
        pts = fam[1].setdefault(key, [])
        n = int(minutes * 60 / step_s)
        for i in range(n + 1):
            t = self.now - timedelta(seconds=(n - i) * step_s)
            v = fn((n - i) * step_s / 60.0, i)
            if v is not None:
                pts.append((t, v))

    # ---- output ----------------------------------------------------------
    def write(self, root):
        d = os.path.join(root, self.name)
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(os.path.join(d, "kube"))
        src = "; ".join("%s, %s" % (title, url) for title, url in self.sources)
        ns, kind, name = self.entity
        meta = {
            "name": self.name,
            "description": self.description + "\n\nSource: " + src,
            "now": iso(self.now),
            "alert": self.alert,
            "expect": {"category": self.category,
                       "entity": {"namespace": ns, "kind": kind, "name": name},
                       "mentions": self.mentions},
        }
        with open(os.path.join(d, "scenario.yaml"), "w") as f:
            yaml.safe_dump(meta, f, sort_keys=False, width=100, allow_unicode=False)
        if self.as_list:
            items = [o for _, o in self.objects]
            with open(os.path.join(d, "kube", "snapshot.json"), "w") as f:
                json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f, indent=1)
                f.write("\n")
        else:
            by = {}
            for stem, o in self.objects:
                by.setdefault(stem, []).append(o)
            for stem, objs in by.items():
                with open(os.path.join(d, "kube", stem + ".yaml"), "w") as f:
                    yaml.safe_dump_all(objs, f, sort_keys=True, explicit_start=True)
        for (ns, pod, container, previous), lines in self.logs.items():
            p = os.path.join(d, "logs", ns, pod)
            os.makedirs(p, exist_ok=True)
            fn = container + (".previous.log" if previous else ".log")
            lines = sorted(lines, key=lambda x: x[0])
            with open(os.path.join(p, fn), "w") as f:
                for t, text in lines:
                    if t > self.now:
                        continue
                    f.write(nano(t) + " " + text + "\n")
        if self.with_metrics and self.metrics:
            with open(os.path.join(d, "metrics.om"), "w") as f:
                for family, (typ, series) in self.metrics.items():
                    f.write("# TYPE %s %s\n" % (family, typ))
                    sample = family + ("_total" if typ == "counter" else "")
                    for key, pts in series.items():
                        lab = ",".join('%s="%s"' % (k, v) for k, v in key)
                        for t, v in pts:
                            f.write("%s{%s} %s %d\n" % (sample, lab, fmtv(v), int(t.timestamp())))
                f.write("# EOF\n")


def fmtv(v):
    if isinstance(v, float):
        return repr(round(v, 6))
    return str(v)


# ---- container state helpers ---------------------------------------------

def running(case, since_min):
    return {"running": {"startedAt": iso(case.ago(since_min))}}


def waiting(reason, message=None):
    w = {"reason": reason}
    if message:
        w["message"] = message
    return {"waiting": w}


def terminated(case, reason, code, started_min, finished_min):
    return {"terminated": {"reason": reason, "exitCode": code, "startedAt": iso(case.ago(started_min)),
                           "finishedAt": iso(case.ago(finished_min)),
                           "containerID": "containerd://" + hashlib.sha1(
                               ("%s%s%s" % (reason, code, started_min)).encode()).hexdigest()}}


def res(cpu_req, mem_req, cpu_lim=None, mem_lim=None):
    r = {"requests": {"cpu": cpu_req, "memory": mem_req}}
    lim = {}
    if cpu_lim:
        lim["cpu"] = cpu_lim
    if mem_lim:
        lim["memory"] = mem_lim
    if lim:
        r["limits"] = lim
    return r


MI = 1024 * 1024


def _str(dumper, data):
    # Multi-line strings (the description) as literal blocks, readable in review.
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


yaml.SafeDumper.add_representer(str, _str)
