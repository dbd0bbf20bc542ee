package incident

import (
	"strings"
	"time"
)

// Bundle is everything collected for one alert, in structured form: the
// collectors fill it, the log miner adds templates, the analyzers read it, and
// Catalog turns it into the cited Evidence of an Explanation.
//
// Every item that can be cited carries an ID ("e1", "e2", ...), assigned by
// AssignIDs once collection and log mining are complete.
type Bundle struct {
	Alert Alert `json:"alert"`
	// Now is the evaluation time: the wall clock, or the replayed incident's
	// recorded time. Nothing downstream reads the wall clock.
	Now    time.Time `json:"now"`
	Target Target    `json:"target"`

	Pods      []PodState      `json:"pods,omitempty"`
	Workloads []WorkloadState `json:"workloads,omitempty"`
	Rollouts  []Rollout       `json:"rollouts,omitempty"`
	Events    []Event         `json:"events,omitempty"`
	Nodes     []NodeState     `json:"nodes,omitempty"`
	Services  []ServiceState  `json:"services,omitempty"`
	// ConfiguredHosts are the hosts the examined pods are configured to
	// reach, read from the ConfigMaps they take their environment from.
	ConfiguredHosts []ConfiguredHost `json:"configuredHosts,omitempty"`
	// Claims are the PersistentVolumeClaims the examined pods and the
	// dependencies' pods mount.
	Claims  []ClaimState `json:"claims,omitempty"`
	Logs    []LogStream  `json:"logs,omitempty"`
	Metrics []Series     `json:"metrics,omitempty"`
	// Templates are the mined and selected log templates (filled by the logs
	// package from Logs).
	Templates []LogTemplate `json:"templates,omitempty"`
	// Traces are patterns summarised from the trace backend.
	Traces []TraceGroup `json:"traces,omitempty"`

	Degraded []Degraded `json:"degraded,omitempty"`
	// Notes are caveats such as "examined 10 of 42 pods (unhealthiest first)".
	Notes []string `json:"notes,omitempty"`
}

// Target is what the alert is about, resolved from its labels.
type Target struct {
	Namespace string `json:"namespace,omitempty"`
	// Workload is the top-level controller (Deployment rather than ReplicaSet).
	Workload  Entity   `json:"workload,omitzero"`
	Pods      []string `json:"pods,omitempty"`
	Container string   `json:"container,omitempty"`
	Node      string   `json:"node,omitempty"`
	Service   string   `json:"service,omitempty"`
	// Via says how the target was found, e.g. "label pod", "service selector".
	Via string `json:"via,omitempty"`
	// TotalPods is the number of pods that matched before the cap.
	TotalPods int `json:"totalPods,omitempty"`
}

// Condition is a Kubernetes status condition.
type Condition struct {
	Type               string    `json:"type"`
	Status             string    `json:"status"`
	Reason             string    `json:"reason,omitempty"`
	Message            string    `json:"message,omitempty"`
	LastTransitionTime time.Time `json:"lastTransitionTime,omitzero"`
}

// Resources are requests or limits in canonical units.
type Resources struct {
	CPUMilli    int64 `json:"cpuMilli,omitempty"`
	MemoryBytes int64 `json:"memoryBytes,omitempty"`
	// EphemeralBytes is ephemeral-storage; Pods is the node's pod capacity.
	EphemeralBytes int64 `json:"ephemeralBytes,omitempty"`
	Pods           int64 `json:"pods,omitempty"`
}

// Probe is a container probe's target and thresholds.
type Probe struct {
	Kind             string `json:"kind"` // liveness | readiness | startup
	Handler          string `json:"handler"`
	Path             string `json:"path,omitempty"`
	Port             string `json:"port,omitempty"`
	Command          string `json:"command,omitempty"`
	InitialDelaySec  int32  `json:"initialDelaySeconds,omitempty"`
	PeriodSec        int32  `json:"periodSeconds,omitempty"`
	TimeoutSec       int32  `json:"timeoutSeconds,omitempty"`
	FailureThreshold int32  `json:"failureThreshold,omitempty"`
}

// Termination is how a container run ended.
type Termination struct {
	Reason     string    `json:"reason,omitempty"`
	Message    string    `json:"message,omitempty"`
	ExitCode   int32     `json:"exitCode"`
	Signal     int32     `json:"signal,omitempty"`
	StartedAt  time.Time `json:"startedAt,omitzero"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
}

// ContainerState is one container's spec highlights and status.
type ContainerState struct {
	Name         string `json:"name"`
	Image        string `json:"image,omitempty"`
	Init         bool   `json:"init,omitempty"`
	Ready        bool   `json:"ready"`
	RestartCount int32  `json:"restartCount"`
	// State is waiting, running or terminated.
	State     string    `json:"state"`
	Reason    string    `json:"reason,omitempty"`
	Message   string    `json:"message,omitempty"`
	StartedAt time.Time `json:"startedAt,omitzero"`
	// Terminated is set when State is terminated.
	Terminated *Termination `json:"terminated,omitempty"`
	// LastTermination is the previous run's end (lastState.terminated).
	LastTermination *Termination `json:"lastTermination,omitempty"`
	Requests        Resources    `json:"requests,omitzero"`
	Limits          Resources    `json:"limits,omitzero"`
	Probes          []Probe      `json:"probes,omitempty"`
	// EnvFrom lists the ConfigMaps and Secrets the container references by
	// name (never their values), e.g. "configmap/app-config", "secret/db".
	EnvFrom []string `json:"envFrom,omitempty"`
}

// PodState is one pod's status with its containers.
type PodState struct {
	ID        string            `json:"id,omitempty"`
	Namespace string            `json:"namespace"`
	Name      string            `json:"name"`
	Node      string            `json:"node,omitempty"`
	IP        string            `json:"ip,omitempty"`
	Phase     string            `json:"phase"`
	Reason    string            `json:"reason,omitempty"`
	Message   string            `json:"message,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	// Owner is the top-level controller; ReplicaSet is the intermediate one.
	Owner      Entity           `json:"owner,omitzero"`
	ReplicaSet string           `json:"replicaSet,omitempty"`
	Conditions []Condition      `json:"conditions,omitempty"`
	Containers []ContainerState `json:"containers"`
	StartTime  time.Time        `json:"startTime,omitzero"`
	CreatedAt  time.Time        `json:"createdAt,omitzero"`
	QOSClass   string           `json:"qosClass,omitempty"`
	// Claims are the PersistentVolumeClaims the pod mounts, by claim name, so
	// a full or unbound volume can be blamed on its claim.
	Claims []string `json:"claims,omitempty"`
}

// Entity of the pod.
func (p PodState) Entity() Entity {
	return Entity{Namespace: p.Namespace, Kind: KindPod, Name: p.Name}
}

// WorkloadState is a controller's desired and actual state.
type WorkloadState struct {
	ID        string            `json:"id,omitempty"`
	Entity    Entity            `json:"entity"`
	Selector  map[string]string `json:"selector,omitempty"`
	Images    []string          `json:"images,omitempty"`
	Replicas  int32             `json:"replicas"`
	Ready     int32             `json:"ready"`
	Available int32             `json:"available"`
	Updated   int32             `json:"updated"`
	// Job counts (Job and CronJob's last Job).
	Active       int32       `json:"active,omitempty"`
	Succeeded    int32       `json:"succeeded,omitempty"`
	Failed       int32       `json:"failed,omitempty"`
	BackoffLimit int32       `json:"backoffLimit,omitempty"`
	Conditions   []Condition `json:"conditions,omitempty"`
	CreatedAt    time.Time   `json:"createdAt,omitzero"`
	// Schedule is a CronJob's schedule; LastSchedule its last run.
	Schedule     string    `json:"schedule,omitempty"`
	LastSchedule time.Time `json:"lastSchedule,omitzero"`
	// Suspended is a CronJob's spec.suspend: the controller starts no run.
	Suspended bool `json:"suspended,omitempty"`
	// Autoscaler is the HorizontalPodAutoscaler that scales the workload.
	Autoscaler *Autoscaler `json:"autoscaler,omitempty"`
}

// Autoscaler is a HorizontalPodAutoscaler's bounds and replica counts.
type Autoscaler struct {
	Name    string `json:"name"`
	Min     int32  `json:"minReplicas"`
	Max     int32  `json:"maxReplicas"`
	Current int32  `json:"currentReplicas"`
	Desired int32  `json:"desiredReplicas"`
}

// Rollout is one revision of a workload (a ReplicaSet or ControllerRevision).
type Rollout struct {
	ID        string    `json:"id,omitempty"`
	Owner     Entity    `json:"owner"`
	Name      string    `json:"name"`
	Revision  int64     `json:"revision"`
	Images    []string  `json:"images,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	Replicas  int32     `json:"replicas"`
	Ready     int32     `json:"ready"`
	// ChangeCause is the kubernetes.io/change-cause annotation when present.
	ChangeCause string `json:"changeCause,omitempty"`
}

// Event is a Kubernetes Event, normalised across the core/v1 count shape and
// the events.k8s.io series shape.
type Event struct {
	ID        string    `json:"id,omitempty"`
	Object    Entity    `json:"object"`
	Type      string    `json:"type"` // Normal | Warning
	Reason    string    `json:"reason"`
	Message   string    `json:"message"`
	Count     int32     `json:"count"`
	FirstSeen time.Time `json:"firstSeen,omitzero"`
	LastSeen  time.Time `json:"lastSeen,omitzero"`
	Source    string    `json:"source,omitempty"`
}

// NodeState is a node's conditions and capacity.
type NodeState struct {
	ID            string      `json:"id,omitempty"`
	Name          string      `json:"name"`
	Conditions    []Condition `json:"conditions,omitempty"`
	Allocatable   Resources   `json:"allocatable,omitzero"`
	Capacity      Resources   `json:"capacity,omitzero"`
	Unschedulable bool        `json:"unschedulable,omitempty"`
	Taints        []string    `json:"taints,omitempty"`
	// Region is the cloud region of the node (its topology.kubernetes.io/region
	// label): where a cloud SDK on it calls the regional endpoints.
	Region string `json:"region,omitempty"`
}

// ConfiguredHost is a host a workload is configured to reach: the value of
// a host-, endpoint- or URL-like key of a ConfigMap its pods take their
// environment from, reduced to host and port (no other value is kept).
type ConfiguredHost struct {
	Namespace string `json:"namespace"`
	// Source is the ConfigMap, as in ContainerState.EnvFrom: "configmap/db".
	Source string `json:"source"`
	Key    string `json:"key"`
	Host   string `json:"host"`
	Port   string `json:"port,omitempty"`
}

// ServiceState is a Service with its selector and endpoint readiness.
type ServiceState struct {
	Namespace string            `json:"namespace"`
	Name      string            `json:"name"`
	ClusterIP string            `json:"clusterIP,omitempty"`
	Selector  map[string]string `json:"selector,omitempty"`
	Ports     []string          `json:"ports,omitempty"`
	Ready     int               `json:"readyEndpoints"`
	NotReady  int               `json:"notReadyEndpoints"`
	// Dependency is set for a Service the target may call (another Service
	// of its namespace, one its logs name, the cluster DNS) rather than one
	// in front of the target's own pods.
	Dependency bool `json:"dependency,omitempty"`
	// Backend is the workload behind the Service's selector, and
	// BackendProblems what is wrong with its pods ("coredns-x: OOMKilled
	// (exit 137), 9 restarts"), so a failing dependency can be blamed on
	// what breaks it.
	Backend         Entity   `json:"backend,omitzero"`
	BackendProblems []string `json:"backendProblems,omitempty"`
	// BackendClaims are the PersistentVolumeClaims the backend's pods mount.
	BackendClaims []string `json:"backendClaims,omitempty"`
}

// ClaimState is a PersistentVolumeClaim: whether it is bound, and how big.
type ClaimState struct {
	Namespace    string `json:"namespace"`
	Name         string `json:"name"`
	Phase        string `json:"phase"`
	StorageClass string `json:"storageClass,omitempty"`
	// Requested and Capacity are the spec's request and the bound volume's
	// capacity, in bytes.
	Requested int64 `json:"requestedBytes,omitempty"`
	Capacity  int64 `json:"capacityBytes,omitempty"`
	// UsedBytes is what the kubelet's volume statistics report in use when
	// the evidence was gathered; zero when unknown.
	UsedBytes int64 `json:"usedBytes,omitempty"`
}

// FullAt reports whether the claim is measured at least share full.
func (c ClaimState) FullAt(share float64) bool {
	return c.Capacity > 0 && c.UsedBytes > 0 && float64(c.UsedBytes) >= share*float64(c.Capacity)
}

// Entity of the claim.
func (c ClaimState) Entity() Entity {
	return Entity{Namespace: c.Namespace, Kind: KindPVC, Name: c.Name}
}

// LogLine is one raw log line with the timestamp the source gave it.
type LogLine struct {
	Time time.Time `json:"time,omitzero"`
	Text string    `json:"text"`
}

// LogStream is the log of one container run.
type LogStream struct {
	Namespace string `json:"namespace"`
	Pod       string `json:"pod"`
	Container string `json:"container"`
	// Previous is true for the previous (terminated) run of the container.
	Previous bool `json:"previous,omitempty"`
	// Source is the log source that produced it: kubernetes, loki or file.
	Source    string    `json:"source"`
	Lines     []LogLine `json:"lines"`
	Truncated bool      `json:"truncated,omitempty"`
}

// LogTemplate is a group of similar log records after mining and selection.
type LogTemplate struct {
	ID         string `json:"id,omitempty"`
	TemplateID string `json:"templateId"`
	Pattern    string `json:"pattern"`
	// Level is the most severe level seen: fatal, panic, error, warn, info, debug or "".
	Level     string    `json:"level,omitempty"`
	Count     int       `json:"count"`
	FirstSeen time.Time `json:"firstSeen,omitzero"`
	LastSeen  time.Time `json:"lastSeen,omitzero"`
	Examples  []string  `json:"examples,omitempty"`
	// Sources are "namespace/pod/container" where the template occurred.
	Sources []string `json:"sources,omitempty"`
	// Novel is true when the template appears after startsAt and not in the
	// baseline before it.
	Novel bool `json:"novel,omitempty"`
	// Tail is true for the last lines of a container before it terminated.
	Tail bool `json:"tail,omitempty"`
}

// Point is one sample of a series.
type Point struct {
	T time.Time `json:"t"`
	V float64   `json:"v"`
}

// SeriesSummary condenses a series into numbers later stages reason over.
type SeriesSummary struct {
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
	Last  float64 `json:"last"`
	First float64 `json:"first"`
	// Onset is when the series first departed from its baseline; zero if never.
	Onset time.Time `json:"onset,omitzero"`
	// OnsetOffsetSec is Onset minus the alert's startsAt, in seconds.
	OnsetOffsetSec float64 `json:"onsetOffsetSec,omitempty"`
	// Trend is rising, falling, flat or step.
	Trend string `json:"trend"`
}

// Series is one metric series over the incident window.
type Series struct {
	ID string `json:"id,omitempty"`
	// Name is one of the Metric* standard names, or "alert" for the rule's own query.
	Name    string            `json:"name"`
	Query   string            `json:"query"`
	Labels  map[string]string `json:"labels,omitempty"`
	Unit    string            `json:"unit,omitempty"`
	Points  []Point           `json:"points,omitempty"`
	Summary SeriesSummary     `json:"summary"`
	// Entity the series belongs to (a pod, a workload, a service, a node).
	Entity Entity `json:"entity,omitzero"`
}

// Standard metric names the Prometheus collector fills and analyzers read.
const (
	MetricAlert            = "alert"
	MetricMemoryWorkingSet = "memory_working_set_bytes"
	MetricMemoryLimit      = "memory_limit_bytes"
	MetricCPUUsage         = "cpu_usage_cores"
	MetricCPULimit         = "cpu_limit_cores"
	MetricCPUThrottling    = "cpu_throttling_ratio"
	MetricRestarts         = "restarts"
	MetricOOMKills         = "oom_kills"
	MetricRequestRate      = "http_request_rate"
	MetricErrorRatio       = "http_error_ratio"
	MetricLatencyP95       = "http_latency_p95_seconds"
	MetricLatencyP99       = "http_latency_p99_seconds"
	// The target workload's replica count and its HorizontalPodAutoscaler's
	// current and maximum replicas (kube-state-metrics): load beyond what
	// the autoscaler may add, or a scale-out that no load explains.
	MetricWorkloadReplicas = "workload_replicas"
	MetricHPAReplicas      = "hpa_current_replicas"
	MetricHPAMaxReplicas   = "hpa_max_replicas"
	MetricHPAMinReplicas   = "hpa_min_replicas"
	// The depth of the work queues the target workload consumes (SQS,
	// RabbitMQ, Sidekiq, Kafka consumer lag): a backlog that keeps growing
	// is load beyond what the replicas drain.
	MetricQueueBacklog = "queue_backlog"
	// The share of the connection-tracking table in use on the nodes that
	// run the target's pods (node-exporter): a full table drops new
	// connections on that node only.
	MetricConntrackRatio = "node_conntrack_ratio"
	// The cost trend of a workload (cost alerts only): its hourly cost and
	// what sets it, per 15-minute bucket.
	MetricWorkloadCost          = "workload_cost_usd_per_hour"
	MetricWorkloadPods          = "workload_running_pods"
	MetricWorkloadCPURequest    = "workload_cpu_request_cores_per_pod"
	MetricWorkloadMemoryRequest = "workload_memory_request_gib_per_pod"
	MetricWorkloadCorePrice     = "workload_price_usd_per_core_hour"
	MetricWorkloadPodsSeen      = "workload_pods_seen"
)

// NodeLocalDNS is the NodeLocal DNSCache DaemonSet among ws (kube-system,
// named like its manifests' node-local-dns), which the gatherer reads when
// lookups fail and the DNS analysis may blame.
func NodeLocalDNS(ws []WorkloadState) (WorkloadState, bool) {
	for _, w := range ws {
		if w.Entity.Kind == KindDaemonSet && w.Entity.Namespace == "kube-system" && strings.Contains(w.Entity.Name, "local-dns") {
			return w, true
		}
	}
	return WorkloadState{}, false
}
