package explain

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/tokens"
)

// BenchmarkPipelineOverhead measures everything after evidence collection —
// redaction, log mining and selection, analyzers, prompt building and token
// counting, validation, the explanation's assembly and redaction — for a
// 10-pod incident, with a model that answers instantly. It reports the p95
// of one explanation in milliseconds (target < 50) and the prompt's tokens.
//
//	go test -run=^$ -bench=PipelineOverhead -benchmem ./pkg/explain/
func BenchmarkPipelineOverhead(b *testing.B) {
	raw, err := json.Marshal(oomBundle(10))
	if err != nil {
		b.Fatal(err)
	}
	model := &fakeModel{answer: wellBehaved}
	p := New(Config{Provider: model})
	ctx := context.Background()
	// Warm the tokenizer's vocabulary once; it is loaded at first use.
	tokens.Count("warm up")
	var durations []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		var bundle incident.Bundle
		if err := json.Unmarshal(raw, &bundle); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		ex, err := p.ExplainBundle(ctx, &bundle, nil)
		durations = append(durations, time.Since(start))
		if err != nil || ex.ModelText != "" {
			b.Fatalf("explanation failed: %v %q", err, ex.ModelText)
		}
	}
	b.StopTimer()
	slices.Sort(durations)
	p95 := durations[min(len(durations)-1, len(durations)*95/100)]
	b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	last := model.all()[len(model.all())-1]
	b.ReportMetric(float64(tokens.Count(last.System)+tokens.Count(last.Messages[0].Content)+tokens.Count(string(last.Schema.JSON))), "prompt-tokens")
}
