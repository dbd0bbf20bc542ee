package prom

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// FuzzStripThreshold: the rule's query is outside input; stripping must
// never panic and may only remove a trailing part.
func FuzzStripThreshold(f *testing.F) {
	for _, s := range []string{"up == 0", "rate(x[5m]) > bool 1", `x{a=")"} > 1`, "((", "a > 1 or b", "\"", "x > 1e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got := stripThreshold(q)
		if !strings.HasPrefix(strings.TrimSpace(q), got) {
			t.Fatalf("stripThreshold(%q) = %q is not a prefix", q, got)
		}
		if got != strings.TrimSpace(q) && !balanced(got) {
			t.Fatalf("stripped to an unbalanced expression %q", got)
		}
	})
}

// FuzzSummarise: values come from Prometheus; any finite series must give
// a consistent summary.
func FuzzSummarise(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0}, int64(3))
	f.Add(make([]byte, 800), int64(50))
	f.Fuzz(func(t *testing.T, raw []byte, startIndex int64) {
		var points []incident.Point
		for i := 0; i+8 <= len(raw) && len(points) < 500; i += 8 {
			v := math.Float64frombits(binary.LittleEndian.Uint64(raw[i:]))
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			points = append(points, incident.Point{T: t0.Add(time.Duration(len(points)) * 15 * time.Second), V: v})
		}
		startsAt := t0.Add(time.Duration(startIndex%1000) * 15 * time.Second)
		s := Summarise(points, startsAt)
		switch s.Trend {
		case TrendRising, TrendFalling, TrendFlat, TrendStep:
		default:
			t.Fatalf("trend %q", s.Trend)
		}
		if len(points) == 0 {
			return
		}
		if s.Min > s.Max || s.First < s.Min || s.First > s.Max || s.Last < s.Min || s.Last > s.Max {
			t.Fatalf("inconsistent summary %+v", s)
		}
		if _, err := json.Marshal(s); err != nil {
			t.Fatalf("summary %+v does not serialise: %v", s, err)
		}
		if !s.Onset.IsZero() && (s.Onset.Before(points[0].T) || s.Onset.After(points[len(points)-1].T)) {
			t.Fatalf("onset %v outside the series", s.Onset)
		}
	})
}
