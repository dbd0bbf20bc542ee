package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cloudobs/aiops-app/pkg/awsapi"
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
// Claude, Llama 3, Nova and Mistral one request shape. It makes them as
// SigV4-signed JSON requests (bedrock_wire.go): the generated runtime client
// added about 1.7 MB to the plugin binary for these two calls. The guard
// retries, so a call here is one attempt.
type bedrockBackend struct {
	endpoint string
	creds    aws.CredentialsProvider
	http     awsDoer
	signer   *v4.Signer
	control  controlPlane
	model    string
	region   string
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
	b := &bedrockBackend{
		endpoint: runtimeEndpoint(cfg, s.BedrockEndpoint),
		creds:    cfg.Credentials,
		http:     cfg.HTTPClient,
		signer:   v4.NewSigner(),
		control:  newControlPlane(cfg, s.BedrockControlEndpoint),
		model:    model,
		region:   cfg.Region,
	}
	return newGuarded(NameBedrock, model, b, s.policy(), s.price(model), s.window(model), counterFor(model)), nil
}

func (b *bedrockBackend) input(req Request) converseIn {
	var in converseIn
	system := req.System
	for i, m := range req.Messages {
		text := m.Content
		if i == 0 && system != "" && b.noSystem.Load() {
			text = system + "\n\n" + text
		}
		role := "user"
		if m.Role == RoleAssistant {
			role = "assistant"
		}
		in.Messages = append(in.Messages, converseMessage{Role: role, Content: []textBlock{{Text: text}}})
	}
	if system != "" && !b.noSystem.Load() {
		in.System = []textBlock{{Text: system}}
	}
	in.InferenceConfig.Temperature = req.Temperature
	if req.MaxTokens > 0 {
		in.InferenceConfig.MaxTokens = min(req.MaxTokens, 1<<20)
	}
	if req.Schema != nil && !b.noStructured.Load() {
		in.OutputConfig = &outputConfig{}
		in.OutputConfig.TextFormat.Type = "json_schema"
		in.OutputConfig.TextFormat.Structure.JSONSchema = jsonSchema{Name: req.Schema.Name, Schema: string(req.Schema.JSON)}
	}
	return in
}

// downgrade reacts to a validation error about a feature the model lacks by
// switching the feature off; it reports whether a retry may now succeed.
func (b *bedrockBackend) downgrade(err error, req Request) bool {
	var apiErr *awsapi.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "ValidationException" {
		return false
	}
	msg := strings.ToLower(apiErr.Message)
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

// post sends one signed runtime call (op is "converse" or
// "converse-stream") and returns the 200 answer for the caller to read and
// close. Error answers come back as *apiFailure.
func (b *bedrockBackend) post(ctx context.Context, op string, req Request) (*http.Response, error) {
	body, err := json.Marshal(b.input(req))
	if err != nil {
		return nil, fmt.Errorf("%s: encode: %w", op, err)
	}
	u := b.endpoint + "/model/" + escapeSegment(b.model) + "/" + op
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("bedrock endpoint %q: %w", b.endpoint, err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	if op == "converse-stream" {
		hreq.Header.Set("Accept", "application/vnd.amazon.eventstream")
	}
	if err := awsapi.Sign(ctx, op, b.creds, b.signer, hreq, body, "bedrock", b.region, time.Now()); err != nil {
		return nil, &credentialsError{err}
	}
	resp, err := b.http.Do(hreq)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, &apiFailure{
			APIError:   awsapi.DecodeError(op, resp.StatusCode, resp.Header, resp.Body),
			retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
	}
	return resp, nil
}

// call posts with the downgrades a model's validation errors allow.
func (b *bedrockBackend) call(ctx context.Context, op string, req Request) (*http.Response, error) {
	resp, err := b.post(ctx, op, req)
	for tries := 0; err != nil && tries < 2 && b.downgrade(err, req); tries++ {
		resp, err = b.post(ctx, op, req)
	}
	if err != nil {
		return nil, b.classify(err)
	}
	return resp, nil
}

func (b *bedrockBackend) complete(ctx context.Context, req Request) (Response, error) {
	resp, err := b.call(ctx, "converse", req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	var out converseOut
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return Response{}, b.classify(fmt.Errorf("converse: decode answer: %w", err))
	}
	var text strings.Builder
	for _, c := range out.Output.Message.Content {
		text.WriteString(c.Text)
	}
	return Response{Text: text.String(), Model: b.model, StopReason: out.StopReason, Usage: out.Usage.usage()}, nil
}

func (b *bedrockBackend) stream(ctx context.Context, req Request, onToken func(string)) (Response, error) {
	resp, err := b.call(ctx, "converse-stream", req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	out, err := readConverseStream(resp.Body, onToken)
	if err != nil {
		return Response{}, b.classify(err)
	}
	out.Model = b.model
	return out, nil
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

// classify maps error answers, credential failures, bounds and transport
// errors to *Error with Retry-After and a hint.
func (b *bedrockBackend) classify(err error) error {
	e := &Error{Provider: NameBedrock, Err: err}
	var failure *apiFailure
	var creds *credentialsError
	var streamErr *streamException
	switch {
	case errors.As(err, &failure):
		e.Status, e.RetryAfter = failure.Status, failure.retryAfter
		e.Err = fmt.Errorf("%s: %s", failure.Code, truncateMessage(failure.Message))
		e.Kind = bedrockKind(failure.Code, failure.Message, failure.Status)
	case errors.As(err, &streamErr):
		e.Err = fmt.Errorf("%s: %s", streamErr.code, truncateMessage(streamErr.message))
		e.Kind = bedrockKind(streamErr.code, streamErr.message, 0)
	case errors.As(err, &creds):
		e.Kind = KindAuth
	case errors.Is(err, errResponseTooLarge):
		e.Kind = KindBadRequest
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
