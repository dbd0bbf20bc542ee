// Package httpauth builds HTTP clients for upstreams that need authentication
// and custom TLS: basic, bearer and AWS SigV4 (Amazon Managed Prometheus), a
// private CA bundle, or skipped verification for lab clusters.
package httpauth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
)

// Authentication kinds.
const (
	None   = "none"
	Basic  = "basic"
	Bearer = "bearer"
	SigV4  = "sigv4"
)

// maxSignedBody bounds what SigV4 signing buffers to hash a request body.
const maxSignedBody = 8 << 20

// Config says how to reach one upstream.
type Config struct {
	AuthType      string
	BasicUser     string
	BasicPassword string
	BearerToken   string
	SigV4Region   string
	// SigV4Service defaults to "aps", Amazon Managed Service for Prometheus.
	SigV4Service string
	// Credentials for SigV4; nil means the AWS SDK's default chain.
	Credentials   aws.CredentialsProvider
	TLSSkipVerify bool
	CACertPEM     string
	Timeout       time.Duration
}

// NewClient returns a client that authenticates every request as cfg says.
func NewClient(ctx context.Context, cfg Config) (*http.Client, error) {
	base := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.TLSSkipVerify || cfg.CACertPEM != "" {
		tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.TLSSkipVerify} //nolint:gosec // an explicit admin choice for lab clusters
		if cfg.CACertPEM != "" {
			pool, err := x509.SystemCertPool()
			if err != nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM([]byte(cfg.CACertPEM)) {
				return nil, errors.New("CA certificate: no PEM certificate found")
			}
			tlsCfg.RootCAs = pool
		}
		base.TLSClientConfig = tlsCfg
	}
	var rt http.RoundTripper = base
	switch cfg.AuthType {
	case "", None:
	case Basic:
		rt = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r = r.Clone(r.Context())
			r.SetBasicAuth(cfg.BasicUser, cfg.BasicPassword)
			return base.RoundTrip(r)
		})
	case Bearer:
		rt = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r = r.Clone(r.Context())
			r.Header.Set("Authorization", "Bearer "+cfg.BearerToken)
			return base.RoundTrip(r)
		})
	case SigV4:
		signer, err := newSigV4(ctx, cfg, base)
		if err != nil {
			return nil, err
		}
		rt = signer
	default:
		return nil, fmt.Errorf("unknown auth type %q", cfg.AuthType)
	}
	return &http.Client{Transport: rt, Timeout: cfg.Timeout}, nil
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type sigV4Transport struct {
	next    http.RoundTripper
	signer  *v4.Signer
	creds   aws.CredentialsProvider
	region  string
	service string
}

func newSigV4(ctx context.Context, cfg Config, next http.RoundTripper) (*sigV4Transport, error) {
	if cfg.SigV4Region == "" {
		return nil, errors.New("sigv4 needs a region")
	}
	creds := cfg.Credentials
	if creds == nil {
		awsCfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(cfg.SigV4Region))
		if err != nil {
			return nil, fmt.Errorf("load AWS configuration: %w", err)
		}
		creds = awsCfg.Credentials
	}
	service := cfg.SigV4Service
	if service == "" {
		service = "aps"
	}
	return &sigV4Transport{next: next, signer: v4.NewSigner(), creds: aws.NewCredentialsCache(creds), region: cfg.SigV4Region, service: service}, nil
}

func (t *sigV4Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, maxSignedBody+1))
		_ = r.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("sigv4: read body: %w", err)
		}
		if len(body) > maxSignedBody {
			return nil, fmt.Errorf("sigv4: request body larger than %d bytes", maxSignedBody)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	sum := sha256.Sum256(body)
	creds, err := t.creds.Retrieve(r.Context())
	if err != nil {
		return nil, fmt.Errorf("sigv4: AWS credentials: %w", err)
	}
	if err := t.signer.SignHTTP(r.Context(), creds, r, hex.EncodeToString(sum[:]), t.service, t.region, time.Now()); err != nil {
		return nil, fmt.Errorf("sigv4: sign request: %w", err)
	}
	return t.next.RoundTrip(r)
}
