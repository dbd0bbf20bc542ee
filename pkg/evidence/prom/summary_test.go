package prom

import (
	"math"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

var t0 = time.Date(2026, 11, 20, 9, 45, 0, 0, time.UTC)

// series builds n points 15s apart from t0 with values f(i).
func series(n int, f func(i int) float64) []incident.Point {
	out := make([]incident.Point, n)
	for i := range out {
		out[i] = incident.Point{T: t0.Add(time.Duration(i) * 15 * time.Second), V: f(i)}
	}
	return out
}

func at(i int) time.Time { return t0.Add(time.Duration(i) * 15 * time.Second) }

func TestSummarise(t *testing.T) {
	const mib = 1 << 20
	startsAt := at(60) // 15 minutes into the window
	tests := []struct {
		name      string
		points    []incident.Point
		startsAt  time.Time
		trend     string
		onset     time.Time // zero: none expected
		min, max  float64
		first     float64
		last      float64
		mean      float64 // NaN: not checked
		offsetSec float64
	}{
		{
			name: "constant is flat without onset", points: series(80, func(int) float64 { return 128 * mib }),
			startsAt: startsAt, trend: TrendFlat, min: 128 * mib, max: 128 * mib, first: 128 * mib, last: 128 * mib, mean: 128 * mib,
		},
		{
			name: "all zero is flat", points: series(80, func(int) float64 { return 0 }),
			startsAt: startsAt, trend: TrendFlat, mean: 0,
		},
		{
			name: "memory leak rises from 10 minutes before startsAt",
			points: series(80, func(i int) float64 {
				if i < 20 {
					return 60 * mib
				}
				return 60*mib + float64(i-20)*mib
			}),
			startsAt: startsAt, trend: TrendRising, onset: at(21), // the first point above the flat 60 MiB
			min: 60 * mib, max: 119 * mib, first: 60 * mib, last: 119 * mib, mean: math.NaN(), offsetSec: -39 * 15,
		},
		{
			name: "restart counter steps once",
			points: series(80, func(i int) float64 {
				if i < 62 {
					return 0
				}
				return 1
			}),
			startsAt: startsAt, trend: TrendStep, onset: at(62), min: 0, max: 1, first: 0, last: 1, mean: 18.0 / 80, offsetSec: 30,
		},
		{
			name: "error ratio jumps and stays noisy",
			points: series(80, func(i int) float64 {
				if i < 58 {
					return 0
				}
				return 0.3 + 0.01*float64(i%3)
			}),
			startsAt: startsAt, trend: TrendStep, onset: at(58), min: 0, max: 0.32, first: 0, last: 0.3 + 0.01*float64(79%3),
			mean: math.NaN(), offsetSec: -30,
		},
		{
			name:     "request rate falls gradually",
			points:   series(80, func(i int) float64 { return 100 - float64(i) }),
			startsAt: startsAt, trend: TrendFalling, onset: at(37),
			min: 21, max: 100, first: 100, last: 21, mean: 60.5, offsetSec: -23 * 15,
		},
		{
			name:     "noise within 2% is flat",
			points:   series(80, func(i int) float64 { return 50 + math.Sin(float64(i)) }),
			startsAt: startsAt, trend: TrendFlat,
			min: math.NaN(), max: math.NaN(), first: 50, last: 50 + math.Sin(79), mean: math.NaN(),
		},
		{
			name: "one-point spike is no onset",
			points: series(80, func(i int) float64 {
				if i == 65 {
					return 10
				}
				return 1
			}),
			startsAt: startsAt, trend: TrendFlat, min: 1, max: 10, first: 1, last: 1, mean: (79 + 10) / 80.0,
		},
		{
			name: "departure at the very last point counts",
			points: series(80, func(i int) float64 {
				if i == 79 {
					return 10
				}
				return 1
			}),
			startsAt: startsAt, trend: TrendStep, onset: at(79), min: 1, max: 10, first: 1, last: 10, mean: (79 + 10) / 80.0,
			offsetSec: 19 * 15,
		},
		{
			name: "drop below baseline",
			points: series(80, func(i int) float64 {
				if i < 61 {
					return 200
				}
				return 20
			}),
			startsAt: startsAt, trend: TrendStep, onset: at(61), min: 20, max: 200, first: 200, last: 20, mean: math.NaN(), offsetSec: 15,
		},
		{
			name: "no startsAt: the first quarter is the baseline",
			points: series(40, func(i int) float64 {
				if i < 30 {
					return 5
				}
				return 50
			}),
			trend: TrendStep, onset: at(30), min: 5, max: 50, first: 5, last: 50, mean: math.NaN(),
		},
		{
			name: "alert at window start: first points are the baseline",
			points: series(20, func(i int) float64 {
				if i < 10 {
					return 1
				}
				return 3
			}),
			startsAt: t0, trend: TrendStep, onset: at(10), min: 1, max: 3, first: 1, last: 3, mean: 2, offsetSec: 150,
		},
		{
			name:     "sawtooth counter resets are not a trend",
			points:   series(80, func(i int) float64 { return float64(i % 10) }),
			startsAt: startsAt, trend: TrendFlat, min: 0, max: 9, first: 0, last: 9, mean: 4.5,
		},
		{
			name: "single point", points: series(1, func(int) float64 { return 7 }),
			startsAt: startsAt, trend: TrendFlat, min: 7, max: 7, first: 7, last: 7, mean: 7,
		},
		{
			name: "empty", points: nil, startsAt: startsAt, trend: TrendFlat,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Summarise(tc.points, tc.startsAt)
			if s.Trend != tc.trend {
				t.Errorf("trend = %s, want %s", s.Trend, tc.trend)
			}
			if !s.Onset.Equal(tc.onset) {
				t.Errorf("onset = %v, want %v", s.Onset, tc.onset)
			}
			if s.OnsetOffsetSec != tc.offsetSec {
				t.Errorf("onset offset = %vs, want %vs", s.OnsetOffsetSec, tc.offsetSec)
			}
			check := func(name string, got, want float64) {
				if !math.IsNaN(want) && math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("%s = %v, want %v", name, got, want)
				}
			}
			check("min", s.Min, tc.min)
			check("max", s.Max, tc.max)
			check("first", s.First, tc.first)
			check("last", s.Last, tc.last)
			check("mean", s.Mean, tc.mean)
		})
	}
}

func TestDeviationRanksTheMover(t *testing.T) {
	startsAt := at(60)
	still := series(80, func(int) float64 { return 100 })
	moved := series(80, func(i int) float64 {
		if i > 60 {
			return 150
		}
		return 100
	})
	small := series(80, func(i int) float64 {
		if i > 60 {
			return 101
		}
		return 100
	})
	dStill := deviation(still, startsAt, Summarise(still, startsAt))
	dMoved := deviation(moved, startsAt, Summarise(moved, startsAt))
	dSmall := deviation(small, startsAt, Summarise(small, startsAt))
	if !(dMoved > dSmall && dSmall > dStill) {
		t.Errorf("deviation order wrong: moved %v, small %v, still %v", dMoved, dSmall, dStill)
	}
}
