package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestLogRecordsCiteTemplatesOfRawLines(t *testing.T) {
	b := newBundle(orderPod("order-1", healthy()))
	b.Logs = []incident.LogStream{{Namespace: "shop", Pod: "order-1", Container: "order", Lines: []incident.LogLine{
		{Time: at(-2 * time.Minute), Text: `ERROR 1 --- [exec-3] o.a.c.Servlet : request failed with root cause`},
		{Time: at(-2 * time.Minute), Text: `java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.`},
		{Time: at(-time.Minute), Text: `ERROR 1 --- [exec-9] o.a.c.Servlet : request failed with root cause`},
	}}}
	b.Templates = []incident.LogTemplate{{TemplateID: "t1", Pattern: "ERROR <*> --- <*> o.a.c.Servlet : request failed with root cause",
		Level: "error", Count: 2, Sources: []string{"shop/order-1/order"}, Novel: true}}
	b.AssignIDs()
	recs := logRecords(b)
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2 shapes", len(recs))
	}
	if recs[0].ID != b.Templates[0].ID || recs[0].Count != 2 || recs[0].Level != "error" {
		t.Errorf("servlet lines: %+v, want template %s, count 2, level error", recs[0], b.Templates[0].ID)
	}
	if recs[1].ID != b.Pods[0].ID {
		t.Errorf("stack line cites %q, want the pod %q (no template holds it)", recs[1].ID, b.Pods[0].ID)
	}
	f := analyzeOne(exhaustion{}, b)
	if len(f) != 1 {
		t.Fatalf("exhaustion on the stack line: %d findings", len(f))
	}
	checkFinding(t, b, f[0], incident.CategoryResourceExhaustion, deployOrder, "HikariPool-1", "connection pool")
}

func TestLevelOf(t *testing.T) {
	tests := map[string]string{
		`{"level":"info","msg":"request","error_count":0}`:                         "info",
		`time=2026-11-15T04:15:58Z level=warning msg="traces export failed"`:       "warn",
		`2026-11-22 10:17:55.337 ERROR 1 --- [main] c.a.App : boom`:                "error",
		`[2026/11/04 10:26:27] [error] [config] section 'outputt'`:                 "error",
		`panic: assignment to entry in nil map`:                                    "panic",
		`2026/11/04 10:26:27 [emerg] 1#1: host not found in upstream "api:8080"`:   "fatal",
		`2026/11/04 10:26:27 [crit] 7#7: *1 SSL_do_handshake() failed`:             "fatal",
		`java.lang.NullPointerException: Cannot invoke "x()"`:                      "error",
		`	at com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)`: "",
	}
	for line, want := range tests {
		if got := levelOf(line); got != want {
			t.Errorf("levelOf(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestHostEntity(t *testing.T) {
	b := newBundle(orderPod("order-1", healthy()))
	b.Services = []incident.ServiceState{{Namespace: "shop", Name: "payments"}}
	svc := func(ns, name string) incident.Entity {
		return incident.Entity{Namespace: ns, Kind: incident.KindService, Name: name}
	}
	tests := map[string]incident.Entity{
		"payment-service":                               svc("shop", "payment-service"),
		"inventory.stock.svc.cluster.local":             svc("stock", "inventory"),
		"inventory.stock.svc":                           svc("stock", "inventory"),
		"kafka-0.kafka-headless.data.svc.cluster.local": svc("data", "kafka-headless"),
		"mongo-0.mongo":                                 svc("shop", "mongo"),
		"cache.shop":                                    svc("shop", "cache"),
		"db.example.com":                                {Kind: incident.KindExternal, Name: "db.example.com"},
		"orders-prod.cluster-c8k2.eu-west-1.rds.amazonaws.com": {Kind: incident.KindExternal, Name: "orders-prod.cluster-c8k2.eu-west-1.rds.amazonaws.com"},
		"10.9.9.9": {Kind: incident.KindExternal, Name: "10.9.9.9"},
	}
	for host, want := range tests {
		if got := hostEntity(b, "shop", host); got != want {
			t.Errorf("hostEntity(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestStaleRawLines(t *testing.T) {
	line := `level=error msg="charge failed" err="dial tcp 10.0.3.7:5432: connect: connection refused"`
	tests := []struct {
		name  string
		times []time.Duration
		stale bool
	}{
		{"steady noise for two hours", spread(-2*time.Hour, 5*time.Minute, 10*time.Minute), true},
		{"a failure that began 45 minutes before the alert and grew", append(spread(-45*time.Minute, -20*time.Minute, 5*time.Minute), spread(-20*time.Minute, 5*time.Minute, 30*time.Second)...), false},
		{"new since the alert", spread(-5*time.Minute, 5*time.Minute, 30*time.Second), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBundle(orderPod("order-1", healthy()))
			s := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: "order"}
			for _, d := range tt.times {
				s.Lines = append(s.Lines, incident.LogLine{Time: at(d), Text: line})
			}
			b.Logs = []incident.LogStream{s}
			recs := logRecords(b)
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			if got := stale(b, recs[0]); got != tt.stale {
				t.Errorf("stale = %v, want %v (%+v)", got, tt.stale, recs[0])
			}
		})
	}
}

// spread returns offsets from `from` up to `to` every `step`.
func spread(from, to, step time.Duration) []time.Duration {
	var out []time.Duration
	for d := from; d < to; d += step {
		out = append(out, d)
	}
	return out
}
