// Package awsapi holds what the hand-written AWS calls share: SigV4 signing
// of a request with its body and reading AWS's JSON error answers. The
// callers (CloudWatch Logs, the Bedrock runtime) make plain JSON requests
// instead of linking the generated service clients, which would add megabytes
// to each plugin binary; pkg/packaging's test keeps those out.
package awsapi

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// MaxErrorBytes bounds an error answer kept for its message.
const MaxErrorBytes = 64 << 10

// APIError is an error answer of an AWS service.
type APIError struct {
	Op        string
	Status    int
	Code      string
	Message   string
	RequestID string
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("%s: %s (HTTP %d)", e.Op, e.Code, e.Status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RequestID != "" {
		msg += " [request id " + e.RequestID + "]"
	}
	return msg
}

// Retryable says whether the SDK's standard retryer would try again.
func (e *APIError) Retryable() bool {
	switch e.Code {
	case "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
		"ServiceUnavailableException", "LimitExceededException", "RequestTimeout", "RequestTimeoutException":
		return true
	}
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// Sign retrieves credentials and signs req, whose body is body, for service
// in region. Errors say which step failed, prefixed with op.
func Sign(ctx context.Context, op string, creds aws.CredentialsProvider, signer *v4.Signer,
	req *http.Request, body []byte, service, region string, now time.Time) error {
	if creds == nil {
		return fmt.Errorf("%s: no AWS credentials in the default chain", op)
	}
	c, err := creds.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("%s: AWS credentials: %w", op, err)
	}
	sum := sha256.Sum256(body)
	if err := signer.SignHTTP(ctx, c, req, hex.EncodeToString(sum[:]), service, region, now); err != nil {
		return fmt.Errorf("%s: sign: %w", op, err)
	}
	return nil
}

// DecodeError reads an AWS JSON error answer: {"__type": "...#Code",
// "message": "..."}, the code also in X-Amzn-ErrorType. At most
// MaxErrorBytes of body are read.
func DecodeError(op string, status int, h http.Header, body io.Reader) *APIError {
	e := &APIError{Op: op, Status: status, RequestID: h.Get("X-Amzn-RequestId")}
	data, _ := io.ReadAll(io.LimitReader(body, MaxErrorBytes))
	var doc struct {
		Type     string `json:"__type"`
		Code     string `json:"code"`
		Message  string `json:"message"`
		MessageU string `json:"Message"`
	}
	_ = json.Unmarshal(data, &doc)
	e.Code = cmp.Or(h.Get("X-Amzn-ErrorType"), doc.Type, doc.Code)
	// The code may carry a namespace ("com.amazonaws.logs#X") or a
	// suffix (":http://internal.amazon.com/...").
	if i := strings.LastIndexByte(e.Code, '#'); i >= 0 {
		e.Code = e.Code[i+1:]
	}
	if i := strings.IndexByte(e.Code, ':'); i >= 0 {
		e.Code = e.Code[:i]
	}
	if e.Code == "" {
		e.Code = http.StatusText(status)
	}
	e.Message = cmp.Or(doc.Message, doc.MessageU)
	if e.Message == "" && doc.Type == "" && len(data) > 0 {
		// Not AWS JSON (a proxy's page): a bounded excerpt says what answered.
		e.Message = strings.ToValidUTF8(string(data[:min(len(data), 200)]), "")
	}
	e.Message = strings.TrimSpace(e.Message)
	return e
}
