package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store"
)

func labelled(name string, labels ...string) incident.Alert {
	a := alertFor(name)
	for i := 0; i+1 < len(labels); i += 2 {
		a.Labels[labels[i]] = labels[i+1]
	}
	return a
}

func cause(cat incident.Category, kind, namespace, name string) incident.RootCause {
	return incident.RootCause{Category: cat, Entity: incident.Entity{Kind: kind, Namespace: namespace, Name: name}}
}

func TestGroupByTarget(t *testing.T) {
	alerts := []incident.Alert{
		labelled("HighErrorRate", "deployment", "order"),
		labelled("HighLatency", "deployment", "payment"),
		labelled("PodCrashLooping", "deployment", "order", "pod", "order-1"),
		labelled("HighErrorRate", "deployment", "order", "namespace", "staging"),
	}
	groups := GroupByTarget(alerts)
	var sizes []int
	for _, g := range groups {
		sizes = append(sizes, len(g))
	}
	if len(groups) != 3 || groups[0][1].Name() != "PodCrashLooping" || sizes[1] != 1 || sizes[2] != 1 {
		t.Errorf("groups of sizes %v", sizes)
	}
}

func TestIncidentsOfAGroup(t *testing.T) {
	order := labelled("OrderErrors", "deployment", "order")
	payment := labelled("PaymentDown", "deployment", "payment")
	frontend := labelled("FrontendErrors", "deployment", "frontend")
	tests := []struct {
		name    string
		alerts  []incident.Alert
		causes  []incident.RootCause // one per target, in the order targets first come
		members [][]int
		primary []int
	}{
		{"alerts on one target are one incident",
			[]incident.Alert{order, labelled("PodCrashLooping", "deployment", "order")},
			[]incident.RootCause{cause(incident.CategoryCrashLoop, incident.KindDeployment, "shop", "order")},
			[][]int{{0}}, []int{0}},
		{"a failing dependency is the incident of the alerts it causes",
			[]incident.Alert{order, payment},
			[]incident.RootCause{
				cause(incident.CategoryDependencyFailure, incident.KindService, "shop", "payment"),
				cause(incident.CategoryOOMKilled, incident.KindDeployment, "shop", "payment"),
			},
			[][]int{{0, 1}}, []int{1}},
		{"the dependency's alert came first",
			[]incident.Alert{payment, order},
			[]incident.RootCause{
				cause(incident.CategoryOOMKilled, incident.KindDeployment, "shop", "payment"),
				cause(incident.CategoryDependencyFailure, incident.KindService, "shop", "payment"),
			},
			[][]int{{0, 1}}, []int{0}},
		{"a chain of dependencies ends at its deepest cause",
			[]incident.Alert{frontend, order, payment},
			[]incident.RootCause{
				cause(incident.CategoryDependencyFailure, incident.KindService, "shop", "order"),
				cause(incident.CategoryDependencyFailure, incident.KindService, "shop", "payment"),
				cause(incident.CategoryOOMKilled, incident.KindPod, "shop", "payment-7d9f8c6b5-x2x4z"),
			},
			[][]int{{0, 1, 2}}, []int{2}},
		{"the same cause seen from two targets",
			[]incident.Alert{order, frontend},
			[]incident.RootCause{
				cause(incident.CategoryNodePressure, incident.KindNode, "", "node-1"),
				cause(incident.CategoryNodePressure, incident.KindNode, "", "node-1"),
			},
			[][]int{{0, 1}}, []int{0}},
		{"a node alert is the cause its pods' alerts name",
			[]incident.Alert{order, labelled("KubeNodeNotReady", "node", "node-1", "namespace", "")},
			[]incident.RootCause{cause(incident.CategoryNodePressure, incident.KindNode, "", "node-1"), {}},
			[][]int{{0, 1}}, []int{1}},
		{"different causes are different incidents",
			[]incident.Alert{order, payment},
			[]incident.RootCause{
				cause(incident.CategoryOOMKilled, incident.KindDeployment, "shop", "order"),
				cause(incident.CategoryCrashLoop, incident.KindDeployment, "shop", "payment"),
			},
			[][]int{{0}, {1}}, []int{0, 1}},
		{"Unknown links nothing, even on the same entity",
			[]incident.Alert{order, payment},
			[]incident.RootCause{
				cause(incident.CategoryUnknown, incident.KindDeployment, "shop", "order"),
				cause(incident.CategoryUnknown, incident.KindDeployment, "shop", "order"),
			},
			[][]int{{0}, {1}}, []int{0, 1}},
		{"a dependency of the same name in another namespace is not the target",
			[]incident.Alert{order, payment},
			[]incident.RootCause{cause(incident.CategoryDependencyFailure, incident.KindService, "staging", "payment"), {}},
			[][]int{{0}, {1}}, []int{0, 1}},
		{"a pod of the workload the cause names",
			[]incident.Alert{order, labelled("PodNotReady", "pod", "payment-7d9f8c6b5-x2x4z")},
			[]incident.RootCause{cause(incident.CategoryDependencyFailure, incident.KindDeployment, "shop", "payment"), {}},
			[][]int{{0, 1}}, []int{1}},
		{"a pod of another workload whose name starts the same",
			[]incident.Alert{order, labelled("PodNotReady", "pod", "payment-gateway-7d9f8c6b5-x2x4z")},
			[]incident.RootCause{cause(incident.CategoryDependencyFailure, incident.KindDeployment, "shop", "payment"), {}},
			[][]int{{0}, {1}}, []int{0, 1}},
		{"an external dependency named like an alert's service",
			[]incident.Alert{order, labelled("ProbeFailed", "service", "payments.example.com", "namespace", "blackbox")},
			[]incident.RootCause{cause(incident.CategoryDependencyFailure, incident.KindExternal, "", "payments.example.com"), {}},
			[][]int{{0, 1}}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGrouping(GroupByTarget(tt.alerts), tt.causes)
			var members [][]int
			var primary []int
			for _, p := range g.plans {
				members = append(members, p.members)
				primary = append(primary, p.primary)
			}
			if !slices.EqualFunc(members, tt.members, slices.Equal) || !slices.Equal(primary, tt.primary) {
				t.Errorf("incidents %v with primaries %v, want %v with %v", members, primary, tt.members, tt.primary)
			}
		})
	}
}

func TestTheGroupSaysWhichAlertsShareTheCause(t *testing.T) {
	alerts := []incident.Alert{
		labelled("OrderErrors", "deployment", "order", "severity", "critical"),
		labelled("PaymentDown", "deployment", "payment"),
		labelled("OrderLatency", "deployment", "order"),
		labelled("CartSlow", "deployment", "cart"),
	}
	g := newGrouping(GroupByTarget(alerts), []incident.RootCause{
		cause(incident.CategoryDependencyFailure, incident.KindService, "shop", "payment"),
		cause(incident.CategoryOOMKilled, incident.KindDeployment, "shop", "payment"),
		cause(incident.CategoryCPUThrottling, incident.KindDeployment, "shop", "cart"),
	})
	group := g.describe("grp_0123456789abcdef", 0, []string{"ex_payment", "ex_cart"})
	type row struct {
		name, target, labels string
		shares               bool
		reason, explanation  string
	}
	want := []row{
		{"OrderErrors", "shop/deployment=order", "namespace=shop, deployment=order, severity=critical", true,
			"the analyzers trace it to Service/shop/payment, the object PaymentDown fired on", "ex_payment"},
		{"OrderLatency", "shop/deployment=order", "namespace=shop, deployment=order", true,
			"fired on the same target as OrderErrors", "ex_payment"},
		{"PaymentDown", "shop/deployment=payment", "namespace=shop, deployment=payment", true,
			"the alert this explanation is about", "ex_payment"},
		{"CartSlow", "shop/deployment=cart", "namespace=shop, deployment=cart", false,
			"explained apart: the analyzers find another cause, CPUThrottling of Deployment/shop/cart", "ex_cart"},
	}
	if group.ID != "grp_0123456789abcdef" || len(group.Alerts) != len(want) {
		t.Fatalf("group %+v", group)
	}
	for i, m := range group.Alerts {
		got := row{m.Name, m.Target, m.Labels, m.SharesCause, m.Reason, m.ExplanationID}
		if got != want[i] || len(m.Fingerprint) != 16 {
			t.Errorf("alert %d is\n %+v, want\n %+v (fingerprint %q)", i, got, want[i], m.Fingerprint)
		}
	}
	cart := g.describe("grp_0123456789abcdef", 1, []string{"ex_payment", "ex_cart"})
	if cart.Alerts[0].SharesCause || !cart.Alerts[3].SharesCause ||
		cart.Alerts[0].Reason != "explained apart: the analyzers find another cause, DependencyFailure of Service/shop/payment" {
		t.Errorf("the cart incident's view of the group: %+v", cart.Alerts)
	}
}

func TestGroupIDNamesTheAlertsNotTheirOrder(t *testing.T) {
	a, b := labelled("A", "deployment", "order"), labelled("B", "deployment", "payment")
	later := b
	later.StartsAt = t0.Add(time.Hour)
	id := GroupID([]incident.Alert{a, b})
	if !ValidGroupID(id) || GroupID([]incident.Alert{b, a}) != id {
		t.Errorf("the id %q depends on the alerts' order", id)
	}
	if GroupID([]incident.Alert{a, later}) == id || GroupID([]incident.Alert{a}) == id {
		t.Error("another firing or another set of alerts has the same id")
	}
	for _, bad := range []string{"", "grp_", "grp_0123456789ABCDEF", "grp_0123456789abcdef0", "ex_0123456789abcdef", "grp_0123456789abcde'"} {
		if ValidGroupID(bad) {
			t.Errorf("%q passes as a group id", bad)
		}
	}
}

func TestExplainAllNeverDropsAnAlert(t *testing.T) {
	e := openTest(t, config.DefaultSettings(), Options{})
	ctx := context.Background()
	alerts := []incident.Alert{
		labelled("HighErrorRate", "deployment", "order"),
		labelled("HighLatency", "deployment", "payment"),
		labelled("PodCrashLooping", "deployment", "order"),
	}
	out, err := e.ExplainAll(ctx, alerts, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Alert.Name() != "HighErrorRate" || out[1].Alert.Name() != "HighLatency" {
		t.Fatalf("%d explanations", len(out))
	}
	if !strings.Contains(strings.Join(out[0].Notes, " "), "one incident with PodCrashLooping; 1 other alert of the group is explained apart") {
		t.Errorf("the grouped alert is not named: %v", out[0].Notes)
	}
	id := GroupID(alerts)
	for i, ex := range out {
		if ex.Group == nil || ex.Group.ID != id || len(ex.Group.Alerts) != 3 {
			t.Fatalf("explanation %d has the group %+v", i, ex.Group)
		}
	}
	var shares []bool
	for _, m := range out[1].Group.Alerts {
		shares = append(shares, m.SharesCause)
	}
	if !slices.Equal(shares, []bool{false, false, true}) || out[1].Group.Alerts[0].ExplanationID != out[0].ID {
		t.Errorf("the payment explanation's group: %+v", out[1].Group.Alerts)
	}
	st, err := e.Store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs, total, err := st.List(ctx, store.Filter{Group: id})
	if err != nil || total != 2 || recs[0].Explanation.Group == nil {
		t.Fatalf("history of the group: %d records, total %d, %v", len(recs), total, err)
	}
	many := make([]incident.Alert, MaxGroupAlerts+1)
	for i := range many {
		many[i] = alertFor("X")
	}
	if _, err := e.ExplainAll(ctx, many, Request{}); err == nil {
		t.Error("an unbounded group was accepted")
	}
}

func TestJoinGroupNotesOnceAndKeepsTheGroup(t *testing.T) {
	e := openTest(t, config.DefaultSettings(), Options{})
	ctx := context.Background()
	alerts := []incident.Alert{labelled("HighErrorRate", "deployment", "order"), labelled("PodCrashLooping", "deployment", "order")}
	var ex incident.Explanation
	for range 2 {
		var err error
		ex, err = e.Explain(ctx, Request{Alert: alerts[0], User: "ana"})
		if err != nil {
			t.Fatal(err)
		}
		e.JoinGroup(ctx, &ex, alerts, "ana")
	}
	notes := 0
	for _, n := range ex.Notes {
		if strings.HasPrefix(n, groupNote) {
			notes++
		}
	}
	if notes != 1 || ex.Group == nil || !ex.Group.Alerts[1].SharesCause {
		t.Fatalf("notes %v, group %+v", ex.Notes, ex.Group)
	}
	st, _ := e.Store(ctx)
	rec, err := st.Get(ctx, ex.ID)
	if err != nil || rec.Explanation.Group == nil || rec.Explanation.Group.ID != GroupID(alerts) || rec.User != "ana" || rec.CacheKey == "" {
		t.Errorf("stored %+v, %v", rec, err)
	}
}

func TestEveryLinkHasItsReason(t *testing.T) {
	alerts := []incident.Alert{
		labelled("OrderErrors", "deployment", "order"),
		labelled("PaymentDown", "deployment", "payment"),
		labelled("PaymentProbe", "service", "payment"),
		labelled("CartErrors", "deployment", "cart"),
	}
	payment := cause(incident.CategoryDependencyFailure, incident.KindService, "shop", "payment")
	g := newGrouping(GroupByTarget(alerts), []incident.RootCause{payment, {}, {}, payment})
	if len(g.plans) != 1 || g.plans[0].primary != 1 {
		t.Fatalf("plans %+v", g.plans)
	}
	want := []string{
		"the analyzers trace it to Service/shop/payment, the object PaymentDown fired on",
		"the alert this explanation is about",
		"the analyzers trace OrderErrors to this alert's target (DependencyFailure of Service/shop/payment)",
		"the analyzers trace it to Service/shop/payment, the object PaymentDown fired on",
	}
	for i, m := range g.describe("grp_0123456789abcdef", 0, []string{"ex_1"}).Alerts {
		if !m.SharesCause || m.Reason != want[i] {
			t.Errorf("%s: %q, want %q", m.Name, m.Reason, want[i])
		}
	}
	// Without the alerts on payment, the two that blame it share a cause.
	g = newGrouping(GroupByTarget([]incident.Alert{alerts[0], alerts[3]}), []incident.RootCause{payment, payment})
	if got := g.describe("grp_0123456789abcdef", 0, []string{"ex_1"}).Alerts[1].Reason; got !=
		"the analyzers find the same cause as for OrderErrors: DependencyFailure of Service/shop/payment" {
		t.Errorf("same cause: %q", got)
	}
}
