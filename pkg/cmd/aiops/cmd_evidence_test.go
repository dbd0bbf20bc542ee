package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestEvidenceCommandReplaysAnIncident(t *testing.T) {
	kubeconfig, alertFile, s := replayCluster(t, "oom-order-service-leak")
	env := map[string]string{"AIOPS_NOW": s.Now.Format(time.RFC3339)}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"evidence", "--alert", alertFile, "--kubeconfig", kubeconfig, "--max-pods", "2"},
		stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: func(k string) string { return env[k] }})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var b incident.Bundle
	if err := json.Unmarshal(out.Bytes(), &b); err != nil {
		t.Fatalf("output is not a bundle: %v\n%s", err, out.String())
	}
	if !b.Now.Equal(s.Now) || b.Alert.Fingerprint != s.Alert.Fingerprint {
		t.Fatalf("now %v, alert %+v", b.Now, b.Alert)
	}
	if len(b.Pods) == 0 || len(b.Pods) > 2 || b.Target.Namespace != s.Expect.Entity.Namespace {
		t.Fatalf("target %+v with %d pods", b.Target, len(b.Pods))
	}
	if len(b.Events) == 0 || len(b.Logs) == 0 {
		t.Fatalf("%d events, %d log streams", len(b.Events), len(b.Logs))
	}
	if len(incident.Failures(b.Degraded)) != 0 {
		t.Fatalf("degraded: %+v", incident.Failures(b.Degraded))
	}
	if !strings.Contains(strings.Join(b.Notes, "|"), "Prometheus is not configured") {
		t.Fatalf("notes: %v", b.Notes)
	}
}

func TestEvidenceCommandUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		{"no alert", []string{"evidence"}, nil, 2, "--alert is required"},
		{"bad now", []string{"evidence", "--alert", "-", "--now", "yesterday"}, nil, 2, "not an RFC3339 time"},
		{"bad AIOPS_NOW", []string{"evidence", "--alert", "-"}, map[string]string{"AIOPS_NOW": "soon"}, 2, "not an RFC3339 time"},
		{"both kube modes", []string{"evidence", "--alert", "-", "--in-cluster", "--no-kube"}, nil, 2, "exclude each other"},
		{"zero timeout", []string{"evidence", "--alert", "-", "--timeout", "0s"}, nil, 2, "--timeout must be positive"},
		{"missing file", []string{"evidence", "--alert", "/nonexistent/alert.json", "--no-kube"}, nil, 1, "open input"},
		{"unknown flag", []string{"evidence", "--bogus"}, nil, 2, "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, stdio{in: strings.NewReader(`{"labels":{"alertname":"X"}}`), out: &out, errOut: &errOut,
				getenv: func(k string) string { return tc.env[k] }})
			if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut.String(), tc.code, tc.want)
			}
		})
	}
}

func TestEvidenceCommandWithoutKubernetes(t *testing.T) {
	var out, errOut bytes.Buffer
	in := `{"labels":{"alertname":"KubePodCrashLooping","namespace":"shop","pod":"order-7d9c5fb8c-x2x1q"},"startsAt":"2026-11-20T10:00:00Z"}`
	code := run(context.Background(), []string{"evidence", "--alert", "-", "--no-kube", "--now", "2026-11-20T10:05:00Z"},
		stdio{in: strings.NewReader(in), out: &out, errOut: &errOut, getenv: func(string) string { return "" }})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var b incident.Bundle
	if err := json.Unmarshal(out.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	if b.Target.Workload.Name != "order" || b.Target.Via != "label pod" || len(incident.Failures(b.Degraded)) != 0 {
		t.Fatalf("labels-only target %+v, degraded %+v", b.Target, b.Degraded)
	}
}

func TestEvidenceCommandReplaysAScenarioDirectory(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "testdata", "scenarios", "crashloop-go-panic-ledger")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"evidence", "--scenario", dir},
		stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: func(string) string { return "" }})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var b incident.Bundle
	if err := json.Unmarshal(out.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	if len(b.Pods) == 0 || len(b.Logs) == 0 || len(incident.Failures(b.Degraded)) != 0 || b.Now.IsZero() {
		t.Fatalf("%d pods, %d log streams, degraded %+v, now %v", len(b.Pods), len(b.Logs), b.Degraded, b.Now)
	}
	code = run(context.Background(), []string{"evidence", "--scenario", dir, "--alert", "-"},
		stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: func(string) string { return "" }})
	if code != 2 {
		t.Fatalf("--scenario with --alert: exit %d", code)
	}
}
