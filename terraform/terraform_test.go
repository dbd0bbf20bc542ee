// Package terraform holds the EKS infrastructure. Providers cannot be
// downloaded here, so `terraform validate` cannot run; these tests parse every
// file with HCL and check what validate would (declared references, pinned
// modules, documented variables and outputs, terraform fmt) plus the
// project's rules: cost tags everywhere, least-privilege IAM for Bedrock,
// Logs and Amazon Managed Prometheus, the plugin's default Bedrock model
// allowed, and a private API endpoint by default.
package terraform

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/cloudobs/aiops-app/pkg/llm"
)

type config struct {
	files  map[string]*hclsyntax.Body
	blocks []*hclsyntax.Block
}

func parseAll(t *testing.T) config {
	t.Helper()
	files, _ := filepath.Glob("*.tf")
	if len(files) == 0 {
		t.Fatal("no .tf files")
	}
	parser := hclparse.NewParser()
	c := config{files: map[string]*hclsyntax.Body{}}
	for _, f := range files {
		file, diags := parser.ParseHCLFile(f)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", f, diags.Error())
		}
		body := file.Body.(*hclsyntax.Body)
		c.files[f] = body
		c.blocks = append(c.blocks, body.Blocks...)
	}
	return c
}

// find returns the top-level blocks of a type whose labels start with labels.
func (c config) find(typ string, labels ...string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range c.blocks {
		if b.Type == typ && len(b.Labels) >= len(labels) && slices.Equal(b.Labels[:len(labels)], labels) {
			out = append(out, b)
		}
	}
	return out
}

func (c config) one(t *testing.T, typ string, labels ...string) *hclsyntax.Block {
	t.Helper()
	found := c.find(typ, labels...)
	if len(found) != 1 {
		t.Fatalf("want one %s %v, found %d", typ, labels, len(found))
	}
	return found[0]
}

// local returns the expression of local.name.
func (c config) local(name string) hclsyntax.Expression {
	for _, b := range c.find("locals") {
		if a, ok := b.Body.Attributes[name]; ok {
			return a.Expr
		}
	}
	return nil
}

// variableDefault evaluates a variable's default (a constant expression).
func (c config) variableDefault(t *testing.T, name string) cty.Value {
	t.Helper()
	v := c.one(t, "variable", name)
	a, ok := v.Body.Attributes["default"]
	if !ok {
		t.Fatalf("variable %s has no default", name)
	}
	val, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("variable %s default: %s", name, diags.Error())
	}
	return val
}

func TestConfigurationIsConsistent(t *testing.T) {
	c := parseAll(t)
	declared := map[string]map[string]bool{"var": {}, "module": {}, "local": {}}
	for _, block := range c.blocks {
		switch block.Type {
		case "variable":
			declared["var"][block.Labels[0]] = true
			if _, ok := block.Body.Attributes["description"]; !ok {
				t.Errorf("variable %s has no description", block.Labels[0])
			}
		case "output":
			if _, ok := block.Body.Attributes["description"]; !ok {
				t.Errorf("output %s has no description", block.Labels[0])
			}
		case "module":
			declared["module"][block.Labels[0]] = true
		case "locals":
			for name := range block.Body.Attributes {
				declared["local"][name] = true
			}
		}
	}
	for name, body := range c.files {
		hclsyntax.VisitAll(body, func(node hclsyntax.Node) hcl.Diagnostics {
			expr, ok := node.(hclsyntax.Expression)
			if !ok {
				return nil
			}
			for _, traversal := range expr.Variables() {
				names, checked := declared[traversal.RootName()]
				if !checked || len(traversal) < 2 {
					continue
				}
				if attr, ok := traversal[1].(hcl.TraverseAttr); ok && !names[attr.Name] {
					t.Errorf("%s:%d: %s.%s is not declared", name, traversal.SourceRange().Start.Line, traversal.RootName(), attr.Name)
				}
			}
			return nil
		})
	}
}

// An exact version: "~> 5.13" lets a plan pick up a new module release.
var exactVersion = regexp.MustCompile(`^\d+\.\d+\.\d+$`)

func TestModulesArePinned(t *testing.T) {
	c := parseAll(t)
	for _, m := range c.find("module") {
		a, ok := m.Body.Attributes["version"]
		if !ok {
			t.Errorf("module %s has no version", m.Labels[0])
			continue
		}
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || v.Type() != cty.String || !exactVersion.MatchString(v.AsString()) {
			t.Errorf("module %s: version must be an exact x.y.z, got %s", m.Labels[0], a.SrcRange)
		}
	}
	for _, h := range c.find("resource", "helm_release") {
		if _, ok := h.Body.Attributes["version"]; !ok {
			t.Errorf("helm_release %s has no chart version", h.Labels[1])
		}
	}
}

func traversalString(expr hclsyntax.Expression) string {
	st, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return ""
	}
	var parts []string
	for _, step := range st.Traversal {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, ".")
}

// Every AWS resource and module is created through a provider that sets the
// four cost-allocation tags as default_tags; the EKS module also gets them as
// tags so its launch template copies them onto instances and volumes.
func TestEveryResourceCarriesCostTags(t *testing.T) {
	c := parseAll(t)
	providers := c.find("provider", "aws")
	if len(providers) == 0 {
		t.Fatal("no aws provider")
	}
	for _, p := range providers {
		var tagged bool
		for _, b := range p.Body.Blocks {
			if b.Type == "default_tags" {
				tagged = traversalString(b.Body.Attributes["tags"].Expr) == "local.tags"
			}
		}
		if !tagged {
			t.Errorf("provider aws at %s: default_tags must be tags = local.tags", p.DefRange())
		}
	}

	call, ok := c.local("tags").(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "merge" {
		t.Fatal("local.tags must be merge(var.tags, { the cost-allocation keys })")
	}
	keys := map[string]bool{}
	for _, arg := range call.Args {
		obj, ok := arg.(*hclsyntax.ObjectConsExpr)
		if !ok {
			continue
		}
		for _, item := range obj.Items {
			k, diags := item.KeyExpr.Value(nil)
			if !diags.HasErrors() && k.Type() == cty.String {
				keys[k.AsString()] = true
			}
		}
	}
	// The required keys come last in merge so var.tags cannot drop them.
	if _, last := call.Args[len(call.Args)-1].(*hclsyntax.ObjectConsExpr); !last {
		t.Error("local.tags: the cost-allocation keys must be merge's last argument")
	}
	for _, want := range []string{"project", "environment", "team", "cost-center"} {
		if !keys[want] {
			t.Errorf("local.tags lacks %q", want)
		}
	}

	for _, b := range c.blocks {
		if (b.Type == "resource" && strings.HasPrefix(b.Labels[0], "aws_")) || b.Type == "module" {
			if _, aliased := b.Body.Attributes["provider"]; aliased {
				t.Errorf("%s %v uses another provider; give it default_tags and extend this test", b.Type, b.Labels)
			}
			if _, aliased := b.Body.Attributes["providers"]; aliased {
				t.Errorf("%s %v uses other providers; give them default_tags and extend this test", b.Type, b.Labels)
			}
		}
	}
	eks := c.one(t, "module", "eks")
	if a, ok := eks.Body.Attributes["tags"]; !ok || traversalString(a.Expr) != "local.tags" {
		t.Error("module eks must get tags = local.tags (node instances are not covered by default_tags)")
	}
	if len(c.find("resource", "aws_ce_cost_allocation_tag")) == 0 {
		t.Error("no aws_ce_cost_allocation_tag activates the tag keys")
	}
}

func TestBudgetAlerts(t *testing.T) {
	c := parseAll(t)
	b := c.one(t, "resource", "aws_budgets_budget")
	for _, attr := range []string{"limit_amount", "time_unit"} {
		if _, ok := b.Body.Attributes[attr]; !ok {
			t.Errorf("budget has no %s", attr)
		}
	}
	if v := mustString(t, b.Body.Attributes["time_unit"].Expr); v != "MONTHLY" {
		t.Errorf("budget time_unit %q, want MONTHLY", v)
	}
	var notifications int
	for _, nb := range b.Body.Blocks {
		if nb.Type == "dynamic" && nb.Labels[0] == "notification" {
			for _, content := range nb.Body.Blocks {
				for _, attr := range []string{"subscriber_email_addresses", "subscriber_sns_topic_arns"} {
					if _, ok := content.Body.Attributes[attr]; !ok {
						t.Errorf("budget notification has no %s", attr)
					}
				}
			}
			notifications++
		}
	}
	if notifications == 0 {
		t.Error("budget has no notification")
	}
	if thresholds := c.variableDefault(t, "budget_alert_thresholds"); thresholds.LengthInt() == 0 {
		t.Error("budget_alert_thresholds default is empty: no alert would be sent")
	}
}

func mustString(t *testing.T, expr hclsyntax.Expression) string {
	t.Helper()
	v, diags := expr.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String {
		t.Fatalf("%s: want a constant string", expr.Range())
	}
	return v.AsString()
}

// leastPrivilegePrefixes are the services whose actions must name their
// resources exactly.
var leastPrivilegePrefixes = []string{"bedrock:", "logs:", "aps:"}

// logStreamSuffix is the only wildcard allowed: the log streams inside our
// own log group (PutLogEvents acts on a stream, which Fluent Bit names).
const logStreamSuffix = ":log-stream:*"

func TestIAMHasNoWildcardsForBedrockLogsAPS(t *testing.T) {
	c := parseAll(t)
	var checked int
	for _, doc := range c.find("data", "aws_iam_policy_document") {
		for _, st := range doc.Body.Blocks {
			if st.Type != "statement" {
				continue
			}
			actions := constantStrings(t, st.Body.Attributes["actions"].Expr)
			var restricted bool
			for _, a := range actions {
				for _, p := range leastPrivilegePrefixes {
					if strings.HasPrefix(a, p) {
						restricted = true
					}
				}
			}
			if !restricted {
				continue
			}
			checked++
			where := doc.Labels[1] + " " + st.DefRange().String()
			for _, a := range actions {
				if strings.Contains(a, "*") {
					t.Errorf("%s: wildcard action %q", where, a)
				}
			}
			res, ok := st.Body.Attributes["resources"]
			if !ok {
				t.Errorf("%s: no resources", where)
				continue
			}
			checkNoWildcard(t, c, where, res.Expr, map[string]bool{})
		}
	}
	if checked < 4 {
		t.Errorf("found %d Bedrock/Logs/APS statements, want at least 4 (plugin Bedrock, AMP, logs; Fluent Bit; Prometheus)", checked)
	}
}

// constantStrings evaluates a list of string literals.
func constantStrings(t *testing.T, expr hclsyntax.Expression) []string {
	t.Helper()
	v, diags := expr.Value(nil)
	if diags.HasErrors() || !v.CanIterateElements() {
		t.Fatalf("%s: actions must be a constant list", expr.Range())
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		out = append(out, e.AsString())
	}
	return out
}

// checkNoWildcard walks an expression (following local.* into their
// definitions and var.* into their defaults) and fails on any literal text
// containing "*", except the log-stream suffix right after our log group.
func checkNoWildcard(t *testing.T, c config, where string, expr hclsyntax.Expression, seen map[string]bool) {
	t.Helper()
	// VisitAll visits a template before its parts, so an allowed suffix is
	// marked here before the literal case sees it.
	allowedParts := map[*hclsyntax.LiteralValueExpr]bool{}
	hclsyntax.VisitAll(expr, func(node hclsyntax.Node) hcl.Diagnostics {
		switch n := node.(type) {
		case *hclsyntax.TemplateExpr:
			for i, part := range n.Parts {
				lit, ok := part.(*hclsyntax.LiteralValueExpr)
				if !ok || lit.Val.Type() != cty.String || !strings.Contains(lit.Val.AsString(), "*") {
					continue
				}
				allowed := i == 1 && len(n.Parts) == 2 && lit.Val.AsString() == logStreamSuffix &&
					strings.HasPrefix(traversalString(n.Parts[0]), "aws_cloudwatch_log_group.")
				allowedParts[lit] = allowed
			}
		case *hclsyntax.LiteralValueExpr:
			if n.Val.Type() == cty.String && strings.Contains(n.Val.AsString(), "*") && !allowedParts[n] {
				t.Errorf("%s: wildcard resource %q", where, n.Val.AsString())
			}
		case *hclsyntax.ScopeTraversalExpr:
			ref := traversalString(n)
			if seen[ref] {
				return nil
			}
			seen[ref] = true
			root, name, _ := strings.Cut(ref, ".")
			name, _, _ = strings.Cut(name, ".")
			switch root {
			case "local":
				if e := c.local(name); e != nil {
					checkNoWildcard(t, c, where+" via local."+name, e, seen)
				}
			case "var":
				def := c.variableDefault(t, name)
				if def.CanIterateElements() {
					for it := def.ElementIterator(); it.Next(); {
						_, e := it.Element()
						if e.Type() == cty.String && strings.Contains(e.AsString(), "*") {
							t.Errorf("%s: var.%s default %q has a wildcard", where, name, e.AsString())
						}
					}
				}
			}
		}
		return nil
	})
}

// The plugin's default Bedrock model must be allowed out of the box, read
// from the Go constant so the two cannot drift, and the policy must be built
// from that variable.
func TestBedrockAllowsThePluginsDefaultModel(t *testing.T) {
	c := parseAll(t)
	models := c.variableDefault(t, "bedrock_model_ids")
	var found bool
	for it := models.ElementIterator(); it.Next(); {
		_, m := it.Element()
		found = found || m.AsString() == llm.DefaultBedrockModel
	}
	if !found {
		t.Errorf("bedrock_model_ids default lacks the plugin's default model %q", llm.DefaultBedrockModel)
	}
	for _, name := range []string{"bedrock_model_arns", "bedrock_profile_arns"} {
		expr := c.local(name)
		if expr == nil {
			t.Fatalf("local.%s is missing", name)
		}
		var uses bool
		for _, v := range expr.Variables() {
			uses = uses || traversalString(&hclsyntax.ScopeTraversalExpr{Traversal: v}) == "var.bedrock_model_ids"
		}
		if !uses {
			t.Errorf("local.%s is not built from var.bedrock_model_ids", name)
		}
	}
	var granted bool
	for _, st := range c.one(t, "data", "aws_iam_policy_document", "grafana_plugin").Body.Blocks {
		if actions := constantStrings(t, st.Body.Attributes["actions"].Expr); slices.Contains(actions, "bedrock:Converse") {
			src := string(st.Body.Attributes["resources"].Expr.Range().SliceBytes(mustRead(t, "iam.tf")))
			granted = strings.Contains(src, "local.bedrock_model_arns") && strings.Contains(src, "local.bedrock_profile_arns")
			for _, want := range []string{"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ConverseStream"} {
				if !slices.Contains(actions, want) {
					t.Errorf("plugin Bedrock statement lacks %s", want)
				}
			}
		}
	}
	if !granted {
		t.Error("the plugin's Bedrock statement must allow local.bedrock_model_arns and local.bedrock_profile_arns")
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAPIEndpointPrivateByDefault(t *testing.T) {
	c := parseAll(t)
	eks := c.one(t, "module", "eks")
	a, ok := eks.Body.Attributes["cluster_endpoint_public_access"]
	if !ok {
		t.Fatal("module eks: cluster_endpoint_public_access unset (the module's default is public)")
	}
	public, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		ref := traversalString(a.Expr)
		if !strings.HasPrefix(ref, "var.") {
			t.Fatalf("cluster_endpoint_public_access must be a constant or a variable, got %s", a.SrcRange)
		}
		public = c.variableDefault(t, strings.TrimPrefix(ref, "var."))
	}
	if public.True() {
		t.Error("the EKS API endpoint is public by default")
	}
	cidrs := c.variableDefault(t, "api_allowed_cidrs")
	for it := cidrs.ElementIterator(); it.Next(); {
		if _, v := it.Element(); v.AsString() == "0.0.0.0/0" {
			t.Error("api_allowed_cidrs defaults to the whole internet")
		}
	}
	if _, ok := eks.Body.Attributes["cluster_endpoint_public_access_cidrs"]; !ok {
		t.Error("module eks: cluster_endpoint_public_access_cidrs unset (the module's default is 0.0.0.0/0)")
	}
}

func TestNodeGroupsAndRegistry(t *testing.T) {
	c := parseAll(t)
	groups, ok := c.one(t, "module", "eks").Body.Attributes["eks_managed_node_groups"].Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		t.Fatal("eks_managed_node_groups must be an object")
	}
	capacity := map[string]string{}
	for _, item := range groups.Items {
		name, _ := item.KeyExpr.Value(nil)
		obj := item.ValueExpr.(*hclsyntax.ObjectConsExpr)
		for _, attr := range obj.Items {
			if k, _ := attr.KeyExpr.Value(nil); k.AsString() == "capacity_type" {
				capacity[name.AsString()] = mustString(t, attr.ValueExpr)
			}
		}
	}
	if capacity["system"] != "ON_DEMAND" || capacity["shop"] != "SPOT" {
		t.Errorf("node groups: want system ON_DEMAND and shop SPOT, got %v", capacity)
	}

	ecr := c.one(t, "resource", "aws_ecr_repository", "this")
	var scans bool
	for _, b := range ecr.Body.Blocks {
		if b.Type == "image_scanning_configuration" {
			v, _ := b.Body.Attributes["scan_on_push"].Expr.Value(nil)
			scans = v.True()
		}
	}
	if !scans {
		t.Error("ECR repositories must scan on push")
	}
	if _, ok := c.one(t, "resource", "aws_cloudwatch_log_group", "containers").Body.Attributes["retention_in_days"]; !ok {
		t.Error("the containers' log group has no retention")
	}
}

// The k8s overlay and the plugin settings read these (INFRA-CONVENTIONS.md).
func TestOutputsForTheClusterSide(t *testing.T) {
	c := parseAll(t)
	for _, name := range []string{"cluster_name", "region", "grafana_irsa_role_arn", "fluent_bit_irsa_role_arn",
		"prometheus_irsa_role_arn", "amp_workspace_id", "amp_remote_write_url", "cloudwatch_log_group", "ecr_repository_urls"} {
		if len(c.find("output", name)) != 1 {
			t.Errorf("output %s is missing", name)
		}
	}
}

func TestBackendExample(t *testing.T) {
	file, diags := hclparse.NewParser().ParseHCLFile("backend.tf.example")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var backend *hclsyntax.Block
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		for _, inner := range b.Body.Blocks {
			if inner.Type == "backend" && inner.Labels[0] == "s3" {
				backend = inner
			}
		}
	}
	if backend == nil {
		t.Fatal("backend.tf.example has no backend \"s3\"")
	}
	for _, attr := range []string{"bucket", "key", "region", "dynamodb_table", "encrypt"} {
		if _, ok := backend.Body.Attributes[attr]; !ok {
			t.Errorf("backend s3 has no %s", attr)
		}
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
	if out, err := exec.Command(bin, "fmt", "-check", "-diff", "-recursive", ".").CombinedOutput(); err != nil {
		t.Fatalf("terraform fmt -check: %v\n%s", err, out)
	}
}

// Helm values files live in k8s/; a renamed file must fail here, not at apply.
var moduleFile = regexp.MustCompile(`file\("\$\{path\.module\}/([^"$]+)"\)`)

func TestReferencedFilesExist(t *testing.T) {
	files, _ := filepath.Glob("*.tf")
	var found int
	for _, f := range files {
		for _, m := range moduleFile.FindAllStringSubmatch(string(mustRead(t, f)), -1) {
			found++
			if _, err := os.Stat(m[1]); err != nil {
				t.Errorf("%s: file(%q) does not exist", f, m[1])
			}
		}
	}
	if found == 0 {
		t.Error("no file() references found; the helm values are expected to be read from k8s/")
	}
}
