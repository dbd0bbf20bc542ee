package scenario

import (
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Result is the score of one explanation against its scenario; its JSON is
// an element of `aiops eval --format json`'s "scenarios".
type Result struct {
	Name     string        `json:"name"`
	Category CategoryScore `json:"category"`
	Entity   EntityScore   `json:"entity"`
	Mentions MentionScore  `json:"mentions"`
	// Error is set when the scenario could not be replayed; it then scores
	// nothing.
	Error string `json:"error,omitempty"`
}

// CategoryScore compares the root-cause category.
type CategoryScore struct {
	Expected incident.Category `json:"expected"`
	Got      incident.Category `json:"got"`
	OK       bool              `json:"ok"`
}

// EntityScore compares the root-cause entity.
type EntityScore struct {
	Expected incident.Entity `json:"expected"`
	Got      incident.Entity `json:"got"`
	OK       bool            `json:"ok"`
}

// MentionScore counts the expected facts the explanation names.
type MentionScore struct {
	Found int `json:"found"`
	Total int `json:"total"`
	// Missing are the mentions not found, for the text report.
	Missing []string `json:"-"`
}

// Score applies DESIGN.md's rules: the category must equal the expected one;
// the entity matches when the namespaces are equal and the names are equal,
// or the expected entity is a workload and the answer names one of its pods
// (or the reverse); a mention counts when it appears, case-insensitively, in
// the summary, the root cause's description or a finding's title or detail.
func Score(s *Scenario, e incident.Explanation) Result {
	r := Result{Name: s.Name}
	r.Category = CategoryScore{Expected: s.Expect.Category, Got: e.RootCause.Category,
		OK: e.RootCause.Category == s.Expect.Category}
	r.Entity = EntityScore{Expected: s.Expect.Entity, Got: e.RootCause.Entity,
		OK: entityMatches(s, s.Expect.Entity, e.RootCause.Entity)}
	texts := []string{strings.ToLower(e.Summary), strings.ToLower(e.RootCause.Description)}
	for _, f := range e.Findings {
		texts = append(texts, strings.ToLower(f.Title), strings.ToLower(f.Detail))
	}
	r.Mentions.Total = len(s.Expect.Mentions)
	for _, m := range s.Expect.Mentions {
		if mentioned(texts, strings.ToLower(m)) {
			r.Mentions.Found++
		} else {
			r.Mentions.Missing = append(r.Mentions.Missing, m)
		}
	}
	return r
}

// Failed is the result of a scenario that could not be replayed.
func Failed(s *Scenario, err error) Result {
	return Result{Name: s.Name, Error: err.Error(),
		Category: CategoryScore{Expected: s.Expect.Category},
		Entity:   EntityScore{Expected: s.Expect.Entity},
		Mentions: MentionScore{Total: len(s.Expect.Mentions), Missing: s.Expect.Mentions}}
}

func mentioned(texts []string, m string) bool {
	for _, t := range texts {
		if strings.Contains(t, m) {
			return true
		}
	}
	return false
}

func entityMatches(s *Scenario, want, got incident.Entity) bool {
	if want.Namespace != got.Namespace {
		return false
	}
	if want.Name == got.Name {
		return true
	}
	switch {
	case want.IsWorkload() && got.Kind == incident.KindPod:
		return ownedBy(s, got, want)
	case want.Kind == incident.KindPod && got.IsWorkload():
		return ownedBy(s, want, got)
	}
	return false
}

// ownedBy reports whether the pod is controlled, directly or through a
// ReplicaSet or Job, by the workload.
func ownedBy(s *Scenario, pod, workload incident.Entity) bool {
	for _, owner := range s.PodOwners[pod.Namespace+"/"+pod.Name] {
		if owner.Kind == workload.Kind && owner.Name == workload.Name {
			return true
		}
	}
	return false
}

// Summary totals the results of a run.
type Summary struct {
	Total           int `json:"total"`
	CategoryCorrect int `json:"categoryCorrect"`
	EntityCorrect   int `json:"entityCorrect"`
	MentionsFound   int `json:"mentionsFound"`
	MentionsTotal   int `json:"mentionsTotal"`
}

// Report is the output of `aiops eval --format json`.
type Report struct {
	Scenarios []Result `json:"scenarios"`
	Summary   Summary  `json:"summary"`
}

// Summarize totals results into a report.
func Summarize(results []Result) Report {
	rep := Report{Scenarios: results}
	if rep.Scenarios == nil {
		rep.Scenarios = []Result{}
	}
	for _, r := range results {
		rep.Summary.Total++
		if r.Category.OK {
			rep.Summary.CategoryCorrect++
		}
		if r.Entity.OK {
			rep.Summary.EntityCorrect++
		}
		rep.Summary.MentionsFound += r.Mentions.Found
		rep.Summary.MentionsTotal += r.Mentions.Total
	}
	return rep
}

// CategoryAccuracy is the share of scenarios with the right category.
func (s Summary) CategoryAccuracy() float64 { return ratio(s.CategoryCorrect, s.Total) }

// EntityAccuracy is the share of scenarios with the right entity.
func (s Summary) EntityAccuracy() float64 { return ratio(s.EntityCorrect, s.Total) }

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}
