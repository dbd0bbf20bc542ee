package datasource

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	sdkds "github.com/grafana/grafana-plugin-sdk-go/backend/datasource"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/finops/finopstest"
	"github.com/cloudobs/aiops-app/pkg/promlocal/promlocaltest"
)

// One node priced at the custom rates (no instance type, not EKS) and two
// namespaces, each with one pod that runs the whole window.
func costFixture() finopstest.Cluster {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	pod := func(ns, name string, cpu, mem float64) finopstest.Pod {
		return finopstest.Pod{Namespace: ns, Name: name + "-1", Node: "node-a", OwnerKind: "StatefulSet", OwnerName: name,
			Labels:     map[string]string{"team": ns + "-team"},
			Containers: []finopstest.Container{{Name: name, CPURequest: cpu, MemRequest: mem, CPUUsage: cpu / 2, MemUsage: mem / 2}}}
	}
	return finopstest.Cluster{
		Start: t0.Add(-10 * time.Minute), End: t0.Add(130 * time.Minute), Interval: time.Minute,
		Nodes: []finopstest.Node{{Name: "node-a", Cores: 4, MemBytes: 16 * finopstest.GiB, KubeletVersion: "v1.30.4"}},
		Pods:  []finopstest.Pod{pod("shop", "cart", 1, 2*finopstest.GiB), pod("batch", "etl", 2, 4*finopstest.GiB)},
	}
}

func TestCostQuery(t *testing.T) {
	srv := promlocaltest.FromOpenMetrics(t, costFixture().WriteFile(t, t.TempDir()))
	if os.Getenv(config.EnvDir) == "" {
		t.Setenv(config.EnvDir, t.TempDir())
	}
	pc := pluginContext()
	pc.DataSourceInstanceSettings.JSONData = json.RawMessage(`{"prometheus":{"url":"` + srv.URL() + `"}}`)
	inst, err := sdkds.NewInstanceManager(NewDatasource).Get(context.Background(), pc)
	if err != nil {
		t.Fatal(err)
	}
	tr := backend.TimeRange{From: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)}
	req := &backend.QueryDataRequest{PluginContext: pc, Queries: []backend.DataQuery{
		{RefID: "ns", QueryType: "cost", TimeRange: tr, JSON: json.RawMessage(`{"groupBy":"namespace","format":"table"}`)},
		{RefID: "team", QueryType: "cost", TimeRange: tr, JSON: json.RawMessage(`{"groupBy":"label:team","filter":{"namespace":"shop"},"format":"timeseries","step":"1h"}`)},
		{RefID: "rs", QueryType: "cost", TimeRange: tr, JSON: json.RawMessage(`{"rightsizing":true,"profile":"development"}`)},
		{RefID: "bad", QueryType: "cost", TimeRange: tr, JSON: json.RawMessage(`{"groupBy":"owner"}`)},
		{RefID: "sel", QueryType: "cost", TimeRange: tr, JSON: json.RawMessage(`{"groupBy":"namespace","selector":"team=batch-team"}`)},
	}}
	resp, err := inst.(*Datasource).QueryData(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"ns", "team", "rs", "sel"} {
		if r := resp.Responses[ref]; r.Error != nil {
			t.Fatalf("%s: %v", ref, r.Error)
		}
	}
	// Custom rates over 2 h: shop 1 core and 2 GiB, batch 2 cores and 4 GiB;
	// idle the rest of 4 cores and 16 GiB. No EKS, no control plane.
	rate := func(cores, gib float64) float64 { return 2 * (cores*0.031611 + gib*0.004237) }
	want := map[string]float64{"batch": rate(2, 4), "shop": rate(1, 2), "__idle__": rate(1, 10)}
	frame := resp.Responses["ns"].Frames[0]
	if frame.Rows() != len(want) {
		t.Fatalf("table has %d rows, want %d", frame.Rows(), len(want))
	}
	for i := range frame.Rows() {
		name := frame.Fields[0].At(i).(string)
		total := frame.Fields[3].At(i).(float64)
		if math.Abs(total-want[name]) > 1e-9 {
			t.Errorf("%s total = %v, want %v", name, total, want[name])
		}
	}

	series := resp.Responses["team"].Frames
	if len(series) != 2 || series[0].Fields[1].Labels["label:team"] != "shop-team" || series[0].Rows() != 2 {
		t.Fatalf("team series = %+v", series)
	}
	if got := series[0].Fields[1].At(0).(float64); math.Abs(got-rate(1, 2)/2) > 1e-9 {
		t.Errorf("shop-team first hour = %v, want %v", got, rate(1, 2)/2)
	}

	rs := resp.Responses["rs"].Frames[0]
	// etl uses 1 core of its 2: development wants 1/0.65 → 1.539 cores.
	if rs.Rows() != 2 || rs.Fields[0].At(0).(string) != "batch/StatefulSet/etl" || math.Abs(rs.Fields[5].At(0).(float64)-1.539) > 1e-9 {
		t.Errorf("right-sizing frame rows %d, first %v %v", rs.Rows(), rs.Fields[0].At(0), rs.Fields[5].At(0))
	}

	// The editor's selector filters by pod label: batch, and no shop row.
	sel := resp.Responses["sel"].Frames[0]
	for i := range sel.Rows() {
		if name := sel.Fields[0].At(i).(string); name == "shop" {
			t.Errorf("selector team=batch-team kept the shop row")
		}
	}
	if sel.Rows() == 0 || sel.Fields[0].At(0).(string) != "batch" {
		t.Errorf("selector team=batch-team: first row is not batch (%d rows)", sel.Rows())
	}

	if bad := resp.Responses["bad"]; bad.Error == nil || bad.Status != backend.StatusBadRequest {
		t.Errorf("groupBy owner: %+v", bad)
	}
}
