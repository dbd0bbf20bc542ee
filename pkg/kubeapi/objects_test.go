package kubeapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseObjects(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // kind/namespace/name
		wantErr string
	}{
		{"multi-document yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Node\nmetadata: {name: node-1, namespace: ignored}\n",
			[]string{"Pod/default/a", "Node//node-1"}, ""},
		{"v1 list", `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"x"}}]}`,
			[]string{"Deployment/x/d"}, ""},
		{"typed list", "apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, namespace: yard}\n",
			[]string{"Pod/yard/p"}, ""},
		{"events.k8s.io stored as core", "apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e, namespace: z}\nnote: hi\n",
			[]string{"Event/z/e"}, ""},
		{"empty", "", nil, ""},
		{"secret refused", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: aGk=}\n", nil, "Secrets are refused"},
		{"secret in a list refused", `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}]}`, nil, "Secrets are refused"},
		{"no name", "apiVersion: v1\nkind: Pod\nmetadata: {}\n", nil, "metadata.name"},
		{"slash in name", "apiVersion: v1\nkind: Pod\nmetadata: {name: a/b}\n", nil, "metadata.name"},
		{"unknown kind", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n", nil, "unsupported kind"},
		{"scalar document", "just text\n", nil, "not an object"},
		{"label not a string", "apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {x: {y: 1}}}\n", nil, "label"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			objs, err := ParseObjects([]byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want error containing %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range objs {
				got = append(got, o.Kind+"/"+o.Namespace+"/"+o.Name)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLoadObjectsRejectsDuplicates(t *testing.T) {
	dir := t.TempDir()
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n"
	for _, f := range []string{"a.yaml", "b.yml"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(pod), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o600); err != nil {
		t.Fatal(err)
	}
	objs, err := LoadObjects(dir)
	if err != nil || len(objs) != 2 {
		t.Fatalf("load: %v, %d objects", err, len(objs))
	}
	if _, err := New(Config{Objects: objs}); err == nil || !strings.Contains(err.Error(), "duplicate Pod x/a") {
		t.Fatalf("want duplicate error, got %v", err)
	}
}

func TestLogsParsing(t *testing.T) {
	logs := NewLogs()
	if err := logs.Put("ns", "p", "c", false, []byte("2026-01-01T00:00:00Z a b\r\n\n2026-01-01T00:00:01.5Z \n")); err != nil {
		t.Fatal(err)
	}
	s := logs.streams[logKey{"ns", "p", "c", false}]
	if len(s.lines) != 2 || string(s.text[s.lines[0].start+stampLen:s.lines[0].end]) != "a b\n" ||
		!s.lines[1].t.Equal(time.Date(2026, 1, 1, 0, 0, 1, 5e8, time.UTC)) {
		t.Fatalf("parsed %+v", s.lines)
	}
	err := logs.Put("ns", "p", "c", false, []byte("2026-01-01T00:00:00Z ok\nno timestamp here\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("want an error naming line 2, got %v", err)
	}
	empty, err := LoadLogs(filepath.Join(t.TempDir(), "missing"))
	if err != nil || empty.Len() != 0 {
		t.Fatalf("missing logs dir: %v, %d streams", err, empty.Len())
	}
}

func FuzzParseObjects(f *testing.F) {
	for _, seed := range []string{
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n}\n",
		`{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"}}]}`,
		"apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e}\nregarding: {name: p}\nseries: {count: 2}\n",
		"kind: PodList\nitems: [1, 2]\n",
		"--- \n- a\n- b\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := ParseObjects(data)
		if err != nil {
			return
		}
		for _, o := range objs {
			if o.Kind == "Secret" || o.Name == "" {
				t.Fatalf("accepted %+v", o)
			}
		}
		if _, err := New(Config{Objects: objs}); err != nil && !strings.Contains(err.Error(), "duplicate") {
			t.Fatalf("parsed objects not servable: %v", err)
		}
	})
}

func FuzzParseLog(f *testing.F) {
	f.Add([]byte("2026-01-01T00:00:00Z a\n2026-01-01T00:00:00.123456789+02:00 b\n"))
	f.Add([]byte("bad\n"))
	f.Add([]byte("2026-01-01T00:00:00Z\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseLog(data)
		if err != nil {
			return
		}
		var sb strings.Builder
		if err := s.write(&sb, logQuery{tailLines: -1, timestamps: true}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(sb.String(), "\n"); got != len(s.lines) {
			t.Fatalf("wrote %d lines, parsed %d", got, len(s.lines))
		}
	})
}
