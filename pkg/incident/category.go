// Package incident is the shared vocabulary of the engine: alerts, the evidence
// collected for them, the findings the analyzers draw from it and the
// explanation handed back to the user. It depends on nothing else in this module
// so every other package can use it.
package incident

import "fmt"

// Category is a root-cause class from the closed list in DESIGN.md. Answers
// never carry a free-form string: anything outside the list is rejected.
type Category string

// The closed list of root-cause categories.
const (
	CategoryOOMKilled          Category = "OOMKilled"
	CategoryCrashLoop          Category = "CrashLoop"
	CategoryProbeFailure       Category = "ProbeFailure"
	CategoryImagePull          Category = "ImagePull"
	CategoryConfigError        Category = "ConfigError"
	CategoryUnschedulable      Category = "Unschedulable"
	CategoryNodePressure       Category = "NodePressure"
	CategoryCPUThrottling      Category = "CPUThrottling"
	CategoryDependencyFailure  Category = "DependencyFailure"
	CategoryDNSFailure         Category = "DNSFailure"
	CategoryBadDeploy          Category = "BadDeploy"
	CategoryResourceExhaustion Category = "ResourceExhaustion"
	CategoryTLSFailure         Category = "TLSFailure"
	CategoryTrafficSpike       Category = "TrafficSpike"
	CategoryJobFailure         Category = "JobFailure"
	CategoryCostAnomaly        Category = "CostAnomaly"
	CategoryUnknown            Category = "Unknown"
)

var allCategories = []Category{
	CategoryOOMKilled, CategoryCrashLoop, CategoryProbeFailure, CategoryImagePull,
	CategoryConfigError, CategoryUnschedulable, CategoryNodePressure, CategoryCPUThrottling,
	CategoryDependencyFailure, CategoryDNSFailure, CategoryBadDeploy, CategoryResourceExhaustion,
	CategoryTLSFailure, CategoryTrafficSpike, CategoryJobFailure, CategoryCostAnomaly, CategoryUnknown,
}

// Categories returns the closed list in the order of DESIGN.md.
func Categories() []Category {
	out := make([]Category, len(allCategories))
	copy(out, allCategories)
	return out
}

// Valid reports whether c is on the closed list.
func (c Category) Valid() bool {
	for _, known := range allCategories {
		if c == known {
			return true
		}
	}
	return false
}

// ParseCategory accepts exactly the spellings of the closed list.
func ParseCategory(s string) (Category, error) {
	c := Category(s)
	if !c.Valid() {
		return "", fmt.Errorf("category %q is not one of the closed list (%v)", s, allCategories)
	}
	return c, nil
}

// Severity of a finding.
type Severity string

// Finding severities, most severe first.
const (
	SeverityCritical Severity = "critical"
	SeverityWarning  Severity = "warning"
	SeverityInfo     Severity = "info"
)

// Rank orders severities: higher is more severe.
func (s Severity) Rank() int {
	switch s {
	case SeverityCritical:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}
