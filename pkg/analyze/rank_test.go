package analyze

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func finding(cat incident.Category, e incident.Entity, conf float64, onset time.Duration) incident.Finding {
	return incident.Finding{Category: cat, Entity: e, Confidence: conf, Onset: at(onset),
		Severity: incident.SeverityWarning, Title: string(cat) + " on " + e.Name}
}

func TestRank(t *testing.T) {
	orderPodEntity := incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}
	payment := incident.Entity{Namespace: "shop", Kind: incident.KindService, Name: "payment"}
	other := incident.Entity{Namespace: "billing", Kind: incident.KindDeployment, Name: "invoices"}
	tests := []struct {
		name     string
		findings []incident.Finding
		wantCat  incident.Category
		wantEnt  incident.Entity
		first    incident.Category
	}{
		{"OOM explains the crash loop even when the loop looks stronger", []incident.Finding{
			finding(incident.CategoryCrashLoop, deployOrder, 0.85, -5*time.Minute),
			finding(incident.CategoryOOMKilled, orderPodEntity, 0.8, -5*time.Minute),
		}, incident.CategoryOOMKilled, orderPodEntity, incident.CategoryOOMKilled},
		{"failing dependency explains readiness failures", []incident.Finding{
			finding(incident.CategoryProbeFailure, deployOrder, 0.6, -2*time.Minute),
			finding(incident.CategoryDependencyFailure, payment, 0.6, -3*time.Minute),
		}, incident.CategoryDependencyFailure, payment, incident.CategoryDependencyFailure},
		{"two independent problems: the stronger wins", []incident.Finding{
			finding(incident.CategoryCPUThrottling, deployOrder, 0.5, -2*time.Minute),
			finding(incident.CategoryImagePull, deployOrder, 0.9, -2*time.Minute),
		}, incident.CategoryImagePull, deployOrder, incident.CategoryImagePull},
		{"a problem in another namespace is a red herring", []incident.Finding{
			finding(incident.CategoryCrashLoop, other, 0.8, -2*time.Minute),
			finding(incident.CategoryProbeFailure, deployOrder, 0.6, -2*time.Minute),
		}, incident.CategoryProbeFailure, deployOrder, incident.CategoryProbeFailure},
		{"a problem that began long after the alert loses", []incident.Finding{
			finding(incident.CategoryCPUThrottling, deployOrder, 0.62, 40*time.Minute),
			finding(incident.CategoryProbeFailure, deployOrder, 0.6, -2*time.Minute),
		}, incident.CategoryProbeFailure, deployOrder, incident.CategoryProbeFailure},
		{"nothing found is Unknown", nil, incident.CategoryUnknown, deployOrder, ""},
		{"only weak signals is Unknown", []incident.Finding{
			finding(incident.CategoryCPUThrottling, other, 0.3, -2*time.Minute),
		}, incident.CategoryUnknown, deployOrder, incident.CategoryCPUThrottling},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBundle(orderPod("order-1", healthy()))
			root, ranked := Rank(b, tt.findings)
			if root.Category != tt.wantCat || root.Entity != tt.wantEnt {
				t.Fatalf("root = %s %v, want %s %v", root.Category, root.Entity, tt.wantCat, tt.wantEnt)
			}
			if len(ranked) != len(tt.findings) {
				t.Fatalf("ranked %d findings, want %d", len(ranked), len(tt.findings))
			}
			for i, f := range ranked {
				if want := "f" + string(rune('1'+i)); f.ID != want {
					t.Errorf("finding %d has id %q, want %q", i, f.ID, want)
				}
			}
			if tt.first != "" && ranked[0].Category != tt.first {
				t.Errorf("first finding %s, want %s", ranked[0].Category, tt.first)
			}
			if root.Confidence <= 0 || root.Confidence > maxConfidence {
				t.Errorf("confidence %v out of (0, %v]", root.Confidence, maxConfidence)
			}
			if root.Description == "" {
				t.Error("empty description")
			}
		})
	}
}

func TestRankUnknownSaysWhatIsMissing(t *testing.T) {
	tests := []struct {
		name   string
		bundle *incident.Bundle
		words  []string
	}{
		{"nothing collected", &incident.Bundle{Alert: incident.Alert{StartsAt: t0},
			Degraded: []incident.Degraded{{Source: "kubernetes", Error: "forbidden"}}},
			[]string{"no Kubernetes evidence", "no logs", "no metrics", "kubernetes unavailable (forbidden)"}},
		{"healthy pods and no logs", newBundle(orderPod("order-1", healthy())),
			[]string{"look healthy", "flapping", "no logs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, _ := Rank(tt.bundle, nil)
			if root.Category != incident.CategoryUnknown {
				t.Fatalf("category %s, want Unknown", root.Category)
			}
			for _, w := range tt.words {
				if !strings.Contains(root.Description, w) {
					t.Errorf("description %q lacks %q", root.Description, w)
				}
			}
		})
	}
}
