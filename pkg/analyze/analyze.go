// Package analyze turns an incident bundle into findings with deterministic
// checks, ranks them causes-before-symptoms into one root cause, and writes
// the offline explanation that answers when no LLM is configured.
//
// Each analyzer lives in its own file, reads only the bundle, and copes with
// any part of it missing: no Kubernetes, no Prometheus, no logs.
package analyze

import (
	"fmt"
	"sort"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Analyzer is one deterministic check; one per file.
type Analyzer interface {
	Name() string
	Analyze(b *incident.Bundle) []incident.Finding
}

// All returns every analyzer, in the order their findings are listed before
// ranking.
func All() []Analyzer {
	return []Analyzer{
		oomKilled{},
		crashLoop{},
		probeFailure{},
		imagePull{},
		configError{},
		unschedulable{},
		nodePressure{},
		cpuThrottling{},
		dependency{},
		dnsFailure{},
		tlsFailure{},
		exhaustion{},
		badDeploy{},
		trafficSpike{},
		jobFailure{},
		costAnomaly{},
	}
}

// Run runs every analyzer and returns their findings in rank order, numbered
// f1, f2, ... An analyzer that panics on a malformed bundle contributes no
// finding; the bundle gets a note saying so, and the others still run.
func Run(b *incident.Bundle) []incident.Finding {
	if b == nil {
		return nil
	}
	var findings []incident.Finding
	var recs []logRecord
	recsReady := false
	for _, a := range All() {
		analyze := a.Analyze
		// Log analyzers share one pass over the logs instead of each
		// grouping every raw line again.
		if la, ok := a.(logAnalyzer); ok {
			if !recsReady {
				recs, recsReady = logRecords(b), true
			}
			analyze = func(b *incident.Bundle) []incident.Finding { return la.analyzeLogs(b, recs) }
		}
		out, err := runOne(a.Name(), analyze, b)
		if err != nil {
			b.Notes = append(b.Notes, err.Error())
			continue
		}
		findings = append(findings, out...)
	}
	_, ranked := Rank(b, findings)
	return ranked
}

// logAnalyzer is an analyzer that reads the bundle's log records; Run
// derives them once for all of them.
type logAnalyzer interface {
	analyzeLogs(b *incident.Bundle, recs []logRecord) []incident.Finding
}

// runOne shields the pipeline from one analyzer's bug.
func runOne(name string, analyze func(*incident.Bundle) []incident.Finding, b *incident.Bundle) (out []incident.Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			out = nil
			err = fmt.Errorf("analyzer %s failed on this bundle and was skipped: %v", name, r)
		}
	}()
	out = analyze(b)
	for i := range out {
		out[i].Analyzer = name
		out[i].Evidence = dedupe(out[i].Evidence)
		out[i].Confidence = clamp01(out[i].Confidence)
	}
	return out, nil
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	sort.SliceStable(out, func(i, j int) bool { return idLess(out[i], out[j]) })
	return out
}

// idLess orders evidence ids "e2" before "e10".
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func clamp01(x float64) float64 {
	switch {
	case x != x: // NaN
		return 0
	case x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}
