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

	"github.com/cloudobs/aiops-app/pkg/awsapi"
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
	if err := awsapi.Sign(ctx, "ListFoundationModels", c.creds, c.signer, req, nil, "bedrock", c.region, time.Now()); err != nil {
		return nil, &credentialsError{err}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, controlError(resp)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxModelListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("bedrock: read model list: %w", err)
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

// controlError classifies an error answer like the runtime's.
func controlError(resp *http.Response) *Error {
	e := awsapi.DecodeError("ListFoundationModels", resp.StatusCode, resp.Header, resp.Body)
	return &Error{
		Provider:   NameBedrock,
		Status:     resp.StatusCode,
		Kind:       bedrockKind(e.Code, e.Message, resp.StatusCode),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		Err:        fmt.Errorf("%s: %s", e.Code, truncateMessage(e.Message)),
	}
}
