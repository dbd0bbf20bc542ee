package finops

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/prometheus/common/model"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Right-sizing profiles: the utilisation of its request a workload's p95
// usage should reach. A development cluster keeps more headroom because its
// usage is burstier and an OOM there costs less attention than a cent.
const (
	ProfileProduction  = "production"
	ProfileDevelopment = "development"
)

// TargetUtilisation is each profile's target: recommended = p95 ÷ target.
var TargetUtilisation = map[string]float64{
	ProfileProduction:  0.80,
	ProfileDevelopment: 0.65,
}

// Floors of a recommendation: the kubelet rounds smaller CPU requests up to
// 10m anyway, and no container runs in less than 16 MiB.
const (
	minCPUCores = 0.010
	minRAMBytes = 16 << 20
)

// Recommendation is one container of one workload, right-sized.
type Recommendation struct {
	// Workload is namespace/Kind/name, as the workload grouping names it.
	Workload  string `json:"workload"`
	Container string `json:"container"`
	// Pods is how many of the workload's pods ran the container in the window.
	Pods int `json:"pods"`
	// Requests are the largest request any of those pods had at its last
	// sample (0: none set); P95 is the largest of the pods' own p95 usage
	// (the busiest replica decides). Cores and bytes.
	CPURequest        float64 `json:"cpuRequest"`
	CPUP95            float64 `json:"cpuP95"`
	CPURecommended    float64 `json:"cpuRecommended"`
	RAMRequest        float64 `json:"ramRequestBytes"`
	RAMP95            float64 `json:"ramP95Bytes"`
	RAMRecommended    float64 `json:"ramRecommendedBytes"`
	TargetUtilisation float64 `json:"targetUtilisation"`
	// CurrentCost is what the container's allocation cost in the window;
	// ProjectedCost what the recommended requests would have cost over the
	// same running hours. MonthlySaving is their difference at 730 h a month:
	// negative when the workload needs more than it asks for.
	CurrentCost   float64 `json:"currentCost"`
	ProjectedCost float64 `json:"projectedCost"`
	MonthlySaving float64 `json:"monthlySaving"`
}

// RightSizing is the recommendations of one window, largest saving first.
type RightSizing struct {
	Window          Window           `json:"window"`
	Currency        string           `json:"currency"`
	Profile         string           `json:"profile"`
	Recommendations []Recommendation `json:"recommendations"`
	// MonthlySaving is the sum of the positive savings: what applying every
	// downsizing recommendation saves (raising the others costs extra).
	MonthlySaving float64  `json:"monthlySaving"`
	Warnings      []string `json:"warnings,omitempty"`
}

// p95Data is one container's p95 usage and last request over the window.
type p95Data struct {
	cpuP95, ramP95         float64
	cpuRequest, ramRequest float64
	runningHours           float64
}

// RightSize recommends requests per workload and container from the p95
// usage over q's window. The query's filter applies; its grouping and form
// do not (recommendations are per workload).
func (a *Allocator) RightSize(ctx context.Context, q Query, profile string) (*RightSizing, error) {
	if profile == "" {
		profile = ProfileProduction
	}
	target, ok := TargetUtilisation[profile]
	if !ok {
		return nil, fmt.Errorf("right-sizing profile %q: want %s or %s", profile, ProfileProduction, ProfileDevelopment)
	}
	q.GroupBy, q.Format = ByWorkload, FormatTable
	if err := q.normalise(); err != nil {
		return nil, err
	}
	e := a.exprs(q)
	window := q.End.Sub(q.Start)
	stats := map[containerKey3]*p95Data{}
	stat := func(s *model.SampleStream) *p95Data {
		k := containerKey3{string(s.Metric["namespace"]), string(s.Metric["pod"]), string(s.Metric["container"])}
		if stats[k] == nil {
			stats[k] = &p95Data{}
		}
		return stats[k]
	}
	lastValue := func(set func(*p95Data, float64)) func(*dataset, model.Matrix) error {
		return func(_ *dataset, m model.Matrix) error {
			for _, s := range m {
				if n := len(s.Values); n > 0 {
					if v := float64(s.Values[n-1].Value); !math.IsNaN(v) && !math.IsInf(v, 0) {
						set(stat(s), v)
					}
				}
			}
			return nil
		}
	}
	lastRequest := func(resource, unit string) string {
		return fmt.Sprintf(`max by (%s) (%s)`, containerKey,
			lastOver(fmt.Sprintf(`kube_pod_container_resource_requests{resource=%q,unit=%q,%s}`, resource, unit, containerSel), window))
	}
	extra := []job{
		instant("cpu p95", e.p95(e.cpuUsage(), window), lastValue(func(p *p95Data, v float64) { p.cpuP95 = v })),
		instant("memory p95", e.p95(e.ramUsage(), window), lastValue(func(p *p95Data, v float64) { p.ramP95 = v })),
		instant("cpu request", lastRequest("cpu", "core"), lastValue(func(p *p95Data, v float64) { p.cpuRequest = v })),
		instant("memory request", lastRequest("memory", "byte"), lastValue(func(p *p95Data, v float64) { p.ramRequest = v })),
		instant("running hours", e.count(e.running(), window), lastValue(func(p *p95Data, v float64) { p.runningHours = v * q.Resolution.Hours() })),
	}
	d, err := a.collect(ctx, q, extra...)
	if err != nil {
		return nil, err
	}
	pcs, _ := a.price(d)
	type acc struct {
		r *Recommendation
		// cpuRateHours and ramRateHours are Σ running hours × the pod's
		// node rate: the projection multiplies them by the recommendation.
		cpuRateHours, ramRateHours float64
	}
	byKey := map[[2]string]*acc{}
	for _, pc := range pcs {
		st := stats[pc.c.key]
		if st == nil || st.runningHours == 0 || !d.keep(pc) {
			continue
		}
		key := [2]string{d.workload(pc.c.key, pc.pod), pc.c.key.container}
		w := byKey[key]
		if w == nil {
			w = &acc{r: &Recommendation{Workload: key[0], Container: key[1], TargetUtilisation: target}}
			byKey[key] = w
		}
		r := w.r
		r.Pods++
		r.CPURequest = max(r.CPURequest, st.cpuRequest)
		r.RAMRequest = max(r.RAMRequest, st.ramRequest)
		r.CPUP95 = max(r.CPUP95, st.cpuP95)
		r.RAMP95 = max(r.RAMP95, st.ramP95)
		r.CurrentCost += pc.cpuCost.sum() + pc.ramCost.sum()
		w.cpuRateHours += st.runningHours * pc.rates.CPUPerCoreHour
		w.ramRateHours += st.runningHours * pc.rates.RAMPerGiBHour
	}
	out := &RightSizing{Window: Window{Start: q.Start, End: q.End}, Currency: "USD", Profile: profile,
		Recommendations: []Recommendation{}, Warnings: d.warnings}
	windowHours := window.Hours()
	for _, w := range byKey {
		r := w.r
		r.CPURecommended = recommend(r.CPUP95, target, minCPUCores, 0.001)
		r.RAMRecommended = recommend(r.RAMP95, target, minRAMBytes, 1<<20)
		r.ProjectedCost = r.CPURecommended*w.cpuRateHours + r.RAMRecommended/gib*w.ramRateHours
		r.MonthlySaving = monthly(r.CurrentCost-r.ProjectedCost, windowHours)
		if r.MonthlySaving > 0 {
			out.MonthlySaving += r.MonthlySaving
		}
		out.Recommendations = append(out.Recommendations, *r)
	}
	sort.Slice(out.Recommendations, func(i, j int) bool {
		a, b := out.Recommendations[i], out.Recommendations[j]
		if a.MonthlySaving != b.MonthlySaving {
			return a.MonthlySaving > b.MonthlySaving
		}
		return a.Workload+"/"+a.Container < b.Workload+"/"+b.Container
	})
	return out, nil
}

// recommend is the request that puts p95 at the target utilisation, never
// below the floor, rounded up to the millicore or the MiB.
func recommend(p95, target, floor, unit float64) float64 {
	v := max(p95/target, floor)
	// The tolerance keeps a p95 of exactly 0.1 core (read back as
	// 0.10000000001 after rate()) from rounding up a whole millicore.
	return math.Ceil(v/unit-1e-6) * unit
}

// Findings turns the recommendations into findings, one per container
// whose request is off its recommendation by more than a fifth and whose
// saving or extra cost is at least minMonthly dollars a month.
func (rs *RightSizing) Findings(minMonthly float64) []incident.Finding {
	var out []incident.Finding
	for _, r := range rs.Recommendations {
		if math.Abs(r.MonthlySaving) < minMonthly {
			continue
		}
		ns, rest, _ := strings.Cut(r.Workload, "/")
		kind, name, _ := strings.Cut(rest, "/")
		f := incident.Finding{
			ID:       "rightsizing/" + r.Workload + "/" + r.Container,
			Analyzer: "rightsizing",
			Entity:   incident.Entity{Namespace: ns, Kind: kind, Name: name},
			Evidence: []string{
				fmt.Sprintf("cpu p95 %s vs request %s", cores(r.CPUP95), cores(r.CPURequest)),
				fmt.Sprintf("memory p95 %s vs request %s", mib(r.RAMP95), mib(r.RAMRequest)),
			},
		}
		change := fmt.Sprintf("set %s's requests to cpu %s, memory %s (p95 at %.0f %% of the request)",
			r.Container, cores(r.CPURecommended), mib(r.RAMRecommended), 100*r.TargetUtilisation)
		if r.MonthlySaving > 0 {
			f.Category, f.Severity = incident.CategoryUnknown, incident.SeverityInfo
			f.Title = fmt.Sprintf("%s/%s is over-provisioned: %.2f $ a month to save", ns, name, r.MonthlySaving)
			f.Detail = "Requests are well above what the busiest replica used at p95; " + change + "."
			f.Confidence = 0.5
		} else {
			f.Category, f.Severity = incident.CategoryResourceExhaustion, incident.SeverityWarning
			f.Title = fmt.Sprintf("%s/%s asks for less than it uses: %.2f $ a month more to cover it", ns, name, -r.MonthlySaving)
			f.Detail = "The busiest replica's p95 usage is at or above its request, so it competes for the node's spare capacity; " + change + "."
			f.Confidence = 0.6
		}
		out = append(out, f)
	}
	return out
}

func cores(v float64) string { return fmt.Sprintf("%.0fm", v*1000) }
func mib(v float64) string   { return fmt.Sprintf("%.0fMi", v/(1<<20)) }
