package ci

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fuzzTarget finds the fuzz tests declared in a test file.
var fuzzTarget = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(f \*testing\.F\)`)

// TestEveryFuzzTestHasAPersistedCorpus: each fuzz test of the repository
// keeps a corpus in its package's testdata/fuzz/<name>, which plain `go test`
// replays, so what a fuzzing run found stays a regression test rather than
// living only in one machine's cache.
func TestEveryFuzzTestHasAPersistedCorpus(t *testing.T) {
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range fuzzTarget.FindAllStringSubmatch(string(src), -1) {
			found++
			corpus := filepath.Join(filepath.Dir(path), "testdata", "fuzz", m[1])
			if entries, err := os.ReadDir(corpus); err != nil || len(entries) == 0 {
				t.Errorf("%s (%s) has no persisted corpus in %s: run it with -fuzz and keep what it finds there", m[1], path, corpus)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 20 {
		t.Fatalf("found %d fuzz tests, want the repository's (at least 20)", found)
	}
}
