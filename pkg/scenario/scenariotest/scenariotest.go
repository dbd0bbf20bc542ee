// Package scenariotest serves a recorded scenario to tests in other
// packages: its kube/ and logs/ as a Kubernetes API on 127.0.0.1, closed when
// the test ends.
package scenariotest

import (
	"testing"

	"github.com/cloudobs/aiops-app/pkg/kubeapi"
	"github.com/cloudobs/aiops-app/pkg/scenario"
)

// Serve loads the scenario in dir and serves its cluster until t ends.
func Serve(t testing.TB, dir string) (*scenario.Scenario, *kubeapi.Server) {
	t.Helper()
	s, err := scenario.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := scenario.ServeKube(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return s, srv
}
