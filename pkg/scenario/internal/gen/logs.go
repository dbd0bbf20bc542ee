package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Log record formatters for the styles real services use. kv are key/value
// pairs; values keep their JSON type.

func jsonObject(kv ...any) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			sb.WriteByte(',')
		}
		k, _ := json.Marshal(fmt.Sprint(kv[i]))
		v, _ := json.Marshal(kv[i+1])
		sb.Write(k)
		sb.WriteByte(':')
		sb.Write(v)
	}
	sb.WriteByte('}')
	return sb.String()
}

// slogJSON is Go's log/slog JSON handler.
func slogJSON(t time.Time, level, msg string, kv ...any) string {
	return jsonObject(append([]any{"time", t.UTC().Format("2006-01-02T15:04:05.000000000Z07:00"), "level", level, "msg", msg}, kv...)...)
}

// zapJSON is uber-go/zap's production encoder.
func zapJSON(t time.Time, level, caller, msg string, kv ...any) string {
	ts := float64(t.UnixNano()) / 1e9
	return jsonObject(append([]any{"level", level, "ts", ts, "caller", caller, "msg", msg}, kv...)...)
}

// logfmt is the key=value style of go-kit/logrus text output.
func logfmt(t time.Time, level, msg string, kv ...any) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "time=%s level=%s msg=%s", t.UTC().Format("2006-01-02T15:04:05.000Z"), level, quoteLogfmt(msg))
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&sb, " %v=%s", kv[i], quoteLogfmt(fmt.Sprint(kv[i+1])))
	}
	return sb.String()
}

func quoteLogfmt(s string) string {
	if s == "" || strings.ContainsAny(s, " =\"") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// pyLog is Python's logging with the common "%(asctime)s %(levelname)s [%(name)s] %(message)s".
func pyLog(t time.Time, level, logger, msg string) string {
	return fmt.Sprintf("%s,%03d %s [%s] %s", t.UTC().Format("2006-01-02 15:04:05"), t.Nanosecond()/1e6, level, logger, msg)
}

// springLog is Spring Boot's default console pattern.
func springLog(t time.Time, level, app, thread, logger, msg string) string {
	return fmt.Sprintf("%s %5s 1 --- [%s] [%15s] %-40s : %s", t.UTC().Format("2006-01-02T15:04:05.000Z"), level, app, thread, logger, msg)
}

// goLog is the standard library's log package.
func goLog(t time.Time, msg string) string {
	return t.UTC().Format("2006/01/02 15:04:05 ") + msg
}

// logHorizon bounds how far back periodic log lines are generated.
const logHorizon = 70 * time.Minute

// every calls f at a regular interval (with jitter) within the run.
func every(b *builder, r run, offset, interval time.Duration, emit func(time.Time, string), f func(t time.Time, i int) string) {
	end := r.end
	if end.IsZero() {
		end = b.now
	}
	i := 0
	t := r.start.Add(offset)
	// Only the last stretch of a long-running container is written: the
	// kubelet rotates container logs, and the incident is in that stretch.
	if horizon := b.now.Add(-logHorizon); t.Before(horizon) {
		t = horizon.Add(offset % interval)
	}
	for ; t.Before(end); t = t.Add(interval + b.jitter(interval/3)) {
		if line := f(t, i); line != "" {
			emit(t, line)
		}
		i++
	}
}

// after is a time relative to the run's start.
func after(r run, d time.Duration) time.Time { return r.start.Add(d) }

// before is a time relative to the run's end (or now for a running run).
func (b *builder) beforeEnd(r run, d time.Duration) time.Time {
	if r.end.IsZero() {
		return b.now.Add(-d)
	}
	return r.end.Add(-d)
}

func (b *builder) traceID() string { return b.hex(32) }
