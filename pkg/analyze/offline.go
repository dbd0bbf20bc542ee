package analyze

import (
	"fmt"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// maxSummaryLead bounds the finding sentences quoted in a summary.
const maxSummaryLead = 450

// maxOfflineEvidence bounds the evidence an offline explanation carries.
const maxOfflineEvidence = 25

// Offline builds the complete explanation from the analyzers alone: it is the
// default provider's answer and the fallback when an LLM fails. It does not
// set ID or Timings; the pipeline does.
func Offline(b *incident.Bundle) incident.Explanation {
	if b == nil {
		b = &incident.Bundle{}
	}
	findings := Run(b)
	root, findings := Rank(b, findings)
	if findings == nil {
		findings = []incident.Finding{}
	}
	degraded := append([]incident.Degraded{}, b.Degraded...)
	return incident.Explanation{
		Fingerprint: b.Alert.Fingerprint,
		Summary:     summary(b, root, findings),
		RootCause:   root,
		Findings:    findings,
		Evidence:    citedEvidence(b, findings),
		NextSteps:   NextSteps(b, root),
		Provider:    incident.ProviderInfo{Name: "offline", Model: ""},
		Degraded:    degraded,
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

// citedEvidence is every item a finding cites, then the target's pods and
// other items about the same entities, bounded, in catalog order.
func citedEvidence(b *incident.Bundle, findings []incident.Finding) []incident.Evidence {
	catalog := b.Catalog()
	want := map[string]bool{}
	for _, f := range findings {
		for _, id := range f.Evidence {
			want[id] = true
		}
	}
	out := make([]incident.Evidence, 0, maxOfflineEvidence)
	for _, e := range catalog {
		if want[e.ID] && len(out) < maxOfflineEvidence {
			out = append(out, e)
		}
	}
	for _, e := range catalog {
		if len(out) >= maxOfflineEvidence {
			break
		}
		if !want[e.ID] && e.Kind == incident.EvidencePodStatus && contains(b.Target.Pods, e.Entity.Name) {
			want[e.ID] = true
			out = append(out, e)
		}
	}
	return out
}
