package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// logCase is a bundle of the order Deployment whose pods logged lines, and
// what one analyzer must conclude from them.
type logCase struct {
	name     string
	lines    []string
	novel    bool
	first    time.Duration
	services []incident.ServiceState
	claims   []incident.ClaimState
	// workloads are added to the bundle's (the alerted one is there).
	workloads []incident.WorkloadState
	want      bool
	entity    incident.Entity
	words     []string
}

func runLogCases(t *testing.T, a Analyzer, cat incident.Category, cases []logCase) {
	t.Helper()
	for _, tt := range cases {
		for _, mined := range []bool{true, false} {
			name := tt.name + "/raw"
			if mined {
				name = tt.name + "/templates"
			}
			t.Run(name, func(t *testing.T) {
				b := newBundle(orderPod("order-1", healthy()), orderPod("order-2", healthy()))
				b.Services = tt.services
				b.Claims = tt.claims
				b.Workloads = append(b.Workloads, tt.workloads...)
				first := tt.first
				if first == 0 {
					first = -2 * time.Minute
				}
				stream := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: "order"}
				for i, l := range tt.lines {
					if mined {
						b.Templates = append(b.Templates, template("order-1", l, 25, tt.novel, first))
					}
					for k := 0; k < 5; k++ {
						stream.Lines = append(stream.Lines, incident.LogLine{Time: at(first + time.Duration(i*5+k)*time.Second), Text: l})
					}
				}
				if !mined {
					b.Logs = []incident.LogStream{stream}
				}
				got := analyzeOne(a, b)
				if !tt.want {
					if len(got) != 0 {
						t.Fatalf("want no finding, got %+v", got)
					}
					return
				}
				if len(got) == 0 {
					t.Fatal("want a finding, got none")
				}
				checkFinding(t, b, got[0], cat, tt.entity, tt.words...)
			})
		}
	}
}

var (
	external = func(h string) incident.Entity { return incident.Entity{Kind: incident.KindExternal, Name: h} }
	service  = func(n string) incident.Entity {
		return incident.Entity{Namespace: "shop", Kind: incident.KindService, Name: n}
	}
)

func TestDependency(t *testing.T) {
	runLogCases(t, dependency{}, incident.CategoryDependencyFailure, []logCase{
		// A proxy in front of the dependency logs the failure, not the app:
		// Envoy's access log (its upstream cluster's host last) and nginx.
		{name: "envoy access log, no healthy upstream", novel: true, want: true,
			lines:    []string{`[2026-11-02T08:01:12.345Z] "GET /v1/quotes/77 HTTP/1.1" 503 UH 0 19 0 - "10.4.0.7" "curl/8.4.0" "8f1c" "quotes.pricing.svc.cluster.local:8080" "-"`},
			services: []incident.ServiceState{{Namespace: "pricing", Name: "quotes", Dependency: true, NotReady: 3}},
			entity:   incident.Entity{Namespace: "pricing", Kind: incident.KindService, Name: "quotes"}, words: []string{"no healthy upstream", "0 ready"}},
		{name: "envoy access log, upstream connection failure", novel: true, want: true,
			lines:  []string{`[2026-11-02T08:01:12.345Z] "POST /pay HTTP/2" 503 UF,URX 0 91 30001 - "-" "okhttp/4.12" "a1b2" "ledger:9000" "10.8.3.4:9000"`},
			entity: service("ledger"), words: []string{"ledger"}},
		{name: "nginx has no live upstream", novel: true, want: true,
			lines:  []string{`2026/11/02 08:01:12 [error] 31#31: *9 no live upstreams while connecting to upstream, client: 10.2.0.9, server: shop.example, request: "GET /cart HTTP/1.1", upstream: "http://cart-backend/cart", host: "shop.example"`},
			entity: service("cart-backend"), words: []string{"no healthy upstream"}},
		// HTTP client libraries word a 5xx answer to an outgoing call
		// their own way; the host in the URL is the dependency.
		{name: "guzzle server exception from an outside API", novel: true, want: true,
			lines:  []string{"production.ERROR: Carrier lookup failed {\"exception\":\"[object] (GuzzleHttp\\\\Exception\\\\ServerException(code: 500): Server error: `POST https://api.carrier.example/v2/rates` resulted in a `500 Internal Server Error` response\"}"},
			entity: external("api.carrier.example"), words: []string{"api.carrier.example"}},
		{name: "python requests raise_for_status on a 502", novel: true, want: true,
			lines:  []string{`requests.exceptions.HTTPError: 502 Server Error: Bad Gateway for url: https://geo.partner.example/v1/lookup?ip=redacted`},
			entity: external("geo.partner.example"), words: []string{"geo.partner.example"}},
		{name: "spring webclient 503 from a partner", novel: true, want: true,
			lines:  []string{`org.springframework.web.reactive.function.client.WebClientResponseException$ServiceUnavailable: 503 Service Unavailable from POST https://fx.rates.example/convert`},
			entity: external("fx.rates.example"), words: []string{"fx.rates.example"}},
		{name: "the app's own 5xx access log is no dependency failure", novel: true, want: false,
			lines: []string{`ERROR [eventLoopGroupProxy-4-2] Application - 500 Internal Server Error: POST - /v1/cart/items in 4ms`}},
		// Credentials from the instance metadata service, which a node
		// agent may intercept: that agent answers, so it is blamed.
		{name: "go SDK times out on the metadata service behind kube2iam", novel: true, want: true,
			lines:     []string{`NoCredentialProviders: no valid providers in chain. caused by: EC2RoleRequestError: no EC2 instance role found caused by: RequestError: send request failed caused by: Get "http://169.254.169.254/latest/meta-data/iam/security-credentials/": dial tcp 169.254.169.254:80: i/o timeout`},
			workloads: []incident.WorkloadState{{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDaemonSet, Name: "kube2iam"}}},
			entity:    incident.Entity{Namespace: "kube-system", Kind: incident.KindDaemonSet, Name: "kube2iam"}, words: []string{"metadata service", "intercepts"}},
		{name: "a credential fetch naming the metadata service only by what it is", novel: true, want: true,
			lines:     []string{`WARN  google.auth.compute_engine._metadata: Compute Engine Metadata server unavailable on attempt 3 of 3. Reason: timed out`},
			workloads: []incident.WorkloadState{{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDaemonSet, Name: "gke-metadata-server"}}},
			entity:    incident.Entity{Namespace: "kube-system", Kind: incident.KindDaemonSet, Name: "gke-metadata-server"}, words: []string{"credentials"}},
		{name: "no agent: the metadata service itself", novel: true, want: true,
			lines:  []string{`botocore.exceptions.ConnectTimeoutError: Connect timeout on endpoint URL: "http://169.254.169.254/latest/api/token"`},
			entity: external("169.254.169.254"), words: []string{"metadata service"}},
		{name: "an agent in view does not take the blame for another peer", novel: true, want: true,
			lines:     []string{`dial tcp 10.0.3.7:5432: connect: connection refused (host=orders-db.example.com)`},
			workloads: []incident.WorkloadState{{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDaemonSet, Name: "kiam-agent"}}},
			entity:    external("orders-db.example.com"), words: []string{"refused"}},
		{name: "credentials fetched fine is no failure", novel: true, want: false,
			lines:     []string{`INFO c.a.a.InstanceMetadataServiceCredentialsFetcher : refreshed credentials from instance metadata in 4ms`},
			workloads: []incident.WorkloadState{{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDaemonSet, Name: "kiam-agent"}}}},
		{name: "a Service whose selector matches no pod says so", novel: true, want: true,
			lines:    []string{`redis.exceptions.ConnectionError: Error 111 connecting to sessions-cache:6379. Connection refused.`},
			services: []incident.ServiceState{{Namespace: "shop", Name: "sessions-cache", Dependency: true, Selector: map[string]string{"app": "sessions-cache", "tier": "cache"}}},
			entity:   service("sessions-cache"), words: []string{"No pod matches its selector (app=sessions-cache,tier=cache)"}},
		{name: "an nginx upstream group is no host to blame", novel: true, want: true,
			lines:    []string{`2026/11/02 08:01:12 [error] 7#7: *3 no live upstreams while connecting to upstream, client: 10.2.0.9, server: _, request: "GET / HTTP/1.1", upstream: "http://api_pool_blue/"`},
			services: []incident.ServiceState{{Namespace: "shop", Name: "api_pool_blue"}},
			entity:   deployOrder, words: []string{"do not name it"}},
		{name: "envoy answering 200 and a client's 503 flag-free line are no proxy failure", novel: true, want: false,
			lines: []string{`[2026-11-02T08:01:12.345Z] "GET /v1/quotes/77 HTTP/1.1" 200 - 0 812 14 13 "10.4.0.7" "curl/8.4.0" "8f1c" "quotes.pricing.svc.cluster.local:8080" "10.8.1.2:8080"`,
				`[2026-11-02T08:01:13.000Z] "GET /v1/quotes/78 HTTP/1.1" 404 NR 0 0 0 - "10.4.0.7" "curl/8.4.0" "8f1d" "quotes.pricing.svc.cluster.local:8080" "-"`}},
		{name: "pgx names the host, dials an address", novel: true, want: true,
			lines:  []string{`{"level":"warn","msg":"database ping failed","error":"failed to connect to ` + "`host=orders-db.example.com user=app database=orders`" + `: dial error (dial tcp 10.0.119.64:5432: connect: connection refused)"}`},
			entity: external("orders-db.example.com"), words: []string{"orders-db.example.com:5432", "connection refused"}},
		{name: "upstream 503 from an in-cluster service", novel: true, want: true,
			lines:    []string{`level=error msg="checkout failed" err="upstream payment-service returned 503"`},
			services: []incident.ServiceState{{Namespace: "shop", Name: "payment-service", Ready: 0, NotReady: 2}},
			entity:   service("payment-service"), words: []string{"payment-service", "0 ready", "5xx"}},
		{name: "URL with cluster DNS name", novel: true, want: true,
			lines:  []string{`Post "http://inventory.stock.svc.cluster.local:8080/reserve": dial tcp 10.96.4.2:8080: i/o timeout`},
			entity: incident.Entity{Namespace: "stock", Kind: incident.KindService, Name: "inventory"}, words: []string{"timeout"}},
		{name: "java connect exception", novel: true, want: true,
			lines:  []string{`org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ledger-api:8080/balance": Connection refused; nested exception is java.net.ConnectException: Connection refused`},
			entity: service("ledger-api"), words: []string{"ledger-api"}},
		{name: "python psycopg2", novel: true, want: true,
			lines:  []string{`psycopg2.OperationalError: connection to server at "reports-db.internal.example.net" (10.2.3.4), port 5432 failed: Connection refused`},
			entity: external("reports-db.internal.example.net"), words: []string{"5432"}},
		{name: "python requests names the host in host=", novel: true, want: true,
			lines:  []string{`requests.exceptions.ConnectionError: HTTPConnectionPool(host='inventory-api', port=8080): Max retries exceeded with url: /items (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))`},
			entity: service("inventory-api"), words: []string{"inventory-api", "connection refused"}},
		{name: "node ECONNREFUSED with a logfmt addr field", novel: true, want: true,
			lines:  []string{`level=error msg="cache read failed" addr=sessions-redis.cache.svc.cluster.local:6379 err="connect ECONNREFUSED 172.20.9.9:6379"`},
			entity: incident.Entity{Namespace: "cache", Kind: incident.KindService, Name: "sessions-redis"}, words: []string{"6379"}},
		{name: "an address on the caller's own port is not the caller", novel: true, want: true,
			lines:    []string{`level=error msg="charge failed" err="dial tcp 10.96.3.7:8080: connect: connection refused"`},
			services: []incident.ServiceState{{Namespace: "shop", Name: "order", Selector: map[string]string{"app": "order"}, Ports: []string{"8080/TCP->8080"}}},
			entity:   external("10.96.3.7"), words: []string{"10.96.3.7:8080"}},
		{name: "an address on a known Service's port", novel: true, want: true,
			lines:    []string{`level=error msg="cache read failed" err="dial tcp 10.96.9.9:6379: i/o timeout"`},
			services: []incident.ServiceState{{Namespace: "shop", Name: "order", Selector: map[string]string{"app": "order"}, Ports: []string{"8080/TCP->8080"}}, {Namespace: "shop", Name: "redis", Selector: map[string]string{"app": "redis"}, Ports: []string{"6379/TCP->6379"}}},
			entity:   service("redis"), words: []string{"timeout"}},
		{name: "DNS failures are not dependency failures", novel: true, want: false,
			lines: []string{`dial tcp: lookup payment-service on 10.96.0.10:53: no such host`}},
		{name: "old noise from yesterday", novel: false, first: -30 * time.Hour, want: false,
			lines: []string{`upstream payment-service returned 503`}},
		{name: "an app failing to export its own traces is noise", novel: true, want: false,
			lines: []string{`level=warning msg="traces export: context deadline exceeded: rpc error: code = Unavailable desc = connection error: dial tcp 172.20.14.9:4317: connect: connection refused"`}},
		{name: "successful requests", novel: true, want: false,
			lines: []string{`{"level":"info","msg":"request","path":"/v1/orders","status":200}`}},
	})
}

func TestDNS(t *testing.T) {
	readyKubeDNS := []incident.ServiceState{{Namespace: "kube-system", Name: "kube-dns", Dependency: true, Ready: 2,
		Backend: incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}}}
	nodeLocalDNS := []incident.WorkloadState{{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDaemonSet, Name: "node-local-dns"}}}
	runLogCases(t, dnsFailure{}, incident.CategoryDNSFailure, []logCase{
		{name: "NXDOMAIN for a misspelt service", novel: true, want: true,
			lines:  []string{`Get "http://paymnet-service:8080/pay": dial tcp: lookup paymnet-service on 10.96.0.10:53: no such host`},
			entity: service("paymnet-service"), words: []string{"paymnet-service", "NXDOMAIN"}},
		{name: "cluster DNS times out", novel: true, want: true,
			lines:  []string{`dial tcp: lookup api.stripe.com on 10.96.0.10:53: read udp 10.0.1.5:43122->10.96.0.10:53: i/o timeout`},
			entity: deployOrder, words: []string{"CoreDNS", "i/o timeout"}},
		{name: "java unknown host", novel: true, want: true,
			lines:  []string{`java.net.UnknownHostException: billing.partner.example.com: Name or service not known`},
			entity: external("billing.partner.example.com"), words: []string{"billing.partner.example.com"}},
		{name: "psycopg2 cannot translate the host name", novel: true, want: true,
			lines:  []string{`psycopg2.OperationalError: could not translate host name "orders-db" to address: Name or service not known`},
			entity: service("orders-db"), words: []string{"orders-db"}},
		{name: "an unhealthy cluster DNS is blamed whatever the answer", novel: true, want: true,
			lines: []string{`dial tcp: lookup api.stripe.com on 10.96.0.10:53: read udp 10.0.1.5:43122->10.96.0.10:53: i/o timeout`},
			services: []incident.ServiceState{{Namespace: "kube-system", Name: "kube-dns", Dependency: true, NotReady: 2,
				Backend:         incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"},
				BackendProblems: []string{"coredns-5d78c-7hxkq: coredns CrashLoopBackOff, coredns last terminated OOMKilled (exit 137), 9 restarts"}}},
			entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"},
			words:  []string{"coredns", "OOMKilled", "0 ready"}},
		{name: "a healthy cluster DNS is not blamed for NXDOMAIN", novel: true, want: true,
			lines:    []string{`Get "http://paymnet-service:8080/pay": dial tcp: lookup paymnet-service on 10.96.0.10:53: no such host`},
			services: []incident.ServiceState{{Namespace: "kube-system", Name: "kube-dns", Dependency: true, Ready: 2}},
			entity:   service("paymnet-service"), words: []string{"NXDOMAIN"}},
		{name: "refused connections are not DNS", novel: true, want: false,
			lines: []string{`dial tcp 10.0.3.7:5432: connect: connection refused`}},
		// The resolver timing out with its pods ready (overloaded, dropping
		// packets, its upstream slow): the server every pod asks is blamed.
		{name: "a ready cluster DNS that times out is blamed", novel: true, want: true,
			lines: []string{`Npgsql.NpgsqlException: Exception while connecting ---> System.Net.Sockets.SocketException (00000001, 11): Resource temporarily unavailable; SERVFAIL resolving ledger-db.finance.svc.cluster.local`},
			services: []incident.ServiceState{{Namespace: "kube-system", Name: "kube-dns", Dependency: true, Ready: 3,
				Selector: map[string]string{"k8s-app": "kube-dns"},
				Backend:  incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}}},
			entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"},
			words:  []string{"ndots", "upstream"}},
		// NodeLocal DNSCache: pods pointed at its link-local address ask it,
		// not kube-dns.
		{name: "lookups to a node-local cache blame its DaemonSet", novel: true, want: true,
			lines:    []string{`dial tcp: lookup cache.shop.svc.cluster.local on 169.254.20.10:53: read udp 10.0.1.5:43122->169.254.20.10:53: i/o timeout`},
			services: readyKubeDNS, workloads: nodeLocalDNS, entity: nodeLocalDNS[0].Entity},
		{name: "lookups to kube-dns do not blame a node-local cache in view", novel: true, want: true,
			lines:    []string{`dial tcp: lookup cache.shop.svc.cluster.local on 10.96.0.10:53: read udp 10.0.1.5:43122->10.96.0.10:53: i/o timeout`},
			services: readyKubeDNS, workloads: nodeLocalDNS, entity: readyKubeDNS[0].Backend},
		{name: "python urllib3 names the host it could not resolve", novel: true, want: true,
			lines:     []string{`requests.exceptions.ConnectionError: HTTPSConnectionPool(host='tiles.mapvendor.example', port=443): Max retries exceeded with url: /v2/z/1 (Caused by NameResolutionError("<urllib3.connection.HTTPSConnection object at 0x7f0>: Failed to resolve 'tiles.mapvendor.example' ([Errno -3] Temporary failure in name resolution)"))`},
			workloads: []incident.WorkloadState{{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}}},
			entity:    incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"},
			words:     []string{"for tiles.mapvendor.example"}},
		{name: "the DNS Deployment is blamed when its Service is not in view", novel: true, want: true,
			lines:     []string{`[ERROR] SocketError: getaddrinfo: Temporary failure in name resolution (host: search.partner.example)`},
			workloads: []incident.WorkloadState{{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "kube-dns"}, Replicas: 2, Ready: 2}},
			entity:    incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "kube-dns"},
			words:     []string{"Temporary failure"}},
		{name: "a misspelt name is not blamed on a ready DNS Deployment", novel: true, want: true,
			lines:     []string{`java.net.UnknownHostException: inventroy-api: Name or service not known`},
			workloads: []incident.WorkloadState{{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}, Replicas: 2, Ready: 2}},
			entity:    service("inventroy-api"), words: []string{"NXDOMAIN"}},
		{name: "a DNS Deployment in view with no failed lookup is no DNS failure", novel: true, want: false,
			lines:     []string{`GET /healthz 200 1ms`, `resolved partner.example in 3ms`},
			workloads: []incident.WorkloadState{{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}, Replicas: 2, Ready: 2}}},
	})
}

// TestDependencyCannotPull: a dependency down because its pods cannot pull
// their image is that image's problem, on the workload behind it; any other
// state of its pods keeps the blame on the Service.
func TestDependencyCannotPull(t *testing.T) {
	quotes := incident.Entity{Namespace: "pricing", Kind: incident.KindDeployment, Name: "quotes"}
	line := `upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: delayed connect error: 111 calling http://quotes.pricing.svc.cluster.local:8080/v1/quote`
	for _, tt := range []struct {
		name     string
		ready    int
		problems []string
		cat      incident.Category
		entity   incident.Entity
		words    []string
	}{
		{"every backend pod waits on its image", 0, []string{"quotes-6f9c-a1: quotes ImagePullBackOff", "quotes-6f9c-b2: quotes ErrImagePull"},
			incident.CategoryImagePull, quotes, []string{"ImagePullBackOff", "Fix the image reference"}},
		{"a crash-looping backend stays the Service's failure", 0, []string{"quotes-6f9c-a1: quotes CrashLoopBackOff, 7 restarts", "quotes-6f9c-b2: quotes ImagePullBackOff"},
			incident.CategoryDependencyFailure, incident.Entity{Namespace: "pricing", Kind: incident.KindService, Name: "quotes"}, []string{"0 ready"}},
		{"ready endpoints left: a new pod's pull is not why calls fail", 2, []string{"quotes-7a1b-c3: quotes ImagePullBackOff"},
			incident.CategoryDependencyFailure, incident.Entity{Namespace: "pricing", Kind: incident.KindService, Name: "quotes"}, []string{"2 ready"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newBundle(orderPod("order-1", healthy()))
			b.Services = []incident.ServiceState{{Namespace: "pricing", Name: "quotes", Dependency: true, Ready: tt.ready, NotReady: 2,
				Backend: quotes, BackendProblems: tt.problems}}
			stream := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: "order"}
			for k := 0; k < 5; k++ {
				stream.Lines = append(stream.Lines, incident.LogLine{Time: at(time.Duration(k-5) * time.Second), Text: line})
			}
			b.Logs = []incident.LogStream{stream}
			got := analyzeOne(dependency{}, b)
			if len(got) != 1 {
				t.Fatalf("got %d findings: %+v", len(got), got)
			}
			checkFinding(t, b, got[0], tt.cat, tt.entity, tt.words...)
			// Ranked with every analyzer, the dependency's state is still
			// the answer though it is in another namespace.
			root, _ := Rank(b, Run(b))
			if root.Category != tt.cat || root.Entity != tt.entity {
				t.Errorf("root cause %s %v, want %s %v", root.Category, root.Entity, tt.cat, tt.entity)
			}
		})
	}
}

// TestDNSServerLogs: when clients' lookups time out, the DNS server's own
// failed queries are cited, and they make no dependency failure of their own.
func TestDNSServerLogs(t *testing.T) {
	coredns := incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}
	build := func(serverLine string) *incident.Bundle {
		b := newBundle(orderPod("order-1", healthy()))
		b.Services = []incident.ServiceState{{Namespace: "kube-system", Name: "kube-dns", Dependency: true, Ready: 2, Backend: coredns}}
		client := incident.LogStream{Namespace: "shop", Pod: "order-1", Container: "order"}
		server := incident.LogStream{Namespace: "kube-system", Pod: "coredns-7db6d8ff4d-4kx2p", Container: "coredns"}
		for k := 0; k < 5; k++ {
			client.Lines = append(client.Lines, incident.LogLine{Time: at(time.Duration(k-5) * time.Second),
				Text: `Error: getaddrinfo EAI_AGAIN search.partner.example`})
			server.Lines = append(server.Lines, incident.LogLine{Time: at(time.Duration(k-5) * time.Second), Text: serverLine})
		}
		b.Logs = []incident.LogStream{client, server}
		return b
	}
	b := build(`[ERROR] plugin/errors: 2 search.partner.example. AAAA: read udp 10.244.1.7:51234->10.0.0.2:53: i/o timeout`)
	got := analyzeOne(dnsFailure{}, b)
	if len(got) != 1 {
		t.Fatalf("got %d findings: %+v", len(got), got)
	}
	checkFinding(t, b, got[0], incident.CategoryDNSFailure, coredns, "Its own logs show 5 errors", "10.0.0.2:53: i/o timeout")
	if got := analyzeOne(dependency{}, b); len(got) != 0 {
		t.Errorf("the DNS server's upstream timeouts became a dependency failure: %+v", got)
	}
	b = build(`[INFO] 10.244.1.9:40112 - 4411 "A IN search.partner.example. udp 40 false 512" NOERROR qr,rd,ra 80 0.0012s`)
	got = analyzeOne(dnsFailure{}, b)
	if len(got) != 1 || strings.Contains(got[0].Detail, "Its own logs") {
		t.Errorf("a DNS server answering NOERROR was cited as failing: %+v", got)
	}
}

func TestTLS(t *testing.T) {
	backed := []incident.ServiceState{{Namespace: "core", Name: "accounts-grpc", Dependency: true, Ready: 2,
		Backend: incident.Entity{Namespace: "core", Kind: incident.KindStatefulSet, Name: "accounts"}}}
	runLogCases(t, tlsFailure{}, incident.CategoryTLSFailure, []logCase{
		// The server presents an expired certificate: it is the one to renew.
		{name: "an in-cluster server's expired certificate blames the workload serving it", novel: true, want: true,
			lines:    []string{`System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception. ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid (https://accounts-grpc.core.svc:8443/v1/balance) certificate has expired`},
			services: backed,
			entity:   incident.Entity{Namespace: "core", Kind: incident.KindStatefulSet, Name: "accounts"}, words: []string{"renew", "accounts-grpc"}},
		{name: "an untrusted authority keeps the Service", novel: true, want: true,
			lines:    []string{`Get "https://accounts-grpc.core.svc:8443/v1/balance": x509: certificate signed by unknown authority`},
			services: backed,
			entity:   incident.Entity{Namespace: "core", Kind: incident.KindService, Name: "accounts-grpc"}, words: []string{"authority"}},
		{name: "expired certificate of an outside API", novel: true, want: true,
			lines:  []string{`Post "https://api.partner.example.com/v2/charge": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-11-20T10:01:00Z is after 2026-11-19T23:59:59Z`},
			entity: external("api.partner.example.com"), words: []string{"expired", "api.partner.example.com"}},
		{name: "unknown authority in cluster", novel: true, want: true,
			lines:  []string{`Get "https://vault.security.svc:8200/v1/secret": x509: certificate signed by unknown authority`},
			entity: incident.Entity{Namespace: "security", Kind: incident.KindService, Name: "vault"}, words: []string{"authority"}},
		// No path to an anchor of the client's own truststore: the client's
		// trust configuration, not the server.
		{name: "java PKIX", novel: true, want: true,
			lines:  []string{`javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target (host: ledger.example.org)`},
			entity: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"}, words: []string{"truststore"}},
		{name: "plain request logs", novel: true, want: false,
			lines: []string{`GET https://api.partner.example.com/v2/charge 200 OK`}},
	})
}

func TestExhaustion(t *testing.T) {
	runLogCases(t, exhaustion{}, incident.CategoryResourceExhaustion, []logCase{
		{name: "disk full", novel: true, want: true,
			lines:  []string{`ERROR write /var/lib/app/segments/0001.log: no space left on device`},
			entity: deployOrder, words: []string{"disk space", "no space left"}},
		{name: "disk full reported by a client: its database's claim", novel: true, want: true,
			lines: []string{`psycopg.errors.DiskFull: could not extend file "base/16384/24601.3": No space left on device`},
			services: []incident.ServiceState{{Namespace: "shop", Name: "orders-db", Dependency: true, Ready: 1,
				Backend:       incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "orders-db"},
				BackendClaims: []string{"data-orders-db-0"}}},
			entity: incident.Entity{Namespace: "shop", Kind: incident.KindPVC, Name: "data-orders-db-0"},
			words:  []string{"data-orders-db-0", "StatefulSet/shop/orders-db"}},
		// A database relays its full disk in its own words.
		{name: "mysql's full table, relayed to a client: its database's claim", novel: true, want: true,
			lines: []string{`SQLSTATE[HY000]: General error: 1114 The table 'order_items' is full`},
			services: []incident.ServiceState{{Namespace: "shop", Name: "mysql", Dependency: true, Ready: 1,
				Backend:       incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "mysql"},
				BackendClaims: []string{"data-mysql-0"}}},
			entity: incident.Entity{Namespace: "shop", Kind: incident.KindPVC, Name: "data-mysql-0"}, words: []string{"data-mysql-0"}},
		{name: "redis cannot persist to its volume", novel: true, want: true,
			lines: []string{`ReplyError: MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled`},
			services: []incident.ServiceState{{Namespace: "shop", Name: "redis", Dependency: true, Ready: 1,
				Backend:       incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "redis"},
				BackendClaims: []string{"redis-data-redis-0"}}},
			entity: incident.Entity{Namespace: "shop", Kind: incident.KindPVC, Name: "redis-data-redis-0"}, words: []string{"disk space"}},
		// A store at its memory ceiling refuses writes; its clients say so.
		{name: "redis at maxmemory with noeviction: the store", novel: true, want: true,
			lines: []string{`ERROR SessionStore - write failed: io.lettuce.core.RedisCommandExecutionException: OOM command not allowed when used memory > 'maxmemory'.`},
			services: []incident.ServiceState{
				{Namespace: "cache", Name: "redis-sessions", Dependency: true, Ready: 1,
					Backend: incident.Entity{Namespace: "cache", Kind: incident.KindStatefulSet, Name: "redis-sessions"}},
				{Namespace: "shop", Name: "orders-db", Dependency: true, Ready: 1,
					Backend: incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "orders-db"}}},
			entity: incident.Entity{Namespace: "cache", Kind: incident.KindStatefulSet, Name: "redis-sessions"},
			words:  []string{"store memory", "maxmemory"}},
		{name: "redis at maxmemory, two redis backends: the client", novel: true, want: true,
			lines: []string{`redis.exceptions.OutOfMemoryError: OOM command not allowed when used memory > 'maxmemory'.`},
			services: []incident.ServiceState{
				{Namespace: "cache", Name: "redis-a", Dependency: true, Backend: incident.Entity{Namespace: "cache", Kind: incident.KindStatefulSet, Name: "redis-a"}},
				{Namespace: "cache", Name: "redis-b", Dependency: true, Backend: incident.Entity{Namespace: "cache", Kind: incident.KindStatefulSet, Name: "redis-b"}}},
			entity: deployOrder, words: []string{"maxmemory"}},
		{name: "rabbitmq's disk alarm blocks a publisher: the broker's claim", novel: true, want: true,
			lines: []string{`WARN OrderEventsPublisher - connection blocked by broker: low on disk`},
			services: []incident.ServiceState{{Namespace: "mq", Name: "rabbitmq", Dependency: true, Ready: 1,
				Backend:       incident.Entity{Namespace: "mq", Kind: incident.KindStatefulSet, Name: "rabbitmq"},
				BackendClaims: []string{"data-rabbitmq-0"}}},
			entity: incident.Entity{Namespace: "mq", Kind: incident.KindPVC, Name: "data-rabbitmq-0"}, words: []string{"disk space", "low on disk"}},
		{name: "a cache's normal eviction is no exhaustion", novel: true, want: false,
			lines: []string{`INFO cache evicted 120 keys under maxmemory-policy allkeys-lru`}},
		{name: "postgres disk_full code without the OS wording", novel: true, want: true,
			lines:  []string{`** (Postgrex.Error) ERROR 53100 (disk_full) could not write to file "pg_wal/xlogtemp.88"`},
			entity: deployOrder, words: []string{"disk space"}},
		{name: "a table that is full of rows is no full disk", novel: true, want: false,
			lines: []string{`INFO seat map loaded: the table is full of reservations for today`}},
		{name: "disk full with two candidate claims names none", novel: true, want: true,
			lines: []string{`psycopg.errors.DiskFull: could not extend file "base/16384/24601.3": No space left on device`},
			services: []incident.ServiceState{
				{Namespace: "shop", Name: "orders-db", Dependency: true, BackendClaims: []string{"data-orders-db-0"}},
				{Namespace: "shop", Name: "search", Dependency: true, BackendClaims: []string{"data-search-0"}}},
			entity: deployOrder, words: []string{"disk space"}},
		{name: "flood-stage block from a store in another namespace: its one full claim", novel: true, want: true,
			lines:    []string{floodStageLine},
			services: []incident.ServiceState{esService},
			claims:   esClaims(0.41, 0.52, 0.96),
			entity:   incident.Entity{Namespace: "search", Kind: incident.KindPVC, Name: "data-es-data-2"},
			words:    []string{"flood-stage", "data-es-data-2", "StatefulSet/search/es-data"}},
		{name: "flood-stage block with no claim measured full names none", novel: true, want: true,
			lines:    []string{floodStageLine},
			services: []incident.ServiceState{esService},
			claims:   esClaims(0.41, 0.52, 0.6),
			entity:   deployOrder, words: []string{"disk space", "flood-stage"}},
		{name: "flood-stage block with two claims measured full names none", novel: true, want: true,
			lines:    []string{floodStageLine},
			services: []incident.ServiceState{esService},
			claims:   esClaims(0.95, 0.52, 0.96),
			entity:   deployOrder, words: []string{"disk space"}},
		{name: "file descriptors", novel: true, want: true,
			lines:  []string{`http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 1s`},
			entity: deployOrder, words: []string{"file descriptors"}},
		{name: "pool", novel: true, want: true,
			lines:  []string{`ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms.`},
			entity: deployOrder, words: []string{"connection pool"}},
		{name: "node-postgres pool checked out", novel: true, want: true,
			lines:  []string{`{"level":50,"msg":"GET /v1/orders failed","err":{"message":"timeout exceeded when trying to connect"}}`},
			entity: deployOrder, words: []string{"connection pool", "timeout exceeded when trying to connect"}},
		{name: "prisma pool timeout", novel: true, want: true,
			lines:  []string{`PrismaClientKnownRequestError: Timed out fetching a new connection from the connection pool. (Current connection pool timeout: 10, connection limit: 5)`},
			entity: deployOrder, words: []string{"connection pool"}},
		{name: "a connect timeout to the server is no pool exhaustion", novel: true, want: false,
			lines: []string{`Error: Connection terminated due to connection timeout`}},
		{name: "healthy", novel: true, want: false, lines: []string{`INFO cache warmed in 120ms`}},
	})
}

// floodStageLine is what an Elasticsearch client logs when the cluster
// blocks writes because a data node's disk passed the flood-stage watermark.
const floodStageLine = `{"level":"error","logger":"bulk","msg":"bulk request failed","url":"http://es-http.search.svc.cluster.local:9200/_bulk","status":429,"error":"cluster_block_exception: index [products-v7] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block]"}`

// esService is an Elasticsearch StatefulSet in another namespace, named by
// the client's logs, whose three replicas mount one claim each.
var esService = incident.ServiceState{Namespace: "search", Name: "es-http", Dependency: true, Ready: 3,
	Backend:       incident.Entity{Namespace: "search", Kind: incident.KindStatefulSet, Name: "es-data"},
	BackendClaims: []string{"data-es-data-0", "data-es-data-1", "data-es-data-2"}}

// esClaims are esService's claims of 100Gi, used to the given shares.
func esClaims(used ...float64) []incident.ClaimState {
	const size = 100 << 30
	var out []incident.ClaimState
	for i, u := range used {
		out = append(out, incident.ClaimState{Namespace: "search", Name: fmt.Sprintf("data-es-data-%d", i), Phase: "Bound",
			Capacity: size, UsedBytes: int64(u * size)})
	}
	return out
}

func TestConfigErrorFromLogs(t *testing.T) {
	runLogCases(t, configError{}, incident.CategoryConfigError, []logCase{
		{name: "missing env", novel: true, want: true,
			lines:  []string{`FATAL: required environment variable DATABASE_URL is not set`},
			entity: deployOrder, words: []string{"DATABASE_URL"}},
		{name: "spring placeholder", novel: true, want: true,
			lines:  []string{`ERROR Application run failed: java.lang.IllegalArgumentException: Could not resolve placeholder 'payment.url' in value "${payment.url}"`},
			entity: deployOrder, words: []string{"payment.url"}},
		{name: "config file errors of a sidecar", novel: true, want: true,
			lines:  []string{`[2026/11/04 10:26:27] [error] configuration file contains errors, aborting.`},
			entity: deployOrder, words: []string{"configuration file contains errors"}},
		{name: "pydantic settings", novel: true, want: true,
			lines:  []string{`pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings`},
			entity: deployOrder, words: []string{"validation error"}},
		{name: "spring binding", novel: true, want: true,
			lines:  []string{`ERROR o.s.b.d.LoggingFailureAnalysisReporter : APPLICATION FAILED TO START: Failed to bind properties under 'payments.timeout' to java.time.Duration`},
			entity: deployOrder, words: []string{"payments.timeout"}},
		{name: "nginx rejects a line of its config file", novel: true, want: true,
			lines:  []string{`2026/11/04 10:26:27 [emerg] 1#1: unknown "upstream_addr" variable in /etc/nginx/conf.d/default.conf:61`},
			entity: deployOrder, words: []string{"default.conf:61"}},
		{name: "upper snake env var fails validation", novel: true, want: true,
			lines:  []string{`Error: CACHE_TTL_SECONDS must be numeric, got "5m"`},
			entity: deployOrder, words: []string{"CACHE_TTL_SECONDS"}},
		{name: "info line about config", novel: true, want: false,
			lines: []string{`INFO loaded configuration from /etc/app/config.yaml`}},
		{name: "access log naming a conf path without a line", novel: true, want: false,
			lines: []string{`10.0.0.7 - - [04/Nov/2026:10:26:27 +0000] "GET /static/app.conf HTTP/1.1" 200 512`}},
		{name: "lower case word must be numeric", novel: true, want: false,
			lines: []string{`WARN field quantity must be numeric, rejected order 1841`}},
	})
}

func TestConfigErrorFromKubernetes(t *testing.T) {
	c := incident.ContainerState{Name: "order", State: "waiting", Reason: "CreateContainerConfigError",
		Message: `couldn't find key redis.url in ConfigMap shop/cart-config`}
	b := newBundle(orderPod("order-1", c))
	b.Events = []incident.Event{podEvent("order-1", "Failed", `Error: couldn't find key redis.url in ConfigMap shop/cart-config`, 14, -4*time.Minute, 0)}
	got := analyzeOne(configError{}, b)
	if len(got) != 1 {
		t.Fatalf("got %d findings", len(got))
	}
	checkFinding(t, b, got[0], incident.CategoryConfigError, deployOrder, "redis.url", "cart-config")

	b = newBundle(orderPod("order-1", healthy()))
	b.Events = []incident.Event{podEvent("order-1", "FailedMount", `MountVolume.SetUp failed for volume "certs" : secret "order-tls" not found`, 3, -4*time.Minute, 0)}
	got = analyzeOne(configError{}, b)
	if len(got) != 1 {
		t.Fatalf("got %d findings", len(got))
	}
	checkFinding(t, b, got[0], incident.CategoryConfigError, deployOrder, `secret "order-tls" does not exist`)
}

// A database refusing clients is blamed on the database, unless the client
// just multiplied its replicas (and so its pools).
func TestTooManyClientsAfterTheClientScaledOut(t *testing.T) {
	const refused = `PG::ConnectionBad: connection to server at "orders-db.shop.svc" (10.0.3.4), port 5432 failed: FATAL:  sorry, too many clients already`
	bundle := func(replicas ...float64) *incident.Bundle {
		b := newBundle(orderPod("order-1", healthy()))
		b.Target.Workload = deployOrder
		b.Services = []incident.ServiceState{{Namespace: "shop", Name: "orders-db", Dependency: true, Ready: 1,
			Backend: incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "orders-db"}}}
		b.Logs = []incident.LogStream{{Namespace: "shop", Pod: "order-1", Container: "order",
			Lines: []incident.LogLine{{Time: at(-2 * time.Minute), Text: refused}, {Time: at(-time.Minute), Text: refused}}}}
		b.Metrics = []incident.Series{metric(incident.MetricWorkloadReplicas, deployOrder, time.Minute, replicas...)}
		return b
	}
	scaled := bundle(4, 4, 8, 12, 12, 12)
	got := analyzeOne(exhaustion{}, scaled)
	if len(got) != 1 {
		t.Fatalf("want one finding, got %+v", got)
	}
	checkFinding(t, scaled, got[0], incident.CategoryResourceExhaustion, deployOrder, "scaled out from 4 to 12 replicas", "max_connections")
	got = analyzeOne(exhaustion{}, bundle(4, 4, 4, 4, 5, 4))
	if len(got) != 1 || got[0].Entity == deployOrder {
		t.Fatalf("a steady client was blamed for the database's limit: %+v", got)
	}
}
