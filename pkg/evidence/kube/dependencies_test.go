package kube

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/rest"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

// recordedCluster serves a recorded incident's kube/ directory.
func recordedCluster(t *testing.T, dir string, rec *requestLog) *Collector {
	t.Helper()
	objs, err := kubeapi.LoadObjects(filepath.Join(dir, "kube"))
	if err != nil {
		t.Fatal(err)
	}
	return servedObjects(t, objs, rec)
}

// servedObjects serves the objects as a Kubernetes API at the tests' now.
func servedObjects(t *testing.T, objs []kubeapi.Object, rec *requestLog) *Collector {
	t.Helper()
	api, err := kubeapi.New(kubeapi.Config{Objects: objs, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rec.wrap(api))
	t.Cleanup(srv.Close)
	c, err := New(Config{RESTConfig: &rest.Config{Host: srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// dependenciesOf resolves an alert on a recorded incident and reads its
// dependencies, checking every request against rbac.yaml.
func dependenciesOf(t *testing.T, dir string, labels map[string]string) ([]incident.ServiceState, []incident.ClaimState) {
	t.Helper()
	rec := &requestLog{}
	c := recordedCluster(t, dir, rec)
	ctx := context.Background()
	res, err := c.Resolve(ctx, incident.Alert{Labels: labels}, 0)
	if err != nil {
		t.Fatal(err)
	}
	deps, err := c.Dependencies(ctx, res.Target, res.Pods, nil, DependencyHints{})
	if err != nil {
		t.Fatal(err)
	}
	checkRBAC(t, rec)
	return deps.Services, deps.Claims
}

// TestDependencies reads, around an alerted workload, the Services it may
// call with what is wrong behind them, on recorded incidents (the first
// held-out set, which the analyzers have been improved on).
func TestDependencies(t *testing.T) {
	heldout := filepath.Join("..", "..", "..", "testdata", "heldout")
	t.Run("a database's claim behind a client", func(t *testing.T) {
		svcs, claims := dependenciesOf(t, filepath.Join(heldout, "heldout-wal-full-volume-behind-running-db"),
			map[string]string{"namespace": "money", "service": "ledger-api"})
		var db *incident.ServiceState
		for i := range svcs {
			if svcs[i].Name == "pg-main" {
				db = &svcs[i]
			}
		}
		if db == nil || !db.Dependency || db.Backend.Name != "pg-main" || db.Backend.Kind != incident.KindStatefulSet ||
			!slices.Equal(db.BackendClaims, []string{"data-pg-main-0"}) || db.Ready != 1 || db.ClusterIP == "" {
			t.Fatalf("pg-main dependency = %+v (all: %+v)", db, svcs)
		}
		if len(claims) != 1 || claims[0].Name != "data-pg-main-0" || claims[0].Phase != "Bound" ||
			claims[0].StorageClass != "longhorn" || claims[0].Capacity != 10<<30 {
			t.Errorf("claims = %+v", claims)
		}
	})
	t.Run("the cluster DNS and its failing pods", func(t *testing.T) {
		svcs, _ := dependenciesOf(t, filepath.Join(heldout, "heldout-coredns-oom-aggregation-layer"),
			map[string]string{"namespace": "storefront", "service": "page-composer"})
		for _, s := range svcs {
			if s.Name == "page-composer" {
				t.Errorf("the Service in front of the target is not its dependency: %+v", s)
			}
		}
		i := slices.IndexFunc(svcs, func(s incident.ServiceState) bool { return s.Namespace == "kube-system" && s.Name == "kube-dns" })
		if i < 0 {
			t.Fatalf("no cluster DNS among %+v", svcs)
		}
		dns := svcs[i]
		if dns.Backend != (incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}) ||
			len(dns.BackendProblems) != 2 || !strings.Contains(dns.BackendProblems[0], "OOMKilled (exit 137)") {
			t.Errorf("kube-dns = %+v", dns)
		}
	})
	t.Run("Services named in logs, in other namespaces", func(t *testing.T) {
		got := NamedServices([]incident.LogStream{{Lines: []incident.LogLine{
			{Text: `dial tcp: lookup fx-rates.treasury.svc.cluster.local on 10.0.0.10:53`},
			{Text: `GET http://Ledger.Money.svc:8080/v1 failed; retry fx-rates.treasury.svc.cluster.local`},
			{Text: `no service name here: example.com`},
		}}})
		want := []NamespacedName{{"treasury", "fx-rates"}, {"money", "ledger"}}
		if !slices.Equal(got, want) {
			t.Errorf("NamedServices = %v, want %v", got, want)
		}
	})
}
