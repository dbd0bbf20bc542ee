package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrorKind classifies a provider failure by what the caller can do about it.
type ErrorKind string

// Kinds of provider failures.
const (
	// KindAuth: the credentials are missing or rejected. Not retried.
	KindAuth ErrorKind = "auth"
	// KindRateLimited: HTTP 429 or a throttling exception. Retried.
	KindRateLimited ErrorKind = "rate_limited"
	// KindUnavailable: the endpoint cannot be reached. Retried, trips the breaker.
	KindUnavailable ErrorKind = "unavailable"
	// KindServer: HTTP 5xx. Retried, trips the breaker.
	KindServer ErrorKind = "server"
	// KindTimeout: the request timed out. Retried, trips the breaker.
	KindTimeout ErrorKind = "timeout"
	// KindModelNotFound: the model does not exist or is not pulled. Not retried.
	KindModelNotFound ErrorKind = "model_not_found"
	// KindBadRequest: the provider rejected the request. Not retried.
	KindBadRequest ErrorKind = "bad_request"
	// KindCircuitOpen: the breaker is open; no request was sent.
	KindCircuitOpen ErrorKind = "circuit_open"
)

// Error is a provider failure with the facts the guard needs (status,
// Retry-After) and a hint for the user.
type Error struct {
	Provider   string
	Kind       ErrorKind
	Status     int
	RetryAfter time.Duration
	// Hint says what to do, e.g. "run: ollama pull llama3".
	Hint string
	Err  error
}

func (e *Error) Error() string {
	var sb strings.Builder
	sb.WriteString(e.Provider)
	sb.WriteString(": ")
	sb.WriteString(string(e.Kind))
	if e.Status > 0 {
		fmt.Fprintf(&sb, " (HTTP %d)", e.Status)
	}
	if e.Err != nil {
		sb.WriteString(": ")
		sb.WriteString(e.Err.Error())
	}
	if e.Hint != "" {
		sb.WriteString("; ")
		sb.WriteString(e.Hint)
	}
	return sb.String()
}

func (e *Error) Unwrap() error { return e.Err }

// retryable reports whether another attempt may succeed.
func (e *Error) retryable() bool {
	switch e.Kind {
	case KindRateLimited, KindServer, KindTimeout, KindUnavailable:
		return true
	}
	return false
}

// countsAsOutage reports whether the failure says the provider is down, as
// opposed to this request being wrong or throttled.
func (e *Error) countsAsOutage() bool {
	switch e.Kind {
	case KindServer, KindTimeout, KindUnavailable:
		return true
	}
	return false
}

// ErrCircuitOpen is wrapped by the error returned while the breaker is open.
var ErrCircuitOpen = errors.New("provider is failing; circuit breaker open")

// kindForStatus maps an HTTP status to the failure kind.
func kindForStatus(status int) ErrorKind {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return KindAuth
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusNotFound:
		return KindModelNotFound
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		return KindTimeout
	case status >= 500:
		return KindServer
	default:
		return KindBadRequest
	}
}

// transportKind classifies an error that came without an HTTP status:
// timeouts and unreachable endpoints can be retried; anything else (a
// client-side validation error, a body that is not the protocol) cannot.
func transportKind(err error) ErrorKind {
	var netErr net.Error
	var urlErr *url.Error
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	case errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	case errors.As(err, &urlErr), errors.As(err, &opErr), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF):
		return KindUnavailable
	default:
		return KindBadRequest
	}
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
