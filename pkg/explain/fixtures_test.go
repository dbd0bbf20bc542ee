package explain

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/tokens"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// oomBundle is a Deployment shop/order-service whose pods are OOMKilled,
// with events, logs (raw lines, so the pipeline mines them) and memory
// metrics. extraLog lines are appended to every pod's previous-run log.
func oomBundle(pods int, extraLog ...string) *incident.Bundle {
	owner := incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order-service"}
	b := &incident.Bundle{
		Alert: incident.Alert{Labels: map[string]string{"alertname": "KubePodCrashLooping", "namespace": "shop", "severity": "critical"},
			Annotations: map[string]string{"summary": "order-service is crash looping"}, StartsAt: t0, Fingerprint: "fp-oom"},
		Now:    t0.Add(5 * time.Minute),
		Target: incident.Target{Namespace: "shop", Workload: owner, Container: "order", Via: "label namespace", TotalPods: pods},
		Workloads: []incident.WorkloadState{{Entity: owner, Replicas: int32(pods), Ready: 0, Available: 0, Updated: int32(pods),
			Images: []string{"registry.example.com/shop/order:1.4.2"}}},
	}
	for i := range pods {
		name := fmt.Sprintf("order-service-7d9c5-%05d", i)
		b.Target.Pods = append(b.Target.Pods, name)
		b.Pods = append(b.Pods, incident.PodState{
			Namespace: "shop", Name: name, Node: fmt.Sprintf("ip-10-0-1-%d.ec2.internal", i%3), Phase: "Running",
			Owner: owner, ReplicaSet: "order-service-7d9c5", StartTime: t0.Add(-time.Hour),
			Containers: []incident.ContainerState{{
				Name: "order", Image: "registry.example.com/shop/order:1.4.2", State: "waiting", Reason: "CrashLoopBackOff",
				RestartCount: 6,
				LastTermination: &incident.Termination{Reason: "OOMKilled", ExitCode: 137,
					StartedAt: t0.Add(3 * time.Minute), FinishedAt: t0.Add(4 * time.Minute)},
				Limits: incident.Resources{MemoryBytes: 128 << 20}, Requests: incident.Resources{MemoryBytes: 64 << 20},
			}},
		})
		b.Events = append(b.Events, incident.Event{Object: incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: name},
			Type: "Warning", Reason: "BackOff", Message: "Back-off restarting failed container order in pod " + name,
			Count: 12, FirstSeen: t0, LastSeen: t0.Add(4 * time.Minute)})
		var lines []incident.LogLine
		for j := range 40 {
			lines = append(lines, incident.LogLine{Time: t0.Add(time.Duration(j) * 5 * time.Second),
				Text: fmt.Sprintf(`{"level":"info","msg":"processed order","order_id":%d,"items":%d,"cache_entries":%d}`, 1000+j, j%7, 5000*j)})
		}
		for _, extra := range extraLog {
			lines = append(lines, incident.LogLine{Time: t0.Add(210 * time.Second), Text: extra})
		}
		lines = append(lines, incident.LogLine{Time: t0.Add(239 * time.Second),
			Text: `{"level":"warn","msg":"heap usage high","heap_mb":121}`})
		b.Logs = append(b.Logs, incident.LogStream{Namespace: "shop", Pod: name, Container: "order", Previous: true,
			Source: "kubernetes", Lines: lines})
		var pts []incident.Point
		for j := range 20 {
			pts = append(pts, incident.Point{T: t0.Add(time.Duration(j) * 15 * time.Second), V: float64(40+j*5) * (1 << 20)})
		}
		b.Metrics = append(b.Metrics, incident.Series{Name: incident.MetricMemoryWorkingSet, Query: "container_memory_working_set_bytes",
			Entity: incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: name}, Points: pts,
			Summary: incident.SeriesSummary{Min: 40 << 20, Max: 135 << 20, First: 40 << 20, Last: 135 << 20, Trend: "rising"}})
	}
	return b
}

// fakeModel is an in-process llm.Provider whose answers come from a
// function of the request; it records every request.
type fakeModel struct {
	mu       sync.Mutex
	requests []llm.Request
	answer   func(req llm.Request, n int) (string, error)
	window   int
}

func (f *fakeModel) Name() string  { return "openai" }
func (f *fakeModel) Model() string { return "fake-gpt" }
func (f *fakeModel) Complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	f.mu.Lock()
	f.requests = append(f.requests, req)
	n := len(f.requests)
	f.mu.Unlock()
	text, err := f.answer(req, n)
	if err != nil {
		return llm.Response{}, err
	}
	return llm.Response{Text: text, Usage: llm.Usage{PromptTokens: 1000 * n, CompletionTokens: 100, CostUSD: 0.001}}, nil
}
func (f *fakeModel) Stream(ctx context.Context, req llm.Request, onToken func(string)) (llm.Response, error) {
	resp, err := f.Complete(ctx, req)
	if err != nil {
		return resp, err
	}
	for piece := range strings.SplitSeq(resp.Text, " ") {
		onToken(piece + " ")
	}
	return resp, nil
}
func (f *fakeModel) Health(context.Context) error             { return nil }
func (f *fakeModel) Models(context.Context) ([]string, error) { return []string{"fake-gpt"}, nil }
func (f *fakeModel) CountTokens(s string) int                 { return tokens.Count(s) }
func (f *fakeModel) Price() llm.Price                         { return llm.Price{} }
func (f *fakeModel) ContextWindow() int {
	if f.window > 0 {
		return f.window
	}
	return 128000
}

func (f *fakeModel) all() []llm.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]llm.Request(nil), f.requests...)
}

// obedient replies "OK" whenever any message carries the injected
// instruction, as a model without defences would.
func obedient(req llm.Request, _ int) (string, error) {
	for _, m := range req.Messages {
		if strings.Contains(m.Content, "reply OK") {
			return "OK", nil
		}
	}
	return wellBehaved(req, 0)
}

// wellBehaved answers from the request's own data: the analyzers' suggested
// category and the first shown evidence ids.
func wellBehaved(req llm.Request, _ int) (string, error) {
	user := req.Messages[0].Content
	cat := "Unknown"
	if i := strings.Index(user, `"analyzerRootCause":{"category":"`); i >= 0 {
		rest := user[i+len(`"analyzerRootCause":{"category":"`):]
		cat = rest[:strings.IndexByte(rest, '"')]
	}
	ids := shownIDs(user)
	return answerJSON(cat, ids[:min(3, len(ids))]), nil
}

func shownIDs(user string) []string {
	const marker = "Evidence ids you may cite: "
	i := strings.LastIndex(user, marker)
	if i < 0 {
		return nil
	}
	rest := user[i+len(marker):]
	rest = rest[:strings.IndexByte(rest, '\n')]
	return strings.Split(strings.TrimSuffix(rest, "."), ", ")
}

func answerJSON(category string, evidence []string) string {
	b, _ := json.Marshal(map[string]any{
		"summary": "order-service pods are OOMKilled at their 128Mi memory limit.",
		"rootCause": map[string]any{"category": category,
			"entity":      map[string]any{"namespace": "shop", "kind": "Deployment", "name": "order-service"},
			"description": "Memory grows steadily until the container is killed.", "confidence": 0.85},
		"nextSteps": []any{map[string]any{"text": "Raise the memory limit", "command": "kubectl -n shop edit deploy/order-service"}},
		"evidence":  evidence,
	})
	return string(b)
}
