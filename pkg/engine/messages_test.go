package engine

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cliFlag finds a command-line flag in a message ("pass --kubeconfig").
var cliFlag = regexp.MustCompile(`(^|[\s(/])--[a-z][a-z-]+`)

// TestMessagesNameNoCLIFlag: the engine answers the plugin, the data source
// and the CLI alike, so its errors and hints say which setting to change,
// not which flag; a Grafana user has no flags. Commands a message suggests
// running (kubectl, aws) keep theirs.
func TestMessagesNameNoCLIFlag(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}} {{.Dir}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	scanned := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, dir, _ := strings.Cut(line, " ")
		if !strings.HasPrefix(path, "github.com/cloudobs/aiops-app/") {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			scanned++
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(parsed, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || strings.Contains(s, "kubectl ") || strings.Contains(s, "aws ") {
					return true
				}
				if cliFlag.MatchString(s) {
					t.Errorf("%s: %q names a command-line flag", filepath.Base(f), s)
				}
				return true
			})
		}
	}
	if scanned < 50 {
		t.Fatalf("scanned only %d files; the package list is wrong", scanned)
	}
}
