package engine

import (
	"testing"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/llm"
)

func TestLLMSettingsCarryEveryProviderOption(t *testing.T) {
	s, err := config.ParseSettings([]byte(`{
		"openai": {"model": "gpt-4o", "azure": true, "apiVersion": "2024-10-21", "azureDeployment": "prod-4o", "jsonFormat": "json_object", "baseURL": "https://x.openai.azure.com"},
		"ollama": {"model": "llama3.1:70b", "headers": {"X-Team": "sre"}},
		"bedrock": {"region": "eu-west-1", "endpoint": "https://vpce.example.com"},
		"models": {"llama3.1:70b": {"contextWindow": 131072, "inputPerMTok": 0.2, "outputPerMTok": 0.4}}
	}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	o := LLMSettings(s, config.ProviderOpenAI)
	if o.AzureDeployment != "prod-4o" || o.JSONFormat != "json_object" || !o.Azure || o.ContextWindow != 0 || o.Price != nil {
		t.Errorf("openai %+v", o)
	}
	l := LLMSettings(s, config.ProviderOllama)
	if l.Headers["X-Team"] != "sre" || l.ContextWindow != 131072 || l.Price == nil || *l.Price != (llm.Price{InputPerMTok: 0.2, OutputPerMTok: 0.4}) {
		t.Errorf("ollama %+v", l)
	}
	if b := LLMSettings(s, config.ProviderBedrock); b.BedrockEndpoint != "https://vpce.example.com" || b.Region != "eu-west-1" {
		t.Errorf("bedrock %+v", b)
	}
	p, err := llm.New(l)
	if err != nil {
		t.Fatal(err)
	}
	if p.ContextWindow() != 131072 || p.Price().OutputPerMTok != 0.4 {
		t.Errorf("the override does not reach the provider: window %d price %+v", p.ContextWindow(), p.Price())
	}
}

func TestSourcesFromSettings(t *testing.T) {
	s, err := config.ParseSettings([]byte(`{
		"loki": {"url": "http://127.0.0.1:3100", "tenantId": "team-a"},
		"cloudwatch": {"logGroup": "/aws/eks/prod/containers", "region": "eu-west-1"},
		"traces": {"backend": "tempo", "url": "http://127.0.0.1:3200"}
	}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Sources(s)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range src.Logs {
		names = append(names, l.Name())
	}
	if len(src.Logs) != 2 || src.Traces == nil || src.Traces.Name() != "tempo" || src.Prom != nil {
		t.Errorf("logs %v, traces %v, prom %v", names, src.Traces, src.Prom)
	}
}
