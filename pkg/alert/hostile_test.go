package alert

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func nestedArrays(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

// endless is a body that never ends: Parse must stop at the bound.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestAlertHostileBodies: alert bodies come from anyone who can reach the
// webhook or the Explain button. Each is refused with an input error or
// parsed into valid text, never a panic or a hang.
func TestAlertHostileBodies(t *testing.T) {
	deep := nestedArrays(100_000)
	cases := map[string]string{
		"100k nested arrays":              deep,
		"100k nested arrays as a label":   `{"labels":{"alertname":` + deep + `}}`,
		"100k nested objects":             strings.Repeat(`{"a":`, 100_000) + "1" + strings.Repeat("}", 100_000),
		"100k nested arrays in a webhook": `{"version":"4","alerts":[` + deep + `]}`,
		"invalid UTF-8 in labels":         "{\"labels\":{\"alertname\":\"Bad\xff\xfeName\",\"namespace\":\"sh\xc3op\"},\"annotations\":{\"summary\":\"\xed\xa0\x80\"}}",
		"NUL and control bytes":           "{\"labels\":{\"alertname\":\"A\\u0000B\\u001b[31m\"}}",
		"a million-digit number":          `{"labels":{"alertname":"N"},"values":{"A":1` + strings.Repeat("0", 900_000) + `}}`,
		"too many alerts":                 `{"alerts":[` + strings.TrimSuffix(strings.Repeat(`{"labels":{"alertname":"X"}},`, maxAlerts+1), ",") + `]}`,
	}
	for name, body := range cases {
		alerts, err := ParseBytes([]byte(body))
		if err != nil {
			if !IsInputError(err) && !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s: error of unexpected type %T: %v", name, err, err)
			}
			if err.Error() == "" {
				t.Errorf("%s: empty error", name)
			}
			continue
		}
		for _, a := range alerts {
			for k, v := range a.Labels {
				if !utf8.ValidString(k) || !utf8.ValidString(v) {
					t.Errorf("%s: label %q=%q is not valid UTF-8", name, k, v)
				}
			}
			for k, v := range a.Annotations {
				if !utf8.ValidString(v) {
					t.Errorf("%s: annotation %s=%q is not valid UTF-8", name, k, v)
				}
			}
		}
	}
	if _, err := ParseBytes(bytes.Repeat([]byte(" "), MaxBodyBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized body: %v, want ErrTooLarge", err)
	}
	if _, err := Parse(io.LimitReader(endless{}, 10<<20)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("10 MB body: %v, want ErrTooLarge", err)
	}
}
