package explain

import (
	"context"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// MaxSummarizeBytes bounds the raw logs Summarize reads; the newest lines are
// kept when the input is longer.
const MaxSummarizeBytes = 4 << 20

// Summarize explains raw logs with no Kubernetes or Prometheus: the
// seed-compatible path. The result is a full Explanation; callers that speak
// the old shape map it to {"summary","rootCause","nextSteps"}. Of req only
// User and Progress are used: the logs are the alert, and a summary is kept
// in the cache's history but never reused.
func (p *Pipeline) Summarize(ctx context.Context, raw string, req Request) (incident.Explanation, error) {
	progress := orNop(req.Progress)
	start := time.Now()
	progress(StageResolving, "")
	now := p.cfg.Now()
	lines, truncated := splitLogLines(raw)
	stream := incident.LogStream{Source: "input", Lines: lines, Truncated: truncated}
	b := &incident.Bundle{
		Alert: incident.Alert{Labels: map[string]string{"alertname": "LogSummary"}, Status: "firing", StartsAt: firstTime(lines, now)},
		Now:   now,
		Logs:  []incident.LogStream{stream},
	}
	if truncated {
		b.Notes = append(b.Notes, "the input was longer than 4 MiB; only its newest lines were read")
	}
	progress(StageAnalyzing, "")
	p.prepare(b)
	ex, err := p.explain(ctx, b, req.User, progress, start)
	if err != nil {
		return ex, err
	}
	ex.Timings.TotalMs = time.Since(start).Milliseconds()
	return p.keep(ctx, "", ex, req.User), nil
}

// splitLogLines turns raw text into lines, reading a leading RFC3339
// timestamp (as kubectl logs --timestamps prints) when a line has one.
func splitLogLines(raw string) ([]incident.LogLine, bool) {
	truncated := false
	if len(raw) > MaxSummarizeBytes {
		raw = raw[len(raw)-MaxSummarizeBytes:]
		if i := strings.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
		truncated = true
	}
	var out []incident.LogLine
	for line := range strings.Lines(raw) {
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		ll := incident.LogLine{Text: line}
		if ts, rest, ok := strings.Cut(line, " "); ok && len(ts) >= 20 && len(ts) <= 35 {
			if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
				ll = incident.LogLine{Time: t, Text: rest}
			}
		}
		out = append(out, ll)
	}
	return out, truncated
}

// firstTime is the earliest timestamp in the lines, or fallback: the
// "alert" of a log summary starts when its logs do.
func firstTime(lines []incident.LogLine, fallback time.Time) time.Time {
	first := time.Time{}
	for _, l := range lines {
		if !l.Time.IsZero() && (first.IsZero() || l.Time.Before(first)) {
			first = l.Time
		}
	}
	if first.IsZero() {
		return fallback
	}
	return first
}
