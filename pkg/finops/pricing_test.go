package finops

import (
	"strings"
	"testing"
	"time"
)

func TestRates(t *testing.T) {
	custom := DefaultPricing()
	custom.CustomOnly = true
	file := custom
	file.InstanceTypes = map[string]InstancePrice{"m5.large": {OnDemand: 0.2, Spot: 0.05}, "c5.large": {OnDemand: 0.1}}
	tests := []struct {
		name       string
		p          Pricing
		n          Node
		wantHourly float64
		wantSource string
	}{
		{"eks table", DefaultPricing(), Node{InstanceType: "m5.large", Region: "us-east-1", Cores: 2, GiB: 8}, 0.096, "eks-table"},
		{"eks size scaling", DefaultPricing(), Node{InstanceType: "c6i.4xlarge", Region: "us-east-1", Cores: 16, GiB: 32}, 0.085 * 8, "eks-table"},
		{"eks region", DefaultPricing(), Node{InstanceType: "m5.large", Region: "eu-west-1", Cores: 2, GiB: 8}, 0.096 * 1.115, "eks-table"},
		{"default region", DefaultPricing(), Node{InstanceType: "t3.medium", Cores: 2, GiB: 4}, 0.0416, "eks-table"},
		{"eks spot", DefaultPricing(), Node{InstanceType: "r5.large", Region: "us-east-1", Spot: true, Cores: 2, GiB: 16}, 0.126 * 0.3, "eks-table+spot"},
		{"unknown type", DefaultPricing(), Node{InstanceType: "x9.huge", Cores: 4, GiB: 16}, 4*0.031611 + 16*0.004237, "custom"},
		{"unknown type spot", DefaultPricing(), Node{InstanceType: "x9.huge", Spot: true, Cores: 4, GiB: 16}, (4*0.031611 + 16*0.004237) * 0.3, "custom+spot"},
		{"custom only ignores the table", custom, Node{InstanceType: "m5.large", Cores: 2, GiB: 8}, 2*0.031611 + 8*0.004237, "custom"},
		{"pricing file type", file, Node{InstanceType: "m5.large", Cores: 2, GiB: 8}, 0.2, "pricing-file"},
		{"pricing file spot", file, Node{InstanceType: "m5.large", Spot: true, Cores: 2, GiB: 8}, 0.05, "pricing-file+spot"},
		{"pricing file spot by discount", file, Node{InstanceType: "c5.large", Spot: true, Cores: 2, GiB: 4}, 0.1 * 0.3, "pricing-file+spot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.p.Rates(tt.n)
			near(t, "hourly", r.Hourly, tt.wantHourly)
			if r.Source != tt.wantSource {
				t.Errorf("source = %q, want %q", r.Source, tt.wantSource)
			}
			// The split always adds back up to the node price.
			near(t, "cores·cpu + GiB·ram", tt.n.Cores*r.CPUPerCoreHour+tt.n.GiB*r.RAMPerGiBHour, tt.wantHourly)
			if r.RAMPerGiBHour > 0 {
				near(t, "cpu/ram ratio", r.CPUPerCoreHour/r.RAMPerGiBHour, 0.031611/0.004237)
			}
		})
	}
}

func TestParsePricing(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
		wantCPU, wantRAM  float64
	}{
		{name: "rates", in: `{"cpuPerCoreHour": 0.05, "ramPerGiBHour": 0.01}`, wantCPU: 0.05, wantRAM: 0.01},
		{name: "defaults", in: `{}`, wantCPU: 0.031611, wantRAM: 0.004237},
		{name: "instance types", in: `{"instanceTypes": {"m5.large": {"onDemand": 0.1}}}`, wantCPU: 0.031611, wantRAM: 0.004237},
		{name: "negative", in: `{"cpuPerCoreHour": -1}`, wantErr: "cpuPerCoreHour"},
		{name: "unknown field", in: `{"cpu": 1}`, wantErr: "unknown field"},
		{name: "not json", in: `cpu=1`, wantErr: "pricing JSON"},
		{name: "both zero", in: `{"cpuPerCoreHour": 0, "ramPerGiBHour": 0}`, wantErr: "both 0"},
		{name: "bad discount", in: `{"spotDiscount": 1}`, wantErr: "spotDiscount"},
		{name: "too big", in: `{"region": "` + strings.Repeat("x", maxPricingBytes) + `"}`, wantErr: "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePricing(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !p.CustomOnly || p.CPUPerCoreHour != tt.wantCPU || p.RAMPerGiBHour != tt.wantRAM {
				t.Errorf("pricing = %+v", p)
			}
		})
	}
}

func TestParseQuery(t *testing.T) {
	start := time.Date(2026, 11, 20, 10, 2, 30, 0, time.UTC)
	end := start.Add(24 * time.Hour)
	tests := []struct {
		name, in, wantErr string
		check             func(t *testing.T, q Query)
	}{
		{name: "empty is namespace table", in: ``, check: func(t *testing.T, q Query) {
			if q.GroupBy != ByNamespace || q.Format != FormatTable || q.Step != q.End.Sub(q.Start) {
				t.Errorf("query = %+v", q)
			}
			if !q.Start.Equal(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)) {
				t.Errorf("start %s not aligned to 5m", q.Start)
			}
		}},
		{name: "label and filters", in: `{"groupBy":"label:cost-center","filter":{"namespace":"shop","node":["a","b"],"labels":{"team":"x"}}}`, check: func(t *testing.T, q Query) {
			if q.GroupBy != "label:cost-center" || len(q.Filter.Namespaces) != 1 || len(q.Filter.Nodes) != 2 || q.Filter.Labels["team"] != "x" {
				t.Errorf("query = %+v", q)
			}
			if got := q.labelKeys(); strings.Join(got, ",") != "cost-center,team" {
				t.Errorf("label keys = %v", got)
			}
		}},
		{name: "timeseries default step", in: `{"format":"timeseries"}`, check: func(t *testing.T, q Query) {
			if q.Step != 15*time.Minute || q.End.Sub(q.Start)%q.Step != 0 {
				t.Errorf("step = %s over %s", q.Step, q.End.Sub(q.Start))
			}
		}},
		{name: "timeseries step in days", in: `{"format":"timeseries","step":"1d","resolution":"1h"}`, check: func(t *testing.T, q Query) {
			if q.Step != 24*time.Hour || q.Resolution != time.Hour {
				t.Errorf("query = %+v", q)
			}
		}},
		{name: "bad group", in: `{"groupBy":"team"}`, wantErr: "groupBy"},
		{name: "bad label", in: `{"groupBy":"label:"}`, wantErr: "groupBy"},
		{name: "bad format", in: `{"format":"graph"}`, wantErr: "format"},
		{name: "step not a multiple", in: `{"format":"timeseries","step":"7m"}`, wantErr: "multiple"},
		{name: "five-minute points", in: `{"format":"timeseries","step":"5m"}`, check: func(t *testing.T, q Query) {
			if q.Step != 5*time.Minute || q.End.Sub(q.Start)/q.Step != 288 {
				t.Errorf("query = %+v", q)
			}
		}},
		{name: "bad resolution", in: `{"resolution":"30s"}`, wantErr: "resolution"},
		{name: "quote in filter", in: `{"filter":{"namespace":"a\"b"}}`, wantErr: "Kubernetes name"},
		{name: "not json", in: `groupBy=namespace`, wantErr: "JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(strings.NewReader(tt.in), start, end)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, q)
			}
		})
	}
	if _, err := ParseQuery(strings.NewReader(`{}`), end, start); err == nil {
		t.Error("an inverted window was accepted")
	}
	if _, err := ParseQuery(strings.NewReader(`{}`), start, start.Add(100*24*time.Hour)); err == nil {
		t.Error("a window beyond the maximum was accepted")
	}
}

func FuzzParseQuery(f *testing.F) {
	f.Add(`{"groupBy":"label:team","filter":{"namespace":["a"]},"format":"timeseries","step":"1h"}`)
	f.Add(`{"groupBy":"workload","resolution":"1d"}`)
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		q, err := ParseQuery(strings.NewReader(in), start, start.Add(7*24*time.Hour))
		if err != nil {
			return
		}
		w := q.End.Sub(q.Start)
		if q.Step <= 0 || w <= 0 || w%q.Step != 0 || w/q.Step > MaxBuckets || q.Step%q.Resolution != 0 {
			t.Fatalf("accepted a query that cannot be evaluated: %+v", q)
		}
	})
}

func FuzzParsePricing(f *testing.F) {
	f.Add(`{"cpuPerCoreHour": 0.031611, "ramPerGiBHour": 0.004237, "instanceTypes": {"m5.large": {"onDemand": 0.096}}}`)
	f.Fuzz(func(t *testing.T, in string) {
		p, err := ParsePricing(strings.NewReader(in))
		if err != nil {
			return
		}
		r := p.Rates(Node{InstanceType: "m5.large", Cores: 2, GiB: 8})
		if r.Hourly < 0 || r.CPUPerCoreHour < 0 || r.RAMPerGiBHour < 0 {
			t.Fatalf("negative rates %+v from %s", r, in)
		}
	})
}
