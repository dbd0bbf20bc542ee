package engine

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/internal/testindex"
)

// TestThreatModelAndFaultMatrixNameRealTests: every test, fuzzer and
// matrix row that docs/threat-model.md and docs/fault-matrix.md cite must
// exist, in the package the line names when it names one, so that a
// renamed or deleted test cannot leave the documents claiming coverage.
func TestThreatModelAndFaultMatrixNameRealTests(t *testing.T) {
	root := filepath.Join("..", "..")
	funcs, err := testindex.Funcs(root) // package dir -> test functions
	if err != nil {
		t.Fatal(err)
	}
	matrixSrc, err := os.ReadFile("faults_test.go")
	if err != nil {
		t.Fatal(err)
	}
	token := regexp.MustCompile("`([^`]+)`")
	named := 0
	for _, doc := range []string{"threat-model.md", "fault-matrix.md"} {
		raw, err := os.ReadFile(filepath.Join(root, "docs", doc))
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range strings.Split(string(raw), "\n") {
			pkg := ""
			for _, m := range token.FindAllStringSubmatch(line, -1) {
				tok := m[1]
				switch {
				case strings.HasPrefix(tok, "pkg/") && !strings.Contains(tok, " ") && !strings.HasSuffix(tok, ".go"), tok == "k8s":
					pkg = tok
				case regexp.MustCompile(`^(Test|Fuzz)\w+(/\w[\w-]*)?$`).MatchString(tok):
					named++
					name, sub, _ := strings.Cut(tok, "/")
					if !exists(funcs, pkg, name) {
						t.Errorf("docs/%s:%d names %s in %q, which has no such test", doc, n+1, name, orAnywhere(pkg))
					}
					if sub != "" && name == "TestFaultMatrixStoreFailuresKeepAnswering" && !strings.Contains(string(matrixSrc), `{"`+strings.ReplaceAll(sub, "_", " ")+`"`) {
						t.Errorf("docs/%s:%d names row %q, which %s does not have", doc, n+1, sub, name)
					}
				case strings.HasPrefix(tok, "/") && strings.Contains(line, "Matrix"):
					named++
					if row := strings.ReplaceAll(tok[1:], "_", " "); !strings.Contains(string(matrixSrc), `{"`+row+`"`) {
						t.Errorf("docs/%s:%d names matrix row %q, which the matrix does not have", doc, n+1, row)
					}
				}
			}
		}
	}
	if named < 50 {
		t.Fatalf("only %d tests named in the documents: is the parser still reading them?", named)
	}
}

// exists reports whether test name is in package dir pkg ("" = anywhere).
func exists(funcs map[string]map[string]bool, pkg, name string) bool {
	if pkg != "" {
		return funcs[pkg][name]
	}
	for _, fs := range funcs {
		if fs[name] {
			return true
		}
	}
	return false
}

func orAnywhere(pkg string) string {
	if pkg == "" {
		return "any package"
	}
	return pkg
}
