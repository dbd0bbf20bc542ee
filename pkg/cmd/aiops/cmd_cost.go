package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cloudobs/aiops-app/pkg/finops"
)

func costCommand() command {
	return command{
		name:    "cost",
		summary: "Kubernetes cost allocation from Prometheus (OpenCost-compatible): by namespace, workload, pod, node or label",
		run:     runCost,
	}
}

const costUsage = "--prometheus-url U [--start T --end T | --window 24h] [--by namespace|workload|pod|node|container|label:<name>] [--pricing FILE] [--format table|json|csv] [--namespace NS[,NS]] [--uncompressed-answers] [--rightsizing [--profile production|development]]"

func runCost(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "cost", costUsage)
	promURL := fs.String("prometheus-url", "", "Prometheus (or AMP, Mimir, Thanos) holding kube-state-metrics v2 and cAdvisor metrics")
	startFlag := fs.String("start", "", "window start, RFC3339 (with --end)")
	endFlag := fs.String("end", "", "window end, RFC3339 (default $AIOPS_NOW or now)")
	windowFlag := fs.String("window", "", "window length before the end, e.g. 24h, 7d (default 24h; excludes --start)")
	by := fs.String("by", finops.ByNamespace, "group by namespace, workload, pod, node, container or label:<name>")
	pricingFile := fs.String("pricing", "", `JSON prices {"cpuPerCoreHour": 0.031611, "ramPerGiBHour": 0.004237, "instanceTypes": {...}}; node prices from the EKS table are then ignored`)
	format := fs.String("format", "table", "table, json or csv (FOCUS column names)")
	resolution := fs.Duration("resolution", finops.DefaultResolution, "sampling step of the integration")
	rateWindow := fs.Duration("rate-window", 0, "range of rate() for CPU usage (default the resolution; raise it when scrapes are sparse)")
	timeout := fs.Duration("timeout", 2*time.Minute, "bound on the whole allocation")
	namespaces := fs.String("namespace", "", "keep only these namespaces (comma-separated)")
	uncompressed := fs.Bool("uncompressed-answers", false, "ask Prometheus for uncompressed answers: less CPU for it when it is on this host or a fast network, 60 times the bytes")
	rightsizing := fs.Bool("rightsizing", false, "recommend requests per workload from p95 usage instead of allocating cost")
	profile := fs.String("profile", finops.ProfileProduction, "right-sizing target: production (p95 at 80 % of the request) or development (65 %)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *promURL == "" {
		return usagef("--prometheus-url is required")
	}
	if *format != "table" && *format != "json" && *format != "csv" {
		return usagef("--format %q: want table, json or csv", *format)
	}
	if *timeout <= 0 {
		return usagef("--timeout must be positive")
	}
	start, end, err := costWindow(*startFlag, *endFlag, *windowFlag, sio.getenv("AIOPS_NOW"))
	if err != nil {
		return err
	}
	pricing := finops.DefaultPricing()
	if *pricingFile != "" {
		f, err := openInput(sio, *pricingFile)
		if err != nil {
			return err
		}
		pricing, err = finops.ParsePricing(f)
		f.Close()
		if err != nil {
			return usagef("--pricing: %v", err)
		}
	}
	q := finops.Query{Start: start, End: end, GroupBy: *by, Resolution: *resolution, Format: finops.FormatTable,
		Filter: finops.Filter{Namespaces: splitList(*namespaces)}}
	client, err := finops.Dial(*promURL, nil, *timeout, 0)
	if err != nil {
		return usagef("--prometheus-url: %v", err)
	}
	alloc, err := finops.New(client, pricing, finops.Options{RateWindow: *rateWindow, UncompressedAnswers: *uncompressed})
	if err != nil {
		return usagef("%v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := q.Validate(); err != nil {
		return usagef("%v", err)
	}
	if *rightsizing {
		return runRightSizing(ctx, sio, alloc, q, *profile, *format)
	}
	res, err := alloc.Allocate(ctx, q)
	if err != nil {
		return fmt.Errorf("%w%s", err, costHint)
	}
	printWarnings(sio, res.Warnings)
	switch *format {
	case "json":
		return writeJSON(sio.out, res)
	case "csv":
		return writeCostCSV(sio.out, res)
	}
	return writeCostTable(sio.out, res)
}

// costWindow is [start, end] from --start/--end, or --window before --end.
func costWindow(startFlag, endFlag, windowFlag, env string) (time.Time, time.Time, error) {
	if startFlag != "" && windowFlag != "" {
		return time.Time{}, time.Time{}, usagef("--start and --window exclude each other")
	}
	end, err := evaluationTime(endFlag, env)
	if err != nil {
		return time.Time{}, time.Time{}, usagef("--end: %v", err)
	}
	if startFlag != "" {
		start, err := time.Parse(time.RFC3339, startFlag)
		if err != nil {
			return time.Time{}, time.Time{}, usagef("--start %q is not an RFC3339 time like 2026-11-20T10:00:00Z", startFlag)
		}
		if !start.Before(end) {
			return time.Time{}, time.Time{}, usagef("--start %s is not before the end %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
		}
		return start, end, nil
	}
	if windowFlag == "" {
		windowFlag = "24h"
	}
	w, err := finops.ParseWindow(windowFlag)
	if err != nil {
		return time.Time{}, time.Time{}, usagef("--window: %v", err)
	}
	return end.Add(-w), end, nil
}

func money(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

func writeCostTable(w io.Writer, res *finops.Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tCPU $\tRAM $\tTOTAL $\tCPU core-h\tRAM GiB-h\tEFFICIENCY\t$/MONTH\t\n", res.GroupBy)
	for _, r := range res.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.2f\t%.2f\t%.0f%%\t%s\t\n", r.Name, money(r.CPUCost), money(r.RAMCost), money(r.TotalCost),
			r.CPUCoreHours, r.RAMGiBHours, 100*r.Efficiency, money(r.MonthlyRate))
	}
	fmt.Fprintf(tw, "%s\t\t\t%s\t\t\t\t\t\n", finops.IdleName, money(res.IdleCost))
	if res.ControlPlaneCost > 0 {
		fmt.Fprintf(tw, "control plane\t\t\t%s\t\t\t\t\t\n", money(res.ControlPlaneCost))
	}
	fmt.Fprintf(tw, "total\t\t\t%s\t\t\t\t%s\t\n", money(res.TotalCost), money(res.MonthlyRate))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "window %s .. %s, %s\n", res.Window.Start.Format(time.RFC3339), res.Window.End.Format(time.RFC3339), res.Currency)
	return err
}

// writeCostCSV writes one line per row, the idle cost and the control plane,
// in FOCUS (FinOps Open Cost and Usage Specification) column names where
// one fits and x_ columns for the Kubernetes fields.
func writeCostCSV(w io.Writer, res *finops.Result) error {
	cw := csv.NewWriter(w)
	header := []string{"ChargePeriodStart", "ChargePeriodEnd", "BillingCurrency", "EffectiveCost", "ChargeCategory",
		"ServiceCategory", "ServiceName", "ResourceName", "ResourceType",
		"x_GroupBy", "x_CpuCost", "x_RamCost", "x_CpuCoreHours", "x_RamGiBHours", "x_CpuUsageCoreHours", "x_RamUsageGiBHours", "x_Efficiency", "x_MonthlyRate"}
	if err := cw.Write(header); err != nil {
		return err
	}
	start, end := res.Window.Start.Format(time.RFC3339), res.Window.End.Format(time.RFC3339)
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, r := range res.Rows {
		if err := cw.Write([]string{start, end, res.Currency, f(r.TotalCost), "Usage", "Compute", "Kubernetes", r.Name, res.GroupBy,
			res.GroupBy, f(r.CPUCost), f(r.RAMCost), f(r.CPUCoreHours), f(r.RAMGiBHours), f(r.CPUUsageCoreHours), f(r.RAMUsageGiBHours),
			f(r.Efficiency), f(r.MonthlyRate)}); err != nil {
			return err
		}
	}
	extra := [][]string{{start, end, res.Currency, f(res.IdleCost), "Usage", "Compute", "Kubernetes", finops.IdleName, "idle", res.GroupBy}}
	if res.ControlPlaneCost > 0 {
		extra = append(extra, []string{start, end, res.Currency, f(res.ControlPlaneCost), "Usage", "Compute", "Amazon Elastic Kubernetes Service", "control-plane", "cluster", res.GroupBy})
	}
	for _, e := range extra {
		if err := cw.Write(append(e, make([]string, len(header)-len(e))...)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func runRightSizing(ctx context.Context, sio stdio, alloc *finops.Allocator, q finops.Query, profile, format string) error {
	if _, ok := finops.TargetUtilisation[profile]; !ok {
		return usagef("--profile %q: want %s or %s", profile, finops.ProfileProduction, finops.ProfileDevelopment)
	}
	rs, err := alloc.RightSize(ctx, q, profile)
	if err != nil {
		return fmt.Errorf("%w%s", err, costHint)
	}
	printWarnings(sio, rs.Warnings)
	switch format {
	case "json":
		return writeJSON(sio.out, rs)
	case "csv":
		return writeRightSizingCSV(sio.out, rs)
	}
	tw := tabwriter.NewWriter(sio.out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "workload\tcontainer\tpods\tCPU req\tCPU p95\tCPU rec\tMEM req\tMEM p95\tMEM rec\t$/MONTH SAVED\t\n")
	for _, r := range rs.Recommendations {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\t%s\t\n", r.Workload, r.Container, r.Pods,
			r.CPURequest, r.CPUP95, r.CPURecommended, mebibytes(r.RAMRequest), mebibytes(r.RAMP95), mebibytes(r.RAMRecommended), money(r.MonthlySaving))
	}
	fmt.Fprintf(tw, "total\t\t\t\t\t\t\t\t\t%s\t\n", money(rs.MonthlySaving))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(sio.out, "profile %s (p95 at %.0f %% of the request), window %s .. %s, %s; negative savings are workloads that need more\n",
		rs.Profile, 100*finops.TargetUtilisation[rs.Profile], rs.Window.Start.Format(time.RFC3339), rs.Window.End.Format(time.RFC3339), rs.Currency)
	return err
}

func mebibytes(b float64) string { return strconv.FormatFloat(b/(1<<20), 'f', 0, 64) + "Mi" }

func writeRightSizingCSV(w io.Writer, rs *finops.RightSizing) error {
	cw := csv.NewWriter(w)
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if err := cw.Write([]string{"workload", "container", "pods", "cpuRequest", "cpuP95", "cpuRecommended",
		"ramRequestBytes", "ramP95Bytes", "ramRecommendedBytes", "currentCost", "projectedCost", "monthlySaving"}); err != nil {
		return err
	}
	for _, r := range rs.Recommendations {
		if err := cw.Write([]string{r.Workload, r.Container, strconv.Itoa(r.Pods), f(r.CPURequest), f(r.CPUP95), f(r.CPURecommended),
			f(r.RAMRequest), f(r.RAMP95), f(r.RAMRecommended), f(r.CurrentCost), f(r.ProjectedCost), f(r.MonthlySaving)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// splitList reads a comma-separated flag; empty items are dropped.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

const costHint = " (check --prometheus-url and that kube-state-metrics and cAdvisor are scraped)"

func printWarnings(sio stdio, warnings []string) {
	for _, w := range warnings {
		fmt.Fprintln(sio.errOut, "warning: "+w)
	}
}
