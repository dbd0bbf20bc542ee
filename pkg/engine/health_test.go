package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/config"
)

func TestChecksSayWhatFails(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	s, err := config.ParseSettings([]byte(fmt.Sprintf(`{"loki":{"url":%q},"traces":{"backend":"jaeger","url":%q}}`, closed.URL, closed.URL)), nil)
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]error{}
	for _, c := range Open(s, Options{}).Checks() {
		_, results[c.Name] = c.Run(context.Background())
	}
	if results["llm"] != nil || !errors.Is(results["prometheus"], ErrNotConfigured) || !errors.Is(results["kubernetes"], ErrNotConfigured) {
		t.Errorf("results %v", results)
	}
	for _, name := range []string{"logs", "traces"} {
		err := results[name]
		if err == nil || errors.Is(err, ErrNotConfigured) || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !strings.Contains(results["logs"].Error(), "loki") {
		t.Errorf("the failing log source is not named: %v", results["logs"])
	}
}
