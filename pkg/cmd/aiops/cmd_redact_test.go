package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/redact/redacttest"
)

func TestRedactCommand(t *testing.T) {
	var in strings.Builder
	secrets := redacttest.Secrets()
	for _, s := range secrets {
		in.WriteString(s.Text + "\n")
	}
	in.WriteString("contact oncall@shop.example.com\n")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"redact", "--emails"},
		stdio{in: strings.NewReader(in.String()), out: &out, errOut: &errOut, getenv: func(string) string { return "" }})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, s := range secrets {
		if strings.Contains(out.String(), s.Value) {
			t.Errorf("%s secret leaked", s.Kind)
		}
	}
	if !strings.Contains(out.String(), "contact [REDACTED:email]\n") {
		t.Errorf("email not masked: %q", out.String()[max(0, out.Len()-80):])
	}
	if code := run(context.Background(), []string{"redact", "extra"},
		stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: func(string) string { return "" }}); code != 2 {
		t.Errorf("bad usage exit %d, want 2", code)
	}
}
