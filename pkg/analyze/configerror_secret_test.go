package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Frameworks refusing to serve without a key name it on every request, in
// running pods that never restart: that alone is a configuration error.
func TestConfigErrorMissingFrameworkSecret(t *testing.T) {
	cases := []struct{ name, line, word string }{
		{"laravel without APP_KEY", `[2026-11-20 09:58:02] production.ERROR: No application encryption key has been specified. {"exception":"[object] (Illuminate\\Encryption\\MissingAppKeyException(code: 0)"}`, "encryption key"},
		{"rails without secret_key_base", "ArgumentError: Missing `secret_key_base` for 'production' environment, set this string with `bin/rails credentials:edit`", "secret_key_base"},
		{"django with an empty SECRET_KEY", `django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.`, "SECRET_KEY"},
		{"flask without a secret key", `RuntimeError: The session is unavailable because no secret key was set.  Set the secret_key on the application to something unique and secret.`, "secret key"},
		{"asp.net with an empty connection string", `System.InvalidOperationException: The ConnectionString property has not been initialized.`, "ConnectionString"},
		{"node jwt without a secret", `Error: secretOrPrivateKey must have a value`, "secretOrPrivateKey"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := newBundle(orderPod("order-1", healthy()), orderPod("order-2", healthy()))
			stream := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: "order"}
			for k := range 6 {
				stream.Lines = append(stream.Lines, incident.LogLine{Time: at(time.Duration(k*20-180) * time.Second), Text: tt.line})
			}
			b.Logs = []incident.LogStream{stream}
			got := analyzeOne(configError{}, b)
			if len(got) == 0 {
				t.Fatal("want a finding, got none")
			}
			checkFinding(t, b, got[0], incident.CategoryConfigError, deployOrder, tt.word, "empty or malformed")
			if got[0].Confidence < 0.7 {
				t.Errorf("confidence %.2f: a framework naming its missing key should explain the alert", got[0].Confidence)
			}
		})
	}
}

// One such line is not enough: a single request may have hit a stale worker.
func TestConfigErrorMissingSecretOnceStaysWeak(t *testing.T) {
	b := newBundle(orderPod("order-1", healthy()))
	b.Logs = []incident.LogStream{{Namespace: "shop", Pod: "order-1", Container: "order",
		Lines: []incident.LogLine{{Time: at(-time.Minute), Text: `Error: secretOrPrivateKey must have a value`}}}}
	got := analyzeOne(configError{}, b)
	if len(got) == 0 {
		t.Fatal("want a finding, got none")
	}
	if got[0].Confidence >= 0.7 {
		t.Errorf("confidence %.2f from one line", got[0].Confidence)
	}
}
