package redact

import (
	"encoding/base64"
	"net/netip"
	"regexp"
	"strings"
)

// rule finds one kind of secret. Rules run in table order, so the specific
// formats (a GitHub token, a JWT) claim their text before the generic ones
// (a field named like a secret, a high-entropy word) see it.
type rule struct {
	// kind is the placeholder type: [REDACTED:<kind>].
	kind string
	// keywords are lower-case strings one of which must occur in the text
	// for the rule to run at all: a cheap filter before the regexp.
	keywords []string
	re       *regexp.Regexp
	// group is the submatch that holds the secret (0: the whole match).
	group int
	// valid, when set, rejects a match that only looks like a secret; it
	// receives all submatches.
	valid func(m []string) bool
	// kindOf, when set, refines the kind from the secret itself.
	kindOf func(secret string) string
}

// secretRules is the curated catalogue. Patterns follow the published token
// formats of each vendor; see docs/logs-and-redaction.md.
var secretRules = []rule{
	{
		kind:     "private-key",
		keywords: []string{"private key"},
		re:       regexp.MustCompile(`-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|\z)`),
	},
	{
		kind:     "aws-access-key",
		keywords: []string{"akia", "asia", "abia", "acca", "a3t"},
		re:       regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b`),
	},
	{
		kind:     "aws-secret-key",
		keywords: []string{"aws", "secret"},
		re:       regexp.MustCompile(`(?i)(?:aws|secret)[\w.\-]{0,40}\\?["']?\s*[:=]\s*\\?["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|\z)`),
		group:    1,
		valid:    func(m []string) bool { return hasDigit(m[1]) && hasUpper(m[1]) && hasLower(m[1]) },
	},
	{
		kind:     "github-token",
		keywords: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"},
		re:       regexp.MustCompile(`\b(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b`),
	},
	{
		kind:     "slack-webhook",
		keywords: []string{"hooks.slack.com"},
		re:       regexp.MustCompile(`https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_\-]{20,}`),
	},
	{
		kind:     "slack-token",
		keywords: []string{"xox", "xapp-"},
		re:       regexp.MustCompile(`\b(?:xox[abposre]-[A-Za-z0-9\-]{10,}|xapp-\d-[A-Za-z0-9\-]{10,})`),
		valid:    func(m []string) bool { return hasDigit(m[0]) },
	},
	{
		kind:     "anthropic-key",
		keywords: []string{"sk-ant-"},
		re:       regexp.MustCompile(`\bsk-ant-[a-z]{2,8}\d{2}-[A-Za-z0-9_\-]{20,}`),
	},
	{
		kind:     "openai-key",
		keywords: []string{"sk-"},
		re:       regexp.MustCompile(`\bsk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_\-]{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{32,})`),
		valid:    func(m []string) bool { return hasDigit(m[0]) },
	},
	{
		kind:     "grafana-token",
		keywords: []string{"glc_", "glsa_", "eyjrijoi"},
		re:       regexp.MustCompile(`\b(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9+/]{40,}={0,2})`),
	},
	{
		kind:     "jwt",
		keywords: []string{"eyj"},
		re:       regexp.MustCompile(`\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*`),
		kindOf:   jwtKind,
	},
	{
		kind:     "google-api-key",
		keywords: []string{"aiza"},
		re:       regexp.MustCompile(`\bAIza[0-9A-Za-z_\-]{35}\b`),
	},
	{
		kind:     "stripe-key",
		keywords: []string{"k_live_", "k_test_"},
		re:       regexp.MustCompile(`\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}\b`),
	},
	{
		kind:     "url-password",
		keywords: []string{"://"},
		re:       regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9+.\-]{0,20}://[^\s:/@"'<>]{0,128}:([^\s@/"'<>]{1,256})@`),
		group:    1,
		valid:    func(m []string) bool { return !isPlaceholder(m[1]) },
	},
	{
		kind:     "bearer-token",
		keywords: []string{"bearer"},
		re:       regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{16,}=*)`),
		group:    1,
		valid:    func(m []string) bool { return looksRandom(m[1]) },
	},
	{
		kind:     "basic-auth",
		keywords: []string{"basic"},
		re:       regexp.MustCompile(`(?i)\bbasic\s+([A-Za-z0-9+/]{6,}={0,2})`),
		group:    1,
		valid:    func(m []string) bool { return decodesToCredentials(m[1]) },
	},
	{
		kind: "secret-field",
		keywords: []string{"pass", "pwd", "secret", "token", "key", "credential", "auth", "session",
			"cookie", "signature"},
		re:    regexp.MustCompile(`(?i)(\\?["']?)([A-Za-z0-9_.\-]*(?:password|passwd|pass|pwd|secret|token|api[_\-]?key|access[_\-]?key|private[_\-]?key|credentials?|auth|session|cookie|signature|passphrase)[A-Za-z0-9_.\-]*)(\\?["']?)(\s*[:=]\s*)(\\"(?:[^"\\]|\\[^"])*\\"|"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;&}\]"'\\]+)`),
		group: 5,
		valid: validSecretField,
	},
}

// optionalRules mask personal data when Options ask for it.
var (
	emailRule = rule{
		kind:     "email",
		keywords: []string{"@"},
		re:       regexp.MustCompile(`\b[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})*\.[A-Za-z]{2,24}\b`),
	}
	ipRule = rule{
		kind:  "ip",
		re:    regexp.MustCompile(`(?i)\b(?:\d{1,3}\.){3}\d{1,3}\b|(?:\b[0-9a-f]{1,4}|:):(?:[0-9a-f]{0,4}:){0,6}[0-9a-f]{0,4}\b`),
		valid: func(m []string) bool { a, err := netip.ParseAddr(m[0]); return err == nil && !a.IsUnspecified() },
	}
)

// nonSecretKeySuffixes end field names that are about a secret rather than
// the secret itself (max_tokens, secretName, token_expiry, author...).
var nonSecretKeySuffixes = []string{
	"count", "length", "len", "size", "name", "names", "file", "path", "ref", "type", "ttl",
	"expiry", "expires", "expiresin", "expiresat", "expiration", "max", "min", "limit", "timeout",
	"enabled", "required", "url", "uri", "endpoint", "provider", "method", "mode", "status",
	"version", "header", "policy", "scope", "scopes", "kind", "source", "format", "id", "ids",
	"used", "tokens", "author", "authors", "changed", "reset", "age", "at", "keyid",
	"rotation", "valid", "error", "errors", "strategy", "store", "manager", "mount",
}

// normKey lower-cases a field name and drops its separators, so that
// max_tokens, maxTokens and max-tokens compare alike.
func normKey(k string) string {
	b := make([]byte, 0, len(k))
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c == '_' || c == '-' || c == '.':
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func validSecretField(m []string) bool {
	norm := normKey(m[2])
	if strings.Contains(norm, "tokenizer") || strings.HasPrefix(norm, "author") {
		return false
	}
	if onlyPass(norm) {
		return false
	}
	for _, suf := range nonSecretKeySuffixes {
		if strings.HasSuffix(norm, suf) {
			return false
		}
	}
	value := unquote(m[5])
	if isPlaceholder(value) {
		return false
	}
	quoted := value != m[5] || m[1] != "" || m[3] != ""
	if !quoted && strings.TrimSpace(m[4]) == ":" {
		// Prose and YAML ("invalid token: expired") use a colon too; only
		// a value that looks generated is taken for a secret there.
		return len(value) >= 6 && (hasDigit(value) || hasSymbol(value)) || len(value) >= 16 && looksRandom(value)
	}
	return true
}

// onlyPass rejects keys whose only secret word is "pass" inside another
// word (bypass, passenger, passed); DB_PASS and redis_pass stay secrets.
func onlyPass(norm string) bool {
	for _, w := range []string{"password", "passwd", "pwd", "secret", "token", "apikey", "accesskey",
		"privatekey", "credential", "auth", "session", "cookie", "signature", "passphrase"} {
		if strings.Contains(norm, w) {
			return false
		}
	}
	return !strings.HasSuffix(norm, "pass") || strings.HasSuffix(norm, "bypass") || strings.HasSuffix(norm, "compass")
}

func unquote(v string) string {
	switch {
	case len(v) >= 4 && strings.HasPrefix(v, `\"`) && strings.HasSuffix(v, `\"`):
		return v[2 : len(v)-2]
	case len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0]:
		return v[1 : len(v)-1]
	}
	return v
}

// isPlaceholder reports values that are not secrets: empty, booleans, nulls,
// masks, template and environment references, earlier redactions.
func isPlaceholder(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || strings.Contains(v, "[REDACTED") {
		return true
	}
	switch strings.ToLower(v) {
	case "null", "nil", "none", "true", "false", "yes", "no", "redacted", "hidden", "masked",
		"undefined", "n/a", "-", "bearer", "basic", "required", "missing", "empty", "invalid", "expired", "set", "unset":
		return true
	}
	if strings.Trim(v, "*xX•.") == "" {
		return true
	}
	for _, p := range []string{"${", "{{", "$(", "<", "%s", "%v", "secretKeyRef", "valueFrom"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// looksRandom tells an opaque credential from a word: digits, or mixed case
// with enough entropy.
func looksRandom(s string) bool {
	if hasDigit(s) {
		return true
	}
	return len(s) >= 20 && hasUpper(s) && hasLower(s) && entropy(s) >= 3.5
}

func decodesToCredentials(s string) bool {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
		if err != nil {
			return false
		}
	}
	i := strings.IndexByte(string(raw), ':')
	if i <= 0 {
		return false
	}
	for _, c := range raw {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// jwtKind tells a Kubernetes service-account token from any other JWT by
// its claims.
func jwtKind(token string) string {
	parts := strings.SplitN(token, ".", 3)
	if len(parts) < 2 {
		return "jwt"
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "jwt"
	}
	p := string(payload)
	if strings.Contains(p, "kubernetes.io") || strings.Contains(p, "system:serviceaccount") ||
		strings.Contains(p, "kubernetes/serviceaccount") {
		return "kubernetes-token"
	}
	return "jwt"
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

func hasLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return true
		}
	}
	return false
}

func hasSymbol(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return true
		}
	}
	return false
}
