// Package redacttest is the redaction corpus: fake secrets in the real
// formats of their vendors, inside realistic log lines, and look-alike
// strings that must survive redaction untouched. Other packages use it to
// prove that no secret reaches an LLM request, an API response or history.
//
// The secrets are generated at run time from a fixed seed (the same values on
// every run) and assembled from parts, so that the source holds no string a
// secret scanner would take for a live credential. None of them is real.
package redacttest

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Secret is one planted credential.
type Secret struct {
	// Kind is the placeholder type the redactor must use: [REDACTED:<Kind>].
	Kind string
	// Value is the credential; no part of it may survive redaction.
	Value string
	// Text is the log line or payload that carries it.
	Text string
}

const (
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lower  = "abcdefghijklmnopqrstuvwxyz"
	digits = "0123456789"
	alnum  = upper + lower + digits
	b64    = alnum + "+/"
	b64url = alnum + "-_"
	hexch  = "0123456789abcdef"
	base32 = upper + "234567"
)

type gen struct{ r *rand.Rand }

func (g gen) str(alphabet string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[g.r.IntN(len(alphabet))])
	}
	return b.String()
}

// mixed draws from alnum but guarantees upper, lower and digit characters,
// as real generated tokens of that length practically always have.
func (g gen) mixed(n int) string {
	s := []byte(g.str(alnum, n))
	s[g.r.IntN(n)] = upper[g.r.IntN(26)]
	s[g.r.IntN(n)] = lower[g.r.IntN(26)]
	s[g.r.IntN(n)] = digits[g.r.IntN(10)]
	return string(s)
}

func b64json(v string) string { return base64.RawURLEncoding.EncodeToString([]byte(v)) }

func (g gen) jwt(claims string) string {
	head := b64json(`{"alg":"RS256","kid":"` + g.str(alnum, 12) + `","typ":"JWT"}`)
	return head + "." + b64json(claims) + "." + g.str(b64url, 86)
}

func (g gen) pem(label string, lines int) string {
	var b strings.Builder
	b.WriteString("-----BEGIN " + label + " KEY-----\n")
	for range lines {
		b.WriteString(g.str(b64, 64) + "\n")
	}
	b.WriteString(g.str(b64, 20) + "==\n-----END " + label + " KEY-----")
	return b.String()
}

// Secrets returns at least 50 planted credentials, the same on every call.
func Secrets() []Secret {
	g := gen{rand.New(rand.NewPCG(20261120, 4))}
	var out []Secret
	add := func(kind, value, text string) { out = append(out, Secret{Kind: kind, Value: value, Text: text}) }

	for i, prefix := range []string{"AK" + "IA", "AS" + "IA", "AK" + "IA", "AK" + "IA", "AS" + "IA"} {
		k := prefix + g.str(base32, 16)
		texts := []string{
			"level=info msg=\"loaded credentials\" access_key_id=%s region=us-east-1",
			`{"level":"debug","msg":"sts assume role","AccessKeyId":"%s"}`,
			"2026-11-20T10:00:01Z DEBUG s3 client using key %s for bucket shop-invoices",
			"export AWS_ACCESS_KEY_ID=%s",
			"aws: credentials %s expired, refreshing",
		}
		add("aws-access-key", k, fmt.Sprintf(texts[i], k))
	}
	for _, f := range []string{"aws_secret_access_key = %s", `{"SecretAccessKey":"%s","Expiration":"2026-11-20T11:00:00Z"}`,
		"AWS_SECRET_ACCESS_KEY=%s ./deploy.sh", "secret_key: %s"} {
		k := g.mixed(40)
		add("aws-secret-key", k, fmt.Sprintf(f, k))
	}
	for _, label := range []string{"RSA PRIVATE", "EC PRIVATE", "OPENSSH PRIVATE", "PRIVATE"} {
		k := g.pem(label, 4)
		add("private-key", k, "loaded signing key from env: "+k)
	}
	for _, iss := range []string{"https://auth.shop.example.com", "https://accounts.example.org", "order-service", "https://login.example.net/v2"} {
		t := g.jwt(`{"sub":"user-` + g.str(digits, 5) + `","iss":"` + iss + `","exp":1795000000}`)
		add("jwt", t, "2026-11-20T10:00:02Z WARN rejected token "+t+" for /api/orders")
	}
	for _, ns := range []string{"shop", "kube-system"} {
		t := g.jwt(`{"iss":"kubernetes/serviceaccount","kubernetes.io/serviceaccount/namespace":"` + ns +
			`","kubernetes.io/serviceaccount/service-account.name":"default","sub":"system:serviceaccount:` + ns + `:default"}`)
		add("kubernetes-token", t, "token="+t)
	}
	for _, f := range []string{"Authorization: Bearer %s", `{"headers":{"authorization":"Bearer %s"}}`,
		"curl -H 'Authorization: bearer %s' http://order:8080/healthz", "upstream request failed, auth=Bearer %s status=401"} {
		t := g.mixed(32)
		add("bearer-token", t, fmt.Sprintf(f, t))
	}
	for _, cred := range []string{"admin:" + g.mixed(12), "svc-order:" + g.mixed(16), "grafana:" + g.mixed(10)} {
		t := base64.StdEncoding.EncodeToString([]byte(cred))
		add("basic-auth", t, "GET /metrics Authorization: Basic "+t)
	}
	for _, f := range []string{"postgres://orders:%s@db.shop.svc:5432/orders?sslmode=require",
		"redis://default:%s@redis-master.cache:6379/0", "amqp://guest:%s@rabbitmq:5672/", "https://deploy:%s@git.example.com/shop/app.git"} {
		p := g.mixed(14)
		add("url-password", p, "connecting to "+fmt.Sprintf(f, p))
	}
	for _, f := range []string{`{"user":"orders","password":"%s"}`, "db_password=%s", "DB_PASS=%s", `client_secret: "%s"`,
		"level=error msg=\"login failed\" password=%s", `{"api_key":"%s","tier":"pro"}`, "X-Api-Key: %s", "session_token='%s'"} {
		p := g.mixed(18)
		add("secret-field", p, fmt.Sprintf(f, p))
	}
	for _, p := range []string{"gh" + "p_", "gh" + "o_", "gh" + "s_"} {
		t := p + g.mixed(36)
		add("github-token", t, "git clone https://x-access-token@github.com/shop/app.git using "+t)
	}
	pat := "github" + "_pat_" + g.mixed(22) + "_" + g.mixed(59)
	add("github-token", pat, "GITHUB_TOKEN set to "+pat)
	for _, p := range []string{"xo" + "xb-", "xo" + "xp-"} {
		t := p + g.str(digits, 12) + "-" + g.str(digits, 13) + "-" + g.mixed(24)
		add("slack-token", t, "slack notifier token "+t)
	}
	hook := "https://hooks.slack" + ".com/services/T" + g.str(upper+digits, 10) + "/B" + g.str(upper+digits, 10) + "/" + g.mixed(24)
	add("slack-webhook", hook, "posting alert to "+hook)
	for _, t := range []string{"sk-" + "proj-" + g.mixed(48) + "_" + g.mixed(20), "sk-" + g.mixed(20) + "T3Blbk" + "FJ" + g.mixed(20),
		"sk-" + "svcacct-" + g.mixed(40)} {
		add("openai-key", t, "openai: using api key "+t)
	}
	for range 2 {
		t := "sk-" + "ant-" + "api03-" + g.str(b64url, 93) + "AA"
		add("anthropic-key", t, `{"provider":"anthropic","key":"`+t+`"}`)
	}
	glc := "gl" + "c_" + base64.StdEncoding.EncodeToString([]byte(`{"o":"`+g.str(digits, 6)+`","n":"stack-`+g.str(digits, 6)+`-hm-read","k":"`+g.mixed(24)+`","m":{"r":"prod-us-east-0"}}`))
	add("grafana-token", glc, "GRAFANA_CLOUD_TOKEN="+glc)
	glsa := "gl" + "sa_" + g.mixed(32) + "_" + g.str(hexch, 8)
	add("grafana-token", glsa, "grafana client configured with "+glsa)
	legacy := base64.StdEncoding.EncodeToString([]byte(`{"k":"` + g.mixed(32) + `","n":"aiops","id":1}`))
	add("grafana-token", legacy, "api_key loaded: "+legacy)
	for _, f := range []string{"session established sid %s", "cache key %s rejected by upstream", "using credential blob %s"} {
		t := g.mixed(44)
		add("high-entropy-token", t, fmt.Sprintf(f, t))
	}
	gk := "AI" + "za" + g.str(alnum+"-_", 35)
	add("google-api-key", gk, "maps client key="+gk)
	sk := "sk" + "_live_" + g.mixed(24)
	add("stripe-key", sk, "charging card with "+sk)
	return out
}

// LookAlikes returns strings that resemble secrets but are not, and must
// come out of redaction byte for byte unchanged (with the default options:
// emails and IP addresses are kept).
func LookAlikes() []string {
	g := gen{rand.New(rand.NewPCG(20261120, 5))}
	uuid := func() string {
		h := g.str(hexch, 32)
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	}
	return []string{
		"request " + uuid() + " completed in 12ms",
		`{"trace_id":"` + g.str(hexch, 32) + `","span_id":"` + g.str(hexch, 16) + `"}`,
		"deployed commit " + g.str(hexch, 40) + " to production",
		"image registry.example.com/shop/order@sha256:" + g.str(hexch, 64),
		"pod order-service-7d9c5f8b6-x2x1q restarted",
		"payment-gateway-deployment-5c8d7f9b4-kq7zp is not ready",
		"token_count=1500 prompt_tokens=1200 completion_tokens=300",
		`{"max_tokens":4096,"model":"gpt-4o-mini"}`,
		"password reset email sent to the account owner",
		"invalid token: signature expired",
		"secretName: db-credentials",
		`{"secretRef":{"name":"order-db"},"passwordFile":"/etc/secrets/db"}`,
		"password=${DB_PASSWORD} is read from the environment",
		`{"password":"","user":"readonly"}`,
		"password_changed=true user=alice",
		"api_key_name=orders-prod",
		"token_expiry=3600s",
		"auth_method=oidc provider=dex",
		"authorization: required",
		"Bearer token missing in request",
		"Basic authentication failed for user bob",
		"GET http://order:8080/api/v1/orders/1234?expand=items",
		"ssh git@github.com:shop/app.git",
		"http://user@example.com/path has no password",
		"AKIA is the prefix of long-term AWS access key ids",
		"arn:aws:iam::123456789012:role/eks-node-group",
		"AWS_REGION=us-east-1 AWS_DEFAULT_OUTPUT=json",
		"s3://shop-invoices/2026/11/20/invoice-88231.pdf uploaded",
		"sk-learn model v1.4 loaded",
		"task-runner-3 picked job 42",
		"ghp_ prefix marks GitHub personal access tokens",
		"xoxb tokens are used by the slack notifier",
		"eyJ is how a base64 JSON object starts",
		"dGVzdA== is base64 for test",
		"com.example.shop.order.OrderServiceImplementationFactoryBean initialised",
		"java.lang.IllegalStateException: Connection pool exhausted",
		"/var/lib/kubelet/pods/" + uuid() + "/volumes/kubernetes.io~projected/kube-api-access-x7k2p",
		"kube-api-access-x7k2p mounted read-only",
		"secret/order-db referenced by envFrom",
		"Successfully pulled image \"registry.example.com/shop/order:1.42.0\" in 3.2s",
		"Back-off restarting failed container order in pod order-7d9c5-x2x1q_shop(" + uuid() + ")",
		"OOMKilled: container exceeded memory limit 128Mi",
		"readiness probe failed: Get \"http://10.0.3.17:8080/readyz\": context deadline exceeded",
		"connected to 10.0.0.12:5432 and fe80::1ff:fe23:4567:890a",
		"contact oncall@shop.example.com for access",
		"sha256 digest " + g.str(hexch, 64) + " verified",
		"checksum=" + g.str(hexch, 64),
		"cache hit ratio 0.93 over 10000 requests",
		"order ORD-2026-000123 shipped to warehouse WH-EU-2",
		"user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"the secret to fast startup is a warm cache",
		"tokenizer=o200k_base loaded",
		"level=info msg=\"rotating credentials\" next_rotation=2026-12-01T00:00:00Z",
		"sessionTimeout=30m cookieName=sid",
		"auth: ok",
		"x509: certificate signed by unknown authority",
		"GET /healthz 200 1.2ms",
	}
}
