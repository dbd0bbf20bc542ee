package scenario

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
)

func TestZZDump(t *testing.T) {
	s, err := Load(os.Getenv("DUMP"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ServeKube(s)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	kc, err := kube.New(kube.Config{RESTConfig: srv.RESTConfig()})
	if err != nil {
		t.Fatal(err)
	}
	g := evidence.NewGatherer(evidence.Sources{Kube: kc}, evidence.Options{})
	b, err := g.Collect(context.Background(), s.Alert, s.Now)
	if err != nil {
		t.Fatal(err)
	}
	b.Logs = nil
	out, _ := json.MarshalIndent(b, "", " ")
	os.WriteFile("/tmp/trust2/dump.json", out, 0o644)
}
