package config

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSettingsHostileJSON: jsonData comes from the config page or a
// provisioning file. Deep nesting, oversized documents and secrets, and
// invalid UTF-8 are each refused with an error naming the problem.
func TestSettingsHostileJSON(t *testing.T) {
	cases := []struct {
		name, jsonData string
		secure         map[string]string
		want           string
	}{
		{"30k nested arrays", strings.Repeat("[", 30_000) + strings.Repeat("]", 30_000), nil, "not valid settings JSON"},
		{"30k nested objects in a field", `{"models":` + strings.Repeat(`{"a":`, 10_000) + "1" + strings.Repeat("}", 10_000) + `}`, nil, "not valid settings JSON"},
		{"100k nested arrays", strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000), nil, "more than the 65536 allowed"},
		{"10 MB of jsonData", `{"provider":"` + strings.Repeat("x", 10<<20) + `"}`, nil, "more than the 65536 allowed"},
		{"oversized secret", `{}`, map[string]string{"openaiApiKey": strings.Repeat("k", 1<<20)}, "longer than 16384 bytes"},
		{"header values not JSON", `{}`, map[string]string{"openaiHeaderValues": strings.Repeat("[", 10_000)}, "must be a JSON object"},
	}
	// encoding/json turns invalid UTF-8 into U+FFFD: the settings hold text.
	s, err := ParseSettings([]byte("{\"prometheus\":{\"url\":\"http://prom\xff\xfe:9090\"},\"openai\":{\"model\":\"gpt\xc3\"}}"), nil)
	if err == nil && (!utf8.ValidString(s.Prometheus.URL) || !utf8.ValidString(s.OpenAI.Model)) {
		t.Errorf("invalid UTF-8 kept in the settings: %q %q", s.Prometheus.URL, s.OpenAI.Model)
	}
	for _, c := range cases {
		_, err := ParseSettings([]byte(c.jsonData), c.secure)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to say %q", c.name, err, c.want)
		}
		if err != nil && len(err.Error()) > 4096 {
			t.Errorf("%s: the error echoes the input (%d bytes)", c.name, len(err.Error()))
		}
	}
}
