package awsapi

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzDecodeError: any error answer gives a bounded, valid message and
// a code without namespace.
func FuzzDecodeError(f *testing.F) {
	f.Add(400, "", `{"__type":"com.amazonaws.logs#ThrottlingException","message":"Rate exceeded"}`)
	f.Add(403, "AccessDeniedException:http://x", `{"Message":"no"}`)
	f.Add(502, "", "<html>\xff</html>")
	f.Fuzz(func(t *testing.T, status int, header, body string) {
		h := http.Header{}
		h.Set("X-Amzn-ErrorType", header)
		e := DecodeError("Op", status, h, strings.NewReader(body))
		if e.Code == "" && http.StatusText(status) != "" {
			t.Fatalf("no code for %d %q %q", status, header, body)
		}
		if strings.ContainsAny(e.Code, "#") {
			t.Fatalf("code %q keeps its namespace", e.Code)
		}
		_ = e.Error()
	})
}
