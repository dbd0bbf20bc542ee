package main

import (
	"math"
	"time"
)

// traffic is the HTTP load one pod serves, as its own /metrics exposes it
// (http_requests_total and http_request_duration_seconds).
type traffic struct {
	service string
	port    int32
	routes  []route
	// rps is the pod's request rate, errRatio the share answered with
	// errCode, median the median latency in seconds.
	rps      func(t time.Time) float64
	errRatio func(t time.Time) float64
	errCode  string
	median   func(t time.Time) float64
}

type route struct {
	method, path string
	share        float64
}

var latencyBuckets = []float64{0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// steady is a rate with a little wobble, seeded per pod.
func steady(b *builder, level float64) func(time.Time) float64 {
	phase := b.rng.Float64() * 10
	return func(t time.Time) float64 {
		return level * (1 + 0.08*math.Sin(float64(t.Unix())/300+phase) + 0.03*math.Sin(float64(t.Unix())/37+phase))
	}
}

// ramp goes from a to b between from and to.
func ramp(a, b float64, from, to time.Time) func(time.Time) float64 {
	return func(t time.Time) float64 {
		switch {
		case t.Before(from):
			return a
		case !t.Before(to):
			return b
		}
		return a + (b-a)*t.Sub(from).Seconds()/to.Sub(from).Seconds()
	}
}

func constant(v float64) func(time.Time) float64 { return func(time.Time) float64 { return v } }

func times(f, g func(time.Time) float64) func(time.Time) float64 {
	return func(t time.Time) float64 { return f(t) * g(t) }
}

func (tr *traffic) write(p *podPlan) {
	m := p.b.metrics
	main := p.ctrs[0]
	serving := func(t time.Time) bool { _, ok := main.runAt(t); return ok }
	instance := p.ip + ":" + itoa(tr.port)
	for _, r := range tr.routes {
		r := r
		base := []string{"instance", instance, "job", p.ns + "/" + tr.service, "method", r.method, "namespace", p.ns, "pod", p.name, "route", r.path, "service", tr.service}
		codes := []string{"200"}
		if tr.errCode != "" {
			codes = append(codes, tr.errCode)
		}
		for _, code := range codes {
			code := code
			lbl := labels(append([]string{"code", code}, base...)...)
			m.counter("http_requests", "Total HTTP requests by route, method and status code.", lbl, 0, serving, func(t time.Time) float64 {
				total := tr.rps(t) * r.share
				e := 0.0
				if tr.errRatio != nil {
					e = tr.errRatio(t)
				}
				if code == "200" {
					return total * (1 - e)
				}
				return total * e
			})
		}
		m.histogram("http_request_duration_seconds", "HTTP request latency in seconds.", labels(base...), latencyBuckets, serving,
			func(t time.Time) float64 { return tr.rps(t) * r.share }, tr.median)
	}
}

func itoa(v int32) string {
	if v == 0 {
		return "0"
	}
	var buf [12]byte
	i := len(buf)
	for v > 0 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return string(buf[i:])
}
