package packaging

import (
	"os/exec"
	"strings"
	"testing"
)

// The backend binaries are what users download eight times (four platforms,
// app and data source). These packages made them 97 MB each: client-go's
// Clientset and discovery client register every API group Kubernetes has,
// and the generated Bedrock control-plane client served one health-check
// call. The collector and the provider now use a narrow REST client and a
// signed GET instead; this keeps them out.
var unwantedInBinaries = []string{
	"k8s.io/client-go/kubernetes",
	"k8s.io/client-go/discovery",
	"github.com/aws/aws-sdk-go-v2/service/bedrock",
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
		for _, dep := range deps {
			for _, unwanted := range unwantedInBinaries {
				if dep == unwanted {
					t.Errorf("%s links %s", bin, dep)
				}
			}
		}
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
