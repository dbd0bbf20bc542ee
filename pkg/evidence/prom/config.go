// Package prom collects the metrics around an alert from Prometheus (or any
// API-compatible store: Amazon Managed Service for Prometheus, Mimir,
// Thanos): the alert's own query and a standard set per target, each series
// summarised into numbers that analyzers reason on.
package prom

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/cloudobs/aiops-app/pkg/httpauth"
	"github.com/cloudobs/aiops-app/pkg/netguard"
)

// Authentication types of Config.AuthType.
const (
	AuthNone   = "none"
	AuthBasic  = "basic"
	AuthBearer = "bearer"
	AuthSigV4  = "sigv4"
)

// Defaults of Config.
const (
	DefaultLookback         = 30 * time.Minute
	DefaultMaxPoints        = 200
	DefaultMaxSeries        = 10
	DefaultMaxResponseBytes = 8 << 20
	// queryConcurrency bounds the range queries in flight per collection,
	// to spare a Prometheus that is likely under stress itself.
	queryConcurrency = 4
)

// Config says where Prometheus is and how to reach it.
type Config struct {
	URL string
	// AuthType is none (default), basic, bearer or sigv4.
	AuthType                 string
	BasicUser, BasicPassword string
	BearerToken              string
	// SigV4Region signs requests for Amazon Managed Service for Prometheus
	// (service "aps") with the AWS default credential chain. Empty uses
	// the chain's region (AWS_REGION).
	SigV4Region string
	// CACertPEM is added to the system roots; TLSSkipVerify disables
	// certificate checks (for test setups only).
	CACertPEM     string
	TLSSkipVerify bool
	// Lookback is how far before startsAt the window opens when the
	// caller gives no start.
	Lookback time.Duration
	// MaxPoints bounds the points of each series (the step is chosen so).
	MaxPoints int
	// MaxSeries bounds the series kept per query; the ones that moved most
	// from their baseline are kept.
	MaxSeries int
	// MaxResponseBytes bounds one HTTP response body.
	MaxResponseBytes int64
	// RateWindow is the range of rate() and increase(); zero chooses
	// max(4·step, 1m).
	RateWindow time.Duration
	// HTTPClient replaces the default client (its transport is still
	// wrapped with authentication and the response bound).
	HTTPClient *http.Client
	// Guard is checked on every dial of the default transport: no
	// link-local or metadata address unless it allows them.
	Guard netguard.Policy
}

// Collector queries one Prometheus.
type Collector struct {
	cfg    Config
	api    v1.API
	client api.Client
}

// New checks the configuration and prepares the client; it makes no request.
func New(cfg Config) (*Collector, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	rt, err := cfg.transport()
	if err != nil {
		return nil, err
	}
	client := &http.Client{Transport: rt}
	if cfg.HTTPClient != nil {
		client.Timeout = cfg.HTTPClient.Timeout
		client.CheckRedirect = cfg.HTTPClient.CheckRedirect
	}
	c, err := api.NewClient(api.Config{Address: cfg.URL, Client: client})
	if err != nil {
		return nil, fmt.Errorf("prometheus client: %w", err)
	}
	return &Collector{cfg: cfg, api: v1.NewAPI(c), client: c}, nil
}

func (c *Config) defaults() error {
	u, err := url.Parse(strings.TrimSpace(c.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("prometheus url %q: want http(s)://host[:port][/path]", c.URL)
	}
	c.URL = strings.TrimRight(u.String(), "/")
	if c.AuthType == "" {
		c.AuthType = AuthNone
	}
	switch c.AuthType {
	case AuthNone, AuthSigV4:
	case AuthBasic:
		if c.BasicUser == "" {
			return errors.New("prometheus basic auth: user is empty")
		}
	case AuthBearer:
		if c.BearerToken == "" {
			return errors.New("prometheus bearer auth: token is empty")
		}
	default:
		return fmt.Errorf("prometheus auth type %q: want none, basic, bearer or sigv4", c.AuthType)
	}
	if c.Lookback <= 0 {
		c.Lookback = DefaultLookback
	}
	if c.MaxPoints < 2 {
		c.MaxPoints = DefaultMaxPoints
	}
	if c.MaxSeries <= 0 {
		c.MaxSeries = DefaultMaxSeries
	}
	if c.MaxResponseBytes <= 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	return nil
}

// transport layers, outermost first: response bound, authentication, TLS.
func (c Config) transport() (http.RoundTripper, error) {
	base, err := c.baseTransport()
	if err != nil {
		return nil, err
	}
	var authed http.RoundTripper
	switch c.AuthType {
	case AuthBasic:
		authed = httpauth.Transport(httpauth.Credentials{BasicUser: c.BasicUser, BasicPassword: c.BasicPassword}, base)
	case AuthBearer:
		authed = httpauth.Transport(httpauth.Credentials{BearerToken: c.BearerToken}, base)
	case AuthSigV4:
		awsCfg, err := c.awsConfig()
		if err != nil {
			return nil, err
		}
		authed = newSigV4(awsCfg, base)
	default:
		authed = base
	}
	return limitBody{max: c.MaxResponseBytes, next: authed}, nil
}

func (c Config) baseTransport() (http.RoundTripper, error) {
	if c.HTTPClient != nil && c.HTTPClient.Transport != nil {
		return c.HTTPClient.Transport, nil
	}
	t := c.Guard.Transport()
	t.ResponseHeaderTimeout = 30 * time.Second
	if c.CACertPEM == "" && !c.TLSSkipVerify {
		return t, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: c.TLSSkipVerify} //nolint:gosec // opted into by the operator
	if c.CACertPEM != "" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(c.CACertPEM)) {
			return nil, errors.New("prometheus CA certificate: no PEM certificate found")
		}
		tc.RootCAs = pool
	}
	t.TLSClientConfig = tc
	return t, nil
}

func (c Config) awsConfig() (aws.Config, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if c.SigV4Region != "" {
		opts = append(opts, awsconfig.WithRegion(c.SigV4Region))
	}
	// Loading reads environment and files only; credentials are fetched
	// (and cached) at the first request, under that request's context.
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("prometheus sigv4: load AWS config: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("prometheus sigv4: no region (set the region or AWS_REGION)")
	}
	return cfg, nil
}

// NewClient is a Prometheus HTTP client with the configuration's
// authentication, TLS and response bound, for callers that run their own
// queries (the FinOps allocation).
func NewClient(cfg Config) (api.Client, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return c.client, nil
}
