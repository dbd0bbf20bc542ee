package kube

import (
	"context"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestCollectState(t *testing.T) {
	c := startCluster(t, nil)
	ctx := context.Background()
	res, err := c.Resolve(ctx, incident.Alert{Labels: map[string]string{"namespace": "shop", "pod": "order-7d9c5fb8c-xcrsh"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.CollectState(ctx, res, startsAt.Add(-2*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Workloads) != 1 || st.Workloads[0].Entity.Name != "order" || st.Workloads[0].Ready != 11 || st.Workloads[0].Replicas != 12 {
		t.Fatalf("workloads: %+v", st.Workloads)
	}
	// Its autoscaler, named unlike it, found by its scale target.
	if a := st.Workloads[0].Autoscaler; a == nil || *a != (incident.Autoscaler{Name: "order-autoscaler", Min: 4, Max: 12, Current: 12, Desired: 12}) {
		t.Fatalf("autoscaler: %+v", a)
	}
	var revs []int64
	for _, r := range st.Rollouts {
		revs = append(revs, r.Revision)
	}
	// Revision 1 is before the baseline; 2 is the baseline; 3 is in the window.
	if !slices.Equal(revs, []int64{2, 3}) || st.Rollouts[1].Images[0] != "shop/order:1.4.0" || st.Rollouts[1].ChangeCause != "image shop/order:1.4.0" {
		t.Fatalf("rollouts: %+v", st.Rollouts)
	}
	var reasons []string
	for _, e := range st.Events {
		reasons = append(reasons, e.Reason)
	}
	// Sorted by last seen; the 10-hour-old event is outside the window.
	if !slices.Equal(reasons, []string{"ScalingReplicaSet", "ScalingLimited", "EvictionThresholdMet", "BackOff"}) {
		t.Fatalf("events: %v", reasons)
	}
	if hpa := st.Events[1]; hpa.Object != (incident.Entity{Namespace: "shop", Kind: "HorizontalPodAutoscaler", Name: "order-autoscaler"}) || hpa.Count != 6 {
		t.Fatalf("the autoscaler's event: %+v", hpa)
	}
	node := st.Events[2]
	if node.Count != 4 || !node.FirstSeen.Equal(startsAt.Add(-time.Minute)) || !node.LastSeen.Equal(startsAt.Add(time.Minute)) ||
		node.Object != (incident.Entity{Kind: incident.KindNode, Name: "node-a"}) || node.Source != "kubelet" {
		t.Fatalf("series-shaped event not normalised: %+v", node)
	}
	if back := st.Events[3]; back.Count != 9 || !back.FirstSeen.Equal(startsAt.Add(-90*time.Second)) || back.Source != "kubelet" {
		t.Fatalf("count-shaped event: %+v", back)
	}
	if len(st.Nodes) != 1 || st.Nodes[0].Name != "node-a" || st.Nodes[0].Allocatable.MemoryBytes != 7<<30 ||
		len(st.Nodes[0].Taints) != 1 || st.Nodes[0].Conditions[1].Status != "True" {
		t.Fatalf("nodes: %+v", st.Nodes)
	}
	if len(st.Services) != 1 || st.Services[0].Name != "order-svc" || st.Services[0].Ready != 1 || st.Services[0].NotReady != 1 ||
		st.Services[0].Ports[0] != "80/TCP->8080" {
		t.Fatalf("services: %+v", st.Services)
	}
}

func TestCollectStateStatefulSetRevisionsAndCronJob(t *testing.T) {
	c := startCluster(t, nil)
	ctx := context.Background()
	res, err := c.Resolve(ctx, incident.Alert{Labels: map[string]string{"namespace": "shop", "statefulset": "db"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.CollectState(ctx, res, startsAt.Add(-time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rollouts) != 1 || st.Rollouts[0].Revision != 2 || st.Rollouts[0].Images[0] != "postgres:17" {
		t.Fatalf("controllerrevision rollouts: %+v", st.Rollouts)
	}
	if len(st.Services) != 1 || st.Services[0].Name != "db" || st.Services[0].Ready != 1 || st.Services[0].NotReady != 2 {
		t.Fatalf("services from v1 Endpoints: %+v", st.Services)
	}
	res, err = c.Resolve(ctx, incident.Alert{Labels: map[string]string{"namespace": "shop", "cronjob": "report"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, err = c.CollectState(ctx, res, startsAt.Add(-time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Workloads) != 1 || st.Workloads[0].Failed != 3 || st.Workloads[0].BackoffLimit != 2 || st.Workloads[0].Schedule != "*/5 * * * *" || !st.Workloads[0].Suspended {
		t.Fatalf("cronjob state: %+v", st.Workloads)
	}
}

func TestCollectStateReportsFailures(t *testing.T) {
	c := startCluster(t, nil)
	res, err := c.Resolve(context.Background(), incident.Alert{Labels: map[string]string{"namespace": "shop", "pod": "order-7d9c5fb8c-xcrsh"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.CollectState(ctx, res, startsAt.Add(-time.Hour), now)
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("cancelled collection: got %v", err)
	}
}

func TestLogSource(t *testing.T) {
	c := startCluster(t, nil)
	ctx := context.Background()
	res, err := c.Resolve(ctx, incident.Alert{Labels: map[string]string{"namespace": "shop", "deployment": "order"}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	src := c.LogSource()
	if src.Name() != "kubernetes" {
		t.Fatalf("name %q", src.Name())
	}
	tests := []struct {
		name          string
		since         time.Time
		maxBytes      int64
		wantLines     int
		wantFirst     string
		wantLast      string
		wantTruncated bool
	}{
		{"whole window", startsAt.Add(-15 * time.Minute), 0, 200, "request 000 served", "request 199 served", false},
		{"since cuts the oldest", now.Add(-50 * time.Second), 0, 50, "request 150 served", "request 199 served", false},
		{"byte budget keeps the newest", startsAt.Add(-15 * time.Minute), 1000, 1000 / 50, "request 180 served", "request 199 served", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			streams, err := src.Fetch(ctx, logsource.Request{Target: res.Target, Pods: res.Pods, Since: tc.since, Until: now, MaxBytes: tc.maxBytes})
			if err != nil {
				t.Fatal(err)
			}
			var cur, prev *incident.LogStream
			for i := range streams {
				s := &streams[i]
				if s.Pod != "order-7d9c5fb8c-xcrsh" {
					if len(s.Lines) != 0 {
						t.Errorf("healthy pod %s has lines", s.Pod)
					}
					continue
				}
				if s.Previous {
					prev = s
				} else {
					cur = s
				}
			}
			if cur == nil || prev == nil {
				t.Fatalf("missing current or previous stream: %+v", streams)
			}
			if len(cur.Lines) != tc.wantLines || cur.Lines[0].Text != tc.wantFirst || cur.Lines[len(cur.Lines)-1].Text != tc.wantLast ||
				cur.Truncated != tc.wantTruncated {
				t.Fatalf("current: %d lines %q..%q truncated %v", len(cur.Lines), cur.Lines[0].Text, cur.Lines[len(cur.Lines)-1].Text, cur.Truncated)
			}
			if !cur.Lines[len(cur.Lines)-1].Time.Equal(now.Add(-time.Second)) {
				t.Fatalf("timestamp of the newest line: %v", cur.Lines[len(cur.Lines)-1].Time)
			}
			if len(prev.Lines) != 2 || prev.Lines[1].Text != "fatal error: runtime: out of memory" || prev.Source != "kubernetes" {
				t.Fatalf("previous: %+v", prev)
			}
		})
	}
}

func TestLogSourceSkipsContainersThatNeverStarted(t *testing.T) {
	c := startCluster(t, nil)
	ctx := context.Background()
	res, err := c.Resolve(ctx, incident.Alert{Labels: map[string]string{"namespace": "pay", "pod": "pay-5c6d7f8b9-aaaaa"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	streams, err := c.LogSource().Fetch(ctx, logsource.Request{Target: res.Target, Pods: res.Pods, Since: startsAt, Until: now})
	if err != nil || len(streams) != 0 {
		t.Fatalf("got %v, %+v", err, streams)
	}
	// Without examined pods the source looks the target's pods up itself.
	streams, err = c.LogSource().Fetch(ctx, logsource.Request{Target: incident.Target{Namespace: "shop", Pods: []string{"db-0"}}, Since: startsAt})
	if err != nil || len(streams) != 1 || streams[0].Container != "db" {
		t.Fatalf("by target: %v, %+v", err, streams)
	}
}

// TestRBACCoversEveryCall runs every kind of resolution and collection
// against the local API and checks each request against rbac.yaml, so the
// documented ClusterRole is exactly enough.
func TestRBACCoversEveryCall(t *testing.T) {
	rec := &requestLog{}
	collectEverything(t, startCluster(t, rec))
	used := checkRBAC(t, rec)
	for _, k := range []string{"|pods/log|get", "|events|list", "apps|replicasets|get", "apps|controllerrevisions|list",
		"batch|jobs|list", "discovery.k8s.io|endpointslices|list", "|endpoints|get", "|nodes|get", "|nodes|list"} {
		if !used[k] {
			t.Errorf("expected the collector to need %s; recorded %d requests", k, len(rec.paths))
		}
	}
}

// collectEverything resolves, collects, fetches logs and reads the
// dependencies of alerts that between them reach every kind the collector reads.
func collectEverything(t *testing.T, c *Collector) {
	t.Helper()
	ctx := context.Background()
	for _, labels := range []map[string]string{
		{"namespace": "shop", "pod": "order-7d9c5fb8c-xcrsh"},
		{"namespace": "shop", "statefulset": "db"},
		{"namespace": "shop", "cronjob": "report"},
		{"namespace": "shop", "service": "order-svc"},
		{"instance": "192.168.1.10:9100"},
		{"namespace": "shop", "replicaset": "order-7d9c5fb8c"},
		{"namespace": "shop", "daemonset": "none"},
		{"namespace": "cart", "pod": "cart-7c8d9e5f6-k2x9p"},
		{"namespace": "cart", "rollout": "cart"},
		{"namespace": "shop", "horizontalpodautoscaler": "order-autoscaler"},
	} {
		res, err := c.Resolve(ctx, incident.Alert{Labels: labels}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CollectState(ctx, res, startsAt.Add(-time.Hour), now); err != nil {
			t.Fatal(err)
		}
		if _, err := c.LogSource().Fetch(ctx, logsource.Request{Target: res.Target, Pods: res.Pods, Since: startsAt}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Dependencies(ctx, res.Target, res.Pods, nil, DependencyHints{Services: []NamespacedName{{"cart", "cart"}}, Members: []NamespacedName{{"cart", "cart-7c8d9e5f6-k2x9p"}}, Products: []string{"redis"}}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRequestsAskForJSONAndBoundLists: the collector decodes JSON only, so
// every object request must ask for exactly that (never protobuf), and
// every list must carry its limit.
func TestRequestsAskForJSONAndBoundLists(t *testing.T) {
	rec := &requestLog{}
	collectEverything(t, startCluster(t, rec))
	lists := 0
	for i, p := range rec.paths {
		path, query, _ := strings.Cut(p, "?")
		if strings.HasSuffix(path, "/log") {
			continue
		}
		if rec.accepts[i] != "application/json" {
			t.Errorf("%s asked for %q, want application/json", p, rec.accepts[i])
		}
		if strings.HasSuffix(rbacKey(p), "|list") {
			lists++
			if q, err := url.ParseQuery(query); err != nil || q.Get("limit") == "" {
				t.Errorf("list %s has no limit", p)
			}
		}
	}
	if lists == 0 {
		t.Fatalf("no list requests among %d", len(rec.paths))
	}
}

// checkRBAC checks every recorded request against rbac.yaml and returns the
// "group|resource|verb" keys used.
func checkRBAC(t *testing.T, rec *requestLog) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile("rbac.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.UnmarshalStrict(raw, &role); err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{}
	for _, rule := range role.Rules {
		for _, g := range rule.APIGroups {
			for _, r := range rule.Resources {
				for _, v := range rule.Verbs {
					allowed[g+"|"+r+"|"+v] = true
				}
			}
		}
	}
	used := map[string]bool{}
	for _, p := range rec.paths {
		key := rbacKey(p)
		if strings.Contains(key, "secrets") {
			t.Errorf("the collector asked for secrets: %s", p)
		}
		if !allowed[key] {
			t.Errorf("request %s needs %s, which rbac.yaml does not grant", p, key)
		}
		used[key] = true
	}
	return used
}

// rbacKey maps a request path to "group|resource|verb".
func rbacKey(pathAndQuery string) string {
	path, _, _ := strings.Cut(pathAndQuery, "?")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var group string
	var rest []string
	if segs[0] == "api" {
		rest = segs[2:]
	} else {
		group, rest = segs[1], segs[3:]
	}
	if len(rest) >= 2 && rest[0] == "namespaces" && len(rest) > 2 {
		rest = rest[2:]
	}
	switch len(rest) {
	case 1:
		return group + "|" + rest[0] + "|list"
	case 2:
		return group + "|" + rest[0] + "|get"
	default:
		return group + "|" + rest[0] + "/" + rest[2] + "|get"
	}
}

func FuzzParseLines(f *testing.F) {
	f.Add("2026-11-20T10:00:00.000000000Z hello\n2026-11-20T10:00:01Z world\r\n", false)
	f.Add("no timestamp\n\n2026-13-40T99:00:00Z bad date\n", true)
	f.Add("2026-11-20T10:00:00Z partial", true)
	f.Add("2026-02-30T10:00:00.000000000Z not a day\n2026-11-20T23:59:59.999999999Z last\n", false)
	f.Fuzz(func(t *testing.T, body string, cut bool) {
		// The fast timestamp path must agree with time.Parse.
		if stamp, _, ok := strings.Cut(body, " "); ok {
			fast, fastOK := parseKubeletTime(stamp)
			slow, err := time.Parse(time.RFC3339Nano, stamp)
			if fastOK && (err != nil || !fast.Equal(slow)) {
				t.Fatalf("%q: fast %v, time.Parse %v %v", stamp, fast, slow, err)
			}
		}
		lines := parseLines(body, cut)
		total := 0
		for _, l := range lines {
			if strings.Contains(l.Text, "\n") {
				t.Fatalf("line with a newline: %q", l.Text)
			}
			total += len(l.Text)
		}
		if total > len(body) {
			t.Fatalf("lines hold %d bytes of a %d-byte body", total, len(body))
		}
	})
}

func TestParseKubeletTime(t *testing.T) {
	for _, stamp := range []string{
		"2026-11-20T10:00:00.000000000Z", "2026-11-20T23:59:59.999999999Z", "2024-02-29T00:00:00.000000001Z",
		"2026-02-30T10:00:00.000000000Z", "2026-11-20T24:00:00.000000000Z", "2026-11-20T10:00:60.000000000Z",
		"2026-11-20T10:00:00.000000000+02:00", "2026-11-20T10:00:00Z", "2026-1x-20T10:00:00.000000000Z",
	} {
		fast, ok := parseKubeletTime(stamp)
		slow, err := time.Parse(time.RFC3339Nano, stamp)
		fixedWidth := len(stamp) == len("2006-01-02T15:04:05.000000000Z") && strings.HasSuffix(stamp, "Z")
		if ok != (err == nil && fixedWidth) || (ok && !fast.Equal(slow)) {
			t.Errorf("%s: fast %v %v, time.Parse %v %v", stamp, fast, ok, slow, err)
		}
	}
}
