package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseMeta feeds arbitrary scenario.yaml content to the parser: it may
// reject it, never panic, and what it accepts is valid.
func FuzzParseMeta(f *testing.F) {
	f.Add([]byte(validMeta))
	f.Add([]byte("name: x\nnow: \"2026-01-01T00:00:00Z\"\nalert: {version: \"4\", alerts: [{labels: {a: b}}]}\nexpect: {category: Unknown, entity: {kind: External, name: h}}\n"))
	f.Add([]byte("alert: &a [*a, *a]\n"))
	f.Add([]byte("now: 2026-01-01\nalert: {labels: {}}\n"))
	f.Add([]byte("{}"))
	for _, name := range []string{"oom-order-service-leak", "unschedulable-unbound-pvc-kafka", "dns-nxdomain-partner-api"} {
		if raw, err := os.ReadFile(filepath.Join(corpusDir, name, MetaFile)); err == nil {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > maxMetaBytes {
			return
		}
		s, err := parseMeta(raw, MetaFile)
		if err != nil {
			if !strings.Contains(err.Error(), MetaFile) {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if s.Now.IsZero() && !strings.Contains(string(raw), "0001-01-01") {
			t.Errorf("accepted without a time: %q", raw)
		}
		if !s.Expect.Category.Valid() || s.Expect.Entity.Kind == "" || s.Expect.Entity.Name == "" {
			t.Errorf("accepted an invalid expectation: %+v", s.Expect)
		}
		if len(s.Alert.Labels) == 0 {
			t.Errorf("accepted an alert without labels: %+v", s.Alert)
		}
	})
}
