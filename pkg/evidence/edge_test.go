package evidence

import (
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestProbesURL(t *testing.T) {
	cases := map[string]bool{
		"https://shop.example.org/healthz": true,
		"http://10.0.0.7:8080/ready":       true,
		"10.0.0.7:9100":                    false,
		"tcp://db.example.org:5432":        false,
		"":                                 false,
	}
	for instance, want := range cases {
		if got := probesURL(incident.Alert{Labels: map[string]string{"instance": instance}}); got != want {
			t.Errorf("%q: got %v, want %v", instance, got, want)
		}
	}
}
