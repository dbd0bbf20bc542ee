package main

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// instanceType is what an EKS node of that EC2 type reports.
type instanceType struct {
	cpu, memCapacity, cpuAlloc, memAlloc string
	pods                                 int64
}

var instanceTypes = map[string]instanceType{
	"m6i.large":   {"2", "7910360Ki", "1930m", "7220184Ki", 29},
	"m6i.xlarge":  {"4", "15896532Ki", "3920m", "15206356Ki", 58},
	"m5.2xlarge":  {"8", "32408932Ki", "7910m", "31718756Ki", 58},
	"r6i.large":   {"2", "16044064Ki", "1930m", "15353888Ki", 29},
	"c6i.xlarge":  {"4", "7910360Ki", "3920m", "7220184Ki", 58},
	"g5.xlarge":   {"4", "16142372Ki", "3920m", "15452196Ki", 58},
	"t3.medium":   {"2", "3955652Ki", "1930m", "3400644Ki", 17},
	"m7g.large":   {"2", "7910360Ki", "1930m", "7220184Ki", 29},
	"m6a.2xlarge": {"8", "32408932Ki", "7910m", "31718756Ki", 58},
}

// nodePlan is a node and the history of its conditions.
type nodePlan struct {
	b         *builder
	name, ip  string
	zone      string
	itype     string
	nodegroup string
	created   time.Time
	conds     []*nodeCond
	taints    []corev1.Taint
	// unschedulable is set by a cordon.
	unschedulable bool
}

// nodeCond is a node condition whose status changed to status at since
// (before that it had the healthy status).
type nodeCond struct {
	typ, status, reason, message string
	since                        time.Time
	healthy                      string
}

func (b *builder) node(zone, itype, nodegroup string) *nodePlan {
	if _, ok := instanceTypes[itype]; !ok {
		panic("unknown instance type " + itype)
	}
	ip := fmt.Sprintf("10.0.%d.%d", b.rng.IntN(32)*4+b.zoneIndex(zone), 10+b.rng.IntN(240))
	domain := b.region + ".compute.internal"
	if b.region == "us-east-1" {
		domain = "ec2.internal"
	}
	n := &nodePlan{b: b, ip: ip, zone: zone, itype: itype, nodegroup: nodegroup,
		name:    fmt.Sprintf("ip-%s.%s", dashed(ip), domain),
		created: b.now.Add(-time.Duration(30+b.rng.IntN(400)) * time.Hour)}
	long := n.created.Add(90 * time.Second)
	n.conds = []*nodeCond{
		{typ: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available", since: long},
		{typ: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure", since: long},
		{typ: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available", since: long},
		{typ: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", since: long},
	}
	for _, c := range n.conds {
		c.healthy = c.status
	}
	b.nodes = append(b.nodes, n)
	return n
}

func (b *builder) zoneIndex(zone string) int { return int(zone[len(zone)-1]-'a') + 1 }

func dashed(ip string) string {
	out := []byte(ip)
	for i, c := range out {
		if c == '.' {
			out[i] = '-'
		}
	}
	return string(out)
}

// condition changes a node condition at since.
func (n *nodePlan) condition(typ, status, reason, message string, since time.Time) {
	for _, c := range n.conds {
		if c.typ == typ {
			c.status, c.reason, c.message, c.since = status, reason, message, since
			return
		}
	}
	panic("unknown node condition " + typ)
}

func (n *nodePlan) condAt(c *nodeCond, t time.Time) string {
	if t.Before(c.since) {
		return c.healthy
	}
	return c.status
}

func (n *nodePlan) object() *corev1.Node {
	it := instanceTypes[n.itype]
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse(it.cpu),
		corev1.ResourceMemory:           resource.MustParse(it.memCapacity),
		corev1.ResourcePods:             *resource.NewQuantity(it.pods, resource.DecimalSI),
		corev1.ResourceEphemeralStorage: resource.MustParse("83873772Ki"),
	}
	alloc := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse(it.cpuAlloc),
		corev1.ResourceMemory:           resource.MustParse(it.memAlloc),
		corev1.ResourcePods:             *resource.NewQuantity(it.pods, resource.DecimalSI),
		corev1.ResourceEphemeralStorage: resource.MustParse("76224326324"),
	}
	var conds []corev1.NodeCondition
	for _, c := range n.conds {
		heartbeat := n.b.now.Add(-time.Duration(5+n.b.rng.IntN(50)) * time.Second)
		if c.typ == "Ready" && c.status == "Unknown" {
			heartbeat = c.since.Add(-40 * time.Second)
		}
		conds = append(conds, corev1.NodeCondition{
			Type: corev1.NodeConditionType(c.typ), Status: corev1.ConditionStatus(c.status),
			Reason: c.reason, Message: c.message,
			LastHeartbeatTime:  metav1.NewTime(heartbeat),
			LastTransitionTime: metav1.NewTime(c.since),
		})
	}
	arch := "amd64"
	if n.itype == "m7g.large" {
		arch = "arm64"
	}
	return &corev1.Node{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: metav1.ObjectMeta{
			Name: n.name, UID: k8sUID(n.b.uid()), ResourceVersion: fmt.Sprint(40000000 + n.b.rng.IntN(9000000)),
			CreationTimestamp: metav1.NewTime(n.created),
			Labels: map[string]string{
				"beta.kubernetes.io/arch":          arch,
				"beta.kubernetes.io/instance-type": n.itype,
				"beta.kubernetes.io/os":            "linux",
				"eks.amazonaws.com/capacityType":   "ON_DEMAND",
				"eks.amazonaws.com/nodegroup":      n.nodegroup,
				"kubernetes.io/arch":               arch,
				"kubernetes.io/hostname":           n.name,
				"kubernetes.io/os":                 "linux",
				"node.kubernetes.io/instance-type": n.itype,
				"topology.kubernetes.io/region":    n.b.region,
				"topology.kubernetes.io/zone":      n.zone,
			},
			Annotations: map[string]string{
				"alpha.kubernetes.io/provided-node-ip":                   n.ip,
				"node.alpha.kubernetes.io/ttl":                           "0",
				"volumes.kubernetes.io/controller-managed-attach-detach": "true",
			},
		},
		Spec: corev1.NodeSpec{
			ProviderID:    fmt.Sprintf("aws:///%s/i-0%s", n.zone, n.b.hex(16)),
			Taints:        n.taints,
			Unschedulable: n.unschedulable,
		},
		Status: corev1.NodeStatus{
			Capacity: capacity, Allocatable: alloc, Conditions: conds,
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: n.ip},
				{Type: corev1.NodeHostName, Address: n.name},
				{Type: corev1.NodeInternalDNS, Address: n.name},
			},
			DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: 10250}},
			NodeInfo: corev1.NodeSystemInfo{
				MachineID: n.b.hex(32), SystemUUID: "ec2" + n.b.hex(5) + "-" + n.b.hex(4) + "-" + n.b.hex(4) + "-" + n.b.hex(4) + "-" + n.b.hex(12),
				BootID: n.b.uid(), KernelVersion: "6.1.155-176.282.amzn2023." + map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[arch],
				OSImage: "Amazon Linux 2023.9.20251014", ContainerRuntimeVersion: "containerd://1.7.27",
				KubeletVersion:  "v1.33.5-eks-113cf36",
				OperatingSystem: "linux", Architecture: arch,
			},
		},
	}
}

// finishNode writes the node object and its kube-state-metrics series.
func (n *nodePlan) finish() {
	n.b.add("nodes.yaml", n.object())
	m := n.b.metrics
	ksm := n.b.ksmInstance()
	for _, c := range n.conds {
		// Only the status="true" series are kept (a common metric_relabel
		// drop); that is what node alerts query.
		for _, st := range []string{"true"} {
			c, st := c, st
			m.gauge("kube_node_status_condition", "The condition of a cluster node.",
				labels("condition", c.typ, "instance", ksm, "job", "kube-state-metrics", "node", n.name, "status", st),
				func(t time.Time) (float64, bool) {
					if t.Before(n.created) {
						return 0, false
					}
					if lower(n.condAt(c, t)) == st {
						return 1, true
					}
					return 0, true
				})
		}
	}
	it := instanceTypes[n.itype]
	memAlloc := resource.MustParse(it.memAlloc)
	cpuAlloc := resource.MustParse(it.cpuAlloc)
	for _, r := range []struct {
		res, unit string
		v         float64
	}{{"cpu", "core", float64(cpuAlloc.MilliValue()) / 1000}, {"memory", "byte", float64(memAlloc.Value())}} {
		v := r.v
		m.gauge("kube_node_status_allocatable", "The allocatable for different resources of a node that are available for scheduling.",
			labels("instance", ksm, "job", "kube-state-metrics", "node", n.name, "resource", r.res, "unit", r.unit),
			func(time.Time) (float64, bool) { return v, true })
	}
}

func lower(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c >= 'A' && c <= 'Z' {
			out[i] = c + 32
		}
	}
	return string(out)
}

// bornAt makes the node new: created at t, its conditions settled since then.
func (n *nodePlan) bornAt(t time.Time) {
	n.created = t
	for _, c := range n.conds {
		c.since = t.Add(40 * time.Second)
	}
}
