package loki

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

var (
	since = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	until = time.Date(2026, 11, 20, 10, 10, 0, 0, time.UTC)
)

const (
	podA = "order-service-6c9f7b8d5-abcde"
	podB = "order-service-6c9f7b8d5-fghij"
)

func kubeStreams() []fakeStream {
	k := func(ns, pod, container, stream string) map[string]string {
		return map[string]string{"namespace": ns, "pod": pod, "container": container, "stream": stream, "job": ns + "/" + container}
	}
	return []fakeStream{
		{labels: k("shop", podA, "order", "stdout"), entries: lines(since.Add(-10*time.Minute), 200, "A out")},
		{labels: k("shop", podA, "order", "stderr"), entries: lines(since.Add(5*time.Second), 3, "A err")},
		{labels: k("shop", podB, "order", "stdout"), entries: lines(since, 5, "B out")},
		{labels: k("shop", podA, "istio-proxy", "stdout"), entries: lines(since, 5, "proxy")},
		// Same pod name in another namespace: must never be returned.
		{labels: k("billing", podA, "order", "stdout"), entries: lines(since, 5, "billing")},
	}
}

func newSource(t *testing.T, fake *fakeLoki, cfg Config) *Source {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	cfg.URL = srv.URL
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFetchKubernetesPods(t *testing.T) {
	fake := &fakeLoki{t: t, streams: kubeStreams()}
	s := newSource(t, fake, Config{TenantID: "team-a", BearerToken: "tok"})
	req := logsource.Request{
		Target: incident.Target{Namespace: "shop", Pods: []string{podA, podB}, Container: "order"},
		Since:  since, Until: until, MaxBytes: 1 << 20,
	}
	got, err := s.Fetch(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("want a stream per pod, got %d: %+v", len(got), got)
	}
	a, b := got[0], got[1]
	if a.Pod != podA || a.Namespace != "shop" || a.Container != "order" || a.Source != "loki" || b.Pod != podB {
		t.Errorf("streams %+v / %+v", a, b)
	}
	// stdout within the window (from since, 10s apart) and the 3 stderr lines, merged by time.
	wantA := 0
	for _, e := range lines(since.Add(-10*time.Minute), 200, "") {
		if !e.t.Before(since) && e.t.Before(until) {
			wantA++
		}
	}
	if len(a.Lines) != wantA+3 {
		t.Errorf("pod A: %d lines, want %d", len(a.Lines), wantA+3)
	}
	for i := 1; i < len(a.Lines); i++ {
		if a.Lines[i].Time.Before(a.Lines[i-1].Time) {
			t.Fatalf("lines not oldest first at %d", i)
		}
	}
	if a.Lines[0].Time.Before(since) || a.Truncated {
		t.Errorf("first line %v, truncated %v", a.Lines[0], a.Truncated)
	}
	if !strings.Contains(fake.queries[0], `namespace="shop"`) || !strings.Contains(fake.queries[0], `container="order"`) {
		t.Errorf("selector %s", fake.queries[0])
	}
	if h := fake.headers[0]; h.Get("X-Scope-OrgID") != "team-a" || h.Get("Authorization") != "Bearer tok" {
		t.Errorf("headers %v", h)
	}
}

func TestFetchGonePodsByWorkload(t *testing.T) {
	fake := &fakeLoki{t: t, streams: kubeStreams()}
	s := newSource(t, fake, Config{BasicUser: "u", BasicPassword: "p"})
	req := logsource.Request{
		// The pods named by the alert are gone; the workload finds the others.
		Target: incident.Target{Namespace: "shop", Pods: []string{"order-service-old-zzzzz"},
			Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order-service"}},
		Since: since, Until: until,
	}
	got, err := s.Fetch(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	pods := map[string]bool{}
	for _, ls := range got {
		pods[ls.Pod+"/"+ls.Container] = true
		if ls.Namespace != "shop" {
			t.Errorf("stream from namespace %s", ls.Namespace)
		}
	}
	if !pods[podA+"/order"] || !pods[podB+"/order"] || !pods[podA+"/istio-proxy"] {
		t.Errorf("got %v", pods)
	}
	if len(fake.queries) != 2 {
		t.Errorf("want the exact-pod selector, then the workload one; got %q", fake.queries)
	}
	if user, pass, ok := basicAuth(fake.headers[0].Get("Authorization")); !ok || user != "u" || pass != "p" {
		t.Errorf("basic auth header %q", fake.headers[0].Get("Authorization"))
	}
}

func TestFetchComposeLabels(t *testing.T) {
	fake := &fakeLoki{t: t, structuredMetadata: true, streams: []fakeStream{
		{labels: map[string]string{"service_name": "payment-service", "app": "payment-service", "container": "aiops-payment-service-1"},
			entries: lines(since, 4, `{"level":"error","msg":"upstream timeout"}`+"\n")},
		{labels: map[string]string{"service_name": "auth-service", "container": "aiops-auth-service-1"}, entries: lines(since, 4, "auth")},
	}}
	s := newSource(t, fake, Config{})
	got, err := s.Fetch(context.Background(), logsource.Request{
		Target: incident.Target{Service: "payment-service"}, Since: since, Until: until,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Pod != "aiops-payment-service-1" || got[0].Container != "payment-service" || len(got[0].Lines) != 4 {
		t.Fatalf("got %+v", got)
	}
	if strings.HasSuffix(got[0].Lines[0].Text, "\n") {
		t.Error("trailing newline kept")
	}
}

func TestFetchBounds(t *testing.T) {
	t.Run("limit keeps the newest lines", func(t *testing.T) {
		fake := &fakeLoki{t: t, streams: kubeStreams()}
		s := newSource(t, fake, Config{Limit: 10})
		got, err := s.Fetch(context.Background(), logsource.Request{
			Target: incident.Target{Namespace: "shop", Pods: []string{podA}, Container: "order"}, Since: since, Until: until,
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[0].Lines) != 10 || !got[0].Truncated {
			t.Fatalf("got %+v", got)
		}
		if last := got[0].Lines[9].Time; !last.Equal(since.Add(-10 * time.Minute).Add(199 * 10 * time.Second)) {
			t.Errorf("last line at %v, want the newest", last)
		}
	})
	t.Run("bytes keep the newest lines", func(t *testing.T) {
		fake := &fakeLoki{t: t, streams: kubeStreams()}
		s := newSource(t, fake, Config{})
		got, err := s.Fetch(context.Background(), logsource.Request{
			Target: incident.Target{Namespace: "shop", Pods: []string{podB}}, Since: since, Until: until, MaxBytes: 20,
		})
		if err != nil {
			t.Fatal(err)
		}
		// "B out 4\n" is 8 bytes: two lines fit in 20.
		if len(got) != 1 || len(got[0].Lines) != 2 || got[0].Lines[1].Text != "B out 4" || !got[0].Truncated {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("long lines are clipped", func(t *testing.T) {
		long := strings.Repeat("é", MaxLineBytes)
		fake := &fakeLoki{t: t, streams: []fakeStream{{labels: map[string]string{"namespace": "shop", "pod": podA, "container": "c"},
			entries: []entry{{t: since, line: long}}}}}
		s := newSource(t, fake, Config{})
		got, err := s.Fetch(context.Background(), logsource.Request{
			Target: incident.Target{Namespace: "shop", Pods: []string{podA}}, Since: since, Until: until,
		})
		if err != nil {
			t.Fatal(err)
		}
		text := got[0].Lines[0].Text
		if len(text) > MaxLineBytes+32 || !strings.HasSuffix(text, "…[truncated]") || !strings.HasPrefix(text, "éé") {
			t.Errorf("clipped line of %d bytes: %q...", len(text), text[:20])
		}
	})
}

func TestFetchErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("server error is reported with its text", func(t *testing.T) {
		s := newSource(t, &fakeLoki{t: t, failWith: 429}, Config{})
		_, err := s.Fetch(ctx, logsource.Request{Target: incident.Target{Namespace: "shop"}, Since: since, Until: until})
		if err == nil || !strings.Contains(err.Error(), "HTTP 429") || !strings.Contains(err.Error(), "too many outstanding") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("nothing to select by", func(t *testing.T) {
		s := newSource(t, &fakeLoki{t: t}, Config{})
		if _, err := s.Fetch(ctx, logsource.Request{Since: since, Until: until}); err == nil {
			t.Error("want an error")
		}
	})
	t.Run("window", func(t *testing.T) {
		s := newSource(t, &fakeLoki{t: t}, Config{})
		tgt := incident.Target{Namespace: "shop"}
		if _, err := s.Fetch(ctx, logsource.Request{Target: tgt, Since: since}); err == nil {
			t.Error("no end: want an error")
		}
		if _, err := s.Fetch(ctx, logsource.Request{Target: tgt, Since: until, Until: since}); err == nil {
			t.Error("inverted: want an error")
		}
	})
	t.Run("no logs is no error", func(t *testing.T) {
		s := newSource(t, &fakeLoki{t: t, streams: kubeStreams()}, Config{})
		got, err := s.Fetch(ctx, logsource.Request{Target: incident.Target{Namespace: "empty"}, Since: since, Until: until})
		if err != nil || len(got) != 0 {
			t.Errorf("got %v, %v", got, err)
		}
	})
	t.Run("config", func(t *testing.T) {
		for _, cfg := range []Config{{}, {URL: "ftp://x"}, {URL: "http://x", BearerToken: "t", BasicUser: "u"}} {
			if _, err := New(cfg); err == nil {
				t.Errorf("New(%+v): want an error", cfg)
			}
		}
	})
	t.Run("hostile labels stay literal", func(t *testing.T) {
		fake := &fakeLoki{t: t, streams: kubeStreams()}
		s := newSource(t, fake, Config{})
		_, err := s.Fetch(ctx, logsource.Request{Target: incident.Target{Namespace: `shop", pod=~".+`, Service: `x"} |= "`}, Since: since, Until: until})
		if err != nil {
			t.Fatalf("hostile values must still make valid selectors: %v", err)
		}
		for _, q := range fake.queries {
			if _, err := parseSelector(q); err != nil {
				t.Errorf("selector %s: %v", q, err)
			}
		}
	})
}

func TestPing(t *testing.T) {
	notLoki := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html>Grafana</html>")) }))
	t.Cleanup(notLoki.Close)
	for _, tc := range []struct {
		name    string
		fake    *fakeLoki
		cfg     Config
		url     string
		wantErr string
	}{
		{name: "answers", fake: &fakeLoki{streams: kubeStreams()}},
		{name: "tenant given", fake: &fakeLoki{streams: kubeStreams(), tenant: "team-a"}, cfg: Config{TenantID: "team-a", BearerToken: "tok"}},
		{name: "tenant missing", fake: &fakeLoki{tenant: "team-a"}, wantErr: "HTTP 401: no org id (check the Loki credentials and tenant)"},
		{name: "overloaded", fake: &fakeLoki{failWith: 503}, wantErr: "HTTP 503"},
		{name: "not Loki", url: notLoki.URL, wantErr: "does not answer like Loki"},
		{name: "nothing listens", url: "http://127.0.0.1:1", wantErr: "connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s *Source
			if tc.fake != nil {
				tc.fake.t = t
				s = newSource(t, tc.fake, tc.cfg)
			} else {
				var err error
				if s, err = New(Config{URL: tc.url}); err != nil {
					t.Fatal(err)
				}
			}
			err := s.Ping(context.Background())
			if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("ping = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestSelectors(t *testing.T) {
	got := Selectors(incident.Target{Namespace: "shop", Pods: []string{"b.1", "a"}, Container: "c",
		Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"}, Service: "order-svc"}, nil)
	want := []string{
		`{namespace="shop", pod=~"a|b\\.1", container="c"}`,
		`{namespace="shop", pod=~"order-.+", container="c"}`,
		`{namespace="shop", app="order-svc"}`,
		`{service_name="order-svc"}`,
		`{app="order-svc"}`,
		`{service="order-svc"}`,
		`{compose_service="order-svc"}`,
		`{job=~"(.*/)?order-svc"}`,
		`{namespace="shop", app="order"}`,
		`{service_name="order"}`,
		`{app="order"}`,
		`{service="order"}`,
		`{compose_service="order"}`,
		`{job=~"(.*/)?order"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("selectors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if only := Selectors(incident.Target{Namespace: "shop"}, nil); len(only) != 1 || only[0] != `{namespace="shop"}` {
		t.Errorf("namespace only: %v", only)
	}
}
