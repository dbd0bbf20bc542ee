package demo

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// modulePath is the module whose checkout the demo builds from.
const modulePath = "github.com/cloudobs/aiops-app"

// FindRepository returns the checkout of the project: dir if given, else
// the nearest directory above the working directory whose go.mod declares
// the module.
func FindRepository(dir string) (string, error) {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("--source: %w", err)
		}
		if !isModuleRoot(abs) {
			return "", fmt.Errorf("--source %s is not a checkout of %s (no go.mod declaring it)", abs, modulePath)
		}
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if isModuleRoot(d) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("run the demo inside a checkout of %s, or pass --source DIR", modulePath)
		}
	}
}

func isModuleRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`) == modulePath
		}
	}
	return false
}
