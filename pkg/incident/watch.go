package incident

import "time"

// Kinds of a log-watch finding, which are also the alertname of the
// synthetic alert it carries.
const (
	WatchNewErrorTemplate = "NewErrorTemplate"
	WatchTemplateSurge    = "LogTemplateSurge"
)

// WatchFinding is what the log watcher raises about one workload's logs
// before any alert fires: a new error template, or a template whose rate
// jumped. Alert is a synthetic alert naming the pod and container, so that
// the finding can be explained like any alert.
type WatchFinding struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"`
	Namespace string    `json:"namespace"`
	Workload  string    `json:"workload"`
	Pod       string    `json:"pod"`
	Container string    `json:"container"`
	Template  string    `json:"template"`
	Level     string    `json:"level,omitempty"`
	// Count is the template's lines in the last poll; Baseline the mean per
	// poll before it (zero for a new template).
	Count    int     `json:"count"`
	Baseline float64 `json:"baseline"`
	Example  string  `json:"example,omitempty"`
	Finding  Finding `json:"finding"`
	Alert    Alert   `json:"alert"`
}
