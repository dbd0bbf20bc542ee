package analyze

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestExternalDNSSync(t *testing.T) {
	dnsPod := func(lines ...string) *incident.Bundle {
		p := orderPod("publisher-6c9f7-x1x1x", healthy())
		p.Namespace, p.Owner = "edge", incident.Entity{Namespace: "edge", Kind: incident.KindDeployment, Name: "publisher"}
		b := newBundle(p)
		s := incident.LogStream{Namespace: "edge", Pod: p.Name, Container: "external-dns"}
		for k := range 4 {
			for _, l := range lines {
				s.Lines = append(s.Lines, incident.LogLine{Time: at(time.Duration(k*60-240) * time.Second), Text: l})
			}
		}
		b.Logs = []incident.LogStream{s}
		return b
	}
	publisher := incident.Entity{Namespace: "edge", Kind: incident.KindDeployment, Name: "publisher"}
	find := func(b *incident.Bundle) *incident.Finding {
		for _, f := range analyzeOne(dnsFailure{}, b) {
			if strings.Contains(f.Title, "cannot publish DNS records") {
				return &f
			}
		}
		return nil
	}
	t.Run("Route 53 denying the zone listing names the refused action", func(t *testing.T) {
		b := dnsPod(`time="2026-11-20T09:58:00Z" level=error msg="Failed to do run once: records retrieval failed: failed to list hosted zones: operation error Route 53: ListHostedZones, https response error StatusCode: 403, api error AccessDenied: User: arn:aws:sts::111122223333:assumed-role/edge-dns/1 is not authorized to perform: route53:ListHostedZones"`)
		f := find(b)
		if f == nil {
			t.Fatal("want a finding, got none")
		}
		checkFinding(t, b, *f, incident.CategoryDNSFailure, publisher, "route53:ListHostedZones", "AccessDenied", "never published")
	})
	t.Run("Azure refusing the record change", func(t *testing.T) {
		b := dnsPod(`time="2026-11-20T09:58:00Z" level=error msg="failed to submit all changes for the following zones: [\"example.org\"]" error="dns.RecordSetsClient#CreateOrUpdate: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code=\"AuthorizationFailed\""`)
		f := find(b)
		if f == nil {
			t.Fatal("want a finding, got none")
		}
		checkFinding(t, b, *f, incident.CategoryDNSFailure, publisher, "denies")
	})
	t.Run("a successful sync is not a failure", func(t *testing.T) {
		if f := find(dnsPod(`time="2026-11-20T09:58:00Z" level=info msg="All records are already up to date"`)); f != nil {
			t.Fatalf("unexpected finding %+v", f)
		}
	})
}
