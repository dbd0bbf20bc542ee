package cloudwatch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cloudobs/aiops-app/pkg/awsapi"
)

// testAPI calls a test server with static keys; sleeps are recorded, not
// waited.
func testAPI(t *testing.T, h http.HandlerFunc) (*api, *[]time.Duration) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	var slept []time.Duration
	return &api{endpoint: srv.URL, region: "eu-west-1", creds: testCreds, http: srv.Client(), signer: v4.NewSigner(), now: time.Now,
		sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}, &slept
}

func TestCallSendsASignedJSONRequest(t *testing.T) {
	a, _ := testAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("X-Amz-Target") != "Logs_20140328.DescribeLogGroups" ||
			r.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
			!strings.Contains(r.Header.Get("Authorization"), "/eu-west-1/logs/aws4_request") {
			t.Errorf("request %s %v", r.Method, r.Header)
		}
		_, _ = w.Write([]byte(`{"logGroups":[{"logGroupName":"/g"}]}`))
	})
	var out describeLogGroupsOut
	if err := a.call(context.Background(), "DescribeLogGroups", describeLogGroupsIn{LogGroupNamePrefix: "/g", Limit: 5}, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.LogGroups) != 1 || out.LogGroups[0].LogGroupName != "/g" {
		t.Fatalf("got %+v", out)
	}
}

func TestCallRetriesThrottlingAfterRetryAfter(t *testing.T) {
	var calls atomic.Int32
	a, slept := testAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"com.amazonaws.logs#ThrottlingException","message":"Rate exceeded"}`))
			return
		}
		_, _ = w.Write([]byte(`{"queryId":"q1"}`))
	})
	var out startQueryOut
	if err := a.call(context.Background(), "StartQuery", startQueryIn{}, &out); err != nil {
		t.Fatal(err)
	}
	if out.QueryID != "q1" || calls.Load() != 2 || len(*slept) != 1 || (*slept)[0] != 3*time.Second {
		t.Fatalf("out %+v, %d calls, slept %v", out, calls.Load(), *slept)
	}
}

func TestCallGivesUpAfterMaxAttempts(t *testing.T) {
	var calls atomic.Int32
	a, slept := testAPI(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	err := a.call(context.Background(), "FilterLogEvents", filterLogEventsIn{}, &filterLogEventsOut{})
	var apiErr *awsapi.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusServiceUnavailable || calls.Load() != maxAttempts {
		t.Fatalf("err %v after %d calls", err, calls.Load())
	}
	// An hour's Retry-After is capped.
	for _, d := range *slept {
		if d != maxRetryDelay {
			t.Fatalf("slept %v", *slept)
		}
	}
}

func TestCallMapsAWSErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header string
		body   string
		want   string
	}{
		{"namespaced type", 400, "", `{"__type":"com.amazonaws.logs#ResourceNotFoundException","message":"The specified log group does not exist."}`,
			"FilterLogEvents: ResourceNotFoundException (HTTP 400): The specified log group does not exist. [request id r-1]"},
		{"header code, capital Message", 403, "AccessDeniedException:http://internal.amazon.com/coral/", `{"Message":"User is not authorized to perform: logs:FilterLogEvents"}`,
			"FilterLogEvents: AccessDeniedException (HTTP 403): User is not authorized to perform: logs:FilterLogEvents [request id r-1]"},
		{"not JSON", 404, "", `<html>no route</html>`, "FilterLogEvents: Not Found (HTTP 404): <html>no route</html> [request id r-1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			a, _ := testAPI(t, func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set("X-Amzn-RequestId", "r-1")
				if tc.header != "" {
					w.Header().Set("X-Amzn-ErrorType", tc.header)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			err := a.call(context.Background(), "FilterLogEvents", filterLogEventsIn{}, &filterLogEventsOut{})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err %v\nwant  %s", err, tc.want)
			}
			if calls.Load() != 1 {
				t.Fatalf("a client error was tried %d times", calls.Load())
			}
		})
	}
}

func TestCallBoundsTheAnswer(t *testing.T) {
	big := `{"events":[{"message":"` + strings.Repeat("x", maxResponseBytes) + `"}]}`
	for _, chunked := range []bool{false, true} {
		a, _ := testAPI(t, func(w http.ResponseWriter, r *http.Request) {
			if chunked {
				w.(http.Flusher).Flush() // no Content-Length: the read is bounded
			}
			_, _ = w.Write([]byte(big))
		})
		err := a.call(context.Background(), "FilterLogEvents", filterLogEventsIn{}, &filterLogEventsOut{})
		if !errors.Is(err, ErrResponseTooLarge) {
			t.Fatalf("chunked=%v: %v", chunked, err)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	for v, want := range map[string]time.Duration{"": 500 * time.Millisecond, "0": 0, "2": 2 * time.Second, "99": maxRetryDelay, "soon": 500 * time.Millisecond,
		time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat): 0} {
		if got := retryAfter(v); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

// FuzzDecodeAnswers: the answer shapes decode any input without panic, and
// a decoded Insights row is read within bounds.
func FuzzDecodeAnswers(f *testing.F) {
	f.Add(`{"events":[{"logStreamName":"s","timestamp":1,"message":"m"}],"nextToken":"t"}`)
	f.Add(`{"status":"Complete","results":[[{"field":"@timestamp","value":"2026-12-05 10:04:05.123"},{"field":"@logStream","value":"s"}]]}`)
	f.Add(`{"results":[[{"field":null}]],"status":7}`)
	f.Fuzz(func(t *testing.T, body string) {
		a, _ := testAPI(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) })
		var events filterLogEventsOut
		_ = a.call(context.Background(), "FilterLogEvents", filterLogEventsIn{}, &events)
		var res getQueryResultsOut
		if a.call(context.Background(), "GetQueryResults", queryIDIn{}, &res) == nil {
			for _, row := range res.Results {
				if e, ok := insightsEvent(row); ok && (e.stream == "" || e.time.IsZero()) {
					t.Fatalf("accepted %+v", e)
				}
			}
		}
	})
}
