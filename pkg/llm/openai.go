package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	openai "github.com/sashabaranov/go-openai"
)

// openAIBackend speaks the OpenAI chat completions API through go-openai. It
// serves OpenAI, Azure OpenAI, OpenAI-compatible servers and Ollama's /v1.
type openAIBackend struct {
	provider string
	client   *openai.Client
	model    string
	// format is how a Schema is requested: json_schema, json_object or
	// none. It is lowered, once and for good, when the server rejects it.
	format atomic.Value
	// hint turns a classified failure into advice for this provider.
	hint func(e *Error)
	// checkModel makes Health require the model in the listing; Azure lists
	// base models rather than deployments, so it cannot.
	checkModel bool
}

// Structured-output modes for OpenAI-style APIs.
const (
	FormatJSONSchema = "json_schema"
	FormatJSONObject = "json_object"
	FormatNone       = "none"
)

func (o *openAIBackend) chatRequest(req Request, stream bool) openai.ChatCompletionRequest {
	msgs := make([]openai.ChatCompletionMessage, 0, len(req.Messages)+1)
	if req.System != "" {
		msgs = append(msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleSystem, Content: req.System})
	}
	for _, m := range req.Messages {
		msgs = append(msgs, openai.ChatCompletionMessage{Role: string(m.Role), Content: m.Content})
	}
	cr := openai.ChatCompletionRequest{
		Model:       o.model,
		Messages:    msgs,
		Temperature: req.Temperature,
		MaxTokens:   req.MaxTokens,
		Stream:      stream,
	}
	if reasoningModel(o.model) {
		// Reasoning models take no temperature and count their hidden
		// reasoning against max_completion_tokens, so the answer budget
		// gets an allowance on top.
		cr.Temperature = 0
		cr.MaxTokens = 0
		if req.MaxTokens > 0 {
			cr.MaxCompletionTokens = req.MaxTokens + reasoningAllowance
		}
	}
	if stream {
		cr.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	}
	if req.Schema != nil {
		switch o.currentFormat() {
		case FormatJSONSchema:
			cr.ResponseFormat = &openai.ChatCompletionResponseFormat{
				Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
					Name: req.Schema.Name, Schema: rawSchema(req.Schema.JSON), Strict: true,
				},
			}
		case FormatJSONObject:
			cr.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
		}
	}
	return cr
}

func (o *openAIBackend) currentFormat() string { return o.format.Load().(string) }

// downgradeFormat reacts to a server that rejects the structured-output
// request (older compatible servers know json_object but not json_schema,
// some know neither): it lowers the format and reports whether to retry.
func (o *openAIBackend) downgradeFormat(req Request, err error) bool {
	var e *Error
	if req.Schema == nil || !errors.As(err, &e) || e.Kind != KindBadRequest || e.Err == nil {
		return false
	}
	msg := strings.ToLower(e.Err.Error())
	if !strings.Contains(msg, "response_format") && !strings.Contains(msg, "json_schema") && !strings.Contains(msg, "json_object") {
		return false
	}
	switch cur := o.currentFormat(); cur {
	case FormatJSONSchema:
		return o.format.CompareAndSwap(cur, FormatJSONObject)
	case FormatJSONObject:
		return o.format.CompareAndSwap(cur, FormatNone)
	}
	return false
}

func (o *openAIBackend) complete(ctx context.Context, req Request) (Response, error) {
	resp, err := o.completeOnce(ctx, req)
	for tries := 0; err != nil && tries < 2 && o.downgradeFormat(req, err); tries++ {
		resp, err = o.completeOnce(ctx, req)
	}
	return resp, err
}

func (o *openAIBackend) completeOnce(ctx context.Context, req Request) (Response, error) {
	ctx, meta := withResponseMeta(ctx)
	resp, err := o.client.CreateChatCompletion(ctx, o.chatRequest(req, false))
	if err != nil {
		return Response{}, o.classify(err, meta)
	}
	if len(resp.Choices) == 0 {
		return Response{}, &Error{Provider: o.provider, Kind: KindServer, Err: errors.New("answer has no choices")}
	}
	c := resp.Choices[0]
	text := c.Message.Content
	if text == "" && c.Message.Refusal != "" {
		text = c.Message.Refusal
	}
	return Response{
		Text:       text,
		Model:      resp.Model,
		StopReason: string(c.FinishReason),
		Usage:      Usage{PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens},
	}, nil
}

func (o *openAIBackend) stream(ctx context.Context, req Request, onToken func(string)) (Response, error) {
	resp, err := o.streamOnce(ctx, req, onToken)
	for tries := 0; err != nil && tries < 2 && o.downgradeFormat(req, err); tries++ {
		resp, err = o.streamOnce(ctx, req, onToken)
	}
	return resp, err
}

func (o *openAIBackend) streamOnce(ctx context.Context, req Request, onToken func(string)) (Response, error) {
	ctx, meta := withResponseMeta(ctx)
	s, err := o.client.CreateChatCompletionStream(ctx, o.chatRequest(req, true))
	if err != nil {
		return Response{}, o.classify(err, meta)
	}
	defer s.Close()
	var out Response
	var text strings.Builder
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Response{}, o.classify(err, meta)
		}
		if chunk.Model != "" {
			out.Model = chunk.Model
		}
		if chunk.Usage != nil {
			out.Usage = Usage{PromptTokens: chunk.Usage.PromptTokens, CompletionTokens: chunk.Usage.CompletionTokens}
		}
		for _, c := range chunk.Choices {
			if c.Index != 0 {
				continue
			}
			if c.Delta.Content != "" {
				text.WriteString(c.Delta.Content)
				onToken(c.Delta.Content)
			}
			if c.FinishReason != "" {
				out.StopReason = string(c.FinishReason)
			}
		}
	}
	out.Text = text.String()
	return out, nil
}

func (o *openAIBackend) models(ctx context.Context) ([]string, error) {
	ctx, meta := withResponseMeta(ctx)
	list, err := o.client.ListModels(ctx)
	if err != nil {
		return nil, o.classify(err, meta)
	}
	ids := make([]string, 0, len(list.Models))
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// health lists the models and checks that the configured one is among them.
func (o *openAIBackend) health(ctx context.Context) error {
	ids, err := o.models(ctx)
	if err != nil {
		return err
	}
	if !o.checkModel || len(ids) == 0 || containsModel(ids, o.model) {
		return nil
	}
	e := &Error{Provider: o.provider, Kind: KindModelNotFound,
		Err: fmt.Errorf("model %q is not offered by the endpoint (it offers %s)", o.model, listSome(ids, 8))}
	o.hint(e)
	return e
}

// classify turns go-openai's errors into *Error with status, Retry-After and
// a hint.
func (o *openAIBackend) classify(err error, meta *responseMeta) error {
	status, retryAfter := meta.get()
	e := &Error{Provider: o.provider, RetryAfter: retryAfter}
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		e.Status = apiErr.HTTPStatusCode
		msg := apiErr.Message
		if apiErr.Type != "" {
			msg = apiErr.Type + ": " + msg
		}
		e.Err = errors.New(truncateMessage(msg))
	case errors.As(err, &reqErr):
		e.Status = reqErr.HTTPStatusCode
		detail := string(reqErr.Body)
		if detail == "" && reqErr.Err != nil {
			detail = reqErr.Err.Error()
		}
		e.Err = errors.New(truncateMessage(detail))
	default:
		e.Err = err
	}
	if e.Status == 0 {
		e.Status = status
	}
	if e.Status > 0 {
		e.Kind = kindForStatus(e.Status)
		if e.Kind == KindModelNotFound && !strings.Contains(strings.ToLower(e.Err.Error()), "model") {
			// A 404 that is not about the model is a wrong base URL or path.
			e.Kind = KindBadRequest
		}
	} else {
		e.Kind = transportKind(err)
	}
	o.hint(e)
	return e
}

// openAIHint is the advice for OpenAI and compatible endpoints.
func openAIHint(baseURL, model string) func(*Error) {
	return func(e *Error) {
		switch e.Kind {
		case KindAuth:
			e.Hint = "check the API key (set OPENAI_API_KEY or the plugin's API key) and the organisation"
		case KindModelNotFound:
			e.Hint = fmt.Sprintf("model %q does not exist at %s or the key has no access; choose one from the model list", model, baseURL)
		case KindUnavailable:
			e.Hint = fmt.Sprintf("cannot reach %s; check the base URL (OPENAI_BASE_URL) and the network", baseURL)
		case KindRateLimited:
			e.Hint = "the provider is rate limiting; lower the concurrency or raise the account's limits"
		case KindBadRequest:
			if e.Status == 404 {
				e.Hint = fmt.Sprintf("%s has no chat completions endpoint; the base URL usually ends in /v1", baseURL)
			}
		}
	}
}

// reasoningAllowance is added to the answer budget of reasoning models.
const reasoningAllowance = 4096

// reasoningModel reports OpenAI models that reject max_tokens and a
// temperature (o-series, GPT-5 and later).
func reasoningModel(model string) bool {
	m := strings.ToLower(model)
	for _, prefix := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(m, prefix) {
			return true
		}
	}
	return false
}

// rawSchema lets a json.RawMessage stand where go-openai wants a Marshaler.
type rawSchema []byte

func (r rawSchema) MarshalJSON() ([]byte, error) { return r, nil }

func containsModel(ids []string, model string) bool {
	for _, id := range ids {
		if id == model {
			return true
		}
	}
	return false
}

func listSome(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + fmt.Sprintf(" and %d more", len(ids)-n)
}
