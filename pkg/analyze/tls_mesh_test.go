package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// meshBundle is the alerted Deployment shop/order whose pods carry a mesh
// proxy container that logs the given lines.
func meshBundle(proxy string, lines ...string) *incident.Bundle {
	b := newBundle(orderPod("order-1", healthy()), orderPod("order-2", healthy()))
	stream := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: proxy}
	for i, l := range lines {
		for k := 0; k < 5; k++ {
			stream.Lines = append(stream.Lines, incident.LogLine{Time: at(time.Duration(i*5+k-120) * time.Second), Text: l})
		}
	}
	b.Logs = []incident.LogStream{stream}
	return b
}

func TestTLSMeshIdentity(t *testing.T) {
	cases := []struct {
		name   string
		proxy  string
		lines  []string
		entity incident.Entity
		words  []string
	}{
		{name: "linkerd proxies rejecting expired peer certificates blame the identity controller", proxy: "linkerd-proxy",
			lines: []string{`WARN outbound:proxy{addr=10.1.2.3:8080}:service{ns=billing name=ledger port=8080}: linkerd_reconnect: Failed to connect error=invalid peer certificate: Expired`,
				`WARN identity:controller{addr=linkerd-identity-headless.mesh-system.svc.cluster.local:8080}: linkerd_reconnect: Failed to connect error=invalid peer certificate: Expired`},
			entity: incident.Entity{Namespace: "mesh-system", Kind: incident.KindDeployment, Name: "linkerd-identity"},
			words:  []string{"expired", "trust anchor"}},
		{name: "istio sidecars with an untrusted root blame istiod in its default namespace", proxy: "istio-proxy",
			lines:  []string{`upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED`},
			entity: incident.Entity{Namespace: "istio-system", Kind: incident.KindDeployment, Name: "istiod"},
			words:  []string{"istiod"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := meshBundle(tt.proxy, tt.lines...)
			got := analyzeOne(tlsFailure{}, b)
			if len(got) == 0 {
				t.Fatal("want a finding, got none")
			}
			checkFinding(t, b, got[0], incident.CategoryTLSFailure, tt.entity, tt.words...)
		})
	}
}

// The same rustls wording from an application container names the peer,
// not a mesh: only proxies' own certificates come from the mesh identity.
func TestTLSRustlsOutsideMeshBlamesPeer(t *testing.T) {
	b := meshBundle("order", `error sending request for url (https://api.partner.example.com/v1/rates): invalid peer certificate: UnknownIssuer`)
	got := analyzeOne(tlsFailure{}, b)
	if len(got) == 0 {
		t.Fatal("want a finding, got none")
	}
	checkFinding(t, b, got[0], incident.CategoryTLSFailure, external("api.partner.example.com"), "authority")
}

// A driver that logs only the resolved address: the outside host the pods'
// ConfigMap names is the server whose certificate is not trusted.
func TestTLSUntrustedRootBlamesConfiguredHost(t *testing.T) {
	withConfig := func(hosts ...incident.ConfiguredHost) *incident.Bundle {
		c := healthy()
		c.EnvFrom = []string{"configmap/order-env"}
		b := newBundle(orderPod("order-1", c))
		b.ConfiguredHosts = hosts
		b.Logs = []incident.LogStream{{Namespace: "shop", Pod: "order-1", Container: "order"}}
		for k := range 5 {
			b.Logs[0].Lines = append(b.Logs[0].Lines,
				incident.LogLine{Time: at(time.Duration(k*10-120) * time.Second), Text: `Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.20.0.9:5432`},
				incident.LogLine{Time: at(time.Duration(k*10-119) * time.Second), Text: ` ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot`})
		}
		return b
	}
	db := incident.ConfiguredHost{Namespace: "shop", Source: "configmap/order-env", Key: "DB_HOST", Host: "orders.cluster-abc.eu-west-1.rds.amazonaws.com", Port: "5432"}
	cache := incident.ConfiguredHost{Namespace: "shop", Source: "configmap/order-env", Key: "CACHE_HOST", Host: "cache.example.net", Port: "6379"}
	other := incident.ConfiguredHost{Namespace: "shop", Source: "configmap/other-app", Key: "API_URL", Host: "api.example.org"}

	b := withConfig(db, cache, other)
	got := analyzeOne(tlsFailure{}, b)
	if len(got) == 0 {
		t.Fatal("want a finding, got none")
	}
	checkFinding(t, b, got[0], incident.CategoryTLSFailure, external(db.Host), "UntrustedRoot", "DB_HOST")

	// Two configured hosts on the logged port: no guess.
	twin := cache
	twin.Port, twin.Host = "5432", "replica.example.net"
	b = withConfig(db, twin)
	got = analyzeOne(tlsFailure{}, b)
	if len(got) == 0 {
		t.Fatal("want a finding, got none")
	}
	if got[0].Entity.Kind == incident.KindExternal && got[0].Entity.Name != "10.20.0.9" {
		t.Errorf("entity %s: two hosts share the port, neither should be named", got[0].Entity)
	}
}

// A gateway proxy that cannot load its own serving credential blames the
// gateway, not the mesh identity that signs workload certificates.
func TestTLSGatewayCredentialBlamesGateway(t *testing.T) {
	b := meshBundle("istio-proxy", `2026-11-20T00:00:03.1Z	warn	ads	SDS: failed to generate secret for kubernetes://shop-edge-cert: the certificate has expired (NotAfter: 2026-11-20T00:00:00Z)`)
	got := analyzeOne(tlsFailure{}, b)
	if len(got) == 0 {
		t.Fatal("want a finding, got none")
	}
	checkFinding(t, b, got[0], incident.CategoryTLSFailure, deployOrder, "shop-edge-cert", "expired")
	// A sidecar rejecting an expired workload certificate stays the mesh's.
	b = meshBundle("istio-proxy", `upstream connect error or disconnect/reset before headers. transport failure reason: TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED: certificate has expired`)
	got = analyzeOne(tlsFailure{}, b)
	if len(got) == 0 {
		t.Fatal("want a finding, got none")
	}
	checkFinding(t, b, got[0], incident.CategoryTLSFailure, incident.Entity{Namespace: "istio-system", Kind: incident.KindDeployment, Name: "istiod"})
}
