package engine

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestTwoReplicasInvestigateAWebhookOnce(t *testing.T) {
	shared := filepath.Join(t.TempDir(), "history.db")
	a := alertFor("HighErrorRate")
	a.Fingerprint = "5f1c"
	var claims int
	for range 2 {
		e := openTest(t, config.DefaultSettings(), Options{HistoryPath: shared})
		ex, claimed, err := e.Investigate(context.Background(), Request{Alert: a}, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if claimed {
			claims++
			if ex.ID == "" {
				t.Error("the claiming replica made no explanation")
			}
		}
	}
	if claims != 1 {
		t.Errorf("%d replicas investigated one firing", claims)
	}
	again := a
	again.StartsAt = a.StartsAt.Add(time.Hour)
	e := openTest(t, config.DefaultSettings(), Options{HistoryPath: shared})
	if _, claimed, err := e.Investigate(context.Background(), Request{Alert: again}, time.Minute); err != nil || !claimed {
		t.Errorf("a new firing is a new investigation: claimed %v, %v", claimed, err)
	}
}

func TestTwoReplicasInvestigateAnAlertGroupOnce(t *testing.T) {
	shared := filepath.Join(t.TempDir(), "history.db")
	alerts := []incident.Alert{labelled("HighErrorRate", "deployment", "order"), labelled("HighLatency", "deployment", "payment")}
	var claims int
	for range 2 {
		e := openTest(t, config.DefaultSettings(), Options{HistoryPath: shared})
		out, claimed, err := e.InvestigateAll(context.Background(), alerts, Request{User: "webhook"}, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if claimed {
			claims++
			if len(out) != 2 || out[0].Group == nil || out[0].Group.ID != GroupID(alerts) {
				t.Errorf("the claiming replica explained %d incidents, group %+v", len(out), out)
			}
		}
	}
	if claims != 1 {
		t.Errorf("%d replicas investigated one group", claims)
	}
	e := openTest(t, config.DefaultSettings(), Options{HistoryPath: shared})
	if _, claimed, err := e.InvestigateAll(context.Background(), alerts[:1], Request{}, time.Minute); err != nil || !claimed {
		t.Errorf("another set of alerts is another investigation: claimed %v, %v", claimed, err)
	}
}
