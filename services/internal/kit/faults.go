package kit

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
)

// Faults are the incidents a service can be told to produce, so the plugin has
// something real to explain. They are set from FAULT_* environment variables
// at start and changed at run time through the guarded admin endpoint.
type Faults struct {
	// ErrorRate is the share of business requests answered with a 500.
	ErrorRate float64 `json:"errorRate"`
	// Latency is added to every business request.
	Latency Duration `json:"latency"`
	// LeakBytesPerRequest is memory retained per business request, forever:
	// the service grows until its memory limit kills it.
	LeakBytesPerRequest int64 `json:"leakBytesPerRequest"`
	// CPUBurnCores keeps this many cores busy in the background.
	CPUBurnCores float64 `json:"cpuBurnCores"`
	// LogFloodPerSecond writes this many noisy warning lines a second.
	LogFloodPerSecond int `json:"logFloodPerSecond"`
	// BrokenDependency names a dependency ("auth", "payment") whose address is
	// replaced by one where nothing listens.
	BrokenDependency string `json:"brokenDependency"`
}

// Startup faults only make sense before the server starts; they are read from
// the environment and cannot be changed at run time.
type StartupFaults struct {
	// CrashOnStart makes the service exit at start with a configuration error.
	CrashOnStart bool
	// SlowStart delays readiness and liveness: probes fail meanwhile.
	SlowStart time.Duration
}

// Duration is a time.Duration that reads and writes as "250ms" in JSON.
type Duration time.Duration

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a Go duration string or a number of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("latency: %w", err)
		}
		*d = Duration(v)
		return nil
	}
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return fmt.Errorf("latency: want a duration like \"250ms\": %w", err)
	}
	*d = Duration(time.Duration(ms * float64(time.Millisecond)))
	return nil
}

// Validate rejects settings that would hurt the host rather than the service.
func (f Faults) Validate() error {
	switch {
	case f.ErrorRate < 0 || f.ErrorRate > 1:
		return fmt.Errorf("errorRate must be between 0 and 1, got %v", f.ErrorRate)
	case f.Latency < 0 || time.Duration(f.Latency) > 2*time.Minute:
		return fmt.Errorf("latency must be between 0 and 2m, got %v", time.Duration(f.Latency))
	case f.LeakBytesPerRequest < 0 || f.LeakBytesPerRequest > 64<<20:
		return fmt.Errorf("leakBytesPerRequest must be between 0 and 64Mi, got %d", f.LeakBytesPerRequest)
	case f.CPUBurnCores < 0 || f.CPUBurnCores > 8:
		return fmt.Errorf("cpuBurnCores must be between 0 and 8, got %v", f.CPUBurnCores)
	case f.LogFloodPerSecond < 0 || f.LogFloodPerSecond > 100000:
		return fmt.Errorf("logFloodPerSecond must be between 0 and 100000, got %d", f.LogFloodPerSecond)
	}
	return nil
}

// FaultsFromEnv reads the FAULT_* variables. Unset variables mean no fault.
func FaultsFromEnv(getenv func(string) string) (Faults, StartupFaults, error) {
	var f Faults
	var s StartupFaults
	var err error
	parse := func(name string, set func(string) error) {
		if v := getenv(name); v != "" && err == nil {
			if e := set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, e)
			}
		}
	}
	parse("FAULT_ERROR_RATE", func(v string) (e error) { f.ErrorRate, e = strconv.ParseFloat(v, 64); return })
	parse("FAULT_LATENCY", func(v string) error {
		d, e := time.ParseDuration(v)
		f.Latency = Duration(d)
		return e
	})
	parse("FAULT_MEMORY_LEAK_BYTES_PER_REQUEST", func(v string) (e error) {
		f.LeakBytesPerRequest, e = strconv.ParseInt(v, 10, 64)
		return
	})
	parse("FAULT_CPU_BURN_CORES", func(v string) (e error) { f.CPUBurnCores, e = strconv.ParseFloat(v, 64); return })
	parse("FAULT_LOG_FLOOD_PER_SECOND", func(v string) (e error) { f.LogFloodPerSecond, e = strconv.Atoi(v); return })
	parse("FAULT_BROKEN_DEPENDENCY", func(v string) error { f.BrokenDependency = v; return nil })
	parse("FAULT_CRASH_ON_START", func(v string) (e error) { s.CrashOnStart, e = strconv.ParseBool(v); return })
	parse("FAULT_SLOW_START", func(v string) (e error) { s.SlowStart, e = time.ParseDuration(v); return })
	if err != nil {
		return Faults{}, StartupFaults{}, err
	}
	return f, s, f.Validate()
}

// faultState holds the current faults and what the leak fault has retained.
type faultState struct {
	mu      sync.RWMutex
	current Faults
	leaked  [][]byte
}

func (s *faultState) get() Faults {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.current
}

func (s *faultState) set(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.current = f
}

// leak retains n bytes, touching every page so the memory is really resident.
func (s *faultState) leak(n int64) {
	if n <= 0 {
		return
	}
	buf := make([]byte, n)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	s.mu.Lock()
	s.leaked = append(s.leaked, buf)
	s.mu.Unlock()
}

// shouldFail draws whether this request fails under the error-rate fault.
func shouldFail(rate float64) bool { return rate > 0 && rand.Float64() < rate }
