package corpusgen

import (
	"fmt"
	"time"
)

// heldOut are styles not seen while the miner's defaults were chosen. The
// last ones are known hard cases for Drain-style miners: a variable first
// word, a list of variable length inside the line, and two messages that
// differ in one word.
var heldOut = []template{
	{"mysql aborted connection", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s %d [Note] [MY-010914] [Server] Aborted connection %d to db: '%s' user: '%s' host: '%s' (Got an error reading communication packets).`,
			ts.Format("2006-01-02T15:04:05.000000Z"), g.intn(10, 99), g.intn(1000, 99999), g.pick("orders", "catalog"), g.pick("app", "report"), g.ip()))
	}},
	{"mysql slow query", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s %d [Warning] [MY-010055] [Server] IP address '%s' could not be resolved: Name or service not known`,
			ts.Format("2006-01-02T15:04:05.000000Z"), g.intn(10, 99), g.ip()))
	}},
	{"kafka partition leader", 4, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`[%s] INFO [Partition orders-%d broker=%d] ISR updated to %d,%d and version updated to %d (kafka.cluster.Partition)`,
			ts.Format("2006-01-02 15:04:05,000"), g.intn(0, 11), g.intn(0, 2), g.intn(0, 2), g.intn(0, 2), g.intn(1, 500)))
	}},
	{"kafka consumer rebalance", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`[%s] INFO [GroupCoordinator %d]: Preparing to rebalance group %s in state PreparingRebalance with old generation %d (__consumer_offsets-%d) (reason: Adding new member %s-%s) (kafka.coordinator.group.GroupCoordinator)`,
			ts.Format("2006-01-02 15:04:05,000"), g.intn(0, 2), g.pick("billing", "shipping", "notifications"), g.intn(1, 90), g.intn(0, 49), g.pick("consumer-1", "consumer-2"), g.uuid()))
	}},
	{"haproxy http log", 40, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s:%d [%s] http-in~ %s/%s %d/%d/%d/%d/%d %d %d - - ---- %d/%d/%d/%d/%d 0/0 "%s %s HTTP/1.1"`,
			g.ip(), g.intn(30000, 65000), ts.Format("02/Jan/2006:15:04:05.000"), g.pick("orders", "catalog", "cart"), g.pick("web1", "web2", "web3"),
			g.intn(0, 20), g.intn(0, 5), g.intn(0, 5), g.intn(0, 300), g.intn(0, 400), g.status(), g.intn(100, 90000),
			g.intn(1, 900), g.intn(1, 900), g.intn(0, 90), g.intn(0, 30), g.intn(0, 3), g.method(), g.apiPath()))
	}},
	{"haproxy server down", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`[WARNING]  (%d) : Server %s/%s is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: %dms. %d active and 0 backup servers left. %d sessions active, 0 requeued, 0 remaining in queue.`,
			g.intn(7, 9), g.pick("orders", "catalog"), g.pick("web1", "web2"), g.intn(0, 9), g.intn(0, 3), g.intn(0, 40)))
	}},
	{"coredns query", 30, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`[INFO] %s:%d - %d "%s IN %s.%s.svc.cluster.local. udp %d false 512" %s qr,aa,rd %d %s`,
			g.ip(), g.intn(30000, 65000), g.intn(1, 65535), g.pick("A", "AAAA"), g.pick("orders", "redis-master", "postgres"), g.pick("shop", "cache", "db"),
			g.intn(40, 90), g.pick("NOERROR", "NXDOMAIN"), g.intn(80, 200), fmt.Sprintf("%.6fs", g.r.Float64()/100)))
	}},
	{"coredns upstream error", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`[ERROR] plugin/errors: 2 %s. A: read udp %s:%d->%s:53: i/o timeout`,
			g.pick("api.stripe.com", "hooks.slack.com", "sts.amazonaws.com"), g.ip(), g.intn(30000, 65000), g.ip()))
	}},
	{"etcd slow apply", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":"warn","ts":"%s","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"%dms","expected-duration":"100ms","prefix":"read-only range ","request":"key:\"/registry/pods/shop/%s\" ","response":"range_response_count:1 size:%d"}`,
			ts.Format(time.RFC3339Nano), g.intn(101, 900), g.pod("order"), g.intn(1000, 9000)))
	}},
	{"containerd pulled image", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`time="%s" level=info msg="PullImage \"registry.example.com/shop/%s:1.%d.%d\" returns image reference \"sha256:%s\""`,
			ts.Format(time.RFC3339Nano), g.pick("order", "cart", "payment"), g.intn(0, 9), g.intn(0, 30), g.hex(64)))
	}},
	{"rails started", 20, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`I, [%s #%d]  INFO -- : [%s] Started %s "%s" for %s at %s`,
			ts.Format("2006-01-02T15:04:05.000000"), g.intn(1, 99), g.uuid(), g.method(), g.apiPath(), g.ip(), ts.Format("2006-01-02 15:04:05 +0000")))
	}},
	{"rails completed", 20, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`I, [%s #%d]  INFO -- : [%s] Completed %d %s in %dms (Views: %.1fms | ActiveRecord: %.1fms | Allocations: %d)`,
			ts.Format("2006-01-02T15:04:05.000000"), g.intn(1, 99), g.uuid(), 200, "OK", g.intn(1, 900), g.r.Float64()*50, g.r.Float64()*50, g.intn(100, 90000)))
	}},
	{"dotnet request failed", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`fail: Microsoft.AspNetCore.Server.Kestrel[13] Connection id "%s", Request id "%s:%08X": An unhandled exception was thrown by the application.`,
			g.alnum(13), g.alnum(13), g.intn(1, 99)))
	}},
	{"rabbitmq accepting", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s [info] <0.%d.0> accepting AMQP connection <0.%d.0> (%s:%d -> %s:5672)`,
			ts.Format("2006-01-02 15:04:05.000000+00:00"), g.intn(100, 9999), g.intn(100, 9999), g.ip(), g.intn(30000, 65000), g.ip()))
	}},
	{"node express error", 2, func(g *Generator, ts time.Time) []string {
		out := lines(fmt.Sprintf("Error: connect ECONNREFUSED %s:6379", g.ip()))
		for range g.intn(2, 5) {
			out = append(out, fmt.Sprintf("    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:%d:%d)", g.intn(1000, 1700), g.intn(1, 20)))
		}
		return out
	}},
	{"systemd-style oom", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`Memory cgroup out of memory: Killed process %d (%s) total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB, shmem-rss:0kB, UID:%d pgtables:%dkB oom_score_adj:%d`,
			g.intn(1000, 99999), g.pick("java", "node", "python3"), g.intn(100000, 9000000), g.intn(10000, 900000), g.intn(1000, 90000), g.intn(0, 1000), g.intn(100, 9000), g.intn(-1000, 1000)))
	}},
	{"user logged out (variable first word)", 4, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf("%s logged out after %d minutes", g.user(), g.intn(1, 600)))
	}},
	{"pods not ready (variable-length list)", 3, func(g *Generator, ts time.Time) []string {
		n := g.intn(1, 4)
		pods := ""
		for i := range n {
			if i > 0 {
				pods += " "
			}
			pods += g.pod(g.pick("order", "cart", "payment"))
		}
		return lines(fmt.Sprintf("waiting for pods [%s] to become ready in namespace shop", pods))
	}},
	{"cache hit", 10, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf("cache hit for product %s", g.sku()))
	}},
	{"cache miss", 5, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf("cache miss for product %s", g.sku()))
	}},
}
