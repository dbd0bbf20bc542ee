package llm

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/cloudobs/aiops-app/pkg/netguard"
	"github.com/cloudobs/aiops-app/pkg/tokens"
)

// Settings configure one provider. The plugin fills them from its settings
// (secrets from secureJsonData), the CLI from flags and environment
// (SettingsFromEnv). Zero values take the defaults documented per field.
type Settings struct {
	// Provider is openai, ollama, bedrock or offline (default offline).
	Provider string `json:"provider"`
	// Model is the model id; defaults: gpt-4o-mini (openai), llama3
	// (ollama), anthropic.claude-3-haiku-20240307-v1:0 (bedrock).
	Model string `json:"model"`

	// OpenAI and compatible endpoints.
	BaseURL      string `json:"baseURL,omitempty"` // default https://api.openai.com/v1
	APIKey       string `json:"-"`
	Organization string `json:"organization,omitempty"`
	// Headers are added to every request (gateways that want their own auth).
	Headers map[string]string `json:"-"`
	// Azure switches to Azure OpenAI: BaseURL is the resource endpoint,
	// AzureDeployment the deployment (default: the model), APIVersion the
	// api-version query parameter (default 2024-10-21).
	Azure           bool   `json:"azure,omitempty"`
	AzureDeployment string `json:"azureDeployment,omitempty"`
	APIVersion      string `json:"apiVersion,omitempty"`
	// JSONFormat is how structured output is requested from OpenAI-style
	// APIs: json_schema (default), json_object, or none for servers that
	// support neither.
	JSONFormat string `json:"jsonFormat,omitempty"`

	// OllamaURL is the Ollama server (default http://localhost:11434).
	OllamaURL string `json:"ollamaURL,omitempty"`

	// Bedrock. Credentials come from the AWS default chain (environment,
	// profile, IRSA web identity, instance role) unless static keys are set.
	Region       string `json:"region,omitempty"`
	Profile      string `json:"profile,omitempty"`
	AccessKey    string `json:"-"`
	SecretKey    string `json:"-"`
	SessionToken string `json:"-"`
	// BedrockEndpoint overrides the bedrock-runtime endpoint (VPC endpoints,
	// tests); AWS_ENDPOINT_URL_BEDROCK_RUNTIME works too.
	BedrockEndpoint string `json:"bedrockEndpoint,omitempty"`
	// BedrockControlEndpoint overrides the control-plane endpoint used to
	// list models (AWS_ENDPOINT_URL_BEDROCK works too).
	BedrockControlEndpoint string `json:"bedrockControlEndpoint,omitempty"`

	// Timeout bounds each request (default 60s).
	Timeout time.Duration `json:"timeout,omitempty"`
	// MaxConcurrency bounds the calls in flight to this provider (default 4).
	MaxConcurrency int `json:"maxConcurrency,omitempty"`
	// MaxRetries after the first attempt (default 2; negative: none).
	MaxRetries int `json:"maxRetries,omitempty"`
	// ContextWindow overrides the model table's context size.
	ContextWindow int `json:"contextWindow,omitempty"`
	// Price overrides the model table's price.
	Price *Price `json:"price,omitempty"`

	// HTTPClient supplies the transport (proxies, custom CAs); optional.
	HTTPClient *http.Client `json:"-"`
	// Guard is checked on every dial of the default transport: the
	// endpoint an admin typed must not reach link-local or metadata
	// addresses unless it allows them.
	Guard netguard.Policy `json:"-"`
}

// Default models per provider.
const (
	DefaultOpenAIModel  = "gpt-4o-mini"
	DefaultOllamaModel  = "llama3"
	DefaultBedrockModel = "anthropic.claude-3-haiku-20240307-v1:0"
	defaultAzureVersion = "2024-10-21"
)

// New builds the configured provider behind the shared guard.
func New(s Settings) (Provider, error) {
	if s.Price != nil && (s.Price.InputPerMTok < 0 || s.Price.OutputPerMTok < 0) {
		return nil, fmt.Errorf("price override cannot be negative")
	}
	name := strings.ToLower(strings.TrimSpace(s.Provider))
	switch name {
	case "", NameOffline:
		return Offline{}, nil
	case NameOpenAI:
		return newOpenAI(s)
	case NameOllama:
		return newOllama(s)
	case NameBedrock:
		return newBedrock(s)
	}
	return nil, fmt.Errorf("unknown provider %q: use offline, openai, ollama or bedrock", s.Provider)
}

func (s Settings) policy() Policy {
	return Policy{Timeout: s.Timeout, MaxConcurrency: s.MaxConcurrency, MaxRetries: s.MaxRetries}
}

// window and price apply the overrides to the table's values.
func (s Settings) window(model string) int {
	if s.ContextWindow > 0 {
		return s.ContextWindow
	}
	return ContextWindowFor(model)
}

func (s Settings) price(model string) Price {
	if s.Price != nil {
		return *s.Price
	}
	return PriceFor(model)
}

// counterFor picks the vocabulary closest to the model's own: cl100k for
// GPT-4 and GPT-3.5, o200k for everything else (a close estimate for Llama 3,
// Claude, Nova and Mistral, whose tokenizers are not public or not bundled).
func counterFor(model string) func(string) int {
	m := strings.ToLower(model)
	if (strings.Contains(m, "gpt-4") && !strings.Contains(m, "gpt-4o") && !strings.Contains(m, "gpt-4.1")) ||
		strings.Contains(m, "gpt-3.5") {
		return func(s string) int { return tokens.CountWith(tokens.Cl100k, s) }
	}
	return tokens.Count
}

func newOpenAI(s Settings) (Provider, error) {
	model := firstNonEmpty(s.Model, DefaultOpenAIModel)
	format, err := jsonFormat(s.JSONFormat)
	if err != nil {
		return nil, err
	}
	base := firstNonEmpty(s.BaseURL, "https://api.openai.com/v1")
	if err := checkURL(base); err != nil {
		return nil, fmt.Errorf("openai base URL: %w", err)
	}
	if s.APIKey == "" && s.BaseURL == "" && !s.Azure {
		return nil, fmt.Errorf("openai needs an API key: set the provider's API key (OPENAI_API_KEY for the command line), or point the base URL at a compatible server that needs none")
	}
	var cfg openai.ClientConfig
	if s.Azure {
		if s.BaseURL == "" {
			return nil, fmt.Errorf("azure openai needs the resource endpoint as base URL (https://NAME.openai.azure.com)")
		}
		cfg = openai.DefaultAzureConfig(s.APIKey, base)
		cfg.APIVersion = firstNonEmpty(s.APIVersion, defaultAzureVersion)
		deployment := firstNonEmpty(s.AzureDeployment, model)
		cfg.AzureModelMapperFunc = func(string) string { return deployment }
	} else {
		cfg = openai.DefaultConfig(s.APIKey)
		cfg.BaseURL = base
		cfg.OrgID = s.Organization
	}
	cfg.HTTPClient = newHTTPClient(s.HTTPClient, s.Guard, s.Headers)
	b := &openAIBackend{
		provider: NameOpenAI, client: openai.NewClientWithConfig(cfg), model: model,
		hint: openAIHint(base, model), checkModel: !s.Azure,
	}
	b.format.Store(format)
	return newGuarded(NameOpenAI, model, b, s.policy(), s.price(model), s.window(model), counterFor(model)), nil
}

func newOllama(s Settings) (Provider, error) {
	model := firstNonEmpty(s.Model, DefaultOllamaModel)
	host := firstNonEmpty(s.OllamaURL, DefaultOllamaURL)
	if !strings.Contains(host, "://") {
		// OLLAMA_HOST is often given as host:port.
		host = "http://" + host
	}
	if err := checkURL(host); err != nil {
		return nil, fmt.Errorf("%w: %w", errOllamaURL, err)
	}
	host = strings.TrimRight(host, "/")
	format, err := jsonFormat(s.JSONFormat)
	if err != nil {
		return nil, err
	}
	httpc := newHTTPClient(s.HTTPClient, s.Guard, s.Headers)
	// Ollama ignores the key but go-openai always sends one.
	cfg := openai.DefaultConfig(firstNonEmpty(s.APIKey, "ollama"))
	cfg.BaseURL = host + "/v1"
	cfg.HTTPClient = httpc
	inner := &openAIBackend{provider: NameOllama, client: openai.NewClientWithConfig(cfg), model: model,
		hint: ollamaHint(host, model)}
	inner.format.Store(format)
	b := &ollamaBackend{openAIBackend: inner, host: host, http: httpc}
	price := Price{}
	if s.Price != nil {
		price = *s.Price
	}
	return newGuarded(NameOllama, model, b, s.policy(), price, s.window(model), counterFor(model)), nil
}

func jsonFormat(f string) (string, error) {
	switch f {
	case "", FormatJSONSchema:
		return FormatJSONSchema, nil
	case FormatJSONObject, FormatNone:
		return f, nil
	}
	return "", fmt.Errorf("JSON format %q: use json_schema, json_object or none", f)
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("parse %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// SettingsFromEnv reads the provider settings the usual environment variables
// carry: AIOPS_PROVIDER, AIOPS_MODEL, OPENAI_API_KEY, OPENAI_BASE_URL,
// OPENAI_ORG_ID, OLLAMA_HOST, AWS_REGION (or AWS_DEFAULT_REGION) and
// AWS_PROFILE. The AWS SDK reads the rest of its chain itself.
func SettingsFromEnv(getenv func(string) string) Settings {
	return Settings{
		Provider:     getenv("AIOPS_PROVIDER"),
		Model:        getenv("AIOPS_MODEL"),
		APIKey:       getenv("OPENAI_API_KEY"),
		BaseURL:      getenv("OPENAI_BASE_URL"),
		Organization: getenv("OPENAI_ORG_ID"),
		OllamaURL:    getenv("OLLAMA_HOST"),
		Region:       firstNonEmpty(getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION")),
		Profile:      getenv("AWS_PROFILE"),
	}
}
