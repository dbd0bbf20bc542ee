package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// corpusDir is the repository's scenario corpus.
var corpusDir = filepath.Join("..", "..", "testdata", "scenarios")

func TestLoadCorpusScenario(t *testing.T) {
	s, err := Load(filepath.Join(corpusDir, "crashloop-caused-by-oom-report-worker"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "crashloop-caused-by-oom-report-worker" || s.Description == "" {
		t.Errorf("name/description: %q %q", s.Name, s.Description)
	}
	if want := time.Date(2026, 11, 12, 7, 41, 30, 0, time.UTC); !s.Now.Equal(want) {
		t.Errorf("now %v, want %v", s.Now, want)
	}
	if s.Alert.Name() != "KubePodCrashLooping" || s.Alert.Labels["namespace"] != "analytics" || s.Alert.StartsAt.IsZero() {
		t.Errorf("alert not parsed: %+v", s.Alert)
	}
	want := incident.Entity{Namespace: "analytics", Kind: "Deployment", Name: "report-worker"}
	if s.Expect.Category != incident.CategoryOOMKilled || s.Expect.Entity != want || len(s.Expect.Mentions) == 0 {
		t.Errorf("expect: %+v", s.Expect)
	}
	pod := s.Alert.Labels["pod"]
	chain := s.PodOwners["analytics/"+pod]
	if len(chain) != 2 || chain[0].Kind != "ReplicaSet" || chain[1] != (incident.Entity{Namespace: "analytics", Kind: "Deployment", Name: "report-worker"}) {
		t.Errorf("owners of %s: %+v", pod, chain)
	}
}

const validMeta = `name: tiny
description: a hand-written scenario
now: "2026-11-20T10:05:00Z"
alert:
  labels: {alertname: KubePodCrashLooping, namespace: shop, pod: web-1}
  startsAt: "2026-11-20T10:00:00Z"
expect:
  category: CrashLoop
  entity: {namespace: shop, kind: Deployment, name: web}
  mentions: ["exit code 1"]
`

func writeScenario(t *testing.T, meta string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, MetaFile), []byte(meta), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadMinimal(t *testing.T) {
	s, err := Load(writeScenario(t, validMeta))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "tiny" || s.Expect.Category != incident.CategoryCrashLoop || len(s.PodOwners) != 0 {
		t.Errorf("loaded %+v", s)
	}
}

func TestLoadErrorsNameFileAndField(t *testing.T) {
	tests := []struct {
		name, meta, want string
	}{
		{"missing now", strings.Replace(validMeta, `now: "2026-11-20T10:05:00Z"`, "", 1), "now: missing"},
		{"bad now", strings.Replace(validMeta, `"2026-11-20T10:05:00Z"`, `"yesterday"`, 1), "now: not an RFC3339 time"},
		{"missing alert", validMeta[:strings.Index(validMeta, "alert:")] + validMeta[strings.Index(validMeta, "expect:"):], "alert: missing"},
		{"alert without labels", strings.Replace(validMeta, "  labels: {alertname: KubePodCrashLooping, namespace: shop, pod: web-1}\n", "", 1), "alert:"},
		{"unknown category", strings.Replace(validMeta, "category: CrashLoop", "category: Crashloop", 1), "expect.category"},
		{"entity without kind", strings.Replace(validMeta, "kind: Deployment, ", "", 1), "expect.entity: kind and name are required"},
		{"node with namespace", strings.Replace(validMeta, "{namespace: shop, kind: Deployment, name: web}", "{namespace: shop, kind: Node, name: n1}", 1), "expect.entity.namespace: must be empty"},
		{"workload without namespace", strings.Replace(validMeta, "{namespace: shop, kind: Deployment, name: web}", "{kind: Deployment, name: web}", 1), "expect.entity.namespace: required"},
		{"empty mention", strings.Replace(validMeta, `["exit code 1"]`, `["exit code 1", " "]`, 1), "expect.mentions[1]: empty"},
		{"unknown field", validMeta + "expected: {}\n", "unknown field"},
		{"not yaml", "name: [unclosed", MetaFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeScenario(t, tc.meta))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), MetaFile) {
				t.Errorf("error %q should name %q and the file", err, tc.want)
			}
		})
	}
}

func TestLoadMissingDirectory(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), MetaFile) {
		t.Errorf("error %v should name %s", err, MetaFile)
	}
}

func TestLoadBadKubeObjects(t *testing.T) {
	dir := writeScenario(t, validMeta)
	if err := os.MkdirAll(filepath.Join(dir, KubeDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, KubeDir, "secret.yaml"), []byte("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "kube") {
		t.Errorf("a Secret in kube/ must be refused with the directory named, got %v", err)
	}
}

func TestLoadAll(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"b", "a", filepath.Join("nested", "c")} {
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		meta := strings.Replace(validMeta, "name: tiny", "name: "+filepath.Base(name), 1)
		if err := os.WriteFile(filepath.Join(dir, MetaFile), []byte(meta), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	all, err := LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range all {
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "a,b,c" {
		t.Errorf("scenarios %v, want a,b,c", names)
	}
	one, err := LoadAll(filepath.Join(root, "a"))
	if err != nil || len(one) != 1 {
		t.Errorf("a scenario directory itself: %v %v", one, err)
	}
	if _, err := LoadAll(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no scenario") {
		t.Errorf("empty root: %v", err)
	}
}
