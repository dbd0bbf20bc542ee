package prom

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// sigV4 signs each request for Amazon Managed Service for Prometheus.
type sigV4 struct {
	creds  aws.CredentialsProvider
	region string
	signer *v4.Signer
	next   http.RoundTripper
	now    func() time.Time
}

func newSigV4(cfg aws.Config, next http.RoundTripper) sigV4 {
	return sigV4{creds: cfg.Credentials, region: cfg.Region, signer: v4.NewSigner(), next: next, now: time.Now}
}

// maxRequestBody bounds a request body read for hashing; PromQL forms are
// a few KiB.
const maxRequestBody = 1 << 20

func (s sigV4) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.creds == nil {
		return nil, errors.New("sigv4: no AWS credentials in the default chain")
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
		r.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("sigv4: read request body: %w", err)
		}
		if len(b) > maxRequestBody {
			return nil, errors.New("sigv4: request body too large to sign")
		}
		body = b
	}
	creds, err := s.creds.Retrieve(r.Context())
	if err != nil {
		return nil, fmt.Errorf("sigv4: AWS credentials: %w", err)
	}
	signed := r.Clone(r.Context())
	signed.Body = io.NopCloser(bytes.NewReader(body))
	signed.ContentLength = int64(len(body))
	signed.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	sum := sha256.Sum256(body)
	// Headers added after signing (by the transport) are not signed; the
	// ones the Go client sets itself must not be either.
	signed.Header.Del("Authorization")
	// A header with no values (client_golang's Idempotency-Key marker) is
	// not sent on the wire, so it must not be signed either.
	for k, v := range signed.Header {
		if len(v) == 0 {
			delete(signed.Header, k)
		}
	}
	if err := s.signer.SignHTTP(r.Context(), creds, signed, hex.EncodeToString(sum[:]), "aps", s.region, s.now()); err != nil {
		return nil, fmt.Errorf("sigv4: sign: %w", err)
	}
	return s.next.RoundTrip(signed)
}

// limitBody fails reading a response body past max bytes, so a runaway
// query cannot exhaust memory.
type limitBody struct {
	max  int64
	next http.RoundTripper
}

func (l limitBody) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > l.max {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: %d bytes, bound %d", ErrResponseTooLarge, resp.ContentLength, l.max)
	}
	resp.Body = &boundedBody{rc: resp.Body, left: l.max}
	return resp, nil
}

// ErrResponseTooLarge is returned when a response exceeds MaxResponseBytes.
var ErrResponseTooLarge = errors.New("prometheus response exceeds the size bound")

type boundedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte tells "exactly at the bound" from "over it".
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, ErrResponseTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *boundedBody) Close() error { return b.rc.Close() }
