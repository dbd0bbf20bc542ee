package logs

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/logs/internal/corpusgen"
)

var update = flag.Bool("update", false, "rewrite testdata/corpus-sample.log from the corpus generator")

// The committed sample (a few thousand lines of every style, each line
// followed by a tab and its true template label) lets a reader see the
// corpus and keeps the accuracy honest if the generator changes: the test
// mines the file as committed.
const samplePath = "testdata/corpus-sample.tsv"

func TestCorpusSampleFixture(t *testing.T) {
	if *update {
		writeSample(t)
	}
	f, err := os.Open(samplePath)
	if err != nil {
		t.Fatalf("%v (regenerate with: go test ./pkg/logs -run TestCorpusSampleFixture -args -update)", err)
	}
	defer f.Close()
	var lines []string
	var truth []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		text, label, ok := strings.Cut(sc.Text(), "\t#")
		if !ok {
			t.Fatalf("line without label: %q", sc.Text())
		}
		n, err := strconv.Atoi(label)
		if err != nil {
			t.Fatalf("bad label %q", label)
		}
		lines = append(lines, text)
		truth = append(truth, n)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	pred, m := mineLines(lines, DefaultMinerConfig())
	ga := groupingAccuracy(pred, truth)
	t.Logf("sample: %d lines, %d templates, grouping accuracy %.4f", len(lines), m.Len(), ga)
	if ga < 0.95 {
		t.Errorf("grouping accuracy %.4f < 0.95 on the committed sample\n%s", ga, explainErrors(pred, truth, lines, m))
	}
}

func writeSample(t *testing.T) {
	g := corpusgen.New(42)
	var b strings.Builder
	// Every template a few times, then a natural mix.
	for label := range corpusgen.Templates() {
		for range 3 {
			for _, l := range g.EntryOf(label) {
				fmt.Fprintf(&b, "%s\t#%d\n", l, label)
			}
		}
	}
	for b.Len() < 700<<10 {
		lines, label := g.Entry()
		for _, l := range lines {
			fmt.Fprintf(&b, "%s\t#%d\n", l, label)
		}
	}
	if err := os.MkdirAll(filepath.Dir(samplePath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(samplePath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
