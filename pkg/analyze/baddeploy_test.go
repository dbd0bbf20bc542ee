package analyze

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// newRevisionCrash is an alert on the one crash-looping pod of revision 23,
// rolled out minutes ago, whose last words are lines; revision 22's
// ReplicaSet keeps its replicas ready (its pods were not examined).
func newRevisionCrash(oldReady int32, lines ...string) *incident.Bundle {
	p := orderPod("order-5c8d7f9b4-k2j4h", crashed("Error", 1, 4))
	p.ReplicaSet = "order-5c8d7f9b4"
	p.StartTime = at(-12 * time.Minute)
	b := newBundle(p)
	b.Rollouts = []incident.Rollout{
		{Owner: deployOrder, Name: "order-6b9f4c7d8", Revision: 22, Images: []string{"shop/order:4.1.0"}, CreatedAt: at(-21 * 24 * time.Hour), Replicas: 3, Ready: oldReady},
		{Owner: deployOrder, Name: "order-5c8d7f9b4", Revision: 23, Images: []string{"shop/order:4.2.0"}, CreatedAt: at(-12 * time.Minute), Replicas: 1},
	}
	var ls []incident.LogLine
	for _, l := range lines {
		ls = append(ls, incident.LogLine{Time: at(-2 * time.Minute), Text: l})
	}
	b.Logs = []incident.LogStream{{Namespace: "shop", Pod: p.Name, Container: "order", Previous: true, Lines: ls}}
	return b
}

// A new revision that cannot start against the schema it expects (its
// migration failed or never ran) is the rollout's fault, not a crash loop
// of unknown cause: the rank must put the bad deploy first.
func TestFailingNewRevisionIsABadDeploy(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
	}{
		{"Rails, a column the migration should have added", []string{
			`E, [2026-11-20T09:58:01.331 #1] ERROR -- : PG::UndefinedColumn: ERROR:  column orders.fulfilment_region does not exist`,
			`/usr/local/bundle/gems/activerecord-7.1.3/lib/active_record/connection_adapters/postgresql_adapter.rb:894:in 'exec_params'`}},
		{"Flyway refuses to start on a failed migration", []string{
			`2026-11-20 09:58:01.512 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed`,
			`org.flywaydb.core.api.exception.FlywayValidateException: Validate failed: Migrations have failed validation. Detected failed migration to version 42 (add order region).`}},
		{"nginx rejects the rendered config", []string{
			`2026/11/20 09:58:01 [emerg] 1#1: unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:17`,
			`nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:17`}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := newRevisionCrash(3, tt.lines...)
			b.AssignIDs()
			root, _ := Rank(b, Run(b))
			if root.Category != incident.CategoryBadDeploy || root.Entity != deployOrder {
				t.Fatalf("root = %s on %v, want BadDeploy on the Deployment: %s", root.Category, root.Entity, root.Description)
			}
		})
	}
}

// The same crash with the old revision's replicas not ready either is not
// shown to start with the new revision: the finding must not claim the old
// one is healthy.
func TestOldRevisionNotReadyIsNotCalledHealthy(t *testing.T) {
	b := newRevisionCrash(1, `PG::UndefinedColumn: ERROR:  column orders.fulfilment_region does not exist`)
	got := analyzeOne(badDeploy{}, b)
	if len(got) != 1 {
		t.Fatalf("want the rollout finding (its new pod fails right after it), got %+v", got)
	}
	if strings.Contains(got[0].Detail, "stay ready") {
		t.Errorf("an old revision with 1 of 3 ready was called ready: %s", got[0].Detail)
	}
	b = newRevisionCrash(3, `PG::UndefinedColumn: ERROR:  column orders.fulfilment_region does not exist`)
	if got := analyzeOne(badDeploy{}, b); len(got) != 1 || !strings.Contains(got[0].Detail, "old revision's 3 replicas stay ready") {
		t.Errorf("the old revision's ready replicas are not said: %+v", got)
	}
}

// A new revision that references a Secret nobody created is that Secret's
// problem, and a config error on both revisions is not the rollout's.
func TestConfigErrorsTheRolloutDidNotBring(t *testing.T) {
	t.Run("a missing Secret referenced by the new revision", func(t *testing.T) {
		b := newRevisionCrash(3)
		b.Pods[0].Containers[0] = waiting("CreateContainerConfigError", `secret "order-db-v2" not found`)
		b.Events = []incident.Event{podEvent(b.Pods[0].Name, "Failed", `Error: secret "order-db-v2" not found`, 6, -11*time.Minute, 0)}
		b.AssignIDs()
		if root, _ := Rank(b, Run(b)); root.Category != incident.CategoryConfigError {
			t.Fatalf("root = %s, want ConfigError: %s", root.Category, root.Description)
		}
	})
	t.Run("the old revision's replicas are not ready either", func(t *testing.T) {
		b := newRevisionCrash(0, `2026/11/20 09:58:01 [emerg] 1#1: unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:17`)
		b.AssignIDs()
		if root, _ := Rank(b, Run(b)); root.Category != incident.CategoryConfigError {
			t.Fatalf("root = %s, want ConfigError: %s", root.Category, root.Description)
		}
	})
}
