package demo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const rulesFiring = `{"status":"success","data":{"groups":[{"name":"services","rules":[
 {"name":"HighErrorRate","query":"sum by (namespace, service) (rate(x[1m])) > 0.05","type":"alerting","alerts":[
  {"labels":{"alertname":"HighErrorRate","namespace":"demo","service":"payment-service","severity":"critical"},"annotations":{"summary":"p"},"state":"firing","activeAt":"2026-11-20T10:00:00Z","value":"0.5"},
  {"labels":{"alertname":"HighErrorRate","namespace":"demo","service":"order-service","severity":"critical"},"annotations":{"summary":"o"},"state":"pending","activeAt":"2026-11-20T10:00:10Z","value":"0.2"},
  {"labels":{"alertname":"HighErrorRate","namespace":"demo","service":"order-service","severity":"critical","extra":"x"},"annotations":{"summary":"o"},"state":"firing","activeAt":"2026-11-20T10:00:05Z","value":"4.5e-01"}
 ]},
 {"name":"ServiceDown","query":"up == 0","type":"alerting","alerts":[]}]}]}}`

func TestParseRules(t *testing.T) {
	f := Fault{Alert: "HighErrorRate", AlertLabels: map[string]string{"service": "order-service"}}
	tests := []struct {
		name      string
		body      string
		fault     Fault
		wantState string
		wantErr   string
	}{
		{"firing preferred over pending", rulesFiring, f, "firing", ""},
		{"other alert inactive", rulesFiring, Fault{Alert: "ServiceDown"}, "", ""},
		{"rule missing", rulesFiring, Fault{Alert: "Nope"}, "", "no alert rule named Nope"},
		{"error status", `{"status":"error"}`, f, "", "status"},
		{"not json", `<html>`, f, "", "decode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := parseRules([]byte(tc.body), "http://prom", tc.fault)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st.State != tc.wantState {
				t.Fatalf("state %q, want %q", st.State, tc.wantState)
			}
		})
	}
	st, _ := parseRules([]byte(rulesFiring), "http://prom", f)
	a := st.Alert
	if a.Labels["extra"] != "x" || a.Labels["namespace"] != "demo" || a.Query == "" || a.Values["A"] != 0.45 ||
		!a.StartsAt.Equal(time.Date(2026, 11, 20, 10, 0, 5, 0, time.UTC)) || !strings.HasPrefix(a.GeneratorURL, "http://prom/graph?g0.expr=") {
		t.Fatalf("alert = %+v", a)
	}
}

func TestWaitFiringReportsProgressAndTimesOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/rules" || r.URL.Query().Get("type") != "alert" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(rulesFiring))
	}))
	defer srv.Close()
	var lines []string
	say := func(format string, args ...any) { lines = append(lines, format) }
	f := Fault{Alert: "ServiceDown", AlertLabels: map[string]string{"app": "x"}}
	_, err := waitFiring(context.Background(), srv.Client(), srv.URL, f, time.Millisecond, say)
	if err == nil || !strings.Contains(err.Error(), "ServiceDown{app=x} did not fire") {
		t.Fatalf("err = %v", err)
	}
	if len(lines) == 0 {
		t.Fatal("no progress reported")
	}
	got, err := waitFiring(context.Background(), srv.Client(), srv.URL,
		Fault{Alert: "HighErrorRate", AlertLabels: map[string]string{"service": "payment-service"}}, time.Minute, say)
	if err != nil || got.Labels["service"] != "payment-service" {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func FuzzParseRules(f *testing.F) {
	f.Add([]byte(rulesFiring))
	f.Add([]byte(`{"status":"success","data":{"groups":[{"rules":[{"name":"HighErrorRate","alerts":[{"labels":null,"state":"firing","activeAt":"x"}]}]}]}}`))
	f.Add([]byte(`{"status":"success","data":null}`))
	fault := Fault{Alert: "HighErrorRate", AlertLabels: map[string]string{"service": "order-service"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		st, err := parseRules(body, "http://prom", fault)
		if err != nil {
			return
		}
		if st.State != "" && st.Alert.Labels["service"] != "order-service" {
			t.Fatalf("matched an alert without the wanted labels: %+v", st.Alert.Labels)
		}
	})
}
