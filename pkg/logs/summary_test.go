package logs

import (
	"strings"
	"testing"
)

// A template keeps its first entry and its latest one as examples, the
// latest shortened with the cut mark, through a merge of siblings too.
func TestSummaryKeepsFirstAndLatestExample(t *testing.T) {
	s := NewSummary(SummaryOptions{})
	long := "user alice logged in from 10.0.0.9 " + strings.Repeat("with a long story ", 30)
	for _, raw := range []string{"user alice logged in from 10.0.0.1", "user alice logged in from 10.0.0.2",
		"user bob logged in from 10.0.0.3", long, "user carol logged in from 10.0.0.4"} {
		msg := raw[:min(len(raw), len("user alice logged in from 10.0.0.1"))]
		s.Add(Record{Message: msg, Raw: raw, Format: FormatPlain, Lines: 1}, "")
	}
	got := s.Templates()
	if len(got) != 1 || got[0].Count != 5 {
		t.Fatalf("templates %+v, want one of 5 entries", got)
	}
	want := []string{"user alice logged in from 10.0.0.1", shortenExample(long)}
	if ex := got[0].Examples; len(ex) != 2 || ex[0] != want[0] || ex[1] != want[1] || !strings.HasSuffix(ex[1], " …") {
		t.Errorf("examples %q, want %q", ex, want)
	}
}
