package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// TestWatchCommand replays the canary rollout's cluster minute by minute:
// the canary's new charge errors are printed once, as text or JSON lines.
func TestWatchCommand(t *testing.T) {
	kubeconfig, _, _ := replayCluster(t, "bad-deploy-canary-rollout-aborted-order")
	replay := []string{"--namespace", "order", "--interval", "1m", "--now", "2026-11-21T15:00:00Z", "--polls", "20"}
	tests := []struct {
		name         string
		args         []string
		code         int
		stdout       string
		stderr       string
		findingLines int
	}{
		{"text", replay, 0, "2026-11-21T15:15:00Z NewErrorTemplate order/order-service order-service-7b9c4d2f8-r8s6j/order: ", "watching 4 containers in order every 1m0s", 1},
		{"json", append(replay, "--format", "json", "--quiet"), 0, `"kind":"NewErrorTemplate"`, "", 1},
		{"selector of the stable pods", append(replay, "--selector", "rollouts-pod-template-hash=5d8f7c6b4"), 0, "", "watching 3 containers", 0},
		{"no pods", []string{"--namespace", "order", "--selector", "app=ghost", "--polls", "1"}, 1, "", "no pods match selector app=ghost in order", 0},
		{"no namespace", []string{"--polls", "1"}, 2, "", "--namespace is required", 0},
		{"bad interval", []string{"--namespace", "order", "--interval", "1ms"}, 2, "", "interval 1ms: at least 1s", 0},
		{"bad format", []string{"--namespace", "order", "--format", "yaml"}, 2, "", "yaml", 0},
		{"bad now", []string{"--namespace", "order", "--now", "yesterday"}, 2, "", "--now \"yesterday\" is not an RFC3339 time", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"watch", "--kubeconfig", kubeconfig}, tc.args...)
			code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: func(string) string { return "" }})
			if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errOut.String(), tc.stderr) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out.String(), errOut.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if out.Len() == 0 {
				lines = nil
			}
			if len(lines) != tc.findingLines {
				t.Fatalf("%d findings printed, want %d:\n%s", len(lines), tc.findingLines, out.String())
			}
			if strings.Contains(strings.Join(tc.args, " "), "json") {
				var f incident.WatchFinding
				if err := json.Unmarshal([]byte(lines[0]), &f); err != nil || f.Alert.Labels["pod"] != "order-service-7b9c4d2f8-r8s6j" {
					t.Fatalf("json line %q: %v", lines[0], err)
				}
			}
		})
	}
}
