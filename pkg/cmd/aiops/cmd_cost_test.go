package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/finops/finopstest"
	"github.com/cloudobs/aiops-app/pkg/promlocal/promlocaltest"
)

// costCluster: one m5.large node and one pod requesting 1 core and 2 GiB,
// using half, for the two hours of the window.
func costCluster() finopstest.Cluster {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	return finopstest.Cluster{
		Start: t0.Add(-10 * time.Minute), End: t0.Add(130 * time.Minute), Interval: time.Minute,
		Nodes: []finopstest.Node{{Name: "node-a", InstanceType: "m5.large", Region: "us-east-1", Cores: 2, MemBytes: 8 * finopstest.GiB}},
		Pods: []finopstest.Pod{{Namespace: "shop", Name: "cart-1", Node: "node-a", OwnerKind: "StatefulSet", OwnerName: "cart",
			Containers: []finopstest.Container{{Name: "cart", CPURequest: 1, MemRequest: 2 * finopstest.GiB, CPUUsage: 0.5, MemUsage: 1 * finopstest.GiB}}}},
	}
}

func runCostCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"cost"}, args...),
		stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: func(string) string { return "" }})
	return out.String(), errOut.String(), code
}

func TestCostCommand(t *testing.T) {
	srv := promlocaltest.FromOpenMetrics(t, costCluster().WriteFile(t, t.TempDir()))
	window := []string{"--prometheus-url", srv.URL(), "--start", "2026-11-20T10:00:00Z", "--end", "2026-11-20T12:00:00Z"}
	pricing := filepath.Join(t.TempDir(), "pricing.json")
	if err := os.WriteFile(pricing, []byte(`{"cpuPerCoreHour": 0.04, "ramPerGiBHour": 0.005}`), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("json with a pricing file", func(t *testing.T) {
		out, errOut, code := runCostCLI(t, append(window, "--pricing", pricing, "--format", "json")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var res struct {
			Window   struct{ Start, End time.Time }
			Currency string
			Rows     []struct {
				Name                                                               string
				CPUCost, RAMCost, TotalCost, CPUCoreHours, RAMGiBHours, Efficiency float64
			}
			IdleCost, TotalCost, ControlPlaneCost float64
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		if res.Currency != "USD" || len(res.Rows) != 1 || res.Rows[0].Name != "shop" {
			t.Fatalf("result = %+v", res)
		}
		// 2 h × (1 core × 0.04 + 2 GiB × 0.005) = 0.1; usage is half of it.
		r := res.Rows[0]
		closeTo(t, "cpu core-hours", r.CPUCoreHours, 2)
		closeTo(t, "ram GiB-hours", r.RAMGiBHours, 4)
		closeTo(t, "cpu cost", r.CPUCost, 0.08)
		closeTo(t, "total", r.TotalCost, 0.1)
		closeTo(t, "efficiency", r.Efficiency, 0.5)
		// The node: 2 h × (2 × 0.04 + 8 × 0.005) = 0.24, of which 0.14 idle,
		// plus the EKS fee (the kubelet is an EKS build) of 0.2.
		closeTo(t, "idle", res.IdleCost, 0.14)
		closeTo(t, "control plane", res.ControlPlaneCost, 0.2)
		closeTo(t, "total", res.TotalCost, 0.44)
	})

	t.Run("csv", func(t *testing.T) {
		out, errOut, code := runCostCLI(t, append(window, "--pricing", pricing, "--format", "csv", "--by", "workload")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 4 || recs[0][3] != "EffectiveCost" || recs[1][7] != "shop/StatefulSet/cart" || recs[2][7] != "__idle__" {
			t.Fatalf("csv = %q", recs)
		}
		if v, _ := strconv.ParseFloat(recs[1][3], 64); math.Abs(v-0.1) > 1e-9 {
			t.Errorf("EffectiveCost = %s, want 0.1", recs[1][3])
		}
	})

	t.Run("uncompressed answers give the same json", func(t *testing.T) {
		args := append(window, "--pricing", pricing, "--format", "json", "--by", "pod")
		want, errOut, code := runCostCLI(t, args...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		got, errOut, code := runCostCLI(t, append(args, "--uncompressed-answers")...)
		if code != 0 || got != want {
			t.Fatalf("exit %d: %s\n%s\nwant\n%s", code, errOut, got, want)
		}
	})

	t.Run("table with the EKS table price", func(t *testing.T) {
		out, errOut, code := runCostCLI(t, append(window, "--by", "pod")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		// m5.large 0.096 $/h split by OpenCost's ratio k: ram = 0.096/(2k+8).
		k := 0.031611 / 0.004237
		ram := 0.096 / (2*k + 8)
		want := money(2*k*ram + 4*ram)
		if !strings.Contains(out, "shop/cart-1") || !strings.Contains(out, want) || !strings.Contains(out, "total") {
			t.Fatalf("table lacks the pod at %s:\n%s", want, out)
		}
	})
}

func closeTo(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.12f, want %.12f", what, got, want)
	}
}

func TestCostCommandUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no url", nil, 2, "--prometheus-url is required"},
		{"bad format", []string{"--prometheus-url", "http://127.0.0.1:1", "--format", "xml"}, 2, "--format"},
		{"bad by", []string{"--prometheus-url", "http://127.0.0.1:1", "--by", "team"}, 2, "groupBy"},
		{"start and window", []string{"--prometheus-url", "http://127.0.0.1:1", "--start", "2026-11-20T10:00:00Z", "--window", "1h"}, 2, "exclude each other"},
		{"bad window", []string{"--prometheus-url", "http://127.0.0.1:1", "--window", "soon"}, 2, "--window"},
		{"bad url", []string{"--prometheus-url", "ftp://x"}, 2, "--prometheus-url"},
		{"missing pricing", []string{"--prometheus-url", "http://127.0.0.1:1", "--pricing", "/nonexistent.json"}, 1, "open input"},
		{"unreachable", []string{"--prometheus-url", "http://127.0.0.1:1", "--window", "1h"}, 1, "cost queries failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCostCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}

func TestCostRightSizing(t *testing.T) {
	srv := promlocaltest.FromOpenMetrics(t, costCluster().WriteFile(t, t.TempDir()))
	args := []string{"--prometheus-url", srv.URL(), "--start", "2026-11-20T10:00:00Z", "--end", "2026-11-20T12:00:00Z", "--rightsizing"}
	out, errOut, code := runCostCLI(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rs struct {
		Profile         string
		Recommendations []struct {
			Workload, Container           string
			CPURecommended, MonthlySaving float64
			RAMRecommended                float64 `json:"ramRecommendedBytes"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// cart uses 0.5 core and 1 GiB of its 1 core and 2 GiB: production
	// wants 0.5/0.8 = 625m and 1280 Mi.
	if rs.Profile != "production" || len(rs.Recommendations) != 1 {
		t.Fatalf("right-sizing = %+v", rs)
	}
	r := rs.Recommendations[0]
	if r.Workload != "shop/StatefulSet/cart" || math.Abs(r.CPURecommended-0.625) > 1e-9 || r.RAMRecommended != 1280<<20 || r.MonthlySaving <= 0 {
		t.Errorf("recommendation = %+v", r)
	}
	table, errOut, code := runCostCLI(t, append(args, "--profile", "development", "--namespace", "shop")...)
	if code != 0 || !strings.Contains(table, "shop/StatefulSet/cart") || !strings.Contains(table, "profile development (p95 at 65 %") {
		t.Errorf("table (exit %d, %s):\n%s", code, errOut, table)
	}
	if _, _, code := runCostCLI(t, append(args, "--profile", "staging")...); code == 0 {
		t.Error("--profile staging accepted")
	}
}
