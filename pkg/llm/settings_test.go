package llm

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSettingsFromEnv(t *testing.T) {
	env := map[string]string{
		"AIOPS_PROVIDER": "ollama", "AIOPS_MODEL": "llama3.1", "OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": "http://gw/v1",
		"OPENAI_ORG_ID": "org", "OLLAMA_HOST": "gpu-box:11434", "AWS_DEFAULT_REGION": "eu-central-1", "AWS_PROFILE": "ops",
	}
	s := SettingsFromEnv(func(k string) string { return env[k] })
	want := Settings{Provider: "ollama", Model: "llama3.1", APIKey: "sk-x", BaseURL: "http://gw/v1", Organization: "org",
		OllamaURL: "gpu-box:11434", Region: "eu-central-1", Profile: "ops"}
	if s.Provider != want.Provider || s.Model != want.Model || s.APIKey != want.APIKey || s.BaseURL != want.BaseURL ||
		s.Organization != want.Organization || s.OllamaURL != want.OllamaURL || s.Region != want.Region || s.Profile != want.Profile {
		t.Errorf("got %+v", s)
	}
	env["AWS_REGION"] = "us-west-2"
	if s := SettingsFromEnv(func(k string) string { return env[k] }); s.Region != "us-west-2" {
		t.Errorf("AWS_REGION must win over AWS_DEFAULT_REGION, got %q", s.Region)
	}
	p, err := New(s)
	if err != nil || p.Name() != NameOllama || p.Model() != "llama3.1" || p.ContextWindow() != 128000 {
		t.Errorf("provider from env: %v %v", p, err)
	}
}

func TestOfflineProvider(t *testing.T) {
	var p Provider = Offline{}
	if !IsOffline(p) || !IsOffline(nil) || p.Model() != "" || p.ContextWindow() != 0 || p.Price() != (Price{}) || p.CountTokens("x") != 0 {
		t.Error("offline provider properties")
	}
	if _, err := p.Complete(context.Background(), Request{}); !errors.Is(err, ErrOffline) {
		t.Errorf("complete: %v", err)
	}
	if _, err := p.Stream(context.Background(), Request{}, func(string) {}); !errors.Is(err, ErrOffline) {
		t.Errorf("stream: %v", err)
	}
	if err := p.Health(context.Background()); err != nil {
		t.Errorf("health: %v", err)
	}
	if ms, err := p.Models(context.Background()); err != nil || len(ms) != 0 {
		t.Errorf("models: %v %v", ms, err)
	}
}

func TestTruncateMessageKeepsUTF8(t *testing.T) {
	for _, s := range []string{"short", strings.Repeat("é", 400), strings.Repeat("a", 299) + "😀" + strings.Repeat("b", 50)} {
		got := truncateMessage(s)
		if !utf8.ValidString(got) || len(got) > 310 {
			t.Errorf("truncate(%d bytes) = %d bytes, valid %v", len(s), len(got), utf8.ValidString(got))
		}
	}
}

func TestUsageAddAndCost(t *testing.T) {
	u := Usage{PromptTokens: 10, CompletionTokens: 2, CostUSD: 0.5}
	u.Add(Usage{PromptTokens: 5, CompletionTokens: 1, CostUSD: 0.25})
	if u != (Usage{PromptTokens: 15, CompletionTokens: 3, CostUSD: 0.75}) {
		t.Errorf("add: %+v", u)
	}
	if c := (Price{InputPerMTok: 2, OutputPerMTok: 8}).Cost(1_000_000, 500_000); c != 6 {
		t.Errorf("cost %v", c)
	}
}
