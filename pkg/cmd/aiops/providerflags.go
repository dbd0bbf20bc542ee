package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/llm"
)

// providerFlags are the LLM settings every command that explains something
// takes (explain, summarize, eval, demo). Flags win over the environment:
// AIOPS_PROVIDER, AIOPS_MODEL, OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID,
// OLLAMA_HOST, AWS_REGION, AWS_PROFILE (and the AWS SDK's own chain, e.g.
// AWS_ENDPOINT_URL_BEDROCK_RUNTIME). API keys come only from the environment,
// never from flags, so they do not show in process listings.
type providerFlags struct {
	provider        string
	model           string
	baseURL         string
	organization    string
	azure           bool
	azureDeployment string
	apiVersion      string
	jsonFormat      string
	ollamaURL       string
	region          string
	profile         string
	bedrockEndpoint string
	timeout         time.Duration
	maxConcurrency  int
	contextWindow   int
	headers         headerFlag
}

// addProviderFlags registers the provider flags on fs.
func addProviderFlags(fs *flag.FlagSet) *providerFlags {
	f := &providerFlags{}
	fs.StringVar(&f.provider, "provider", "", "LLM provider: offline, openai, ollama or bedrock (default $AIOPS_PROVIDER or offline)")
	fs.StringVar(&f.model, "model", "", "model id (default $AIOPS_MODEL, else gpt-4o-mini / llama3 / anthropic.claude-3-haiku-20240307-v1:0)")
	fs.StringVar(&f.baseURL, "base-url", "", "OpenAI-compatible base URL, e.g. http://localhost:4000/v1 for LiteLLM (default $OPENAI_BASE_URL)")
	fs.StringVar(&f.organization, "organization", "", "OpenAI organisation id (default $OPENAI_ORG_ID)")
	fs.BoolVar(&f.azure, "azure", false, "use Azure OpenAI: --base-url is the resource endpoint, the key is $OPENAI_API_KEY")
	fs.StringVar(&f.azureDeployment, "azure-deployment", "", "Azure OpenAI deployment name (default: the model)")
	fs.StringVar(&f.apiVersion, "api-version", "", "Azure OpenAI api-version")
	fs.StringVar(&f.jsonFormat, "json-format", "", "structured output for OpenAI-style servers: json_schema (default), json_object or none")
	fs.StringVar(&f.ollamaURL, "ollama-url", "", "Ollama server (default $OLLAMA_HOST or http://localhost:11434)")
	fs.StringVar(&f.region, "region", "", "AWS region for Bedrock (default $AWS_REGION)")
	fs.StringVar(&f.profile, "aws-profile", "", "AWS shared-config profile for Bedrock (default $AWS_PROFILE)")
	fs.StringVar(&f.bedrockEndpoint, "bedrock-endpoint", "", "Bedrock runtime endpoint override (VPC endpoint)")
	fs.DurationVar(&f.timeout, "timeout", 0, "per-request LLM timeout (default 60s)")
	fs.IntVar(&f.maxConcurrency, "max-concurrency", 0, "LLM requests in flight at once (default 4)")
	fs.IntVar(&f.contextWindow, "context-window", 0, "override the model's context window in tokens")
	fs.Var(&f.headers, "header", "extra HTTP header for the LLM endpoint, Name=Value (repeatable)")
	return f
}

// settings merges the flags over the environment.
func (f *providerFlags) settings(getenv func(string) string) (llm.Settings, error) {
	s := llm.SettingsFromEnv(getenv)
	override := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	override(&s.Provider, f.provider)
	override(&s.Model, f.model)
	override(&s.BaseURL, f.baseURL)
	override(&s.Organization, f.organization)
	override(&s.AzureDeployment, f.azureDeployment)
	override(&s.APIVersion, f.apiVersion)
	override(&s.JSONFormat, f.jsonFormat)
	override(&s.OllamaURL, f.ollamaURL)
	override(&s.Region, f.region)
	override(&s.Profile, f.profile)
	override(&s.BedrockEndpoint, f.bedrockEndpoint)
	s.Azure = f.azure
	if f.timeout < 0 || f.maxConcurrency < 0 || f.contextWindow < 0 {
		return llm.Settings{}, usagef("--timeout, --max-concurrency and --context-window cannot be negative")
	}
	s.Timeout, s.MaxConcurrency, s.ContextWindow = f.timeout, f.maxConcurrency, f.contextWindow
	if len(f.headers) > 0 {
		s.Headers = map[string]string(f.headers)
	}
	switch strings.ToLower(s.Provider) {
	case "", llm.NameOffline, llm.NameOpenAI, llm.NameOllama, llm.NameBedrock:
	default:
		return llm.Settings{}, usagef("unknown provider %q: use offline, openai, ollama or bedrock", s.Provider)
	}
	return s, nil
}

// build returns the configured provider.
func (f *providerFlags) build(getenv func(string) string) (llm.Provider, error) {
	s, err := f.settings(getenv)
	if err != nil {
		return nil, err
	}
	p, err := llm.New(s)
	if err != nil {
		return nil, fmt.Errorf("configure LLM provider: %w", err)
	}
	return p, nil
}

// headerFlag collects repeated --header Name=Value flags.
type headerFlag map[string]string

func (h *headerFlag) String() string {
	if h == nil || len(*h) == 0 {
		return ""
	}
	names := make([]string, 0, len(*h))
	for k := range *h {
		names = append(names, k+"=…")
	}
	return strings.Join(names, ",")
}

func (h *headerFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " :\r\n") || strings.ContainsAny(value, "\r\n") {
		return errors.New("want Name=Value with a header name and no line breaks")
	}
	if *h == nil {
		*h = headerFlag{}
	}
	(*h)[name] = value
	return nil
}
