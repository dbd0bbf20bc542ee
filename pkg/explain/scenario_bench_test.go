package explain_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/scenario"
	"github.com/cloudobs/aiops-app/pkg/tokens"
)

// BenchmarkScenarioPromptTokens replays the scenario corpus (local Kubernetes
// API, a real Prometheus per scenario) through the pipeline with a model that
// records each prompt, and reports the prompt's tokens — system prompt, data,
// instructions and schema, counted exactly — as median and max over the
// corpus (target: median ≤ 4000). One iteration is one pass over the corpus.
//
//	go test -run=^$ -bench=ScenarioPromptTokens -benchtime=1x ./pkg/explain/
func BenchmarkScenarioPromptTokens(b *testing.B) {
	for _, bin := range []string{"prometheus", "promtool"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("CI") == "true" {
				b.Fatalf("%s not installed (apt-get install prometheus)", bin)
			}
			b.Skipf("SKIP: %s not installed (apt-get install prometheus)", bin)
		}
	}
	scenarios, err := scenario.LoadAll(filepath.Join("..", "..", "testdata", "scenarios"))
	if err != nil {
		b.Fatal(err)
	}
	var counts []int
	for b.Loop() {
		model := &recordingModel{}
		replayer := &scenario.Replayer{Provider: model}
		counts = counts[:0]
		for _, s := range scenarios {
			before := len(model.prompts())
			ex, err := replayer.Explain(context.Background(), s)
			if err != nil {
				b.Fatalf("%s: %v", s.Name, err)
			}
			if ex.ModelText != "" {
				b.Fatalf("%s: the recorded answer was rejected: %v", s.Name, ex.Notes)
			}
			ps := model.prompts()
			if len(ps) != before+1 {
				b.Fatalf("%s: %d model calls", s.Name, len(ps)-before)
			}
			counts = append(counts, ps[len(ps)-1])
		}
	}
	slices.Sort(counts)
	b.ReportMetric(float64(counts[len(counts)/2]), "median-prompt-tokens")
	b.ReportMetric(float64(counts[len(counts)-1]), "max-prompt-tokens")
	b.ReportMetric(float64(len(counts)), "scenarios")
}

// recordingModel counts each prompt's tokens and answers with the analyzers'
// suggestion, citing the first evidence id it was shown.
type recordingModel struct {
	mu     sync.Mutex
	counts []int
}

func (m *recordingModel) prompts() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.counts)
}

func (m *recordingModel) Name() string  { return "openai" }
func (m *recordingModel) Model() string { return "recorder" }
func (m *recordingModel) Complete(_ context.Context, req llm.Request) (llm.Response, error) {
	user := req.Messages[0].Content
	m.mu.Lock()
	m.counts = append(m.counts, tokens.Count(req.System)+tokens.Count(user)+tokens.Count(string(req.Schema.JSON)))
	m.mu.Unlock()
	category := between(user, `"analyzerRootCause":{"category":"`, `"`)
	if category == "" {
		category = "Unknown"
	}
	ids := strings.Split(strings.TrimSuffix(between(user, "Evidence ids you may cite: ", "\n"), "."), ", ")
	var cite []string
	if ids[0] != "" {
		cite = ids[:1]
	}
	// Blame the analyzers' entity ("Kind/namespace/name" or "Kind/name"),
	// which is in the data by construction.
	entity := map[string]any{"namespace": "", "kind": "External", "name": "unknown"}
	parts := strings.Split(between(user, `"analyzerRootCause":{"category":"`+category+`","entity":"`, `"`), "/")
	switch len(parts) {
	case 3:
		entity = map[string]any{"kind": parts[0], "namespace": parts[1], "name": parts[2]}
	case 2:
		entity = map[string]any{"kind": parts[0], "namespace": "", "name": parts[1]}
	}
	answer, _ := json.Marshal(map[string]any{
		"summary": "recorded",
		"rootCause": map[string]any{"category": category, "entity": entity,
			"description": "recorded", "confidence": 0.5},
		"nextSteps": []any{}, "evidence": cite,
	})
	return llm.Response{Text: string(answer)}, nil
}
func (m *recordingModel) Stream(ctx context.Context, req llm.Request, onToken func(string)) (llm.Response, error) {
	return m.Complete(ctx, req)
}
func (m *recordingModel) Health(context.Context) error             { return nil }
func (m *recordingModel) Models(context.Context) ([]string, error) { return nil, nil }
func (m *recordingModel) CountTokens(s string) int                 { return tokens.Count(s) }
func (m *recordingModel) Price() llm.Price                         { return llm.Price{} }
func (m *recordingModel) ContextWindow() int                       { return 128000 }

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	rest := s[i+len(start):]
	j := strings.Index(rest, end)
	if j < 0 {
		return ""
	}
	return rest[:j]
}
