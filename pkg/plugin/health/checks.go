package health

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Offline is the LLM check when no model is configured: the analyzers always answer.
func Offline() Checker {
	return Func("llm", func(context.Context) (string, error) {
		return "offline: explanations come from the built-in analyzers, no LLM is called", nil
	})
}

// Prometheus checks that the query API answers a trivial query.
type Prometheus struct {
	URL    string
	Client *http.Client
}

// Name implements Checker.
func (Prometheus) Name() string { return "prometheus" }

// Check implements Checker.
func (p Prometheus) Check(ctx context.Context) (string, error) {
	if p.URL == "" {
		return "set prometheus.url to collect metrics evidence", ErrNotConfigured
	}
	target, err := joinURL(p.URL, "/api/v1/query", url.Values{"query": {"1"}})
	if err != nil {
		return "", err
	}
	var answer struct {
		Status    string `json:"status"`
		ErrorType string `json:"errorType"`
		Error     string `json:"error"`
	}
	if err := getJSON(ctx, p.Client, target, nil, &answer); err != nil {
		return "", err
	}
	if answer.Status != "success" {
		return "", fmt.Errorf("query API answered status %q: %s %s", answer.Status, answer.ErrorType, answer.Error)
	}
	return "query API at " + redactURL(p.URL) + " answers", nil
}

// OpenAI checks an OpenAI-compatible endpoint by listing its models, which
// proves the URL and the key without spending tokens.
type OpenAI struct {
	BaseURL    string
	APIKey     string
	Model      string
	Azure      bool
	APIVersion string
	Headers    map[string]string
	Client     *http.Client
}

// Name implements Checker.
func (OpenAI) Name() string { return "llm" }

// Check implements Checker.
func (o OpenAI) Check(ctx context.Context) (string, error) {
	header := http.Header{}
	for k, v := range o.Headers {
		header.Set(k, v)
	}
	path, query := "/models", url.Values(nil)
	switch {
	case o.Azure:
		path, query = "/openai/models", url.Values{"api-version": {o.APIVersion}}
		if o.APIKey != "" {
			header.Set("api-key", o.APIKey)
		}
	case o.APIKey != "":
		header.Set("Authorization", "Bearer "+o.APIKey)
	}
	target, err := joinURL(o.BaseURL, path, query)
	if err != nil {
		return "", err
	}
	var answer struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := getJSON(ctx, o.Client, target, header, &answer); err != nil {
		return "", fmt.Errorf("openai: %w", err)
	}
	for _, m := range answer.Data {
		if m.ID == o.Model {
			return fmt.Sprintf("openai: model %s available at %s", o.Model, redactURL(o.BaseURL)), nil
		}
	}
	// Gateways and Azure deployments often list models under other names;
	// the endpoint and the key work, so this is not a failure.
	return fmt.Sprintf("openai: endpoint %s answers (%d models listed; %s not among them, it may be a deployment name)",
		redactURL(o.BaseURL), len(answer.Data), o.Model), nil
}

// Ollama checks a local Ollama server and that the configured model is pulled.
type Ollama struct {
	URL    string
	Model  string
	Client *http.Client
}

// Name implements Checker.
func (Ollama) Name() string { return "llm" }

// Check implements Checker.
func (o Ollama) Check(ctx context.Context) (string, error) {
	target, err := joinURL(o.URL, "/api/tags", nil)
	if err != nil {
		return "", err
	}
	var answer struct {
		Models []struct {
			Name  string `json:"name"`
			Model string `json:"model"`
		} `json:"models"`
	}
	if err := getJSON(ctx, o.Client, target, nil, &answer); err != nil {
		return "", fmt.Errorf("ollama: %w", err)
	}
	want := o.Model
	if !strings.Contains(want, ":") {
		want += ":latest"
	}
	for _, m := range answer.Models {
		if m.Name == o.Model || m.Name == want || m.Model == want {
			return fmt.Sprintf("ollama: model %s ready at %s", o.Model, redactURL(o.URL)), nil
		}
	}
	return "", fmt.Errorf("ollama at %s does not have model %s; run 'ollama pull %s'", redactURL(o.URL), o.Model, o.Model)
}

// Bedrock checks that AWS credentials resolve for the configured region.
// Invoking the model would cost money on every health check, so it is not done.
type Bedrock struct {
	Region  string
	ModelID string
	// Resolve returns the credential source's name (e.g. "EnvConfigCredentials").
	Resolve func(ctx context.Context) (string, error)
}

// Name implements Checker.
func (Bedrock) Name() string { return "llm" }

// Check implements Checker.
func (b Bedrock) Check(ctx context.Context) (string, error) {
	if b.Region == "" {
		return "", errors.New("bedrock: no region; set bedrock.region or AWS_REGION")
	}
	source, err := b.Resolve(ctx)
	if err != nil {
		return "", fmt.Errorf("bedrock: AWS credentials: %w", err)
	}
	return fmt.Sprintf("bedrock: credentials from %s for %s, model %s (invocation not tested)", source, b.Region, b.ModelID), nil
}
