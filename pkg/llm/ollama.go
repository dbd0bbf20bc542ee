package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// DefaultOllamaURL is where a local Ollama listens.
const DefaultOllamaURL = "http://localhost:11434"

// ollamaBackend talks to Ollama's OpenAI-compatible /v1 API for chat and
// reads its native /api/tags to tell "server down" from "model not pulled".
type ollamaBackend struct {
	*openAIBackend
	host string
	http *http.Client
}

func (o *ollamaBackend) health(ctx context.Context) error {
	tags, err := o.tags(ctx)
	if err != nil {
		return err
	}
	for _, t := range tags {
		if sameOllamaModel(t, o.model) {
			return nil
		}
	}
	e := &Error{Provider: NameOllama, Kind: KindModelNotFound,
		Err: fmt.Errorf("model %q is not pulled (pulled: %s)", o.model, listSome(tags, 8))}
	o.hint(e)
	return e
}

func (o *ollamaBackend) models(ctx context.Context) ([]string, error) { return o.tags(ctx) }

// tags lists the pulled models from GET /api/tags.
func (o *ollamaBackend) tags(ctx context.Context) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.host+"/api/tags", nil)
	if err != nil {
		return nil, fmt.Errorf("ollama: build request: %w", err)
	}
	resp, err := o.http.Do(req)
	if err != nil {
		e := &Error{Provider: NameOllama, Kind: transportKind(err), Err: err}
		o.hint(e)
		return nil, e
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, &Error{Provider: NameOllama, Kind: KindUnavailable, Err: fmt.Errorf("read /api/tags: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		e := &Error{Provider: NameOllama, Kind: kindForStatus(resp.StatusCode), Status: resp.StatusCode,
			Err: fmt.Errorf("/api/tags: %s", truncateMessage(string(body)))}
		if e.Kind == KindModelNotFound {
			e.Kind = KindBadRequest
		}
		o.hint(e)
		return nil, e
	}
	var list struct {
		Models []struct {
			Name  string `json:"name"`
			Model string `json:"model"`
		} `json:"models"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, &Error{Provider: NameOllama, Kind: KindBadRequest,
			Err: fmt.Errorf("%s/api/tags did not answer like Ollama: %w", o.host, err)}
	}
	names := make([]string, 0, len(list.Models))
	for _, m := range list.Models {
		name := m.Name
		if name == "" {
			name = m.Model
		}
		names = append(names, name)
	}
	return names, nil
}

// sameOllamaModel treats "llama3" and "llama3:latest" as the same model, as
// Ollama does.
func sameOllamaModel(pulled, want string) bool {
	if pulled == want {
		return true
	}
	if !strings.Contains(want, ":") {
		return pulled == want+":latest"
	}
	return false
}

func ollamaHint(host, model string) func(*Error) {
	return func(e *Error) {
		switch e.Kind {
		case KindModelNotFound:
			e.Hint = fmt.Sprintf("run: ollama pull %s", model)
		case KindUnavailable:
			e.Hint = fmt.Sprintf("Ollama is not reachable at %s; start it with 'ollama serve' or set OLLAMA_HOST", host)
		case KindTimeout:
			e.Hint = "the local model is slow; raise the request timeout or use a smaller model"
		case KindBadRequest:
			if e.Status == http.StatusNotFound {
				e.Hint = fmt.Sprintf("%s does not look like Ollama; check OLLAMA_HOST", host)
			}
		}
	}
}

// errOllamaURL explains a malformed OLLAMA_HOST.
var errOllamaURL = errors.New("ollama URL must look like http://host:11434")
