package logs

import (
	"encoding/json"
	"testing"
)

// FuzzScanJSON checks the hand-written scanner against encoding/json: for
// every object that encoding/json decodes, the scanner must accept it and
// decode its string members to the same text.
func FuzzScanJSON(f *testing.F) {
	for _, s := range []string{
		`{"level":"info","msg":"a \"quoted\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00"}`,
		`{"n":1.5e3,"b":true,"z":null,"o":{"a":[1,"]",{"b":"}"}]},"s":"x"}`,
		`{}`, ` { "a" : "b" } `, `{"a":"\ud800"}`, `{"a":"b",}`, `{"a" "b"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want map[string]any
		if err := json.Unmarshal([]byte(s), &want); err != nil || want == nil {
			scanJSON(s, func(string, string) {}) // must not panic
			return
		}
		got := map[string]string{}
		if !scanJSON(s, func(k, v string) { got[k] = v }) {
			t.Fatalf("scanner rejected valid JSON %q", s)
		}
		for k, v := range want {
			str, ok := v.(string)
			if !ok || !validUTF8(k) {
				continue
			}
			// encoding/json replaces invalid UTF-8 and lone surrogates
			// with U+FFFD; compare only clean strings.
			if got[k] != str && validUTF8(str) && validUTF8(got[k]) {
				t.Fatalf("member %q: scanner %q, encoding/json %q", k, got[k], str)
			}
		}
	})
}

func validUTF8(s string) bool {
	for _, r := range s {
		if r == 0xFFFD {
			return false
		}
	}
	return true
}
