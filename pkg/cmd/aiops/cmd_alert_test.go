package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestAlertCommand(t *testing.T) {
	env := func(in string, out, errOut *bytes.Buffer) stdio {
		return stdio{in: strings.NewReader(in), out: out, errOut: errOut, getenv: func(string) string { return "" }}
	}
	var out, errOut bytes.Buffer
	body := `{"version":"4","alerts":[{"labels":{"alertname":"A","pod":"p"},"startsAt":"2026-11-20T10:00:00Z"},{"labels":{"alertname":"B"}}]}`
	if code := run(context.Background(), []string{"alert"}, env(body, &out, &errOut)); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var alerts []incident.Alert
	if err := json.Unmarshal(out.Bytes(), &alerts); err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 2 || alerts[0].Name() != "A" || alerts[0].Fingerprint == "" || alerts[1].Status != "firing" {
		t.Errorf("got %+v", alerts)
	}

	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"alert"}, env(`{"startsAt":"2026-11-20T10:00:00Z"}`, &out, &errOut)); code != 1 {
		t.Errorf("missing labels: exit %d, want 1", code)
	}
	if !strings.Contains(errOut.String(), "labels: missing") {
		t.Errorf("error should name the field: %q", errOut.String())
	}
	if code := run(context.Background(), []string{"alert", "--bogus"}, env("", &out, &errOut)); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
}
