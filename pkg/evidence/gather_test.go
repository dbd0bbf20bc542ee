package evidence

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// stubSource is a log source with a scripted behaviour.
type stubSource struct {
	name  string
	fetch func(ctx context.Context, req logsource.Request) ([]incident.LogStream, error)
}

func (s stubSource) Name() string { return s.name }
func (s stubSource) Fetch(ctx context.Context, req logsource.Request) ([]incident.LogStream, error) {
	return s.fetch(ctx, req)
}

func TestCollectAllSources(t *testing.T) {
	var gotReq logsource.Request
	loki := stubSource{name: "loki", fetch: func(_ context.Context, req logsource.Request) ([]incident.LogStream, error) {
		gotReq = req
		return []incident.LogStream{{Namespace: "shop", Pod: podName(0), Container: "order", Source: "loki",
			Lines: []incident.LogLine{{Time: startsAt, Text: "from loki"}}}}, nil
	}}
	g := NewGatherer(Sources{Kube: startKube(t, deploymentCluster(t, 12, 4<<10)), Prom: fakePrometheus(t), Logs: []logsource.Source{loki}},
		Options{MaxPods: 10})
	b, err := g.Collect(context.Background(), crashAlert(), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(incident.Failures(b.Degraded)) != 0 {
		t.Fatalf("degraded: %+v", incident.Failures(b.Degraded))
	}
	if !b.Now.Equal(now) || b.Alert.Name() != "KubePodCrashLooping" {
		t.Fatalf("now/alert: %v %v", b.Now, b.Alert)
	}
	if b.Target.Workload.Name != "order" || b.Target.TotalPods != 12 || len(b.Pods) != 10 || b.Pods[0].Name != podName(0) {
		t.Fatalf("target %+v, %d pods, first %s", b.Target, len(b.Pods), b.Pods[0].Name)
	}
	if !strings.Contains(strings.Join(b.Notes, "|"), "examined 10 of 12 pods, unhealthiest first") {
		t.Fatalf("notes: %v", b.Notes)
	}
	if len(b.Workloads) != 1 || len(b.Rollouts) != 1 || len(b.Events) != 1 || len(b.Nodes) != 1 {
		t.Fatalf("state: %d workloads, %d rollouts, %d events, %d nodes", len(b.Workloads), len(b.Rollouts), len(b.Events), len(b.Nodes))
	}
	if len(b.Metrics) == 0 || b.Metrics[0].Name != incident.MetricAlert {
		t.Fatalf("metrics: %+v", b.Metrics)
	}
	// Ten current streams, one previous, then Loki's, in source order.
	if len(b.Logs) != 12 || b.Logs[0].Source != "kubernetes" || b.Logs[11].Source != "loki" {
		t.Fatalf("logs: %d streams", len(b.Logs))
	}
	if !gotReq.Since.Equal(startsAt.Add(-DefaultLogLookback)) || !gotReq.Until.Equal(now) || gotReq.MaxBytes != DefaultLogMaxBytes || len(gotReq.Pods) != 10 {
		t.Fatalf("log request: since %v until %v max %d pods %d", gotReq.Since, gotReq.Until, gotReq.MaxBytes, len(gotReq.Pods))
	}
	for _, id := range []string{b.Pods[0].ID, b.Events[0].ID} {
		if id != "" {
			t.Fatalf("Collect must not assign IDs, got %q", id)
		}
	}
	again, err := g.Collect(context.Background(), crashAlert(), now)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := json.Marshal(b)
	second, _ := json.Marshal(again)
	if string(first) != string(second) {
		t.Fatal("two collections of the same incident differ")
	}
}

func TestCollectDegradesPerSource(t *testing.T) {
	failing := stubSource{name: "loki", fetch: func(context.Context, logsource.Request) ([]incident.LogStream, error) {
		return []incident.LogStream{{Source: "loki", Pod: "partial"}}, errors.New("loki: 502 bad gateway")
	}}
	panicking := stubSource{name: "file", fetch: func(context.Context, logsource.Request) ([]incident.LogStream, error) {
		var m map[string]int
		m["boom"]++
		return nil, nil
	}}
	slow := stubSource{name: "slow", fetch: func(ctx context.Context, _ logsource.Request) ([]incident.LogStream, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	tests := []struct {
		name        string
		src         Sources
		opt         Options
		wantSources []string
		wantErr     []string
		wantNotes   []string
		wantTarget  string
		maxDuration time.Duration
	}{
		{name: "kubernetes off is not degraded",
			src:        Sources{},
			wantNotes:  []string{"Kubernetes is not configured", "Prometheus is not configured", "no log source"},
			wantTarget: "order"},
		{name: "kubernetes unreachable falls back to labels",
			src:         Sources{Kube: unreachableKube(t)},
			wantSources: []string{"kubernetes"}, wantErr: []string{"resolve target"},
			wantNotes: []string{"resolved from the alert's labels only"}, wantTarget: "order"},
		{name: "failing, panicking and slow log sources",
			src:         Sources{Logs: []logsource.Source{failing, panicking, slow}},
			opt:         Options{SourceTimeout: 100 * time.Millisecond},
			wantSources: []string{"loki", "file", "slow"},
			wantErr:     []string{"502 bad gateway", "panic: assignment to entry in nil map", "context deadline exceeded"},
			wantTarget:  "order", maxDuration: 2 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			b, err := NewGatherer(tc.src, tc.opt).Collect(context.Background(), crashAlert(), now)
			if err != nil {
				t.Fatal(err)
			}
			if tc.maxDuration > 0 && time.Since(start) > tc.maxDuration {
				t.Fatalf("took %s", time.Since(start))
			}
			var sources, errs []string
			for _, d := range incident.Failures(b.Degraded) {
				sources = append(sources, d.Source)
				errs = append(errs, d.Error)
			}
			if strings.Join(sources, ",") != strings.Join(tc.wantSources, ",") {
				t.Fatalf("degraded sources %v, want %v (%v)", sources, tc.wantSources, errs)
			}
			for i, want := range tc.wantErr {
				if !strings.Contains(errs[i], want) {
					t.Errorf("degraded %s: %q lacks %q", sources[i], errs[i], want)
				}
			}
			for _, want := range tc.wantNotes {
				if !strings.Contains(strings.Join(b.Notes, "|"), want) {
					t.Errorf("notes %v lack %q", b.Notes, want)
				}
			}
			if b.Target.Workload.Name != tc.wantTarget {
				t.Errorf("target %+v", b.Target)
			}
		})
	}
}

func TestCollectNeverHangs(t *testing.T) {
	stuck := stubSource{name: "loki", fetch: func(context.Context, logsource.Request) ([]incident.LogStream, error) {
		select {} // ignores its context entirely
	}}
	start := time.Now()
	b, err := NewGatherer(Sources{Logs: []logsource.Source{stuck}}, Options{SourceTimeout: time.Hour, OverallTimeout: 150 * time.Millisecond}).
		Collect(context.Background(), crashAlert(), now)
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Fatalf("a stuck source held the collection for %s", elapsed)
	}
	failed := incident.Failures(b.Degraded)
	if len(failed) != 1 || failed[0].Source != "loki" || !strings.Contains(failed[0].Error, "no answer within the overall timeout") {
		t.Fatalf("degraded: %+v", failed)
	}
}

func TestSourcesThatAreOffAreDegradedAsNotConfigured(t *testing.T) {
	b, err := NewGatherer(Sources{}, Options{}).Collect(context.Background(), crashAlert(), now)
	if err != nil {
		t.Fatal(err)
	}
	off := map[string]bool{}
	for _, d := range b.Degraded {
		if d.Error == incident.NotConfigured {
			off[d.Source] = true
		}
	}
	if !off[SourceKubernetes] || !off[SourcePrometheus] || !off[SourceLogs] || len(incident.Failures(b.Degraded)) != 0 {
		t.Errorf("degraded %+v", b.Degraded)
	}
}

func TestCollectRejectsUnusableInput(t *testing.T) {
	g := NewGatherer(Sources{}, Options{})
	if _, err := g.Collect(context.Background(), incident.Alert{}, now); !errors.Is(err, ErrNoLabels) {
		t.Fatalf("no labels: %v", err)
	}
	if _, err := g.Collect(context.Background(), crashAlert(), time.Time{}); err == nil {
		t.Fatal("zero now accepted")
	}
}

// TestWarningEventsNameServices: a Service a Warning event names by its
// in-cluster DNS name (the admission webhook a FailedCreate could not call)
// is read as a dependency; Normal events are not read.
func TestWarningEventsNameServices(t *testing.T) {
	events := []incident.Event{
		{Type: "Warning", Reason: "FailedCreate", Message: `Error creating: Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": x509: certificate has expired`},
		{Type: "Normal", Reason: "Pulled", Message: `pulled image for http://cache.registry.svc:5000`},
	}
	got := kube.NamedServices([]incident.LogStream{warningEvents(events)})
	want := []kube.NamespacedName{{Namespace: "istio-system", Name: "istiod"}}
	if !slices.Equal(got, want) {
		t.Errorf("named services = %v, want %v", got, want)
	}
}
