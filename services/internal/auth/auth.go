// Package auth is the auth-service's business logic: log in with a user name
// and password, receive a signed session token, verify it, log out.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cloudobs/aiops-app/services/internal/kit"
)

// Config of the auth service.
type Config struct {
	// Users maps user names to passwords ("alice:pw,bob:pw" in AUTH_USERS).
	Users map[string]string
	// SigningKey signs session tokens; a random one is made when empty.
	SigningKey []byte
	TokenTTL   time.Duration
}

// maxRevoked bounds the logout list; the oldest entries expire anyway.
const maxRevoked = 100000

// ParseUsers reads "name:password,name:password".
func ParseUsers(s string) (map[string]string, error) {
	users := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		name, pw, ok := strings.Cut(pair, ":")
		if !ok || name == "" || pw == "" {
			return nil, fmt.Errorf("AUTH_USERS entry %q: want name:password", name)
		}
		users[name] = pw
	}
	if len(users) == 0 {
		return nil, errors.New("AUTH_USERS names no user")
	}
	return users, nil
}

type server struct {
	svc     *kit.Service
	cfg     Config
	mu      sync.Mutex
	revoked map[string]time.Time
}

// Register adds /login, /logout and /verify to the service.
func Register(svc *kit.Service, cfg Config) error {
	if len(cfg.Users) == 0 {
		return errors.New("auth: no users configured")
	}
	if len(cfg.SigningKey) == 0 {
		cfg.SigningKey = make([]byte, 32)
		if _, err := rand.Read(cfg.SigningKey); err != nil {
			return fmt.Errorf("auth: signing key: %w", err)
		}
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = time.Hour
	}
	s := &server{svc: svc, cfg: cfg, revoked: map[string]time.Time{}}
	logins := svc.Counter("auth_logins_total", "Login attempts by outcome.", "outcome")
	svc.Handle("POST /login", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Username string `json:"username"`
			Password string `json:"password"`
		}
		if err := kit.DecodeJSON(w, r, &req); err != nil {
			kit.WriteError(w, http.StatusBadRequest, err.Error())
			return
		}
		want, ok := s.cfg.Users[req.Username]
		if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(req.Password)) != 1 {
			logins.WithLabelValues("denied").Inc()
			svc.Log.WarnContext(r.Context(), "login denied", "user", req.Username)
			kit.WriteError(w, http.StatusUnauthorized, "wrong user name or password")
			return
		}
		logins.WithLabelValues("ok").Inc()
		expires := time.Now().Add(s.cfg.TokenTTL)
		kit.WriteJSON(w, http.StatusOK, map[string]any{"token": s.sign(req.Username, expires), "expiresAt": expires.UTC()})
	})
	svc.Handle("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		token, user, err := s.verify(r)
		if err != nil {
			kit.WriteError(w, http.StatusUnauthorized, err.Error())
			return
		}
		s.revoke(token)
		svc.Log.InfoContext(r.Context(), "logged out", "user", user)
		w.WriteHeader(http.StatusNoContent)
	})
	svc.Handle("GET /verify", func(w http.ResponseWriter, r *http.Request) {
		_, user, err := s.verify(r)
		if err != nil {
			kit.WriteError(w, http.StatusUnauthorized, err.Error())
			return
		}
		kit.WriteJSON(w, http.StatusOK, map[string]string{"user": user})
	})
	return nil
}

// sign makes "user|expiryUnix|nonce" + "." + HMAC, base64url encoded.
func (s *server) sign(user string, expires time.Time) string {
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	payload := user + "|" + strconv.FormatInt(expires.Unix(), 10) + "|" + base64.RawURLEncoding.EncodeToString(nonce)
	mac := hmac.New(sha256.New, s.cfg.SigningKey)
	mac.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// verify checks the bearer token's signature, expiry and revocation.
func (s *server) verify(r *http.Request) (token, user string, err error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || len(token) > 512 {
		return "", "", errors.New("missing bearer token")
	}
	payloadB64, sigB64, ok := strings.Cut(token, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(payloadB64)
	sig, err2 := base64.RawURLEncoding.DecodeString(sigB64)
	if !ok || err1 != nil || err2 != nil {
		return "", "", errors.New("malformed token")
	}
	mac := hmac.New(sha256.New, s.cfg.SigningKey)
	mac.Write(payload)
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return "", "", errors.New("invalid token signature")
	}
	parts := strings.Split(string(payload), "|")
	if len(parts) != 3 {
		return "", "", errors.New("malformed token")
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || time.Now().Unix() > exp {
		return "", "", errors.New("token expired")
	}
	s.mu.Lock()
	_, revoked := s.revoked[token]
	s.mu.Unlock()
	if revoked {
		return "", "", errors.New("token revoked")
	}
	return token, parts[0], nil
}

func (s *server) revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if len(s.revoked) >= maxRevoked {
		for t, at := range s.revoked {
			if now.Sub(at) > s.cfg.TokenTTL {
				delete(s.revoked, t)
			}
		}
	}
	if len(s.revoked) < maxRevoked {
		s.revoked[token] = now
	}
}
