package datasource

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	sdkds "github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
)

// TestQueryTypesAnswerEveryRoleAlikeAndSpendNothing is the data source's row
// of the access matrix: who may query is Grafana's data source permission,
// so every query type answers Viewer, Editor and Admin the same, and no
// query calls the model, even with one configured.
func TestQueryTypesAnswerEveryRoleAlikeAndSpendNothing(t *testing.T) {
	seed(t)
	var modelCalls atomic.Int64
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		modelCalls.Add(1)
		http.Error(w, "not for the data source", http.StatusTeapot)
	}))
	defer model.Close()
	pc := pluginContext()
	pc.DataSourceInstanceSettings.JSONData = json.RawMessage(fmt.Sprintf(`{"provider":"openai","openai":{"baseURL":%q}}`, model.URL+"/v1"))
	pc.DataSourceInstanceSettings.DecryptedSecureJSONData = map[string]string{"openaiApiKey": "sk-test"}
	inst, err := sdkds.NewInstanceManager(NewDatasource).Get(context.Background(), pc)
	if err != nil {
		t.Fatal(err)
	}
	ds := inst.(*Datasource)
	tr := within(day0.Add(-24*time.Hour), day0.Add(72*time.Hour))
	var queries []backend.DataQuery
	for _, qt := range QueryTypes() {
		queries = append(queries, backend.DataQuery{RefID: qt, QueryType: qt, TimeRange: tr, JSON: json.RawMessage(`{"namespace":"shop"}`)})
	}
	answers := map[string]string{}
	for _, role := range []string{"Viewer", "Editor", "Admin"} {
		pc.User = &backend.User{Login: role + "-user", Role: role}
		resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pc, Queries: queries})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Responses) != len(queries) {
			t.Fatalf("%s: %d responses for %d queries", role, len(resp.Responses), len(queries))
		}
		for ref, r := range resp.Responses {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			key := ref
			if prev, ok := answers[key]; ok && prev != string(b) {
				t.Errorf("%s answers %s differently from the roles before it", ref, role)
			}
			answers[key] = string(b)
		}
		if r := resp.Responses["explanations"]; r.Error != nil || len(r.Frames) == 0 || r.Frames[0].Rows() == 0 {
			t.Errorf("%s: explanations of other users are not readable: %v", role, r.Error)
		}
	}
	if n := modelCalls.Load(); n != 0 {
		t.Errorf("the data source called the model %d times", n)
	}
}
