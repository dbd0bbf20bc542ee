package ci

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/internal/testindex"
)

// TestEveryFuzzTestHasAPersistedCorpus: each fuzz test of the repository
// keeps a corpus in its package's testdata/fuzz/<name>, which plain `go test`
// replays, so what a fuzzing run found stays a regression test rather than
// living only in one machine's cache.
func TestEveryFuzzTestHasAPersistedCorpus(t *testing.T) {
	funcs, err := testindex.Funcs("..")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for dir, names := range funcs {
		for name := range names {
			if !strings.HasPrefix(name, "Fuzz") {
				continue
			}
			found++
			corpus := filepath.Join("..", dir, "testdata", "fuzz", name)
			if entries, err := os.ReadDir(corpus); err != nil || len(entries) == 0 {
				t.Errorf("%s (in %s) has no persisted corpus in %s: run it with -fuzz and keep what it finds there", name, dir, corpus)
			}
		}
	}
	if found < 20 {
		t.Fatalf("found %d fuzz tests, want the repository's (at least 20)", found)
	}
}
