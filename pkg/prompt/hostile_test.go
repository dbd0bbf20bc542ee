package prompt

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestAnswerHostileModelOutput: the model's reply is untrusted text (a model
// can be steered by the logs it was shown). Deep nesting, oversized replies
// and invalid UTF-8 are refused with a problem the repair turn can state, or
// parsed into valid text.
func TestAnswerHostileModelOutput(t *testing.T) {
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	cases := map[string]string{
		"100k nested arrays":            deep,
		"100k nested arrays as a field": `{"summary":"s","rootCause":{"category":"Unknown","confidence":0.5,"description":` + deep + `}}`,
		"100k unclosed braces":          strings.Repeat(`{"a":`, 100_000),
		"10 MB reply":                   `{"summary":"` + strings.Repeat("x", 10<<20) + `"}`,
		"invalid UTF-8":                 "{\"summary\":\"broken \xff\xfe text\",\"rootCause\":{\"category\":\"Unknown\",\"confidence\":0.5,\"description\":\"d\xc3\"},\"nextSteps\":[],\"evidence\":[]}",
	}
	for name, text := range cases {
		a, err := Parse(text, Known{})
		if err != nil {
			if err.Error() == "" || len(err.Error()) > 4096 {
				t.Errorf("%s: error of %d bytes: the repair turn needs a short, clear one", name, len(err.Error()))
			}
			continue
		}
		for _, s := range []string{a.Summary, a.RootCause.Description} {
			if !utf8.ValidString(s) {
				t.Errorf("%s: accepted text %q is not valid UTF-8", name, s)
			}
		}
	}
}
