package incident

import "time"

// Alert is the normalised alert context of DESIGN.md ("Alert context"). Every
// accepted input shape (the context itself, an Alertmanager webhook, a Grafana
// alert instance) becomes this.
type Alert struct {
	Labels       map[string]string  `json:"labels"`
	Annotations  map[string]string  `json:"annotations,omitempty"`
	Status       string             `json:"status,omitempty"`
	StartsAt     time.Time          `json:"startsAt"`
	EndsAt       time.Time          `json:"endsAt,omitzero"`
	Fingerprint  string             `json:"fingerprint,omitempty"`
	GeneratorURL string             `json:"generatorURL,omitempty"`
	Values       map[string]float64 `json:"values,omitempty"`
	Query        string             `json:"query,omitempty"`
}

// Name is the alertname label, the alert's human handle.
func (a Alert) Name() string { return a.Labels["alertname"] }

// Entity names a Kubernetes object or an external dependency.
// Cluster-scoped objects (Node) and External entities have an empty Namespace.
type Entity struct {
	Namespace string `json:"namespace"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
}

// Entity kinds used by root causes and evidence.
const (
	KindPod         = "Pod"
	KindDeployment  = "Deployment"
	KindStatefulSet = "StatefulSet"
	KindDaemonSet   = "DaemonSet"
	KindReplicaSet  = "ReplicaSet"
	KindJob         = "Job"
	KindCronJob     = "CronJob"
	// KindRollout is Argo Rollouts' Rollout, a Deployment with canary steps.
	KindRollout  = "Rollout"
	KindNode     = "Node"
	KindService  = "Service"
	KindPVC      = "PersistentVolumeClaim"
	KindExternal = "External"
)

// IsZero reports whether the entity names nothing.
func (e Entity) IsZero() bool { return e.Kind == "" && e.Name == "" }

// IsWorkload reports whether the entity is a pod controller.
func (e Entity) IsWorkload() bool {
	switch e.Kind {
	case KindDeployment, KindStatefulSet, KindDaemonSet, KindReplicaSet, KindJob, KindCronJob, KindRollout:
		return true
	}
	return false
}

func (e Entity) String() string {
	if e.Namespace == "" {
		return e.Kind + "/" + e.Name
	}
	return e.Kind + "/" + e.Namespace + "/" + e.Name
}

// EvidenceKind is the kind of an evidence item in an Explanation.
type EvidenceKind string

// Evidence kinds of the Explanation contract.
const (
	EvidencePodStatus   EvidenceKind = "pod_status"
	EvidenceEvent       EvidenceKind = "event"
	EvidenceLogTemplate EvidenceKind = "log_template"
	EvidenceMetric      EvidenceKind = "metric"
	EvidenceRollout     EvidenceKind = "rollout"
	EvidenceNode        EvidenceKind = "node"
)

// Evidence is one cited fact of an Explanation. Text is already redacted.
type Evidence struct {
	ID        string       `json:"id"`
	Kind      EvidenceKind `json:"kind"`
	Entity    Entity       `json:"entity"`
	Text      string       `json:"text"`
	Count     int          `json:"count,omitempty"`
	FirstSeen time.Time    `json:"firstSeen,omitzero"`
	LastSeen  time.Time    `json:"lastSeen,omitzero"`
	// Examples are real lines for a log template.
	Examples []string `json:"examples,omitempty"`
	// Values are the points of a metric, oldest first, for sparklines.
	Values []float64 `json:"values,omitempty"`
	// TraceIDs are example traces of trace evidence, for links to Explore.
	TraceIDs []string `json:"traceIds,omitempty"`
}

// Finding is what one analyzer concluded from the evidence.
type Finding struct {
	ID       string   `json:"id"`
	Analyzer string   `json:"analyzer"`
	Category Category `json:"category"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Detail   string   `json:"detail"`
	Entity   Entity   `json:"entity"`
	Evidence []string `json:"evidence"`
	// Confidence is the analyzer's own strength of evidence in [0,1]; the ranker
	// combines it with causality and timing.
	Confidence float64 `json:"confidence"`
	// Onset is when the problem began, when the evidence says; zero otherwise.
	Onset time.Time `json:"onset,omitzero"`
}

// RootCause is the single ranked cause of an Explanation.
type RootCause struct {
	Category    Category `json:"category"`
	Entity      Entity   `json:"entity"`
	Description string   `json:"description"`
	Confidence  float64  `json:"confidence"`
}

// NextStep is an action for the responder, with a command when one applies.
type NextStep struct {
	Text    string `json:"text"`
	Command string `json:"command,omitempty"`
}

// ProviderInfo names the LLM (or "offline") that wrote the explanation.
type ProviderInfo struct {
	Name  string `json:"name"`
	Model string `json:"model"`
}

// Usage is the token and money cost of one explanation.
type Usage struct {
	PromptTokens     int     `json:"promptTokens"`
	CompletionTokens int     `json:"completionTokens"`
	CostUSD          float64 `json:"costUSD"`
}

// Add accumulates another call's usage (a repair attempt, for example).
func (u *Usage) Add(o Usage) {
	u.PromptTokens += o.PromptTokens
	u.CompletionTokens += o.CompletionTokens
	u.CostUSD += o.CostUSD
}

// Degraded names an evidence source that failed and why, or that is not
// configured (Error is NotConfigured); the explanation is then partial.
type Degraded struct {
	Source string `json:"source"`
	Error  string `json:"error"`
}

// NotConfigured is the Error of a source that is off.
const NotConfigured = "not configured"

// Failures are the entries of sources that were configured and failed.
func Failures(ds []Degraded) []Degraded {
	var out []Degraded
	for _, d := range ds {
		if d.Error != NotConfigured {
			out = append(out, d)
		}
	}
	return out
}

// Timings of one explanation, in milliseconds.
type Timings struct {
	TotalMs   int64 `json:"totalMs"`
	CollectMs int64 `json:"collectMs"`
	LLMMs     int64 `json:"llmMs"`
}

// Explanation is the answer to "explain this alert" (DESIGN.md, "Explanation").
type Explanation struct {
	ID          string       `json:"id"`
	Fingerprint string       `json:"fingerprint"`
	Summary     string       `json:"summary"`
	RootCause   RootCause    `json:"rootCause"`
	Findings    []Finding    `json:"findings"`
	Evidence    []Evidence   `json:"evidence"`
	NextSteps   []NextStep   `json:"nextSteps"`
	Provider    ProviderInfo `json:"provider"`
	Usage       Usage        `json:"usage"`
	Degraded    []Degraded   `json:"degraded"`
	Timings     Timings      `json:"timings"`
	CreatedAt   time.Time    `json:"createdAt"`
	// Alert is the normalised alert that was explained (for history and UI).
	Alert Alert `json:"alert"`
	// Notes are caveats about the collection, e.g. "examined 10 of 42 pods".
	Notes []string `json:"notes,omitempty"`
	// ModelText is the model's raw answer when it could not be used and the
	// explanation fell back to the analyzers.
	ModelText string `json:"modelText,omitempty"`
	// IncidentCost is what the incident has cost so far.
	IncidentCost IncidentCost `json:"incidentCost"`
	// Group is set when the alert came with others (an Alertmanager group):
	// every alert of it, and whether this explanation's cause is theirs.
	Group *AlertGroup `json:"group,omitempty"`
}

// IncidentCost is the compute the examined pods requested since the alert
// started, priced at flat rates, plus the model spend of explaining it.
type IncidentCost struct {
	ComputeUSD     float64 `json:"computeUSD"`
	LLMUSD         float64 `json:"llmUSD"`
	TotalUSD       float64 `json:"totalUSD"`
	Pods           int     `json:"pods"`
	Hours          float64 `json:"hours"`
	CPUCoreHours   float64 `json:"cpuCoreHours"`
	RAMGiBHours    float64 `json:"ramGiBHours"`
	CPUPerCoreHour float64 `json:"cpuPerCoreHour"`
	RAMPerGiBHour  float64 `json:"ramPerGiBHour"`
	// Since is the alert's start (zero when it has none).
	Since time.Time `json:"since,omitzero"`
	// Basis says in words how the figure was reached.
	Basis string `json:"basis"`
}

// AlertGroup is the alerts that arrived together. Alerts whose analysis
// links them (the same target, the same cause, or one's cause being
// another's target) are explained as one incident; the others have their
// own explanation, named by ExplanationID.
type AlertGroup struct {
	ID     string        `json:"id"`
	Alerts []GroupMember `json:"alerts"`
}

// GroupMember is one alert of a group as the explanation sees it.
type GroupMember struct {
	Fingerprint string `json:"fingerprint"`
	Name        string `json:"name"`
	// Target is the object the alert is about: namespace/label=value.
	Target string `json:"target"`
	// Labels summarises the alert's identifying labels.
	Labels string `json:"labels"`
	// SharesCause is true when this explanation explains the alert too.
	SharesCause bool `json:"sharesCause"`
	// Reason says why the alert is, or is not, part of this incident.
	Reason string `json:"reason"`
	// ExplanationID is the explanation that explains the alert.
	ExplanationID string `json:"explanationId,omitempty"`
}
