// Package datasource is the Grafana adapter of the nested data source
// (cloudobs-aiops-datasource): it serves findings, past explanations, AI
// usage and Kubernetes cost to dashboards, one frame set per query.
//
// It runs as its own process beside the app's backend. It reads the same
// per-organisation history database the app writes (SQLite in WAL mode lets
// both open it), and collects findings with the evidence sources configured
// in its own jsonData, which uses the app's settings shape.
package datasource

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// ID is the data source plugin id, as in src/datasource/plugin.json.
const ID = "cloudobs-aiops-datasource"

// Datasource is one configured instance of the data source.
type Datasource struct {
	settingsErr error
	logger      log.Logger
	histPath    string
	now         func() time.Time
	// engine reads the history and collects findings; nil when the
	// settings are invalid.
	engine *engine.Reader

	findings *findingsCache
}

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// NewDatasource is the instance factory given to datasource.Manage.
// Invalid settings do not fail it: queries that need them say so.
func NewDatasource(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	settings, err := config.ParseSettings(s.JSONData, s.DecryptedSecureJSONData)
	d := &Datasource{
		settingsErr: err,
		logger:      backend.Logger.FromContext(ctx),
		histPath:    config.HistoryPath(os.Getenv, backend.PluginConfigFromContext(ctx).OrgID),
		now:         time.Now,
		findings:    newFindingsCache(findingsTTL),
	}
	if err == nil {
		d.engine = engine.OpenReader(settings, engine.Options{HistoryPath: d.histPath, Logger: d.logger, Now: func() time.Time { return d.now() }})
	}
	return d, nil
}

// Dispose closes the history store when Grafana replaces the instance.
func (d *Datasource) Dispose() {
	if d.engine != nil {
		d.engine.Close()
	}
}

// history opens the app's history store on first use.
func (d *Datasource) history(ctx context.Context) (*store.Store, error) {
	if d.engine == nil {
		return nil, fmt.Errorf("the data source settings are invalid: %w", d.settingsErr)
	}
	st, err := d.engine.Store(ctx)
	if err != nil {
		return nil, fmt.Errorf("the explanation history at %s cannot be opened (set %s to the same directory for the app and the data source): %w", d.histPath, config.EnvDir, err)
	}
	return st, nil
}

// QueryData answers each query on its own: a bad or not yet available query
// is an error in its own response, and the other queries still answer.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("query data: %w", err)
		}
		resp.Responses[q.RefID] = d.query(ctx, q)
	}
	return resp, nil
}

func (d *Datasource) query(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	q, err := ParseQuery(dq.QueryType, dq.JSON)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	switch q.QueryType {
	case "findings":
		return d.queryFindings(ctx, q, dq)
	case "explanations":
		return d.queryExplanations(ctx, q, dq)
	case "ai_usage":
		return d.queryUsage(ctx, q, dq)
	case "cost":
		return d.queryCost(ctx, q, dq)
	}
	qt, _ := lookupQueryType(q.QueryType)
	return backend.ErrDataResponseWithSource(backend.StatusNotImplemented, backend.ErrorSourcePlugin,
		fmt.Sprintf("the %s query type is provided by %s, not yet available in this version of the app", qt.name, qt.provider))
}

// CheckHealth reports that the backend runs, which query types exist, and
// whether the history can be read.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	msg := "AI Observability data source backend is running; query types: " + strings.Join(QueryTypes(), ", ")
	if d.settingsErr != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: "settings are invalid: " + strings.ReplaceAll(d.settingsErr.Error(), "\n", "; ")}, nil
	}
	if _, err := d.history(ctx); err != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg + "; " + err.Error()}, nil
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: msg}, nil
}
