package scenario

import (
	"bytes"
	"context"
	"os"
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
	s, err := Load(corpusDir + "/oom-order-service-leak")
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
	s, err := Load(corpusDir + "/crashloop-caused-by-oom-report-worker")
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
