package datasource

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/finops"
)

// costTimeout bounds one cost query: a week of a large cluster is a
// handful of Prometheus range queries.
const costTimeout = 60 * time.Second

// costView is what of the cost query is not the allocation itself.
type costView struct {
	// RightSizing asks for the per-workload recommendations instead of the
	// allocation; Profile is production (default) or development.
	RightSizing bool   `json:"rightsizing"`
	Profile     string `json:"profile"`
}

// queryCost serves {"groupBy", "filter", "format"} (and "rightsizing") over
// the dashboard's time range from the settings' Prometheus.
func (d *Datasource) queryCost(ctx context.Context, q Query, dq backend.DataQuery) backend.DataResponse {
	cq, err := finops.ParseQuery(bytes.NewReader(dq.JSON), dq.TimeRange.From, dq.TimeRange.To)
	var view costView
	if err == nil {
		err = json.Unmarshal(dq.JSON, &view)
	}
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	if q.Namespace != "" && len(cq.Filter.Namespaces) == 0 {
		cq.Filter.Namespaces = []string{q.Namespace}
	}
	// The editor's selector (app=order,team=x) filters by pod labels.
	if labels := q.Labels(); len(labels) > 0 && len(cq.Filter.Labels) == 0 {
		cq.Filter.Labels = labels
	}
	alloc, err := d.allocator()
	if err != nil {
		return errResponse(backend.StatusBadRequest, "%v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, costTimeout)
	defer cancel()
	if view.RightSizing {
		rs, err := alloc.RightSize(ctx, cq, view.Profile)
		if err != nil {
			return errResponse(backend.StatusInternal, "right-sizing: %v", err)
		}
		return backend.DataResponse{Frames: data.Frames{rightSizingFrame(rs)}}
	}
	res, err := alloc.Allocate(ctx, cq)
	if err != nil {
		return errResponse(backend.StatusInternal, "cost allocation: %v", err)
	}
	if cq.Format == finops.FormatTimeSeries {
		return backend.DataResponse{Frames: costSeriesFrames(res)}
	}
	return backend.DataResponse{Frames: data.Frames{costTableFrame(res)}}
}

// allocator is the engine's, over the data source settings' Prometheus.
func (d *Datasource) allocator() (*finops.Allocator, error) {
	if d.engine == nil {
		return nil, fmt.Errorf("the data source settings are invalid: %w", d.settingsErr)
	}
	return engine.CostAllocator(d.engine.Settings())
}

func usd(name string) *data.FieldConfig {
	return &data.FieldConfig{DisplayName: name, Unit: "currencyUSD"}
}

// costTableFrame is one row per group, then the idle cost and the control
// plane as rows of their own so a table sums to the bill.
func costTableFrame(res *finops.Result) *data.Frame {
	frame := data.NewFrame("cost",
		data.NewField("name", nil, []string{}).SetConfig(&data.FieldConfig{DisplayName: res.GroupBy}),
		data.NewField("cpuCost", nil, []float64{}).SetConfig(usd("CPU")),
		data.NewField("ramCost", nil, []float64{}).SetConfig(usd("RAM")),
		data.NewField("totalCost", nil, []float64{}).SetConfig(usd("Total")),
		data.NewField("cpuCoreHours", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "CPU core-hours"}),
		data.NewField("ramGiBHours", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "RAM GiB-hours"}),
		data.NewField("efficiency", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "Efficiency", Unit: "percentunit"}),
		data.NewField("monthlyRate", nil, []float64{}).SetConfig(usd("Per month")),
	)
	for _, r := range res.Rows {
		frame.AppendRow(r.Name, r.CPUCost, r.RAMCost, r.TotalCost, r.CPUCoreHours, r.RAMGiBHours, r.Efficiency, r.MonthlyRate)
	}
	hours := res.Window.End.Sub(res.Window.Start).Hours()
	frame.AppendRow(finops.IdleName, 0.0, 0.0, res.IdleCost, 0.0, 0.0, 0.0, res.IdleCost/hours*finops.HoursPerMonth)
	if res.ControlPlaneCost > 0 {
		frame.AppendRow("__control_plane__", 0.0, 0.0, res.ControlPlaneCost, 0.0, 0.0, 0.0, res.ControlPlaneCost/hours*finops.HoursPerMonth)
	}
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	for _, w := range res.Warnings {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: w})
	}
	return frame
}

// costSeriesFrames is one frame per group (idle included), total cost per
// step, labelled by the grouping.
func costSeriesFrames(res *finops.Result) data.Frames {
	frames := make(data.Frames, 0, len(res.Series))
	for _, s := range res.Series {
		times := make([]time.Time, len(s.Points))
		values := make([]float64, len(s.Points))
		for i, p := range s.Points {
			times[i], values[i] = p.Time, p.TotalCost
		}
		value := data.NewField("cost", data.Labels{res.GroupBy: s.Name}, values).
			SetConfig(&data.FieldConfig{DisplayNameFromDS: s.Name, Unit: "currencyUSD"})
		frame := data.NewFrame("cost", data.NewField("time", nil, times), value)
		frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, PreferredVisualization: data.VisTypeGraph}
		frames = append(frames, frame)
	}
	return frames
}

func rightSizingFrame(rs *finops.RightSizing) *data.Frame {
	frame := data.NewFrame("rightsizing",
		data.NewField("workload", nil, []string{}).SetConfig(&data.FieldConfig{DisplayName: "Workload"}),
		data.NewField("container", nil, []string{}).SetConfig(&data.FieldConfig{DisplayName: "Container"}),
		data.NewField("pods", nil, []int64{}).SetConfig(&data.FieldConfig{DisplayName: "Pods"}),
		data.NewField("cpuRequest", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "CPU request (cores)"}),
		data.NewField("cpuP95", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "CPU p95 (cores)"}),
		data.NewField("cpuRecommended", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "CPU recommended (cores)"}),
		data.NewField("ramRequest", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "Memory request", Unit: "bytes"}),
		data.NewField("ramP95", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "Memory p95", Unit: "bytes"}),
		data.NewField("ramRecommended", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "Memory recommended", Unit: "bytes"}),
		data.NewField("monthlySaving", nil, []float64{}).SetConfig(usd("Saving per month")),
	)
	for _, r := range rs.Recommendations {
		frame.AppendRow(r.Workload, r.Container, int64(r.Pods), r.CPURequest, r.CPUP95, r.CPURecommended,
			r.RAMRequest, r.RAMP95, r.RAMRecommended, r.MonthlySaving)
	}
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	return frame
}
