// Package finopstest writes the OpenMetrics a Kubernetes cluster would
// leave in Prometheus (kube-state-metrics v2 and cAdvisor series) from a
// short description, for tests and benchmarks to backfill into a real
// Prometheus with promtool.
package finopstest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Cluster is what ran between Start and End, sampled every Interval.
type Cluster struct {
	Start, End time.Time
	Interval   time.Duration
	Nodes      []Node
	Pods       []Pod
	// NamespaceLabels are kube_namespace_labels, keyed by namespace.
	NamespaceLabels map[string]map[string]string
}

// Node is one node for the whole window.
type Node struct {
	Name, InstanceType, Region string
	// CapacityType is eks.amazonaws.com/capacityType (ON_DEMAND, SPOT); empty
	// leaves the label out.
	CapacityType string
	// KarpenterCapacityType is karpenter.sh/capacity-type (on-demand, spot).
	KarpenterCapacityType string
	Cores, MemBytes       float64
	// KubeletVersion defaults to an EKS build (v1.30.4-eks-a737599).
	KubeletVersion string
}

// Pod is one pod. Its kube-state-metrics series exist from Created to the
// end; its containers run in [Started, Stopped) (zero Stopped: to the end),
// when cAdvisor reports them.
type Pod struct {
	Namespace, Name, Node string
	// OwnerKind and OwnerName are the pod's owner; a ReplicaSet owner is
	// itself owned by the Deployment DeploymentName when set.
	OwnerKind, OwnerName, DeploymentName string
	Labels                               map[string]string
	Created, Started, Stopped            time.Time
	// NeverRuns keeps the containers waiting (Pending).
	NeverRuns  bool
	Containers []Container
}

// Container has constant usage and constant requests, unless it is
// resized. CPU in cores, memory in bytes.
type Container struct {
	Name                   string
	CPURequest, MemRequest float64
	CPUUsage, MemUsage     float64
	// Resized, when set, is an in-place resize: from then on the same
	// request series carry CPURequestAfter and MemRequestAfter.
	Resized                          time.Time
	CPURequestAfter, MemRequestAfter float64
}

// requests is the container's request series' value: before and after a resize.
func (ct Container) requests(before, after float64) func(time.Time) float64 {
	if ct.Resized.IsZero() {
		return constant(before)
	}
	return func(t time.Time) float64 {
		if t.Before(ct.Resized) {
			return before
		}
		return after
	}
}

// GiB is a gibibyte in bytes.
const GiB = 1 << 30

// sample is one line of a series.
type series struct {
	name   string
	labels string
	from   time.Time
	to     time.Time // exclusive
	value  func(t time.Time) float64
}

// WriteFile writes the cluster's OpenMetrics into dir and returns the path.
func (c Cluster) WriteFile(tb testing.TB, dir string) string {
	tb.Helper()
	path := filepath.Join(dir, "cluster.om")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatalf("create fixture: %v", err)
	}
	if err := c.Write(f); err != nil {
		f.Close()
		tb.Fatalf("write fixture: %v", err)
	}
	if err := f.Close(); err != nil {
		tb.Fatalf("close fixture: %v", err)
	}
	return path
}

// Write writes the OpenMetrics text, one family after another, ending in # EOF.
func (c Cluster) Write(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	families := c.families()
	names := make([]string, 0, len(families))
	for n := range families {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, fam := range names {
		typ := "gauge"
		metric := fam
		if strings.HasSuffix(fam, "_total") {
			typ = "counter"
			metric = strings.TrimSuffix(fam, "_total")
		}
		fmt.Fprintf(bw, "# TYPE %s %s\n", metric, typ)
		for _, s := range families[fam] {
			for t := c.align(s.from); t.Before(s.to); t = t.Add(c.Interval) {
				bw.WriteString(s.name)
				bw.WriteString("{")
				bw.WriteString(s.labels)
				bw.WriteString("} ")
				bw.WriteString(strconv.FormatFloat(s.value(t), 'g', -1, 64))
				bw.WriteString(" ")
				bw.WriteString(strconv.FormatInt(t.Unix(), 10))
				bw.WriteString("\n")
			}
		}
	}
	bw.WriteString("# EOF\n")
	return bw.Flush()
}

// align moves t to the next sample time of the grid that starts at Start.
func (c Cluster) align(t time.Time) time.Time {
	if t.Before(c.Start) {
		return c.Start
	}
	off := t.Sub(c.Start)
	if r := off % c.Interval; r != 0 {
		off += c.Interval - r
	}
	return c.Start.Add(off)
}

func labels(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i])
		b.WriteString("=")
		b.WriteString(strconv.Quote(kv[i+1]))
	}
	return b.String()
}

func constant(v float64) func(time.Time) float64 { return func(time.Time) float64 { return v } }

// ksmLabel is kube-state-metrics' sanitised name of a label key.
func ksmLabel(key string) string {
	var b strings.Builder
	b.WriteString("label_")
	for _, r := range key {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func labelPairs(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var kv []string
	for _, k := range keys {
		kv = append(kv, ksmLabel(k), m[k])
	}
	return kv
}

func (c Cluster) families() map[string][]series {
	out := map[string][]series{}
	add := func(s series) { out[s.name] = append(out[s.name], s) }
	end := c.End.Add(time.Nanosecond)
	for _, n := range c.Nodes {
		add(series{name: "kube_node_status_capacity", labels: labels("node", n.Name, "resource", "cpu", "unit", "core"), from: c.Start, to: end, value: constant(n.Cores)})
		add(series{name: "kube_node_status_capacity", labels: labels("node", n.Name, "resource", "memory", "unit", "byte"), from: c.Start, to: end, value: constant(n.MemBytes)})
		nl := map[string]string{}
		if n.InstanceType != "" {
			nl["node.kubernetes.io/instance-type"] = n.InstanceType
		}
		if n.Region != "" {
			nl["topology.kubernetes.io/region"] = n.Region
		}
		if n.CapacityType != "" {
			nl["eks.amazonaws.com/capacityType"] = n.CapacityType
		}
		if n.KarpenterCapacityType != "" {
			nl["karpenter.sh/capacity-type"] = n.KarpenterCapacityType
		}
		add(series{name: "kube_node_labels", labels: labels(append([]string{"node", n.Name}, labelPairs(nl)...)...), from: c.Start, to: end, value: constant(1)})
		kv := n.KubeletVersion
		if kv == "" {
			kv = "v1.30.4-eks-a737599"
		}
		add(series{name: "kube_node_info", labels: labels("node", n.Name, "kubelet_version", kv, "provider_id", "aws:///"+n.Region+"a/i-0"+n.Name), from: c.Start, to: end, value: constant(1)})
	}
	for ns, l := range c.NamespaceLabels {
		add(series{name: "kube_namespace_labels", labels: labels(append([]string{"namespace", ns}, labelPairs(l)...)...), from: c.Start, to: end, value: constant(1)})
	}
	rsSeen := map[string]bool{}
	for _, p := range c.Pods {
		created := p.Created
		if created.IsZero() {
			created = c.Start
		}
		started, stopped := p.Started, p.Stopped
		if started.IsZero() {
			started = created
		}
		if stopped.IsZero() {
			stopped = end
		}
		running := func(t time.Time) float64 {
			if !p.NeverRuns && !t.Before(started) && t.Before(stopped) {
				return 1
			}
			return 0
		}
		add(series{name: "kube_pod_info", labels: labels("namespace", p.Namespace, "pod", p.Name, "node", p.Node, "created_by_kind", p.OwnerKind, "created_by_name", p.OwnerName), from: created, to: end, value: constant(1)})
		ownerKind, ownerName := p.OwnerKind, p.OwnerName
		if ownerKind == "" {
			ownerKind, ownerName = "<none>", "<none>"
		}
		add(series{name: "kube_pod_owner", labels: labels("namespace", p.Namespace, "pod", p.Name, "owner_kind", ownerKind, "owner_name", ownerName, "owner_is_controller", "true"), from: created, to: end, value: constant(1)})
		if p.OwnerKind == "ReplicaSet" && p.DeploymentName != "" && !rsSeen[p.Namespace+"/"+p.OwnerName] {
			rsSeen[p.Namespace+"/"+p.OwnerName] = true
			add(series{name: "kube_replicaset_owner", labels: labels("namespace", p.Namespace, "replicaset", p.OwnerName, "owner_kind", "Deployment", "owner_name", p.DeploymentName, "owner_is_controller", "true"), from: c.Start, to: end, value: constant(1)})
		}
		if len(p.Labels) > 0 {
			add(series{name: "kube_pod_labels", labels: labels(append([]string{"namespace", p.Namespace, "pod", p.Name}, labelPairs(p.Labels)...)...), from: created, to: end, value: constant(1)})
		}
		for _, ct := range p.Containers {
			key := []string{"namespace", p.Namespace, "pod", p.Name, "container", ct.Name}
			withNode := append(append([]string{}, key...), "node", p.Node)
			add(series{name: "kube_pod_container_status_running", labels: labels(key...), from: created, to: end, value: running})
			add(series{name: "kube_pod_container_resource_requests", labels: labels(append(withNode, "resource", "cpu", "unit", "core")...), from: created, to: end, value: ct.requests(ct.CPURequest, ct.CPURequestAfter)})
			add(series{name: "kube_pod_container_resource_requests", labels: labels(append(withNode, "resource", "memory", "unit", "byte")...), from: created, to: end, value: ct.requests(ct.MemRequest, ct.MemRequestAfter)})
			if p.NeverRuns {
				continue
			}
			cad := append(append([]string{}, key...), "instance", p.Node, "id", "/kubepods/"+p.Name+"/"+ct.Name)
			usage := ct.CPUUsage
			add(series{name: "container_cpu_usage_seconds_total", labels: labels(cad...), from: started, to: stopped, value: func(t time.Time) float64 {
				return 1000 + usage*t.Sub(started).Seconds()
			}})
			add(series{name: "container_memory_working_set_bytes", labels: labels(cad...), from: started, to: stopped, value: constant(ct.MemUsage)})
		}
	}
	return out
}
