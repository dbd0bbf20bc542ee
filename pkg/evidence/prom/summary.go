package prom

import (
	"math"
	"slices"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Trends of a series over the incident window.
const (
	TrendRising  = "rising"
	TrendFalling = "falling"
	TrendFlat    = "flat"
	TrendStep    = "step"
)

// Tuning of the summary. A series departs from its baseline when it leaves
// the band median ± max(departSigmas·σ, departRelative·|median|, departAbs)
// for at least departRun consecutive points (or at the last point).
const (
	departSigmas   = 4.0
	departRelative = 0.10
	departAbs      = 1e-9
	departRun      = 2
	// Once a departure is found, the onset is traced back through the
	// points that already sat beyond the tighter band median ±
	// max(traceSigmas·σ, traceRelative·|median|, departAbs): a slow leak
	// crosses the wide band late but leaves the baseline early.
	traceSigmas   = 2.0
	traceRelative = 0.01
	// Points before startsAt are the baseline, but only the earliest
	// baselineShare of them: the rise that triggered the alert usually
	// begins before startsAt (the rule's "for"), and must not count as
	// normal.
	baselineShare = 0.5
	// minBaseline is the fewest points a baseline is built from; with fewer
	// before startsAt, the first points of the window stand in.
	minBaseline = 3
	// A change is a step when one jump carries stepShare of the net change.
	stepShare = 0.6
	// flatShare: a range below this share of the series' scale is flat.
	flatShare = 0.05
	// trendShare: a fitted change below this share of the range is no trend.
	trendShare = 0.3
)

// Summarise condenses points (oldest first, finite values) into the numbers
// analyzers reason on. startsAt anchors the baseline and the onset offset;
// a zero startsAt takes the first points as baseline.
func Summarise(points []incident.Point, startsAt time.Time) incident.SeriesSummary {
	if len(points) == 0 {
		return incident.SeriesSummary{Trend: TrendFlat}
	}
	s := incident.SeriesSummary{
		Min: math.Inf(1), Max: math.Inf(-1),
		First: points[0].V, Last: points[len(points)-1].V,
	}
	n := float64(len(points))
	for _, p := range points {
		s.Min = math.Min(s.Min, p.V)
		s.Max = math.Max(s.Max, p.V)
		s.Mean += p.V / n // divided first: a sum of huge values would overflow
	}
	s.Trend = trend(points, s)
	if i := onsetIndex(points, startsAt); i >= 0 {
		s.Onset = points[i].T
		if !startsAt.IsZero() {
			s.OnsetOffsetSec = points[i].T.Sub(startsAt).Seconds()
		}
	}
	return s
}

// baseline returns the points that show the series' normal behaviour.
func baseline(points []incident.Point, startsAt time.Time) []incident.Point {
	before := len(points)
	if !startsAt.IsZero() {
		before = 0
		for before < len(points) && points[before].T.Before(startsAt) {
			before++
		}
	}
	n := int(math.Ceil(float64(before) * baselineShare))
	if startsAt.IsZero() {
		n = len(points) / 4
	}
	n = max(n, minBaseline)
	return points[:min(n, len(points))]
}

// onsetIndex is the index of the first point of the first sustained
// departure from the baseline, or -1.
func onsetIndex(points []incident.Point, startsAt time.Time) int {
	base := baseline(points, startsAt)
	if len(base) == len(points) {
		return -1
	}
	values := make([]float64, len(base))
	for i, p := range base {
		values[i] = p.V
	}
	center := median(values)
	for i := range values {
		values[i] = math.Abs(values[i] - center)
	}
	sigma := 1.4826 * median(values) // MAD scaled to a normal σ
	band := max(departSigmas*sigma, departRelative*math.Abs(center), departAbs)
	tight := max(traceSigmas*sigma, traceRelative*math.Abs(center), departAbs)

	direction := func(v, band float64) int {
		switch {
		case v > center+band:
			return 1
		case v < center-band:
			return -1
		}
		return 0
	}
	for i := len(base); i < len(points); i++ {
		d := direction(points[i].V, band)
		if d == 0 {
			continue
		}
		run := 1
		for j := i + 1; j < len(points) && run < departRun && direction(points[j].V, band) == d; j++ {
			run++
		}
		if run < departRun && i < len(points)-1 {
			continue
		}
		for i > 0 && direction(points[i-1].V, tight) == d {
			i--
		}
		return i
	}
	return -1
}

func trend(points []incident.Point, s incident.SeriesSummary) string {
	spread := s.Max - s.Min
	scale := max(math.Abs(s.First), math.Abs(s.Last), math.Abs(s.Mean), math.Abs(s.Max), math.Abs(s.Min))
	if len(points) < 2 || spread <= flatShare*scale || spread <= departAbs {
		return TrendFlat
	}
	net := s.Last - s.First
	var biggestJump float64
	for i := 1; i < len(points); i++ {
		d := points[i].V - points[i-1].V
		if math.Abs(d) > math.Abs(biggestJump) {
			biggestJump = d
		}
	}
	if math.Abs(net) >= 0.5*spread && biggestJump*net > 0 && math.Abs(biggestJump) >= stepShare*math.Abs(net) {
		return TrendStep
	}
	fitted := slope(points) * points[len(points)-1].T.Sub(points[0].T).Seconds()
	switch {
	case fitted >= trendShare*spread:
		return TrendRising
	case fitted <= -trendShare*spread:
		return TrendFalling
	}
	return TrendFlat
}

// slope is the least-squares slope in value per second.
func slope(points []incident.Point) float64 {
	t0 := points[0].T
	var sx, sy, sxx, sxy float64
	for _, p := range points {
		x := p.T.Sub(t0).Seconds()
		sx += x
		sy += p.V
		sxx += x * x
		sxy += x * p.V
	}
	n := float64(len(points))
	den := n*sxx - sx*sx
	if den == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / den
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return s[m-1]/2 + s[m]/2
}

// deviation scores how far a series moved from its baseline relative to its
// scale, to keep the most telling series when a query returns too many.
func deviation(points []incident.Point, startsAt time.Time, s incident.SeriesSummary) float64 {
	if len(points) == 0 {
		return 0
	}
	base := baseline(points, startsAt)
	values := make([]float64, len(base))
	for i, p := range base {
		values[i] = p.V
	}
	center := median(values)
	far := max(math.Abs(s.Max-center), math.Abs(s.Min-center))
	d := far / max(math.Abs(center), math.Abs(s.Max), departAbs)
	if math.IsNaN(d) {
		return 0
	}
	return d
}
