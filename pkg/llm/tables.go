package llm

import "strings"

// modelInfo is what the tables know about a model family.
type modelInfo struct {
	// key is matched against the model id: the longest key contained in the
	// id wins, so "gpt-4o-mini-2024-07-18" finds "gpt-4o-mini", not "gpt-4o".
	key    string
	window int
	price  Price
}

// defaultWindow is assumed for models the table does not know; small on
// purpose, so an unknown local model is not sent more than it can read.
const defaultWindow = 8192

// modelTable lists context windows and list prices (USD per million tokens,
// on-demand, as published by OpenAI and AWS for us-east-1). Settings can
// override both for any model; Ollama is always priced at zero.
var modelTable = []modelInfo{
	// OpenAI
	{key: "gpt-4o-mini", window: 128000, price: Price{0.15, 0.60}},
	{key: "gpt-4o", window: 128000, price: Price{2.50, 10.00}},
	{key: "gpt-4.1-nano", window: 1047576, price: Price{0.10, 0.40}},
	{key: "gpt-4.1-mini", window: 1047576, price: Price{0.40, 1.60}},
	{key: "gpt-4.1", window: 1047576, price: Price{2.00, 8.00}},
	{key: "gpt-5-nano", window: 400000, price: Price{0.05, 0.40}},
	{key: "gpt-5-mini", window: 400000, price: Price{0.25, 2.00}},
	{key: "gpt-5", window: 400000, price: Price{1.25, 10.00}},
	{key: "o3-mini", window: 200000, price: Price{1.10, 4.40}},
	{key: "o4-mini", window: 200000, price: Price{1.10, 4.40}},
	{key: "gpt-4-turbo", window: 128000, price: Price{10.00, 30.00}},
	{key: "gpt-3.5-turbo", window: 16385, price: Price{0.50, 1.50}},
	// Anthropic Claude on Bedrock
	{key: "claude-3-haiku", window: 200000, price: Price{0.25, 1.25}},
	{key: "claude-3-5-haiku", window: 200000, price: Price{0.80, 4.00}},
	{key: "claude-haiku-4-5", window: 200000, price: Price{1.00, 5.00}},
	{key: "claude-3-5-sonnet", window: 200000, price: Price{3.00, 15.00}},
	{key: "claude-3-7-sonnet", window: 200000, price: Price{3.00, 15.00}},
	{key: "claude-sonnet-4", window: 200000, price: Price{3.00, 15.00}},
	{key: "claude-opus-4", window: 200000, price: Price{15.00, 75.00}},
	// Meta Llama on Bedrock (and the Ollama names, priced at zero there)
	{key: "llama3-8b", window: 8192, price: Price{0.30, 0.60}},
	{key: "llama3-70b", window: 8192, price: Price{2.65, 3.50}},
	{key: "llama3-1-8b", window: 128000, price: Price{0.22, 0.22}},
	{key: "llama3-1-70b", window: 128000, price: Price{0.72, 0.72}},
	{key: "llama3-3-70b", window: 128000, price: Price{0.72, 0.72}},
	{key: "llama3.1", window: 128000},
	{key: "llama3.2", window: 128000},
	{key: "llama3.3", window: 128000},
	{key: "llama3", window: 8192},
	// Amazon Nova
	{key: "nova-micro", window: 128000, price: Price{0.035, 0.14}},
	{key: "nova-lite", window: 300000, price: Price{0.06, 0.24}},
	{key: "nova-pro", window: 300000, price: Price{0.80, 3.20}},
	// Mistral on Bedrock
	{key: "mistral-7b", window: 32000, price: Price{0.15, 0.20}},
	{key: "mixtral-8x7b", window: 32000, price: Price{0.45, 0.70}},
	{key: "mistral-large", window: 32000, price: Price{4.00, 12.00}},
	{key: "mistral-small", window: 32000, price: Price{1.00, 3.00}},
}

// lookupModel finds the table entry for a model id; ok is false for unknown
// models.
func lookupModel(model string) (modelInfo, bool) {
	id := strings.ToLower(model)
	best, found := modelInfo{}, false
	for _, m := range modelTable {
		if strings.Contains(id, m.key) && len(m.key) > len(best.key) {
			best, found = m, true
		}
	}
	return best, found
}

// ContextWindowFor is the table's context size for model, or the
// conservative default for unknown models.
func ContextWindowFor(model string) int {
	if m, ok := lookupModel(model); ok {
		return m.window
	}
	return defaultWindow
}

// PriceFor is the table's list price for model; zero for unknown models.
func PriceFor(model string) Price {
	m, _ := lookupModel(model)
	return m.price
}
