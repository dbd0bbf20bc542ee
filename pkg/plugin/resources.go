package plugin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
)

// maxRequestBody bounds every resource request body; handlers that need less
// can wrap r.Body again.
const maxRequestBody = 1 << 20

// apiHandler is a resource handler that returns its error instead of writing
// it, so that every failure goes through writeError and the one envelope.
type apiHandler func(w http.ResponseWriter, r *http.Request) error

// StatusError carries the HTTP status and the user-facing message of a
// failure. Handlers return it for errors the caller can act on.
type StatusError struct {
	Status  int
	Message string
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter time.Duration
	Err        error
}

func (e *StatusError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *StatusError) Unwrap() error { return e.Err }

// Errorf returns a StatusError with a formatted message.
func Errorf(status int, format string, args ...any) error {
	return &StatusError{Status: status, Message: fmt.Sprintf(format, args...)}
}

// errSettings marks requests refused because the app settings are invalid.
var errSettings = errors.New("the app settings are invalid; fix them on the app's Configuration page")

// statusOf maps an error to the HTTP status and the message the caller sees.
// It is the only place that does so. Unknown errors become 500 with a generic
// message: their text may hold internals and is logged instead.
func statusOf(err error) (int, string) {
	var se *StatusError
	var ee *engine.Error
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		return se.Status, se.Message
	case errors.As(err, &ee):
		return engineStatus[ee.Code], ee.Message
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit)
	case errors.Is(err, errSettings):
		return http.StatusServiceUnavailable, err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, "the request took too long; try again or check the dependencies on the Configuration page"
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "the request was cancelled"
	default:
		return http.StatusInternalServerError, "internal error; the Grafana server log has the details"
	}
}

// engineStatus is the HTTP status of each engine error code.
var engineStatus = map[engine.Code]int{
	engine.Invalid:     http.StatusBadRequest,
	engine.Unavailable: http.StatusServiceUnavailable,
	engine.Refused:     http.StatusTooManyRequests,
}

// retryAfter is how long the caller should wait before asking again, if the
// error says.
func retryAfter(err error) time.Duration {
	var se *StatusError
	var ee *engine.Error
	switch {
	case errors.As(err, &se):
		return se.RetryAfter
	case errors.As(err, &ee):
		return ee.RetryAfter
	}
	return 0
}

// errorEnvelope is the JSON body of every failed resource call.
type errorEnvelope struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Status    int    `json:"status"`
	Message   string `json:"message"`
	RequestID string `json:"requestId"`
}

type requestIDKey struct{}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// api wraps a handler with what every route needs: a request id, a non-nil
// bounded body (the SDK's httpadapter passes a nil Body when there is none),
// and the error envelope.
func (a *App) api(h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		if r.Body == nil {
			r.Body = http.NoBody
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.writeError(w, r, fmt.Errorf("panic in %s %s: %v", r.Method, r.URL.Path, p))
			}
		}()
		if err := h(w, r); err != nil {
			a.writeError(w, r, err)
		}
	})
}

func (a *App) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := statusOf(err)
	id, _ := r.Context().Value(requestIDKey{}).(string)
	if wait := retryAfter(err); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	}
	if status >= http.StatusInternalServerError {
		a.logger.Error("Resource call failed", "method", r.Method, "path", r.URL.Path, "status", status, "requestId", id, "error", err)
	}
	writeJSON(w, status, errorEnvelope{Error: errorBody{Status: status, Message: msg, RequestID: id}})
}

// writeJSON writes v as the response. Encoding errors after the header is
// sent cannot be reported to the caller any more.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// notFound answers requests no route matched: 405 with the allowed methods
// when the path exists under another method, 404 otherwise.
func notFound(mux *http.ServeMux) apiHandler {
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	return func(w http.ResponseWriter, r *http.Request) error {
		var allowed []string
		for _, m := range methods {
			probe, err := http.NewRequestWithContext(r.Context(), m, r.URL.String(), nil)
			if err != nil {
				continue
			}
			if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "" {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) > 0 && !slices.Contains(allowed, r.Method) {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			return Errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allowed, " or "))
		}
		return Errorf(http.StatusNotFound, "no resource %s %s", r.Method, r.URL.Path)
	}
}

// settingsView is the settings as the config page may see them: secrets only
// as "set or not".
type settingsView struct {
	Settings         config.Settings `json:"settings"`
	SecureJSONFields map[string]bool `json:"secureJsonFields"`
	Valid            bool            `json:"valid"`
	Problems         []string        `json:"problems,omitempty"`
}

func (a *App) getSettings(w http.ResponseWriter, _ *http.Request) error {
	view := settingsView{Settings: a.settings, SecureJSONFields: a.settings.SecretsSet(), Valid: a.settingsErr == nil}
	if a.settingsErr != nil {
		view.Problems = strings.Split(a.settingsErr.Error(), "\n")
	}
	writeJSON(w, http.StatusOK, view)
	return nil
}

// clip shortens outside text quoted in an error message or a log line.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
