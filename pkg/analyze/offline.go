package analyze

import (
	"fmt"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// maxSummaryLead bounds the finding sentences quoted in a summary.
const maxSummaryLead = 450

// MaxEvidence bounds the evidence an explanation carries, whoever wrote it.
const MaxEvidence = 30

// Analysis is what the analyzers make of a bundle: the ranked findings and
// the root cause they support. It is computed once per explanation and used
// by the model's prompt, the offline answer and the fallback alike.
type Analysis struct {
	Root     incident.RootCause
	Findings []incident.Finding
}

// Analyze runs every analyzer over b and ranks what they found.
func Analyze(b *incident.Bundle) Analysis {
	if b == nil {
		b = &incident.Bundle{}
	}
	root, findings := Rank(b, Run(b))
	if findings == nil {
		findings = []incident.Finding{}
	}
	return Analysis{Root: root, Findings: findings}
}

// Offline builds the complete explanation from the analyzers alone.
func Offline(b *incident.Bundle) incident.Explanation {
	if b == nil {
		b = &incident.Bundle{}
	}
	return Analyze(b).Explanation(b)
}

// Explanation is the analyzers' own answer for b: the default provider's
// answer and the fallback when a model's cannot be used. It does not set ID
// or Timings; the pipeline does.
func (a Analysis) Explanation(b *incident.Bundle) incident.Explanation {
	return incident.Explanation{
		Fingerprint: b.Alert.Fingerprint,
		Summary:     summary(b, a.Root, a.Findings),
		RootCause:   a.Root,
		Findings:    a.Findings,
		Evidence:    CitedEvidence(b, nil, a.Findings),
		NextSteps:   NextSteps(b, a.Root),
		Provider:    incident.ProviderInfo{Name: "offline", Model: ""},
		Degraded:    append([]incident.Degraded{}, b.Degraded...),
		CreatedAt:   b.Now,
		Alert:       b.Alert,
		Notes:       append([]string(nil), b.Notes...),
	}
}

// summary is one or two sentences: what is wrong, where, and what it explains.
func summary(b *incident.Bundle, root incident.RootCause, findings []incident.Finding) string {
	alert := b.Alert.Name()
	if alert == "" {
		alert = "The alert"
	}
	if root.Category == incident.CategoryUnknown {
		return fmt.Sprintf("%s on %s: no root cause could be established from the evidence. %s",
			alert, entityLabel(root.Entity), firstSentence(strings.TrimPrefix(root.Description, "The evidence does not support a root cause. ")))
	}
	top := findings[0]
	lead := firstSentence(top.Detail)
	// A short first sentence leaves room for the numbers that usually follow.
	if rest := strings.TrimSpace(strings.TrimPrefix(top.Detail, lead)); len(lead) < 200 && rest != "" {
		if next := firstSentence(rest); len(lead)+len(next) <= maxSummaryLead {
			lead += " " + next
		}
	}
	s := fmt.Sprintf("%s: %s (%s, confidence %.0f%%). %s", alert, top.Title, root.Category,
		100*root.Confidence, lead)
	var symptoms []string
	for _, f := range findings[1:] {
		if explainsFinding(b, top, f) {
			symptoms = append(symptoms, string(f.Category))
		}
	}
	if len(symptoms) > 0 {
		s += fmt.Sprintf(" It accounts for the %s seen as well.", strings.Join(uniq(symptoms), " and "))
	}
	return s
}

func entityLabel(e incident.Entity) string {
	switch {
	case e.Name == "" && e.Namespace == "":
		return "its target"
	case e.Name == "":
		return "namespace " + e.Namespace
	}
	return e.String()
}

// firstSentence cuts s after its first full stop that ends a sentence: not
// inside a quoted log line, not after "e.g" or "i.e".
func firstSentence(s string) string {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			inQuote = !inQuote
		case '.':
			if inQuote || i+1 >= len(s) || s[i+1] != ' ' {
				continue
			}
			if before := s[:i]; strings.HasSuffix(before, "e.g") || strings.HasSuffix(before, "i.e") {
				continue
			}
			return s[:i+1]
		}
	}
	return s
}

func uniq(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// CitedEvidence is what an answer cites (cited, the model's ids), then what
// the findings cite, then the target's pods, in catalog order within each
// rank and at most MaxEvidence items.
func CitedEvidence(b *incident.Bundle, cited []string, findings []incident.Finding) []incident.Evidence {
	const (
		byAnswer = iota
		byFinding
		byTarget
		ranks
	)
	catalog := b.Catalog()
	rank := map[string]int{}
	for _, id := range cited {
		rank[id] = byAnswer
	}
	for _, f := range findings {
		for _, id := range f.Evidence {
			if _, ok := rank[id]; !ok {
				rank[id] = byFinding
			}
		}
	}
	for _, e := range catalog {
		if _, ok := rank[e.ID]; !ok && e.Kind == incident.EvidencePodStatus && contains(b.Target.Pods, e.Entity.Name) {
			rank[e.ID] = byTarget
		}
	}
	out := make([]incident.Evidence, 0, min(len(rank), MaxEvidence))
	for r := byAnswer; r < ranks; r++ {
		for _, e := range catalog {
			if got, ok := rank[e.ID]; ok && got == r && len(out) < MaxEvidence {
				out = append(out, e)
			}
		}
	}
	return out
}
