package datasource

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store"
)

var day0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// seed writes history the way the app does, into the file the data source reads.
func seed(t *testing.T) {
	t.Helper()
	t.Setenv(config.EnvDir, t.TempDir())
	ctx := context.Background()
	st, err := store.Open(ctx, config.HistoryPath(os.Getenv, 1), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	add := func(id, alertname, ns string, cat incident.Category, at time.Time, helpful *bool) {
		ex := incident.Explanation{ID: id, Summary: "summary of " + alertname, CreatedAt: at,
			RootCause: incident.RootCause{Category: cat, Confidence: 0.8},
			Provider:  incident.ProviderInfo{Name: "openai", Model: "gpt-4o-mini"},
			Usage:     incident.Usage{PromptTokens: 900, CompletionTokens: 100, CostUSD: 0.0002},
			Alert:     incident.Alert{Labels: map[string]string{"alertname": alertname, "namespace": ns}}}
		if err := st.Save(ctx, store.Record{Explanation: ex, User: "alice"}); err != nil {
			t.Fatal(err)
		}
		if helpful != nil {
			if err := st.SetFeedback(ctx, id, store.Feedback{Helpful: *helpful, At: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	yes := true
	add("ex_1", "KubePodCrashLooping", "shop", incident.CategoryOOMKilled, day0, &yes)
	add("ex_2", "HighLatency", "shop", incident.CategoryDependencyFailure, day0.Add(time.Hour), nil)
	add("ex_3", "KubePodCrashLooping", "payments", incident.CategoryCrashLoop, day0.Add(48*time.Hour), nil)
	for _, u := range []store.UsageEvent{
		{At: day0, Provider: "openai", Model: "gpt-4o-mini", User: "ana", PromptTokens: 900, CompletionTokens: 100, CostUSD: 0.25},
		{At: day0.Add(24 * time.Hour), Provider: "openai", Model: "gpt-4o-mini", User: "bob", PromptTokens: 1800, CompletionTokens: 200, CostUSD: 0.5},
		{At: day0, Provider: "ollama", Model: "llama3", User: "ana", PromptTokens: 500, CompletionTokens: 50},
		{At: day0, Provider: "offline", CacheHit: true},
	} {
		if err := st.RecordUsage(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
}

func run(t *testing.T, queries ...backend.DataQuery) *backend.QueryDataResponse {
	t.Helper()
	resp, err := instance(t).QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pluginContext(), Queries: queries})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func within(from, to time.Time) backend.TimeRange { return backend.TimeRange{From: from, To: to} }

func TestExplanationsQuery(t *testing.T) {
	seed(t)
	tests := []struct {
		name  string
		model string
		tr    backend.TimeRange
		ids   []string
	}{
		{"all in range", `{}`, within(day0.Add(-time.Hour), day0.Add(72*time.Hour)), []string{"ex_3", "ex_2", "ex_1"}},
		{"range honoured", `{}`, within(day0.Add(30*time.Minute), day0.Add(2*time.Hour)), []string{"ex_2"}},
		{"alertname", `{"alertname":"KubePodCrashLooping"}`, within(day0.Add(-time.Hour), day0.Add(72*time.Hour)), []string{"ex_3", "ex_1"}},
		{"namespace and category", `{"namespace":"shop","category":"OOMKilled"}`, within(day0.Add(-time.Hour), day0.Add(72*time.Hour)), []string{"ex_1"}},
		{"limit", `{"limit":1}`, within(day0.Add(-time.Hour), day0.Add(72*time.Hour)), []string{"ex_3"}},
	}
	for _, tt := range tests {
		resp := run(t, backend.DataQuery{RefID: "A", QueryType: "explanations", JSON: json.RawMessage(tt.model), TimeRange: tt.tr})
		r := resp.Responses["A"]
		if r.Error != nil || len(r.Frames) != 1 {
			t.Fatalf("%s: %v, %d frames", tt.name, r.Error, len(r.Frames))
		}
		f := r.Frames[0]
		idField, _ := f.FieldByName("id")
		var ids []string
		for i := range f.Rows() {
			ids = append(ids, idField.At(i).(string))
		}
		if strings.Join(ids, ",") != strings.Join(tt.ids, ",") {
			t.Errorf("%s: ids %v, want %v", tt.name, ids, tt.ids)
		}
		if tf, _ := f.FieldByName("time"); tf.Type() != data.FieldTypeTime {
			t.Errorf("time field is %s", tf.Type())
		}
		if cf, _ := f.FieldByName("cost"); cf.Config == nil || cf.Config.Unit != "currencyUSD" {
			t.Errorf("cost field config %+v", cf.Config)
		}
		if hf, _ := f.FieldByName("helpful"); hf.Type() != data.FieldTypeNullableBool {
			t.Errorf("helpful field is %s", hf.Type())
		}
	}
	r := run(t, backend.DataQuery{RefID: "A", QueryType: "explanations", JSON: json.RawMessage(`{"category":"Gremlins"}`)}).Responses["A"]
	if r.Status != backend.StatusBadRequest {
		t.Errorf("bad category: %v %v", r.Status, r.Error)
	}
}

func TestAIUsageQuery(t *testing.T) {
	seed(t)
	tr := within(day0.Add(-24*time.Hour), day0.Add(72*time.Hour))
	resp := run(t,
		backend.DataQuery{RefID: "T", QueryType: "ai_usage", JSON: json.RawMessage(`{"metric":"tokens"}`), TimeRange: tr},
		backend.DataQuery{RefID: "C", QueryType: "ai_usage", JSON: json.RawMessage(`{"metric":"cost","provider":"openai"}`), TimeRange: tr},
		backend.DataQuery{RefID: "R", QueryType: "ai_usage", JSON: json.RawMessage(`{}`), TimeRange: within(day0.Add(24*time.Hour), day0.Add(30*time.Hour))},
		backend.DataQuery{RefID: "X", QueryType: "ai_usage", JSON: json.RawMessage(`{"metric":"watts"}`), TimeRange: tr},
	)
	tokens := resp.Responses["T"]
	if tokens.Error != nil || len(tokens.Frames) != 3 {
		t.Fatalf("tokens: %v, %d frames", tokens.Error, len(tokens.Frames))
	}
	got := map[string][]float64{}
	for _, f := range tokens.Frames {
		v := f.Fields[1]
		var vals []float64
		for i := range v.Len() {
			vals = append(vals, v.At(i).(float64))
		}
		got[v.Labels["provider"]+"/"+v.Labels["model"]] = vals
		if v.Config.Unit != "short" || !strings.HasPrefix(v.Config.DisplayNameFromDS, "Tokens ") {
			t.Errorf("tokens field config %+v", v.Config)
		}
	}
	if g := got["openai/gpt-4o-mini"]; len(g) != 2 || g[0] != 1000 || g[1] != 2000 {
		t.Errorf("openai tokens %v", g)
	}
	if g := got["ollama/llama3"]; len(g) != 1 || g[0] != 550 {
		t.Errorf("ollama tokens %v", g)
	}
	cost := resp.Responses["C"]
	if cost.Error != nil || len(cost.Frames) != 1 || cost.Frames[0].Fields[1].Config.Unit != "currencyUSD" {
		t.Fatalf("cost: %v %v", cost.Error, cost.Frames)
	}
	if v := cost.Frames[0].Fields[1]; v.Len() != 2 || v.At(1).(float64) != 0.5 {
		t.Errorf("cost values: %v", v)
	}
	if r := resp.Responses["R"]; r.Error != nil || len(r.Frames) != 1 || r.Frames[0].Fields[0].Len() != 1 {
		t.Errorf("time range not honoured: %v %v", r.Error, r.Frames)
	}
	if r := resp.Responses["X"]; r.Status != backend.StatusBadRequest {
		t.Errorf("bad metric: %v", r.Error)
	}
}

// AI spend splits per user (the webhook's background work apart) or sums
// per day, beside the cluster's cost on the same dashboard.
func TestAIUsageQueryGroupings(t *testing.T) {
	seed(t)
	tr := within(day0.Add(-24*time.Hour), day0.Add(72*time.Hour))
	resp := run(t,
		backend.DataQuery{RefID: "U", QueryType: "ai_usage", JSON: json.RawMessage(`{"groupBy":"user"}`), TimeRange: tr},
		backend.DataQuery{RefID: "A", QueryType: "ai_usage", JSON: json.RawMessage(`{"groupBy":"user","user":"ana","metric":"cost"}`), TimeRange: tr},
		backend.DataQuery{RefID: "D", QueryType: "ai_usage", JSON: json.RawMessage(`{"groupBy":"day"}`), TimeRange: tr},
		backend.DataQuery{RefID: "X", QueryType: "ai_usage", JSON: json.RawMessage(`{"groupBy":"team"}`), TimeRange: tr},
	)
	series := func(refID string) map[string][]float64 {
		t.Helper()
		r := resp.Responses[refID]
		if r.Error != nil {
			t.Fatalf("%s: %v", refID, r.Error)
		}
		out := map[string][]float64{}
		for _, f := range r.Frames {
			v := f.Fields[1]
			for i := range v.Len() {
				out[v.Labels["user"]] = append(out[v.Labels["user"]], v.At(i).(float64))
			}
		}
		return out
	}
	if got := fmt.Sprint(series("U")); got != "map[(background):[0] ana:[1550] bob:[2000]]" {
		t.Errorf("tokens per user = %s", got)
	}
	if got := fmt.Sprint(series("A")); got != "map[ana:[0.25]]" {
		t.Errorf("ana's cost = %s", got)
	}
	if got := fmt.Sprint(series("D")); got != "map[:[1550 2000]]" {
		t.Errorf("tokens per day = %s", got)
	}
	if r := resp.Responses["X"]; r.Status != backend.StatusBadRequest {
		t.Errorf("bad groupBy: %v", r.Error)
	}
}

func TestFindingsQueryWithoutACluster(t *testing.T) {
	t.Setenv(config.EnvDir, t.TempDir())
	resp := run(t,
		backend.DataQuery{RefID: "F", QueryType: "findings", JSON: json.RawMessage(`{"namespace":"shop","selector":"app=order"}`)},
		backend.DataQuery{RefID: "S", QueryType: "findings", JSON: json.RawMessage(`{"selector":"app in (a,b)"}`)},
	)
	f := resp.Responses["F"]
	if f.Error != nil || len(f.Frames) != 1 {
		t.Fatalf("findings: %v", f.Error)
	}
	if f.Frames[0].Meta == nil || len(f.Frames[0].Meta.Notices) == 0 {
		t.Errorf("findings without sources carry no notice saying what is missing")
	}
	if s := resp.Responses["S"]; s.Status != backend.StatusBadRequest {
		t.Errorf("set-based selector: %v", s.Error)
	}
}

func TestCostQueryIsAPerQueryError(t *testing.T) {
	t.Setenv(config.EnvDir, t.TempDir())
	resp := run(t,
		backend.DataQuery{RefID: "C", QueryType: "cost", JSON: json.RawMessage(`{}`)},
		backend.DataQuery{RefID: "E", QueryType: "explanations", JSON: json.RawMessage(`{}`)},
	)
	if r := resp.Responses["C"]; r.Status != backend.StatusBadRequest || !strings.Contains(r.Error.Error(), "window needs a start and an end") {
		t.Errorf("cost: %v %v", r.Status, r.Error)
	}
	if r := resp.Responses["E"]; r.Error != nil {
		t.Errorf("explanations beside cost: %v", r.Error)
	}
}
