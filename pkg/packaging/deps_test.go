package packaging

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The backend binaries are what users download eight times (four platforms,
// app and data source). These packages made them 97 MB each: client-go's
// Clientset and discovery client register every API group Kubernetes has,
// the generated Bedrock control-plane client served one health-check call,
// the CloudWatch Logs client all its operations for the four the source makes,
// and k8s.io/api's groups register every type they hold at init, so
// importing one links all of its generated code (about 5 MB per binary for
// the groups the collector read). The collector uses a narrow REST client
// that decodes the API's JSON into its own small types, and the provider a
// signed GET; this keeps them out. Each entry stands for the package and
// the packages below it. For these packages the import graph is the linked
// set: their init functions reference every type, so nothing of an
// imported one is dead code.
var unwantedInBinaries = []string{
	"k8s.io/client-go/kubernetes",
	"k8s.io/client-go/discovery",
	"k8s.io/api",
	"github.com/aws/aws-sdk-go-v2/service/bedrock",
	// CloudWatch Logs is four signed JSON calls (pkg/evidence/logsource/
	// cloudwatch/api.go); the generated client added 2.5 MB to each binary.
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs",
	// Converse and ConverseStream are two signed JSON calls (pkg/llm/
	// bedrock_wire.go); the generated runtime client added about 1.7 MB.
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime",
	// pkg/tokens' own encoder replaced it: its vocabularies are map
	// literals of about 9.5 MB a binary. It stays a test dependency.
	"github.com/tiktoken-go/tokenizer",
	"github.com/dlclark/regexp2",
}

var binaries = []string{
	"github.com/cloudobs/aiops-app/pkg",
	"github.com/cloudobs/aiops-app/pkg/datasource/cmd/gpx_aiops_datasource",
}

func TestBinariesLinkOnlyWhatTheyUse(t *testing.T) {
	for _, bin := range binaries {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", bin).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", bin, err)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 100 {
			t.Fatalf("go list -deps %s listed %d packages", bin, len(deps))
		}
		for _, dep := range deps {
			for _, unwanted := range unwantedInBinaries {
				if dep == unwanted || strings.HasPrefix(dep, unwanted+"/") {
					t.Errorf("%s links %s", bin, dep)
				}
			}
		}
	}
}

// The data source serves findings, explanations, AI usage and cost: it asks
// no model. It holds an engine.Reader, so the model clients are dead code
// in it, dropped by the linker though pkg/llm is still imported (for its
// types). This builds it and looks for them among its symbols: a change that
// reaches a provider constructor from the data source fails here.
var unlinkedInDatasource = []string{
	"github.com/cloudobs/aiops-app/pkg/llm.New",
	"github.com/cloudobs/aiops-app/pkg/plugin.",
	"github.com/sashabaranov/go-openai.(*Client).",
}

func TestDatasourceLinksNoModelClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the data source binary")
	}
	bin := filepath.Join(t.TempDir(), "ds")
	build := exec.Command("go", "build", "-o", bin, "github.com/cloudobs/aiops-app/pkg/datasource/cmd/gpx_aiops_datasource")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	syms := 0
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		syms++
		for _, unwanted := range unlinkedInDatasource {
			if strings.HasPrefix(f[2], unwanted) {
				t.Errorf("the data source links %s", f[2])
			}
		}
	}
	if syms < 1000 {
		t.Fatalf("go tool nm listed %d symbols; the check needs the symbol table", syms)
	}
}

// TestGrafanaSDKOnlyInAdapters keeps the engine usable from the CLI and
// tests: only the app and data source adapters and the binaries' main
// packages may import the plugin SDK.
func TestGrafanaSDKOnlyInAdapters(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/cloudobs/aiops-app/pkg/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := []string{
		"github.com/cloudobs/aiops-app/pkg",
		"github.com/cloudobs/aiops-app/pkg/plugin",
		"github.com/cloudobs/aiops-app/pkg/datasource",
		"github.com/cloudobs/aiops-app/pkg/hosttest",
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := fields[0]
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, "github.com/grafana/grafana-plugin-sdk-go") {
				continue
			}
			ok := false
			for _, a := range allowed {
				if pkg == a || strings.HasPrefix(pkg, a+"/") && a != "github.com/cloudobs/aiops-app/pkg" {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s imports %s; keep the Grafana SDK in pkg/plugin and pkg/datasource", pkg, imp)
			}
		}
	}
}
