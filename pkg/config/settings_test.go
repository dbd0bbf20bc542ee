package config

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseSettingsDefaults(t *testing.T) {
	for _, raw := range []string{"", "null", "{}", `{"provider":""}`} {
		s, err := ParseSettings([]byte(raw), nil)
		if err != nil {
			t.Fatalf("ParseSettings(%q): %v", raw, err)
		}
		want := DefaultSettings()
		if s.String() != want.String() {
			t.Errorf("ParseSettings(%q) =\n%s\nwant\n%s", raw, s, want)
		}
		if s.Provider != ProviderOffline || s.Ollama.URL != "http://localhost:11434" || s.Ollama.Model != "llama3" ||
			s.Kubernetes.Mode != KubeOff || s.Prometheus.AuthType != AuthNone || s.MinRoleExplain != "Viewer" ||
			time.Duration(s.CacheTTL) != 15*time.Minute || s.Bedrock.CredentialsMode != CredentialsDefault {
			t.Errorf("unexpected defaults: %s", s)
		}
	}
}

func TestParseSettingsValid(t *testing.T) {
	raw := `{
		"provider": "OpenAI",
		"openai": {"baseURL": "https://gateway.example.com/v1", "model": "gpt-4o", "headers": {"X-Team": "sre"}},
		"prometheus": {"url": "http://prometheus:9090", "authType": "basic", "basicUser": "grafana"},
		"kubernetes": {"mode": "kubeconfig", "kubeconfigPath": "/etc/kube/config", "context": "prod"},
		"redaction": {"emails": true},
		"budgets": {"dailyTokens": 2000000, "dailyCostUSD": 12.5, "perUserPerMinute": 6},
		"minRoleExplain": "Editor", "cacheTTL": 600, "historyRetentionDays": 7
	}`
	secure := map[string]string{
		"openaiApiKey": "sk-test-1234567890", "prometheusPassword": "hunter2",
		"openaiHeaderValues": `{"X-Gateway-Key": "gw-secret"}`,
	}
	s, err := ParseSettings([]byte(raw), secure)
	if err != nil {
		t.Fatalf("ParseSettings: %v", err)
	}
	if s.Provider != ProviderOpenAI {
		t.Errorf("provider = %q, want openai (case-insensitive)", s.Provider)
	}
	if time.Duration(s.CacheTTL) != 10*time.Minute {
		t.Errorf("cacheTTL = %s, want 10m from 600 seconds", time.Duration(s.CacheTTL))
	}
	if s.OpenAIAPIKey() != "sk-test-1234567890" || s.PrometheusPassword() != "hunter2" {
		t.Errorf("secrets not read")
	}
	h := s.OpenAIHeaders()
	if h["X-Team"] != "sre" || h["X-Gateway-Key"] != "gw-secret" {
		t.Errorf("OpenAIHeaders = %v", h)
	}
	if s.HistoryMaxCount != 1000 || s.WebhookQueueSize != 100 {
		t.Errorf("defaults not applied to absent fields: %s", s)
	}
}

func TestParseSettingsInvalid(t *testing.T) {
	tests := []struct {
		name, raw string
		secure    map[string]string
		wantField []string
	}{
		{"bad provider", `{"provider":"gpt"}`, nil, []string{"provider:"}},
		{"not json", `{"provider":`, nil, []string{"jsonData is not valid"}},
		{"wrong type", `{"historyMaxCount":"many"}`, nil, []string{"jsonData is not valid"}},
		{"prometheus url scheme", `{"prometheus":{"url":"ftp://x"}}`, nil, []string{"prometheus.url:"}},
		{"basic without password", `{"prometheus":{"url":"http://p:9090","authType":"basic","basicUser":"u"}}`, nil, []string{"prometheus.authType:"}},
		{"bearer without token", `{"prometheus":{"url":"http://p:9090","authType":"bearer"}}`, nil, []string{"prometheus.authType:"}},
		{"sigv4 without region", `{"prometheus":{"url":"http://p:9090","authType":"sigv4"}}`, nil, []string{"prometheus.sigv4Region:"}},
		{"ca not pem", `{"prometheus":{"caCert":"hello"}}`, nil, []string{"prometheus.caCert:"}},
		{"kube mode", `{"kubernetes":{"mode":"magic"}}`, nil, []string{"kubernetes.mode:"}},
		{"azure without version", `{"provider":"openai","openai":{"azure":true}}`, nil, []string{"openai.apiVersion:"}},
		{"static bedrock without keys", `{"provider":"bedrock","bedrock":{"credentialsMode":"static"}}`, nil, []string{"bedrock.credentialsMode:"}},
		{"role", `{"minRoleExplain":"Admin"}`, nil, []string{"minRoleExplain:"}},
		{"negative retention", `{"historyRetentionDays":-1}`, nil, []string{"historyRetentionDays:"}},
		{"negative budget", `{"budgets":{"dailyCostUSD":-3}}`, nil, []string{"budgets.dailyCostUSD:"}},
		{"bad ttl", `{"cacheTTL":"soon"}`, nil, []string{"jsonData is not valid"}},
		{"explain timeout too short", `{"explainTimeout":"5s"}`, nil, []string{"explainTimeout:"}},
		{"explain timeout too long", `{"explainTimeout":"1h"}`, nil, []string{"explainTimeout:"}},
		{"negative explain timeout", `{"explainTimeout":"-90s"}`, nil, []string{"explainTimeout:"}},
		{"header injection", `{"openai":{"headers":{"X-A":"v\r\nInjected: 1"}}}`, nil, []string{"openai.headers:"}},
		{"secret header json", `{}`, map[string]string{"openaiHeaderValues": "not json secret-value"}, []string{"secureJsonData.openaiHeaderValues"}},
		{"several at once", `{"provider":"x","kubernetes":{"mode":"y"}}`, nil, []string{"provider:", "kubernetes.mode:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSettings([]byte(tt.raw), tt.secure)
			if err == nil {
				t.Fatal("ParseSettings succeeded, want an error")
			}
			for _, f := range tt.wantField {
				if !strings.Contains(err.Error(), f) {
					t.Errorf("error %q does not name %q", err, f)
				}
			}
			if strings.Contains(err.Error(), "secret-value") {
				t.Errorf("error leaks a secret: %q", err)
			}
		})
	}
}

func TestSecretsNeverSerialised(t *testing.T) {
	const marker = "S3CRET-MARKER"
	secure := map[string]string{}
	for _, k := range []string{"openaiApiKey", "bedrockAccessKey", "bedrockSecretKey", "prometheusPassword", "prometheusBearerToken", "webhookSecret"} {
		secure[k] = marker + "-" + k
	}
	secure["openaiHeaderValues"] = `{"X-Key":"` + marker + `"}`
	s, err := ParseSettings([]byte(`{"prometheus":{"url":"https://p","authType":"bearer"}}`), secure)
	if err != nil {
		t.Fatalf("ParseSettings: %v", err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{
		"json": string(b), "String": s.String(), "%v": fmt.Sprintf("%v", s), "%+v": fmt.Sprintf("%+v", s), "%#v": fmt.Sprintf("%#v", s),
	} {
		if name == "%#v" {
			// %#v prints Go syntax of unexported fields; that is why Settings
			// is only ever logged through String.
			continue
		}
		if strings.Contains(out, marker) {
			t.Errorf("%s output leaks a secret: %s", name, out)
		}
	}
	if !strings.Contains(s.String(), `"prometheusBearerToken":true`) {
		t.Errorf("String should say which secrets are set: %s", s)
	}
}

func FuzzParseSettings(f *testing.F) {
	f.Add([]byte(`{"provider":"ollama","ollama":{"url":"http://ollama:11434"}}`), "key", `{"X":"y"}`)
	f.Add([]byte(`{"prometheus":{"url":"http://p:9090","authType":"basic","basicUser":"u"}}`), "", "")
	f.Add([]byte(`{"cacheTTL":1e300,"budgets":{"dailyCostUSD":"NaN"}}`), "", "[]")
	f.Add([]byte(`null`), "", "{")
	f.Fuzz(func(t *testing.T, raw []byte, key, headers string) {
		s, err := ParseSettings(raw, map[string]string{"openaiApiKey": key, "openaiHeaderValues": headers})
		if err == nil {
			if _, err := ParseSettings([]byte(mustJSON(t, s)), map[string]string{"openaiApiKey": key, "openaiHeaderValues": headers}); err != nil {
				t.Fatalf("valid settings do not round-trip: %v", err)
			}
		}
		if len(key) >= 8 && strings.Contains(s.String(), key) && !strings.Contains(string(raw), key) {
			t.Fatalf("String leaks the API key")
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
