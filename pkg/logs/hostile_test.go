package logs

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLogsHostileLines: workload logs are written by whatever runs in the
// cluster. A single 10 MB line (plain, JSON, logfmt), deeply nested JSON
// and invalid UTF-8 are parsed, bounded and mined into valid text.
func TestLogsHostileLines(t *testing.T) {
	huge := strings.Repeat("A", 10<<20)
	lines := map[string]string{
		"10 MB plain line":        "2026-11-20T10:00:00Z ERROR " + huge,
		"10 MB JSON message":      `{"level":"error","msg":"` + huge + `"}`,
		"10 MB logfmt value":      `level=error msg=` + huge,
		"100k nested JSON arrays": `{"level":"error","msg":"deep","data":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`,
		"invalid UTF-8":           "2026-11-20T10:00:00Z ERROR bad \xff\xfe bytes \xc3",
		"JSON with invalid UTF-8": "{\"level\":\"error\",\"msg\":\"bad \xff\xfe\",\"k\":\"\xed\xa0\x80\"}",
	}
	for name, line := range lines {
		p := NewParser()
		recs := append(p.Add(line), p.Flush()...)
		if len(recs) == 0 {
			t.Errorf("%s: no record", name)
			continue
		}
		s := NewSummary(SummaryOptions{})
		for _, r := range recs {
			if len(r.Raw) > 2*maxLineBytes || len(r.Message) > 2*maxLineBytes {
				t.Errorf("%s: record of %d/%d bytes escapes the %d-byte line bound", name, len(r.Raw), len(r.Message), maxLineBytes)
			}
			if !utf8.ValidString(r.Message) || !utf8.ValidString(r.Raw) {
				t.Errorf("%s: record text is not valid UTF-8: %q", name, clipForTest(r.Message))
			}
			s.Add(r, "app")
		}
		for _, st := range s.Templates() {
			if !utf8.ValidString(st.Pattern) || len(st.Pattern) > 2*maxLineBytes {
				t.Errorf("%s: template %q invalid or unbounded", name, clipForTest(st.Pattern))
			}
		}
	}
}

func clipForTest(s string) string { return s[:min(len(s), 80)] }
