package alert

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"
)

func addSeeds(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"labels":{}}`, `{"alerts":null}`, `{"alerts":[{}]}`,
		`{"instance":{"labels":{"a":"b"},"value":"[ var='A' labels={} value=1 ]"}}`,
		`{"alert":{"labels":{"a":1}},"rule":{"query":"[{\"model\":{\"expr\":\"up\"}}]"}}`,
		`{"labels":{"a":"b"},"startsAt":"2026-11-20T10:00:00.999999999+14:00","values":{"A":1e308}}`,
		`{"labels":{"a":"b"},"generatorURL":"http://x/graph?g0.expr=%zz"}`,
	} {
		f.Add([]byte(s))
	}
}

// checkParsed asserts the invariants of a successful parse: every alert is
// complete, serialisable, and parses back to itself.
func checkParsed(t *testing.T, body []byte) {
	alerts, err := ParseBytes(body)
	if err != nil {
		if !IsInputError(err) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("error of unexpected type %T: %v", err, err)
		}
		return
	}
	if len(alerts) == 0 {
		t.Fatal("success without alerts")
	}
	for _, a := range alerts {
		if len(a.Labels) == 0 || a.Fingerprint == "" {
			t.Fatalf("incomplete alert %+v", a)
		}
		switch a.Status {
		case "firing", "resolved", "pending", "nodata", "error":
		default:
			t.Fatalf("status %q outside the normalised set", a.Status)
		}
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("normalised alert does not serialise: %v", err)
		}
		again, err := ParseBytes(out)
		if err != nil {
			t.Fatalf("normalised alert %s does not parse back: %v", out, err)
		}
		if !reflect.DeepEqual(again[0], a) {
			t.Fatalf("round trip changed the alert\nfirst:  %+v\nsecond: %+v", a, again[0])
		}
	}
}

func FuzzParseBytes(f *testing.F) {
	addSeeds(f)
	f.Fuzz(checkParsed)
}

// FuzzParseYAML covers the scenario path: YAML converted to JSON, then parsed.
func FuzzParseYAML(f *testing.F) {
	f.Add([]byte("labels:\n  alertname: X\n  code: 500\nstartsAt: 2026-11-20T10:00:00Z\n"))
	f.Add([]byte("alerts:\n- labels: {a: b}\n  values: {A: .inf}\n"))
	f.Add([]byte("instance:\n  labels: {}\nrule:\n  name: R\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return
		}
		checkParsed(t, js)
	})
}
