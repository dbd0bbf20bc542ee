package loki

import (
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// FuzzDecode: Loki's answer is outside input. Decoding and grouping must
// never panic, and what comes out must respect the bounds.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"status":"success","data":{"resultType":"streams","result":[{"stream":{"namespace":"shop","pod":"p","container":"c"},"values":[["1795168800000000000","hello"],["1795168801000000000","x",{"structuredMetadata":{}}]]}]}}`))
	f.Add([]byte(`{"status":"success","data":{"resultType":"matrix","result":[]}}`))
	f.Add([]byte(`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[["-1",""],["9223372036854775807","\u00e9"]]}]}}`))
	f.Add([]byte(`{"status":"error"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		streams, err := decode(body)
		if err != nil {
			return
		}
		const maxBytes = 64
		out := group(streams, incident.Target{Namespace: "shop"}, maxBytes, 10)
		for _, ls := range out {
			var used int
			for i, l := range ls.Lines {
				used += len(l.Text) + 1
				if i > 0 && l.Time.Before(ls.Lines[i-1].Time) {
					t.Fatalf("lines out of order: %v", ls.Lines)
				}
			}
			if used > maxBytes || len(ls.Lines) == 0 || ls.Source != "loki" {
				t.Fatalf("stream out of bounds: %d bytes, %d lines", used, len(ls.Lines))
			}
		}
	})
}
