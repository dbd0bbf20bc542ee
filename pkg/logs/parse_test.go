package logs

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func parseAll(lines ...string) []Record {
	p := NewParser()
	var out []Record
	for _, l := range lines {
		out = append(out, p.Add(l)...)
	}
	return append(out, p.Flush()...)
}

func TestParseSingleLines(t *testing.T) {
	tests := []struct {
		name                           string
		line                           string
		format, level, message, errTxt string
		trace                          string
		time                           string
	}{
		{"slog", `2026-11-20T10:00:00.5Z {"time":"2026-11-20T10:00:00Z","level":"ERROR","msg":"failed to reserve stock","error":"boom","trace_id":"abc"}`,
			FormatJSON, LevelError, "failed to reserve stock", "boom", "abc", "2026-11-20T10:00:00.5Z"},
		{"zap numeric ts", `{"level":"warn","ts":1795000000.25,"msg":"circuit breaker open"}`, FormatJSON, LevelWarn, "circuit breaker open", "", "", "2026-11-18T11:06:40.25Z"},
		{"pino numeric level", `{"level":50,"msg":"unhandled rejection","err":{"message":"x"}}`, FormatJSON, LevelError, "unhandled rejection", `{"message":"x"}`, "", ""},
		{"escaped message", `{"level":"info","message":"say \"hi\"\nnext \u00e9"}`, FormatJSON, LevelInfo, "say \"hi\"\nnext é", "", "", ""},
		{"logfmt", `ts=2026-11-20T10:00:00Z level=error msg="failed to connect" err="dial tcp: i/o timeout" traceID=t1`,
			FormatLogfmt, LevelError, "failed to connect", "dial tcp: i/o timeout", "t1", "2026-11-20T10:00:00Z"},
		{"plain spring", `2026-11-20 10:00:00.123  WARN 1 --- [main] c.e.Foo : Product SKU-1 not found`, FormatPlain, LevelWarn,
			"WARN 1 --- [main] c.e.Foo : Product SKU-1 not found", "", "", ""},
		{"plain python", `2026-11-20 10:00:00,123 CRITICAL [x] disk full`, FormatPlain, LevelFatal, "CRITICAL [x] disk full", "", "", ""},
		{"klog", `E1120 10:00:00.123456       1 leader.go:1] lost lease`, FormatPlain, LevelError, `E1120 10:00:00.123456       1 leader.go:1] lost lease`, "", "", ""},
		{"plain inferred", `dial tcp 10.0.0.1:5432: connect: connection refused`, FormatPlain, LevelError, `dial tcp 10.0.0.1:5432: connect: connection refused`, "", "", ""},
		{"leading number is wording", `199680 double-hummer alignment exceptions`, FormatPlain, LevelError, `199680 double-hummer alignment exceptions`, "", "", ""},
		{"leading address is wording", `10.0.0.7:22 open through proxy p.example:5070 HTTPS`, FormatPlain, "", `10.0.0.7:22 open through proxy p.example:5070 HTTPS`, "", "", ""},
		{"leading clock is time", `10:00:00.123 [main] ready`, FormatPlain, "", `[main] ready`, "", "", ""},
		{"broken json is plain", `{"level":"info","msg":`, FormatPlain, "", `{"level":"info","msg":`, "", "", ""},
		{"cri tag", `2026-11-20T10:00:00Z stdout F hello world`, FormatPlain, "", "hello world", "", "", "2026-11-20T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := parseAll(tt.line)
			if len(recs) != 1 {
				t.Fatalf("got %d records", len(recs))
			}
			r := recs[0]
			if r.Format != tt.format || r.Level != tt.level || r.Message != tt.message || r.Error != tt.errTxt || r.TraceID != tt.trace {
				t.Fatalf("got format=%q level=%q msg=%q err=%q trace=%q", r.Format, r.Level, r.Message, r.Error, r.TraceID)
			}
			if tt.time != "" {
				want, _ := time.Parse(time.RFC3339Nano, tt.time)
				if !r.Time.Equal(want) {
					t.Fatalf("time %v, want %v", r.Time, want)
				}
			}
			if r.Lines != 1 {
				t.Fatalf("lines %d", r.Lines)
			}
		})
	}
}

func TestParseMultiLine(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		records int
		lines   []int
		message string
		level   string
	}{
		{"go panic with dump", "panic: runtime error: index out of range [5] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d\nexit status 2\nlevel=info msg=\"restarted\"",
			2, []int{6, 1}, "panic: runtime error: index out of range [5] with length 3", LevelPanic},
		{"java", "2026-11-20 10:00:00.123 ERROR 1 --- [main] c.e.Svc : call failed\njava.lang.IllegalStateException: boom\n\tat c.e.Svc.call(Svc.java:10)\nCaused by: java.io.IOException: x\n\t... 5 more\n2026-11-20 10:00:01.000  INFO 1 --- [main] c.e.Svc : ok",
			2, []int{5, 1}, "ERROR 1 --- [main] c.e.Svc : call failed", LevelError},
		{"python logged", "2026-11-20 10:00:00,123 ERROR [w] Failed\nTraceback (most recent call last):\n  File \"a.py\", line 1, in f\n    g()\nKeyError: 'x'\n2026-11-20 10:00:00,200 INFO [w] next",
			2, []int{5, 1}, "ERROR [w] Failed", LevelError},
		{"python bare chained", "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\nValueError: bad\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"b.py\", line 2, in g\nRuntimeError: worse\nnext line",
			2, []int{9, 1}, "RuntimeError: worse", LevelError},
		{"indented continuation", "config:\n  port: 8080\n  host: x\ndone", 2, []int{3, 1}, "config:", ""},
		{"json lines stay apart", "{\"msg\":\"a\"}\n{\"msg\":\"b\"}", 2, []int{1, 1}, "a", ""},
		{"cri partial lines", "2026-11-20T10:00:00Z stdout P hello \n2026-11-20T10:00:00Z stdout P big \n2026-11-20T10:00:00Z stdout F world", 1, []int{3}, "hello big world", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := parseAll(strings.Split(tt.text, "\n")...)
			if len(recs) != tt.records {
				for _, r := range recs {
					t.Logf("record %d lines: %q", r.Lines, r.Raw)
				}
				t.Fatalf("got %d records, want %d", len(recs), tt.records)
			}
			for i, n := range tt.lines {
				if recs[i].Lines != n {
					t.Errorf("record %d has %d lines, want %d (%q)", i, recs[i].Lines, n, recs[i].Raw)
				}
			}
			if recs[0].Message != tt.message || recs[0].Level != tt.level {
				t.Errorf("first record message %q level %q, want %q %q", recs[0].Message, recs[0].Level, tt.message, tt.level)
			}
		})
	}
}

func TestStackTraceJoinedOnlyWhenWrittenTogether(t *testing.T) {
	lines := []string{
		"2026-11-20T10:00:00.000Z 2026-11-20 10:00:00,000 ERROR [w] Failed",
		"2026-11-20T10:00:05.000Z Traceback (most recent call last):",
		"2026-11-20T10:00:05.000Z   File \"a.py\", line 1, in f",
		"2026-11-20T10:00:05.000Z ValueError: bad",
	}
	recs := parseAll(lines...)
	if len(recs) != 2 || recs[1].Message != "ValueError: bad" {
		t.Fatalf("a traceback 5s after the log line must be its own record, got %d records", len(recs))
	}
}

func TestRawIsBounded(t *testing.T) {
	p := NewParser()
	p.Add("panic: boom")
	for range 100000 {
		p.Add("\t/app/main.go:12 +0x1d " + strings.Repeat("x", 100))
	}
	recs := p.Flush()
	if len(recs) != 1 || len(recs[0].Raw) > maxRawBytes || recs[0].Lines != 100001 {
		t.Fatalf("records %d, raw %d bytes, lines %d", len(recs), len(recs[0].Raw), recs[0].Lines)
	}
}

func FuzzParser(f *testing.F) {
	for _, s := range []string{
		`{"level":"info","msg":"x \u00e9 \ud83d\ude00","n":{"a":[1,2,"}"]}}`,
		"panic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:1",
		"ts=1 level=info msg=\"unterminated",
		"2026-11-20T10:00:00Z stdout P part",
		"Traceback (most recent call last):\n  File \"x\"\nE: y",
		"2026-11-20 10:00:00 ERROR x\njava.lang.Error: y\n\tat a.b(c.java:1)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := NewParser()
		n := 0
		lines := strings.Split(s, "\n")
		for _, l := range lines {
			for _, r := range p.Add(l) {
				n += r.Lines
			}
		}
		for _, r := range p.Flush() {
			n += r.Lines
		}
		if n != len(lines) {
			t.Fatalf("records cover %d lines of %d", n, len(lines))
		}
	})
}

func TestJSONWithoutMessageMinesLikeLogfmt(t *testing.T) {
	m := NewMiner(DefaultMinerConfig())
	var ids []string
	for _, l := range []string{
		`{"remote":"10.0.0.1","method":"GET","path":"/a/1","status":200,"ua":"curl 8"}`,
		`{"remote":"10.0.0.2","method":"POST","path":"/b/2","status":500,"ua":"go http"}`,
		`{"event":"cache_flush","entries":12}`,
	} {
		recs := parseAll(l)
		ids = append(ids, m.Add(recs[0].MineText()))
	}
	if ids[0] != ids[1] || ids[0] == ids[2] {
		t.Fatalf("ids %v; templates %+v", ids, m.Templates())
	}
	if tm, _ := m.Template(ids[2]); tm.Pattern != "event=cache_flush entries=<*>" {
		t.Fatalf("pattern %q", tm.Pattern)
	}
}

func TestPythonMultiLineExceptionAndFaultDump(t *testing.T) {
	lines := []string{
		"2026-11-16T07:10:22.441000Z Traceback (most recent call last):",
		"2026-11-16T07:10:22.441100Z   File \"/app/x.py\", line 19, in upgrade",
		"2026-11-16T07:10:22.441200Z sqlalchemy.exc.ProgrammingError: (psycopg2.errors.DuplicateColumn) column \"x\" already exists",
		"2026-11-16T07:10:22.441300Z [SQL: ALTER TABLE users ADD COLUMN x TIMESTAMP]",
		"2026-11-16T07:10:22.441400Z (Background on this error at: https://sqlalche.me/e/20/f405)",
		"2026-11-16T07:10:30.000000Z Fatal Python error: Segmentation fault",
		"2026-11-16T07:10:30.000100Z ",
		"2026-11-16T07:10:30.000200Z Thread 0x00007f3b2c9fe6c0 (most recent call first):",
		"2026-11-16T07:10:30.000300Z   File \"/app/thumbs/resize.py\", line 88 in resize",
		"2026-11-16T07:10:30.000400Z ",
		"2026-11-16T07:10:30.000500Z Extension modules: _cffi_backend, pyvips (total: 2)",
		"2026-11-16T07:10:31.000000Z INFO [thumbs.main] restarting",
	}
	recs := parseAll(lines...)
	if len(recs) != 3 || recs[0].Lines != 5 || recs[1].Lines != 6 || recs[1].Level != LevelFatal {
		for _, r := range recs {
			t.Logf("%d lines %s: %q", r.Lines, r.Level, r.Message)
		}
		t.Fatalf("got %d records", len(recs))
	}
	if !strings.HasPrefix(recs[0].Message, "sqlalchemy.exc.ProgrammingError") {
		t.Errorf("message %q", recs[0].Message)
	}
}

// TestLevelScansMatchPlainSearches checks the table-driven level scans
// against the searches they replace, on random text made of the letters of
// their words in both cases, blanks and brackets: inferLevel against a
// lower-casing substring search, normalizeLevel against a lower-cased
// look-up of the whole word.
func TestLevelScansMatchPlainSearches(t *testing.T) {
	const alphabet = "fatlerdxcpionbgwkFATLERDXCPIONBGWK :[]<>.1"
	words := []string{"fatal", "failed", "error", "exception", "traceback", "refused", "warn", "warning", "info", "debug",
		"crit", "err", "e", "w"}
	inferRef := func(msg string) string {
		s := strings.ToLower(msg[:min(len(msg), inferWindow)])
		switch {
		case strings.HasPrefix(s, "panic:") || strings.HasPrefix(s, "fatal error:"):
			return LevelPanic
		case strings.Contains(s, "fatal"):
			return LevelFatal
		case strings.Contains(s, "failed") || strings.Contains(s, "error") || strings.Contains(s, "exception") ||
			strings.Contains(s, "traceback") || strings.Contains(s, "refused"):
			return LevelError
		case strings.Contains(s, "warn"):
			return LevelWarn
		}
		return ""
	}
	normalizeRef := func(s string) string {
		if len(s) > 16 {
			return ""
		}
		return levelSpellings[strings.ToLower(strings.Trim(s, "[]<>:"))]
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var b strings.Builder
		for b.Len() < rng.IntN(24) {
			if rng.IntN(4) == 0 {
				// A word in mixed case.
				for _, c := range []byte(words[rng.IntN(len(words))]) {
					if rng.IntN(2) == 0 {
						c -= 'a' - 'A'
					}
					b.WriteByte(c)
				}
			} else {
				b.WriteByte(alphabet[rng.IntN(len(alphabet))])
			}
		}
		s := b.String()
		if got, want := inferLevel(s), inferRef(s); got != want {
			t.Fatalf("inferLevel(%q) = %q, want %q", s, got, want)
		}
		if got, want := normalizeLevel(s), normalizeRef(s); got != want {
			t.Fatalf("normalizeLevel(%q) = %q, want %q", s, got, want)
		}
	}
}
