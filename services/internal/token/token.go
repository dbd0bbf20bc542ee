// Package token signs and verifies the shop's session tokens. auth-service
// issues them; payment-service verifies them itself with the same key, so a
// charge needs a logged-in caller without a call back to auth-service.
package token

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MinKeyBytes is the shortest signing key accepted: HMAC-SHA256 gains nothing
// from more, and less is guessable.
const MinKeyBytes = 32

// maxTokenBytes bounds what Verify parses; real tokens are about 100 bytes.
const maxTokenBytes = 512

// KeyEnv is the variable that holds the signing key, from a Secret shared by
// every replica of auth-service and payment-service.
const KeyEnv = "AUTH_SIGNING_KEY"

// Signer signs and verifies tokens with one HMAC key.
type Signer struct{ key []byte }

// New returns a Signer for key, which must be at least MinKeyBytes long.
func New(key []byte) (*Signer, error) {
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("signing key is %d bytes, want at least %d", len(key), MinKeyBytes)
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

// FromEnv reads the signing key from AUTH_SIGNING_KEY. Outside dev mode a
// missing key is an error: a key made up per process differs between
// replicas, and a token from one replica would be refused by the others. In
// dev mode (one process per service) a random key is made and logged as such.
func FromEnv(getenv func(string) string, devMode bool, log *slog.Logger) (*Signer, error) {
	key := getenv(KeyEnv)
	if key != "" {
		return New([]byte(key))
	}
	if !devMode {
		return nil, fmt.Errorf("config: %s is required (a Secret shared by every replica); set SHOP_DEV_MODE=true to run without one", KeyEnv)
	}
	random := make([]byte, MinKeyBytes)
	if _, err := rand.Read(random); err != nil {
		return nil, fmt.Errorf("random signing key: %w", err)
	}
	log.Warn("dev mode: signing tokens with a random per-process key; other processes will refuse them", "env", KeyEnv)
	return New(random)
}

// Sign makes base64url("user|expiryUnix|nonce") + "." + base64url(HMAC).
func (s *Signer) Sign(user string, expires time.Time) string {
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	payload := user + "|" + strconv.FormatInt(expires.Unix(), 10) + "|" + base64.RawURLEncoding.EncodeToString(nonce)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(s.mac([]byte(payload)))
}

func (s *Signer) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(payload)
	return m.Sum(nil)
}

// Verify checks a token's signature and expiry at now and returns its user.
func (s *Signer) Verify(token string, now time.Time) (string, error) {
	if len(token) > maxTokenBytes {
		return "", errors.New("malformed token")
	}
	payloadB64, sigB64, ok := strings.Cut(token, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(payloadB64)
	sig, err2 := base64.RawURLEncoding.DecodeString(sigB64)
	if !ok || err1 != nil || err2 != nil {
		return "", errors.New("malformed token")
	}
	if !hmac.Equal(sig, s.mac(payload)) {
		return "", errors.New("invalid token signature")
	}
	parts := strings.Split(string(payload), "|")
	if len(parts) != 3 || parts[0] == "" {
		return "", errors.New("malformed token")
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || now.Unix() > exp {
		return "", errors.New("token expired")
	}
	return parts[0], nil
}

// Bearer returns the token of an "Authorization: Bearer" header.
func Bearer(r *http.Request) (string, error) {
	t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || t == "" || len(t) > maxTokenBytes {
		return "", errors.New("missing bearer token")
	}
	return t, nil
}
