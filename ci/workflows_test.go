// Package ci checks the GitHub Actions workflows in .github/workflows. They
// cannot run here, so the test lints them with actionlint (syntax,
// expressions, action inputs, shell scripts through shellcheck) and checks
// that each does the job it exists for.
package ci

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/rhysd/actionlint"
	"sigs.k8s.io/yaml"
)

const workflowDir = "../.github/workflows"

func workflowFiles(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(workflowDir, "*.yml"))
	if len(files) == 0 {
		t.Fatal("no workflows in " + workflowDir)
	}
	return files
}

func TestWorkflowsLintClean(t *testing.T) {
	opts := &actionlint.LinterOptions{}
	if bin, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = bin
	} else if os.Getenv("CI") == "true" {
		t.Fatal("shellcheck is required to lint the workflows' run: scripts")
	} else {
		t.Log("SKIP: shellcheck not installed; run: scripts are not linted")
	}
	linter, err := actionlint.NewLinter(io.Discard, opts)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := linter.LintFiles(workflowFiles(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("%s:%d:%d: %s [%s]", e.Filepath, e.Line, e.Column, e.Message, e.Kind)
	}
}

func parse(t *testing.T, name string) *actionlint.Workflow {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(workflowDir, name))
	if err != nil {
		t.Fatal(err)
	}
	w, errs := actionlint.Parse(src)
	if len(errs) > 0 {
		t.Fatalf("%s: %s", name, errs[0].Message)
	}
	return w
}

func hooks(w *actionlint.Workflow) []string {
	var out []string
	for _, e := range w.On {
		if h, ok := e.(*actionlint.WebhookEvent); ok {
			out = append(out, h.Hook.Value)
		}
	}
	return out
}

// runs returns every run: script and every uses: of the workflow's steps.
func steps(w *actionlint.Workflow) (runs, uses []string, actions []*actionlint.ExecAction) {
	for _, job := range w.Jobs {
		for _, s := range job.Steps {
			switch e := s.Exec.(type) {
			case *actionlint.ExecRun:
				runs = append(runs, e.Run.Value)
			case *actionlint.ExecAction:
				uses = append(uses, e.Uses.Value)
				actions = append(actions, e)
			}
		}
	}
	return runs, uses, actions
}

func anyContains(list []string, sub string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, sub) })
}

func TestWorkflowsDoTheirJob(t *testing.T) {
	cases := []struct {
		file  string
		hooks []string
		runs  []string
		uses  []string
	}{
		{"ci.yml", []string{"push", "pull_request"}, []string{"make test"}, []string{"hashicorp/setup-terraform"}},
		{"e2e.yml", []string{"push", "pull_request"}, []string{"docker compose up", "npx playwright test", "docker compose down"}, nil},
		{"images.yml", []string{"push"}, nil, []string{"aws-actions/configure-aws-credentials", "aws-actions/amazon-ecr-login", "docker/build-push-action"}},
		{"release.yml", []string{"push"}, []string{"@grafana/plugin-validator", "mage -v package", "gh release create"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			w := parse(t, tc.file)
			got := hooks(w)
			for _, h := range tc.hooks {
				if !slices.Contains(got, h) {
					t.Errorf("not triggered on %s (triggers: %v)", h, got)
				}
			}
			runs, uses, _ := steps(w)
			for _, r := range tc.runs {
				if !anyContains(runs, r) {
					t.Errorf("no step runs %q", r)
				}
			}
			for _, u := range tc.uses {
				if !anyContains(uses, u+"@") {
					t.Errorf("no step uses %s", u)
				}
			}
		})
	}
}

// A moving ref (@main) lets someone else change what runs with our token.
var pinnedRef = regexp.MustCompile(`@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$`)

func TestActionsArePinnedAndNoLongLivedKeys(t *testing.T) {
	for _, f := range workflowFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, forbidden := range []string{"aws-access-key-id", "aws-secret-access-key", "AWS_SECRET_ACCESS_KEY"} {
			if strings.Contains(string(src), forbidden) {
				t.Errorf("%s uses %s: push through OIDC (role-to-assume) instead", f, forbidden)
			}
		}
		_, uses, _ := steps(parse(t, filepath.Base(f)))
		for _, u := range uses {
			if !pinnedRef.MatchString(u) {
				t.Errorf("%s: %s is not pinned to a release tag or commit", f, u)
			}
		}
	}
}

// Images go to ECR through OIDC: the job may mint an id token, assumes a
// role, and builds exactly the repositories Terraform creates.
func TestImagesPushThroughOIDCToTerraformsRepositories(t *testing.T) {
	w := parse(t, "images.yml")
	perms := w.Permissions
	if perms == nil || perms.Scopes["id-token"] == nil || perms.Scopes["id-token"].Value.Value != "write" {
		t.Error("images.yml needs permissions id-token: write for OIDC")
	}
	_, _, actions := steps(w)
	var assumes bool
	for _, a := range actions {
		if strings.HasPrefix(a.Uses.Value, "aws-actions/configure-aws-credentials@") {
			_, assumes = a.Inputs["role-to-assume"]
		}
	}
	if !assumes {
		t.Error("configure-aws-credentials must assume a role (role-to-assume)")
	}

	var doc struct {
		Jobs map[string]struct {
			Strategy struct {
				Matrix struct {
					Include []struct {
						Image   string `json:"image"`
						Service string `json:"service"`
					} `json:"include"`
				} `json:"matrix"`
			} `json:"strategy"`
		} `json:"jobs"`
	}
	src, err := os.ReadFile(filepath.Join(workflowDir, "images.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	var built []string
	for _, job := range doc.Jobs {
		for _, inc := range job.Strategy.Matrix.Include {
			built = append(built, inc.Image)
			if inc.Service != "" {
				if _, err := os.Stat(filepath.Join("..", "services", inc.Service, "main.go")); err != nil {
					t.Errorf("matrix service %s has no services/%s/main.go", inc.Service, inc.Service)
				}
			}
		}
	}
	slices.Sort(built)
	repos := terraformRepositories(t)
	slices.Sort(repos)
	if !slices.Equal(built, repos) {
		t.Errorf("images.yml builds %v, terraform creates ECR repositories %v", built, repos)
	}
}

func terraformRepositories(t *testing.T) []string {
	t.Helper()
	file, diags := hclparse.NewParser().ParseHCLFile("../terraform/variables.tf")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "variable" || b.Labels[0] != "ecr_repositories" {
			continue
		}
		v, diags := b.Body.Attributes["default"].Expr.Value(nil)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		var out []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, e.AsString())
		}
		return out
	}
	t.Fatal("terraform/variables.tf has no ecr_repositories")
	return nil
}
