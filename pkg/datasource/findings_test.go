package datasource

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/scenario/scenariotest"
)

// TestFindingsQueryAgainstALocalCluster serves a recorded OOM incident as a
// Kubernetes API on 127.0.0.1 and asks the data source for the findings of
// its namespace, as a dashboard panel would.
func TestFindingsQueryAgainstALocalCluster(t *testing.T) {
	t.Setenv(config.EnvDir, t.TempDir())
	s, srv := scenariotest.Serve(t, filepath.Join("..", "..", "testdata", "scenarios", "oom-order-service-leak"))
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	cfg := fmt.Sprintf("apiVersion: v1\nkind: Config\nclusters: [{name: r, cluster: {server: %q}}]\nusers: [{name: r, user: {}}]\ncontexts: [{name: r, context: {cluster: r, user: r}}]\ncurrent-context: r\n", srv.URL)
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	pc := pluginContext()
	pc.DataSourceInstanceSettings.JSONData = json.RawMessage(fmt.Sprintf(`{"kubernetes":{"mode":"kubeconfig","kubeconfigPath":%q}}`, kubeconfig))
	inst, err := NewDatasource(context.Background(), *pc.DataSourceInstanceSettings)
	if err != nil {
		t.Fatal(err)
	}
	d := inst.(*Datasource)
	d.now = func() time.Time { return s.Now }
	query := backend.DataQuery{RefID: "F", QueryType: "findings", JSON: json.RawMessage(`{"namespace":"shop","selector":"app.kubernetes.io/name=order-service"}`)}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pc, Queries: []backend.DataQuery{query}})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["F"]
	if r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("findings: %v", r.Error)
	}
	f := r.Frames[0]
	cat, _ := f.FieldByName("category")
	name, _ := f.FieldByName("name")
	var rows []string
	found := false
	for i := range f.Rows() {
		rows = append(rows, cat.At(i).(string)+" "+name.At(i).(string))
		found = found || cat.At(i).(string) == string(s.Expect.Category)
	}
	if !found {
		t.Errorf("findings %v lack the incident's category %s", rows, s.Expect.Category)
	}
	if conf, _ := f.FieldByName("confidence"); conf.Config == nil || conf.Config.Unit != "percentunit" {
		t.Errorf("confidence field config %+v", conf.Config)
	}
	// A second panel asking the same within 30s shares the collection.
	srv.Close()
	resp, err = d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pc, Queries: []backend.DataQuery{query}})
	if err != nil || resp.Responses["F"].Error != nil || resp.Responses["F"].Frames[0].Rows() != f.Rows() {
		t.Errorf("cached findings: %v %v", err, resp.Responses["F"].Error)
	}
	if !strings.Contains(strings.Join(rows, ","), "order-service") {
		t.Errorf("findings do not name the workload: %v", rows)
	}
}
