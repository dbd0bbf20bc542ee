package config

import (
	"strings"
	"testing"
)

func TestSourceSettingsParse(t *testing.T) {
	s, err := ParseSettings([]byte(`{
		"loki": {"url": "http://loki:3100", "tenantId": "team-a", "authType": "basic", "basicUser": "reader"},
		"cloudwatch": {"logGroup": "/aws/eks/prod/containers", "region": "eu-west-1", "streamPattern": "{namespace}.{pod}.{container}", "insights": true},
		"traces": {"backend": "Jaeger", "url": "http://jaeger:16686", "authType": "bearer", "exploreDatasourceUid": "tempo"},
		"openai": {"azureDeployment": "gpt4o-prod", "jsonFormat": "json_object"},
		"ollama": {"headers": {"X-Team": "sre"}},
		"bedrock": {"endpoint": "https://vpce-1.bedrock-runtime.eu-west-1.vpce.amazonaws.com"},
		"models": {"llama3.1:70b": {"contextWindow": 131072, "inputPerMTok": 0.2, "outputPerMTok": 0.4}}
	}`), map[string]string{"lokiPassword": "loki-pass-123", "tracesBearerToken": "trace-token-456", "ollamaHeaderValues": `{"Authorization": "Bearer olla-789"}`})
	if err != nil {
		t.Fatal(err)
	}
	if c := s.LokiCredentials(); c.BasicUser != "reader" || c.BasicPassword != "loki-pass-123" || c.BearerToken != "" {
		t.Errorf("loki credentials %+v", c)
	}
	if c := s.TracesCredentials(); c.BearerToken != "trace-token-456" || c.BasicPassword != "" || s.Traces.Backend != TracesJaeger {
		t.Errorf("traces %+v %+v", s.Traces, c)
	}
	if h := s.OllamaHeaders(); h["X-Team"] != "sre" || h["Authorization"] != "Bearer olla-789" {
		t.Errorf("ollama headers %v", h)
	}
	if m := s.Models["llama3.1:70b"]; m.ContextWindow != 131072 || m.OutputPerMTok != 0.4 {
		t.Errorf("model override %+v", m)
	}
	printed := s.String()
	for _, secret := range []string{"loki-pass-123", "trace-token-456", "olla-789"} {
		if strings.Contains(printed, secret) {
			t.Errorf("String() shows a secret: %s", printed)
		}
	}
	set := s.SecretsSet()
	if !set["lokiPassword"] || !set["tracesBearerToken"] || !set["ollamaHeaderValues"] || set["lokiBearerToken"] {
		t.Errorf("secrets set %v", set)
	}
}

func TestSourceSettingsNameEachBadField(t *testing.T) {
	_, err := ParseSettings([]byte(`{
		"loki": {"url": "http://loki:3100", "authType": "bearer"},
		"cloudwatch": {"region": "eu-west-1", "streamPattern": "{namespace}"},
		"traces": {"backend": "zipkin"},
		"openai": {"jsonFormat": "xml"},
		"ollama": {"headers": {"Bad Header": "x"}},
		"bedrock": {"endpoint": "ftp://x"},
		"models": {"m": {"contextWindow": -1}, "n": {"inputPerMTok": -2}}
	}`), nil)
	if err == nil {
		t.Fatal("bad settings accepted")
	}
	for _, field := range []string{"loki.authType", "cloudwatch.logGroup", "cloudwatch.streamPattern", "traces.backend", "traces.url",
		"openai.jsonFormat", "ollama.headers", "bedrock.endpoint", "models.m.contextWindow", "models.n"} {
		if !strings.Contains(err.Error(), field+":") {
			t.Errorf("no problem reported for %s in\n%v", field, err)
		}
	}
}
