package loki

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// BenchmarkDecodeAndGroup: a full 5000-line answer over 4 streams, cut to
// 256 KiB per stream.
func BenchmarkDecodeAndGroup(b *testing.B) {
	type result struct {
		Stream map[string]string `json:"stream"`
		Values [][2]string       `json:"values"`
	}
	var results []result
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for s := range 4 {
		r := result{Stream: map[string]string{"namespace": "shop", "pod": fmt.Sprintf("order-%d", s), "container": "order"}}
		for i := range 1250 {
			r.Values = append(r.Values, [2]string{fmt.Sprint(start.Add(-time.Duration(i) * time.Second).UnixNano()),
				fmt.Sprintf(`{"level":"info","msg":"handled request","route":"/orders","status":200,"duration_ms":%d}`, i%97)})
		}
		results = append(results, r)
	}
	body, err := json.Marshal(map[string]any{"status": "success", "data": map[string]any{"resultType": "streams", "result": results}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		streams, err := decode(body)
		if err != nil {
			b.Fatal(err)
		}
		if out := group(streams, incident.Target{Namespace: "shop"}, DefaultMaxBytes, MaxLimit); len(out) != 4 {
			b.Fatalf("%d streams", len(out))
		}
	}
}
