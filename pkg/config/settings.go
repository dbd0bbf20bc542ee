package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits on what Grafana hands us as settings: the admin who edits them is
// trusted, the bytes are not (a provisioning file can hold anything).
const (
	maxJSONDataBytes   = 64 << 10
	maxSecretBytes     = 16 << 10
	maxHeaderCount     = 32
	maxTextFieldLength = 2048
)

// Provider names the LLM behind explanations.
type Provider string

// The LLM providers. Offline answers from the deterministic analyzers alone.
const (
	ProviderOffline Provider = "offline"
	ProviderOpenAI  Provider = "openai"
	ProviderOllama  Provider = "ollama"
	ProviderBedrock Provider = "bedrock"
)

// Prometheus authentication types.
const (
	AuthNone   = "none"
	AuthBasic  = "basic"
	AuthBearer = "bearer"
	AuthSigV4  = "sigv4"
)

// Kubernetes access modes.
const (
	KubeInCluster  = "incluster"
	KubeKubeconfig = "kubeconfig"
	KubeOff        = "off"
)

// Bedrock credential modes: the AWS SDK's default chain, or the keys stored
// in secureJsonData.
const (
	CredentialsDefault = "default"
	CredentialsStatic  = "static"
)

// Settings is the app's configuration: jsonData typed and defaulted, plus the
// decrypted secureJsonData kept in unexported fields so that neither
// encoding/json nor a %v can ever print them.
type Settings struct {
	Provider   Provider           `json:"provider"`
	OpenAI     OpenAISettings     `json:"openai"`
	Ollama     OllamaSettings     `json:"ollama"`
	Bedrock    BedrockSettings    `json:"bedrock"`
	Prometheus PrometheusSettings `json:"prometheus"`
	Kubernetes KubernetesSettings `json:"kubernetes"`
	Loki       LokiSettings       `json:"loki"`
	CloudWatch CloudWatchSettings `json:"cloudwatch"`
	LogFiles   LogFilesSettings   `json:"logFiles"`
	Traces     TracesSettings     `json:"traces"`
	Watch      WatchSettings      `json:"watch"`
	// FinOps overrides the prices of the cost allocation and of what an
	// incident cost; zero fields keep OpenCost's defaults.
	FinOps FinOpsSettings `json:"finops"`
	// Models overrides the model table for models it does not know (or
	// knows wrong): context window and price, by model id.
	Models         map[string]ModelSettings `json:"models,omitempty"`
	Redaction      RedactionSettings        `json:"redaction"`
	Budgets        BudgetSettings           `json:"budgets"`
	MinRoleExplain string                   `json:"minRoleExplain"`
	CacheTTL       Duration                 `json:"cacheTTL"`
	// ExplainTimeout bounds one interactive or webhook explanation: a model
	// that has not answered by then is given up and the analyzers' answer
	// is returned, naming the model as the failed source (default 90s).
	ExplainTimeout       Duration `json:"explainTimeout"`
	HistoryRetentionDays int      `json:"historyRetentionDays"`
	HistoryMaxCount      int      `json:"historyMaxCount"`
	// UsageRetentionDays keeps the AI usage ledger this long (default 90).
	UsageRetentionDays int `json:"usageRetentionDays"`
	WebhookQueueSize   int `json:"webhookQueueSize"`
	// AllowLinkLocalUpstreams lets the outbound clients (Prometheus, Loki,
	// traces, model endpoints) dial link-local and cloud metadata
	// addresses, which they refuse by default: only for an upstream that
	// really lives there, such as an on-node proxy.
	AllowLinkLocalUpstreams bool `json:"allowLinkLocalUpstreams,omitempty"`

	secrets secrets
}

// OpenAISettings configures OpenAI or any OpenAI-compatible endpoint
// (Azure OpenAI, vLLM, LiteLLM and other gateways).
type OpenAISettings struct {
	BaseURL      string `json:"baseURL"`
	Organization string `json:"organization"`
	Model        string `json:"model"`
	// Headers are extra, non-secret request headers; secret header values
	// live in secureJsonData.openaiHeaderValues.
	Headers    map[string]string `json:"headers,omitempty"`
	Azure      bool              `json:"azure"`
	APIVersion string            `json:"apiVersion"`
	// AzureDeployment is the Azure OpenAI deployment (default: the model).
	AzureDeployment string `json:"azureDeployment,omitempty"`
	// JSONFormat is how structured answers are asked for: json_schema
	// (default), json_object, or none for servers that support neither.
	JSONFormat string `json:"jsonFormat,omitempty"`
}

// OllamaSettings configures a local Ollama server.
type OllamaSettings struct {
	URL   string `json:"url"`
	Model string `json:"model"`
	// Headers are extra, non-secret request headers (a gateway in front of
	// Ollama); secret values live in secureJsonData.ollamaHeaderValues.
	Headers map[string]string `json:"headers,omitempty"`
}

// BedrockSettings configures AWS Bedrock (Converse API).
type BedrockSettings struct {
	Region          string `json:"region"`
	ModelID         string `json:"modelId"`
	CredentialsMode string `json:"credentialsMode"`
	// Endpoint overrides the bedrock-runtime endpoint (VPC endpoints).
	Endpoint string `json:"endpoint,omitempty"`
}

// ModelSettings are what the model table says of a model, set by hand.
type ModelSettings struct {
	// ContextWindow is the model's context size in tokens (prompt + answer).
	ContextWindow int `json:"contextWindow,omitempty"`
	// InputPerMTok and OutputPerMTok are US dollars per million tokens.
	InputPerMTok  float64 `json:"inputPerMTok,omitempty"`
	OutputPerMTok float64 `json:"outputPerMTok,omitempty"`
}

// PrometheusSettings locates the Prometheus the metrics evidence comes from.
type PrometheusSettings struct {
	URL           string `json:"url"`
	AuthType      string `json:"authType"`
	BasicUser     string `json:"basicUser"`
	SigV4Region   string `json:"sigv4Region"`
	TLSSkipVerify bool   `json:"tlsSkipVerify"`
	// CACert is a PEM bundle trusted in addition to the system roots.
	CACert string `json:"caCert"`
}

// KubernetesSettings selects how the backend reaches the cluster.
type KubernetesSettings struct {
	Mode           string `json:"mode"`
	KubeconfigPath string `json:"kubeconfigPath"`
	Context        string `json:"context"`
}

// LokiSettings points at a Loki to read logs from beside the Kubernetes API.
type LokiSettings struct {
	URL string `json:"url"`
	// TenantID is sent as X-Scope-OrgID to a multi-tenant Loki.
	TenantID string `json:"tenantId,omitempty"`
	// AuthType is none, basic (basicUser and secureJsonData.lokiPassword)
	// or bearer (secureJsonData.lokiBearerToken).
	AuthType  string `json:"authType"`
	BasicUser string `json:"basicUser,omitempty"`
}

// CloudWatchSettings reads the container logs Fluent Bit ships to
// CloudWatch Logs, for pods that are gone. Credentials come from the AWS
// default chain (IRSA on EKS).
type CloudWatchSettings struct {
	LogGroup string `json:"logGroup,omitempty"`
	Region   string `json:"region,omitempty"`
	// StreamPattern names a pod's streams with {namespace}, {pod} and
	// {container} (default: Fluent Bit's kube.var.log.containers naming).
	StreamPattern string `json:"streamPattern,omitempty"`
	// Insights uses Logs Insights queries instead of FilterLogEvents.
	Insights bool `json:"insights,omitempty"`
	// Endpoint overrides the service endpoint (VPC endpoints).
	Endpoint string `json:"endpoint,omitempty"`
}

// Trace backends.
const (
	TracesTempo  = "tempo"
	TracesJaeger = "jaeger"
)

// FinOpsSettings are pricing overrides. CPUPerCoreHour and RAMPerGiBHour
// are the custom rates (a node without a known price, and the split of a
// known one); SpotDiscount applies to spot nodes without a spot price;
// Region is the default region of nodes that do not say theirs; CustomOnly
// ignores the built-in EKS table; InstanceTypes are node prices in $ per
// node-hour that win over the table.
type FinOpsSettings struct {
	CPUPerCoreHour float64                  `json:"cpuPerCoreHour,omitempty"`
	RAMPerGiBHour  float64                  `json:"ramPerGiBHour,omitempty"`
	SpotDiscount   float64                  `json:"spotDiscount,omitempty"`
	Region         string                   `json:"region,omitempty"`
	CustomOnly     bool                     `json:"customOnly,omitempty"`
	InstanceTypes  map[string]InstancePrice `json:"instanceTypes,omitempty"`
}

// InstancePrice is one instance type's node price, $ per hour.
type InstancePrice struct {
	OnDemand float64 `json:"onDemand"`
	Spot     float64 `json:"spot,omitempty"`
}

// maxInstanceTypes bounds the per-instance-type prices.
const maxInstanceTypes = 500

// TracesSettings points at the trace backend the services export to.
type TracesSettings struct {
	// Backend is tempo or jaeger; empty reads no traces.
	Backend  string `json:"backend,omitempty"`
	URL      string `json:"url,omitempty"`
	TenantID string `json:"tenantId,omitempty"`
	// AuthType is none, basic (basicUser and secureJsonData.tracesPassword)
	// or bearer (secureJsonData.tracesBearerToken).
	AuthType  string `json:"authType"`
	BasicUser string `json:"basicUser,omitempty"`
	// ExploreDatasourceUID is the Grafana Tempo data source a cited trace
	// opens in Explore.
	ExploreDatasourceUID string `json:"exploreDatasourceUid,omitempty"`
}

// WatchSettings configure the app's background log watch: the pods of
// Namespaces (narrowed by Selector) are tailed every Interval, and new error
// templates and template surges are stored as findings that the data
// source's findings query serves. It needs Kubernetes access.
type WatchSettings struct {
	Enabled    bool     `json:"enabled"`
	Namespaces []string `json:"namespaces,omitempty"`
	Selector   string   `json:"selector,omitempty"`
	Interval   Duration `json:"interval"`
}

// Bounds of the log watch settings.
const (
	maxWatchNamespaces = 20
	minWatchInterval   = 5 * time.Second
	maxWatchInterval   = time.Hour
	defaultWatchEvery  = Duration(30 * time.Second)
)

// LogFilesSettings reads logs from files matching a glob (for nodes or sidecars
// that ship logs to a shared volume).
type LogFilesSettings struct {
	Pattern string `json:"pattern"`
}

// RedactionSettings adds optional scrubbing on top of the always-on secret
// redaction.
type RedactionSettings struct {
	Emails bool `json:"emails"`
	IPs    bool `json:"ips"`
}

// BudgetSettings caps LLM spend; zero means unlimited.
type BudgetSettings struct {
	DailyTokens      int64   `json:"dailyTokens"`
	DailyCostUSD     float64 `json:"dailyCostUSD"`
	PerUserPerMinute int     `json:"perUserPerMinute"`
}

// secureJsonData keys.
const (
	secretOpenAIAPIKey          = "openaiApiKey"
	secretOpenAIHeaderValues    = "openaiHeaderValues"
	secretBedrockAccessKey      = "bedrockAccessKey"
	secretBedrockSecretKey      = "bedrockSecretKey"
	secretPrometheusPassword    = "prometheusPassword"
	secretPrometheusBearerToken = "prometheusBearerToken"
	secretWebhookSecret         = "webhookSecret"
	secretOllamaHeaderValues    = "ollamaHeaderValues"
	secretLokiPassword          = "lokiPassword"
	secretLokiBearerToken       = "lokiBearerToken"
	secretTracesPassword        = "tracesPassword"
	secretTracesBearerToken     = "tracesBearerToken"
	secretStoreDSN              = "storeDSN"
)

type secrets struct {
	openAIAPIKey          string
	openAIHeaderValues    map[string]string
	bedrockAccessKey      string
	bedrockSecretKey      string
	prometheusPassword    string
	prometheusBearerToken string
	webhookSecret         string
	ollamaHeaderValues    map[string]string
	lokiPassword          string
	lokiBearerToken       string
	tracesPassword        string
	tracesBearerToken     string
	storeDSN              string
}

// OpenAIAPIKey is the OpenAI (or Azure, or gateway) API key.
func (s Settings) OpenAIAPIKey() string { return s.secrets.openAIAPIKey }

// OpenAIHeaders returns the request headers for the OpenAI provider: the
// plain ones from jsonData overlaid with the secret ones.
func (s Settings) OpenAIHeaders() map[string]string {
	return overlay(s.OpenAI.Headers, s.secrets.openAIHeaderValues)
}

// OllamaHeaders are the Ollama provider's request headers, plain and secret.
func (s Settings) OllamaHeaders() map[string]string {
	return overlay(s.Ollama.Headers, s.secrets.ollamaHeaderValues)
}

func overlay(plain, secret map[string]string) map[string]string {
	out := make(map[string]string, len(plain)+len(secret))
	for k, v := range plain {
		out[k] = v
	}
	for k, v := range secret {
		out[k] = v
	}
	return out
}

// Credentials are a source's basic-auth password or bearer token, whichever
// its AuthType uses.
type Credentials struct {
	BasicUser, BasicPassword, BearerToken string
}

// LokiCredentials are what Loki's AuthType asks for.
func (s Settings) LokiCredentials() Credentials {
	return credentials(s.Loki.AuthType, s.Loki.BasicUser, s.secrets.lokiPassword, s.secrets.lokiBearerToken)
}

// TracesCredentials are what the trace backend's AuthType asks for.
func (s Settings) TracesCredentials() Credentials {
	return credentials(s.Traces.AuthType, s.Traces.BasicUser, s.secrets.tracesPassword, s.secrets.tracesBearerToken)
}

func credentials(authType, user, password, token string) Credentials {
	switch authType {
	case AuthBasic:
		return Credentials{BasicUser: user, BasicPassword: password}
	case AuthBearer:
		return Credentials{BearerToken: token}
	}
	return Credentials{}
}

// BedrockStaticCredentials returns the access key pair for credentialsMode static.
func (s Settings) BedrockStaticCredentials() (accessKey, secretKey string) {
	return s.secrets.bedrockAccessKey, s.secrets.bedrockSecretKey
}

// PrometheusPassword is the basic-auth password.
func (s Settings) PrometheusPassword() string { return s.secrets.prometheusPassword }

// PrometheusBearerToken is the bearer token.
func (s Settings) PrometheusBearerToken() string { return s.secrets.prometheusBearerToken }

// StoreDSN is the shared PostgreSQL store (postgres://…) of a Grafana in
// HA; empty means the embedded SQLite file of each replica.
func (s Settings) StoreDSN() string { return s.secrets.storeDSN }

// WebhookSecret authenticates Alertmanager/Grafana webhook calls.
func (s Settings) WebhookSecret() string { return s.secrets.webhookSecret }

// SecretValues lists every secret value set, the store DSN's password on its
// own too, so that redaction can remove them from any text whatever their
// shape: an upstream that quotes the credentials it was sent in its error
// would otherwise carry them into logs and health answers.
func (s Settings) SecretValues() []string {
	sec := s.secrets
	out := []string{sec.openAIAPIKey, sec.bedrockAccessKey, sec.bedrockSecretKey, sec.prometheusPassword,
		sec.prometheusBearerToken, sec.webhookSecret, sec.lokiPassword, sec.lokiBearerToken,
		sec.tracesPassword, sec.tracesBearerToken, sec.storeDSN}
	if u, err := url.Parse(sec.storeDSN); err == nil && u.User != nil {
		pw, _ := u.User.Password()
		out = append(out, pw)
	}
	for _, v := range sec.openAIHeaderValues {
		out = append(out, v)
	}
	for _, v := range sec.ollamaHeaderValues {
		out = append(out, v)
	}
	return slices.DeleteFunc(out, func(v string) bool { return v == "" })
}

// SecretsSet reports which secureJsonData keys hold a value, the only thing
// about secrets that may be shown or logged.
func (s Settings) SecretsSet() map[string]bool {
	return map[string]bool{
		secretOpenAIAPIKey:          s.secrets.openAIAPIKey != "",
		secretOpenAIHeaderValues:    len(s.secrets.openAIHeaderValues) > 0,
		secretBedrockAccessKey:      s.secrets.bedrockAccessKey != "",
		secretBedrockSecretKey:      s.secrets.bedrockSecretKey != "",
		secretPrometheusPassword:    s.secrets.prometheusPassword != "",
		secretPrometheusBearerToken: s.secrets.prometheusBearerToken != "",
		secretWebhookSecret:         s.secrets.webhookSecret != "",
		secretOllamaHeaderValues:    len(s.secrets.ollamaHeaderValues) > 0,
		secretLokiPassword:          s.secrets.lokiPassword != "",
		secretLokiBearerToken:       s.secrets.lokiBearerToken != "",
		secretTracesPassword:        s.secrets.tracesPassword != "",
		secretTracesBearerToken:     s.secrets.tracesBearerToken != "",
		secretStoreDSN:              s.secrets.storeDSN != "",
	}
}

// String renders the settings with secrets reduced to "set or not", so that a
// log line or an error message can carry them safely.
func (s Settings) String() string {
	type plain Settings // drops the methods, so no recursion into String
	b, err := json.Marshal(struct {
		plain
		SecureJSONFields map[string]bool `json:"secureJsonFields"`
	}{plain(s), s.SecretsSet()})
	if err != nil {
		return "<settings: " + err.Error() + ">"
	}
	return string(b)
}

// Duration is a time.Duration that reads "90s"/"15m" or a number of seconds.
type Duration time.Duration

// MarshalJSON writes the Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON accepts "15m" or 900.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case string:
		parsed, err := time.ParseDuration(x)
		if err != nil {
			return fmt.Errorf("duration %q: %w", x, err)
		}
		*d = Duration(parsed)
	case float64:
		if x < 0 || x > float64(365*24*time.Hour/time.Second) {
			return fmt.Errorf("duration %v seconds is out of range", x)
		}
		*d = Duration(time.Duration(x * float64(time.Second)))
	case nil:
		*d = 0
	default:
		return fmt.Errorf("duration must be a string like \"15m\" or a number of seconds")
	}
	return nil
}

// Defaults applied to fields left empty.
const (
	defaultOpenAIBaseURL  = "https://api.openai.com/v1"
	defaultOpenAIModel    = "gpt-4o-mini"
	defaultOllamaURL      = "http://localhost:11434"
	defaultOllamaModel    = "llama3"
	defaultBedrockModelID = "anthropic.claude-3-haiku-20240307-v1:0"
	defaultMinRoleExplain = "Viewer"
	defaultCacheTTL       = Duration(15 * time.Minute)
	defaultExplainTimeout = Duration(90 * time.Second)
	// The explain timeout must leave the model time after the evidence
	// collection (15 s at most) and must not hold a browser request longer
	// than a proxy in front of Grafana would.
	minExplainTimeout      = 20 * time.Second
	maxExplainTimeout      = 10 * time.Minute
	defaultHistoryDays     = 30
	defaultHistoryMaxCount = 1000
	defaultUsageDays       = 90
	DefaultWebhookQueue    = 100
)

// DefaultSettings is what an app with empty jsonData runs with: offline
// explanations, no Prometheus, no Kubernetes.
func DefaultSettings() Settings {
	return Settings{
		Provider:             ProviderOffline,
		OpenAI:               OpenAISettings{BaseURL: defaultOpenAIBaseURL, Model: defaultOpenAIModel},
		Ollama:               OllamaSettings{URL: defaultOllamaURL, Model: defaultOllamaModel},
		Bedrock:              BedrockSettings{ModelID: defaultBedrockModelID, CredentialsMode: CredentialsDefault},
		Prometheus:           PrometheusSettings{AuthType: AuthNone},
		Loki:                 LokiSettings{AuthType: AuthNone},
		Traces:               TracesSettings{AuthType: AuthNone},
		Kubernetes:           KubernetesSettings{Mode: KubeOff},
		MinRoleExplain:       defaultMinRoleExplain,
		CacheTTL:             defaultCacheTTL,
		ExplainTimeout:       defaultExplainTimeout,
		HistoryRetentionDays: defaultHistoryDays,
		HistoryMaxCount:      defaultHistoryMaxCount,
		UsageRetentionDays:   defaultUsageDays,
		WebhookQueueSize:     DefaultWebhookQueue,
		Watch:                WatchSettings{Interval: defaultWatchEvery},
	}
}

// ParseSettings reads jsonData and the decrypted secureJsonData, fills in
// defaults and validates. The error lists every invalid field by its JSON
// path, so one save of the config page shows all problems at once.
func ParseSettings(jsonData []byte, secure map[string]string) (Settings, error) {
	s := DefaultSettings()
	if len(jsonData) > maxJSONDataBytes {
		return s, fmt.Errorf("jsonData is %d bytes, more than the %d allowed", len(jsonData), maxJSONDataBytes)
	}
	if trimmed := strings.TrimSpace(string(jsonData)); trimmed != "" && trimmed != "null" {
		if err := json.Unmarshal(jsonData, &s); err != nil {
			return DefaultSettings(), fmt.Errorf("jsonData is not valid settings JSON: %w", err)
		}
	}
	s.applyDefaults()
	sec, secErr := parseSecrets(secure)
	s.secrets = sec
	return s, errors.Join(secErr, s.validate())
}

// applyDefaults fills fields that JSON set to empty values.
func (s *Settings) applyDefaults() {
	d := DefaultSettings()
	orDefault := func(v *string, def string) {
		*v = strings.TrimSpace(*v)
		if *v == "" {
			*v = def
		}
	}
	p := string(s.Provider)
	orDefault(&p, string(d.Provider))
	s.Provider = Provider(strings.ToLower(p))
	orDefault(&s.OpenAI.BaseURL, d.OpenAI.BaseURL)
	orDefault(&s.OpenAI.Model, d.OpenAI.Model)
	orDefault(&s.Ollama.URL, d.Ollama.URL)
	orDefault(&s.Ollama.Model, d.Ollama.Model)
	orDefault(&s.Bedrock.ModelID, d.Bedrock.ModelID)
	orDefault(&s.Bedrock.CredentialsMode, d.Bedrock.CredentialsMode)
	orDefault(&s.Prometheus.AuthType, d.Prometheus.AuthType)
	orDefault(&s.Loki.AuthType, d.Loki.AuthType)
	orDefault(&s.Traces.AuthType, d.Traces.AuthType)
	s.Traces.Backend = strings.ToLower(strings.TrimSpace(s.Traces.Backend))
	s.Traces.URL = strings.TrimSpace(s.Traces.URL)
	s.CloudWatch.LogGroup = strings.TrimSpace(s.CloudWatch.LogGroup)
	orDefault(&s.Kubernetes.Mode, d.Kubernetes.Mode)
	orDefault(&s.MinRoleExplain, d.MinRoleExplain)
	s.Prometheus.URL = strings.TrimSpace(s.Prometheus.URL)
	s.Loki.URL = strings.TrimSpace(s.Loki.URL)
	if s.CacheTTL == 0 {
		s.CacheTTL = d.CacheTTL
	}
	if s.ExplainTimeout == 0 {
		s.ExplainTimeout = d.ExplainTimeout
	}
	if s.HistoryRetentionDays == 0 {
		s.HistoryRetentionDays = d.HistoryRetentionDays
	}
	if s.HistoryMaxCount == 0 {
		s.HistoryMaxCount = d.HistoryMaxCount
	}
	if s.UsageRetentionDays == 0 {
		s.UsageRetentionDays = d.UsageRetentionDays
	}
	if s.WebhookQueueSize == 0 {
		s.WebhookQueueSize = d.WebhookQueueSize
	}
	if s.Watch.Interval == 0 {
		s.Watch.Interval = d.Watch.Interval
	}
	s.Watch.Selector = strings.TrimSpace(s.Watch.Selector)
	namespaces := s.Watch.Namespaces[:0:0]
	for _, ns := range s.Watch.Namespaces {
		if ns = strings.TrimSpace(ns); ns != "" {
			namespaces = append(namespaces, ns)
		}
	}
	s.Watch.Namespaces = namespaces
}

func (s Settings) validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	oneOf := func(field, v string, allowed ...string) {
		for _, a := range allowed {
			if v == a {
				return
			}
		}
		bad(field, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
	checkURL := func(field, v string, required bool) {
		if v == "" {
			if required {
				bad(field, "is required")
			}
			return
		}
		if err := validHTTPURL(v); err != nil {
			bad(field, "%v", err)
		}
	}
	inRange := func(field string, v, lo, hi int64) {
		if v < lo || v > hi {
			bad(field, "%d is outside %d..%d", v, lo, hi)
		}
	}

	oneOf("provider", string(s.Provider), string(ProviderOffline), string(ProviderOpenAI), string(ProviderOllama), string(ProviderBedrock))
	checkURL("openai.baseURL", s.OpenAI.BaseURL, s.Provider == ProviderOpenAI)
	if s.OpenAI.Azure && s.OpenAI.APIVersion == "" {
		bad("openai.apiVersion", "is required for Azure OpenAI (for example 2024-10-21)")
	}
	if len(s.OpenAI.Headers)+len(s.secrets.openAIHeaderValues) > maxHeaderCount {
		bad("openai.headers", "more than %d headers", maxHeaderCount)
	}
	for name, value := range s.OpenAI.Headers {
		if err := validHeader(name, value); err != nil {
			bad("openai.headers", "%v", err)
		}
	}
	if s.OpenAI.JSONFormat != "" {
		oneOf("openai.jsonFormat", s.OpenAI.JSONFormat, "json_schema", "json_object", "none")
	}
	checkURL("ollama.url", s.Ollama.URL, s.Provider == ProviderOllama)
	if len(s.Ollama.Headers)+len(s.secrets.ollamaHeaderValues) > maxHeaderCount {
		bad("ollama.headers", "more than %d headers", maxHeaderCount)
	}
	for name, value := range s.Ollama.Headers {
		if err := validHeader(name, value); err != nil {
			bad("ollama.headers", "%v", err)
		}
	}
	checkURL("bedrock.endpoint", s.Bedrock.Endpoint, false)
	if len(s.Models) > maxModelOverrides {
		bad("models", "more than %d models", maxModelOverrides)
	}
	for id, m := range s.Models {
		field := "models." + clipField(id)
		switch {
		case id == "" || len(id) > 256:
			bad("models", "a model id is empty or longer than 256 characters")
		case m.ContextWindow < 0 || m.ContextWindow > 10_000_000:
			bad(field+".contextWindow", "%d is outside 0..10000000", m.ContextWindow)
		case !validPrice(m.InputPerMTok) || !validPrice(m.OutputPerMTok):
			bad(field, "prices must be between 0 and 10000 dollars per million tokens")
		}
	}
	oneOf("bedrock.credentialsMode", s.Bedrock.CredentialsMode, CredentialsDefault, CredentialsStatic)
	if s.Provider == ProviderBedrock && s.Bedrock.CredentialsMode == CredentialsStatic &&
		(s.secrets.bedrockAccessKey == "" || s.secrets.bedrockSecretKey == "") {
		bad("bedrock.credentialsMode", "static needs secureJsonData.%s and .%s", secretBedrockAccessKey, secretBedrockSecretKey)
	}

	checkURL("prometheus.url", s.Prometheus.URL, false)
	oneOf("prometheus.authType", s.Prometheus.AuthType, AuthNone, AuthBasic, AuthBearer, AuthSigV4)
	if s.Prometheus.URL != "" {
		needAuth("prometheus", s.Prometheus.AuthType, s.Prometheus.BasicUser, s.secrets.prometheusPassword, s.secrets.prometheusBearerToken,
			secretPrometheusPassword, secretPrometheusBearerToken, bad)
		if s.Prometheus.AuthType == AuthSigV4 && s.Prometheus.SigV4Region == "" {
			bad("prometheus.sigv4Region", "is required for sigv4 (for example us-east-1)")
		}
	}
	if s.Prometheus.CACert != "" && !strings.Contains(s.Prometheus.CACert, "-----BEGIN CERTIFICATE-----") {
		bad("prometheus.caCert", "must be a PEM certificate bundle")
	}

	oneOf("kubernetes.mode", s.Kubernetes.Mode, KubeInCluster, KubeKubeconfig, KubeOff)
	checkURL("loki.url", s.Loki.URL, false)
	oneOf("loki.authType", s.Loki.AuthType, AuthNone, AuthBasic, AuthBearer)
	if s.Loki.URL != "" {
		needAuth("loki", s.Loki.AuthType, s.Loki.BasicUser, s.secrets.lokiPassword, s.secrets.lokiBearerToken, secretLokiPassword, secretLokiBearerToken, bad)
	}
	if s.CloudWatch.LogGroup != "" || s.CloudWatch.Region != "" || s.CloudWatch.Endpoint != "" {
		if s.CloudWatch.LogGroup == "" {
			bad("cloudwatch.logGroup", "is required to read CloudWatch Logs (for example /aws/eks/prod/containers)")
		}
		checkURL("cloudwatch.endpoint", s.CloudWatch.Endpoint, false)
		if p := s.CloudWatch.StreamPattern; p != "" && !strings.Contains(p, "{pod}") {
			bad("cloudwatch.streamPattern", "must contain {pod}")
		}
	}
	if s.Traces.Backend != "" || s.Traces.URL != "" {
		oneOf("traces.backend", s.Traces.Backend, TracesTempo, TracesJaeger)
		checkURL("traces.url", s.Traces.URL, true)
	}
	oneOf("traces.authType", s.Traces.AuthType, AuthNone, AuthBasic, AuthBearer)
	if s.Traces.URL != "" {
		needAuth("traces", s.Traces.AuthType, s.Traces.BasicUser, s.secrets.tracesPassword, s.secrets.tracesBearerToken, secretTracesPassword, secretTracesBearerToken, bad)
	}
	oneOf("minRoleExplain", s.MinRoleExplain, "Viewer", "Editor")
	s.Watch.validate(s.Kubernetes.Mode, bad)

	if ttl := time.Duration(s.CacheTTL); ttl < 0 || ttl > 7*24*time.Hour {
		bad("cacheTTL", "%s is outside 0..168h", ttl)
	}
	if d := time.Duration(s.ExplainTimeout); d < minExplainTimeout || d > maxExplainTimeout {
		bad("explainTimeout", "%s is outside %s..%s", d, minExplainTimeout, maxExplainTimeout)
	}
	inRange("historyRetentionDays", int64(s.HistoryRetentionDays), 1, 3650)
	inRange("historyMaxCount", int64(s.HistoryMaxCount), 1, 1_000_000)
	inRange("usageRetentionDays", int64(s.UsageRetentionDays), 1, 3650)
	inRange("webhookQueueSize", int64(s.WebhookQueueSize), 1, 100_000)
	inRange("budgets.dailyTokens", s.Budgets.DailyTokens, 0, 1<<40)
	inRange("budgets.perUserPerMinute", int64(s.Budgets.PerUserPerMinute), 0, 100_000)
	if s.Budgets.DailyCostUSD < 0 || s.Budgets.DailyCostUSD > 1e6 || s.Budgets.DailyCostUSD != s.Budgets.DailyCostUSD {
		bad("budgets.dailyCostUSD", "must be between 0 and 1000000")
	}

	s.FinOps.validate(bad)

	for field, v := range map[string]string{
		"openai.organization": s.OpenAI.Organization, "openai.model": s.OpenAI.Model,
		"ollama.model": s.Ollama.Model, "bedrock.region": s.Bedrock.Region, "bedrock.modelId": s.Bedrock.ModelID,
		"prometheus.basicUser": s.Prometheus.BasicUser, "kubernetes.kubeconfigPath": s.Kubernetes.KubeconfigPath,
		"kubernetes.context": s.Kubernetes.Context, "logFiles.pattern": s.LogFiles.Pattern,
		"openai.azureDeployment": s.OpenAI.AzureDeployment, "loki.tenantId": s.Loki.TenantID, "loki.basicUser": s.Loki.BasicUser,
		"cloudwatch.logGroup": s.CloudWatch.LogGroup, "cloudwatch.region": s.CloudWatch.Region,
		"cloudwatch.streamPattern": s.CloudWatch.StreamPattern, "traces.tenantId": s.Traces.TenantID,
		"traces.basicUser": s.Traces.BasicUser, "traces.exploreDatasourceUid": s.Traces.ExploreDatasourceUID,
		"watch.selector": s.Watch.Selector,
	} {
		if len(v) > maxTextFieldLength {
			bad(field, "longer than %d characters", maxTextFieldLength)
		}
	}
	return errors.Join(errs...)
}

// validate checks the watch settings; they matter only when enabled, but
// an interval out of bounds is reported either way.
func (w WatchSettings) validate(kubeMode string, bad func(field, format string, args ...any)) {
	if every := time.Duration(w.Interval); every < minWatchInterval || every > maxWatchInterval {
		bad("watch.interval", "%s is outside %s..%s", every, minWatchInterval, maxWatchInterval)
	}
	if len(w.Namespaces) > maxWatchNamespaces {
		bad("watch.namespaces", "more than %d namespaces", maxWatchNamespaces)
	}
	for _, ns := range w.Namespaces {
		if !namespaceName.MatchString(ns) {
			bad("watch.namespaces", "%q is not a namespace name", clipField(ns))
		}
	}
	if !w.Enabled {
		return
	}
	if len(w.Namespaces) == 0 {
		bad("watch.namespaces", "at least one namespace is required to watch")
	}
	if kubeMode == KubeOff {
		bad("watch.enabled", "the log watch reads pods through Kubernetes: set kubernetes.mode to incluster or kubeconfig")
	}
}

// namespaceName is a Kubernetes namespace (a DNS-1123 label).
var namespaceName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

// maxModelOverrides bounds settings.models.
const maxModelOverrides = 64

func validPrice(p float64) bool { return p >= 0 && p <= 10_000 }

// clipField keeps a field name built from outside text short in messages.
func clipField(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// needAuth checks that a source's auth type has what it needs.
func needAuth(source, authType, user, password, token, passwordKey, tokenKey string, bad func(field, format string, args ...any)) {
	switch authType {
	case AuthBasic:
		if user == "" || password == "" {
			bad(source+".authType", "basic needs %s.basicUser and secureJsonData.%s", source, passwordKey)
		}
	case AuthBearer:
		if token == "" {
			bad(source+".authType", "bearer needs secureJsonData.%s", tokenKey)
		}
	}
}

func parseSecrets(secure map[string]string) (secrets, error) {
	var errs []error
	get := func(key string) string {
		v := secure[key]
		if len(v) > maxSecretBytes {
			errs = append(errs, fmt.Errorf("secureJsonData.%s: longer than %d bytes", key, maxSecretBytes))
			return ""
		}
		return strings.TrimSpace(v)
	}
	s := secrets{
		openAIAPIKey:          get(secretOpenAIAPIKey),
		bedrockAccessKey:      get(secretBedrockAccessKey),
		bedrockSecretKey:      get(secretBedrockSecretKey),
		prometheusPassword:    get(secretPrometheusPassword),
		prometheusBearerToken: get(secretPrometheusBearerToken),
		webhookSecret:         get(secretWebhookSecret),
		lokiPassword:          get(secretLokiPassword),
		lokiBearerToken:       get(secretLokiBearerToken),
		tracesPassword:        get(secretTracesPassword),
		tracesBearerToken:     get(secretTracesBearerToken),
		storeDSN:              get(secretStoreDSN),
	}
	headers := func(key string) map[string]string {
		raw := get(key)
		if raw == "" {
			return nil
		}
		var out map[string]string
		// Never echo the value in the error: it is a secret.
		if err := json.Unmarshal([]byte(raw), &out); err != nil {
			errs = append(errs, fmt.Errorf("secureJsonData.%s: must be a JSON object of header name to value", key))
			return nil
		}
		for name, value := range out {
			if err := validHeader(name, value); err != nil {
				errs = append(errs, fmt.Errorf("secureJsonData.%s: header %q is invalid", key, name))
				delete(out, name)
			}
		}
		return out
	}
	if s.storeDSN != "" && !strings.HasPrefix(s.storeDSN, "postgres://") && !strings.HasPrefix(s.storeDSN, "postgresql://") {
		// Never echo the DSN: it holds a password.
		errs = append(errs, fmt.Errorf("secureJsonData.%s: must be a postgres:// URL", secretStoreDSN))
		s.storeDSN = ""
	}
	s.openAIHeaderValues = headers(secretOpenAIHeaderValues)
	s.ollamaHeaderValues = headers(secretOllamaHeaderValues)
	return s, errors.Join(errs...)
}

// validHTTPURL never echoes the URL: a pasted URL may carry a token.
func validHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return errors.New("is not a URL")
	case u.User != nil:
		return errors.New("must not contain credentials; use the auth settings and secureJsonData")
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("must start with http:// or https://")
	case u.Host == "":
		return errors.New("has no host")
	}
	return nil
}

// validHeader rejects header names and values that net/http would refuse or
// that could split a request.
func validHeader(name, value string) error {
	if name == "" || len(name) > 256 {
		return fmt.Errorf("header name %q is empty or too long", name)
	}
	for _, r := range name {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) {
			return fmt.Errorf("header name %s contains an invalid character", strconv.Quote(name))
		}
	}
	if len(value) > 8192 || strings.ContainsAny(value, "\r\n\x00") {
		return fmt.Errorf("header %q has an invalid value", name)
	}
	return nil
}

// validate names each pricing override outside its range.
func (f FinOpsSettings) validate(bad func(field, format string, args ...any)) {
	price := func(field string, v, limit float64) {
		if v < 0 || v > limit || v != v {
			bad(field, "must be between 0 and %g", limit)
		}
	}
	price("finops.cpuPerCoreHour", f.CPUPerCoreHour, 100)
	price("finops.ramPerGiBHour", f.RAMPerGiBHour, 100)
	if f.SpotDiscount < 0 || f.SpotDiscount >= 1 || f.SpotDiscount != f.SpotDiscount {
		bad("finops.spotDiscount", "must be at least 0 and below 1")
	}
	if len(f.Region) > 32 {
		bad("finops.region", "is longer than 32 characters")
	}
	if len(f.InstanceTypes) > maxInstanceTypes {
		bad("finops.instanceTypes", "has %d entries, at most %d", len(f.InstanceTypes), maxInstanceTypes)
		return
	}
	for name, p := range f.InstanceTypes {
		if name == "" || len(name) > 64 {
			bad("finops.instanceTypes", "instance type %.64q must be 1 to 64 characters", name)
			continue
		}
		price("finops.instanceTypes."+name+".onDemand", p.OnDemand, 1000)
		price("finops.instanceTypes."+name+".spot", p.Spot, 1000)
	}
}
