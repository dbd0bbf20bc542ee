package prom

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/httpauth/httpauthtest"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// collectFrom runs a health query and a collection against a Prometheus
// that answers body; it returns the collection's error.
func collectFrom(t *testing.T, status int, body []byte) error {
	t.Helper()
	c, err := New(Config{URL: "http://prometheus.test", HTTPClient: &http.Client{Transport: httpauthtest.Canned{Status: status, Body: body}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_ = c.Health(ctx)
	a := incident.Alert{Labels: map[string]string{"alertname": "HighErrorRate", "namespace": "shop"},
		Annotations: map[string]string{"expr": `rate(http_requests_total{code="500"}[5m]) > 1`}, StartsAt: t0}
	series, err := c.Collect(ctx, a, incident.Target{Namespace: "shop", Workload: incident.Entity{Namespace: "shop", Kind: "Deployment", Name: "order"}, Pods: []string{"order-7d9c5-x2x1q"}}, nil, time.Time{}, t0.Add(10*time.Minute))
	for _, s := range series {
		if len(s.Points) > DefaultMaxPoints*2 {
			t.Errorf("series of %d points escapes the bound", len(s.Points))
		}
	}
	return err
}

// FuzzPrometheusResponse: Prometheus's answers are outside input. Any body,
// under any status, must give series or an error, never a panic.
func FuzzPrometheusResponse(f *testing.F) {
	f.Add(200, []byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"a"},"values":[[1763631900,"1"],[1763631915,"NaN"]]}]}}`))
	f.Add(200, []byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1763631900,"1"]}]}}`))
	f.Add(422, []byte(`{"status":"error","errorType":"bad_data","error":"parse error"}`))
	f.Add(200, []byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"\xff"},"values":[[1e308,"+Inf"]]}]}}`))
	f.Add(503, []byte(`<html>overloaded</html>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			status = 200
		}
		_ = collectFrom(t, status, body)
	})
}

// TestPromHostileResponses: deep nesting, an answer larger than the bound,
// and invalid UTF-8 in labels each end in an error naming Prometheus or in
// bounded series.
func TestPromHostileResponses(t *testing.T) {
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	cases := map[string]string{
		"100k nested arrays as the result": `{"status":"success","data":{"resultType":"matrix","result":` + deep + `}}`,
		"100k nested arrays as a value":    `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":` + deep + `}]}}`,
		"larger than the response bound":   `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"x":"` + strings.Repeat("x", DefaultMaxResponseBytes) + `"},"values":[]}]}}`,
		// Regressions: a success without data crashed the collector (nil value).
		"success without data":    `{"status":"success"}`,
		"success with empty data": `{"status":"success","data":{}}`,
		"null series":             `{"status":"success","data":{"resultType":"matrix","result":[null,{"metric":null,"values":null}]}}`,
		"null sample":             `{"status":"success","data":{"resultType":"vector","result":[null]}}`,
		"invalid UTF-8 labels":    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"pod\":\"\xff\xfe\"},\"values\":[[1763631900,\"1\"]]}]}}",
	}
	for name, body := range cases {
		err := collectFrom(t, http.StatusOK, []byte(body))
		if name == "larger than the response bound" && (err == nil || !strings.Contains(err.Error(), "exceeds the size bound")) {
			t.Errorf("%s: err = %v, want the bound named", name, err)
		}
	}
}
