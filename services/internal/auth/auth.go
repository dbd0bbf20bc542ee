// Package auth is the auth-service's business logic: log in with a user name
// and password, receive a signed session token, verify it, log out.
package auth

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cloudobs/aiops-app/services/internal/kit"
	"github.com/cloudobs/aiops-app/services/internal/token"
)

// Config of the auth service.
type Config struct {
	// Users maps user names to passwords ("alice:pw,bob:pw" in AUTH_USERS).
	Users map[string]string
	// Signer signs session tokens with the key every replica shares.
	Signer   *token.Signer
	TokenTTL time.Duration
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
	if cfg.Signer == nil {
		return errors.New("auth: no token signer configured")
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
		kit.WriteJSON(w, http.StatusOK, map[string]any{"token": s.cfg.Signer.Sign(req.Username, expires), "expiresAt": expires.UTC()})
	})
	svc.Handle("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		tok, user, err := s.verify(r)
		if err != nil {
			kit.WriteError(w, http.StatusUnauthorized, err.Error())
			return
		}
		s.revoke(tok)
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

// verify checks the bearer token's signature, expiry and revocation.
func (s *server) verify(r *http.Request) (tok, user string, err error) {
	tok, err = token.Bearer(r)
	if err != nil {
		return "", "", err
	}
	user, err = s.cfg.Signer.Verify(tok, time.Now())
	if err != nil {
		return "", "", err
	}
	s.mu.Lock()
	_, revoked := s.revoked[tok]
	s.mu.Unlock()
	if revoked {
		return "", "", errors.New("token revoked")
	}
	return tok, user, nil
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
