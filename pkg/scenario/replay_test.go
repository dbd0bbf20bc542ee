package scenario

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Targets of issue 5 for the offline provider on the corpus.
const (
	targetCategoryAccuracy = 0.90
	targetEntityAccuracy   = 0.90
)

// TestCorpusAccuracy replays the whole corpus through the product with the
// offline provider (the analyzers alone) and fails below the targets.
func TestCorpusAccuracy(t *testing.T) {
	requireBinary(t, "prometheus")
	requireBinary(t, "promtool")
	scenarios, err := LoadAll(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	rep := Evaluate(ctx, scenarios, &Replayer{}, EvalOptions{})
	var buf bytes.Buffer
	if err := WriteText(&buf, rep); err != nil {
		t.Fatal(err)
	}
	t.Logf("replayed %d scenarios in %s\n%s", len(scenarios), time.Since(start).Round(time.Millisecond), buf.String())
	for _, r := range rep.Scenarios {
		if r.Error != "" {
			t.Errorf("%s: replay failed: %s", r.Name, r.Error)
		}
	}
	s := rep.Summary
	if got := s.CategoryAccuracy(); got < targetCategoryAccuracy {
		t.Errorf("category accuracy %.3f (%d/%d), target %.2f", got, s.CategoryCorrect, s.Total, targetCategoryAccuracy)
	}
	if got := s.EntityAccuracy(); got < targetEntityAccuracy {
		t.Errorf("entity accuracy %.3f (%d/%d), target %.2f", got, s.EntityCorrect, s.Total, targetEntityAccuracy)
	}
	if path := os.Getenv("AIOPS_EVAL_REPORT"); path != "" {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// TestReplayIsDeterministic replays one scenario twice: a recorded incident
// must give the same answer every time and on any day.
func TestReplayIsDeterministic(t *testing.T) {
	requireBinary(t, "prometheus")
	requireBinary(t, "promtool")
	s, err := Load(filepath.Join(corpusDir, "oom-order-service-leak"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r := &Replayer{}
	first, err := r.Explain(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.Explain(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if first.Summary != second.Summary || first.RootCause != second.RootCause || len(first.Findings) != len(second.Findings) {
		t.Errorf("two replays differ:\n%+v\n%+v", first.RootCause, second.RootCause)
	}
	if len(first.Evidence) == 0 {
		t.Error("the replay collected no evidence")
	}
}

// BenchmarkReplay measures one scenario's replay end to end: the local
// Kubernetes API, the Prometheus backfill and start, evidence collection and
// the offline explanation. The evaluation's wall time is about
// scenarios × this ÷ parallel.
func BenchmarkReplay(b *testing.B) {
	requireBinary(b, "prometheus")
	requireBinary(b, "promtool")
	s, err := Load(filepath.Join(corpusDir, "crashloop-caused-by-oom-report-worker"))
	if err != nil {
		b.Fatal(err)
	}
	r := &Replayer{}
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		if _, err := r.Explain(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/scenario")
}

// TestReplayHandWrittenScenario replays a scenario in the format that is not
// from the corpus: the alert as an Alertmanager webhook, objects as a JSON v1
// List, no logs and no metrics.
func TestReplayHandWrittenScenario(t *testing.T) {
	dir := t.TempDir()
	meta := `name: hand-written
now: "2026-11-20T10:05:00Z"
alert:
  version: "4"
  status: firing
  alerts:
  - status: firing
    labels: {alertname: KubePodCrashLooping, namespace: web, pod: api-0, container: api}
    startsAt: "2026-11-20T09:55:00Z"
expect:
  category: OOMKilled
  entity: {namespace: web, kind: Pod, name: api-0}
  mentions: ["api-0"]
`
	pod := `{"apiVersion": "v1", "kind": "List", "items": [{
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "api-0", "namespace": "web", "uid": "0b7f3c1e-2a44-4c55-9d1e-5f6a7b8c9d0e", "creationTimestamp": "2026-11-20T09:00:00Z"},
  "spec": {"nodeName": "node-a", "containers": [{"name": "api", "image": "example/api:1",
    "resources": {"limits": {"memory": "64Mi"}, "requests": {"memory": "64Mi"}}}]},
  "status": {"phase": "Running", "podIP": "10.1.0.5", "startTime": "2026-11-20T09:00:00Z",
    "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": "2026-11-20T10:03:00Z"}],
    "containerStatuses": [{"name": "api", "image": "example/api:1", "imageID": "", "ready": false, "restartCount": 7, "started": false,
      "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container=api pod=api-0_web"}},
      "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137, "startedAt": "2026-11-20T10:01:00Z", "finishedAt": "2026-11-20T10:03:00Z"}}}]}}]}`
	if err := os.MkdirAll(filepath.Join(dir, KubeDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, MetaFile), []byte(meta), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, KubeDir, "objects.json"), []byte(pod), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, err := (&Replayer{}).Explain(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range e.Evidence {
		if ev.Entity.Name == "api-0" {
			found = true
		}
	}
	if !found {
		t.Errorf("the pod of the fixture is not in the evidence: %+v", e.Evidence)
	}
	r := Score(s, e)
	t.Logf("hand-written scenario: %+v", r)
}
