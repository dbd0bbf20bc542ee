"""Building blocks for the heldout6 fixtures: Kubernetes objects as the API
returns them, container logs with kubelet timestamps, and OpenMetrics series
as Prometheus would have scraped them from kube-state-metrics, cAdvisor,
node-exporter and the applications.

Everything is derived from names with a hash, so a rerun writes the same
bytes; nothing here knows what any analyzer looks for.
"""

import hashlib
import os
import shutil
from datetime import datetime, timedelta, timezone

import yaml

CLUSTER = "shop-prod"
REGION = "us-west-2"
ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def digest(*parts):
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()


def uid(*parts):
    h = digest("uid", *parts)
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def suffix(n, *parts):
    h = int(digest("sfx", *parts), 16)
    out = ""
    for _ in range(n):
        out += ALPHABET[h % len(ALPHABET)]
        h //= len(ALPHABET)
    return out


def ts(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def micro(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def node_name(a, b):
    return f"ip-10-42-{a}-{b}.{REGION}.compute.internal"


# ---------------------------------------------------------------- objects


def node(name, now, itype="m6i.xlarge", zone="us-west-2a", pool="general",
         created_days=6, cpu="4", memory="16Gi", pressure=None, ready=True,
         ready_msg="kubelet is posting ready status", taints=None,
         extra_labels=None, capacity_type="on-demand"):
    """A Karpenter-launched Bottlerocket node. pressure maps a condition type
    (MemoryPressure, DiskPressure, PIDPressure) to (since, message)."""
    pressure = pressure or {}
    hb = ts(now - timedelta(seconds=20))
    created = now - timedelta(days=created_days)
    conds = []
    for ctype, ok_reason, bad_reason in (
            ("MemoryPressure", "KubeletHasSufficientMemory", "KubeletHasInsufficientMemory"),
            ("DiskPressure", "KubeletHasNoDiskPressure", "KubeletHasDiskPressure"),
            ("PIDPressure", "KubeletHasSufficientPID", "KubeletHasInsufficientPID")):
        if ctype in pressure:
            since, msg = pressure[ctype]
            conds.append({"type": ctype, "status": "True", "reason": bad_reason, "message": msg,
                          "lastHeartbeatTime": hb, "lastTransitionTime": ts(since)})
        else:
            conds.append({"type": ctype, "status": "False", "reason": ok_reason,
                          "message": f"kubelet has {'sufficient memory available' if ctype == 'MemoryPressure' else 'no disk pressure' if ctype == 'DiskPressure' else 'sufficient PID available'}",
                          "lastHeartbeatTime": hb, "lastTransitionTime": ts(created + timedelta(minutes=1))})
    if ready is True:
        conds.append({"type": "Ready", "status": "True", "reason": "KubeletReady", "message": ready_msg,
                      "lastHeartbeatTime": hb, "lastTransitionTime": ts(created + timedelta(minutes=1))})
    else:
        since, status, reason, msg = ready
        conds.append({"type": "Ready", "status": status, "reason": reason, "message": msg,
                      "lastHeartbeatTime": ts(since - timedelta(seconds=40)) if status == "Unknown" else hb,
                      "lastTransitionTime": ts(since)})
    labels = {
        "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux",
        "kubernetes.io/hostname": name,
        "node.kubernetes.io/instance-type": itype,
        "topology.kubernetes.io/region": REGION, "topology.kubernetes.io/zone": zone,
        "topology.ebs.csi.aws.com/zone": zone,
        "karpenter.sh/nodepool": pool, "karpenter.sh/capacity-type": capacity_type,
        "karpenter.k8s.aws/instance-family": itype.split(".")[0],
        "karpenter.k8s.aws/ec2nodeclass": "bottlerocket",
    }
    labels.update(extra_labels or {})
    spec = {"providerID": f"aws:///{zone}/i-0{digest('i', name)[:16]}"}
    if taints:
        spec["taints"] = taints
    ip = name.split(".")[0][3:].replace("-", ".")
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "uid": uid("node", name), "creationTimestamp": ts(created),
                     "labels": labels,
                     "annotations": {"karpenter.sh/nodepool-hash": digest("np", pool)[:16],
                                     "node.alpha.kubernetes.io/ttl": "0"}},
        "spec": spec,
        "status": {
            "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
            "capacity": {"cpu": cpu, "memory": memory, "ephemeral-storage": "81854Mi", "pods": "58"},
            "allocatable": {"cpu": str(int(cpu) * 1000 - 90) + "m" if cpu.isdigit() else cpu,
                            "memory": memory, "ephemeral-storage": "76224326324", "pods": "58"},
            "conditions": conds,
            "nodeInfo": {"architecture": "amd64", "operatingSystem": "linux",
                         "osImage": "Bottlerocket OS 1.26.2 (aws-k8s-1.31)",
                         "kernelVersion": "6.1.112", "containerRuntimeVersion": "containerd://1.7.22+bottlerocket",
                         "kubeletVersion": "v1.31.2-eks-7f9249a", "kubeProxyVersion": "v1.31.2-eks-7f9249a"},
        },
    }


def container_spec(name, image, cpu_req="250m", mem_req="256Mi", cpu_lim=None, mem_lim="512Mi",
                   ports=None, env=None, env_from=None, liveness=None, readiness=None, startup=None,
                   args=None, command=None, volume_mounts=None):
    c = {"name": name, "image": image, "imagePullPolicy": "IfNotPresent",
         "resources": {"requests": {"cpu": cpu_req, "memory": mem_req}, "limits": {}},
         "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
    if cpu_lim:
        c["resources"]["limits"]["cpu"] = cpu_lim
    if mem_lim:
        c["resources"]["limits"]["memory"] = mem_lim
    if not c["resources"]["limits"]:
        del c["resources"]["limits"]
    if ports:
        c["ports"] = [{"containerPort": p, "name": n, "protocol": "TCP"} for n, p in ports]
    optional = {"env": env, "envFrom": env_from, "livenessProbe": liveness, "readinessProbe": readiness,
                "startupProbe": startup, "args": args, "command": command, "volumeMounts": volume_mounts}
    c.update({k: v for k, v in optional.items() if v})
    return c


def http_probe(path, port, period=10, timeout=1, failure=3, initial=0):
    return {"httpGet": {"path": path, "port": port, "scheme": "HTTP"}, "periodSeconds": period,
            "timeoutSeconds": timeout, "failureThreshold": failure, "successThreshold": 1,
            "initialDelaySeconds": initial}


def tcp_probe(port, period=10, timeout=1, failure=3, initial=0):
    return {"tcpSocket": {"port": port}, "periodSeconds": period, "timeoutSeconds": timeout,
            "failureThreshold": failure, "successThreshold": 1, "initialDelaySeconds": initial}


def running(started, ready=True, restarts=0, last=None):
    """Container status pieces: state running since started; last is the
    previous termination as (reason, exit_code, started, finished)."""
    return {"state": ("running", started), "ready": ready, "restarts": restarts, "last": last}


def waiting(reason, message, restarts=0, last=None):
    return {"state": ("waiting", reason, message), "ready": False, "restarts": restarts, "last": last}


def terminated(reason, code, started, finished):
    return {"state": ("terminated", reason, code, started, finished), "ready": False, "restarts": 0, "last": None}


def _container_status(pod_name, c, st, image_digest=True):
    out = {"name": c["name"], "image": c["image"], "ready": st["ready"], "restartCount": st["restarts"],
           "started": st["state"][0] == "running"}
    if image_digest and st["state"][0] != "waiting" or st["last"]:
        out["imageID"] = c["image"].split(":")[0] + "@sha256:" + digest("img", c["image"])
        out["containerID"] = "containerd://" + digest("cid", pod_name, c["name"], st["restarts"])
    s = st["state"]
    if s[0] == "running":
        out["state"] = {"running": {"startedAt": ts(s[1])}}
    elif s[0] == "waiting":
        out["state"] = {"waiting": {"reason": s[1], "message": s[2]}} if s[2] else {"waiting": {"reason": s[1]}}
    else:
        out["state"] = {"terminated": {"reason": s[1], "exitCode": s[2], "startedAt": ts(s[3]),
                                       "finishedAt": ts(s[4]),
                                       "containerID": "containerd://" + digest("cid", pod_name, c["name"], "t")}}
    if st["last"]:
        reason, code, t0, t1 = st["last"]
        out["lastState"] = {"terminated": {"reason": reason, "exitCode": code, "startedAt": ts(t0),
                                           "finishedAt": ts(t1),
                                           "containerID": "containerd://" + digest("cid", pod_name, c["name"], "prev")}}
    else:
        out["lastState"] = {}
    return out


def pod(ns, name, labels, owner, containers, statuses, node_name_, created, phase="Running",
        pod_ip=None, conditions=None, reason=None, message=None, volumes=None, extra_spec=None,
        qos=None, annotations=None, init_statuses=None, init_containers=None):
    """owner is (kind, name, uid, apiVersion)."""
    meta = {"name": name, "namespace": ns, "uid": uid("pod", ns, name), "creationTimestamp": ts(created),
            "labels": labels}
    if annotations:
        meta["annotations"] = annotations
    if owner:
        kind, oname, ouid, api = owner
        meta["ownerReferences"] = [{"apiVersion": api, "kind": kind, "name": oname, "uid": ouid,
                                    "controller": True, "blockOwnerDeletion": True}]
    spec = {"containers": containers, "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
            "schedulerName": "default-scheduler", "terminationGracePeriodSeconds": 30,
            "serviceAccountName": labels.get("app.kubernetes.io/name", "default"),
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                             "effect": "NoExecute", "tolerationSeconds": 300},
                            {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                             "effect": "NoExecute", "tolerationSeconds": 300}]}
    if init_containers:
        spec["initContainers"] = init_containers
    if node_name_:
        spec["nodeName"] = node_name_
    if volumes:
        spec["volumes"] = volumes
    if extra_spec:
        spec.update(extra_spec)
    status = {"phase": phase, "qosClass": qos or "Burstable"}
    if node_name_ and phase in ("Running", "Failed", "Succeeded"):
        status["hostIP"] = node_name_.split(".")[0][3:].replace("-", ".")
        status["podIP"] = pod_ip or "10.42.%d.%d" % (int(digest(name)[:2], 16) % 60 + 64,
                                                     int(digest(name)[2:4], 16) % 250 + 2)
        status["startTime"] = ts(created + timedelta(seconds=2))
    if reason:
        status["reason"] = reason
    if message:
        status["message"] = message
    if statuses is not None:
        status["containerStatuses"] = [_container_status(name, c, st) for c, st in zip(containers, statuses)]
    if init_statuses is not None:
        status["initContainerStatuses"] = [_container_status(name, c, st) for c, st in zip(init_containers, init_statuses)]
    if conditions is None and statuses is None:
        conditions = [{"type": "PodScheduled", "status": "True" if node_name_ else "False", "lastTransitionTime": ts(created)}]
    if conditions is None:
        all_ready = statuses is not None and all(s["ready"] for s in statuses)
        t = ts(created + timedelta(seconds=5))
        conditions = [
            {"type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": t},
            {"type": "Initialized", "status": "True", "lastTransitionTime": t},
            {"type": "Ready", "status": "True" if all_ready else "False", "lastTransitionTime": t,
             **({} if all_ready else {"reason": "ContainersNotReady",
                                      "message": "containers with unready status: [%s]" % " ".join(
                                          c["name"] for c, s in zip(containers, statuses) if not s["ready"])})},
            {"type": "ContainersReady", "status": "True" if all_ready else "False", "lastTransitionTime": t},
            {"type": "PodScheduled", "status": "True", "lastTransitionTime": ts(created)},
        ]
    status["conditions"] = conditions
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


class Workload:
    """A Deployment (with its ReplicaSets), StatefulSet or DaemonSet and the
    metadata its pods must carry."""

    def __init__(self, kind, ns, name, labels, containers, replicas, created, revision=1,
                 selector_keys=None, extra_template=None, volume_claims=None, service_name=None,
                 strategy=None, annotations=None):
        self.kind, self.ns, self.name = kind, ns, name
        self.labels = labels
        self.selector = {k: labels[k] for k in (selector_keys or list(labels)[:1])}
        self.containers = containers
        self.replicas = replicas
        self.created = created
        self.revision = revision
        self.uid = uid(kind, ns, name)
        self.extra_template = extra_template or {}
        self.volume_claims = volume_claims
        self.service_name = service_name
        self.strategy = strategy
        self.annotations = annotations or {}
        self.rs = []  # (hash, revision, replicas, ready, containers, created)
        self.status = {}

    def template_hash(self, revision, containers):
        return suffix(10, self.ns, self.name, revision, yaml.safe_dump(containers))

    def add_rs(self, revision, replicas, ready, containers=None, created=None):
        containers = containers or self.containers
        h = self.template_hash(revision, containers)
        self.rs.append((h, revision, replicas, ready, containers, created or self.created))
        return h

    def rs_name(self, h):
        return f"{self.name}-{h}"

    def pod_name(self, h_or_ordinal, i=None):
        if self.kind == "Deployment":
            return f"{self.name}-{h_or_ordinal}-{suffix(5, self.name, h_or_ordinal, i)}"
        if self.kind == "StatefulSet":
            return f"{self.name}-{h_or_ordinal}"
        return f"{self.name}-{suffix(5, self.name, h_or_ordinal)}"

    def pod_labels(self, h=None, ordinal=None):
        out = dict(self.labels)
        if self.kind == "Deployment":
            out["pod-template-hash"] = h
        elif self.kind == "StatefulSet":
            out["controller-revision-hash"] = f"{self.name}-{self.cr_hash()}"
            out["statefulset.kubernetes.io/pod-name"] = f"{self.name}-{ordinal}"
            out["apps.kubernetes.io/pod-index"] = str(ordinal)
        else:
            out["controller-revision-hash"] = self.cr_hash()
            out["pod-template-generation"] = str(self.revision)
        return out

    def cr_hash(self):
        return suffix(10, "cr", self.ns, self.name, self.revision)

    def owner_for(self, h=None):
        if self.kind == "Deployment":
            return ("ReplicaSet", self.rs_name(h), uid("ReplicaSet", self.ns, self.rs_name(h)), "apps/v1")
        return (self.kind, self.name, self.uid, "apps/v1")

    def pod(self, key, i, statuses, node_name_, created, containers=None, **kw):
        """key is the ReplicaSet hash (Deployment), ordinal (StatefulSet) or
        node name (DaemonSet)."""
        if self.kind == "Deployment":
            name, labels, owner = self.pod_name(key, i), self.pod_labels(h=key), self.owner_for(key)
            containers = containers or next(r[4] for r in self.rs if r[0] == key)
        elif self.kind == "StatefulSet":
            name, labels, owner = self.pod_name(key), self.pod_labels(ordinal=key), self.owner_for()
            containers = containers or self.containers
            if self.volume_claims and "volumes" not in kw:
                kw["volumes"] = [{"name": vc, "persistentVolumeClaim": {"claimName": f"{vc}-{name}"}}
                                 for vc, _size, _sc in self.volume_claims]
            kw.setdefault("extra_spec", {}).update({"hostname": name, "subdomain": self.service_name or self.name})
        else:
            name, labels, owner = self.pod_name(key), self.pod_labels(), self.owner_for()
            containers = containers or self.containers
        kw.setdefault("volumes", self.extra_template.get("volumes"))
        if kw["volumes"] is None:
            del kw["volumes"]
        return pod(self.ns, name, labels, owner, containers, statuses, node_name_, created, **kw)

    def objects(self):
        tmpl_spec = {"containers": self.containers, **{k: v for k, v in self.extra_template.items()}}
        meta = {"name": self.name, "namespace": self.ns, "uid": self.uid, "creationTimestamp": ts(self.created),
                "labels": self.labels, "generation": self.revision}
        out = []
        if self.kind == "Deployment":
            meta["annotations"] = {"deployment.kubernetes.io/revision": str(self.revision), **self.annotations}
            cur = self.rs[-1]
            total = sum(r[2] for r in self.rs)
            ready = sum(r[3] for r in self.rs)
            spec = {"replicas": self.replicas, "selector": {"matchLabels": self.selector},
                    "strategy": self.strategy or {"type": "RollingUpdate",
                                                  "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                    "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
                    "template": {"metadata": {"labels": self.labels}, "spec": {**tmpl_spec, "containers": cur[4]}}}
            status = {"observedGeneration": self.revision, "replicas": total, "updatedReplicas": cur[2],
                      "readyReplicas": ready, "availableReplicas": ready,
                      "conditions": self.status.get("conditions") or [
                          {"type": "Available", "status": "True" if ready >= self.replicas - max(1, self.replicas // 4) else "False",
                           "reason": "MinimumReplicasAvailable" if ready >= self.replicas - max(1, self.replicas // 4) else "MinimumReplicasUnavailable",
                           "message": "Deployment has minimum availability." if ready >= self.replicas - max(1, self.replicas // 4) else "Deployment does not have minimum availability.",
                           "lastUpdateTime": ts(cur[5]), "lastTransitionTime": ts(cur[5])},
                          {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable" if cur[3] == cur[2] else "ReplicaSetUpdated",
                           "message": f'ReplicaSet "{self.rs_name(cur[0])}" has successfully progressed.' if cur[3] == cur[2]
                           else f'ReplicaSet "{self.rs_name(cur[0])}" is progressing.',
                           "lastUpdateTime": ts(cur[5]), "lastTransitionTime": ts(self.created)}]}
            if ready < total:
                status["unavailableReplicas"] = total - ready
            out.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": spec, "status": status})
            for h, rev, reps, rdy, conts, created in self.rs:
                rsname = self.rs_name(h)
                labels = {**self.labels, "pod-template-hash": h}
                out.append({
                    "apiVersion": "apps/v1", "kind": "ReplicaSet",
                    "metadata": {"name": rsname, "namespace": self.ns, "uid": uid("ReplicaSet", self.ns, rsname),
                                 "creationTimestamp": ts(created), "labels": labels, "generation": 1 if reps else 2,
                                 "annotations": {"deployment.kubernetes.io/revision": str(rev),
                                                 "deployment.kubernetes.io/desired-replicas": str(self.replicas),
                                                 "deployment.kubernetes.io/max-replicas": str(self.replicas + max(1, self.replicas // 4))},
                                 "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": self.name,
                                                      "uid": self.uid, "controller": True, "blockOwnerDeletion": True}]},
                    "spec": {"replicas": reps, "selector": {"matchLabels": {**self.selector, "pod-template-hash": h}},
                             "template": {"metadata": {"labels": labels}, "spec": {**tmpl_spec, "containers": conts}}},
                    "status": {"replicas": reps, "readyReplicas": rdy, "availableReplicas": rdy,
                               "fullyLabeledReplicas": reps, "observedGeneration": 1 if reps else 2},
                })
        elif self.kind == "StatefulSet":
            spec = {"replicas": self.replicas, "selector": {"matchLabels": self.selector},
                    "serviceName": self.service_name or self.name, "podManagementPolicy": "OrderedReady",
                    "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
                    "template": {"metadata": {"labels": self.labels}, "spec": tmpl_spec}}
            if self.volume_claims:
                spec["volumeClaimTemplates"] = [{"metadata": {"name": vc}, "spec": {
                    "accessModes": ["ReadWriteOnce"], "storageClassName": sc,
                    "resources": {"requests": {"storage": size}}}} for vc, size, sc in self.volume_claims]
            st = {"observedGeneration": self.revision, "replicas": self.replicas,
                  "currentRevision": f"{self.name}-{self.cr_hash()}", "updateRevision": f"{self.name}-{self.cr_hash()}",
                  "collisionCount": 0}
            st.update(self.status)
            out.append({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta, "spec": spec, "status": st})
        else:
            spec = {"selector": {"matchLabels": self.selector},
                    "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
                    "template": {"metadata": {"labels": self.labels}, "spec": tmpl_spec}}
            st = {"observedGeneration": self.revision}
            st.update(self.status)
            out.append({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta, "spec": spec, "status": st})
        return out


def service(ns, name, selector, ports, cluster_ip, created):
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": ns, "uid": uid("svc", ns, name), "creationTimestamp": ts(created),
                         "labels": {"app.kubernetes.io/name": name}},
            "spec": {"type": "ClusterIP", "clusterIP": cluster_ip, "clusterIPs": [cluster_ip],
                     "selector": selector, "sessionAffinity": "None",
                     "ports": [{"name": n, "port": p, "targetPort": tp, "protocol": "TCP"} for n, p, tp in ports]}}


def endpoints(ns, name, ready_pods, not_ready_pods, ports):
    """ready_pods / not_ready_pods: lists of pod objects."""
    def addr(p):
        return {"ip": p["status"].get("podIP", "10.42.200.2"), "nodeName": p["spec"].get("nodeName"),
                "targetRef": {"kind": "Pod", "name": p["metadata"]["name"], "namespace": ns,
                              "uid": p["metadata"]["uid"]}}
    ep = {"apiVersion": "v1", "kind": "Endpoints",
          "metadata": {"name": name, "namespace": ns, "uid": uid("ep", ns, name),
                       "labels": {"app.kubernetes.io/name": name}}}
    subset = {}
    if ready_pods:
        subset["addresses"] = [addr(p) for p in ready_pods]
    if not_ready_pods:
        subset["notReadyAddresses"] = [addr(p) for p in not_ready_pods]
    if subset:
        subset["ports"] = [{"name": n, "port": p, "protocol": "TCP"} for n, p in ports]
        ep["subsets"] = [subset]
    return ep


def configmap(ns, name, data, created):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": ns, "uid": uid("cm", ns, name), "creationTimestamp": ts(created)},
            "data": data}


def pvc(ns, name, size, sc, phase, created, volume=None, labels=None, annotations=None):
    obj = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
           "metadata": {"name": name, "namespace": ns, "uid": uid("pvc", ns, name), "creationTimestamp": ts(created),
                        "labels": labels or {}, "annotations": annotations or {},
                        "finalizers": ["kubernetes.io/pvc-protection"]},
           "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": sc, "volumeMode": "Filesystem",
                    "resources": {"requests": {"storage": size}}},
           "status": {"phase": phase}}
    if volume:
        obj["spec"]["volumeName"] = volume
        obj["status"].update({"accessModes": ["ReadWriteOnce"], "capacity": {"storage": size}})
    return obj


def pv(name, claim_ns, claim, size, sc, zone, created):
    return {"apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": name, "uid": uid("pv", name), "creationTimestamp": ts(created),
                         "annotations": {"pv.kubernetes.io/provisioned-by": "ebs.csi.aws.com",
                                         "volume.kubernetes.io/provisioner-deletion-secret-name": "",
                                         "volume.kubernetes.io/provisioner-deletion-secret-namespace": ""}},
            "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": size},
                     "claimRef": {"kind": "PersistentVolumeClaim", "namespace": claim_ns, "name": claim,
                                  "uid": uid("pvc", claim_ns, claim), "apiVersion": "v1"},
                     "csi": {"driver": "ebs.csi.aws.com", "fsType": "ext4",
                             "volumeHandle": "vol-0" + digest("vol", name)[:16],
                             "volumeAttributes": {"storage.kubernetes.io/csiProvisionerIdentity": "1730000000000-8081-ebs.csi.aws.com"}},
                     "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                         {"key": "topology.kubernetes.io/zone", "operator": "In", "values": [zone]}]}]}},
                     "persistentVolumeReclaimPolicy": "Delete", "storageClassName": sc, "volumeMode": "Filesystem"},
            "status": {"phase": "Bound"}}


def event(ns, obj_kind, obj_name, obj_uid, reason, message, first, last, count=1, etype="Warning",
          component="kubelet", host=None, api="v1", field_path=None):
    """Core v1 Event in the count/firstTimestamp/lastTimestamp shape."""
    name = f"{obj_name}.{digest('ev', ns, obj_name, reason, message)[:16]}"
    inv = {"apiVersion": api, "kind": obj_kind, "name": obj_name, "uid": obj_uid}
    if ns:
        inv["namespace"] = ns
    if field_path:
        inv["fieldPath"] = field_path
    src = {"component": component}
    if host:
        src["host"] = host
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": name, "namespace": ns or "default", "creationTimestamp": ts(first)},
            "involvedObject": inv, "reason": reason, "message": message, "type": etype,
            "count": count, "firstTimestamp": ts(first), "lastTimestamp": ts(last), "source": src,
            "reportingComponent": component, "reportingInstance": host or ""}


def event_series(ns, obj_kind, obj_name, obj_uid, reason, message, first, last, count, etype="Warning",
                 controller="default-scheduler", action=None, api="v1"):
    """events.k8s.io/v1 Event in the eventTime/series shape."""
    name = f"{obj_name}.{digest('evs', ns, obj_name, reason)[:16]}"
    ev = {"apiVersion": "events.k8s.io/v1", "kind": "Event",
          "metadata": {"name": name, "namespace": ns or "default", "creationTimestamp": ts(first)},
          "eventTime": micro(first), "reportingController": controller, "reportingInstance": controller,
          "action": action or reason, "reason": reason, "note": message, "type": etype,
          "regarding": {"apiVersion": api, "kind": obj_kind, "name": obj_name, "uid": obj_uid,
                        **({"namespace": ns} if ns else {})}}
    if count > 1:
        ev["series"] = {"count": count, "lastObservedTime": micro(last)}
    return ev


# ---------------------------------------------------------------- metrics


class Metrics:
    """Collects OpenMetrics families. Each series is sampled on the scrape
    interval over [start, end]; value is a function of the sample time."""

    def __init__(self, start, end, step=30):
        self.start, self.end, self.step = start, end, step
        self.families = {}  # name -> (type, help, [(labels, [(t, v)])])

    def times(self, start=None, end=None):
        t = start or self.start
        end = end or self.end
        out = []
        while t <= end:
            out.append(t)
            t += timedelta(seconds=self.step)
        return out

    def add(self, family, mtype, labels, fn, start=None, end=None, help_=None):
        samples = []
        for t in self.times(start, end):
            v = fn(t)
            if v is None:
                continue
            samples.append((t, v))
        fam = self.families.setdefault(family, (mtype, help_ or family.replace("_", " "), []))
        fam[2].append((labels, samples))

    def gauge(self, family, labels, fn, **kw):
        self.add(family, "gauge", labels, fn, **kw)

    def counter(self, family, labels, rate_fn, base=0.0, **kw):
        """rate_fn(t) is the per-second rate; the series integrates it."""
        state = {"v": float(base), "prev": None}

        def fn(t):
            if state["prev"] is not None:
                state["v"] += rate_fn(t) * (t - state["prev"]).total_seconds()
            state["prev"] = t
            return round(state["v"], 3)
        self.add(family, "counter", labels, fn, **kw)

    def steps(self, family, labels, changes, **kw):
        """A counter that holds a value and jumps at given times: changes is a
        sorted list of (time, value)."""
        def fn(t):
            v = None
            for at, val in changes:
                if t >= at:
                    v = val
            return v
        self.add(family, "counter", labels, fn, **kw)

    def render(self):
        lines = []
        for family in sorted(self.families):
            mtype, help_, series = self.families[family]
            lines.append(f"# HELP {family} {help_}")
            lines.append(f"# TYPE {family} {mtype}")
            sample = family + ("_total" if mtype == "counter" else "")
            for labels, samples in series:
                lab = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
                for t, v in samples:
                    val = repr(float(v)) if not float(v).is_integer() else str(int(v))
                    lines.append(f"{sample}{{{lab}}} {val} {int(t.timestamp())}")
        lines.append("# EOF")
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- output


# Application log formats carry their own clock; a placeholder in a line is
# replaced by the line's own time so both clocks agree.
_CLOCKS = {
    "@ISO@": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
    "@MONGO@": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+00:00",
    "@RMQ@": lambda t: t.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00",
    "@SP@": lambda t: t.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
    "@LAR@": lambda t: t.strftime("%Y-%m-%d %H:%M:%S"),
    "@FB@": lambda t: t.strftime("%Y/%m/%d %H:%M:%S"),
    "@GOLOG@": lambda t: t.strftime("%Y/%m/%d %H:%M:%S"),
    "@FPM@": lambda t: t.strftime("%d-%b-%Y %H:%M:%S"),
    "@NGINX@": lambda t: t.strftime("%d/%b/%Y:%H:%M:%S +0000"),
    "@REDIS@": lambda t: t.strftime("%d %b %Y %H:%M:%S.%f")[:-3],
    "@AKKA@": lambda t: t.strftime("%m/%d/%Y %H:%M:%S.%f")[:-3],
    "@KESTREL@": lambda t: t.strftime("%m/%d/%Y %H:%M:%S +00:00"),
}


def _stamp(text, t):
    for key, fmt in _CLOCKS.items():
        if key in text:
            text = text.replace(key, fmt(t))
    return text


def log_lines(start, step_s, lines):
    """Spread lines from start, step_s seconds apart; each entry is text or
    (offset_seconds, text) to place it exactly."""
    out = []
    t = start
    for i, entry in enumerate(lines):
        if isinstance(entry, tuple):
            t = start + timedelta(seconds=entry[0])
            text = entry[1]
        else:
            text = entry
            if i:
                t = t + timedelta(seconds=step_s)
        # Sub-second spread so lines do not all fall on whole seconds; kept
        # below the step so the order never changes.
        jitter = int(digest("jit", i, text), 16) % max(1, int(step_s * 800000))
        at = t + timedelta(microseconds=jitter)
        out.append(f"{micro(at)} {_stamp(text, at.astimezone(timezone.utc))}")
    return out


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, s):
    style = "|" if "\n" in s else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=style)


_Dumper.add_representer(str, _str)


def write_case(root, case):
    d = os.path.join(root, case["name"])
    if os.path.exists(d):
        shutil.rmtree(d)
    os.makedirs(os.path.join(d, "kube"))
    paragraphs = [" ".join(p.split()) for p in case["description"].strip().split("\n\n")]
    paragraphs.append("Sources: " + "; ".join(case["sources"]))
    meta = {"name": case["name"], "description": "\n\n".join(paragraphs), "now": ts(case["now"]),
            "alert": case["alert"], "expect": case["expect"]}
    with open(os.path.join(d, "scenario.yaml"), "w") as f:
        yaml.dump(meta, f, Dumper=_Dumper, sort_keys=False, width=110, allow_unicode=True)
    with open(os.path.join(d, "kube", "objects.yaml"), "w") as f:
        yaml.safe_dump_all(case["objects"], f, sort_keys=False, width=100)
    for (ns, podname, container, previous), lines in case.get("logs", {}).items():
        p = os.path.join(d, "logs", ns, podname)
        os.makedirs(p, exist_ok=True)
        fname = container + (".previous.log" if previous else ".log")
        with open(os.path.join(p, fname), "w") as f:
            f.write("".join(line + "\n" for line in lines))
    if case.get("metrics") is not None:
        with open(os.path.join(d, "metrics.om"), "w") as f:
            f.write(case["metrics"].render())


def alert(name, labels, summary, starts, query, value, description=None, runbook=None):
    lab = {"alertname": name, "cluster": CLUSTER, **labels}
    ann = {"summary": summary}
    if description:
        ann["description"] = description
    if runbook:
        ann["runbook_url"] = runbook
    return {"labels": lab, "annotations": ann, "status": "firing", "startsAt": ts(starts),
            "endsAt": "0001-01-01T00:00:00Z", "fingerprint": digest("fp", name, sorted(labels.items()))[:16],
            "generatorURL": "https://prometheus.shop-prod.internal/graph?g0.expr=" + name,
            "query": query, "values": {"A": value}}
