package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// mset is the OpenMetrics content of one incident: samples every 15 s over
// a window ending at the incident's now.
type mset struct {
	now   time.Time
	n     int
	fams  map[string]*family
	order []string
}

type family struct {
	name, typ, help string
	lines           []string
}

const step = 15 * time.Second

func newMetrics(now time.Time, window time.Duration) *mset {
	return &mset{now: now, n: int(window/step) + 1, fams: map[string]*family{}}
}

// at is the time of sample i; the last sample is at now, none after.
func (m *mset) at(i int) time.Time { return m.now.Add(-time.Duration(m.n-1-i) * step) }

func (m *mset) fam(name, typ, help string) *family {
	f, ok := m.fams[name]
	if !ok {
		f = &family{name: name, typ: typ, help: help}
		m.fams[name] = f
		m.order = append(m.order, name)
	}
	return f
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func (m *mset) sample(f *family, series, labels string, i int, v float64) {
	f.lines = append(f.lines, fmt.Sprintf("%s{%s} %s %d", series, labels, num(v), m.at(i).Unix()))
}

// gauge adds one gauge series with value f(i) at sample i.
func (m *mset) gauge(name, help, labels string, f func(i int) float64) {
	fm := m.fam(name, "gauge", help)
	for i := 0; i < m.n; i++ {
		m.sample(fm, name, labels, i, f(i))
	}
}

// counter adds one counter series starting at start, growing by inc(i)
// between sample i-1 and i. name is the family name, without _total.
func (m *mset) counter(name, help, labels string, start float64, inc func(i int) float64) {
	fm := m.fam(name, "counter", help)
	v := start
	for i := 0; i < m.n; i++ {
		if i > 0 {
			v += inc(i)
		}
		m.sample(fm, name+"_total", labels, i, v)
	}
}

// histogram adds one histogram series: per step, count(i) observations of
// which share(i)[k] fall at or under buckets[k]; mean is the mean observation.
func (m *mset) histogram(name, help, labels string, buckets []float64, count func(i int) float64,
	share func(i int) []float64, mean func(i int) float64) {
	fm := m.fam(name, "histogram", help)
	cum := make([]float64, len(buckets))
	var total, sum float64
	sep := ","
	if labels == "" {
		sep = ""
	}
	for i := 0; i < m.n; i++ {
		if i > 0 {
			c := count(i)
			sh := share(i)
			for k := range buckets {
				cum[k] += c * sh[k]
			}
			total += c
			sum += c * mean(i)
		}
		for k, b := range buckets {
			m.sample(fm, name+"_bucket", labels+sep+`le="`+num(b)+`"`, i, round(cum[k]))
		}
		m.sample(fm, name+"_bucket", labels+sep+`le="+Inf"`, i, round(total))
		m.sample(fm, name+"_sum", labels, i, round(sum*1000)/1000)
		m.sample(fm, name+"_count", labels, i, round(total))
	}
}

func round(v float64) float64 { return float64(int64(v + 0.5)) }

// render writes the families in the order first added, ending in # EOF.
func (m *mset) render() string {
	var b strings.Builder
	for _, name := range m.order {
		f := m.fams[name]
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.typ)
		for _, l := range f.lines {
			b.WriteString(l + "\n")
		}
	}
	b.WriteString("# EOF\n")
	return b.String()
}

// ramp goes linearly from a to b over the window.
func (m *mset) ramp(a, b float64) func(int) float64 {
	return func(i int) float64 { return a + (b-a)*float64(i)/float64(m.n-1) }
}

// after is lo before sample index k and hi from it on.
func after(k int, lo, hi float64) func(int) float64 {
	return func(i int) float64 {
		if i < k {
			return lo
		}
		return hi
	}
}

// wobble adds a small deterministic variation around v.
func wobble(v, amp float64) func(int) float64 {
	return func(i int) float64 { return round((v+amp*float64((i*7)%5-2)/2)*100) / 100 }
}

func flat(v float64) func(int) float64 { return func(int) float64 { return v } }
