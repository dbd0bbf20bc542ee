package cloudwatch

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

const group = "/aws/eks/shop/containers"

// The window is recent: CloudWatch keeps events by their own timestamps.
var (
	until = time.Now().UTC().Truncate(time.Second)
	since = until.Add(-15 * time.Minute)
)

const (
	podA = "order-service-6c9f7b8d5-abcde"
	podB = "order-service-6c9f7b8d5-fghij"
)

func seedShop(t *testing.T, endpoint string) {
	s := newSeeder(t, endpoint, group)
	s.put("shop/"+podA+"/order", since.Add(time.Minute), 30, "order line %d")
	s.put("shop/"+podA+"/istio-proxy", since.Add(time.Minute), 5, "proxy %d")
	// Fluent Bit ships whole records unless told to send the log key only.
	s.put("shop/"+podB+"/order", since.Add(2*time.Minute), 10, `{"log":"payment-service charge failed: connection refused %d\n","stream":"stderr"}`)
	s.put("shop/"+podA+"/order-old", since.Add(-time.Hour), 5, "before the window %d")
	// The same pod name in another namespace must never be returned.
	s.put("billing/"+podA+"/order", since.Add(time.Minute), 5, "billing %d")
}

func newSource(t *testing.T, endpoint string, cfg Config) *Source {
	t.Helper()
	cfg.Endpoint, cfg.Region, cfg.Credentials = endpoint, "eu-west-1", testCreds
	if cfg.LogGroup == "" {
		cfg.LogGroup = group
	}
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFetchFromMoto(t *testing.T) {
	endpoint := startMoto(t)
	seedShop(t, endpoint)
	pods := []incident.PodState{{Namespace: "shop", Name: podA}, {Namespace: "shop", Name: podB}}
	for _, tc := range []struct {
		name     string
		cfg      Config
		req      logsource.Request
		want     map[string]int // namespace/pod/container -> lines
		truncAny bool
		contains string
	}{
		{name: "examined pods, every container", req: logsource.Request{Target: incident.Target{Namespace: "shop"}, Pods: pods},
			want:     map[string]int{"shop/" + podA + "/order": 30, "shop/" + podA + "/istio-proxy": 5, "shop/" + podB + "/order": 10},
			contains: "payment-service charge failed: connection refused 9"},
		{name: "the alert's container only", req: logsource.Request{Target: incident.Target{Namespace: "shop", Container: "order"}, Pods: pods},
			want: map[string]int{"shop/" + podA + "/order": 30, "shop/" + podB + "/order": 10}},
		{name: "pods gone: the workload's name prefix", req: logsource.Request{Target: incident.Target{Namespace: "shop", Container: "order",
			Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order-service"}}},
			want: map[string]int{"shop/" + podA + "/order": 30, "shop/" + podB + "/order": 10}},
		{name: "event budget", cfg: Config{MaxEvents: 12}, req: logsource.Request{Target: incident.Target{Namespace: "shop", Container: "order"}, Pods: pods[:1]},
			want: map[string]int{"shop/" + podA + "/order": 12}, truncAny: true},
		{name: "byte budget keeps the newest lines", req: logsource.Request{Target: incident.Target{Namespace: "shop", Container: "order"}, Pods: pods[:1], MaxBytes: 50},
			want: map[string]int{"shop/" + podA + "/order": 3}, truncAny: true, contains: "order line 29"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSource(t, endpoint, tc.cfg)
			req := tc.req
			req.Since, req.Until = since, until
			got, err := s.Fetch(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			all := ""
			trunc := false
			for _, ls := range got {
				key := ls.Namespace + "/" + ls.Pod + "/" + ls.Container
				seen[key] = len(ls.Lines)
				trunc = trunc || ls.Truncated
				if ls.Source != "cloudwatch" {
					t.Errorf("%s: source %q", key, ls.Source)
				}
				for i, l := range ls.Lines {
					all += l.Text + "\n"
					if l.Time.Before(since) || l.Time.After(until) || (i > 0 && l.Time.Before(ls.Lines[i-1].Time)) {
						t.Errorf("%s line %d at %s: out of the window or order", key, i, l.Time)
					}
				}
			}
			if len(seen) != len(tc.want) {
				t.Errorf("streams %v, want %v", seen, tc.want)
			}
			for k, n := range tc.want {
				if seen[k] != n {
					t.Errorf("%s: %d lines, want %d", k, seen[k], n)
				}
			}
			if trunc != tc.truncAny {
				t.Errorf("truncated = %v, want %v", trunc, tc.truncAny)
			}
			if !strings.Contains(all, tc.contains) || strings.Contains(all, `"log":`) {
				t.Errorf("lines do not contain %q (or kept the Fluent Bit record): %s", tc.contains, all)
			}
		})
	}
}

func TestPingAndFailures(t *testing.T) {
	endpoint := startMoto(t)
	seedShop(t, endpoint)
	if err := newSource(t, endpoint, Config{}).Ping(context.Background()); err != nil {
		t.Errorf("ping: %v", err)
	}
	err := newSource(t, endpoint, Config{LogGroup: "/aws/eks/other/containers"}).Ping(context.Background())
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("ping of a missing group: %v", err)
	}
	// Nothing listens: the fetch fails (the gatherer degrades it), quickly.
	dead := newSource(t, "http://127.0.0.1:1", Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = dead.Fetch(ctx, logsource.Request{Target: incident.Target{Namespace: "shop", Pods: []string{podA}}, Since: since, Until: until})
	if err == nil || !strings.Contains(err.Error(), "filter log events") {
		t.Errorf("fetch from nowhere: %v", err)
	}
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg     Config
		wantErr string
	}{
		{Config{Region: "eu-west-1"}, "no log group"},
		{Config{Region: "eu-west-1", LogGroup: group, StreamPattern: "{namespace}/{container}"}, "has no {pod}"},
	} {
		_, err := New(context.Background(), tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("New(%+v) = %v, want %q", tc.cfg, err, tc.wantErr)
		}
	}
}

func TestStreamPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern, stream, ns, pod, container string
		ok                                  bool
	}{
		{DefaultStreamPattern, "shop/order-1/order", "shop", "order-1", "order", true},
		{"kube.var.log.containers.{pod}_{namespace}_{container}", "kube.var.log.containers.order-1_shop_order", "shop", "order-1", "order", true},
		{DefaultStreamPattern, "shop/order-1", "", "", "", false},
	} {
		re, err := streamRegexp(tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		m := re.FindStringSubmatch(tc.stream)
		if (m != nil) != tc.ok {
			t.Fatalf("%s on %s: match %v", tc.pattern, tc.stream, m)
		}
		if m != nil && (m[re.SubexpIndex("namespace")] != tc.ns || m[re.SubexpIndex("pod")] != tc.pod || m[re.SubexpIndex("container")] != tc.container) {
			t.Errorf("%s on %s: %v", tc.pattern, tc.stream, m)
		}
	}
}

func FuzzLogText(f *testing.F) {
	f.Add(`{"log":"hello\n","stream":"stdout"}`)
	f.Add(`{"log":`)
	f.Add(strings.Repeat("x", MaxLineBytes+10))
	f.Fuzz(func(t *testing.T, msg string) {
		if got := logText(msg); len(got) > MaxLineBytes+len(" …[truncated]") {
			t.Fatalf("line of %d bytes past the bound", len(got))
		}
	})
}
