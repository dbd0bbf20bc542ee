package analyze

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// identityBundle is the alerted Deployment shop/order whose pod logs lines,
// one every ten seconds, twice over.
func identityBundle(lines ...string) *incident.Bundle {
	b := newBundle(orderPod("order-1", healthy()))
	s := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: "order"}
	for k := range 2 {
		for i, l := range lines {
			s.Lines = append(s.Lines, incident.LogLine{Time: at(time.Duration((k*len(lines)+i)*10-300) * time.Second), Text: l})
		}
	}
	b.Logs = []incident.LogStream{s}
	return b
}

func TestIdentityRejected(t *testing.T) {
	order := incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"}
	cases := []struct {
		name  string
		lines []string
		want  bool
	}{
		{name: "the AWS SDK for Go refused by STS under IRSA", want: true,
			lines: []string{`failed to refresh cached credentials, operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: 403, RequestID: 1f2e, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity`}},
		{name: "boto3 refused by STS", want: true,
			lines: []string{`botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity`}},
		{name: "a Vault agent's multi-line 403 on the Kubernetes login", want: true,
			lines: []string{`[ERROR] agent.auth.handler: error authenticating:`, `  error=`, `  | Error making API request.`,
				`  | URL: PUT https://secrets.example.internal:8200/v1/auth/k8s-prod/login`, `  | Code: 403. Errors:`, `  | * permission denied`}},
		{name: "a Vault client logging the error as JSON on one line", want: true,
			lines: []string{`{"level":"error","msg":"vault login","error":"Error making API request.\n\nURL: PUT http://vault:8200/v1/auth/kubernetes/login\nCode: 403. Errors:\n\n* namespace not authorized"}`}},
		{name: "an S3 permission missing from the role is not the identity binding", want: false,
			lines: []string{`AccessDenied: User: arn:aws:sts::123456789012:assumed-role/order/botocore is not authorized to perform: s3:GetObject on resource`}},
		{name: "a Vault policy refusing a secret read after a successful login", want: false,
			lines: []string{`  | URL: GET https://vault:8200/v1/secret/data/order/db`, `  | Code: 403. Errors:`, `  | * permission denied`}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := identityBundle(tt.lines...)
			var found *incident.Finding
			for _, f := range analyzeOne(configError{}, b) {
				if strings.Contains(f.Title, "workload identity") {
					found = &f
				}
			}
			if (found != nil) != tt.want {
				t.Fatalf("finding = %v, want %v", found != nil, tt.want)
			}
			if found != nil {
				checkFinding(t, b, *found, incident.CategoryConfigError, order, "ServiceAccount")
			}
		})
	}
}
