package llm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/llm/llmtest"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testAccessKey = "AKIDEXAMPLETEST"
	testSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testRegion    = "eu-west-1"
)

// fakeBedrock speaks the Bedrock runtime REST-JSON protocol: Converse,
// ConverseStream (AWS event-stream framing) and the control plane's
// ListFoundationModels. Every request's SigV4 signature is recomputed from
// the received request with the test credentials and compared.
type fakeBedrock struct {
	t *testing.T

	mu        sync.Mutex
	bodies    []map[string]any
	sigErrors []string
	paths     []string

	// text is the answer; pieces its streamed deltas.
	text   string
	pieces []string
	// fail, when set, answers every call with this status and exception.
	failStatus int
	failType   string
	retryAfter string
	// rejectOutputConfig mimics a model without structured output.
	rejectOutputConfig bool
	// accessKey, secretKey and sessionToken are the credentials requests
	// must be signed with (default: the static test keys).
	accessKey, secretKey, sessionToken string
}

func (f *fakeBedrock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.checkSignature(r, body)
	f.mu.Lock()
	f.paths = append(f.paths, r.Method+" "+r.URL.EscapedPath())
	var parsed map[string]any
	_ = json.Unmarshal(body, &parsed)
	f.bodies = append(f.bodies, parsed)
	f.mu.Unlock()

	if f.failStatus != 0 {
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		awsError(w, f.failStatus, f.failType, "scripted failure")
		return
	}
	if _, has := parsed["outputConfig"]; has && f.rejectOutputConfig {
		awsError(w, http.StatusBadRequest, "ValidationException", "This model doesn't support the outputConfig.textFormat field.")
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/foundation-models":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"modelSummaries":[{"modelId":"anthropic.claude-3-haiku-20240307-v1:0","modelArn":"arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0","providerName":"Anthropic"},{"modelId":"meta.llama3-70b-instruct-v1:0","modelArn":"arn:x","providerName":"Meta"}]}`)
	case strings.HasSuffix(r.URL.Path, "/converse"):
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": []any{map[string]any{"text": f.text}}}},
			"stopReason": "end_turn",
			"usage":      map[string]any{"inputTokens": 900, "outputTokens": 60, "totalTokens": 960},
			"metrics":    map[string]any{"latencyMs": 120},
		})
	case strings.HasSuffix(r.URL.Path, "/converse-stream"):
		llmtest.WriteConverseStream(f.t, w, f.pieces)
	default:
		awsError(w, http.StatusNotFound, "UnknownOperationException", r.URL.Path)
	}
}

func awsError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", typ)
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":%q}`, msg)
}

// checkSignature recomputes the SigV4 Authorization header from the received
// request (its signed headers, path, query and body) with the test secret.
func (f *fakeBedrock) checkSignature(r *http.Request, body []byte) {
	fail := func(format string, args ...any) {
		f.mu.Lock()
		f.sigErrors = append(f.sigErrors, fmt.Sprintf(format, args...))
		f.mu.Unlock()
	}
	auth := r.Header.Get("Authorization")
	const prefix = "AWS4-HMAC-SHA256 Credential="
	if !strings.HasPrefix(auth, prefix) {
		fail("no SigV4 Authorization header: %q", auth)
		return
	}
	fields := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(auth, "AWS4-HMAC-SHA256 "), ", ") {
		k, v, _ := strings.Cut(part, "=")
		fields[k] = v
	}
	accessKey, secretKey := testAccessKey, testSecretKey
	if f.accessKey != "" {
		accessKey, secretKey = f.accessKey, f.secretKey
	}
	if got := r.Header.Get("X-Amz-Security-Token"); got != f.sessionToken {
		fail("X-Amz-Security-Token %q, want %q", got, f.sessionToken)
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[0] != accessKey || scope[2] != testRegion || scope[3] != "bedrock" {
		fail("credential scope %q", fields["Credential"])
		return
	}
	signingTime, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		fail("X-Amz-Date: %v", err)
		return
	}
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	clone, _ := http.NewRequest(r.Method, u.String(), bytes.NewReader(body))
	clone.URL.RawPath = r.URL.RawPath
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		if h == "host" {
			continue
		}
		clone.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey, SessionToken: f.sessionToken}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, clone, hex.EncodeToString(sum[:]), "bedrock", testRegion, signingTime); err != nil {
		fail("re-sign: %v", err)
		return
	}
	if got, want := auth, clone.Header.Get("Authorization"); got != want {
		fail("signature mismatch:\n got  %s\n want %s", got, want)
	}
}

func (f *fakeBedrock) assertSigned(t *testing.T) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.paths) == 0 {
		t.Fatal("no request reached the fake Bedrock")
	}
	for _, e := range f.sigErrors {
		t.Error(e)
	}
}

func newTestBedrock(t *testing.T, f *fakeBedrock, extra ...func(*Settings)) Provider {
	t.Helper()
	f.t = t
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	// The default chain must not find real credentials or config here.
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	s := Settings{Provider: "bedrock", Region: testRegion, AccessKey: testAccessKey, SecretKey: testSecretKey,
		BedrockEndpoint: srv.URL, BedrockControlEndpoint: srv.URL}
	for _, fn := range extra {
		fn(&s)
	}
	p, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBedrockConverse(t *testing.T) {
	f := &fakeBedrock{text: `{"summary":"claude says"}`}
	p := newTestBedrock(t, f)
	resp, err := p.Complete(context.Background(), Request{System: "you are an SRE", MaxTokens: 512, Temperature: 0.1,
		Messages: []Message{{Role: RoleUser, Content: "explain"}}, Schema: testSchema})
	if err != nil {
		t.Fatal(err)
	}
	f.assertSigned(t)
	if resp.Text != `{"summary":"claude says"}` || resp.StopReason != "end_turn" {
		t.Errorf("response %+v", resp)
	}
	if resp.Usage.PromptTokens != 900 || resp.Usage.CompletionTokens != 60 {
		t.Errorf("usage %+v", resp.Usage)
	}
	if want := (900*0.25 + 60*1.25) / 1e6; resp.Usage.CostUSD != want {
		t.Errorf("cost %v, want %v", resp.Usage.CostUSD, want)
	}
	if f.paths[0] != "POST /model/anthropic.claude-3-haiku-20240307-v1%3A0/converse" {
		t.Errorf("path %s", f.paths[0])
	}
	body := f.bodies[0]
	sys, _ := json.Marshal(body["system"])
	inf, _ := json.Marshal(body["inferenceConfig"])
	out, _ := json.Marshal(body["outputConfig"])
	if string(sys) != `[{"text":"you are an SRE"}]` || !strings.Contains(string(inf), `"maxTokens":512`) {
		t.Errorf("system %s inference %s", sys, inf)
	}
	if !strings.Contains(string(out), `"type":"json_schema"`) || !strings.Contains(string(out), `\"summary\"`) {
		t.Errorf("outputConfig %s", out)
	}
}

func TestBedrockConverseStream(t *testing.T) {
	f := &fakeBedrock{pieces: []string{`{"summary":"`, `node `, `pressure"}`}}
	p := newTestBedrock(t, f, func(s *Settings) { s.Model = "meta.llama3-70b-instruct-v1:0" })
	var toks []string
	resp, err := p.Stream(context.Background(), Request{System: "s", Messages: []Message{{Role: RoleUser, Content: "x"}}},
		func(s string) { toks = append(toks, s) })
	if err != nil {
		t.Fatal(err)
	}
	f.assertSigned(t)
	if strings.Join(toks, "|") != `{"summary":"|node |pressure"}` || resp.Text != `{"summary":"node pressure"}` {
		t.Errorf("tokens %q text %q", toks, resp.Text)
	}
	if resp.Usage.PromptTokens != 700 || resp.Usage.CompletionTokens != 40 || resp.StopReason != "end_turn" {
		t.Errorf("response %+v", resp)
	}
	if f.paths[0] != "POST /model/meta.llama3-70b-instruct-v1%3A0/converse-stream" {
		t.Errorf("path %s", f.paths[0])
	}
}

func TestBedrockFallsBackWithoutStructuredOutput(t *testing.T) {
	f := &fakeBedrock{text: `{"summary":"x"}`, rejectOutputConfig: true}
	p := newTestBedrock(t, f, func(s *Settings) { s.Model = "mistral.mistral-large-2402-v1:0" })
	for range 2 {
		if _, err := p.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}, Schema: testSchema}); err != nil {
			t.Fatal(err)
		}
	}
	// First call: rejected, then repeated without outputConfig; the second
	// call remembers.
	if len(f.paths) != 3 {
		t.Errorf("%d requests, want 3", len(f.paths))
	}
}

func TestBedrockErrors(t *testing.T) {
	tests := []struct {
		status     int
		typ        string
		retryAfter string
		kind       ErrorKind
		calls      int
		hint       string
	}{
		{429, "ThrottlingException", "1", KindRateLimited, 3, "quota"},
		{503, "ServiceUnavailableException", "", KindServer, 3, ""},
		{403, "AccessDeniedException", "", KindAuth, 1, "bedrock:InvokeModel"},
		{404, "ResourceNotFoundException", "", KindModelNotFound, 1, "list-foundation-models"},
		{400, "ValidationException", "", KindBadRequest, 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.typ, func(t *testing.T) {
			f := &fakeBedrock{failStatus: tc.status, failType: tc.typ, retryAfter: tc.retryAfter}
			p := newTestBedrock(t, f)
			waits := noWait(t, p)
			_, err := p.Stream(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}}, func(string) {})
			var perr *Error
			if !errors.As(err, &perr) || perr.Kind != tc.kind || perr.Status != tc.status {
				t.Fatalf("error %v (%#v), want kind %s", err, perr, tc.kind)
			}
			if len(f.paths) != tc.calls {
				t.Errorf("%d calls, want %d", len(f.paths), tc.calls)
			}
			if tc.retryAfter != "" && (len(*waits) == 0 || (*waits)[0] != time.Second) {
				t.Errorf("waits %v, want Retry-After 1s honoured", *waits)
			}
			if !strings.Contains(err.Error(), tc.hint) {
				t.Errorf("error %q lacks hint %q", err, tc.hint)
			}
		})
	}
}

func TestBedrockModelsAndHealth(t *testing.T) {
	f := &fakeBedrock{text: "OK"}
	p := newTestBedrock(t, f)
	ms, err := p.Models(context.Background())
	if err != nil || len(ms) != 2 || ms[1] != "meta.llama3-70b-instruct-v1:0" {
		t.Fatalf("models %v %v", ms, err)
	}
	if err := p.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.assertSigned(t)
}

func TestBedrockNeedsRegion(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	if _, err := New(Settings{Provider: "bedrock"}); err == nil || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Errorf("error %v", err)
	}
}

// TestBedrockIRSA proves the default credential chain as EKS uses it (IRSA):
// AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE make the SDK exchange the
// service-account token at STS (a local fake here) for temporary
// credentials, and Bedrock requests are signed with those.
func TestBedrockIRSA(t *testing.T) {
	const (
		tempKey    = "ASIATEMPORARYKEY0001"
		tempSecret = "temporarySecretFromStsForTheTest0000000"
		tempToken  = "FwoGZXIvYXdzEFAKEsessiontoken"
	)
	var stsCalls []string
	var mu sync.Mutex
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		stsCalls = append(stsCalls, r.Form.Get("Action")+" "+r.Form.Get("RoleArn")+" "+r.Form.Get("WebIdentityToken"))
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>
<SessionToken>%s</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/aiops/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>
</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
			tempKey, tempSecret, tempToken)
	}))
	defer sts.Close()
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("service-account-jwt"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/aiops")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile)
	t.Setenv("AWS_ENDPOINT_URL_STS", sts.URL)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")

	f := &fakeBedrock{text: `{"summary":"via IRSA"}`, accessKey: tempKey, secretKey: tempSecret, sessionToken: tempToken}
	p := newTestBedrock(t, f, func(s *Settings) { s.AccessKey, s.SecretKey = "", "" })
	resp, err := p.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.assertSigned(t)
	if resp.Text != `{"summary":"via IRSA"}` {
		t.Errorf("text %q", resp.Text)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(stsCalls) != 1 || stsCalls[0] != "AssumeRoleWithWebIdentity arn:aws:iam::111122223333:role/aiops service-account-jwt" {
		t.Errorf("STS calls %q", stsCalls)
	}
}

func TestBedrockModelListErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		typ    string
		kind   ErrorKind
		hint   string
	}{
		{403, "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/", KindAuth, "IRSA"},
		{429, "ThrottlingException", KindRateLimited, "quota"},
		{500, "", KindServer, ""},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			f := &fakeBedrock{failStatus: tc.status, failType: tc.typ, retryAfter: "2"}
			p := newTestBedrock(t, f)
			_, err := p.Models(context.Background())
			var perr *Error
			if !errors.As(err, &perr) || perr.Kind != tc.kind || perr.Status != tc.status {
				t.Fatalf("error %v (%#v), want kind %s", err, perr, tc.kind)
			}
			if perr.RetryAfter != 2*time.Second {
				t.Errorf("Retry-After %v, want 2s", perr.RetryAfter)
			}
			if strings.Contains(err.Error(), "internal.amazon.com") || !strings.Contains(err.Error(), tc.hint) {
				t.Errorf("error %q: want the exception name without its URI and hint %q", err, tc.hint)
			}
			f.assertSigned(t)
		})
	}
}
