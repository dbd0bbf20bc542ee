package finops

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// OpenCost's custom-pricing defaults, used when nothing better is known and
// as the CPU-to-RAM price ratio that splits a node's hourly price.
const (
	DefaultCPUPerCoreHour = 0.031611
	DefaultRAMPerGiBHour  = 0.004237
	// DefaultSpotDiscount is the share knocked off the on-demand price of a
	// spot node when the pricing has no spot price for its instance type;
	// AWS's own figure for the typical saving is 70 %.
	DefaultSpotDiscount = 0.70
	// EKSControlPlanePerHour is the EKS fee per cluster-hour under standard
	// support.
	EKSControlPlanePerHour = 0.10
	// HoursPerMonth is the month of every monthly run rate (OpenCost's 730).
	HoursPerMonth = 730.0
)

// maxPricingBytes bounds a pricing file: a table of a few hundred instance
// types is a few tens of KiB.
const maxPricingBytes = 1 << 20

// Pricing says what compute costs. The zero value is not usable; start from
// DefaultPricing or ParsePricing.
type Pricing struct {
	// CPUPerCoreHour and RAMPerGiBHour are the custom rates: what a node
	// without a known price costs, and the ratio that splits a known node
	// price into CPU and RAM.
	CPUPerCoreHour float64 `json:"cpuPerCoreHour"`
	RAMPerGiBHour  float64 `json:"ramPerGiBHour"`
	// SpotDiscount applies to spot nodes without a spot price, in [0,1).
	SpotDiscount float64 `json:"spotDiscount,omitempty"`
	// InstanceTypes are per-instance-type node prices, $ per node-hour;
	// they win over the built-in table.
	InstanceTypes map[string]InstancePrice `json:"instanceTypes,omitempty"`
	// CustomOnly ignores node prices (the built-in EKS table): every node is
	// costed at the custom rates unless InstanceTypes names its type. A
	// pricing file given on the command line sets it.
	CustomOnly bool `json:"-"`
	// ControlPlanePerHour is added once per cluster-hour when the cluster
	// is EKS (detected from node labels or provider ids), or always when
	// ForceControlPlane is set.
	ControlPlanePerHour float64 `json:"controlPlanePerHour,omitempty"`
	ForceControlPlane   bool    `json:"forceControlPlane,omitempty"`
	// Region is the default region of nodes that do not say theirs.
	Region string `json:"region,omitempty"`
}

// InstancePrice is a node price for one instance type.
type InstancePrice struct {
	OnDemand float64 `json:"onDemand"`
	Spot     float64 `json:"spot,omitempty"`
}

// DefaultPricing is OpenCost's custom pricing, the built-in EKS table and
// the EKS control-plane fee.
func DefaultPricing() Pricing {
	return Pricing{
		CPUPerCoreHour:      DefaultCPUPerCoreHour,
		RAMPerGiBHour:       DefaultRAMPerGiBHour,
		SpotDiscount:        DefaultSpotDiscount,
		ControlPlanePerHour: EKSControlPlanePerHour,
		Region:              "us-east-1",
	}
}

// ParsePricing reads a pricing file: {"cpuPerCoreHour": 0.031611,
// "ramPerGiBHour": 0.004237, "instanceTypes": {"m5.large": {"onDemand":
// 0.096, "spot": 0.035}}}. Missing rates take the defaults. A file means the
// operator priced the cluster: node prices from the built-in table are
// ignored.
func ParsePricing(r io.Reader) (Pricing, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPricingBytes+1))
	if err != nil {
		return Pricing{}, fmt.Errorf("read pricing: %w", err)
	}
	if len(data) > maxPricingBytes {
		return Pricing{}, fmt.Errorf("pricing file is larger than %d bytes", maxPricingBytes)
	}
	p := DefaultPricing()
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Pricing{}, fmt.Errorf("pricing JSON: %w (want {\"cpuPerCoreHour\": 0.031611, \"ramPerGiBHour\": 0.004237})", err)
	}
	p.CustomOnly = true
	if err := p.Validate(); err != nil {
		return Pricing{}, err
	}
	return p, nil
}

// maxInstanceTypes bounds the per-instance-type table.
const maxInstanceTypes = 2000

// Validate rejects prices a bill cannot have.
func (p Pricing) Validate() error {
	var errs []error
	check := func(name string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 10000 {
			errs = append(errs, fmt.Errorf("%s = %v: want a price in [0, 10000] $", name, v))
		}
	}
	check("cpuPerCoreHour", p.CPUPerCoreHour)
	check("ramPerGiBHour", p.RAMPerGiBHour)
	check("controlPlanePerHour", p.ControlPlanePerHour)
	if p.CPUPerCoreHour == 0 && p.RAMPerGiBHour == 0 {
		errs = append(errs, errors.New("cpuPerCoreHour and ramPerGiBHour are both 0: nothing would cost anything"))
	}
	if math.IsNaN(p.SpotDiscount) || p.SpotDiscount < 0 || p.SpotDiscount >= 1 {
		errs = append(errs, fmt.Errorf("spotDiscount = %v: want a share in [0, 1)", p.SpotDiscount))
	}
	if len(p.InstanceTypes) > maxInstanceTypes {
		errs = append(errs, fmt.Errorf("instanceTypes has %d entries, at most %d", len(p.InstanceTypes), maxInstanceTypes))
	}
	for name, ip := range p.InstanceTypes {
		if name == "" || len(name) > 64 {
			errs = append(errs, fmt.Errorf("instance type %q: want a name of 1 to 64 characters", name))
		}
		check("instanceTypes["+name+"].onDemand", ip.OnDemand)
		check("instanceTypes["+name+"].spot", ip.Spot)
	}
	return errors.Join(errs...)
}

// Node is what the pricing needs to know of a node.
type Node struct {
	Name         string
	InstanceType string
	Region       string
	Spot         bool
	// Cores and GiB are the node's average capacity over the window.
	Cores, GiB float64
}

// NodeRates is a node's price, whole and split into its resources.
type NodeRates struct {
	Hourly         float64 `json:"hourly"`
	CPUPerCoreHour float64 `json:"cpuPerCoreHour"`
	RAMPerGiBHour  float64 `json:"ramPerGiBHour"`
	// Source says where the price came from: "custom", "pricing-file",
	// "eks-table", with "+spot" when discounted.
	Source string `json:"source"`
}

// Rates prices a node. A known node price (the pricing file's instance
// types, or the built-in EKS table unless CustomOnly) is split into CPU and
// RAM as OpenCost does: the custom CPU-to-RAM price ratio is kept, and the
// two scale together so that cores×cpu + GiB×ram equals the node price.
// Without a known price the node costs its capacity at the custom rates.
func (p Pricing) Rates(n Node) NodeRates {
	hourly, source, ok := p.nodePrice(n)
	if !ok || n.Cores+n.GiB <= 0 {
		r := NodeRates{
			CPUPerCoreHour: p.CPUPerCoreHour,
			RAMPerGiBHour:  p.RAMPerGiBHour,
			Source:         "custom",
		}
		if n.Spot && !p.CustomOnly {
			r.CPUPerCoreHour *= 1 - p.SpotDiscount
			r.RAMPerGiBHour *= 1 - p.SpotDiscount
			r.Source += "+spot"
		}
		r.Hourly = n.Cores*r.CPUPerCoreHour + n.GiB*r.RAMPerGiBHour
		return r
	}
	r := NodeRates{Hourly: hourly, Source: source}
	if p.RAMPerGiBHour == 0 {
		// No ratio to split by: the whole price is CPU.
		if n.Cores > 0 {
			r.CPUPerCoreHour = hourly / n.Cores
		}
		return r
	}
	ratio := p.CPUPerCoreHour / p.RAMPerGiBHour
	r.RAMPerGiBHour = hourly / (n.Cores*ratio + n.GiB)
	r.CPUPerCoreHour = r.RAMPerGiBHour * ratio
	return r
}

// nodePrice finds a node's hourly price: the pricing file's instance type,
// then the EKS table; spot nodes take the spot price or the discount.
func (p Pricing) nodePrice(n Node) (float64, string, bool) {
	if n.InstanceType == "" {
		return 0, "", false
	}
	if ip, ok := p.InstanceTypes[n.InstanceType]; ok && ip.OnDemand > 0 {
		if !n.Spot {
			return ip.OnDemand, "pricing-file", true
		}
		if ip.Spot > 0 {
			return ip.Spot, "pricing-file+spot", true
		}
		return ip.OnDemand * (1 - p.SpotDiscount), "pricing-file+spot", true
	}
	if p.CustomOnly {
		return 0, "", false
	}
	region := n.Region
	if region == "" {
		region = p.Region
	}
	price, ok := eksOnDemand(n.InstanceType, region)
	if !ok {
		return 0, "", false
	}
	if n.Spot {
		return price * (1 - p.SpotDiscount), "eks-table+spot", true
	}
	return price, "eks-table", true
}
