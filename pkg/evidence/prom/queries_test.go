package prom

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/promlocal"
)

func TestStripThreshold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"increase(kube_pod_container_status_restarts_total[10m]) > 2", "increase(kube_pod_container_status_restarts_total[10m])"},
		{"up == 0", "up"},
		{"rate(x[5m]) >= bool 1.5", "rate(x[5m])"},
		{"a / b > 0.05", "a / b"},
		{"x < -1e3", "x"},
		{"x>.5", "x"},
		{`sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05`,
			`sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))`},
		// Kept as is:
		{"up", "up"},
		{"> 2", "> 2"},
		{"a > b", "a > b"},
		{"x > 1 and y > 2", "x > 1 and y > 2"},
		{"x unless y > 1", "x unless y > 1"},
		{"(x > 1", "(x > 1"},
		{`x{a=")"} > 1`, `x{a=")"}`},
		{"", ""},
	}
	for _, tc := range tests {
		if got := stripThreshold(tc.in); got != tc.want {
			t.Errorf("stripThreshold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPodNamePattern(t *testing.T) {
	tests := []struct {
		w       incident.Entity
		match   []string
		nomatch []string
	}{
		{incident.Entity{Kind: incident.KindDeployment, Name: "order-service"},
			[]string{"order-service-6c9f7b8d5-abcde", "order-service-7d9c5f-x2x1q"},
			[]string{"order-service-db-6c9f7b8d5-abcde", "order-service-0", "xorder-service-6c9f7b8d5-abcde"}},
		{incident.Entity{Kind: incident.KindStatefulSet, Name: "db"}, []string{"db-0", "db-12"}, []string{"db-abcde", "db-0-x"}},
		{incident.Entity{Kind: incident.KindDaemonSet, Name: "node-exporter"}, []string{"node-exporter-x7k2p"}, []string{"node-exporter-0-x"}},
		{incident.Entity{Kind: incident.KindCronJob, Name: "report"}, []string{"report-29384756-abcde"}, []string{"report-abcde"}},
		{incident.Entity{Kind: incident.KindPod, Name: "a.b"}, []string{"a.b"}, []string{"axb"}},
	}
	for _, tc := range tests {
		// PromQL regexps are fully anchored.
		re := regexp.MustCompile("^(?:" + podNamePattern(tc.w) + ")$")
		for _, n := range tc.match {
			if !re.MatchString(n) {
				t.Errorf("%v: %q should match", tc.w, n)
			}
		}
		for _, n := range tc.nomatch {
			if re.MatchString(n) {
				t.Errorf("%v: %q should not match", tc.w, n)
			}
		}
	}
}

func TestSelector(t *testing.T) {
	tests := []struct {
		name   string
		target incident.Target
		pods   []incident.PodState
		want   string
		ok     bool
	}{
		{"pods and container", incident.Target{Namespace: "shop", Pods: []string{"b-1", "a-1"}, Container: "app"}, nil,
			`namespace="shop", pod=~"a-1|b-1", container="app"`, true},
		{"pod states add namespace", incident.Target{}, []incident.PodState{{Namespace: "shop", Name: "x.y"}},
			`namespace="shop", pod=~"x\\.y"`, true},
		{"workload pattern", incident.Target{Workload: incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "db"}}, nil,
			`namespace="shop", pod=~"db-[0-9]+"`, true},
		{"namespace only", incident.Target{Namespace: "shop"}, nil, `namespace="shop"`, true},
		{"nothing", incident.Target{Service: "x"}, nil, "", false},
		{"hostile values stay literals", incident.Target{Namespace: `a"} or vector(1) or x{b="`}, nil,
			`namespace="a\"} or vector(1) or x{b=\""`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sel, ok := selectorFor(tc.target, tc.pods)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if got := sel.matchers(); ok && got != tc.want {
				t.Errorf("matchers = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestStepAndWindow(t *testing.T) {
	base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		span      time.Duration
		maxPoints int
		step      time.Duration
		window    string
	}{
		{40 * time.Minute, 200, 13 * time.Second, "1m"},
		{199 * time.Second, 200, time.Second, "1m"},
		{10 * time.Second, 200, time.Second, "1m"},
		{6 * time.Hour, 200, 109 * time.Second, "7m16s"},
		{time.Hour, 2, time.Hour, "4h"},
	}
	for _, tc := range tests {
		step := stepFor(base, base.Add(tc.span), tc.maxPoints)
		if step != tc.step {
			t.Errorf("stepFor(%v, %d) = %v, want %v", tc.span, tc.maxPoints, step, tc.step)
		}
		if points := int(tc.span/step) + 1; points > tc.maxPoints {
			t.Errorf("span %v step %v gives %d points > %d", tc.span, step, points, tc.maxPoints)
		}
		if w := rateWindow(step, 0); w != tc.window {
			t.Errorf("rateWindow(%v) = %s, want %s", step, w, tc.window)
		}
	}
	if w := rateWindow(time.Second, 5*time.Minute); w != "5m" {
		t.Errorf("configured window: %s", w)
	}
}

func TestServiceName(t *testing.T) {
	tests := []struct {
		a    incident.Alert
		t    incident.Target
		want string
	}{
		{incident.Alert{Labels: map[string]string{"service": "x"}}, incident.Target{Service: "svc"}, "svc"},
		{incident.Alert{Labels: map[string]string{"service": "x"}}, incident.Target{}, "x"},
		{incident.Alert{Labels: map[string]string{"app": "a"}}, incident.Target{Workload: incident.Entity{Name: "w"}}, "w"},
		{incident.Alert{Labels: map[string]string{"job": "j"}}, incident.Target{}, "j"},
		{incident.Alert{}, incident.Target{}, ""},
	}
	for _, tc := range tests {
		if got := serviceName(tc.a, tc.t); got != tc.want {
			t.Errorf("serviceName(%v, %v) = %q, want %q", tc.a.Labels, tc.t, got, tc.want)
		}
	}
}

func TestDecimate(t *testing.T) {
	pts := series(1000, func(i int) float64 { return float64(i) })
	got := decimate(pts, 200)
	if len(got) != 200 || got[0] != pts[0] || got[199] != pts[999] {
		t.Errorf("decimate: %d points, first %v last %v", len(got), got[0], got[len(got)-1])
	}
	if short := decimate(pts[:5], 200); len(short) != 5 {
		t.Errorf("short series changed: %d", len(short))
	}
}

// testHostileLabels proves that quoting holds where it
// matters: the real PromQL parser.
func testHostileLabels(t *testing.T, srv *promlocal.Server) {
	c, err := New(Config{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	hostile := `shop"} or vector(1) or x{y="`
	target := incident.Target{Namespace: hostile, Service: hostile, Container: `a\"b`}
	series, err := c.Collect(context.Background(), incident.Alert{StartsAt: fxStartsAt}, target, nil,
		fxStartsAt.Add(-30*time.Minute), fxStartsAt)
	if err != nil {
		t.Fatalf("hostile labels must still make valid queries: %v", err)
	}
	// Injected "or vector(1)" would answer; literal values match nothing.
	for _, s := range series {
		t.Errorf("unexpected series %s %v from %s", s.Name, s.Labels, s.Query)
	}
}

func TestAlertSeriesBelongToTheAlert(t *testing.T) {
	a := incident.Alert{Labels: map[string]string{"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "p1", "severity": "warning"}}
	spec := alertSpec(a, incident.Target{})
	tests := []struct {
		labels map[string]string
		want   bool
	}{
		{map[string]string{"namespace": "shop", "pod": "p1", "container": "c"}, true},
		{map[string]string{"namespace": "shop", "pod": "p2"}, false},
		{map[string]string{"job": "kube-state-metrics"}, true},
		{map[string]string{}, true},
	}
	for _, tc := range tests {
		if got := spec.belongs(tc.labels); got != tc.want {
			t.Errorf("belongs(%v) = %v, want %v", tc.labels, got, tc.want)
		}
	}
}

func TestIsLogQL(t *testing.T) {
	tests := map[string]bool{
		`sum(count_over_time({app="order"} |= "error" [5m])) > 10`:           true,
		`rate({namespace="shop"} | json | level="error" [1m])`:               true,
		`sum by (pod) (count_over_time({app="x"} |~ "timeout|refused"[5m]))`: true,
		`sum(rate(http_requests_total{code=~"5.."}[5m])) > 0`:                false,
		`up{job!="x"} == 0`:        false,
		`a or b`:                   false,
		`up{job=~"api|json"} == 0`: false,
	}
	for q, want := range tests {
		if got := isLogQL(q); got != want {
			t.Errorf("isLogQL(%q) = %v, want %v", q, got, want)
		}
	}
}

// The backlog query is scoped to the workload: its namespace, or queues
// named with its first name part; a name too short to tell is not guessed.
func TestQueueBacklogSpec(t *testing.T) {
	spec := queueBacklogSpec(incident.Entity{Namespace: "mail", Kind: incident.KindDeployment, Name: "newsletter-sender"})
	if len(spec.alternatives) != len(queueExporters) {
		t.Fatalf("got %d alternatives, want one per exporter", len(spec.alternatives))
	}
	sqs := spec.alternatives[0]
	for _, want := range []string{`topk(5, `, `aws_sqs_approximate_number_of_messages_visible_average{namespace="mail"}`, `queue_name=~"(?i).*newsletter.*"`} {
		if !strings.Contains(sqs, want) {
			t.Errorf("%s lacks %s", sqs, want)
		}
	}
	short := queueBacklogSpec(incident.Entity{Namespace: "mail", Kind: incident.KindDeployment, Name: "ui-web"})
	if strings.Contains(short.alternatives[0], "=~") {
		t.Errorf("a two-letter stem matches too much: %s", short.alternatives[0])
	}
}

// The conntrack query asks about the pods' nodes only, each once, and a node
// name that is no name is left out.
func TestConntrackSpec(t *testing.T) {
	if _, ok := conntrackSpec([]incident.PodState{{Name: "a"}}); ok {
		t.Error("pods on no node got a conntrack query")
	}
	spec, ok := conntrackSpec([]incident.PodState{{Node: "node-b.internal"}, {Node: "node-a"}, {Node: "node-b.internal"}, {Node: `x"}) or vector(1`}})
	if !ok {
		t.Fatal("no conntrack query for pods on nodes")
	}
	want := `max by (instance) (node_nf_conntrack_entries{instance=~"(?:node-a|node-b\\.internal)(?::[0-9]+)?"} / node_nf_conntrack_entries_limit{instance=~"(?:node-a|node-b\\.internal)(?::[0-9]+)?"})`
	if spec.alternatives[0] != want {
		t.Errorf("got  %s\nwant %s", spec.alternatives[0], want)
	}
	if e := spec.entity(map[string]string{"instance": "node-a:9100"}); e != (incident.Entity{Kind: incident.KindNode, Name: "node-a"}) {
		t.Errorf("entity of an instance with a port: %v", e)
	}
}
