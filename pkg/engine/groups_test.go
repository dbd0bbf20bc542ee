package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

func labelled(name string, labels ...string) incident.Alert {
	a := alertFor(name)
	for i := 0; i+1 < len(labels); i += 2 {
		a.Labels[labels[i]] = labels[i+1]
	}
	return a
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

func TestExplainAllNeverDropsAnAlert(t *testing.T) {
	e := openTest(t, config.DefaultSettings(), Options{})
	out, err := e.ExplainAll(context.Background(), []incident.Alert{
		labelled("HighErrorRate", "deployment", "order"),
		labelled("HighLatency", "deployment", "payment"),
		labelled("PodCrashLooping", "deployment", "order"),
	}, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Alert.Name() != "HighErrorRate" || out[1].Alert.Name() != "HighLatency" {
		t.Fatalf("%d explanations", len(out))
	}
	if !strings.Contains(strings.Join(out[0].Notes, " "), "one incident with PodCrashLooping") {
		t.Errorf("the grouped alert is not named: %v", out[0].Notes)
	}
	many := make([]incident.Alert, maxGroupAlerts+1)
	for i := range many {
		many[i] = alertFor("X")
	}
	if _, err := e.ExplainAll(context.Background(), many, Request{}); err == nil {
		t.Error("an unbounded group was accepted")
	}
}
