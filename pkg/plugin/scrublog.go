package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/cloudobs/aiops-app/pkg/redact"
)

// scrubbingLogger redacts every message and every string or error argument
// before the line reaches Grafana's log: the configured secrets by value and
// the secret catalogue by shape. Errors from upstreams are the risk: one
// that quotes the credentials it was sent would otherwise be logged as is.
type scrubbingLogger struct {
	next log.Logger
	r    *redact.Redactor
}

func (l scrubbingLogger) args(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = l.r.String(v)
		case error:
			out[i] = l.r.String(v.Error())
		default:
			out[i] = a
		}
	}
	return out
}

func (l scrubbingLogger) Debug(msg string, args ...any) {
	l.next.Debug(l.r.String(msg), l.args(args)...)
}
func (l scrubbingLogger) Info(msg string, args ...any) { l.next.Info(l.r.String(msg), l.args(args)...) }
func (l scrubbingLogger) Warn(msg string, args ...any) { l.next.Warn(l.r.String(msg), l.args(args)...) }
func (l scrubbingLogger) Error(msg string, args ...any) {
	l.next.Error(l.r.String(msg), l.args(args)...)
}
func (l scrubbingLogger) Level() log.Level { return l.next.Level() }

func (l scrubbingLogger) With(args ...any) log.Logger {
	return scrubbingLogger{next: l.next.With(l.args(args)...), r: l.r}
}

func (l scrubbingLogger) FromContext(ctx context.Context) log.Logger {
	return scrubbingLogger{next: l.next.FromContext(ctx), r: l.r}
}
