package alert

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParseWebhook: an Alertmanager webhook grouping 100 alerts.
func BenchmarkParseWebhook(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"version":"4","status":"firing","receiver":"aiops","alerts":[`)
	for i := range 100 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"status":"firing","labels":{"alertname":"KubePodCrashLooping","namespace":"shop","pod":"order-%d","container":"order","severity":"warning"},"annotations":{"summary":"Pod is crash looping."},"startsAt":"2026-11-20T10:00:00.123Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph?g0.expr=up+%%3D%%3D+0&g0.tab=1"}`, i)
	}
	sb.WriteString(`]}`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseBytes(body); err != nil {
			b.Fatal(err)
		}
	}
}
