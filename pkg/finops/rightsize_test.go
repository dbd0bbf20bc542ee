package finops

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestRightSizeShop(t *testing.T) {
	alloc, err := New(shopQuerier(t), DefaultPricing(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q := Query{Start: winStart, End: winEnd}

	// The shop's usage is constant, so each p95 is the usage itself.
	//  order (two pods): the busiest replica, order-b, uses 0.75 core and
	//    1.5 GiB against 0.5 and 1 GiB requested: production wants 0.75/0.8 =
	//    0.9375 → 938m and 1.5/0.8 GiB = 1920 MiB. It ran 2 h (order-a, on
	//    node-a) + 1 h (order-b, on the spot node-b).
	//  report: 0.1 core and 128 MiB used, 0.25 core and 256 MiB requested;
	//    production wants 125m and 160 MiB; it ran 1 h on node-a.
	//  payment never ran: no recommendation.
	orderCurrent := 1.0*cpuA + 2*ramA + (0.5+11*0.75)/12*cpuB + 1.5*ramB
	orderProjected := 0.938*(2*cpuA+1*cpuB) + 1920.0/1024*(2*ramA+1*ramB)
	reportCurrent := 0.25*cpuA + 0.25*ramA
	reportProjected := 0.125*cpuA + 160.0/1024*ramA

	t.Run("production", func(t *testing.T) {
		rs, err := alloc.RightSize(ctx, q, "")
		if err != nil {
			t.Fatal(err)
		}
		if rs.Profile != ProfileProduction || len(rs.Recommendations) != 2 {
			t.Fatalf("right-sizing = %+v, want production with order and report", rs)
		}
		report, order := rs.Recommendations[0], rs.Recommendations[1]
		if report.Workload != "batch/Job/report" || report.Container != "report" || order.Workload != "shop/Deployment/order" || order.Pods != 2 {
			t.Fatalf("recommendations = %+v, want report (saving) before order (extra cost)", rs.Recommendations)
		}
		near(t, "report cpu p95", report.CPUP95, 0.1)
		near(t, "report cpu request", report.CPURequest, 0.25)
		near(t, "report cpu recommended", report.CPURecommended, 0.125)
		near(t, "report ram recommended", report.RAMRecommended, 160<<20)
		near(t, "report current", report.CurrentCost, reportCurrent)
		near(t, "report projected", report.ProjectedCost, reportProjected)
		near(t, "report saving", report.MonthlySaving, (reportCurrent-reportProjected)/2*730)
		near(t, "order cpu p95", order.CPUP95, 0.75)
		near(t, "order ram p95", order.RAMP95, 1.5*(1<<30))
		near(t, "order cpu recommended", order.CPURecommended, 0.938)
		near(t, "order ram recommended", order.RAMRecommended, 1920<<20)
		near(t, "order saving", order.MonthlySaving, (orderCurrent-orderProjected)/2*730)
		if order.MonthlySaving >= 0 || report.MonthlySaving <= 0 {
			t.Errorf("savings: order %v (want < 0), report %v (want > 0)", order.MonthlySaving, report.MonthlySaving)
		}
		near(t, "total saving", rs.MonthlySaving, report.MonthlySaving)

		findings := rs.Findings(0)
		if len(findings) != 2 {
			t.Fatalf("findings = %+v", findings)
		}
		if f := findings[0]; f.Entity != (incident.Entity{Namespace: "batch", Kind: "Job", Name: "report"}) ||
			f.Severity != incident.SeverityInfo || !strings.Contains(f.Detail, "cpu 125m, memory 160Mi") {
			t.Errorf("report finding = %+v", f)
		}
		if f := findings[1]; f.Category != incident.CategoryResourceExhaustion || !strings.Contains(f.Title, "less than it uses") {
			t.Errorf("order finding = %+v", f)
		}
		if got := rs.Findings(1e6); len(got) != 0 {
			t.Errorf("findings above a million dollars a month = %+v", got)
		}
	})

	t.Run("development keeps more headroom", func(t *testing.T) {
		rs, err := alloc.RightSize(ctx, q, ProfileDevelopment)
		if err != nil {
			t.Fatal(err)
		}
		report := rs.Recommendations[0]
		// 0.1/0.65 = 0.1538 → 154m; 128/0.65 = 196.9 → 197 MiB.
		near(t, "report cpu recommended", report.CPURecommended, 0.154)
		near(t, "report ram recommended", report.RAMRecommended, 197<<20)
	})

	t.Run("filter", func(t *testing.T) {
		rs, err := alloc.RightSize(ctx, Query{Start: winStart, End: winEnd, Filter: Filter{Namespaces: []string{"shop"}}}, ProfileProduction)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs.Recommendations) != 1 || rs.Recommendations[0].Workload != "shop/Deployment/order" {
			t.Errorf("recommendations = %+v, want order only", rs.Recommendations)
		}
	})

	t.Run("unknown profile", func(t *testing.T) {
		if _, err := alloc.RightSize(ctx, Query{Start: winStart, End: winStart.Add(time.Hour)}, "staging"); err == nil {
			t.Error("profile staging accepted")
		}
	})
}

func TestRecommendFloorsAndRounding(t *testing.T) {
	for _, c := range []struct{ p95, target, floor, unit, want float64 }{
		{0, 0.8, minCPUCores, 0.001, 0.010},
		{0.0001, 0.8, minCPUCores, 0.001, 0.010},
		{0.1001, 0.8, minCPUCores, 0.001, 0.126},
		{1 << 20, 0.8, minRAMBytes, 1 << 20, 16 << 20},
		{100 << 20, 0.8, minRAMBytes, 1 << 20, 125 << 20},
	} {
		if got := recommend(c.p95, c.target, c.floor, c.unit); got < c.want-1e-12 || got > c.want+1e-12 {
			t.Errorf("recommend(%v, %v) = %v, want %v", c.p95, c.target, got, c.want)
		}
	}
}
