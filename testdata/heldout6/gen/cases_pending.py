"""Pods that never run or never stay up: volumes that cannot be created or
reached, a node pool at its limits, images a new node pool may not pull,
a probe that kills a slow starter, and a request change that multiplied
the bill."""

from datetime import timedelta

from common import crashloop_alert, statefulset_mismatch_alert, GI, MI, backoff_events, cadvisor, crashloop_message, ksm, limits, restarts
from kit import (Metrics, Workload, alert, container_spec, event, event_series, http_probe, log_lines, node, node_name,
                 parse, pv, pvc, running, tcp_probe, ts, uid, waiting)

ECR = "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/"


def _pending(pod_obj, message, since):
    pod_obj["status"] = {"phase": "Pending", "qosClass": "Burstable", "conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message, "lastTransitionTime": ts(since)}]}
    return pod_obj


def ebs_csi_missing_iam_permission():
    now = parse("2026-12-03T10:20:00Z")
    ns = "search"
    nodes_ = [node(node_name(8 + i, 150 + i), now, itype="r6i.xlarge", memory="32Gi", pool="stateful", zone=z)
              for i, z in enumerate(("us-west-2a", "us-west-2b", "us-west-2c"))]
    c = container_spec("opensearch", "public.ecr.aws/opensearchproject/opensearch:2.17.1", cpu_req="1", mem_req="8Gi", mem_lim="8Gi",
                       ports=[("http", 9200), ("transport", 9300)], readiness=tcp_probe(9200),
                       volume_mounts=[{"name": "data", "mountPath": "/usr/share/opensearch/data"}])
    sts = Workload("StatefulSet", ns, "opensearch-data", {"app.kubernetes.io/name": "opensearch", "app.kubernetes.io/component": "data"}, [c], 4,
                   now - timedelta(days=250), revision=11, volume_claims=[("data", "200Gi", "gp3")], service_name="opensearch-data-headless",
                   selector_keys=["app.kubernetes.io/name", "app.kubernetes.io/component"])
    sts.status = {"readyReplicas": 3, "availableReplicas": 3, "currentReplicas": 4, "updatedReplicas": 4}
    since = now - timedelta(minutes=34)
    pods = [sts.pod(i, None, [running(now - timedelta(days=20))], nodes_[i]["metadata"]["name"], now - timedelta(days=20)) for i in range(3)]
    p3 = _pending(sts.pod(3, None, None, None, since),
                  'running PreBind plugin "VolumeBinding": binding volumes: provisioning failed for PVC "data-opensearch-data-3"', since)
    pvcs, pvs = [], []
    for i in range(4):
        claim = f"data-opensearch-data-{i}"
        if i < 3:
            vol = f"pvc-{uid('pvc', ns, claim)}"
            pvcs.append(pvc(ns, claim, "200Gi", "gp3", "Bound", now - timedelta(days=250), volume=vol))
            pvs.append(pv(vol, ns, claim, "200Gi", "gp3", nodes_[i]["metadata"]["labels"]["topology.kubernetes.io/zone"], now - timedelta(days=250)))
        else:
            pvcs.append(pvc(ns, claim, "200Gi", "gp3", "Pending", since, annotations={
                "volume.beta.kubernetes.io/storage-provisioner": "ebs.csi.aws.com", "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
                "volume.kubernetes.io/selected-node": nodes_[0]["metadata"]["name"]}))
    pv3 = pvcs[3]
    objs = nodes_ + sts.objects() + pods + [p3] + pvcs + pvs
    objs.append(event_series(ns, "Pod", p3["metadata"]["name"], p3["metadata"]["uid"], "FailedScheduling",
                             'running PreBind plugin "VolumeBinding": binding volumes: provisioning failed for PVC "data-opensearch-data-3"',
                             since, now - timedelta(minutes=1), 17))
    objs.append(event(ns, "PersistentVolumeClaim", "data-opensearch-data-3", pv3["metadata"]["uid"], "ExternalProvisioning",
                      "Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
                      since, now - timedelta(seconds=20), count=139, etype="Normal", component="persistentvolume-controller"))
    objs.append(event(ns, "PersistentVolumeClaim", "data-opensearch-data-3", pv3["metadata"]["uid"], "ProvisioningFailed",
                      'failed to provision volume with StorageClass "gp3": rpc error: code = Internal desc = Could not create volume "pvc-%s": could not create volume in EC2: operation error EC2: CreateVolume, https response error StatusCode: 403, RequestID: 5e1a0c7d-8b0f-4b8e-9d6c-21f5c1f0b7aa, api error UnauthorizedOperation: You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/shop-prod-ebs-csi-controller/1733220561904 is not authorized to perform: ec2:CreateVolume on resource: arn:aws:ec2:us-west-2:123456789012:volume/* because no identity-based policy allows the ec2:CreateVolume action'
                      % uid("pvc", ns, "data-opensearch-data-3"),
                      since, now - timedelta(minutes=2), count=18, component="ebs.csi.aws.com_ebs-csi-controller-7c9d8b6f4-x2lqd_1f3e"))
    return {
        "name": "h6-ebs-csi-cannot-create-volume-new-data-node-pending",
        "description": """
The OpenSearch data tier was scaled from 3 to 4 and opensearch-data-3 has been Pending for 34 minutes.
The scheduler picked a node but cannot bind its volume: the claim data-opensearch-data-3 stays Pending
and the EBS CSI driver reports UnauthorizedOperation, its IAM role is not allowed ec2:CreateVolume (the
policy was narrowed last week). The three existing pods are fine. The pod waits on a volume that cannot
be created; the responsible object named by the evidence is that claim. No logs (the pod never ran)
and no metrics were captured.""",
        "sources": ["kubernetes-sigs/aws-ebs-csi-driver issue 963 (PVC pending indefinitely; ProvisioningFailed ... UnauthorizedOperation, ec2:CreateVolume not attached to the role), https://github.com/kubernetes-sigs/aws-ebs-csi-driver/issues/963",
                    "kubernetes-sigs/aws-ebs-csi-driver issue 954 'PVC are in Pending state' (status code 403 from CreateVolume), https://github.com/kubernetes-sigs/aws-ebs-csi-driver/issues/954"],
        "now": now,
        "alert": statefulset_mismatch_alert(ns, "opensearch-data", now - timedelta(minutes=19), 3),
        "expect": {"category": "Unschedulable", "entity": {"namespace": ns, "kind": "PersistentVolumeClaim", "name": "data-opensearch-data-3"},
                   "mentions": ["UnauthorizedOperation"]},
        "objects": objs, "logs": {}, "metrics": None,
    }


def volume_zone_left_out_of_nodepool():
    now = parse("2026-12-03T23:50:00Z")
    ns = "messaging"
    n_a, n_c = node_name(6, 201), node_name(38, 17)
    nodes_ = [node(n_a, now, itype="m6i.large", cpu="2", memory="8Gi", pool="stateful"),
              node(n_c, now, itype="m6i.large", cpu="2", memory="8Gi", pool="stateful", zone="us-west-2c")]
    c = container_spec("rabbitmq", "docker.io/rabbitmq:3.13.7-management", cpu_req="500m", mem_req="2Gi", mem_lim="2Gi", ports=[("amqp", 5672)],
                       readiness=tcp_probe(5672), volume_mounts=[{"name": "data", "mountPath": "/var/lib/rabbitmq/mnesia"}])
    sts = Workload("StatefulSet", ns, "rabbitmq", {"app.kubernetes.io/name": "rabbitmq"}, [c], 3, now - timedelta(days=300), revision=5,
                   volume_claims=[("data", "20Gi", "gp3")], service_name="rabbitmq-nodes",
                   extra_template={"nodeSelector": {"karpenter.sh/nodepool": "stateful"}})
    sts.status = {"readyReplicas": 2, "availableReplicas": 2, "currentReplicas": 3, "updatedReplicas": 3}
    since = now - timedelta(minutes=41)
    p0 = sts.pod(0, None, [running(now - timedelta(days=12))], n_a, now - timedelta(days=12))
    p2 = sts.pod(2, None, [running(now - timedelta(days=12))], n_c, now - timedelta(days=12))
    msg = "0/9 nodes are available: 2 node(s) had volume node affinity conflict, 7 node(s) didn't match Pod's node affinity/selector. preemption: 0/9 nodes are available: 9 Preemption is not helpful for scheduling."
    p1 = _pending(sts.pod(1, None, None, None, since), msg, since)
    pvcs, pvs = [], []
    for i, zone in enumerate(("us-west-2a", "us-west-2b", "us-west-2c")):
        claim = f"data-rabbitmq-{i}"
        vol = f"pvc-{uid('pvc', ns, claim)}"
        pvcs.append(pvc(ns, claim, "20Gi", "gp3", "Bound", now - timedelta(days=300), volume=vol))
        pvs.append(pv(vol, ns, claim, "20Gi", "gp3", zone, now - timedelta(days=300)))
    objs = nodes_ + sts.objects() + [p0, p1, p2] + pvcs + pvs
    objs.append(event_series(ns, "Pod", "rabbitmq-1", p1["metadata"]["uid"], "FailedScheduling", msg, since, now - timedelta(minutes=1), 24))
    objs.append(event(ns, "Pod", "rabbitmq-1", p1["metadata"]["uid"], "FailedScheduling",
                      'Failed to schedule pod, incompatible with nodepool "stateful", daemonset overhead={"cpu":"180m","memory":"240Mi","pods":"4"}, incompatible requirements, key topology.kubernetes.io/zone, topology.kubernetes.io/zone In [us-west-2b] not in topology.kubernetes.io/zone In [us-west-2a us-west-2c]; incompatible with nodepool "general", did not tolerate workload=stateful:NoSchedule',
                      since, now - timedelta(minutes=2), count=20, component="karpenter"))
    objs.append(event(ns, "Pod", "rabbitmq-1", p1["metadata"]["uid"], "Killing",
                      "Stopping container rabbitmq", since - timedelta(minutes=1), since - timedelta(minutes=1), etype="Normal", host=n_a))
    logs = {(ns, "rabbitmq-0", "rabbitmq", False): log_lines(since, 60, [
        "@RMQ@ [info] <0.1502.0> rabbit on node 'rabbit@rabbitmq-1.rabbitmq-nodes.messaging' down",
        "@RMQ@ [warning] <0.1502.0> Quorum queue 'order-events' in vhost '/': member rabbit@rabbitmq-1.rabbitmq-nodes.messaging is not reachable"] * 5)}
    return {
        "name": "h6-statefulset-pod-pending-volume-zone-outside-nodepool",
        "description": """
rabbitmq-1 has been Pending for 41 minutes after Karpenter consolidated the only us-west-2b node of the
stateful NodePool. Its volume data-rabbitmq-1 is an EBS volume in us-west-2b, and the NodePool was
recently restricted to us-west-2a and us-west-2c, so the scheduler reports "volume node affinity
conflict" and Karpenter "incompatible requirements ... topology.kubernetes.io/zone In [us-west-2b] not
in [us-west-2a us-west-2c]". The StatefulSet pod cannot be placed; the volume itself is healthy. No
metrics were captured.""",
        "sources": ["aws/karpenter-provider-aws issue 2971 'Pod stuck pending with volume node affinity conflict', https://github.com/aws/karpenter-provider-aws/issues/2971",
                    "kubernetes-sigs/karpenter issue 2458 'Pods pending forever on mismatched topology.ebs.csi.aws.com/zone', https://github.com/kubernetes-sigs/karpenter/issues/2458"],
        "now": now,
        "alert": statefulset_mismatch_alert(ns, "rabbitmq", now - timedelta(minutes=25), 2),
        "expect": {"category": "Unschedulable", "entity": {"namespace": ns, "kind": "StatefulSet", "name": "rabbitmq"},
                   "mentions": ["volume node affinity conflict"]},
        "objects": objs, "logs": logs, "metrics": None,
    }


def nodepool_cpu_limit_reached():
    now = parse("2026-12-04T09:15:00Z")
    ns = "media"
    nodes_ = [node(node_name(10 + i, 30 + i), now, itype="c7i.4xlarge", cpu="16", memory="32Gi", pool="default",
                   zone=("us-west-2a", "us-west-2b", "us-west-2c")[i % 3]) for i in range(6)]
    c = container_spec("transcoder", f"{ECR}transcoder:5.0.2", cpu_req="3", cpu_lim="4", mem_req="4Gi", mem_lim="6Gi")
    d = Workload("Deployment", ns, "transcoder", {"app.kubernetes.io/name": "transcoder"}, [c], 36, now - timedelta(days=120), revision=19)
    h = d.add_rs(19, 36, 28, created=now - timedelta(days=3))
    since = now - timedelta(minutes=22)
    run = [d.pod(h, i, [running(now - timedelta(hours=3))], nodes_[i % 6]["metadata"]["name"], now - timedelta(hours=3)) for i in range(28)]
    msg = "0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod."
    pend = [_pending(d.pod(h, i, None, None, since), msg, since) for i in range(28, 36)]
    objs = nodes_ + d.objects() + run + pend
    for p in pend:
        objs.append(event_series(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "FailedScheduling", msg, since, now - timedelta(minutes=1), 12))
        objs.append(event(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "FailedScheduling",
                          'Failed to schedule pod, all available instance types exceed limits for nodepool: "default"',
                          since, now - timedelta(minutes=1), count=21, component="karpenter"))
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    m.gauge("karpenter_nodepools_limit", {"nodepool": "default", "resource_type": "cpu", "job": "karpenter"}, lambda t: 96)
    m.gauge("karpenter_nodepools_usage", {"nodepool": "default", "resource_type": "cpu", "job": "karpenter"}, lambda t: 96)
    m.gauge("kube_deployment_spec_replicas", {"namespace": ns, "deployment": "transcoder", "job": "kube-state-metrics"},
            lambda t: 28 if t < since else 36)
    m.gauge("kube_deployment_status_replicas_available", {"namespace": ns, "deployment": "transcoder", "job": "kube-state-metrics"}, lambda t: 28)
    m.gauge("kube_pod_status_unschedulable", {"namespace": ns, "pod": pend[0]["metadata"]["name"], "job": "kube-state-metrics"},
            lambda t: 1 if t >= since else None)
    return {
        "name": "h6-karpenter-nodepool-cpu-limit-leaves-transcoders-pending",
        "description": """
The transcoder Deployment was scaled from 28 to 36 for a backlog and 8 pods have been Pending for 22
minutes. The scheduler sees "Insufficient cpu" on all 6 nodes and Karpenter refuses to launch more:
"all available instance types exceed limits for nodepool: default" (limit 96 CPU, all in use). Running
pods are healthy. Pods stay Pending for lack of schedulable capacity.""",
        "sources": ["aws/karpenter-provider-aws issue 5975 'no instance type satisfied resources' (the real problem was the NodePool limits), https://github.com/aws/karpenter-provider-aws/issues/5975",
                    "kubernetes-sigs/karpenter issue 2123 (all available instance types exceed limits for nodepool), https://github.com/kubernetes-sigs/karpenter/issues/2123"],
        "now": now,
        "alert": alert("KubeDeploymentReplicasMismatch", {"namespace": ns, "deployment": "transcoder", "severity": "warning", "job": "kube-state-metrics"},
                       f"Deployment {ns}/transcoder has not matched the expected number of replicas for longer than 15 minutes.",
                       now - timedelta(minutes=7), 'kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}', 8),
        "expect": {"category": "Unschedulable", "entity": {"namespace": ns, "kind": "Deployment", "name": "transcoder"},
                   "mentions": ["exceed limits"]},
        "objects": objs, "logs": {}, "metrics": m,
    }


def new_nodepool_role_cannot_pull_ecr():
    now = parse("2026-12-04T14:02:00Z")
    ns = "reports"
    old = node_name(18, 222)
    new1, new2 = node_name(44, 71), node_name(45, 9)
    nodes_ = [node(old, now, itype="m6i.xlarge"),
              node(new1, now, itype="c7i.2xlarge", cpu="8", memory="16Gi", pool="batch", zone="us-west-2c", capacity_type="spot",
                   extra_labels={"karpenter.k8s.aws/ec2nodeclass": "batch"}),
              node(new2, now, itype="c7i.2xlarge", cpu="8", memory="16Gi", pool="batch", zone="us-west-2c", capacity_type="spot",
                   extra_labels={"karpenter.k8s.aws/ec2nodeclass": "batch"})]
    for nn in nodes_[1:]:
        nn["metadata"]["creationTimestamp"] = ts(now - timedelta(minutes=35))
    img = f"{ECR}report-renderer:4.2.0"
    c = container_spec("report-renderer", img, cpu_req="2", mem_req="3Gi", mem_lim="4Gi", ports=[("http", 8080)])
    d = Workload("Deployment", ns, "report-renderer", {"app.kubernetes.io/name": "report-renderer"}, [c], 5, now - timedelta(days=180), revision=27,
                 extra_template={"tolerations": [{"key": "workload", "value": "batch", "effect": "NoSchedule"}]})
    h = d.add_rs(27, 5, 1, created=now - timedelta(days=2))
    ok = d.pod(h, 0, [running(now - timedelta(days=2))], old, now - timedelta(days=2))
    pull_msg = (f'failed to pull and unpack image "{img}": failed to resolve reference "{img}": pull access denied, repository does not exist '
                f'or may require authorization: authorization failed: no basic auth credentials')
    bad = []
    for i in range(1, 5):
        nn = (new1, new2)[i % 2]
        reason = "ImagePullBackOff" if i % 2 else "ErrImagePull"
        text = f'Back-off pulling image "{img}"' if i % 2 else f"rpc error: code = Unknown desc = {pull_msg}"
        bad.append(d.pod(h, i, [waiting(reason, text)], nn, now - timedelta(minutes=33), phase="Pending"))
    objs = nodes_ + d.objects() + [ok] + bad
    for p in bad:
        nn = p["spec"]["nodeName"]
        objs.append(event(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "Failed", f'Failed to pull image "{img}": {pull_msg}',
                          now - timedelta(minutes=32), now - timedelta(minutes=2), count=9, host=nn, field_path="spec.containers{report-renderer}"))
        objs.append(event(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "BackOff", f'Back-off pulling image "{img}"',
                          now - timedelta(minutes=32), now - timedelta(seconds=30), count=130, etype="Normal", host=nn,
                          field_path="spec.containers{report-renderer}"))
    logs = {(ns, ok["metadata"]["name"], "report-renderer", False): log_lines(now - timedelta(minutes=30), 60, [
        "info: ReportRenderer.Worker[0] Rendered report 7f3a (412 pages) in 38.2 s"] * 20)}
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    for p in bad:
        m.gauge("kube_pod_container_status_waiting_reason", ksm(ns, p["metadata"]["name"], "report-renderer", reason="ImagePullBackOff"),
                lambda t: 1 if t >= now - timedelta(minutes=31) else None)
    return {
        "name": "h6-batch-nodepool-role-cannot-pull-from-ecr",
        "description": """
report-renderer was moved to a new Karpenter NodePool "batch" (spot, its own EC2NodeClass and node role)
to absorb month-end reports. Every pod placed on the two new batch nodes fails ErrImagePull /
ImagePullBackOff with "authorization failed: no basic auth credentials" for the private ECR image; the
one pod still on an old general node runs the very same image tag. The tag exists; the new nodes are
not allowed to pull it. The image pull is the failure of the Deployment's new pods.""",
        "sources": ["aws/karpenter-provider-aws issue 1225 'Karpenter doesn't create Nodes' (the instance profile needs AmazonEC2ContainerRegistryReadOnly among its policies), https://github.com/aws/karpenter-provider-aws/issues/1225",
                    "aws/amazon-vpc-cni-k8s issue 708 'no basic auth credentials' (node role without ECR pull permission), https://github.com/aws/amazon-vpc-cni-k8s/issues/708"],
        "now": now,
        "alert": alert("KubeContainerWaiting", {"namespace": ns, "pod": bad[0]["metadata"]["name"], "container": "report-renderer",
                                                "severity": "warning", "job": "kube-state-metrics"},
                       f"Pod {ns}/{bad[0]['metadata']['name']} container report-renderer has been in waiting state for longer than 1 hour.",
                       now - timedelta(minutes=15), 'sum by (namespace, pod, container) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0', 1),
        "expect": {"category": "ImagePull", "entity": {"namespace": ns, "kind": "Deployment", "name": "report-renderer"},
                   "mentions": ["no basic auth credentials"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def cpu_request_typo_cost_spike():
    now = parse("2026-12-05T08:00:00Z")
    ns = "search"
    general = [node(node_name(12 + i, 10 + i), now, itype="m6i.xlarge", zone=("us-west-2a", "us-west-2b")[i % 2]) for i in range(3)]
    t0 = now - timedelta(hours=5, minutes=30)
    big = []
    for i in range(6):
        nn = node(node_name(46, 100 + i), now, itype="c6i.8xlarge", cpu="32", memory="64Gi", zone=("us-west-2a", "us-west-2b", "us-west-2c")[i % 3])
        nn["metadata"]["creationTimestamp"] = ts(t0 + timedelta(minutes=2 + i))
        big.append(nn)

    def c(cpu):
        return container_spec("indexer", f"{ECR}search-indexer:3.9.0", cpu_req=cpu, mem_req="2Gi", mem_lim="4Gi", ports=[("http", 8080)])
    d = Workload("Deployment", ns, "indexer", {"app.kubernetes.io/name": "indexer"}, [c("24")], 6, now - timedelta(days=400), revision=22)
    h_old = d.add_rs(21, 0, 0, containers=[c("2400m")], created=now - timedelta(days=30))
    h = d.add_rs(22, 6, 6, containers=[c("24")], created=t0)
    pods = [d.pod(h, i, [running(t0 + timedelta(minutes=4 + i))], big[i]["metadata"]["name"], t0 + timedelta(minutes=1)) for i in range(6)]
    objs = general + big + d.objects() + pods
    objs.append(event(ns, "Deployment", "indexer", d.uid, "ScalingReplicaSet", f"Scaled up replica set indexer-{h} from 0 to 6", t0, t0,
                      etype="Normal", component="deployment-controller", api="apps/v1"))
    for i, p in enumerate(pods):
        objs.append(event(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "Nominated",
                          f"Pod should schedule on: nodeclaim/default-{uid('nc', i)[:5]}", t0 + timedelta(seconds=20), t0 + timedelta(seconds=20),
                          etype="Normal", component="karpenter"))
    m = Metrics(now - timedelta(hours=7), now - timedelta(minutes=1), step=300)
    for nn in general:
        m.gauge("node_total_hourly_cost", {"node": nn["metadata"]["name"], "instance_type": "m6i.xlarge", "region": "us-west-2", "job": "opencost"},
                lambda t: 0.192)
    for nn in big:
        created = parse(nn["metadata"]["creationTimestamp"])
        m.gauge("node_total_hourly_cost", {"node": nn["metadata"]["name"], "instance_type": "c6i.8xlarge", "region": "us-west-2", "job": "opencost"},
                (lambda t, cr=created: 1.36 if t >= cr else None))
    for i, p in enumerate(pods):
        m.gauge("kube_pod_container_resource_requests", ksm(ns, p["metadata"]["name"], "indexer", node=p["spec"]["nodeName"], resource="cpu", unit="core"),
                lambda t: 24 if t >= t0 + timedelta(minutes=4) else None)
        m.counter("container_cpu_usage_seconds", cadvisor(ns, p["metadata"]["name"], "indexer", p["spec"]["nodeName"]),
                  lambda t: 1.7, start=t0 + timedelta(minutes=5))
    m.gauge("opencost_namespace_hourly_cost", {"namespace": ns, "job": "opencost"},
            lambda t: 1.4 if t < t0 else 8.9)
    return {
        "name": "h6-cpu-request-typo-launches-six-large-nodes",
        "description": """
The search namespace now costs ~8.9 USD/hour instead of ~1.4. Revision 22 of the indexer Deployment,
rolled out 5.5 hours ago, changed its CPU request from 2400m to "24" (the units were dropped), so
Karpenter launched a c6i.8xlarge for each of the 6 replicas; each pod uses ~1.7 cores of the 24 it
requests. Nothing is failing for users. The spend grew because requests were raised far above use.""",
        "sources": ["Gajus Kuizinas, 'Mistake that cost thousands (Kubernetes, GKE)' (resource requests and node sizing drove a large unexpected bill), https://dev.to/gajus/mistake-that-cost-thousands-kubernetes-gke-46ij",
                    "APPUiO status page, 'Imbalance of CPU and memory requests' (CPU requests far above the platform ratio factored into pricing), https://status.appuio.cloud/incidents/6134"],
        "now": now,
        "alert": alert("NamespaceCostAboveBaseline", {"namespace": ns, "severity": "info", "team": "finops"},
                       "search hourly cost is 6.4x its 7-day baseline", now - timedelta(hours=4),
                       'opencost_namespace_hourly_cost / avg_over_time(opencost_namespace_hourly_cost[7d] offset 1d) > 2', 6.4),
        "expect": {"category": "CostAnomaly", "entity": {"namespace": ns, "kind": "Deployment", "name": "indexer"},
                   "mentions": ["request"]},
        "objects": objs, "logs": {}, "metrics": m,
    }


def elasticsearch_liveness_kills_during_startup():
    now = parse("2026-12-05T13:40:00Z")
    ns = "logging"
    nodes_ = [node(node_name(9 + i, 70 + i), now, itype="r6i.xlarge", memory="32Gi", pool="stateful", zone=z)
              for i, z in enumerate(("us-west-2a", "us-west-2b", "us-west-2c"))]
    nodes_[2]["metadata"]["creationTimestamp"] = ts(now - timedelta(minutes=40))
    c = container_spec("elasticsearch", "docker.elastic.co/elasticsearch/elasticsearch:8.15.3", cpu_req="1", mem_req="8Gi", mem_lim="8Gi",
                       ports=[("http", 9200), ("transport", 9300)],
                       env=[{"name": "ES_JAVA_OPTS", "value": "-Xms4g -Xmx4g"}],
                       liveness=tcp_probe(9300, period=10, timeout=1, failure=3, initial=10),
                       readiness=http_probe("/_cluster/health?local=true", 9200, period=10, timeout=5))
    sts = Workload("StatefulSet", ns, "es-logs", {"app.kubernetes.io/name": "es-logs"}, [c], 3, now - timedelta(days=365), revision=14,
                   volume_claims=[("data", "500Gi", "gp3")], service_name="es-logs-headless")
    sts.status = {"readyReplicas": 2, "availableReplicas": 2, "currentReplicas": 3, "updatedReplicas": 3}
    # Each start is killed ~40 s in (10 s delay + 3 failed checks 10 s apart),
    # then the 5-minute back-off.
    run = 40
    kills = [now - timedelta(seconds=s) for s in (1840, 1500, 1160, 820, 480, 140)]
    pods = [sts.pod(i, None, [running(now - timedelta(days=9))], nodes_[i]["metadata"]["name"], now - timedelta(days=9)) for i in range(2)]
    p2 = sts.pod(2, None, [waiting("CrashLoopBackOff", crashloop_message(ns, "es-logs-2", "elasticsearch"), restarts=7,
                                   last=("Error", 143, kills[-1] - timedelta(seconds=run), kills[-1]))],
                 nodes_[2]["metadata"]["name"], now - timedelta(minutes=36))
    objs = nodes_ + sts.objects() + pods + [p2]
    host = nodes_[2]["metadata"]["name"]
    ip = p2["status"]["podIP"]
    objs.append(event(ns, "Pod", "es-logs-2", p2["metadata"]["uid"], "Unhealthy",
                      f"Liveness probe failed: dial tcp {ip}:9300: connect: connection refused", now - timedelta(minutes=35),
                      now - timedelta(minutes=2), count=21, host=host, field_path="spec.containers{elasticsearch}"))
    objs.append(event(ns, "Pod", "es-logs-2", p2["metadata"]["uid"], "Killing",
                      "Container elasticsearch failed liveness probe, will be restarted", now - timedelta(minutes=34),
                      now - timedelta(minutes=2), count=7, etype="Normal", host=host, field_path="spec.containers{elasticsearch}"))
    objs.append(event(ns, "Pod", "es-logs-2", p2["metadata"]["uid"], "Unhealthy",
                      f'Readiness probe failed: Get "http://{ip}:9200/_cluster/health?local=true": dial tcp {ip}:9200: connect: connection refused',
                      now - timedelta(minutes=35), now - timedelta(minutes=2), count=40, host=host, field_path="spec.containers{elasticsearch}"))
    start_lines = [
        '{"@timestamp":"@ISO@", "log.level": "INFO", "message":"version[8.15.3], pid[7], build[docker/f2e6b5a], OS[Linux/6.1.112/amd64], JVM[Oracle Corporation/OpenJDK 64-Bit Server VM/22.0.1/22.0.1+8-16]", "service.name":"ES_ECS","event.dataset":"elasticsearch.server","process.thread.name":"main","log.logger":"org.elasticsearch.node.Node"}',
        '{"@timestamp":"@ISO@", "log.level": "INFO", "message":"loaded module [x-pack-security]", "log.logger":"org.elasticsearch.plugins.PluginsService"}',
        '{"@timestamp":"@ISO@", "log.level": "INFO", "message":"using [1] data paths, mounts [[/usr/share/elasticsearch/data (/dev/nvme2n1)]], net usable_space [311.4gb], net total_space [491.1gb], types [ext4]", "log.logger":"org.elasticsearch.env.NodeEnvironment"}',
        '{"@timestamp":"@ISO@", "log.level": "INFO", "message":"recovering [1288] indices from the local gateway metadata before binding transport", "log.logger":"org.elasticsearch.gateway.GatewayMetaState"}',
        '{"@timestamp":"@ISO@", "log.level": "INFO", "message":"stopping ...", "log.logger":"org.elasticsearch.node.Node"}',
        '{"@timestamp":"@ISO@", "log.level": "INFO", "message":"stopped", "log.logger":"org.elasticsearch.node.Node"}']
    logs = {(ns, "es-logs-2", "elasticsearch", True): log_lines(kills[-2] - timedelta(seconds=run - 1), 6.5, start_lines),
            (ns, "es-logs-2", "elasticsearch", False): log_lines(kills[-1] - timedelta(seconds=run - 1), 6.5, start_lines)}
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    restarts(m, ns, "es-logs-2", "elasticsearch", kills, before=1)
    m.gauge("container_memory_working_set_bytes", cadvisor(ns, "es-logs-2", "elasticsearch", host),
            lambda t: int(4.6 * GI) if any(k - timedelta(seconds=run) <= t <= k for k in kills) else None)
    limits(m, ns, "es-logs-2", "elasticsearch", host, memory=8 * GI, cpu=None)
    m.gauge("elasticsearch_cluster_health_status", {"cluster": "es-logs", "color": "yellow", "job": "es-exporter"}, lambda t: 1)
    return {
        "name": "h6-elasticsearch-liveness-on-transport-kills-slow-recovery",
        "description": """
es-logs-2 came up on a fresh node after consolidation and has restarted 7 times in 35 minutes. Each
start logs normal progress (modules, data path, "recovering [1288] indices ... before binding
transport") and then "stopping ..." with exit code 143: the kubelet kills it because the liveness probe
is a TCP check on transport port 9300 with 10s initial delay and 3 failures, and with 1288 indices the
node needs longer than that before it binds 9300. Memory is at 4.6 of 8 GiB; no error is logged. The
liveness probe of the StatefulSet is killing a healthy but slow starter.""",
        "sources": ["pires/kubernetes-elasticsearch-cluster issue 175 'es-master fails: Liveness probe failed: dial tcp ...:9300: getsockopt: connection refused' (fixed by initialDelaySeconds), https://github.com/pires/kubernetes-elasticsearch-cluster/issues/175",
                    "pires/kubernetes-elasticsearch-cluster issue 204 'Data node Crash Loop' (liveness failing and killing the container), https://github.com/pires/kubernetes-elasticsearch-cluster/issues/204"],
        "now": now,
        "alert": alert("KubePodCrashLooping", {"namespace": ns, "pod": "es-logs-2", "container": "elasticsearch", "severity": "warning", "job": "kube-state-metrics"},
                       f"Pod {ns}/es-logs-2 (elasticsearch) is restarting 3.00 times / 15 minutes.", now - timedelta(minutes=18),
                       'increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[15m]) > 1', 3),
        "expect": {"category": "ProbeFailure", "entity": {"namespace": ns, "kind": "StatefulSet", "name": "es-logs"},
                   "mentions": ["liveness", "9300"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


CASES = [ebs_csi_missing_iam_permission, volume_zone_left_out_of_nodepool, nodepool_cpu_limit_reached, new_nodepool_role_cannot_pull_ecr,
         cpu_request_typo_cost_spike, elasticsearch_liveness_kills_during_startup]
