// Package httpauthtest holds a RoundTripper for tests and fuzzers that
// feed a client the exact bytes of an upstream's answer, without a server.
package httpauthtest

import (
	"bytes"
	"io"
	"net/http"
)

// Canned answers every request with Status and Body as JSON.
type Canned struct {
	Status int
	Body   []byte
}

// RoundTrip returns the canned answer.
func (c Canned) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: c.Status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(c.Body)), ContentLength: int64(len(c.Body)), Request: r}, nil
}
