// Package testindex lists the test and fuzz functions of the repository by
// package directory, for the tests that check the repository against itself:
// documents that cite tests, fuzz tests that must keep a corpus.
package testindex

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var testFunc = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz)\w+)\(`)

// Funcs maps each package directory below root (relative to it) to the Test
// and Fuzz functions its _test.go files declare. node_modules and dot
// directories are skipped.
func Funcs(root string) (map[string]map[string]bool, error) {
	funcs := map[string]map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		for _, m := range testFunc.FindAllStringSubmatch(string(src), -1) {
			if funcs[rel] == nil {
				funcs[rel] = map[string]bool{}
			}
			funcs[rel][m[1]] = true
		}
		return nil
	})
	return funcs, err
}
