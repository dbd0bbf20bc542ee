package kit

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// maxBodyBytes bounds every request body the services read.
const maxBodyBytes = 64 << 10

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// instrument records RED metrics and logs failed requests.
func (s *Service) instrument(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.metrics.inFlight.Inc()
		defer s.metrics.inFlight.Dec()
		began := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		elapsed := time.Since(began)
		s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
		s.metrics.duration.WithLabelValues(route, r.Method).Observe(elapsed.Seconds())
		if rec.status >= 500 {
			s.Log.ErrorContext(r.Context(), "request failed", "route", route, "method", r.Method,
				"status", rec.status, "duration_ms", elapsed.Milliseconds())
		}
	})
}

// injectFaults applies the request-time faults before the business handler.
func (s *Service) injectFaults(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f := s.faults.get()
		if f.Latency > 0 {
			select {
			case <-time.After(time.Duration(f.Latency)):
			case <-r.Context().Done():
				return
			}
		}
		s.faults.leak(f.LeakBytesPerRequest)
		if shouldFail(f.ErrorRate) {
			s.Log.ErrorContext(r.Context(), "internal error while handling request",
				"error", "injected fault: simulated handler failure", "path", r.URL.Path)
			WriteError(w, http.StatusInternalServerError, "internal error")
			return
		}
		next(w, r)
	}
}

// backgroundFaults runs the CPU-burn and log-flood faults until ctx ends. It
// re-reads the faults every second so the admin endpoint takes effect.
func (s *Service) backgroundFaults(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		f := s.faults.get()
		if f.CPUBurnCores > 0 {
			burn(ctx, f.CPUBurnCores, time.Second)
		}
		for i := 0; i < f.LogFloodPerSecond; i++ {
			s.Log.WarnContext(ctx, "cache miss, falling back to slow path", "key", fmt.Sprintf("item-%d", i%977))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// burn keeps `cores` cores busy for d by spinning and sleeping in 10 ms slices.
func burn(ctx context.Context, cores float64, d time.Duration) {
	whole := int(cores)
	frac := cores - float64(whole)
	done := make(chan struct{})
	spin := func(share float64) {
		defer func() { done <- struct{}{} }()
		end := time.Now().Add(d)
		for time.Now().Before(end) && ctx.Err() == nil {
			sliceEnd := time.Now().Add(time.Duration(share * float64(10*time.Millisecond)))
			for time.Now().Before(sliceEnd) {
			}
			time.Sleep(time.Duration((1 - share) * float64(10*time.Millisecond)))
		}
	}
	n := whole
	for i := 0; i < whole; i++ {
		go spin(1)
	}
	if frac > 0 {
		n++
		go spin(frac)
	}
	for i := 0; i < n; i++ {
		<-done
	}
}

func (s *Service) authorizedAdmin(w http.ResponseWriter, r *http.Request) bool {
	if s.adminToken == "" {
		WriteError(w, http.StatusNotFound, "admin endpoint disabled: set ADMIN_TOKEN to enable it")
		return false
	}
	want := "Bearer " + s.adminToken
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(want)) != 1 {
		WriteError(w, http.StatusUnauthorized, "missing or wrong admin token")
		return false
	}
	return true
}

func (s *Service) adminGet(w http.ResponseWriter, r *http.Request) {
	if s.authorizedAdmin(w, r) {
		writeJSON(w, http.StatusOK, s.faults.get())
	}
}

func (s *Service) adminPut(w http.ResponseWriter, r *http.Request) {
	if !s.authorizedAdmin(w, r) {
		return
	}
	var f Faults
	if err := DecodeJSON(w, r, &f); err != nil {
		WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := f.Validate(); err != nil {
		WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.faults.set(f)
	s.Log.WarnContext(r.Context(), "faults changed through the admin endpoint", "faults", f)
	writeJSON(w, http.StatusOK, f)
}

// DecodeJSON reads a bounded JSON body into v, rejecting unknown fields.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if r.Body == nil {
		return errors.New("request body is required")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("request body is required")
		}
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	return nil
}

// WriteJSON answers with a JSON body.
func WriteJSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, v) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// WriteError answers with {"error": msg}.
func WriteError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// HealthCheck is a readiness check that GETs url + "/healthz".
func (s *Service) HealthCheck(name string, baseURL func() string) Check {
	client := s.Client()
	return Check{Name: name, Fn: func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL()+"/healthz", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s answered %s", name, resp.Status)
		}
		return nil
	}}
}
