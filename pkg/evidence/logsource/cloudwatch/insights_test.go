package cloudwatch

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// TestInsightsFromMoto runs the Logs Insights path (StartQuery, then
// GetQueryResults) against moto. Moto ignores the query's filter but
// honours the log group, the window, the listed fields, the sort and the
// limit, so those are what this test proves; the filter itself is proved by
// TestInsightsQuery, and the client-side prefix check by the pods asked for.
func TestInsightsFromMoto(t *testing.T) {
	endpoint := startMoto(t)
	seedShop(t, endpoint)
	// A second group with the same stream names: only the configured group
	// may be read.
	newSeeder(t, endpoint, "/aws/eks/other/containers").put("shop/"+podB+"/order", since.Add(time.Minute), 4, "other cluster %d")
	podsB := []incident.PodState{{Namespace: "shop", Name: podB}}
	for _, tc := range []struct {
		name      string
		cfg       Config
		req       logsource.Request
		want      map[string]int
		truncated bool
		first     string
		last      string
	}{
		{name: "one pod of the window", req: logsource.Request{Target: incident.Target{Namespace: "shop", Container: "order"}, Pods: podsB},
			want: map[string]int{"shop/" + podB + "/order": 10}, first: "connection refused 0", last: "connection refused 9"},
		{name: "workload prefix, every container",
			req:  logsource.Request{Target: incident.Target{Namespace: "shop", Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order-service"}}},
			want: map[string]int{"shop/" + podA + "/order": 30, "shop/" + podA + "/istio-proxy": 5, "shop/" + podB + "/order": 10}},
		// The limit keeps the newest events (sort desc), which come back
		// oldest first: podB's lines are the newest of the group.
		{name: "limit keeps the newest", cfg: Config{MaxEvents: 6}, req: logsource.Request{Target: incident.Target{Namespace: "shop", Container: "order"}, Pods: podsB},
			want: map[string]int{"shop/" + podB + "/order": 6}, truncated: true, first: "connection refused 4", last: "connection refused 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Insights = true
			s := newSource(t, endpoint, tc.cfg)
			req := tc.req
			req.Since, req.Until = since, until
			got, err := s.Fetch(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			for _, ls := range got {
				key := ls.Namespace + "/" + ls.Pod + "/" + ls.Container
				seen[key] = len(ls.Lines)
				if ls.Truncated != tc.truncated {
					t.Errorf("%s: truncated = %v, want %v", key, ls.Truncated, tc.truncated)
				}
				for i, l := range ls.Lines {
					if l.Time.Before(since) || l.Time.After(until) || (i > 0 && l.Time.Before(ls.Lines[i-1].Time)) {
						t.Errorf("%s line %d at %s: out of the window or order", key, i, l.Time)
					}
					if strings.Contains(l.Text, "other cluster") || strings.Contains(l.Text, "billing") || strings.Contains(l.Text, `"log":`) {
						t.Errorf("%s line %d %q: another group, namespace or an unwrapped record", key, i, l.Text)
					}
				}
				if tc.first != "" && (!strings.HasSuffix(ls.Lines[0].Text, tc.first) || !strings.HasSuffix(ls.Lines[len(ls.Lines)-1].Text, tc.last)) {
					t.Errorf("%s: lines %q .. %q, want ..%q .. ..%q", key, ls.Lines[0].Text, ls.Lines[len(ls.Lines)-1].Text, tc.first, tc.last)
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
		})
	}
}

// TestInsightsQuery checks the query's filter as Logs Insights reads it: a
// regexp between slashes, anchored, with the stream names' slashes escaped.
func TestInsightsQuery(t *testing.T) {
	for _, tc := range []struct {
		prefixes   []string
		limit      int
		match, not []string
	}{
		{[]string{"shop/" + podA, "shop/" + podB}, 100,
			[]string{"shop/" + podA + "/order", "shop/" + podB + "/istio-proxy"},
			[]string{"billing/" + podA + "/order", "xshop/" + podA + "/order", "shop/order-service-6c9f7b8d5-zzzzz/order"}},
		{[]string{"kube.var.log.containers.order-service-"}, 5,
			[]string{"kube.var.log.containers.order-service-1_shop_order"},
			[]string{"kube_var_log_containers_order-service-1", "kube.var.log.containers.payment-1"}},
	} {
		q := insightsQuery(tc.prefixes, tc.limit)
		m := regexp.MustCompile(`^fields @timestamp, @message, @logStream \| filter @logStream like /(.*)/ \| sort @timestamp desc \| limit (\d+)$`).FindStringSubmatch(q)
		if m == nil || m[2] != strconv.Itoa(tc.limit) {
			t.Fatalf("query %q: not the expected shape or limit %d", q, tc.limit)
		}
		if strings.Contains(strings.ReplaceAll(m[1], `\/`, ""), "/") {
			t.Fatalf("query %q: an unescaped slash ends the regexp early", q)
		}
		re := regexp.MustCompile(strings.ReplaceAll(m[1], `\/`, "/"))
		for _, s := range tc.match {
			if !re.MatchString(s) {
				t.Errorf("%q does not select %s", q, s)
			}
		}
		for _, s := range tc.not {
			if re.MatchString(s) {
				t.Errorf("%q selects %s", q, s)
			}
		}
	}
}

func TestInsightsEvent(t *testing.T) {
	at := time.Date(2026, 12, 5, 10, 4, 5, 123e6, time.UTC)
	field := func(k, v string) resultField {
		return resultField{Field: k, Value: v}
	}
	for _, tc := range []struct {
		name string
		row  []resultField
		want event
		ok   bool
	}{
		{"CloudWatch's timestamp", []resultField{field("@timestamp", "2026-12-05 10:04:05.123"), field("@message", "boom"), field("@logStream", "shop/p/c"), field("@ptr", "x")},
			event{stream: "shop/p/c", time: at, message: "boom"}, true},
		{"moto's epoch milliseconds", []resultField{field("@logStream", "shop/p/c"), field("@timestamp", "1796465045123"), field("@message", "boom")},
			event{stream: "shop/p/c", time: at, message: "boom"}, true},
		{"no stream", []resultField{field("@timestamp", "2026-12-05 10:04:05.123"), field("@message", "boom")}, event{time: at, message: "boom"}, false},
		{"unreadable time", []resultField{field("@timestamp", "yesterday"), field("@logStream", "s")}, event{stream: "s"}, false},
		{"time past year 9999", []resultField{field("@timestamp", "999999999999999999"), field("@logStream", "s")}, event{stream: "s"}, false},
		{"nil values", []resultField{{Field: "@message"}, {}}, event{}, false},
	} {
		got, ok := insightsEvent(tc.row)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s: %+v %v, want %+v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzInsightsEvent(f *testing.F) {
	f.Add("2026-12-05 10:04:05.123", "shop/p/c", "boom")
	f.Add("1796465045123", "", "")
	f.Fuzz(func(t *testing.T, ts, stream, msg string) {
		row := []resultField{{Field: "@timestamp", Value: ts}, {Field: "@logStream", Value: stream}, {Field: "@message", Value: msg}}
		e, ok := insightsEvent(row)
		if ok && (e.stream == "" || e.time.IsZero() || e.time.Year() > 9999) {
			t.Fatalf("accepted %+v", e)
		}
	})
}
