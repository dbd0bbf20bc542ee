package analyze

import (
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// An in-cluster DNS name names the peer whatever a client's wording around
// it; a word followed by ".svc" inside a sentence is not taken for one.
func TestPeerOfInClusterName(t *testing.T) {
	b := &incident.Bundle{}
	for line, want := range map[string]string{
		`failed to connect: tcp connect (queue.broker.svc.cluster.local:5672): connection refused`: "queue.broker.svc.cluster.local",
		`pool error [cache.shared.svc:6379] refused`:                                               "cache.shared.svc",
	} {
		p, ok := peerOf(b, line)
		if !ok || p.host != want {
			t.Errorf("peerOf(%q) = %+v, %v; want %s", line, p, ok, want)
		}
	}
	if p, ok := peerOf(b, "refused while reading the config"); ok {
		t.Errorf("a line naming no host gave %+v", p)
	}
}
