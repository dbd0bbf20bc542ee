package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// storeBundle is a client in shop whose store's member db-1 in namespace
// store reports a full disk in its own logs.
func storeBundle(claims ...string) *incident.Bundle {
	b := newBundle(orderPod("order-1", healthy()))
	b.Templates = []incident.LogTemplate{{
		TemplateID: "t1", Pattern: "FATAL could not write to file pg_wal/xlogtemp.42: No space left on device", Level: "error",
		Count: 3, FirstSeen: at(-2 * time.Minute), LastSeen: at(time.Minute),
		Examples: []string{"FATAL could not write to file pg_wal/xlogtemp.42: No space left on device"},
		Sources:  []string{"store/db-1/postgres"},
	}}
	for _, c := range claims {
		b.Claims = append(b.Claims, incident.ClaimState{Namespace: "store", Name: c, Phase: "Bound"})
	}
	return b
}

// The full disk a dependency's own pod reports is blamed on the claim the
// StatefulSet made for that pod, among the claims read.
func TestFullDiskOfDependencyMemberBlamesItsClaim(t *testing.T) {
	fs := exhaustion{}.Analyze(storeBundle("data-db-0", "data-db-1", "data-db-10"))
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	if want := (incident.Entity{Namespace: "store", Kind: incident.KindPVC, Name: "data-db-1"}); fs[0].Entity != want {
		t.Errorf("entity = %v, want %v", fs[0].Entity, want)
	}
}

// No claim made for the pod: none is guessed.
func TestFullDiskOfDependencyMemberWithoutItsClaim(t *testing.T) {
	fs := exhaustion{}.Analyze(storeBundle("data-db-0", "data-db-10"))
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	if fs[0].Entity.Kind == incident.KindPVC {
		t.Errorf("entity = %v, want no claim", fs[0].Entity)
	}
}

// A full claim behind a dependency explains that dependency's failure and
// is the root, though it lives in another namespace; a failure of an
// external host is not its doing.
func TestDependencyClaimFullExplainsDependencyFailure(t *testing.T) {
	b := storeBundle("data-db-1")
	full := incident.Finding{Category: incident.CategoryResourceExhaustion, Severity: incident.SeverityCritical,
		Entity: incident.Entity{Namespace: "store", Kind: incident.KindPVC, Name: "data-db-1"}, Confidence: 0.75, Onset: at(20 * time.Minute)}
	dep := incident.Finding{Category: incident.CategoryDependencyFailure, Severity: incident.SeverityCritical,
		Entity: incident.Entity{Namespace: "store", Kind: incident.KindService, Name: "db"}, Confidence: 0.8, Onset: at(-time.Minute)}
	root, _ := Rank(b, []incident.Finding{dep, full})
	if root.Entity != full.Entity {
		t.Errorf("root = %v, want the dependency's full claim", root.Entity)
	}
	external := dep
	external.Entity = incident.Entity{Kind: incident.KindExternal, Name: "db.example.com"}
	if explainsFinding(b, full, external) {
		t.Error("a full claim explains an external host's failure")
	}
}

// The words a structured line's display leaves out are quoted apart; a
// plain line shows them already.
func TestHiddenMatch(t *testing.T) {
	re := exhaustionKinds[0].re
	nested := `{"s":"E","msg":"storage error","attr":{"error":28,"message":"write: No space left on device"}}`
	if got := hiddenMatch(nested, re); got != ` ("No space left on device")` {
		t.Errorf("nested: %q", got)
	}
	if got := hiddenMatch("write failed: No space left on device", re); got != "" {
		t.Errorf("plain: %q", got)
	}
}
