package file

import (
	"strings"
	"testing"
)

// FuzzParseLines: file contents are outside input.
func FuzzParseLines(f *testing.F) {
	f.Add([]byte("2026-11-20T10:00:00.123456789Z hello\nno stamp\r\n2026-11-20T10:00:00+02:00 x\n"), false)
	f.Add([]byte("partial\n2026-13-01T00:00:00Z bad month\n"), true)
	f.Add([]byte(strings.Repeat("é", MaxLineBytes)), false)
	f.Fuzz(func(t *testing.T, content []byte, partial bool) {
		for _, raw := range splitLines(content, partial) {
			l := parseLine(raw)
			if strings.ContainsAny(l.Text, "\n") || len(l.Text) > MaxLineBytes+len(" …[truncated]") {
				t.Fatalf("line out of bounds: %d bytes", len(l.Text))
			}
			if !l.Time.IsZero() && l.Time.Location().String() != "UTC" {
				t.Fatalf("time not in UTC: %v", l.Time)
			}
		}
	})
}

// FuzzCompile: patterns come from configuration; a bad one is an error,
// never a panic.
func FuzzCompile(f *testing.F) {
	for _, p := range []string{"logs/{namespace}/{pod}/{container}.log", "/var/log/{service}/*.log", "{", "[!a]{pod}", "{pod}{pod}"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		_, _ = New(Config{Pattern: pattern})
	})
}
