package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/netguard"
)

// TestOutboundClientsRefuseMetadataAddresses points every URL an admin can
// type at a cloud metadata address and runs the health checks, which use the
// same clients as explanations: each dependency must be refused by the dial
// guard (no packet leaves, so this needs no network).
func TestOutboundClientsRefuseMetadataAddresses(t *testing.T) {
	targets := []string{"http://169.254.169.254", "http://[fd00:ec2::254]", "http://169.254.170.2:80", "http://100.100.100.200"}
	for _, target := range targets {
		for _, provider := range []string{"openai", "ollama"} {
			jsonData := fmt.Sprintf(`{"provider":%q,"openai":{"baseURL":"%[2]s/v1"},"ollama":{"url":%[2]q},
				"prometheus":{"url":%[2]q},"loki":{"url":%[2]q},"traces":{"backend":"tempo","url":%[2]q}}`, provider, target)
			blocked := runChecks(t, jsonData, map[string]string{"openaiApiKey": "sk-test"})
			for _, name := range []string{"llm", "prometheus", "logs", "traces"} {
				if err := blocked[name]; err == nil || !strings.Contains(err.Error(), netguard.ErrBlocked.Error()) {
					t.Errorf("%s with %s at %s: err = %v, want the dial refused by the guard", name, provider, target, err)
				}
			}
		}
	}
	// The AWS clients: static or environment credentials, so the check
	// reaches the service call; only that is guarded.
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE23")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "example-secret-key-for-the-test")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for name, c := range map[string]struct {
		jsonData string
		secure   map[string]string
		check    string
	}{
		"jaeger":     {`{"traces":{"backend":"jaeger","url":"http://169.254.169.254:16686"}}`, nil, "traces"},
		"bedrock":    {`{"provider":"bedrock","bedrock":{"region":"us-east-1","credentialsMode":"static","endpoint":"http://169.254.169.254"}}`, map[string]string{"bedrockAccessKey": "AKIAEXAMPLEEXAMPLE23", "bedrockSecretKey": "example-secret"}, "llm"},
		"cloudwatch": {`{"cloudwatch":{"logGroup":"/aws/eks/c/containers","region":"us-east-1","endpoint":"http://[fd00:ec2::254]"}}`, nil, "logs"},
	} {
		if err := runChecks(t, c.jsonData, c.secure)[c.check]; err == nil || !strings.Contains(err.Error(), netguard.ErrBlocked.Error()) {
			t.Errorf("%s: err = %v, want the dial refused by the guard", name, err)
		}
	}
}

func runChecks(t *testing.T, jsonData string, secure map[string]string) map[string]error {
	t.Helper()
	s, err := config.ParseSettings([]byte(jsonData), secure)
	if err != nil {
		t.Fatalf("settings: %v", err)
	}
	e := Open(s, Options{})
	defer e.Close()
	out := map[string]error{}
	for _, c := range e.Checks() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, out[c.Name] = c.Run(ctx)
		cancel()
	}
	return out
}

func TestGuardAllowsLinkLocalOnlyWhenTheSettingsSay(t *testing.T) {
	for jsonData, allowed := range map[string]bool{`{}`: false, `{"allowLinkLocalUpstreams":true}`: true} {
		s, err := config.ParseSettings([]byte(jsonData), nil)
		if err != nil {
			t.Fatal(err)
		}
		g := Guard(s)
		for _, cfg := range []netguard.Policy{g, PromConfig(s).Guard, LLMSettings(s, config.ProviderOllama).Guard, LLMSettings(s, config.ProviderOpenAI).Guard} {
			if cfg.AllowLinkLocal != allowed {
				t.Errorf("%s: a client's guard allows link-local = %v, want %v", jsonData, cfg.AllowLinkLocal, allowed)
			}
		}
	}
}
