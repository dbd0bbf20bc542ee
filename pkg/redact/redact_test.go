package redact

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/redact/redacttest"
)

// leaks reports the first 12-byte window of secret still present in out: a
// partially masked secret is still a leak.
func leaks(out, secret string) (string, bool) {
	const window = 12
	if len(secret) < window {
		return secret, strings.Contains(out, secret)
	}
	for i := 0; i+window <= len(secret); i++ {
		w := secret[i : i+window]
		if strings.ContainsAny(w, "\n") {
			continue
		}
		if strings.Contains(out, w) {
			return w, true
		}
	}
	return "", false
}

func TestCorpusSecretsAreRemoved(t *testing.T) {
	secrets := redacttest.Secrets()
	if len(secrets) < 50 {
		t.Fatalf("corpus has %d secrets, want at least 50", len(secrets))
	}
	r := New(Options{})
	for _, s := range secrets {
		t.Run(s.Kind, func(t *testing.T) {
			out := r.String(s.Text)
			if w, ok := leaks(out, s.Value); ok {
				t.Fatalf("secret leaked (%q still present)\n in: %s\nout: %s", w, s.Text, out)
			}
			if want := "[REDACTED:" + s.Kind + "]"; !strings.Contains(out, want) {
				t.Errorf("want placeholder %s\n in: %s\nout: %s", want, s.Text, out)
			}
		})
	}
}

func TestCorpusLookAlikesAreUntouched(t *testing.T) {
	looks := redacttest.LookAlikes()
	if len(looks) < 50 {
		t.Fatalf("corpus has %d look-alikes, want at least 50", len(looks))
	}
	r := New(Options{})
	for _, s := range looks {
		if out := r.String(s); out != s {
			t.Errorf("look-alike changed\n in: %s\nout: %s", s, out)
		}
	}
}

func TestOptionalMasks(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		in   string
		want string
	}{
		{"email on", Options{Emails: true}, "contact oncall@shop.example.com now", "contact [REDACTED:email] now"},
		{"email off", Options{}, "contact oncall@shop.example.com now", "contact oncall@shop.example.com now"},
		{"ipv4 on", Options{IPs: true}, "dial tcp 10.0.3.17:5432: refused", "dial tcp [REDACTED:ip]:5432: refused"},
		{"ipv6 on", Options{IPs: true}, "from fe80::1ff:fe23:4567:890a ok", "from [REDACTED:ip] ok"},
		{"version is no ip", Options{IPs: true}, "running 1.2.3 build", "running 1.2.3 build"},
		{"cpp scope is no ip", Options{IPs: true}, "in std::vector", "in std::vector"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.opt).String(tt.in); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPlaceholdersKeepStructure(t *testing.T) {
	r := New(Options{})
	tests := []struct{ in, want string }{
		{`{"user":"a","password":"p4ss word!"}`, `{"user":"a","password":"[REDACTED:secret-field]"}`},
		{"postgres://u:s3cr3t-pw@db:5432/x", "postgres://u:[REDACTED:url-password]@db:5432/x"},
		{"redis://:s3cr3tpw@redis:6379/0", "redis://:[REDACTED:url-password]@redis:6379/0"},
		{`{"msg":"{\"token\":\"abc123def\"}"}`, `{"msg":"{\"token\":\"[REDACTED:secret-field]\"}"}`},
		{"password=hunter2 user=bob", "password=[REDACTED:secret-field] user=bob"},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestStreamMultiLinePrivateKey(t *testing.T) {
	var key string
	for _, s := range redacttest.Secrets() {
		if s.Kind == "private-key" {
			key = s.Value
			break
		}
	}
	in := "before\n" + key + "\nafter password=hunter22\n" + strings.Repeat("x", 3*MaxLineBytes) + "\nlast"
	var out bytes.Buffer
	if err := New(Options{}).Stream(&out, strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if w, ok := leaks(got, key); ok {
		t.Fatalf("private key leaked: %q", w)
	}
	for _, want := range []string{"before\n[REDACTED:private-key]\nafter password=[REDACTED:secret-field]\n", "\nlast"} {
		if !strings.Contains(got, want) {
			t.Fatalf("output lacks %q: %.200q", want, got)
		}
	}
	if strings.Contains(got, "hunter22") {
		t.Fatal("password leaked")
	}
}

func TestBundleAndExplanation(t *testing.T) {
	secrets := redacttest.Secrets()
	pick := func(i int) string { return secrets[i%len(secrets)].Text }
	b := &incident.Bundle{
		Alert: incident.Alert{Labels: map[string]string{"pod": "order-1", "password": "hunter2x"},
			Annotations: map[string]string{"description": pick(0)}, Query: pick(1)},
		Pods: []incident.PodState{{Message: pick(2), Conditions: []incident.Condition{{Message: pick(3)}},
			Containers: []incident.ContainerState{{Message: pick(4), Terminated: &incident.Termination{Message: pick(5)},
				LastTermination: &incident.Termination{Message: pick(6)}}}}},
		Events:    []incident.Event{{Message: pick(7)}},
		Logs:      []incident.LogStream{{Lines: []incident.LogLine{{Text: pick(8)}, {Text: pick(9)}}}},
		Templates: []incident.LogTemplate{{Pattern: pick(10), Examples: []string{pick(11)}}},
		Nodes:     []incident.NodeState{{Conditions: []incident.Condition{{Message: pick(12)}}}},
		Notes:     []string{pick(13)},
	}
	e := &incident.Explanation{Summary: pick(14), RootCause: incident.RootCause{Description: pick(15)},
		Findings:  []incident.Finding{{Title: pick(16), Detail: pick(17)}},
		Evidence:  []incident.Evidence{{Text: pick(18), Examples: []string{pick(19)}}},
		NextSteps: []incident.NextStep{{Text: pick(20), Command: pick(21)}},
		ModelText: pick(22), Notes: []string{pick(23)}}
	r := New(Options{})
	r.Bundle(b)
	r.Explanation(e)
	if b.Alert.Labels["pod"] != "order-1" {
		t.Fatalf("harmless label changed: %q", b.Alert.Labels["pod"])
	}
	if b.Alert.Labels["password"] != "[REDACTED:secret-field]" {
		t.Fatalf("secret label kept: %q", b.Alert.Labels["password"])
	}
	all := dump(b, e)
	for i := 0; i <= 23; i++ {
		if w, ok := leaks(all, secrets[i].Value); ok {
			t.Errorf("secret %d (%s) leaked: %q", i, secrets[i].Kind, w)
		}
	}
}

func dump(b *incident.Bundle, e *incident.Explanation) string {
	var sb strings.Builder
	w := func(ss ...string) {
		for _, s := range ss {
			sb.WriteString(s + "\n")
		}
	}
	for _, v := range b.Alert.Annotations {
		w(v)
	}
	w(b.Alert.Query, b.Pods[0].Message, b.Pods[0].Conditions[0].Message, b.Pods[0].Containers[0].Message,
		b.Pods[0].Containers[0].Terminated.Message, b.Pods[0].Containers[0].LastTermination.Message,
		b.Events[0].Message, b.Logs[0].Lines[0].Text, b.Logs[0].Lines[1].Text, b.Templates[0].Pattern,
		b.Templates[0].Examples[0], b.Nodes[0].Conditions[0].Message, b.Notes[0])
	w(e.Summary, e.RootCause.Description, e.Findings[0].Title, e.Findings[0].Detail, e.Evidence[0].Text,
		e.Evidence[0].Examples[0], e.NextSteps[0].Text, e.NextSteps[0].Command, e.ModelText, e.Notes[0])
	return sb.String()
}

func FuzzString(f *testing.F) {
	for _, s := range redacttest.Secrets() {
		f.Add(s.Text)
	}
	for _, s := range redacttest.LookAlikes() {
		f.Add(s)
	}
	f.Add("-----BEGIN PRIVATE KEY-----")
	r := New(Options{Emails: true, IPs: true})
	f.Fuzz(func(t *testing.T, s string) {
		out := r.String(s)
		if again := r.String(out); again != out {
			t.Fatalf("redaction is not idempotent:\n%q\n%q", out, again)
		}
		var buf bytes.Buffer
		if err := r.Stream(&buf, strings.NewReader(s)); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkString(b *testing.B) {
	lines := []string{
		`{"level":"info","msg":"order created","order_id":"ord_8f3a2c","latency_ms":12}`,
		"2026-11-20T10:00:00Z ERROR payment failed: dial tcp 10.0.3.17:5432: connection refused",
		"GET /api/v1/orders/1234 200 12ms",
		redacttest.Secrets()[0].Text,
	}
	r := New(Options{})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.String(lines[i%len(lines)])
	}
}

func TestBundleLogLinesWithMultiLinePrivateKey(t *testing.T) {
	var key string
	for _, s := range redacttest.Secrets() {
		if s.Kind == "private-key" {
			key = s.Value
		}
	}
	var lines []incident.LogLine
	lines = append(lines, incident.LogLine{Text: "loading key"})
	for _, l := range strings.Split(key, "\n") {
		lines = append(lines, incident.LogLine{Text: l})
	}
	lines = append(lines, incident.LogLine{Text: "key loaded"})
	b := &incident.Bundle{Logs: []incident.LogStream{{Lines: lines}}}
	New(Options{}).Bundle(b)
	var all strings.Builder
	for _, l := range b.Logs[0].Lines {
		all.WriteString(l.Text + "\n")
	}
	if w, ok := leaks(all.String(), key); ok {
		t.Fatalf("key leaked (%q):\n%s", w, all.String())
	}
	got := b.Logs[0].Lines
	if got[0].Text != "loading key" || got[1].Text != "[REDACTED:private-key]" || got[len(got)-1].Text != "key loaded" {
		t.Fatalf("lines around the key changed: %q ... %q", got[:2], got[len(got)-1])
	}
}

func TestKnownValuesAreRedactedWhateverTheirShape(t *testing.T) {
	r := New(Options{Known: []string{"pw", "plain-token-1", "plain-token-1-longer", ""}})
	got := r.String(`upstream said: bad "plain-token-1-longer" and plain-token-1; pw stays`)
	want := `upstream said: bad "[REDACTED:configured-secret]" and [REDACTED:configured-secret]; pw stays`
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
