package hosttest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// callResource sends one resource call over gRPC and collects the answer.
func callResource(t *testing.T, res grpcplugin.ResourceClient, pc *pluginv2.PluginContext, method, path string, body []byte) (int32, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stream, err := res.CallResource(ctx, &pluginv2.CallResourceRequest{PluginContext: pc, Path: strings.SplitN(path, "?", 2)[0], Method: method, Url: path, Body: body})
	if err != nil {
		t.Fatalf("CallResource: %v", err)
	}
	var code int32
	var out []byte
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return code, out
		}
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		if msg.Code != 0 {
			code = msg.Code
		}
		out = append(out, msg.Body...)
	}
}

// TestAppExplainOverGRPC explains an alert with the offline provider through
// the built binary, as Grafana would call it for a signed-in Viewer, and
// reads it back from history; the data source process then lists it from
// the same history file.
func TestAppExplainOverGRPC(t *testing.T) {
	t.Setenv("AIOPS_DATA_DIR", t.TempDir())
	rpc := startPlugin(t, distBinary(t, "", "gpx_aiops"), appID)
	res := dispense[grpcplugin.ResourceClient](t, rpc, "resource")
	settings := &backend.AppInstanceSettings{JSONData: json.RawMessage(`{"provider":"offline"}`), Updated: time.Unix(1, 0)}
	as := func(role string) *pluginv2.PluginContext {
		return backend.ToProto().PluginContext(backend.PluginContext{OrgID: 1, PluginID: appID, AppInstanceSettings: settings,
			User: &backend.User{Login: "sre", Role: role}})
	}
	alertBody := []byte(`{"labels":{"alertname":"KubePodCrashLooping","namespace":"shop","pod":"order-7d9c5-x2x1q"},"status":"firing","startsAt":"2026-11-20T10:00:00Z"}`)

	code, body := callResource(t, res, as("Viewer"), "POST", "explain", alertBody)
	if code != 200 {
		t.Fatalf("explain: %d %s", code, body)
	}
	var ex struct {
		ID       string `json:"id"`
		Provider struct {
			Name string `json:"name"`
		} `json:"provider"`
		RootCause struct {
			Category string `json:"category"`
		} `json:"rootCause"`
	}
	if err := json.Unmarshal(body, &ex); err != nil || ex.ID == "" || ex.Provider.Name != "offline" || ex.RootCause.Category == "" {
		t.Fatalf("explanation = %s (%v)", body, err)
	}
	if code, body := callResource(t, res, as("None"), "POST", "explain", alertBody); code != 403 {
		t.Errorf("explain as None: %d %s", code, body)
	}
	code, body = callResource(t, res, as("Viewer"), "GET", "explanations/"+ex.ID, nil)
	if code != 200 || !strings.Contains(string(body), `"user":"sre"`) {
		t.Errorf("history: %d %s", code, body)
	}

	ds := startPlugin(t, distBinary(t, "datasource", "gpx_aiops_datasource"), datasourceID)
	data := dispense[grpcplugin.DataClient](t, ds, "data")
	pc := backend.ToProto().PluginContext(backend.PluginContext{OrgID: 1, PluginID: datasourceID,
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{ID: 3, UID: "aiops-ds", JSONData: json.RawMessage(`{}`), Updated: time.Unix(1, 0)}})
	now := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp, err := data.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: pc, Queries: []*pluginv2.DataQuery{{
		RefId: "A", QueryType: "explanations", Json: []byte(`{"alertname":"KubePodCrashLooping"}`),
		TimeRange: &pluginv2.TimeRange{FromEpochMS: now.Add(-time.Hour).UnixMilli(), ToEpochMS: now.Add(time.Minute).UnixMilli()},
	}}})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	if r := resp.Responses["A"]; r.Error != "" || len(r.Frames) != 1 || !strings.Contains(string(r.Frames[0]), ex.ID) {
		t.Errorf("explanations query: %q, %d frames", r.Error, len(r.Frames))
	}
}
