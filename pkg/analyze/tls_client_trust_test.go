package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// trustBundle is the alerted Deployment shop/order whose pod logs line, and,
// with others, a pod of another workload logging the same.
func trustBundle(line string, others bool) *incident.Bundle {
	pods := []incident.PodState{orderPod("order-1", healthy())}
	if others {
		p := orderPod("billing-1", healthy())
		p.Owner = incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "billing"}
		pods = append(pods, p)
	}
	b := newBundle(pods...)
	for _, p := range pods {
		s := incident.LogStream{Namespace: "shop", Pod: p.Name, Container: "order"}
		for k := range 5 {
			s.Lines = append(s.Lines, incident.LogLine{Time: at(time.Duration(k*10-120) * time.Second), Text: line})
		}
		b.Logs = append(b.Logs, s)
	}
	return b
}

func TestTLSClientTrust(t *testing.T) {
	client := incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"}
	server := external("api.settle.example.net")
	cases := []struct {
		name   string
		line   string
		others bool
		entity incident.Entity
		words  []string
	}{
		{name: "a JVM that cannot build a path to a trusted anchor blames its own truststore",
			line:   `org.springframework.web.client.ResourceAccessException: I/O error on POST request for "https://api.settle.example.net/v1/batches": PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target`,
			entity: client, words: []string{"truststore"}},
		{name: "librdkafka pointing at ssl.ca.location blames the client",
			line:   `%3|1765000000.123|FAIL|rdkafka#consumer-2| [thrd:ssl://api.settle.example.net:9093/bootstrap]: ssl://api.settle.example.net:9093/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate could not be verified, verify that ssl.ca.location is correctly configured or root CA certificates are installed`,
			entity: client, words: []string{"truststore", "authority"}},
		{name: "an unknown authority without the client's trust wording stays the server's",
			line:   `Post "https://api.settle.example.net/v1/batches": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
			entity: server},
		{name: "an expired certificate found by path validation is the server's",
			line:   `I/O error on POST request for "https://api.settle.example.net/v1/batches": PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed (NotAfter: Mon Dec 07 00:00:00 UTC 2026)`,
			entity: server, words: []string{"expired"}},
		{name: "several client workloads failing alike point back at the server",
			line:   `I/O error on POST request for "https://api.settle.example.net/v1/batches": PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target`,
			others: true, entity: server},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := trustBundle(tt.line, tt.others)
			got := analyzeOne(tlsFailure{}, b)
			if len(got) == 0 {
				t.Fatal("want a finding, got none")
			}
			checkFinding(t, b, got[0], incident.CategoryTLSFailure, tt.entity, tt.words...)
		})
	}
}
