package prom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// fakePrometheus answers /api/v1/query and /api/v1/query_range with an
// empty but well-formed result, and records each request for inspection.
type fakePrometheus struct {
	mu       sync.Mutex
	requests []*http.Request
	bodies   []string
	check    func(r *http.Request, body []byte) int // status to answer; 0 = 200
	answer   string
}

func (f *fakePrometheus) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(context.Background()))
	f.bodies = append(f.bodies, string(body))
	f.mu.Unlock()
	if f.check != nil {
		if code := f.check(r, body); code != 0 {
			http.Error(w, `{"status":"error","errorType":"unauthorized","error":"denied"}`, code)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case f.answer != "":
		io.WriteString(w, f.answer)
	case strings.HasSuffix(r.URL.Path, "/query"):
		io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795168800,"1"]}]}}`)
	default:
		io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[]}}`)
	}
}

func TestAuthHeaders(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"none", Config{}, ""},
		{"basic", Config{AuthType: AuthBasic, BasicUser: "grafana", BasicPassword: "s3cret"}, "Basic Z3JhZmFuYTpzM2NyZXQ="},
		{"bearer", Config{AuthType: AuthBearer, BearerToken: "tok-123"}, "Bearer tok-123"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakePrometheus{}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			tc.cfg.URL = srv.URL
			c, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Health(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := fake.requests[0].Header.Get("Authorization"); got != tc.want {
				t.Errorf("Authorization = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSigV4 recomputes the signature on the server side from the request
// as received, as Amazon Managed Service for Prometheus does.
func TestSigV4(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}

	verify := func(r *http.Request, body []byte) int {
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/eu-west-1/aps/aws4_request") {
			return http.StatusForbidden
		}
		signedAt, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		if err != nil {
			return http.StatusForbidden
		}
		// Rebuild the request with only the signed headers and sign it again.
		check, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), strings.NewReader(string(body)))
		signedHeaders := auth[strings.Index(auth, "SignedHeaders=")+len("SignedHeaders="):]
		signedHeaders = signedHeaders[:strings.Index(signedHeaders, ",")]
		for _, h := range strings.Split(signedHeaders, ";") {
			if h != "host" {
				check.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
			}
		}
		check.Header.Del("Authorization")
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, check, hex.EncodeToString(sum[:]), "aps", "eu-west-1", signedAt); err != nil {
			return http.StatusInternalServerError
		}
		if check.Header.Get("Authorization") != auth {
			return http.StatusForbidden
		}
		return 0
	}
	fake := &fakePrometheus{check: verify}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := New(Config{URL: srv.URL + "/workspaces/ws-1234", AuthType: AuthSigV4, SigV4Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Health(context.Background()); err != nil {
		t.Fatalf("Health through SigV4: %v", err)
	}
	_, err = c.Collect(context.Background(), fixtureAlert(), fixtureTarget(), nil, fxStartsAt.Add(-time.Hour), fxStartsAt)
	if err != nil {
		t.Fatalf("Collect through SigV4: %v", err)
	}
	for i, r := range fake.requests {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/workspaces/ws-1234/api/v1/") {
			t.Errorf("request %d: %s %s", i, r.Method, r.URL.Path)
		}
		if !strings.Contains(fake.bodies[i], "query=") {
			t.Errorf("request %d: the signed body was lost: %q", i, fake.bodies[i])
		}
	}
}

func TestSigV4NeedsRegion(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	_, err := New(Config{URL: "https://aps.example", AuthType: AuthSigV4})
	if err == nil || !strings.Contains(err.Error(), "region") {
		t.Errorf("want a region error, got %v", err)
	}
}

func TestCustomCA(t *testing.T) {
	srv := httptest.NewTLSServer(&fakePrometheus{})
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	ctx := context.Background()

	plain, err := New(Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.Health(ctx); err == nil {
		t.Error("an unknown CA must be refused")
	}
	withCA, err := New(Config{URL: srv.URL, CACertPEM: caPEM})
	if err != nil {
		t.Fatal(err)
	}
	if err := withCA.Health(ctx); err != nil {
		t.Errorf("custom CA: %v", err)
	}
	skip, err := New(Config{URL: srv.URL, TLSSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := skip.Health(ctx); err != nil {
		t.Errorf("skip verify: %v", err)
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no url", Config{}, "want http(s)"},
		{"bad scheme", Config{URL: "ftp://x"}, "want http(s)"},
		{"no host", Config{URL: "http://"}, "want http(s)"},
		{"unknown auth", Config{URL: "http://x", AuthType: "kerberos"}, "want none, basic"},
		{"basic without user", Config{URL: "http://x", AuthType: AuthBasic}, "user is empty"},
		{"bearer without token", Config{URL: "http://x", AuthType: AuthBearer}, "token is empty"},
		{"bad CA", Config{URL: "https://x", CACertPEM: "not a cert"}, "no PEM certificate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestResponseBound(t *testing.T) {
	huge := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pad":"` +
		strings.Repeat("x", 4096) + `"},"values":[[1795168800,"1"]]}]}}`
	srv := httptest.NewServer(&fakePrometheus{answer: huge})
	defer srv.Close()
	c, err := New(Config{URL: srv.URL, MaxResponseBytes: 1024})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Collect(context.Background(), fixtureAlert(), fixtureTarget(), nil, fxStartsAt.Add(-time.Hour), fxStartsAt)
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("want ErrResponseTooLarge, got %v", err)
	}
	roomy, err := New(Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := roomy.Collect(context.Background(), fixtureAlert(), fixtureTarget(), nil, fxStartsAt.Add(-time.Hour), fxStartsAt); err != nil {
		t.Errorf("within the bound: %v", err)
	}
}

func TestUnreachablePrometheus(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, err := New(Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Health(context.Background()); err == nil {
		t.Error("Health of a closed port must fail")
	}
	series, err := c.Collect(context.Background(), fixtureAlert(), fixtureTarget(), nil, fxStartsAt.Add(-time.Hour), fxStartsAt)
	if err == nil || len(series) != 0 {
		t.Errorf("got %d series, err %v", len(series), err)
	}
	if !strings.Contains(err.Error(), "queries failed") {
		t.Errorf("error should count the failures: %v", err)
	}
}

func TestCollectWindowErrors(t *testing.T) {
	c, err := New(Config{URL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Collect(ctx, fixtureAlert(), fixtureTarget(), nil, fxStartsAt, time.Time{}); err == nil {
		t.Error("a window without end must be refused")
	}
	if _, err := c.Collect(ctx, fixtureAlert(), fixtureTarget(), nil, fxStartsAt, fxStartsAt.Add(-time.Minute)); err == nil {
		t.Error("an inverted window must be refused")
	}
	series, err := c.Collect(ctx, incident.Alert{}, incident.Target{}, nil, fxStartsAt.Add(-time.Hour), fxStartsAt)
	if err != nil || series != nil {
		t.Errorf("nothing to query: got %v, %v", series, err)
	}
}
