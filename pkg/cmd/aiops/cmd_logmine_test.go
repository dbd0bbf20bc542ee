package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func runLogmineCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &out, errOut: &errOut,
		getenv: func(string) string { return "" }})
	return out.String(), errOut.String(), code
}

const sampleLog = `{"level":"info","msg":"user alice logged in"}
{"level":"info","msg":"user bob logged in"}
panic: runtime error: index out of range [5] with length 3

goroutine 1 [running]:
main.main()
	/app/main.go:12 +0x1d
level=error msg="db failed" password=hunter22
{"level":"info","msg":"user carol logged in"}
no newline at the end`

func TestLogmineAssignments(t *testing.T) {
	out, errOut, code := runLogmineCmd(t, sampleLog, "logmine", "--input", "-", "--assignments")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	ids := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if want := strings.Count(sampleLog, "\n") + 1; len(ids) != want {
		t.Fatalf("got %d ids for %d lines:\n%s", len(ids), want, out)
	}
	if ids[0] != ids[1] || ids[0] != ids[8] {
		t.Errorf("the three logins should share a template: %q", ids)
	}
	for i := 3; i <= 6; i++ {
		if ids[i] != ids[2] {
			t.Errorf("line %d of the panic has id %s, want the record's %s", i+1, ids[i], ids[2])
		}
	}
	if ids[2] == ids[0] || ids[7] == ids[0] || ids[9] == ids[0] {
		t.Errorf("different templates share an id: %q", ids)
	}
}

func TestLogmineJSONAndText(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	if err := os.WriteFile(path, []byte(sampleLog), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runLogmineCmd(t, "", "logmine", "--input", path, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Templates []struct {
			ID       string   `json:"id"`
			Pattern  string   `json:"pattern"`
			Count    int      `json:"count"`
			Level    string   `json:"level"`
			Examples []string `json:"examples"`
		} `json:"templates"`
		Lines int `json:"lines"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bad json %v: %s", err, out)
	}
	if got.Lines != 10 || len(got.Templates) != 4 {
		t.Fatalf("lines %d templates %d: %s", got.Lines, len(got.Templates), out)
	}
	top := got.Templates[0]
	if top.Pattern != "user <*> logged in" || top.Count != 3 || top.Level != "info" || len(top.Examples) != 2 {
		t.Errorf("top template %+v", top)
	}
	if strings.Contains(out, "hunter22") {
		t.Errorf("secret printed: %s", out)
	}
	text, _, code := runLogmineCmd(t, "", "logmine", "--input", path)
	if code != 0 || !strings.Contains(text, "user <*> logged in") || !strings.HasSuffix(text, "10 lines, 6 records, 4 templates\n") {
		t.Errorf("text output (exit %d):\n%s", code, text)
	}
}

func TestLogmineUsage(t *testing.T) {
	for _, args := range [][]string{{"logmine"}, {"logmine", "--input", "-", "--format", "xml"}} {
		if _, errOut, code := runLogmineCmd(t, "", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	if _, errOut, code := runLogmineCmd(t, "", "logmine", "--input", "/nonexistent/x.log"); code != 1 || !strings.Contains(errOut, "open input") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
}

// TestReadLinesCutsBlocksIntoTheLinesOfTheInput checks the block reader
// against a plain split: lines across block boundaries, an empty line, a
// line longer than maxInputLine (kept cut to it) and one longer than a
// whole block, with reads of one byte and of any size, and no final newline.
func TestReadLinesCutsBlocksIntoTheLinesOfTheInput(t *testing.T) {
	var in strings.Builder
	want := []string{}
	add := func(line string, keep string) {
		in.WriteString(line + "\n")
		want = append(want, keep)
	}
	for i := range 30000 {
		add(strings.Repeat("x", i%97)+" line", strings.Repeat("x", i%97)+" line")
	}
	add("", "")
	long := strings.Repeat("a", maxInputLine+10)
	add(long, long[:maxInputLine])
	huge := strings.Repeat("b", readBlock+maxInputLine+5)
	// One byte at a time, the input stops inside the huge line, past the
	// head that is kept of it.
	oneByteEnd := in.Len() + maxInputLine + 100
	add(huge, huge[:maxInputLine])
	add("after\r", "after\r")
	in.WriteString("last")
	want = append(want, "last")
	for name, r := range map[string]func() io.Reader{
		"whole":    func() io.Reader { return strings.NewReader(in.String()) },
		"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(in.String()[:oneByteEnd])) },
		"half":     func() io.Reader { return iotest.HalfReader(strings.NewReader(in.String())) },
	} {
		var got []string
		if err := readLines(context.Background(), r(), func(l string) { got = append(got, l) }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		exp := want
		if name == "one byte" {
			// The input was cut inside the huge line: its head is all of it.
			exp = want[:len(want)-2]
		}
		if len(got) != len(exp) {
			t.Fatalf("%s: %d lines, want %d", name, len(got), len(exp))
		}
		for i := range exp {
			if got[i] != exp[i] {
				t.Fatalf("%s: line %d is %d bytes %.20q, want %d bytes %.20q", name, i+1, len(got[i]), got[i], len(exp[i]), exp[i])
			}
		}
	}
	if err := readLines(context.Background(), iotest.ErrReader(io.ErrUnexpectedEOF), func(string) {}); err == nil {
		t.Error("a failing read should be an error")
	}
}
