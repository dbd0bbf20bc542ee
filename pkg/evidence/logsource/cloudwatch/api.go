package cloudwatch

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The four calls this source makes are plain JSON-1.1 requests, signed with
// SigV4. Making them here instead of through the generated service client
// keeps that client (3.5 MB of code per binary, all 60-odd operations) out
// of both plugin binaries; pkg/packaging's test keeps it out.

// Bounds of one call.
const (
	// maxResponseBytes bounds one answer: FilterLogEvents pages are at most
	// 1 MB of events, Insights results at most 10000 rows; the JSON
	// around them adds less than the margin.
	maxResponseBytes = 16 << 20
	// maxErrorBytes bounds an error answer kept for its message.
	maxErrorBytes = 64 << 10
	// maxAttempts matches the SDK's standard retryer.
	maxAttempts = 3
	// maxRetryDelay caps a server's Retry-After, as the SDK caps backoff.
	maxRetryDelay = 20 * time.Second
	targetPrefix  = "Logs_20140328."
)

// ErrResponseTooLarge is returned when an answer exceeds maxResponseBytes.
var ErrResponseTooLarge = errors.New("cloudwatch: answer exceeds the size bound")

// APIError is an error answer of the service.
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

// retryable says whether the SDK's standard retryer would try again.
func (e *APIError) retryable() bool {
	switch e.Code {
	case "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
		"ServiceUnavailableException", "LimitExceededException", "RequestTimeout", "RequestTimeoutException":
		return true
	}
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// api calls the CloudWatch Logs JSON API.
type api struct {
	endpoint string
	region   string
	creds    aws.CredentialsProvider
	http     *http.Client
	signer   *v4.Signer
	now      func() time.Time
	// sleep waits between attempts; tests shorten it.
	sleep func(context.Context, time.Duration) error
}

// defaultEndpoint is the service's regional endpoint.
func defaultEndpoint(region string) string {
	suffix := ".amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		suffix = ".amazonaws.com.cn"
	}
	return "https://logs." + region + suffix
}

// call posts in as operation op and decodes the answer into out.
func (a *api) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", op, err)
	}
	if a.creds == nil {
		return fmt.Errorf("%s: no AWS credentials in the default chain", op)
	}
	for attempt := 1; ; attempt++ {
		delay, err := a.attempt(ctx, op, body, out)
		if err == nil || delay < 0 || attempt == maxAttempts {
			return err
		}
		if serr := a.sleep(ctx, delay); serr != nil {
			return fmt.Errorf("%w (retry cut short: %v)", err, serr)
		}
	}
}

// attempt makes one request. A delay of zero or more asks for a retry after
// it; a negative one means the error is final.
func (a *api) attempt(ctx context.Context, op string, body []byte, out any) (time.Duration, error) {
	creds, err := a.creds.Retrieve(ctx)
	if err != nil {
		return -1, fmt.Errorf("%s: AWS credentials: %w", op, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return -1, fmt.Errorf("%s: endpoint %q: %w", op, a.endpoint, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	sum := sha256.Sum256(body)
	if err := a.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "logs", a.region, a.now()); err != nil {
		return -1, fmt.Errorf("%s: sign: %w", op, err)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return -1, fmt.Errorf("%s: %w", op, err)
		}
		return 100 * time.Millisecond, fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		apiErr := decodeError(op, resp.StatusCode, resp.Header, io.LimitReader(resp.Body, maxErrorBytes))
		if !apiErr.retryable() {
			return -1, apiErr
		}
		return retryAfter(resp.Header.Get("Retry-After")), apiErr
	}
	if resp.ContentLength > maxResponseBytes {
		return -1, fmt.Errorf("%s: %w: %d bytes, bound %d", op, ErrResponseTooLarge, resp.ContentLength, maxResponseBytes)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return -1, fmt.Errorf("%s: read answer: %w", op, err)
	}
	if len(data) > maxResponseBytes {
		return -1, fmt.Errorf("%s: %w: bound %d", op, ErrResponseTooLarge, maxResponseBytes)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return -1, fmt.Errorf("%s: decode answer: %w", op, err)
	}
	return 0, nil
}

// decodeError reads an AWS JSON error answer: {"__type": "...#Code",
// "message": "..."}, the code also in X-Amzn-ErrorType.
func decodeError(op string, status int, h http.Header, body io.Reader) *APIError {
	e := &APIError{Op: op, Status: status, RequestID: h.Get("X-Amzn-RequestId")}
	data, _ := io.ReadAll(body)
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

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped;
// without one the delay is the SDK's first backoff step.
func retryAfter(v string) time.Duration {
	d := 500 * time.Millisecond
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	}
	return max(0, min(d, maxRetryDelay))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Request and answer shapes, with only the fields this source uses.

type describeLogGroupsIn struct {
	LogGroupNamePrefix string `json:"logGroupNamePrefix"`
	Limit              int    `json:"limit"`
}

type describeLogGroupsOut struct {
	LogGroups []struct {
		LogGroupName string `json:"logGroupName"`
	} `json:"logGroups"`
}

type filterLogEventsIn struct {
	LogGroupName        string `json:"logGroupName"`
	LogStreamNamePrefix string `json:"logStreamNamePrefix"`
	StartTime           int64  `json:"startTime"`
	EndTime             int64  `json:"endTime"`
	Limit               int    `json:"limit"`
	NextToken           string `json:"nextToken,omitempty"`
}

type filterLogEventsOut struct {
	Events []struct {
		LogStreamName string `json:"logStreamName"`
		Timestamp     int64  `json:"timestamp"`
		Message       string `json:"message"`
	} `json:"events"`
	NextToken string `json:"nextToken"`
}

type startQueryIn struct {
	LogGroupName string `json:"logGroupName"`
	QueryString  string `json:"queryString"`
	StartTime    int64  `json:"startTime"`
	EndTime      int64  `json:"endTime"`
	Limit        int    `json:"limit"`
}

type startQueryOut struct {
	QueryID string `json:"queryId"`
}

type queryIDIn struct {
	QueryID string `json:"queryId"`
}

// resultField is one field of an Insights result row.
type resultField struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

type getQueryResultsOut struct {
	Status  string          `json:"status"`
	Results [][]resultField `json:"results"`
}

// Insights query states (QueryStatus).
const (
	statusComplete  = "Complete"
	statusFailed    = "Failed"
	statusCancelled = "Cancelled"
	statusTimeout   = "Timeout"
)
