package httpauth

import (
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
)

// echoAuth answers with the Authorization header it received.
func echoAuth(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	_, _ = io.WriteString(w, r.Header.Get("Authorization")+"|"+r.Header.Get("X-Amz-Date")+"|"+string(body))
}

func TestAuth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(echoAuth))
	defer srv.Close()
	tests := []struct {
		name   string
		cfg    Config
		body   string
		prefix string
	}{
		{"none", Config{AuthType: None}, "", "|"},
		{"basic", Config{AuthType: Basic, BasicUser: "grafana", BasicPassword: "pw"}, "", "Basic Z3JhZmFuYTpwdw=="},
		{"bearer", Config{AuthType: Bearer, BearerToken: "tok"}, "", "Bearer tok"},
		{"sigv4", Config{AuthType: SigV4, SigV4Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")},
			"query=up", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(context.Background(), tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/query", strings.NewReader(tt.body))
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if !strings.HasPrefix(string(got), tt.prefix) {
				t.Errorf("server saw %q, want prefix %q", got, tt.prefix)
			}
			if !strings.HasSuffix(string(got), "|"+tt.body) {
				t.Errorf("body not delivered intact: %q", got)
			}
			if tt.cfg.AuthType == SigV4 && (!strings.Contains(string(got), "eu-west-1/aps/aws4_request") || strings.Contains(string(got), "||")) {
				t.Errorf("sigv4 scope or date missing: %q", got)
			}
		})
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(echoAuth))
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"untrusted", Config{}, "certificate"},
		{"private CA", Config{CACertPEM: caPEM}, ""},
		{"skip verify", Config{TLSSkipVerify: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(context.Background(), tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.Get(srv.URL)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("GET: %v", err)
				}
				resp.Body.Close()
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("GET error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{AuthType: "kerberos"},
		{AuthType: SigV4},
		{CACertPEM: "not a certificate"},
	} {
		if _, err := NewClient(context.Background(), cfg); err == nil {
			t.Errorf("NewClient(%+v) succeeded, want an error", cfg)
		}
	}
}
