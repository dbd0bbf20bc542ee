package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// controlPlane calls the one Bedrock control-plane operation the provider
// needs, ListFoundationModels, as a SigV4-signed GET. The generated
// service/bedrock client would add 2.7 MB of code to the plugin binary for
// that single call.
type controlPlane struct {
	endpoint string
	region   string
	creds    aws.CredentialsProvider
	http     awsDoer
	signer   *v4.Signer
}

// emptyPayloadHash is the SHA-256 of an empty body, which a signed GET
// declares.
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// maxModelListBytes bounds the model list; the real one is about 100 kB.
const maxModelListBytes = 4 << 20

// newControlPlane addresses the regional endpoint, or override when set
// (VPC endpoints, tests), or the configuration's AWS_ENDPOINT_URL.
func newControlPlane(cfg aws.Config, override string) controlPlane {
	endpoint := "https://bedrock." + cfg.Region + ".amazonaws.com"
	switch {
	case override != "":
		endpoint = override
	case cfg.BaseEndpoint != nil && *cfg.BaseEndpoint != "":
		endpoint = *cfg.BaseEndpoint
	}
	return controlPlane{
		endpoint: strings.TrimRight(endpoint, "/"),
		region:   cfg.Region,
		creds:    cfg.Credentials,
		http:     cfg.HTTPClient,
		signer:   v4.NewSigner(),
	}
}

// textModels lists the ids of the foundation models with text output. API
// errors come back as *Error classified like the runtime's.
func (c controlPlane) textModels(ctx context.Context) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		c.endpoint+"/foundation-models?"+url.Values{"byOutputModality": {"TEXT"}}.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("bedrock control endpoint %q: %w", c.endpoint, err)
	}
	if c.creds == nil {
		return nil, fmt.Errorf("bedrock: no AWS credentials configured")
	}
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("bedrock: retrieve AWS credentials: %w", err)
	}
	if err := c.signer.SignHTTP(ctx, creds, req, emptyPayloadHash, "bedrock", c.region, time.Now()); err != nil {
		return nil, fmt.Errorf("bedrock: sign request: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxModelListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("bedrock: read model list: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, controlError(resp, body)
	}
	if len(body) > maxModelListBytes {
		return nil, fmt.Errorf("bedrock: model list larger than %d bytes", maxModelListBytes)
	}
	var out struct {
		ModelSummaries []struct {
			ModelID string `json:"modelId"`
		} `json:"modelSummaries"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("bedrock: decode model list: %w", err)
	}
	ids := make([]string, 0, len(out.ModelSummaries))
	for _, m := range out.ModelSummaries {
		ids = append(ids, m.ModelID)
	}
	return ids, nil
}

// controlError reads an AWS REST-JSON error: the exception name in the
// X-Amzn-ErrorType header (or the body's __type), the message in the body.
func controlError(resp *http.Response, body []byte) *Error {
	var parsed struct {
		Type         string `json:"__type"`
		Message      string `json:"message"`
		MessageUpper string `json:"Message"`
	}
	_ = json.Unmarshal(body, &parsed)
	code := resp.Header.Get("X-Amzn-ErrorType")
	if code == "" {
		code = parsed.Type
	}
	// Both forms may carry a namespace or a URI around the name.
	code, _, _ = strings.Cut(code, ":")
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	msg := parsed.Message
	if msg == "" {
		msg = parsed.MessageUpper
	}
	return &Error{
		Provider:   NameBedrock,
		Status:     resp.StatusCode,
		Kind:       bedrockKind(code, msg, resp.StatusCode),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		Err:        fmt.Errorf("%s: %s", firstNonEmpty(code, resp.Status), truncateMessage(msg)),
	}
}
