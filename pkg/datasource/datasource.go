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
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/plugin"
	"github.com/cloudobs/aiops-app/pkg/plugin/datadir"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// ID is the data source plugin id, as in src/datasource/plugin.json.
const ID = "cloudobs-aiops-datasource"

// Datasource is one configured instance of the data source.
type Datasource struct {
	settings    plugin.Settings
	settingsErr error
	logger      log.Logger
	histPath    string
	now         func() time.Time

	storeOnce sync.Once
	store     *store.Store
	storeErr  error

	gatherOnce sync.Once
	gatherer   *evidence.Gatherer
	gatherErr  error

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
	settings, err := plugin.ParseSettings(s.JSONData, s.DecryptedSecureJSONData)
	return &Datasource{
		settings:    settings,
		settingsErr: err,
		logger:      backend.Logger.FromContext(ctx),
		histPath:    datadir.HistoryPath(os.Getenv, backend.PluginConfigFromContext(ctx).OrgID),
		now:         time.Now,
		findings:    newFindingsCache(findingsTTL),
	}, nil
}

// Dispose closes the history store when Grafana replaces the instance.
func (d *Datasource) Dispose() {
	d.storeOnce.Do(func() { d.storeErr = fmt.Errorf("the data source instance was replaced") })
	if d.store != nil {
		_ = d.store.Close()
	}
}

// history opens the app's history store on first use.
func (d *Datasource) history(ctx context.Context) (*store.Store, error) {
	d.storeOnce.Do(func() {
		d.store, d.storeErr = store.Open(ctx, d.histPath, store.Options{
			Warn: func(msg string, args ...any) { d.logger.Warn(msg, args...) },
		})
	})
	if d.storeErr != nil {
		return nil, fmt.Errorf("the explanation history at %s cannot be opened (set AIOPS_DATA_DIR to the same directory for the app and the data source): %w", d.histPath, d.storeErr)
	}
	return d.store, nil
}

// evidenceGatherer connects the configured evidence sources on first use.
func (d *Datasource) evidenceGatherer() (*evidence.Gatherer, error) {
	d.gatherOnce.Do(func() {
		if d.settingsErr != nil {
			d.gatherErr = fmt.Errorf("the data source settings are invalid: %w", d.settingsErr)
			return
		}
		src, err := plugin.EvidenceSources(d.settings)
		if err != nil {
			d.gatherErr = err
			return
		}
		d.gatherer = evidence.NewGatherer(src, evidence.Options{})
	})
	return d.gatherer, d.gatherErr
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
