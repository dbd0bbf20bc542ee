package scenario

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestHeldoutGeneratorsWriteTheFrozenSets regenerates the held-out sets
// written by Go generators and compares them byte for byte with what was
// frozen: the generators are the record of how each set was made, and the
// second and third share one object kit, so a change to it must not move a
// frozen incident.
func TestHeldoutGeneratorsWriteTheFrozenSets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the generators")
	}
	root := filepath.Join("..", "..")
	for _, tc := range []struct {
		dir  string
		args []string
	}{
		{"heldout", []string{"./testdata/heldout/gen"}},
		{"heldout2", []string{"./testdata/heldoutgen", "-set", "heldout2"}},
		{"heldout3", []string{"./testdata/heldoutgen", "-set", "heldout3"}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command("go", append(append([]string{"run"}, tc.args...), "-out", out)...)
			cmd.Dir = root
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go run %v: %v\n%s", tc.args, err, b)
			}
			frozen := filepath.Join(root, "testdata", tc.dir)
			want, got := treeFiles(t, frozen), treeFiles(t, out)
			if len(want) == 0 {
				t.Fatalf("%s holds no incidents", frozen)
			}
			for name, w := range want {
				g, ok := got[name]
				switch {
				case !ok:
					t.Errorf("%s: not written by the generator", name)
				case !bytes.Equal(g, w):
					t.Errorf("%s: the generator writes it differently from the frozen file", name)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s: written by the generator but not frozen", name)
				}
			}
		})
	}
}

// treeFiles reads every file under dir by its path relative to dir, leaving
// out the generator's own directory.
func treeFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "gen" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
