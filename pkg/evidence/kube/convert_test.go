package kube

import (
	"encoding/json"
	"testing"
)

// A node's cloud region comes from its well-known topology label.
func TestNodeRegion(t *testing.T) {
	var n node
	if err := json.Unmarshal([]byte(`{"metadata": {"name": "n1", "labels": {"topology.kubernetes.io/region": "eu-north-1"}}}`), &n); err != nil {
		t.Fatal(err)
	}
	if got := nodeState(&n).Region; got != "eu-north-1" {
		t.Errorf("region = %q, want eu-north-1", got)
	}
}
