package analyze

import (
	"fmt"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Failed calls in the wordings of Ruby's Net::HTTP, of stores refusing
// writes as replicas, of a sealed Vault and of throttling AWS APIs; similar
// lines that are no failed call do not count.
func TestCallFailureWordings(t *testing.T) {
	for _, tt := range []struct {
		line string
		want bool
	}{
		{"WARN: Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>", true},
		{"Net::OpenTimeout: Failed to open TCP connection to maps.example.org:443 (execution expired)", true},
		{"PG::ReadOnlySqlTransaction: ERROR:  cannot execute UPDATE in a read-only transaction", true},
		{"ERROR 1290 (HY000): The MySQL server is running with the --super-read-only option so it cannot execute this statement", true},
		{"ReplyError: READONLY You can't write against a read only slave.", true},
		{"MongoServerError: NotWritablePrimary", true},
		{"Error making API request. Code: 503. Errors: * Vault is sealed", true},
		{"botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the Publish operation: Rate exceeded", true},
		{"[Rack::Attack] throttled request ip=10.1.2.3 path=/api", false},
		{"SET TRANSACTION READ ONLY for the nightly report", false},
		{"core: vault is unsealed", false},
	} {
		if got := depFailureRe.MatchString(tt.line); got != tt.want {
			t.Errorf("depFailureRe(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// A replica's refusal names no host: the one outside host the container is
// given in its environment is the peer; with none configured the failure
// stays anonymous.
func TestReadOnlyReplicaBlamesConfiguredHost(t *testing.T) {
	for _, configured := range []bool{true, false} {
		b := newBundle(orderPod("order-1", healthy()))
		var ls []incident.LogLine
		for i := range 12 {
			ls = append(ls, incident.LogLine{Time: at(time.Duration(i) * time.Second), Text: fmt.Sprintf("ERROR [req-%d] ReplyError: READONLY You can't write against a read only replica.", i)})
		}
		b.Logs = []incident.LogStream{{Namespace: "shop", Pod: "order-1", Container: "order", Lines: ls}}
		if configured {
			b.ConfiguredHosts = []incident.ConfiguredHost{{Namespace: "shop", Source: "container/order", Key: "REDIS_HOST", Host: "sessions-002.abc123.cache.example.com", Port: "6379"}}
		}
		fs := dependency{}.Analyze(b)
		if len(fs) != 1 {
			t.Fatalf("configured=%v: findings = %+v", configured, fs)
		}
		want := incident.Entity{Kind: incident.KindExternal, Name: "sessions-002.abc123.cache.example.com"}
		if !configured {
			want = targetEntity(b)
		}
		if fs[0].Entity != want {
			t.Errorf("configured=%v: entity = %v, want %v", configured, fs[0].Entity, want)
		}
	}
}

// A sealed Vault's 503, whose URL is on another line of the client's error,
// is blamed on the workload behind the Vault Service; a 503 without the
// sealed answer stays on the Service.
func TestSealedVaultBlamesItsServers(t *testing.T) {
	for _, sealed := range []bool{true, false} {
		b := newBundle(orderPod("order-1", healthy()))
		b.Services = []incident.ServiceState{{Namespace: "secrets", Name: "vault", Dependency: true, NotReady: 3,
			Selector: map[string]string{"app": "vault"}, Backend: incident.Entity{Namespace: "secrets", Kind: incident.KindStatefulSet, Name: "vault"}}}
		var ls []incident.LogLine
		for i := range 6 {
			ls = append(ls,
				incident.LogLine{Time: at(time.Duration(i) * time.Minute), Text: "[ERROR] agent.auth.handler: error authenticating:"},
				incident.LogLine{Time: at(time.Duration(i) * time.Minute), Text: "  | URL: PUT https://vault.secrets.svc:8200/v1/auth/kubernetes/login"},
				incident.LogLine{Time: at(time.Duration(i) * time.Minute), Text: "  | Code: 503. Errors:"})
			if sealed {
				ls = append(ls, incident.LogLine{Time: at(time.Duration(i) * time.Minute), Text: "  | * Vault is sealed"})
			}
		}
		b.Logs = []incident.LogStream{{Namespace: "shop", Pod: "order-1", Container: "vault-agent-init", Lines: ls}}
		fs := dependency{}.Analyze(b)
		if len(fs) != 1 {
			t.Fatalf("sealed=%v: findings = %+v", sealed, fs)
		}
		want := incident.Entity{Namespace: "secrets", Kind: incident.KindService, Name: "vault"}
		if sealed {
			want = b.Services[0].Backend
		}
		if fs[0].Entity != want {
			t.Errorf("sealed=%v: entity = %v, want %v", sealed, fs[0].Entity, want)
		}
	}
}
