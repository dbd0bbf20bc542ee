package token

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestVerify(t *testing.T) {
	s, err := New(testKey)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := New([]byte(strings.Repeat("k", MinKeyBytes)))
	now := time.Unix(1_700_000_000, 0)
	good := s.Sign("alice", now.Add(time.Hour))
	for _, tc := range []struct {
		name, token string
		at          time.Time
		user, err   string
	}{
		{"valid", good, now, "alice", ""},
		{"expired", good, now.Add(2 * time.Hour), "", "expired"},
		{"other key", other.Sign("alice", now.Add(time.Hour)), now, "", "signature"},
		{"tampered", "x" + good[1:], now, "", ""},
		{"no dot", "abc", now, "", "malformed"},
		{"too long", strings.Repeat("a", maxTokenBytes+1), now, "", "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			user, err := s.Verify(tc.token, tc.at)
			if tc.user != "" {
				if err != nil || user != tc.user {
					t.Fatalf("got %q, %v; want %q", user, err, tc.user)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %q, %v; want an error containing %q", user, err, tc.err)
			}
		})
	}
}

func TestFromEnv(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name string
		key  string
		dev  bool
		ok   bool
	}{
		{"shared key", string(testKey), false, true},
		{"missing outside dev mode", "", false, false},
		{"missing in dev mode", "", true, true},
		{"too short", "short", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromEnv(func(string) string { return tc.key }, tc.dev, log)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// Two replicas given the same key accept each other's tokens: the bug of one
// random key per pod was that they did not.
func TestReplicasShareTokens(t *testing.T) {
	get := func(string) string { return string(testKey) }
	a, _ := FromEnv(get, false, nil)
	b, _ := FromEnv(get, false, nil)
	if _, err := b.Verify(a.Sign("bob", time.Now().Add(time.Minute)), time.Now()); err != nil {
		t.Fatal(err)
	}
}

func FuzzVerify(f *testing.F) {
	s, _ := New(testKey)
	f.Add(s.Sign("alice", time.Unix(2_000_000_000, 0)))
	f.Add("a.b")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		user, err := s.Verify(tok, time.Unix(1_700_000_000, 0))
		if err == nil && (user == "" || strings.Contains(user, "|")) {
			t.Fatalf("accepted %q as user %q", tok, user)
		}
	})
}
