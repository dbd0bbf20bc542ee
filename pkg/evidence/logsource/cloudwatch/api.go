package cloudwatch

import (
	"bytes"
	"context"
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

	"github.com/cloudobs/aiops-app/pkg/awsapi"
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
	// maxAttempts matches the SDK's standard retryer.
	maxAttempts = 3
	// maxRetryDelay caps a server's Retry-After, as the SDK caps backoff.
	maxRetryDelay = 20 * time.Second
	targetPrefix  = "Logs_20140328."
)

// ErrResponseTooLarge is returned when an answer exceeds maxResponseBytes.
var ErrResponseTooLarge = errors.New("cloudwatch: answer exceeds the size bound")

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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return -1, fmt.Errorf("%s: endpoint %q: %w", op, a.endpoint, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	if err := awsapi.Sign(ctx, op, a.creds, a.signer, req, body, "logs", a.region, a.now()); err != nil {
		return -1, err
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
		apiErr := awsapi.DecodeError(op, resp.StatusCode, resp.Header, resp.Body)
		if !apiErr.Retryable() {
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
