package llm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/cloudobs/aiops-app/pkg/httpauth"
	"github.com/cloudobs/aiops-app/pkg/netguard"
)

// maxResponseBytes bounds any body read from a provider: an answer is a few
// kilobytes, and a misbehaving endpoint must not exhaust memory.
const maxResponseBytes = 8 << 20

// errResponseTooLarge is returned when a provider's body exceeds the bound.
var errResponseTooLarge = fmt.Errorf("provider response larger than %d bytes", maxResponseBytes)

// transport bounds response bodies and records Retry-After for the guard;
// the configured headers are added beneath it by httpauth. SDKs that hide
// response headers from their errors (go-openai) are read through it.
type transport struct {
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		if rec, ok := req.Context().Value(responseMetaKey{}).(*responseMeta); ok {
			rec.set(resp.StatusCode, parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()))
		}
	}
	resp.Body = &boundedBody{rc: resp.Body, left: maxResponseBytes}
	return resp, nil
}

// responseMeta carries the last error response's status and Retry-After
// from the transport back to the backend that made the call.
type responseMeta struct {
	mu         sync.Mutex
	status     int
	retryAfter time.Duration
}

type responseMetaKey struct{}

func (m *responseMeta) set(status int, retryAfter time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.status, m.retryAfter = status, retryAfter
}

func (m *responseMeta) get() (int, time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.status, m.retryAfter
}

// withResponseMeta returns a context whose HTTP error responses are recorded
// in the returned responseMeta.
func withResponseMeta(ctx context.Context) (context.Context, *responseMeta) {
	m := &responseMeta{}
	return context.WithValue(ctx, responseMetaKey{}, m), m
}

// boundedBody fails reads past a byte budget instead of buffering without end.
type boundedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte tells a body of exactly the limit from a longer one.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, errResponseTooLarge
		}
		if err == nil {
			err = io.EOF
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *boundedBody) Close() error { return b.rc.Close() }

// newHTTPClient returns the client providers use: the base client's
// transport (or the default one, its dials checked by guard) wrapped by
// transport. Timeouts come from the retry guard's per-attempt context, not
// from the client.
func newHTTPClient(base *http.Client, guard netguard.Policy, headers map[string]string) *http.Client {
	var rt http.RoundTripper = guard.Transport()
	if base != nil && base.Transport != nil {
		rt = base.Transport
	}
	return &http.Client{Transport: &transport{base: httpauth.Transport(httpauth.Credentials{Headers: headers}, rt)}}
}

// truncateMessage bounds a provider's error text before it reaches logs and
// users.
func truncateMessage(s string) string {
	const limit = 300
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
