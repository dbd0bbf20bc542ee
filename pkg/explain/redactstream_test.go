package explain

import (
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/redact"
)

func TestStreamedSummaryIsRedactedAcrossPieces(t *testing.T) {
	const key = "sk-proj-Q7vX2mN9pL4kR8sT1wY6zA3bC5dE0fG"
	summary := "The order service fails because its config sets api_key=" + key +
		" and the upstream answers 401 with Authorization: Bearer " + key + " on every call to payments."
	r := redact.New(redact.Options{})
	if strings.Contains(r.String(summary), key[:12]) {
		t.Fatal("the redactor does not know this key shape; the test proves nothing")
	}
	for _, size := range []int{1, 3, 7, 16, 200} {
		var shown strings.Builder
		s := &redactingStream{redactor: r, emit: func(p string) { shown.WriteString(p) }}
		for i := 0; i < len(summary); i += size {
			s.write(summary[i:min(i+size, len(summary))])
			if strings.Contains(shown.String(), key[:12]) {
				t.Fatalf("pieces of %d bytes: a secret was shown mid-stream: %q", size, shown.String())
			}
		}
		s.flush()
		if got, want := shown.String(), r.String(summary); got != want {
			t.Errorf("pieces of %d bytes: shown %q, want the redacted summary %q", size, got, want)
		}
	}
}
