// Package terraform holds the EKS infrastructure. Providers cannot be
// downloaded here, so `terraform validate` cannot run; this test parses every
// file with HCL and checks what validate would: references to declared
// variables, pinned module versions, documented variables and outputs, and
// terraform fmt.
package terraform

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func parseAll(t *testing.T) map[string]*hclsyntax.Body {
	t.Helper()
	files, _ := filepath.Glob("*.tf")
	if len(files) == 0 {
		t.Fatal("no .tf files")
	}
	parser := hclparse.NewParser()
	bodies := map[string]*hclsyntax.Body{}
	for _, f := range files {
		file, diags := parser.ParseHCLFile(f)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", f, diags.Error())
		}
		bodies[f] = file.Body.(*hclsyntax.Body)
	}
	return bodies
}

func TestConfigurationIsConsistent(t *testing.T) {
	bodies := parseAll(t)
	declared := map[string]bool{}
	modules := map[string]bool{}
	for _, body := range bodies {
		for _, block := range body.Blocks {
			switch block.Type {
			case "variable":
				declared[block.Labels[0]] = true
				if _, ok := block.Body.Attributes["description"]; !ok {
					t.Errorf("variable %s has no description", block.Labels[0])
				}
			case "output":
				if _, ok := block.Body.Attributes["description"]; !ok {
					t.Errorf("output %s has no description", block.Labels[0])
				}
			case "module":
				modules[block.Labels[0]] = true
				if _, ok := block.Body.Attributes["version"]; !ok {
					t.Errorf("module %s is not pinned to a version", block.Labels[0])
				}
			}
		}
	}
	for name, body := range bodies {
		hclsyntax.VisitAll(body, func(node hclsyntax.Node) hcl.Diagnostics {
			expr, ok := node.(hclsyntax.Expression)
			if !ok {
				return nil
			}
			for _, traversal := range expr.Variables() {
				root := traversal.RootName()
				if len(traversal) < 2 {
					continue
				}
				attr, ok := traversal[1].(hcl.TraverseAttr)
				if !ok {
					continue
				}
				switch root {
				case "var":
					if !declared[attr.Name] {
						t.Errorf("%s:%d: var.%s is not declared", name, traversal.SourceRange().Start.Line, attr.Name)
					}
				case "module":
					if !modules[attr.Name] {
						t.Errorf("%s:%d: module.%s does not exist", name, traversal.SourceRange().Start.Line, attr.Name)
					}
				}
			}
			return nil
		})
	}
}

func TestFormatted(t *testing.T) {
	bin, err := exec.LookPath("terraform")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("terraform is required for terraform fmt -check")
		}
		t.Skip("SKIP: terraform not installed; formatting not checked")
	}
	if out, err := exec.Command(bin, "fmt", "-check", "-diff", ".").CombinedOutput(); err != nil {
		t.Fatalf("terraform fmt -check: %v\n%s", err, out)
	}
}
