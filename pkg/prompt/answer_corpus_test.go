package prompt

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// corpusKnown is the incident the scripted answers were written for: an
// OOM-killed Deployment shop/order-service, twelve evidence items, and the
// analyzers' citations per category.
var corpusKnown = Known{
	Evidence: map[string]bool{"e1": true, "e2": true, "e3": true, "e4": true, "e5": true, "e6": true,
		"e7": true, "e8": true, "e9": true, "e10": true, "e11": true, "e12": true},
	Data: `Deployment/shop/order-service pod order-service-7d9c5fb8c-xcrsh node ip-10-0-1-7 ` +
		`calls payments-db.shop.svc:5432 and https://api.partner.example/v2`,
	Citations: map[incident.Category][]string{
		incident.CategoryOOMKilled:    {"e1", "e4"},
		incident.CategoryBadDeploy:    {"e3"},
		incident.CategoryTrafficSpike: {"e5"},
	},
}

type scriptedAnswer struct {
	Name   string `json:"name"`
	Class  string `json:"class"`
	Expect string `json:"expect"` // kept | repaired | rejected
	Text   string `json:"text"`
}

func loadAnswerCorpus(t *testing.T) []scriptedAnswer {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "answers", "corpus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []scriptedAnswer
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var a scriptedAnswer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// outcome is what becomes of an answer: used as given, used after
// mechanical repairs, or rejected. before is what the parser did before
// repairs existed: extract, decode, canonical spelling, Validate — an
// answer valid as given was kept (unsafe commands and all), any other
// rejected.
func outcome(text string) (after, before string) {
	before = "rejected"
	if obj, ok := extractObject(text); ok && len(text) <= MaxAnswerBytes {
		var a Answer
		if json.Unmarshal(obj, &a) == nil && Validate(canonicalise(a), corpusKnown) == nil {
			before = "kept"
		}
	}
	a, err := Parse(text, corpusKnown)
	switch {
	case err != nil:
		return "rejected", before
	case len(a.Repairs) > 0:
		return "repaired", before
	}
	return "kept", before
}

// TestAnswerCorpus replays ≥40 scripted model answers (correct, slightly
// off-contract, wrong category, injected, truncated JSON, prose around JSON)
// and checks what becomes of each; its log is the before/after table of
// docs/llm-providers.md.
func TestAnswerCorpus(t *testing.T) {
	corpus := loadAnswerCorpus(t)
	if len(corpus) < 40 {
		t.Fatalf("%d scripted answers, want at least 40", len(corpus))
	}
	after, before := map[string]int{}, map[string]int{}
	classes := map[string]map[string]int{}
	for _, c := range corpus {
		got, old := outcome(c.Text)
		if got != c.Expect {
			a, err := Parse(c.Text, corpusKnown)
			t.Errorf("%s (%s): %s, want %s (repairs %q, err %v)", c.Name, c.Class, got, c.Expect, a.Repairs, err)
		}
		after[got]++
		before[old]++
		if classes[c.Class] == nil {
			classes[c.Class] = map[string]int{}
		}
		classes[c.Class][got]++
	}
	n := len(corpus)
	share := func(m map[string]int) string {
		return fmt.Sprintf("kept %d (%.0f%%), repaired %d (%.0f%%), rejected %d (%.0f%%)",
			m["kept"], pct(m["kept"], n), m["repaired"], pct(m["repaired"], n), m["rejected"], pct(m["rejected"], n))
	}
	t.Logf("%d answers; before: %s; after: %s", n, share(before), share(after))
	for _, cl := range []string{"correct", "off-contract", "wrong-category", "injected", "truncated", "prose"} {
		t.Logf("  %-14s kept %d, repaired %d, rejected %d", cl, classes[cl]["kept"], classes[cl]["repaired"], classes[cl]["rejected"])
	}
	if after["kept"]+after["repaired"] <= before["kept"] {
		t.Errorf("repairs keep no more answers than before: %v vs %v", after, before)
	}
}

func pct(k, n int) float64 { return 100 * float64(k) / float64(n) }
