package analyze

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestOffline(t *testing.T) {
	oom := newBundle(orderPod("order-1", crashed("OOMKilled", 137, 5)), orderPod("order-2", crashed("OOMKilled", 137, 4)))
	oom.Events = []incident.Event{podEvent("order-1", "BackOff", "Back-off restarting failed container order in pod order-1", 7, -5*time.Minute, 0)}
	oom.Degraded = []incident.Degraded{{Source: "prometheus", Error: "connection refused"}}
	oom.Notes = []string{"examined 2 of 2 pods"}

	empty := &incident.Bundle{Alert: incident.Alert{Labels: map[string]string{"alertname": "Flappy"}, StartsAt: t0}, Now: t0}

	tests := []struct {
		name   string
		bundle *incident.Bundle
		cat    incident.Category
		words  []string
	}{
		{"OOM killed workload", oom, incident.CategoryOOMKilled, []string{"order", "OOMKilled", "CrashLoop"}},
		{"nothing to go on", empty, incident.CategoryUnknown, []string{"no root cause", "no logs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.bundle.AssignIDs()
			ex := Offline(tt.bundle)
			if ex.RootCause.Category != tt.cat || !ex.RootCause.Category.Valid() {
				t.Fatalf("category %s, want %s", ex.RootCause.Category, tt.cat)
			}
			for _, w := range tt.words {
				if !strings.Contains(ex.Summary+" "+ex.RootCause.Description, w) {
					t.Errorf("summary/description lack %q: %s | %s", w, ex.Summary, ex.RootCause.Description)
				}
			}
			if ex.Provider.Name != "offline" || !ex.CreatedAt.Equal(tt.bundle.Now) || ex.Fingerprint != tt.bundle.Alert.Fingerprint {
				t.Errorf("provider/createdAt/fingerprint wrong: %+v %v %q", ex.Provider, ex.CreatedAt, ex.Fingerprint)
			}
			if len(ex.Degraded) != len(tt.bundle.Degraded) || len(ex.Notes) < len(tt.bundle.Notes) {
				t.Errorf("degraded/notes not copied: %+v %+v", ex.Degraded, ex.Notes)
			}
			cited := map[string]bool{}
			for _, e := range ex.Evidence {
				cited[e.ID] = true
			}
			for _, f := range ex.Findings {
				for _, id := range f.Evidence {
					if !cited[id] {
						t.Errorf("finding %s cites %s, absent from the explanation's evidence", f.ID, id)
					}
				}
			}
			if len(ex.NextSteps) == 0 {
				t.Fatal("no next steps")
			}
			name := ex.RootCause.Entity.Name
			mentioned := false
			for _, s := range ex.NextSteps {
				if s.Text == "" {
					t.Error("next step without text")
				}
				if name != "" && strings.Contains(s.Command, name) {
					mentioned = true
				}
			}
			if name != "" && !mentioned {
				t.Errorf("no next step command mentions %q: %+v", name, ex.NextSteps)
			}
			raw, err := json.Marshal(ex)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(raw), `"findings":[`) || !strings.Contains(string(raw), `"nextSteps":[`) {
				t.Errorf("findings or nextSteps not JSON arrays: %s", raw)
			}
		})
	}
}

func TestNextStepsMentionTheEntity(t *testing.T) {
	b := newBundle(orderPod("order-1", healthy()))
	entities := map[incident.Category]incident.Entity{
		incident.CategoryNodePressure:       {Kind: incident.KindNode, Name: "ip-10-0-1-7"},
		incident.CategoryDependencyFailure:  {Namespace: "shop", Kind: incident.KindService, Name: "payment"},
		incident.CategoryDNSFailure:         {Kind: incident.KindExternal, Name: "db.example.com"},
		incident.CategoryTLSFailure:         {Kind: incident.KindExternal, Name: "api.partner.example"},
		incident.CategoryResourceExhaustion: {Namespace: "shop", Kind: incident.KindPVC, Name: "data-db-0"},
		incident.CategoryJobFailure:         {Namespace: "shop", Kind: incident.KindJob, Name: "nightly-report"},
	}
	for _, c := range incident.Categories() {
		e, ok := entities[c]
		if !ok {
			e = deployOrder
		}
		steps := NextSteps(b, incident.RootCause{Category: c, Entity: e})
		if len(steps) < 2 {
			t.Errorf("%s: only %d steps", c, len(steps))
			continue
		}
		found := false
		for _, s := range steps {
			if strings.Contains(s.Command, e.Name) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no command names %s: %+v", c, e.Name, steps)
		}
	}
}
