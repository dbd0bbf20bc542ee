package loki

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// TestLokiHostileAnswers: a single 10 MB line is cut to the line bound, and
// 100k nested arrays as a stream are refused with an error.
func TestLokiHostileAnswers(t *testing.T) {
	line := "level=error msg=" + strings.Repeat("é", 5<<20)
	values, _ := json.Marshal([][2]string{{"1763632740000000000", line}})
	body := `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"namespace":"shop","pod":"p"},"values":` + string(values) + `}]}}`
	streams, err := decode([]byte(body))
	if err != nil {
		t.Fatalf("a 10 MB line: %v", err)
	}
	out := group(streams, incident.Target{Namespace: "shop"}, DefaultMaxBytes, DefaultLimit)
	if len(out) != 1 || len(out[0].Lines) != 1 {
		t.Fatalf("the 10 MB line is lost: %+v", out)
	}
	if got := out[0].Lines[0].Text; len(got) > MaxLineBytes+len(" …[truncated]") || !utf8.ValidString(got) {
		t.Errorf("line of %d bytes (valid UTF-8 %v), want at most the %d-byte bound, cut on a rune", len(got), utf8.ValidString(got), MaxLineBytes)
	}
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	if _, err := decode([]byte(`{"status":"success","data":{"resultType":"streams","result":` + deep + `}}`)); err == nil {
		t.Error("100k nested arrays decoded as streams")
	}
}
