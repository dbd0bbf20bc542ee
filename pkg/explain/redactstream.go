package explain

import (
	"strings"

	"github.com/cloudobs/aiops-app/pkg/redact"
)

// streamHoldback is how much of the streamed summary waits for what follows
// before it is shown: enough to hold a secret's prefix ("Bearer ",
// "password=") until its value arrives and the two are redacted together.
const streamHoldback = 64

// redactingStream passes the model's summary, as it is written, through
// the redactor before anyone sees it. The model can repeat what the prompt
// held; the prompt was redacted, but a model may also reassemble a secret
// from pieces, and the streamed text would otherwise skip the redaction the
// final explanation gets. Text is released up to a word boundary at least
// streamHoldback bytes before the end, once its redaction can no longer
// change; flush releases the rest.
type redactingStream struct {
	redactor *redact.Redactor
	emit     func(string)
	written  strings.Builder
	sent     string
}

func (s *redactingStream) write(piece string) {
	s.written.WriteString(piece)
	clean := s.redactor.String(s.written.String())
	cut := len(clean) - streamHoldback
	if cut <= len(s.sent) {
		return
	}
	cut = strings.LastIndexAny(clean[:cut], " \n\t")
	if cut < 0 {
		return
	}
	s.release(clean[:cut+1])
}

func (s *redactingStream) flush() {
	s.release(s.redactor.String(s.written.String()))
}

// release emits what clean adds to what was sent. When a later piece
// changed the redaction of text already shown (a secret longer than the
// holdback), the rest waits for the final explanation, which is redacted
// whole.
func (s *redactingStream) release(clean string) {
	if !strings.HasPrefix(clean, s.sent) || len(clean) == len(s.sent) {
		return
	}
	s.emit(clean[len(s.sent):])
	s.sent = clean
}
