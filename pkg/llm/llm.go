// Package llm talks to the language models that write explanations. One
// Provider interface covers OpenAI (and OpenAI-compatible servers such as
// LiteLLM, vLLM and LM Studio, and Azure OpenAI), a local Ollama, AWS Bedrock
// through the Converse API, and "offline" — no model at all, in which case the
// caller answers from its deterministic analyzers.
//
// Every remote provider is wrapped in the same guard: a per-request timeout,
// retries with jittered backoff on rate limits, server errors and timeouts
// (honouring Retry-After), a concurrency limit and a circuit breaker that fails
// fast while the provider is down. New builds any of them from Settings.
package llm

import (
	"context"
	"encoding/json"
)

// Provider is one configured model behind one API.
type Provider interface {
	// Name is the provider kind: openai, ollama, bedrock or offline.
	Name() string
	// Model is the model id requests go to ("" for offline).
	Model() string
	// Complete sends the request and returns the whole answer. When the
	// request carries a Schema, the provider's structured-output or JSON mode
	// is used where it has one.
	Complete(ctx context.Context, req Request) (Response, error)
	// Stream is Complete with the answer's text handed to onToken as it is
	// generated; the returned Response holds the whole text and the usage.
	Stream(ctx context.Context, req Request, onToken func(string)) (Response, error)
	// Health checks that the provider answers and the model is usable. Its
	// error says what to do ("ollama pull llama3", "set OPENAI_API_KEY").
	Health(ctx context.Context) error
	// Models lists the model ids the endpoint offers.
	Models(ctx context.Context) ([]string, error)
	// CountTokens estimates how many prompt tokens s costs with this model.
	CountTokens(s string) int
	// Price is what a million tokens cost; zero for local models.
	Price() Price
	// ContextWindow is the model's context size in tokens (prompt + answer).
	ContextWindow() int
}

// Message is one turn of the conversation after the system prompt.
type Message struct {
	Role    Role
	Content string
}

// Role of a message.
type Role string

// Roles a request may carry. The system prompt travels in Request.System.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Schema asks for a JSON answer shaped by a JSON Schema.
type Schema struct {
	// Name identifies the schema to APIs that require one ([a-zA-Z0-9_-]).
	Name string
	// JSON is the schema document.
	JSON json.RawMessage
}

// Request is one call to a model.
type Request struct {
	System   string
	Messages []Message
	// MaxTokens bounds the answer; 0 leaves the provider's default.
	MaxTokens int
	// Temperature is passed through; explanations use a low one.
	Temperature float32
	// Schema, when set, asks for structured JSON output.
	Schema *Schema
}

// Response is a model's answer.
type Response struct {
	Text  string
	Usage Usage
	// Model is the model that answered, as the provider reported it.
	Model string
	// StopReason is the provider's reason for ending ("stop", "length", ...).
	StopReason string
}

// Usage is the token count of one call and what it cost.
type Usage struct {
	PromptTokens     int
	CompletionTokens int
	CostUSD          float64
}

// Add accumulates another call's usage.
func (u *Usage) Add(o Usage) {
	u.PromptTokens += o.PromptTokens
	u.CompletionTokens += o.CompletionTokens
	u.CostUSD += o.CostUSD
}

// Price is the cost of a million prompt (input) and completion (output) tokens
// in US dollars.
type Price struct {
	InputPerMTok  float64 `json:"inputPerMTok"`
	OutputPerMTok float64 `json:"outputPerMTok"`
}

// Cost of a call with the given token counts.
func (p Price) Cost(promptTokens, completionTokens int) float64 {
	return (float64(promptTokens)*p.InputPerMTok + float64(completionTokens)*p.OutputPerMTok) / 1e6
}

// IsOffline reports whether p asks no model: nil or the offline provider.
func IsOffline(p Provider) bool {
	return p == nil || p.Name() == NameOffline
}

// Provider names accepted by New.
const (
	NameOpenAI  = "openai"
	NameOllama  = "ollama"
	NameBedrock = "bedrock"
	NameOffline = "offline"
)
