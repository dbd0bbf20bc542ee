package logs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/logs/internal/corpusgen"
	"github.com/cloudobs/aiops-app/pkg/tokens"
)

var startsAt = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func line(t time.Time, s string) incident.LogLine { return incident.LogLine{Time: t, Text: s} }

func TestSelectRanksAndKeepsTails(t *testing.T) {
	cur := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: "order"}
	for i := range 600 {
		ts := startsAt.Add(time.Duration(i-300) * time.Second)
		cur.Lines = append(cur.Lines, line(ts, fmt.Sprintf(`{"level":"info","msg":"http request","path":"/api/v1/orders/%d","status":200}`, i)))
		if i%50 == 0 {
			cur.Lines = append(cur.Lines, line(ts, `{"level":"warn","msg":"slow query","table":"orders"}`))
		}
		if i > 300 && i%10 == 0 {
			cur.Lines = append(cur.Lines, line(ts, fmt.Sprintf(`{"level":"error","msg":"failed to reserve stock","error":"dial tcp 10.0.3.%d:8080: connect: connection refused"}`, i%200)))
		}
	}
	prev := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: "order", Previous: true, Lines: []incident.LogLine{
		line(startsAt.Add(-time.Minute), "starting order-service"),
		line(startsAt.Add(-50*time.Second), "panic: runtime error: invalid memory address or nil pointer dereference"),
		line(startsAt.Add(-50*time.Second), ""),
		line(startsAt.Add(-50*time.Second), "goroutine 1 [running]:"),
		line(startsAt.Add(-50*time.Second), "main.main()"),
		line(startsAt.Add(-50*time.Second), "\t/app/main.go:12 +0x1d"),
	}}
	got := Select([]incident.LogStream{cur, prev}, SelectOptions{StartsAt: startsAt})
	if len(got) < 4 {
		t.Fatalf("got %d templates: %+v", len(got), got)
	}
	if !got[0].Tail || got[0].Pattern != "last lines before termination of shop/order-1/order" || len(got[0].Examples) != 5 ||
		got[0].Level != LevelPanic {
		t.Fatalf("first template should be the tail of the previous run, got %+v", got[0])
	}
	// The novel, bursting error outranks the panic of the run before the alert.
	if !strings.HasPrefix(got[1].Pattern, "failed to reserve stock") || got[2].Level != LevelPanic ||
		!strings.HasPrefix(got[2].Pattern, "panic: runtime error") {
		t.Errorf("want the novel error then the panic, got %q, %q", got[1].Pattern, got[2].Pattern)
	}
	var stock *incident.LogTemplate
	for i := range got {
		if strings.HasPrefix(got[i].Pattern, "failed to reserve stock") {
			stock = &got[i]
		}
	}
	if stock == nil {
		t.Fatalf("error template missing: %+v", got)
	}
	if !stock.Novel || stock.Count != 29 || stock.Level != LevelError || len(stock.Examples) != 2 ||
		stock.Sources[0] != "shop/order-1/order" || stock.FirstSeen.Before(startsAt) {
		t.Errorf("error template %+v", *stock)
	}
	for _, tm := range got {
		if strings.HasPrefix(tm.Pattern, "http request") && tm.Novel {
			t.Errorf("a template present before startsAt is not novel: %+v", tm)
		}
	}
	if total := totalCost(got); total > DefaultTokenBudget {
		t.Errorf("selection costs %d tokens, budget %d", total, DefaultTokenBudget)
	}
}

func totalCost(ts []incident.LogTemplate) int {
	n := 0
	for _, t := range ts {
		n += cost(t)
	}
	return n
}

func TestSelectTightBudgetKeepsEveryError(t *testing.T) {
	var st incident.LogStream
	for i := range 40 {
		st.Lines = append(st.Lines, line(startsAt.Add(time.Duration(i)*time.Second),
			fmt.Sprintf(`{"level":"error","msg":"subsystem%c failed: %s"}`, 'a'+i%26, strings.Repeat("word ", i%5+1))))
	}
	got := Select([]incident.LogStream{st}, SelectOptions{StartsAt: startsAt, TokenBudget: 300})
	count := 0
	merged := false
	for _, tm := range got {
		count += tm.Count
		merged = merged || tm.TemplateID == "merged-errors"
	}
	if count != 40 || !merged {
		t.Fatalf("errors represented %d of 40 (merged entry %v): %+v", count, merged, got)
	}
}

// incidentLog is a 50,000-line incident: a service's normal traffic, with
// failures appearing from startsAt on, in three pods.
func incidentLog(n int) []incident.LogStream {
	g := corpusgen.New(3)
	streams := make([]incident.LogStream, 3)
	for i := range streams {
		streams[i] = incident.LogStream{Namespace: "shop", Pod: fmt.Sprintf("order-%d", i), Container: "app", Source: "file"}
	}
	g.Kubelet = false
	g.SetTime(startsAt.Add(-30 * time.Minute))
	total := 0
	for total < n {
		lines, _ := g.Entry()
		i := total % 3
		now := startsAt.Add(-30*time.Minute + time.Duration(total)*time.Hour/time.Duration(n))
		for _, l := range lines {
			streams[i].Lines = append(streams[i].Lines, line(now, l))
		}
		total += len(lines)
	}
	return streams
}

func TestSelectCompression(t *testing.T) {
	if testing.Short() {
		t.Skip("compression test tokenizes a 50,000-line log")
	}
	streams := incidentLog(50000)
	ratio, raw, selected, missing := compression(streams)
	t.Logf("compression %.0fx: %d raw tokens, %d selected", ratio, raw, selected)
	if ratio < 50 {
		t.Errorf("compression %.1fx < 50x", ratio)
	}
	if len(missing) > 0 {
		t.Errorf("error templates not represented: %q", missing)
	}
}

// compression returns raw tokens / selected tokens, both counts, and the
// error templates of the raw log that the selection does not represent.
func compression(streams []incident.LogStream) (ratio float64, raw, selected int, missing []string) {
	sum := NewSummary(SummaryOptions{})
	for _, st := range streams {
		var b strings.Builder
		p := NewParser()
		for _, l := range st.Lines {
			b.WriteString(l.Time.Format(time.RFC3339Nano) + " " + l.Text + "\n")
			for _, r := range p.AddLine(l) {
				sum.Add(r, "")
			}
		}
		for _, r := range p.Flush() {
			sum.Add(r, "")
		}
		raw += tokens.Count(b.String())
	}
	sel := Select(streams, SelectOptions{StartsAt: startsAt})
	ids := map[string]bool{}
	mergedCount := 0
	for _, tm := range sel {
		selected += cost(tm)
		ids[tm.TemplateID] = true
		if tm.TemplateID == "merged-errors" {
			mergedCount = tm.Count
		}
	}
	unlisted := 0
	var unlistedPatterns []string
	for _, st := range sum.Templates() {
		if isErrorLevel(st.Level) && !ids[st.ID] {
			unlisted += st.Count
			unlistedPatterns = append(unlistedPatterns, st.Pattern)
		}
	}
	// Errors not listed on their own must all be in the merged entry.
	if unlisted != mergedCount {
		missing = unlistedPatterns
	}
	return float64(raw) / float64(selected), raw, selected, missing
}

func BenchmarkSelectCompression(b *testing.B) {
	streams := incidentLog(50000)
	var ratio float64
	var raw, selected int
	for b.Loop() {
		ratio, raw, selected, _ = compression(streams)
	}
	b.ReportMetric(ratio, "x-compression")
	b.ReportMetric(float64(raw), "raw-tokens")
	b.ReportMetric(float64(selected), "selected-tokens")
}
