package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
)

// awsDoer is the SDK's HTTP client interface.
type awsDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// boundedDoer adds the configured headers and bounds response bodies, like
// transport does for the other providers.
type boundedDoer struct {
	base    awsDoer
	headers map[string]string
}

func (d *boundedDoer) Do(req *http.Request) (*http.Response, error) {
	for k, v := range d.headers {
		req.Header.Set(k, v)
	}
	resp, err := d.base.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &boundedBody{rc: resp.Body, left: maxResponseBytes}
	return resp, nil
}

// bedrockBackend calls AWS Bedrock's Converse and ConverseStream, which give
// Claude, Llama 3, Nova and Mistral one request shape.
type bedrockBackend struct {
	runtime *bedrockruntime.Client
	control controlPlane
	model   string
	region  string
	// noStructured is set once the model rejected outputConfig (structured
	// output is not offered by every model); the prompt still asks for JSON.
	noStructured atomic.Bool
	// noSystem is set once the model rejected system prompts (older Mistral
	// models); the system prompt then opens the first user message.
	noSystem atomic.Bool
}

func newBedrock(s Settings) (Provider, error) {
	model := firstNonEmpty(s.Model, DefaultBedrockModel)
	opts := []func(*config.LoadOptions) error{
		// The guard retries with its own policy; SDK retries would multiply it.
		config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }),
	}
	if s.Region != "" {
		opts = append(opts, config.WithRegion(s.Region))
	}
	if s.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(s.Profile))
	}
	if s.AccessKey != "" || s.SecretKey != "" {
		if s.AccessKey == "" || s.SecretKey == "" {
			return nil, errors.New("bedrock static credentials need both the access key and the secret key")
		}
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, s.SessionToken)))
	}
	// Loading reads environment and shared files only; credentials are
	// fetched lazily on the first call, under that call's context.
	cfg, err := config.LoadDefaultConfig(context.Background(), opts...)
	if err != nil {
		return nil, fmt.Errorf("bedrock: load AWS configuration: %w", err)
	}
	// Wrapping after loading keeps the SDK's own client, which honours
	// AWS_CA_BUNDLE, and leaves the credential chain's client unguarded
	// (instance roles live on link-local addresses); a supplied HTTPClient
	// replaces it.
	var base awsDoer = s.Guard.AWSClient(cfg.HTTPClient)
	if s.HTTPClient != nil {
		base = s.HTTPClient
	}
	cfg.HTTPClient = &boundedDoer{base: base, headers: s.Headers}
	if cfg.Region == "" {
		return nil, errors.New("bedrock needs a region: set the provider's region or AWS_REGION")
	}
	endpoint := func(o *bedrockruntime.Options) {
		if s.BedrockEndpoint != "" {
			o.BaseEndpoint = aws.String(s.BedrockEndpoint)
		}
	}
	b := &bedrockBackend{
		runtime: bedrockruntime.NewFromConfig(cfg, endpoint),
		control: newControlPlane(cfg, s.BedrockControlEndpoint),
		model:   model,
		region:  cfg.Region,
	}
	return newGuarded(NameBedrock, model, b, s.policy(), s.price(model), s.window(model), counterFor(model)), nil
}

func (b *bedrockBackend) input(req Request) *bedrockruntime.ConverseInput {
	var msgs []types.Message
	system := req.System
	for i, m := range req.Messages {
		text := m.Content
		if i == 0 && system != "" && b.noSystem.Load() {
			text = system + "\n\n" + text
		}
		role := types.ConversationRoleUser
		if m.Role == RoleAssistant {
			role = types.ConversationRoleAssistant
		}
		msgs = append(msgs, types.Message{Role: role, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: text}}})
	}
	in := &bedrockruntime.ConverseInput{ModelId: aws.String(b.model), Messages: msgs}
	if system != "" && !b.noSystem.Load() {
		in.System = []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: system}}
	}
	inf := &types.InferenceConfiguration{Temperature: aws.Float32(req.Temperature)}
	if req.MaxTokens > 0 {
		inf.MaxTokens = aws.Int32(int32(min(req.MaxTokens, 1<<20)))
	}
	in.InferenceConfig = inf
	if req.Schema != nil && !b.noStructured.Load() {
		in.OutputConfig = &types.OutputConfig{TextFormat: &types.OutputFormat{
			Type: types.OutputFormatTypeJsonSchema,
			Structure: &types.OutputFormatStructureMemberJsonSchema{Value: types.JsonSchemaDefinition{
				Name: aws.String(req.Schema.Name), Schema: aws.String(string(req.Schema.JSON)),
			}},
		}}
	}
	return in
}

// downgrade reacts to a validation error about a feature the model lacks by
// switching the feature off; it reports whether a retry may now succeed.
func (b *bedrockBackend) downgrade(err error, req Request) bool {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationException" {
		return false
	}
	msg := strings.ToLower(apiErr.ErrorMessage())
	switch {
	case req.Schema != nil && !b.noStructured.Load() &&
		(strings.Contains(msg, "output") || strings.Contains(msg, "structured") || strings.Contains(msg, "schema")):
		b.noStructured.Store(true)
		return true
	case req.System != "" && !b.noSystem.Load() && strings.Contains(msg, "system"):
		b.noSystem.Store(true)
		return true
	}
	return false
}

func (b *bedrockBackend) complete(ctx context.Context, req Request) (Response, error) {
	out, err := b.runtime.Converse(ctx, b.input(req))
	for tries := 0; err != nil && tries < 2 && b.downgrade(err, req); tries++ {
		out, err = b.runtime.Converse(ctx, b.input(req))
	}
	if err != nil {
		return Response{}, b.classify(err)
	}
	var text strings.Builder
	if msg, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
		for _, c := range msg.Value.Content {
			if t, ok := c.(*types.ContentBlockMemberText); ok {
				text.WriteString(t.Value)
			}
		}
	}
	resp := Response{Text: text.String(), Model: b.model, StopReason: string(out.StopReason)}
	if u := out.Usage; u != nil {
		resp.Usage = Usage{PromptTokens: int(aws.ToInt32(u.InputTokens)), CompletionTokens: int(aws.ToInt32(u.OutputTokens))}
	}
	return resp, nil
}

func (b *bedrockBackend) stream(ctx context.Context, req Request, onToken func(string)) (Response, error) {
	out, err := b.converseStream(ctx, req)
	for tries := 0; err != nil && tries < 2 && b.downgrade(err, req); tries++ {
		out, err = b.converseStream(ctx, req)
	}
	if err != nil {
		return Response{}, b.classify(err)
	}
	es := out.GetStream()
	defer es.Close()
	resp := Response{Model: b.model}
	var text strings.Builder
	for ev := range es.Events() {
		switch v := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			if d, ok := v.Value.Delta.(*types.ContentBlockDeltaMemberText); ok && d.Value != "" {
				text.WriteString(d.Value)
				onToken(d.Value)
			}
		case *types.ConverseStreamOutputMemberMessageStop:
			resp.StopReason = string(v.Value.StopReason)
		case *types.ConverseStreamOutputMemberMetadata:
			if u := v.Value.Usage; u != nil {
				resp.Usage = Usage{PromptTokens: int(aws.ToInt32(u.InputTokens)), CompletionTokens: int(aws.ToInt32(u.OutputTokens))}
			}
		}
		if text.Len() > maxResponseBytes {
			return Response{}, &Error{Provider: NameBedrock, Kind: KindBadRequest, Err: errResponseTooLarge}
		}
	}
	if err := es.Err(); err != nil {
		return Response{}, b.classify(err)
	}
	resp.Text = text.String()
	return resp, nil
}

func (b *bedrockBackend) converseStream(ctx context.Context, req Request) (*bedrockruntime.ConverseStreamOutput, error) {
	in := b.input(req)
	return b.runtime.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{
		ModelId: in.ModelId, Messages: in.Messages, System: in.System,
		InferenceConfig: in.InferenceConfig, OutputConfig: in.OutputConfig,
	})
}

// health sends the smallest possible Converse call: it proves credentials,
// the region, model access and the invoke permission all at once, which
// listing models would not.
func (b *bedrockBackend) health(ctx context.Context) error {
	_, err := b.complete(ctx, Request{
		Messages:  []Message{{Role: RoleUser, Content: "Reply with the single word OK."}},
		MaxTokens: 5,
	})
	return err
}

func (b *bedrockBackend) models(ctx context.Context) ([]string, error) {
	ids, err := b.control.textModels(ctx)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil, b.classify(err)
		}
		b.hint(e)
		return nil, e
	}
	return ids, nil
}

// classify maps SDK errors (modelled exceptions, HTTP response errors,
// credential failures) to *Error with Retry-After and a hint.
func (b *bedrockBackend) classify(err error) error {
	e := &Error{Provider: NameBedrock, Err: err}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		e.Status = respErr.HTTPStatusCode()
		if respErr.Response != nil {
			e.RetryAfter = parseRetryAfter(respErr.Response.Header.Get("Retry-After"), time.Now())
		}
	}
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &apiErr):
		e.Err = fmt.Errorf("%s: %s", apiErr.ErrorCode(), truncateMessage(apiErr.ErrorMessage()))
		e.Kind = bedrockKind(apiErr.ErrorCode(), apiErr.ErrorMessage(), e.Status)
	case e.Status > 0:
		e.Kind = kindForStatus(e.Status)
	case strings.Contains(err.Error(), "credentials"):
		// The SDK's credential chain failed before any request was sent; it
		// has no typed error for that.
		e.Kind = KindAuth
	default:
		e.Kind = transportKind(err)
	}
	b.hint(e)
	return e
}

func bedrockKind(code, msg string, status int) ErrorKind {
	switch code {
	case "ThrottlingException", "TooManyRequestsException", "ServiceQuotaExceededException":
		return KindRateLimited
	case "ServiceUnavailableException", "InternalServerException", "ModelNotReadyException", "ModelStreamErrorException":
		return KindServer
	case "ModelTimeoutException":
		return KindTimeout
	case "AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException",
		"InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationTokenException":
		return KindAuth
	case "ResourceNotFoundException":
		return KindModelNotFound
	case "ValidationException":
		if strings.Contains(strings.ToLower(msg), "model identifier") {
			return KindModelNotFound
		}
		return KindBadRequest
	}
	if status > 0 {
		return kindForStatus(status)
	}
	return KindBadRequest
}

func (b *bedrockBackend) hint(e *Error) {
	switch e.Kind {
	case KindAuth:
		e.Hint = "check the AWS credentials (IRSA role on EKS, AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the plugin's static keys); " +
			"the identity needs bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream, and model access must be granted in the Bedrock console"
	case KindModelNotFound:
		e.Hint = fmt.Sprintf("model %q is not available in %s: pick an id from 'aws bedrock list-foundation-models --region %s' or an inference profile such as us.%s",
			b.model, b.region, b.region, strings.TrimPrefix(b.model, "us."))
	case KindRateLimited:
		e.Hint = "Bedrock is throttling: lower the concurrency or request a quota increase"
	case KindUnavailable:
		e.Hint = fmt.Sprintf("cannot reach Bedrock in %s; check the network, a VPC endpoint or AWS_ENDPOINT_URL_BEDROCK_RUNTIME", b.region)
	}
}
