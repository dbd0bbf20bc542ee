package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runEvalCmd(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: getenv})
	return code, out.String(), errOut.String()
}

func TestEvalUsage(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no scenarios flag", nil, []string{"eval"}, "--scenarios is required"},
		{"bad format", nil, []string{"eval", "--scenarios", ".", "--format", "yaml"}, "--format must be text or json"},
		{"bad now", nil, []string{"eval", "--scenarios", ".", "--now", "yesterday"}, "--now must be an RFC3339 time"},
		{"bad AIOPS_NOW", map[string]string{"AIOPS_NOW": "soon"}, []string{"eval", "--scenarios", "."}, "AIOPS_NOW must be an RFC3339 time"},
		{"bad parallel", nil, []string{"eval", "--scenarios", ".", "--parallel", "0"}, "--parallel must be at least 1"},
		{"bad min accuracy", nil, []string{"eval", "--scenarios", ".", "--min-accuracy", "90"}, "--min-accuracy"},
		{"unknown provider", nil, []string{"eval", "--scenarios", ".", "--provider", "gpt"}, "unknown provider"},
		{"stray argument", nil, []string{"eval", "--scenarios", ".", "extra"}, "unexpected argument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runEvalCmd(t, tc.env, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, stderr)
			}
			if !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("stderr %q should be one line with %q", stderr, tc.want)
			}
		})
	}
}

func TestEvalNoScenarios(t *testing.T) {
	code, _, stderr := runEvalCmd(t, nil, "eval", "--scenarios", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "no scenario found") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestEvalBrokenScenario(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "broken")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scenario.yaml"), []byte("name: broken\nnow: later\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runEvalCmd(t, nil, "eval", "--scenarios", dir)
	if code != 1 || !strings.Contains(stderr, "scenario.yaml: now") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestEvalCorpusScenario runs one real scenario end to end in both formats.
func TestEvalCorpusScenario(t *testing.T) {
	for _, bin := range []string{"prometheus", "promtool"} {
		if missingPrometheus() == bin {
			if os.Getenv("CI") == "true" {
				t.Fatalf("SKIP: %s not installed (apt-get install prometheus)", bin)
			}
			t.Skipf("SKIP: %s not installed (apt-get install prometheus)", bin)
		}
	}
	dir := filepath.Join("..", "..", "..", "testdata", "scenarios", "oom-order-service-leak")
	code, stdout, stderr := runEvalCmd(t, nil, "eval", "--scenarios", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "accuracy: category ") || !strings.Contains(last, "/1, entity ") {
		t.Errorf("last line %q", last)
	}
	if !strings.Contains(stderr, "[1/1] oom-order-service-leak") {
		t.Errorf("no progress on stderr: %q", stderr)
	}
	code, stdout, _ = runEvalCmd(t, nil, "eval", "--scenarios", dir, "--format", "json", "--quiet")
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(stdout), "{") || !strings.Contains(stdout, `"categoryCorrect"`) {
		t.Errorf("json output (exit %d): %s", code, stdout)
	}
}

// TestEvalWithLLMProvider scores a model's answers: the fake OpenAI server
// always blames a database, so the OOM scenario must come out wrong — which
// proves the provider, not the analyzers, answered.
func TestEvalWithLLMProvider(t *testing.T) {
	if bin := missingPrometheus(); bin != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("SKIP: %s not installed (apt-get install prometheus)", bin)
		}
		t.Skipf("SKIP: %s not installed (apt-get install prometheus)", bin)
	}
	llm := &fakeLLM{}
	srv := httptest.NewServer(llm)
	defer srv.Close()
	dir := filepath.Join("..", "..", "..", "testdata", "scenarios", "oom-order-service-leak")
	env := map[string]string{"OPENAI_API_KEY": "sk-test"}
	code, stdout, stderr := runEvalCmd(t, env, "eval", "--scenarios", dir, "--provider", "openai", "--base-url", srv.URL+"/v1",
		"--format", "json", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Scenarios []struct {
			Category struct{ Got string } `json:"category"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if len(rep.Scenarios) != 1 || rep.Scenarios[0].Category.Got != "DependencyFailure" {
		t.Errorf("the model's answer was not scored: %s", stdout)
	}
	llm.mu.Lock()
	calls := len(llm.paths)
	llm.mu.Unlock()
	if calls == 0 {
		t.Error("the LLM was never called")
	}
	code, _, stderr = runEvalCmd(t, env, "eval", "--scenarios", dir, "--provider", "openai", "--base-url", srv.URL+"/v1",
		"--quiet", "--min-accuracy", "0.9")
	if code != 1 || !strings.Contains(stderr, "accuracy below 0.90") {
		t.Errorf("--min-accuracy: exit %d, stderr %q", code, stderr)
	}
}

// TestEvalHeldout scores a second set apart: text gets a header per set and
// ends in the held-out set's accuracy line; JSON keeps the contract's
// in-sample report at the top and adds "heldout".
func TestEvalHeldout(t *testing.T) {
	if bin := missingPrometheus(); bin != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("SKIP: %s not installed (apt-get install prometheus)", bin)
		}
		t.Skipf("SKIP: %s not installed (apt-get install prometheus)", bin)
	}
	in := filepath.Join("..", "..", "..", "testdata", "scenarios", "oom-order-service-leak")
	out := filepath.Join("..", "..", "..", "testdata", "heldout", "heldout-jvm-heap-larger-than-container-limit")
	code, stdout, stderr := runEvalCmd(t, nil, "eval", "--scenarios", in, "--heldout", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"# in-sample: ", "# held-out: ", "oom-order-service-leak", "heldout-jvm-heap-larger-than-container-limit"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, stdout)
		}
	}
	if got := strings.Count(stdout, "accuracy: category "); got != 2 {
		t.Errorf("%d accuracy lines, want one per set:\n%s", got, stdout)
	}
	if !strings.Contains(stderr, "held-out [1/1] heldout-jvm-heap-larger-than-container-limit") {
		t.Errorf("progress does not name the set: %q", stderr)
	}
	out2 := filepath.Join("..", "..", "..", "testdata", "heldout2", "h2-v8-heap-above-container-limit")
	code, stdout, _ = runEvalCmd(t, nil, "eval", "--scenarios", in, "--heldout", out, "--heldout", out2, "--format", "json", "--quiet")
	type setReport struct {
		Dir       string                  `json:"dir"`
		Scenarios []struct{ Name string } `json:"scenarios"`
		Summary   struct{ Total int }     `json:"summary"`
	}
	var rep struct {
		Scenarios   []struct{ Name string } `json:"scenarios"`
		Summary     struct{ Total int }     `json:"summary"`
		Heldout     *setReport              `json:"heldout"`
		HeldoutSets []setReport             `json:"heldoutSets"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, stdout)
	}
	if len(rep.Scenarios) != 1 || rep.Scenarios[0].Name != "oom-order-service-leak" || rep.Heldout == nil ||
		len(rep.Heldout.Scenarios) != 1 || rep.Heldout.Summary.Total != 1 {
		t.Errorf("json sets mixed up: %s", stdout)
	}
	if len(rep.HeldoutSets) != 2 || rep.HeldoutSets[0].Dir != out || rep.HeldoutSets[1].Dir != out2 ||
		len(rep.HeldoutSets[1].Scenarios) != 1 || rep.HeldoutSets[1].Scenarios[0].Name != "h2-v8-heap-above-container-limit" {
		t.Errorf("heldoutSets do not list both sets in flag order: %s", stdout)
	}
	code, stdout, _ = runEvalCmd(t, nil, "eval", "--scenarios", in, "--heldout", out, "--heldout", out2, "--quiet")
	if got := strings.Count(stdout, "# held-out: "); code != 0 || got != 2 {
		t.Errorf("exit %d, %d held-out headers, want 2:\n%s", code, got, stdout)
	}
	code, _, stderr = runEvalCmd(t, nil, "eval", "--scenarios", in, "--heldout", t.TempDir(), "--quiet")
	if code != 1 || !strings.Contains(stderr, "load held-out scenarios") {
		t.Errorf("empty held-out dir: exit %d, stderr %q", code, stderr)
	}
}
