// Package datasource is the Grafana adapter of the nested data source
// (cloudobs-aiops-datasource): it serves findings, past explanations, AI
// usage and Kubernetes cost to dashboards, one frame set per query.
package datasource

import (
	"context"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
)

// ID is the data source plugin id, as in src/datasource/plugin.json.
const ID = "cloudobs-aiops-datasource"

// Datasource is one configured instance of the data source.
type Datasource struct{}

var (
	_ backend.QueryDataHandler   = (*Datasource)(nil)
	_ backend.CheckHealthHandler = (*Datasource)(nil)
)

// NewDatasource is the instance factory given to datasource.Manage.
func NewDatasource(_ context.Context, _ backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return &Datasource{}, nil
}

// QueryData answers each query on its own: a bad or not yet available query
// is an error in its own response, and the other queries still answer.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("query data: %w", err)
		}
		resp.Responses[q.RefID] = d.query(q)
	}
	return resp, nil
}

func (d *Datasource) query(dq backend.DataQuery) backend.DataResponse {
	q, err := ParseQuery(dq.QueryType, dq.JSON)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	qt, _ := lookupQueryType(q.QueryType)
	return backend.ErrDataResponseWithSource(backend.StatusNotImplemented, backend.ErrorSourcePlugin,
		fmt.Sprintf("the %s query type is provided by %s, not yet available in this version of the app", qt.name, qt.provider))
}

// CheckHealth reports that the backend runs and which query types exist.
func (d *Datasource) CheckHealth(_ context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	return &backend.CheckHealthResult{
		Status:  backend.HealthStatusOk,
		Message: "AI Observability data source backend is running; query types: " + strings.Join(QueryTypes(), ", "),
	}, nil
}
