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

// TestOfflineRanksAcrossAnalyzers runs every analyzer on bundles where a
// cause, its symptoms and some noise meet, and checks the root cause.
func TestOfflineRanksAcrossAnalyzers(t *testing.T) {
	payment := incident.Entity{Namespace: "shop", Kind: incident.KindService, Name: "payment-service"}
	tests := []struct {
		name   string
		bundle func() *incident.Bundle
		cat    incident.Category
		entity incident.Entity
	}{
		{"old noisy warnings do not beat a hung app's liveness failures", func() *incident.Bundle {
			c := crashed("Error", 137, 6)
			b := newBundle(orderPod("order-1", c))
			b.Templates = []incident.LogTemplate{
				template("order-1", `WARN cache refresh failed: dial tcp 10.0.9.9:6379: connect: connection refused`, 900, false, -3*time.Hour),
				template("order-1", `WARN flag --legacy-config is deprecated, configuration option will be removed`, 40, false, -3*time.Hour),
			}
			b.Events = []incident.Event{
				podEvent("order-1", "Unhealthy", `Liveness probe failed: Get "http://10.0.1.5:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, 30, -8*time.Minute, 0),
				podEvent("order-1", "Killing", "Container order failed liveness probe, will be restarted", 6, -7*time.Minute, 0),
			}
			return b
		}, incident.CategoryProbeFailure, deployOrder},
		{"a down dependency explains readiness failures and errors", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()), orderPod("order-2", healthy()))
			b.Services = []incident.ServiceState{{Namespace: "shop", Name: "payment-service", NotReady: 2}}
			b.Templates = []incident.LogTemplate{template("order-1", `level=error msg="charge failed" err="Post \"http://payment-service:8080/charge\": dial tcp 10.96.3.7:8080: connect: connection refused"`, 300, true, -4*time.Minute)}
			b.Events = []incident.Event{podEvent("order-1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 40, -4*time.Minute, 0)}
			return b
		}, incident.CategoryDependencyFailure, payment},
		{"two problems: OOM kills beat one pending replica on an OOM alert", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", crashed("OOMKilled", 137, 5)), pendingPod("order-2"))
			b.Alert.Labels["alertname"] = "KubeContainerOOMKilled"
			b.Events = []incident.Event{podEvent("order-2", "FailedScheduling", "0/3 nodes are available: 3 Insufficient memory.", 4, -6*time.Minute, 0)}
			return b
		}, incident.CategoryOOMKilled, deployOrder},
		{"another workload crash-looping in the namespace is a separate, off-target finding", func() *incident.Bundle {
			other := orderPod("billing-1", crashed("Error", 1, 9))
			other.Owner = incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "billing"}
			b := newBundle(orderPod("order-1", waiting("ImagePullBackOff", `Back-off pulling image "shop/order:2.31.0"`)), other)
			b.Target.Pods = []string{"order-1"}
			b.Events = []incident.Event{podEvent("order-1", "Failed", `Failed to pull image "shop/order:2.31.0": rpc error: code = NotFound desc = failed to pull and unpack image "shop/order:2.31.0": not found`, 5, -5*time.Minute, 0)}
			return b
		}, incident.CategoryImagePull, deployOrder},
		{"an alert on the crashing dependency itself blames its crash, not its callers' errors", func() *incident.Bundle {
			pay := orderPod("payment-1", crashed("Error", 1, 7))
			pay.Owner = incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "payment-service"}
			caller := orderPod("order-1", healthy())
			b := newBundle(pay, caller)
			b.Target.Workload = pay.Owner
			b.Target.Pods = []string{"payment-1"}
			b.Alert.Labels["alertname"] = "KubePodCrashLooping"
			b.Services = []incident.ServiceState{{Namespace: "shop", Name: "payment-service", NotReady: 1}}
			b.Templates = []incident.LogTemplate{template("order-1", `level=error msg="charge failed" err="upstream payment-service returned 503"`, 300, true, -4*time.Minute)}
			return b
		}, incident.CategoryCrashLoop, incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "payment-service"}},
		{"a healthy workload on a flapping alert is Unknown", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()), orderPod("order-2", healthy()))
			b.Templates = []incident.LogTemplate{template("order-1", `INFO request served path=/v1/orders status=200`, 5000, false, -2*time.Hour)}
			b.Metrics = []incident.Series{metric(incident.MetricLatencyP99, deployOrder, time.Minute, 0.2, 0.21, 0.35, 0.2, 0.19, 0.2)}
			return b
		}, incident.CategoryUnknown, deployOrder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.bundle()
			b.AssignIDs()
			ex := Offline(b)
			if ex.RootCause.Category != tt.cat || ex.RootCause.Entity != tt.entity {
				for _, f := range ex.Findings {
					t.Logf("%s %s %.2f %v %s", f.ID, f.Category, f.Confidence, f.Entity, f.Title)
				}
				t.Fatalf("root = %s %v, want %s %v", ex.RootCause.Category, ex.RootCause.Entity, tt.cat, tt.entity)
			}
			checkExplanation(t, b, ex)
		})
	}
}

func TestFirstSentence(t *testing.T) {
	tests := map[string]string{
		`Calls fail: 3 errors, e.g. "dial tcp 10.0.0.1:5432. refused". The failure is a timeout.`: `Calls fail: 3 errors, e.g. "dial tcp 10.0.0.1:5432. refused".`,
		`One sentence only`:                   `One sentence only`,
		`Limit 128Mi. Working set rose.`:      `Limit 128Mi.`,
		`Quoted "a \" b. c" then. More text.`: `Quoted "a \" b. c" then.`,
	}
	for in, want := range tests {
		if got := firstSentence(in); got != want {
			t.Errorf("firstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNextStepsRunAsPrinted: no suggested command keeps a placeholder or
// needs a namespace it does not give, whatever the root cause and whether
// the entity is namespaced, a node or outside the cluster.
func TestNextStepsRunAsPrinted(t *testing.T) {
	withLimits := healthy()
	withLimits.Limits = incident.Resources{MemoryBytes: 96 << 20, CPUMilli: 500}
	b := newBundle(orderPod("order-1", withLimits))
	b.Workloads = []incident.WorkloadState{{Entity: deployOrder, Replicas: 3}}
	b.Services = []incident.ServiceState{{Namespace: "shop", Name: "payment", Ports: []string{"8080/TCP->8080"}}}
	entities := []incident.Entity{deployOrder, {Kind: incident.KindNode, Name: "ip-10-0-1-7"},
		{Namespace: "shop", Kind: incident.KindService, Name: "payment"}, {Kind: incident.KindExternal, Name: "db.example.com"},
		{Namespace: "shop", Kind: incident.KindPVC, Name: "data-db-0"}, {Namespace: "shop", Kind: incident.KindJob, Name: "nightly"},
		{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}}
	for _, c := range incident.Categories() {
		for _, e := range entities {
			for _, s := range NextSteps(b, incident.RootCause{Category: c, Entity: e}) {
				if !runsAsPrinted(s.Command) {
					t.Errorf("%s on %s: %q does not run as printed", c, e, s.Command)
				}
				if strings.HasPrefix(s.Command, "kubectl describe ") && !strings.HasPrefix(s.Command, "kubectl describe node") {
					t.Errorf("%s on %s: %q lacks its namespace", c, e, s.Command)
				}
			}
		}
	}
	steps := NextSteps(b, incident.RootCause{Category: incident.CategoryOOMKilled, Entity: deployOrder})
	if len(steps) < 3 || steps[1].Command != "kubectl -n shop describe deployment/order" ||
		!strings.HasSuffix(steps[2].Command, "--limits=memory=192Mi") {
		t.Errorf("OOM steps = %+v", steps)
	}
	for _, bad := range []string{"kubectl -A exec pod/x -- df -h", "kubectl -A logs deployment/x", "kubectl -A get deployment/x -o yaml",
		"kubectl -n shop set resources deployment/x --limits=memory=<new-limit>", "kubectl describe node <node>"} {
		if runsAsPrinted(bad) {
			t.Errorf("%q passes", bad)
		}
	}
	for _, good := range []string{"kubectl -A get events --field-selector reason=Failed", "sum(rate(x[5m]))",
		`openssl s_client -connect a.example:443 </dev/null`} {
		if !runsAsPrinted(good) {
			t.Errorf("%q is refused", good)
		}
	}
}

func TestANamedGetAcrossAllNamespacesDoesNotRunAsPrinted(t *testing.T) {
	for cmd, want := range map[string]bool{
		"kubectl -A get endpoints payments-db":                             false,
		"kubectl -A get deployment/order":                                  false,
		"kubectl get endpoints -A --field-selector metadata.name=payments": true,
		"kubectl -A get pods --field-selector status.phase=Pending":        true,
		"kubectl -n shop get endpoints payments-db":                        true,
	} {
		if got := runsAsPrinted(cmd); got != want {
			t.Errorf("runsAsPrinted(%q) = %v, want %v", cmd, got, want)
		}
	}
}
