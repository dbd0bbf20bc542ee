package datasource

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	sdkds "github.com/grafana/grafana-plugin-sdk-go/backend/datasource"

	"github.com/cloudobs/aiops-app/pkg/config"
)

func pluginContext() backend.PluginContext {
	return backend.PluginContext{OrgID: 1, PluginID: ID, DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
		ID: 7, UID: "aiops", Name: "AI Observability", JSONData: json.RawMessage(`{}`),
	}}
}

func instance(t *testing.T) *Datasource {
	t.Helper()
	if os.Getenv(config.EnvDir) == "" {
		t.Setenv(config.EnvDir, t.TempDir())
	}
	inst, err := sdkds.NewInstanceManager(NewDatasource).Get(context.Background(), pluginContext())
	if err != nil {
		t.Fatal(err)
	}
	return inst.(*Datasource)
}

func TestQueryData(t *testing.T) {
	req := &backend.QueryDataRequest{PluginContext: pluginContext(), Queries: []backend.DataQuery{
		{RefID: "A", QueryType: "cost", JSON: json.RawMessage(`{"namespace":"shop"}`)},
		{RefID: "B", JSON: json.RawMessage(`{"queryType":"findings","limit":20}`)},
		{RefID: "E", QueryType: "logs", JSON: json.RawMessage(`{}`)},
		{RefID: "F", JSON: json.RawMessage(`{}`)},
		{RefID: "G", JSON: json.RawMessage(`{"queryType":`)},
		{RefID: "H", QueryType: "findings", JSON: json.RawMessage(`{"namespace":"Not_A_Namespace"}`)},
		{RefID: "I", QueryType: "findings", JSON: json.RawMessage(`{"limit":-1}`)},
	}}
	resp, err := instance(t).QueryData(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref    string
		status backend.Status
		text   string
	}{
		{"A", backend.StatusBadRequest, "the window needs a start and an end"},
		{"B", backend.StatusBadRequest, "findings need a namespace or a selector"},
		{"E", backend.StatusBadRequest, `unknown queryType "logs"; valid types are findings, explanations, ai_usage, cost`},
		{"F", backend.StatusBadRequest, "query has no queryType"},
		{"G", backend.StatusBadRequest, "not a valid JSON object"},
		{"H", backend.StatusBadRequest, "not a valid Kubernetes namespace"},
		{"I", backend.StatusBadRequest, "limit -1 is outside"},
	}
	if len(resp.Responses) != len(tests) {
		t.Fatalf("%d responses, want %d", len(resp.Responses), len(tests))
	}
	for _, tt := range tests {
		r, ok := resp.Responses[tt.ref]
		if !ok {
			t.Fatalf("no response for %s", tt.ref)
		}
		if r.Status != tt.status || r.Error == nil || !strings.Contains(r.Error.Error(), tt.text) {
			t.Errorf("%s: status %d error %v, want %d containing %q", tt.ref, r.Status, r.Error, tt.status, tt.text)
		}
	}
}

func TestCheckHealth(t *testing.T) {
	res, err := instance(t).CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: pluginContext()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, "findings, explanations, ai_usage, cost") {
		t.Errorf("CheckHealth = %+v", res)
	}
}

func TestQueryDataCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := instance(t).QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", QueryType: "cost"}}})
	if err == nil {
		t.Fatal("QueryData on a cancelled context succeeded")
	}
}

func FuzzParseQuery(f *testing.F) {
	f.Add("", []byte(`{"queryType":"findings","namespace":"shop","limit":10}`))
	f.Add("cost", []byte(`{}`))
	f.Add("", []byte(`{"queryType":"\u0000"}`))
	f.Add("x", []byte(`[1,2,3]`))
	f.Add("", []byte(`{"limit":1e99}`))
	f.Fuzz(func(t *testing.T, queryType string, raw []byte) {
		q, err := ParseQuery(queryType, raw)
		if err != nil {
			if len(err.Error()) > 512 {
				t.Fatalf("error message is %d bytes long", len(err.Error()))
			}
			return
		}
		if _, ok := lookupQueryType(q.QueryType); !ok {
			t.Fatalf("accepted unknown query type %q", q.QueryType)
		}
		if q.Limit < 0 || q.Limit > maxLimit {
			t.Fatalf("accepted limit %d", q.Limit)
		}
	})
}
