package analyze

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// NextSteps returns concrete actions for a root cause: kubectl commands for
// the responsible entity and PromQL to confirm the diagnosis, then the
// affected workload when the cause lies elsewhere (a dependency, a node).
func NextSteps(b *incident.Bundle, rc incident.RootCause) []incident.NextStep {
	if b == nil {
		b = &incident.Bundle{}
	}
	e := rc.Entity
	victim := targetEntity(b)
	if victim.IsZero() || victim.Name == "" {
		victim = e
	}
	ns := e.Namespace
	if ns == "" {
		ns = victim.Namespace
	}
	sel := promSelector(victim)
	ref := kubectlRef(b, e)
	vref := kubectlRef(b, victim)
	var steps []incident.NextStep
	// A command that could not run as printed (a placeholder left, a
	// namespace missing) is worse than none: the step is left out.
	add := func(text, cmd string) {
		if runsAsPrinted(cmd) {
			steps = append(steps, incident.NextStep{Text: text, Command: cmd})
		}
	}
	describe := func(ref string) string { return describeIn(ns, ref) }

	switch rc.Category {
	case incident.CategoryOOMKilled:
		add("Compare the memory working set with the limit per container", fmt.Sprintf(
			`max by (pod, container) (container_memory_working_set_bytes{%s, container!=""}) / on (pod, container) max by (pod, container) (kube_pod_container_resource_limits{%s, resource="memory"})`, sel, sel))
		add("Confirm the OOM kills and restarts", describe(ref))
		add("Raise the memory limit if the working set is legitimate, or fix the leak (profile heap growth)",
			fmt.Sprintf(`kubectl %s set resources %s --limits=memory=%s`, nsFlag(ns), ref, doubledLimit(b, victim, "memory")))
	case incident.CategoryCrashLoop:
		add("Read the output of the crashed run", previousLogs(b, victim))
		add("Check exit codes and restart counts", describe(ref))
		add("Watch the restart rate", fmt.Sprintf(`increase(kube_pod_container_status_restarts_total{%s}[15m])`, sel))
	case incident.CategoryProbeFailure:
		add("See which probe fails and with what error", fmt.Sprintf(`kubectl %s get events --field-selector reason=Unhealthy --sort-by=.lastTimestamp`, nsFlag(ns)))
		add("Check the probe path, port and timeouts against what the app serves", fmt.Sprintf(`kubectl %s get %s -o jsonpath='{..livenessProbe}{"\n"}{..readinessProbe}'`, nsFlag(ns), ref))
		add("Watch readiness of the pods", fmt.Sprintf(`kube_pod_container_status_ready{%s}`, sel))
	case incident.CategoryImagePull:
		add("Read the pull error (not found, unauthorized or rate limited)", fmt.Sprintf(`kubectl %s get events --field-selector reason=Failed --sort-by=.lastTimestamp`, nsFlag(ns)))
		if e.Kind == incident.KindNode {
			// One node cannot pull what the others can: keep pods off it
			// while its trust store or network is fixed.
			add("List the pods on the node that cannot pull", fmt.Sprintf(`kubectl get pods -A --field-selector spec.nodeName=%s`, e.Name))
			add("Keep new pods off the node until it is fixed", fmt.Sprintf(`kubectl cordon %s`, e.Name))
			break
		}
		add("Check the image reference and pull secrets", fmt.Sprintf(`kubectl %s get %s -o jsonpath='{..image}{"\n"}{..imagePullSecrets}'`, nsFlag(ns), ref))
		add("Roll back to the last image that pulled", rollback(e))
	case incident.CategoryConfigError:
		add("Read the configuration error", describe(ref))
		add("List the ConfigMaps and Secrets the pods reference and compare with what exists", fmt.Sprintf(`kubectl %s get configmaps,secrets`, nsFlag(ns)))
		add("Read the startup log of the failed run", previousLogs(b, victim))
	case incident.CategoryUnschedulable:
		add("Read the scheduler's reason", fmt.Sprintf(`kubectl %s get events --field-selector reason=FailedScheduling --sort-by=.lastTimestamp`, nsFlag(ns)))
		add("Compare requests with what the nodes can still allocate", `kubectl describe nodes | grep -A 8 "Allocated resources"`)
		add("Count pending pods", fmt.Sprintf(`sum(kube_pod_status_phase{%s, phase="Pending"})`, sel))
	case incident.CategoryNodePressure:
		node := e.Name
		if e.Kind != incident.KindNode {
			node = podNode(b)
		}
		add("Check the node's conditions and evictions", fmt.Sprintf(`kubectl describe node %s`, node))
		add("Find the biggest consumers on the node", fmt.Sprintf(`kubectl top pods -A --sort-by=memory --field-selector spec.nodeName=%s`, node))
		add("Confirm the pressure condition over time", fmt.Sprintf(`kube_node_status_condition{node="%s", condition=~"MemoryPressure|DiskPressure|PIDPressure|Ready", status="true"}`, node))
	case incident.CategoryCPUThrottling:
		add("Measure the throttled share of CPU periods", fmt.Sprintf(
			`sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{%s}[5m])) / sum by (pod) (rate(container_cpu_cfs_periods_total{%s}[5m]))`, sel, sel))
		add("Compare CPU usage with the limit", fmt.Sprintf(`kubectl %s top pods --containers`, nsFlag(ns)))
		add("Raise or remove the CPU limit, or scale out", fmt.Sprintf(`kubectl %s set resources %s --limits=cpu=%s`, nsFlag(victim.Namespace), vref, doubledLimit(b, victim, "cpu")))
	case incident.CategoryDependencyFailure:
		add("Check whether the dependency has ready endpoints", dependencyCheck(b, e, victim))
		add("Test a TCP connection from an affected pod", fmt.Sprintf(`kubectl %s exec %s -- nc -zv -w 5 %s %s`, nsFlag(victim.Namespace), vref, dependencyHost(e), dependencyPort(b, e)))
		add("Watch the caller's error ratio", fmt.Sprintf(`sum(rate(http_requests_total{%s, code=~"5.."}[5m])) / sum(rate(http_requests_total{%s}[5m]))`, sel, sel))
	case incident.CategoryDNSFailure:
		add("Resolve the name from an affected pod", fmt.Sprintf(`kubectl %s exec %s -- nslookup %s`, nsFlag(victim.Namespace), vref, hostOrPlaceholder(e)))
		if e.IsWorkload() && ns != "" && e != victim {
			// The DNS component blamed (ExternalDNS, a node-local cache)
			// says in its own logs why names do not resolve.
			add("Read the blamed DNS component's own logs", fmt.Sprintf(`kubectl %s logs %s --tail=100`, nsFlag(ns), ref))
		}
		add("Check CoreDNS health and logs", `kubectl -n kube-system logs -l k8s-app=kube-dns --tail=100`)
		add("Watch DNS errors", `sum by (rcode) (rate(coredns_dns_responses_total[5m]))`)
	case incident.CategoryTLSFailure:
		add("Inspect the certificate the peer presents", fmt.Sprintf(`openssl s_client -connect %s:443 -servername %s </dev/null | openssl x509 -noout -subject -issuer -dates`, hostOrPlaceholder(e), hostOrPlaceholder(e)))
		add("Check the certificates and CA bundle mounted in the workload", describe(vref))
		add("Check certificate expiry where cert-manager runs", `certmanager_certificate_expiration_timestamp_seconds - time() < 7 * 86400`)
	case incident.CategoryBadDeploy:
		add("See what changed between the revisions", fmt.Sprintf(`kubectl %s rollout history %s`, nsFlag(ns), ref))
		add("Roll back to the previous revision", rollback(e))
		add("Compare error ratio before and after the rollout", fmt.Sprintf(`sum(rate(http_requests_total{%s, code=~"5.."}[5m])) / sum(rate(http_requests_total{%s}[5m]))`, sel, sel))
	case incident.CategoryResourceExhaustion:
		if e.Kind == incident.KindPVC {
			add("Check the volume's free space", fmt.Sprintf(`kubelet_volume_stats_available_bytes{namespace="%s", persistentvolumeclaim="%s"} / kubelet_volume_stats_capacity_bytes{namespace="%s", persistentvolumeclaim="%s"}`, ns, e.Name, ns, e.Name))
			add("Expand the claim or clean up old data", fmt.Sprintf(`kubectl %s describe pvc %s`, nsFlag(ns), e.Name))
		} else {
			add("Check disk usage inside an affected pod", fmt.Sprintf(`kubectl %s exec %s -- df -h`, nsFlag(ns), vref))
			add("Check open file descriptors against the limit", fmt.Sprintf(`max by (pod) (process_open_fds{%s} / process_max_fds{%s})`, sel, sel))
		}
		add("Read the exhaustion errors in context", fmt.Sprintf(`kubectl %s logs %s --since=30m | grep -iE "no space|too many|exhausted|quota"`, nsFlag(victim.Namespace), vref))
	case incident.CategoryTrafficSpike:
		add("Compare the request rate with its usual level", fmt.Sprintf(`sum(rate(http_requests_total{%s}[5m]))`, sel))
		add("Check autoscaling headroom", fmt.Sprintf(`kubectl %s get hpa`, nsFlag(ns)))
		add("Scale out while the spike lasts", fmt.Sprintf(`kubectl %s scale %s --replicas=%s`, nsFlag(ns), ref, doubledReplicas(b, e)))
	case incident.CategoryJobFailure:
		add("See why the Job failed", describe(ref))
		add("Read the failed pod's log", fmt.Sprintf(`kubectl %s logs %s --all-containers --tail=100`, nsFlag(ns), ref))
		add("Track failures", fmt.Sprintf(`kube_job_status_failed{namespace="%s", job_name=~"%s.*"} > 0`, ns, e.Name))
	case incident.CategoryCostAnomaly:
		add("Compare the workload's replicas with their usual level", fmt.Sprintf(`kubectl %s get %s -o wide`, nsFlag(ns), ref))
		add("Check the autoscaler's bounds", fmt.Sprintf(`kubectl %s get hpa`, nsFlag(ns)))
		add("See which revision changed the requests", fmt.Sprintf(`kubectl %s rollout history %s`, nsFlag(ns), ref))
		add("Follow the namespace's requested CPU per workload", fmt.Sprintf(
			`sum by (owner_name) (kube_pod_container_resource_requests{namespace="%s", resource="cpu"} * on (namespace, pod) group_left (owner_name) kube_pod_owner{namespace="%s"})`, ns, ns))
	default:
		add("Look at the target's current state and recent events", describe(vref))
		add("Read recent logs", fmt.Sprintf(`kubectl %s logs %s --since=30m --all-containers`, nsFlag(victim.Namespace), vref))
		add("Check the alert's own query around its start", alertQuery(b))
	}
	return steps
}

// nsFlag is the namespace flag; "-A" when none is known, which only listing
// commands accept (runsAsPrinted drops the others).
func nsFlag(ns string) string {
	if ns == "" {
		return "-A"
	}
	return "-n " + ns
}

// kubectlRef renders an entity as kubectl's kind/name; something outside the
// cluster is reached from one of the examined pods.
func kubectlRef(b *incident.Bundle, e incident.Entity) string {
	name := e.Name
	if name == "" {
		name = "<name>"
	}
	switch e.Kind {
	case incident.KindPVC:
		return "pvc/" + name
	case incident.KindExternal, "":
		if p, ok := firstPod(b); ok {
			return "pod/" + p.Name
		}
		return "pod/<pod>"
	}
	return strings.ToLower(e.Kind) + "/" + name
}

// describeIn is kubectl describe of ref in namespace ns (none for nodes).
func describeIn(ns, ref string) string {
	if strings.HasPrefix(ref, "node/") {
		return "kubectl describe " + ref
	}
	return fmt.Sprintf("kubectl %s describe %s", nsFlag(ns), ref)
}

func previousLogs(b *incident.Bundle, e incident.Entity) string {
	return fmt.Sprintf(`kubectl %s logs %s --previous --tail=50`, nsFlag(e.Namespace), kubectlRef(b, e))
}

// firstPod is the first examined pod of the target, if any.
func firstPod(b *incident.Bundle) (incident.PodState, bool) {
	if b == nil {
		return incident.PodState{}, false
	}
	for _, p := range b.Pods {
		if len(b.Target.Pods) == 0 || contains(b.Target.Pods, p.Name) {
			return p, true
		}
	}
	return incident.PodState{}, false
}

// podNode is the node of the first examined pod that has one.
func podNode(b *incident.Bundle) string {
	for _, p := range b.Pods {
		if p.Node != "" {
			return p.Node
		}
	}
	return "<node>"
}

// doubledLimit proposes twice the largest memory or cpu limit of the
// workload's examined containers, a starting point the responder adjusts.
func doubledLimit(b *incident.Bundle, w incident.Entity, resource string) string {
	var most int64
	for _, p := range b.Pods {
		if !relatedEntities(b, incident.Entity{Namespace: p.Namespace, Kind: incident.KindPod, Name: p.Name}, w) {
			continue
		}
		for _, c := range p.Containers {
			v := c.Limits.MemoryBytes
			if resource == "cpu" {
				v = c.Limits.CPUMilli
			}
			most = max(most, v)
		}
	}
	switch {
	case most <= 0:
		return "<new-limit>"
	case resource == "cpu":
		return fmt.Sprintf("%dm", 2*most)
	}
	return fmt.Sprintf("%dMi", 2*most>>20)
}

// doubledReplicas proposes twice the workload's current replicas.
func doubledReplicas(b *incident.Bundle, w incident.Entity) string {
	for _, s := range b.Workloads {
		if s.Entity.Name == w.Name && s.Entity.Namespace == w.Namespace && s.Replicas > 0 {
			return fmt.Sprint(2 * s.Replicas)
		}
	}
	return "<n>"
}

// placeholderRe is a value left for the reader to fill in ("<pod>").
var placeholderRe = regexp.MustCompile(`<[a-z][a-z-]*>`)

// namedVerbs are kubectl verbs that act on named objects of one namespace.
var namedVerbs = []string{" exec ", " logs ", " describe ", " set ", " scale ", " rollout ", " argo rollouts "}

// runsAsPrinted rejects a suggested command that would fail as printed: a
// placeholder left in it, or "-A" (all namespaces) with a verb or a
// kind/name that needs one namespace. PromQL and other tools pass unless
// they carry a placeholder.
func runsAsPrinted(cmd string) bool {
	if cmd == "" || placeholderRe.MatchString(cmd) {
		return false
	}
	if !strings.HasPrefix(cmd, "kubectl ") || !strings.Contains(cmd, " -A ") {
		return true
	}
	for _, v := range namedVerbs {
		if strings.Contains(cmd, v) {
			return false
		}
	}
	// "kubectl -A get deployment/x" and "kubectl -A get endpoints x" name
	// one object: they need a namespace.
	if _, rest, ok := strings.Cut(cmd, " get "); ok {
		fields := strings.Fields(rest)
		if len(fields) > 0 && strings.Contains(fields[0], "/") {
			return false
		}
		if len(fields) > 1 && !strings.HasPrefix(fields[1], "-") && !strings.ContainsAny(fields[1], "|>") {
			return false
		}
	}
	return true
}

func rollback(e incident.Entity) string {
	if e.Kind == incident.KindRollout {
		// kubectl rollout knows only Deployments, DaemonSets and StatefulSets.
		return fmt.Sprintf(`kubectl argo rollouts %s undo %s`, nsFlag(e.Namespace), e.Name)
	}
	return fmt.Sprintf(`kubectl %s rollout undo %s`, nsFlag(e.Namespace), kubectlRef(nil, e))
}

// promSelector matches an entity's pods in cAdvisor and kube-state-metrics series.
func promSelector(e incident.Entity) string {
	var parts []string
	if e.Namespace != "" {
		parts = append(parts, fmt.Sprintf(`namespace="%s"`, e.Namespace))
	}
	switch {
	case e.Kind == incident.KindPod:
		parts = append(parts, fmt.Sprintf(`pod="%s"`, e.Name))
	case e.IsWorkload() && e.Name != "":
		parts = append(parts, fmt.Sprintf(`pod=~"%s-.*"`, e.Name))
	}
	if len(parts) == 0 {
		return `namespace!=""`
	}
	return strings.Join(parts, ", ")
}

func dependencyCheck(b *incident.Bundle, dep, victim incident.Entity) string {
	if dep.Kind == incident.KindService {
		if dep.Namespace == "" {
			// kubectl refuses a name across all namespaces; a field selector does not.
			return fmt.Sprintf(`kubectl get endpoints -A --field-selector metadata.name=%s`, dep.Name)
		}
		return fmt.Sprintf(`kubectl -n %s get endpoints %s`, dep.Namespace, dep.Name)
	}
	return fmt.Sprintf(`kubectl %s exec %s -- nslookup %s`, nsFlag(victim.Namespace), kubectlRef(b, victim), hostOrPlaceholder(dep))
}

// dependencyHost is the name a pod reaches the dependency by.
func dependencyHost(dep incident.Entity) string {
	if dep.Kind == incident.KindService && dep.Name != "" && dep.Namespace != "" {
		return dep.Name + "." + dep.Namespace + ".svc"
	}
	return hostOrPlaceholder(dep)
}

// dependencyPort is the Service's first port when the bundle knows it.
func dependencyPort(b *incident.Bundle, dep incident.Entity) string {
	if s, ok := serviceState(b, dep); ok && len(s.Ports) > 0 {
		return strings.SplitN(s.Ports[0], "/", 2)[0]
	}
	return "<port>"
}

func hostOrPlaceholder(e incident.Entity) string {
	if (e.Kind == incident.KindExternal || e.Kind == incident.KindService) && e.Name != "" {
		return e.Name
	}
	return "<host>"
}

func alertQuery(b *incident.Bundle) string {
	if q := strings.TrimSpace(b.Alert.Query); q != "" {
		return q
	}
	return fmt.Sprintf(`ALERTS{alertname="%s"}`, b.Alert.Name())
}
