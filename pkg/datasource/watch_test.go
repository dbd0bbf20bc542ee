package datasource

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// TestFindingsQueryServesWatchFindings: the log watch's findings kept in
// the history come first in the findings frame, filtered by namespace and
// time range, each with its synthetic alert for POST /explain (Kubernetes
// is off here, so the live collection adds none).
func TestFindingsQueryServesWatchFindings(t *testing.T) {
	d := instance(t)
	ctx := context.Background()
	st, err := d.history(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 21, 15, 20, 0, 0, time.UTC)
	d.now = func() time.Time { return now }
	save := func(id, ns string, at time.Time) {
		t.Helper()
		f := incident.WatchFinding{ID: id, At: at, Kind: incident.WatchNewErrorTemplate, Namespace: ns, Pod: "order-service-7b9c4d2f8-r8s6j",
			Finding: incident.Finding{ID: id, Analyzer: "logwatch", Severity: incident.SeverityCritical, Category: incident.CategoryUnknown,
				Title: "New error log template in order-service", Entity: incident.Entity{Kind: "Pod", Namespace: ns, Name: "order-service-7b9c4d2f8-r8s6j"}},
			Alert: incident.Alert{Labels: map[string]string{"alertname": incident.WatchNewErrorTemplate, "namespace": ns, "pod": "order-service-7b9c4d2f8-r8s6j"}, StartsAt: at}}
		if err := st.SaveWatchFinding(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	save("w1", "order", now.Add(-5*time.Minute))
	save("w2", "shop", now.Add(-4*time.Minute))
	save("w3", "order", now.Add(-3*time.Hour))

	query := backend.DataQuery{RefID: "F", QueryType: "findings", JSON: json.RawMessage(`{"namespace":"order"}`),
		TimeRange: backend.TimeRange{From: now.Add(-time.Hour), To: now}}
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pluginContext(), Queries: []backend.DataQuery{query}})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["F"]
	if r.Error != nil || len(r.Frames) != 1 || r.Frames[0].Rows() != 1 {
		t.Fatalf("findings: %v, %d frames", r.Error, len(r.Frames))
	}
	f := r.Frames[0]
	analyzer, _ := f.FieldByName("analyzer")
	alertField, _ := f.FieldByName("alert")
	var alert incident.Alert
	if err := json.Unmarshal([]byte(alertField.At(0).(string)), &alert); err != nil || analyzer.At(0) != "logwatch" ||
		alert.Name() != incident.WatchNewErrorTemplate || alert.Labels["namespace"] != "order" {
		t.Fatalf("row analyzer %v alert %s: %v", analyzer.At(0), alertField.At(0), err)
	}
}
