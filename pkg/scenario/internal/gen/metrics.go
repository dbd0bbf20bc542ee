package main

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// openMetrics collects metric families sampled over the scenario window and
// writes them as OpenMetrics text with timestamps, which is what
// `promtool tsdb create-blocks-from openmetrics` backfills.
type openMetrics struct {
	start, end time.Time
	step       time.Duration
	families   map[string]*family
	order      []string
}

type family struct {
	name, typ, help string
	series          []*series
	index           map[string]*series
}

type series struct {
	sample string
	labels string
	// offset is the scrape's phase within the step, so timestamps carry the
	// fractions real scrapes have.
	offset time.Duration
	points []point
}

type point struct {
	t time.Time
	v float64
}

func newOpenMetrics(start, end time.Time, step time.Duration) *openMetrics {
	return &openMetrics{start: start, end: end, step: step, families: map[string]*family{}}
}

// labels renders k, v pairs in the given order.
func labels(kv ...string) string {
	var sb strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(kv[i])
		sb.WriteString(`="`)
		sb.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(kv[i+1]))
		sb.WriteByte('"')
	}
	return sb.String()
}

func (m *openMetrics) family(name, typ, help string) *family {
	f, ok := m.families[name]
	if !ok {
		f = &family{name: name, typ: typ, help: help, index: map[string]*series{}}
		m.families[name] = f
		m.order = append(m.order, name)
	}
	return f
}

// times yields the scrape times of a series with the given phase.
func (m *openMetrics) times(offset time.Duration) []time.Time {
	var out []time.Time
	for t := m.start.Add(offset); !t.After(m.end); t = t.Add(m.step) {
		out = append(out, t)
	}
	return out
}

func phaseOf(key string, step time.Duration) time.Duration {
	var h uint32 = 2166136261
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return time.Duration(h%uint32(step/time.Millisecond)) * time.Millisecond
}

// gauge samples f at every scrape; f reports false when the series does not
// exist at that time (the pod was not there, the container not running).
func (m *openMetrics) gauge(name, help, lbls string, f func(t time.Time) (float64, bool)) {
	m.sampled(m.family(name, "gauge", help), name, lbls, f)
}

// counter integrates rate (per second) over the scrapes, starting at initial,
// for as long as alive says the series exists.
func (m *openMetrics) counter(name, help, lbls string, initial float64, alive func(time.Time) bool, rate func(time.Time) float64) {
	f := m.family(name, "counter", help)
	total := initial
	var last time.Time
	m.sampled(f, name+"_total", lbls, func(t time.Time) (float64, bool) {
		if !alive(t) {
			return 0, false
		}
		if !last.IsZero() {
			total += rate(t) * t.Sub(last).Seconds()
		}
		last = t
		return total, true
	})
}

// counterValue records a counter whose value is known at every time (such as a
// restart count).
func (m *openMetrics) counterValue(name, help, lbls string, f func(t time.Time) (float64, bool)) {
	m.sampled(m.family(name, "counter", help), name+"_total", lbls, f)
}

func (m *openMetrics) sampled(f *family, sample, lbls string, v func(t time.Time) (float64, bool)) {
	key := sample + "{" + lbls + "}"
	s, ok := f.index[key]
	if !ok {
		s = &series{sample: sample, labels: lbls, offset: phaseOf(key, m.step)}
		f.index[key] = s
		f.series = append(f.series, s)
	}
	for _, t := range m.times(s.offset) {
		if val, ok := v(t); ok {
			s.points = append(s.points, point{t, val})
		}
	}
}

// histogram records a latency histogram driven by a request rate and a
// log-normal latency with the given median: bucket counts are the expected
// counts under that distribution, accumulated scrape by scrape.
func (m *openMetrics) histogram(name, help, lbls string, buckets []float64, alive func(time.Time) bool,
	rate func(time.Time) float64, median func(time.Time) float64) {
	f := m.family(name, "histogram", help)
	const sigma = 0.55
	counts := make([]float64, len(buckets)+1)
	var sum, count float64
	var last time.Time
	cdf := func(le, med float64) float64 {
		return 0.5 * math.Erfc(-(math.Log(le)-math.Log(med))/(sigma*math.Sqrt2))
	}
	bucketPoints := make([][]point, len(buckets)+1)
	var sumPoints, countPoints []point
	offset := phaseOf(name+lbls, m.step)
	for _, t := range m.times(offset) {
		if !alive(t) {
			continue
		}
		if !last.IsZero() {
			n := rate(t) * t.Sub(last).Seconds()
			med := median(t)
			for i, le := range buckets {
				counts[i] += n * cdf(le, med)
			}
			counts[len(buckets)] += n
			sum += n * med * math.Exp(sigma*sigma/2)
			count += n
		}
		last = t
		for i := range counts {
			bucketPoints[i] = append(bucketPoints[i], point{t, math.Round(counts[i])})
		}
		sumPoints = append(sumPoints, point{t, sum})
		countPoints = append(countPoints, point{t, math.Round(count)})
	}
	for i := range counts {
		le := "+Inf"
		if i < len(buckets) {
			le = strconv.FormatFloat(buckets[i], 'g', -1, 64)
		}
		l := lbls + `,le="` + le + `"`
		s := &series{sample: name + "_bucket", labels: l, offset: offset, points: bucketPoints[i]}
		f.series = append(f.series, s)
	}
	f.series = append(f.series,
		&series{sample: name + "_sum", labels: lbls, offset: offset, points: sumPoints},
		&series{sample: name + "_count", labels: lbls, offset: offset, points: countPoints})
}

func (m *openMetrics) writeTo(buf *bytes.Buffer) {
	for _, name := range m.order {
		f := m.families[name]
		fmt.Fprintf(buf, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.typ)
		for _, s := range f.series {
			for _, p := range s.points {
				buf.WriteString(s.sample)
				if s.labels != "" {
					buf.WriteByte('{')
					buf.WriteString(s.labels)
					buf.WriteByte('}')
				}
				buf.WriteByte(' ')
				buf.WriteString(formatValue(p.v))
				buf.WriteByte(' ')
				buf.WriteString(formatTimestamp(p.t))
				buf.WriteByte('\n')
			}
		}
	}
	buf.WriteString("# EOF\n")
}

func formatValue(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

func formatTimestamp(t time.Time) string {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.FormatInt(ms/1000, 10)
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
}
