package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/scenario"
	"github.com/cloudobs/aiops-app/pkg/scenario/scenariotest"
)

// replayCluster serves a scenario's kube/ and logs/ as a Kubernetes API on
// 127.0.0.1 and writes a kubeconfig for it; it returns the kubeconfig path,
// an alert file and the scenario.
func replayCluster(t *testing.T, name string) (kubeconfig, alertFile string, s *scenario.Scenario) {
	t.Helper()
	s, srv := scenariotest.Serve(t, filepath.Join("..", "..", "..", "testdata", "scenarios", name))
	tmp := t.TempDir()
	kubeconfig = filepath.Join(tmp, "kubeconfig")
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: replay, cluster: {server: %q}}]
users: [{name: replay, user: {}}]
contexts: [{name: replay, context: {cluster: replay, user: replay}}]
current-context: replay
`, srv.URL)
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(s.Alert)
	if err != nil {
		t.Fatal(err)
	}
	alertFile = filepath.Join(tmp, "alert.json")
	if err := os.WriteFile(alertFile, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return kubeconfig, alertFile, s
}

func TestExplainCommandReplaysAnIncident(t *testing.T) {
	kubeconfig, alertFile, s := replayCluster(t, "oom-order-service-leak")
	fake := &fakeLLM{}
	llmSrv := httptest.NewServer(fake)
	defer llmSrv.Close()
	env := map[string]string{"AIOPS_NOW": s.Now.Format(time.RFC3339), "OPENAI_API_KEY": "sk-test"}
	getenv := func(k string) string { return env[k] }

	tests := []struct {
		name     string
		args     []string
		provider string
	}{
		{"offline", nil, "offline"},
		{"openai", []string{"--provider", "openai", "--base-url", llmSrv.URL + "/v1"}, "openai"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"explain", "--alert", alertFile, "--kubeconfig", kubeconfig}, tc.args...)
			code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: getenv})
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			var ex incident.Explanation
			if err := json.Unmarshal(out.Bytes(), &ex); err != nil {
				t.Fatalf("output: %v\n%s", err, out.String())
			}
			if ex.Provider.Name != tc.provider || !ex.CreatedAt.Equal(s.Now) || ex.Fingerprint != s.Alert.Fingerprint {
				t.Errorf("provider %+v created %v fingerprint %q", ex.Provider, ex.CreatedAt, ex.Fingerprint)
			}
			if len(ex.Evidence) == 0 || len(ex.Findings) == 0 {
				t.Errorf("no evidence or findings: %+v", ex)
			}
			if tc.provider == "offline" && ex.RootCause.Category != s.Expect.Category {
				t.Errorf("offline category %s, want %s", ex.RootCause.Category, s.Expect.Category)
			}
			if tc.provider == "openai" && (ex.ModelText != "" || ex.RootCause.Category != incident.CategoryDependencyFailure) {
				// The fake model always answers DependencyFailure: seeing it proves the model's answer was used.
				t.Errorf("model answer not used: %s %q", ex.RootCause.Category, ex.ModelText)
			}
			for _, stage := range []string{"collecting evidence", "analysing"} {
				if !strings.Contains(errOut.String(), stage) {
					t.Errorf("progress %q lacks %q", errOut.String(), stage)
				}
			}
		})
	}
}

func TestExplainCommandUsage(t *testing.T) {
	kubeconfig, alertFile, _ := replayCluster(t, "oom-order-service-leak")
	getenv := func(string) string { return "" }
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"explain"}, 2, "--alert is required"},
		{[]string{"explain", "--alert", alertFile, "--now", "yesterday"}, 2, "RFC3339"},
		{[]string{"explain", "--alert", alertFile, "--format", "html"}, 2, "--format"},
		{[]string{"explain", "--alert", "-"}, 2, "--alert"},
		{[]string{"explain", "--alert", alertFile, "--kubeconfig", filepath.Join(t.TempDir(), "missing")}, 1, "--no-kube"},
		{[]string{"explain", "--alert", alertFile, "--kubeconfig", kubeconfig, "--now", "2026-11-18T14:22:00Z", "--format", "markdown", "--quiet"}, 0, ""},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		code := run(context.Background(), tc.args, stdio{in: strings.NewReader("not json"), out: &out, errOut: &errOut, getenv: getenv})
		if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d (want %d), stderr %q", tc.args, code, tc.code, errOut.String())
		}
		if tc.code == 0 && !strings.Contains(out.String(), "**Root cause:** OOMKilled") {
			t.Errorf("markdown: %s", out.String())
		}
	}
}
