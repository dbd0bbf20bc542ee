package demo

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Fault is an incident the demo can produce, the alert it should raise and
// the root cause an honest explanation gives.
type Fault struct {
	Name        string
	Description string
	// Target is the app whose behaviour is changed.
	Target string
	// StartEnv are FAULT_* settings the target starts with: faults that are
	// part of the build (a leak, a bad configuration) survive restarts.
	StartEnv []string
	// Runtime is the admin-endpoint fault (JSON) injected after the warm-up.
	Runtime string
	// Alert and AlertLabels select the alert to wait for and explain.
	Alert       string
	AlertLabels map[string]string
	// Expect is the root cause the explanation should name, and
	// ExpectEntity the workload it is attributed to. The demo's services
	// call each other on loopback addresses, so from logs and metrics alone
	// a failing dependency is attributed to the caller whose calls fail;
	// the log line quoted in the explanation names payment-service.
	Expect       incident.Category
	ExpectEntity string
	// ExpectWithTraces is the entity when the explanation read traces
	// (Jaeger installed), if it differs: traces show which service the
	// failing or slow span is in.
	ExpectWithTraces string
}

// ExpectedEntity is the entity the explanation should name, with or
// without trace evidence.
func (f Fault) ExpectedEntity(traced bool) string {
	if traced && f.ExpectWithTraces != "" {
		return f.ExpectWithTraces
	}
	return f.ExpectEntity
}

// Faults is the demo's catalogue, by name.
var faults = map[string]Fault{
	"oom": {
		Name:        "oom",
		Description: "order-service leaks 1 MiB per request and is OOMKilled at its 96 MiB limit",
		Target:      "order-service", StartEnv: []string{"FAULT_MEMORY_LEAK_BYTES_PER_REQUEST=1048576"},
		Alert: "KubeContainerOOMKilled", AlertLabels: map[string]string{"container": "order-service"},
		Expect: incident.CategoryOOMKilled, ExpectEntity: "order-service",
	},
	"crash": {
		Name:        "crash",
		Description: "payment-service exits at start with a configuration error and crash-loops",
		Target:      "payment-service", StartEnv: []string{"FAULT_CRASH_ON_START=true"},
		Alert: "KubePodCrashLooping", AlertLabels: map[string]string{"container": "payment-service"},
		Expect: incident.CategoryConfigError, ExpectEntity: "payment-service",
	},
	"errors": {
		Name:        "errors",
		Description: "payment-service fails half of its requests; order-service's orders fail with it",
		Target:      "payment-service", Runtime: `{"errorRate":0.5}`,
		Alert: "HighErrorRate", AlertLabels: map[string]string{"service": "order-service"},
		Expect: incident.CategoryDependencyFailure, ExpectEntity: "order-service", ExpectWithTraces: "payment-service",
	},
	"dependency": {
		Name:        "dependency",
		Description: "order-service's address of payment-service points where nothing listens (connection refused)",
		Target:      "order-service", Runtime: `{"brokenDependency":"payment"}`,
		Alert: "HighErrorRate", AlertLabels: map[string]string{"service": "order-service"},
		Expect: incident.CategoryDependencyFailure, ExpectEntity: "order-service",
	},
	"latency": {
		Name:        "latency",
		Description: "payment-service answers after 6s; order-service's client gives up after 5s",
		Target:      "payment-service", Runtime: `{"latency":"6s"}`,
		Alert: "HighLatencyP99", AlertLabels: map[string]string{"service": "order-service"},
		Expect: incident.CategoryDependencyFailure, ExpectEntity: "order-service", ExpectWithTraces: "payment-service",
	},
}

// LookupFault returns the named fault.
func LookupFault(name string) (Fault, error) {
	f, ok := faults[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Fault{}, fmt.Errorf("unknown fault %q: use one of %s", name, strings.Join(FaultNames(), ", "))
	}
	return f, nil
}

// FaultNames lists the faults, sorted.
func FaultNames() []string {
	names := make([]string, 0, len(faults))
	for n := range faults {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// selector renders the alert name and labels, e.g.
// HighErrorRate{service=order-service}.
func (f Fault) selector() string {
	keys := make([]string, 0, len(f.AlertLabels))
	for k := range f.AlertLabels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+f.AlertLabels[k])
	}
	return f.Alert + "{" + strings.Join(parts, ",") + "}"
}
