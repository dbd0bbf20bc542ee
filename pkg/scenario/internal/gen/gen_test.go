package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCorpusIsGenerated regenerates the corpus and compares it with the
// committed files, so the generator and testdata/scenarios never drift apart.
// Regenerate with: go run ./pkg/scenario/internal/gen -out testdata/scenarios
func TestCorpusIsGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating the corpus takes a few seconds")
	}
	committed := filepath.Join("..", "..", "..", "..", "testdata", "scenarios")
	fresh := t.TempDir()
	if err := generate(fresh, ""); err != nil {
		t.Fatal(err)
	}
	for _, d := range corpus() {
		compareTrees(t, filepath.Join(fresh, d.name), filepath.Join(committed, d.name))
	}
}

func compareTrees(t *testing.T, want, got string) {
	t.Helper()
	err := filepath.WalkDir(want, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(want, path)
		a, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(filepath.Join(got, rel))
		if err != nil {
			t.Errorf("%s: missing from the committed corpus (regenerate it)", filepath.Join(got, rel))
			return nil
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the generator's output (regenerate it)", filepath.Join(got, rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHashNameAlphabet(t *testing.T) {
	seen := map[string]bool{}
	for i := uint32(0); i < 1000; i++ {
		h := hashName(i)
		if len(h) != 10 {
			t.Fatalf("hash %q is not 10 characters", h)
		}
		for _, c := range []byte(h) {
			if bytes.IndexByte([]byte(nameAlphabet), c) < 0 {
				t.Fatalf("hash %q has %q outside the pod-template-hash alphabet", h, c)
			}
		}
		seen[h] = true
	}
	if len(seen) < 990 {
		t.Errorf("only %d distinct hashes for 1000 inputs", len(seen))
	}
}
