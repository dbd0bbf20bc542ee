package corpusgen

import (
	"fmt"
	"strconv"
	"time"
)

func rfc(ts time.Time) string { return ts.Format(time.RFC3339Nano) }

func lines(s ...string) []string { return s }

// templates is the catalogue; weights approximate how often such entries
// appear in a busy service's log (requests dominate, failures are rare).
var templates = []template{
	// slog JSON (order-service)
	{"slog order created", 30, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"order created","order_id":"%s","items":%d,"total_cents":%d}`,
			rfc(ts), g.orderID(), g.intn(1, 9), g.intn(100, 99999)))
	}},
	{"slog http request", 60, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"http request","method":"%s","path":"%s","status":%d,"duration_ms":%d}`,
			rfc(ts), g.method(), g.apiPath(), g.status(), g.intn(1, 900)))
	}},
	{"slog slow query", 8, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"time":"%s","level":"WARN","msg":"slow query","table":"%s","duration":"%s"}`,
			rfc(ts), g.pick("orders", "order_items", "customers"), g.secs()))
	}},
	{"slog reserve stock 503", 4, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"time":"%s","level":"ERROR","msg":"failed to reserve stock","sku":"%s","error":"inventory service returned %s"}`,
			rfc(ts), g.sku(), g.pick("503", "502", "500")))
	}},
	{"slog reserve stock refused", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"time":"%s","level":"ERROR","msg":"failed to reserve stock","sku":"%s","error":"dial tcp %s:8080: connect: connection refused"}`,
			rfc(ts), g.sku(), g.ip()))
	}},
	{"slog cache refreshed", 5, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"cache refreshed in %s, %d entries"}`, rfc(ts), g.ms(), g.intn(100, 9999)))
	}},
	{"slog retrying", 6, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"time":"%s","level":"DEBUG","msg":"retrying request to %s attempt %d/5"}`,
			rfc(ts), g.pick("payment-service", "inventory-service", "auth-service"), g.intn(1, 5)))
	}},
	// zap JSON (payment-service)
	{"zap charge authorized", 25, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":"info","ts":%d.%03d,"caller":"payment/charge.go:88","msg":"charge authorized","amount":%d,"currency":"%s","customer":"cus_%s"}`,
			ts.Unix(), ts.Nanosecond()/1e6, g.intn(100, 50000), g.pick("EUR", "USD", "GBP"), g.alnum(14)))
	}},
	{"zap charge declined", 4, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":"error","ts":%d.%03d,"caller":"payment/charge.go:%d","msg":"charge declined","error":"card_declined: insufficient funds","stacktrace":"main.charge\n\t/app/payment/charge.go:%d\nmain.handle\n\t/app/payment/http.go:%d"}`,
			ts.Unix(), ts.Nanosecond()/1e6, g.intn(90, 99), g.intn(90, 99), g.intn(30, 80)))
	}},
	{"zap circuit open", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":"warn","ts":%d.%03d,"caller":"breaker/breaker.go:51","msg":"circuit breaker open","upstream":"%s","failures":%d}`,
			ts.Unix(), ts.Nanosecond()/1e6, g.pick("bank-gateway", "fraud-check"), g.intn(5, 50)))
	}},
	{"zap starting", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":"info","ts":%d.%03d,"caller":"cmd/main.go:42","msg":"Starting payment-service","version":"1.%d.%d","port":8080}`,
			ts.Unix(), ts.Nanosecond()/1e6, g.intn(0, 9), g.intn(0, 20)))
	}},
	// logrus JSON (auth-service)
	{"logrus user logged in", 15, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":"info","msg":"User %s logged in from %s","time":"%s"}`, g.user(), g.ip(), rfc(ts)))
	}},
	{"logrus token invalid", 4, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":"error","msg":"token validation failed: signature is invalid","time":"%s","request_id":"%s"}`, rfc(ts), g.uuid()))
	}},
	{"logrus rate limit", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":"warning","msg":"rate limit exceeded for client %s","time":"%s"}`,
			g.pick("api-gateway", "mobile-app", "partner-sync", "batch-exporter"), rfc(ts)))
	}},
	// logfmt (auth-service, go-kit style)
	{"logfmt login succeeded", 20, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`ts=%s level=info caller=server.go:%d msg="login succeeded" user=%s method=%s duration=%s`,
			rfc(ts), g.intn(100, 140), g.user(), g.pick("password", "oidc", "webauthn"), g.ms()))
	}},
	{"logfmt login failed", 5, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`ts=%s level=warn caller=server.go:%d msg="login failed" user=%s reason="%s" attempts=%d`,
			rfc(ts), g.intn(150, 160), g.user(), g.pick("bad password", "unknown user", "account locked"), g.intn(1, 5)))
	}},
	{"logfmt redis connect failed", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`ts=%s level=error caller=store.go:61 msg="failed to connect to redis" addr=redis-master:6379 err="dial tcp %s:6379: i/o timeout"`,
			rfc(ts), g.ip()))
	}},
	{"logfmt session cleanup", 4, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`ts=%s level=info msg="session cleanup finished" removed=%d duration=%s`, rfc(ts), g.intn(0, 500), g.secs()))
	}},
	{"logfmt cache miss", 10, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`level=debug ts=%s msg="cache miss" key=session:%s`, rfc(ts), g.alnum(12)))
	}},
	{"logfmt grafana listen", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`t=%s lvl=info msg="HTTP Server Listen" logger=http.server address=[::]:3000 protocol=http subUrl= socket=`, rfc(ts)))
	}},
	{"logfmt compaction failed", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`level=error ts=%s caller=db.go:%d component=tsdb msg="compaction failed" err="write /prometheus/01H%s: no space left on device"`,
			rfc(ts), g.intn(900, 999), g.alnum(20)))
	}},
	// nginx
	{"nginx access", 80, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s - - [%s] "%s %s HTTP/1.1" %d %d "%s" "%s"`, g.ip(), ts.Format("02/Jan/2006:15:04:05 -0700"),
			g.method(), g.apiPath(), g.status(), g.intn(0, 20000), g.pick("-", "https://shop.example.com/", "https://shop.example.com/cart"), g.agent()))
	}},
	{"nginx upstream refused", 3, func(g *Generator, ts time.Time) []string {
		ip := g.ip()
		path := g.apiPath()
		return lines(fmt.Sprintf(`%s [error] %d#%d: *%d connect() failed (111: Connection refused) while connecting to upstream, client: %s, server: shop.example.com, request: "%s %s HTTP/1.1", upstream: "http://%s:8080%s", host: "shop.example.com"`,
			ts.Format("2006/01/02 15:04:05"), g.intn(20, 40), g.intn(20, 40), g.intn(1, 99999), g.ip(), g.method(), path, ip, path))
	}},
	{"nginx upstream timeout", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s [error] %d#%d: *%d upstream timed out (110: Connection timed out) while reading response header from upstream, client: %s, server: shop.example.com, request: "%s %s HTTP/1.1", upstream: "http://%s:8080/", host: "shop.example.com"`,
			ts.Format("2006/01/02 15:04:05"), g.intn(20, 40), g.intn(20, 40), g.intn(1, 99999), g.ip(), g.method(), g.apiPath(), g.ip()))
	}},
	{"nginx buffered", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s [warn] %d#%d: *%d an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/%d/%02d/%010d while reading upstream, client: %s, server: shop.example.com, request: "GET %s HTTP/1.1", upstream: "http://%s:8080/", host: "shop.example.com"`,
			ts.Format("2006/01/02 15:04:05"), g.intn(20, 40), g.intn(20, 40), g.intn(1, 99999), g.intn(1, 9), g.intn(0, 99), g.intn(1, 99999), g.ip(), g.apiPath(), g.ip()))
	}},
	// Spring Boot (catalog-service)
	{"spring fetched product", 25, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s  INFO 1 --- [nio-8080-exec-%d] c.e.shop.catalog.ProductController       : Fetched product %s in %d ms`,
			springTS(ts), g.intn(1, 10), g.sku(), g.intn(1, 300)))
	}},
	{"spring product not found", 5, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s  WARN 1 --- [nio-8080-exec-%d] c.e.shop.catalog.ProductController       : Product %s not found`,
			springTS(ts), g.intn(1, 10), g.sku()))
	}},
	{"spring NPE", 2, func(g *Generator, ts time.Time) []string {
		out := lines(fmt.Sprintf(`%s ERROR 1 --- [nio-8080-exec-%d] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause`,
			springTS(ts), g.intn(1, 10)), "", "java.lang.NullPointerException: null")
		return append(out, g.javaFrames("com.example.shop.catalog.PriceService.price", "com.example.shop.catalog.ProductController.get",
			"org.springframework.web.servlet.FrameworkServlet.service", "javax.servlet.http.HttpServlet.service")...)
	}},
	{"spring inventory refused", 2, func(g *Generator, ts time.Time) []string {
		id := g.intn(1, 9999)
		out := lines(fmt.Sprintf(`%s ERROR 1 --- [nio-8080-exec-%d] c.e.shop.catalog.InventoryClient         : Failed to call inventory service for product %d`, springTS(ts), g.intn(1, 10), id),
			fmt.Sprintf(`org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://inventory:8080/stock/%d": Connection refused; nested exception is java.net.ConnectException: Connection refused`, id))
		out = append(out, g.javaFrames("org.springframework.web.client.RestTemplate.doExecute", "com.example.shop.catalog.InventoryClient.getStock")...)
		out = append(out, "Caused by: java.net.ConnectException: Connection refused")
		out = append(out, g.javaFrames("java.base/sun.nio.ch.Net.connect0", "java.base/java.net.Socket.connect")...)
		return append(out, fmt.Sprintf("\t... %d more", g.intn(20, 60)))
	}},
	{"spring started", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s  INFO 1 --- [           main] c.e.shop.catalog.CatalogApplication      : Started CatalogApplication in %.3f seconds (JVM running for %.3f)`,
			springTS(ts), 5+g.r.Float64()*5, 10+g.r.Float64()*5))
	}},
	{"spring cache warmed", 3, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s  INFO 1 --- [   scheduling-1] c.e.shop.catalog.CacheWarmer             : Warmed %d products into cache`, springTS(ts), g.intn(100, 9999)))
	}},
	{"spring hikari starvation", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s  WARN 1 --- [l-1 housekeeper] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=%dm%ds%dms).`,
			springTS(ts), g.intn(1, 5), g.intn(0, 59), g.intn(0, 999)))
	}},
	{"spring hikari timeout", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s ERROR 1 --- [nio-8080-exec-%d] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Connection is not available, request timed out after %sms.`,
			springTS(ts), g.intn(1, 10), g.pick("30000", "30001", "30004")))
	}},
	// Python logging (payment-worker)
	{"python processed payment", 20, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s INFO [payment.worker] Processed payment %s for order %s in %.2fs`, pyTS(ts), g.hex(8), g.orderID(), g.r.Float64()*2))
	}},
	{"python retrying charge", 4, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s WARNING [payment.worker] Retrying charge for order %s (attempt %d of 5)`, pyTS(ts), g.orderID(), g.intn(2, 5)))
	}},
	{"python failed payment keyerror", 2, func(g *Generator, ts time.Time) []string {
		out := lines(fmt.Sprintf(`%s ERROR [payment.worker] Failed to process payment %s`, pyTS(ts), g.hex(8)), "Traceback (most recent call last):")
		out = append(out, g.pyFrames()...)
		return append(out, fmt.Sprintf("KeyError: '%s'", g.pick("currency", "total", "customer_id")))
	}},
	{"python bare traceback refused", 1, func(g *Generator, ts time.Time) []string {
		out := lines("Traceback (most recent call last):")
		out = append(out, g.pyFrames()...)
		return append(out, "ConnectionRefusedError: [Errno 111] Connection refused")
	}},
	{"gunicorn booting worker", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`[%s +0000] [%d] [INFO] Booting worker with pid: %d`, ts.Format("2006-01-02 15:04:05"), g.intn(1, 9), g.intn(7, 99)))
	}},
	{"gunicorn worker timeout", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`[%s +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:%d)`, ts.Format("2006-01-02 15:04:05"), g.intn(7, 99)))
	}},
	{"uvicorn access", 30, func(g *Generator, ts time.Time) []string {
		st := g.status()
		return lines(fmt.Sprintf(`INFO:     %s:%d - "%s %s HTTP/1.1" %d %s`, g.ip(), g.intn(30000, 65000), g.method(), g.apiPath(), st,
			map[int]string{200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 400: "Bad Request", 404: "Not Found",
				500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}[st]))
	}},
	// Go
	{"go panic nil pointer", 1, func(g *Generator, ts time.Time) []string {
		out := lines("panic: runtime error: invalid memory address or nil pointer dereference",
			fmt.Sprintf("[signal SIGSEGV: segmentation violation code=0x1 addr=0x%s pc=0x%s]", g.hex(2), g.hex(6)))
		return append(out, g.goroutine("main.(*Handler).ServeHTTP")...)
	}},
	{"go panic nil map", 1, func(g *Generator, ts time.Time) []string {
		return append(lines("panic: assignment to entry in nil map"), g.goroutine("github.com/shop/cart/internal/store.(*Store).Put")...)
	}},
	{"go fatal concurrent map", 1, func(g *Generator, ts time.Time) []string {
		return append(lines("fatal error: concurrent map writes"), g.goroutine("github.com/shop/cart/internal/cache.(*Cache).Set")...)
	}},
	{"go listening", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf("%s listening on :%s", ts.Format("2006/01/02 15:04:05"), g.pick("8080", "9090", "8443")))
	}},
	{"go tls handshake error", 4, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf("%s http: TLS handshake error from %s:%d: remote error: tls: bad certificate", ts.Format("2006/01/02 15:04:05"), g.ip(), g.intn(30000, 65000)))
	}},
	// klog (controllers)
	{"klog listing and watching", 4, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`I%s       1 reflector.go:%d] Listing and watching *v1.%s from k8s.io/client-go/informers/factory.go:160`,
			klogTS(ts), g.intn(300, 370), g.pick("Pod", "Node", "Service", "Endpoints", "ConfigMap")))
	}},
	{"klog lease error", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`E%s       1 leaderelection.go:340] error retrieving resource lock kube-system/%s: Get "https://10.96.0.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/%s?timeout=5s": context deadline exceeded`,
			klogTS(ts), "cloud-controller", "cloud-controller"))
	}},
	{"klog hostname warning", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`W%s       1 warnings.go:70] metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]`, klogTS(ts)))
	}},
	{"klog synced", 10, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`I%s       1 controller.go:%d] "Successfully synced" key="shop/%s"`, klogTS(ts), g.intn(100, 130), g.pod("order")))
	}},
	{"klog event occurred", 3, func(g *Generator, ts time.Time) []string {
		rs := "order-service-" + g.hex(9)
		return lines(fmt.Sprintf(`I%s       1 event.go:307] "Event occurred" object="shop/order-service" fieldPath="" kind="Deployment" apiVersion="apps/v1" type="Normal" reason="ScalingReplicaSet" message="Scaled up replica set %s to %d"`,
			klogTS(ts), rs, g.intn(1, 9)))
	}},
	// pino (cart-service, Node.js)
	{"pino request completed", 30, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"%s","reqId":"req-%d","res":{"statusCode":%d},"responseTime":%.3f,"msg":"request completed"}`,
			ts.UnixMilli(), g.pod("cart"), g.intn(1, 99999), g.status(), g.r.Float64()*100))
	}},
	{"pino unhandled rejection", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"%s","err":{"type":"Error","message":"read ECONNRESET","stack":"Error: read ECONNRESET\n    at TLSWrap.onStreamRead (node:internal/stream_base_commons:%d:%d)"},"msg":"unhandled rejection"}`,
			ts.UnixMilli(), g.pod("cart"), g.intn(200, 220), g.intn(10, 30)))
	}},
	// plain connection messages without level
	{"plain connection opened", 5, func(g *Generator, ts time.Time) []string { return lines("Connection opened") }},
	{"plain connection closed", 5, func(g *Generator, ts time.Time) []string { return lines("Connection closed") }},
	// PostgreSQL
	{"postgres checkpoint starting", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s UTC [%d] LOG:  checkpoint starting: %s`, springTS(ts), g.intn(20, 90), g.pick("time", "wal", "immediate force wait")))
	}},
	{"postgres checkpoint complete", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s UTC [%d] LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, %d removed, %d recycled; write=%.3f s, sync=%.3f s, total=%.3f s; sync files=%d, longest=%.3f s, average=%.3f s; distance=%d kB, estimate=%d kB`,
			springTS(ts), g.intn(20, 90), g.intn(1, 9000), g.r.Float64()*10, g.intn(0, 3), g.intn(0, 3), g.r.Float64()*30, g.r.Float64(), g.r.Float64()*30,
			g.intn(1, 90), g.r.Float64(), g.r.Float64(), g.intn(1, 99999), g.intn(1, 99999)))
	}},
	{"postgres auth failed", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s UTC [%d] FATAL:  password authentication failed for user "%s"`, springTS(ts), g.intn(1000, 9999), g.pick("orders", "catalog", "grafana")))
	}},
	{"postgres duplicate key", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s UTC [%d] ERROR:  duplicate key value violates unique constraint "%s"`, springTS(ts), g.intn(1000, 9999), g.pick("orders_pkey", "customers_email_key")))
	}},
	{"postgres detail key exists", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`%s UTC [%d] DETAIL:  Key (id)=(%d) already exists.`, springTS(ts), g.intn(1000, 9999), g.intn(1, 99999)))
	}},
	// Redis
	{"redis background saving", 2, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`1:M %s * Background saving started by pid %d`, ts.Format("02 Jan 2006 15:04:05.000"), g.intn(100, 9999)))
	}},
	{"redis backlog warning", 1, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`1:M %s # WARNING: The TCP backlog setting of 511 cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of 128.`, ts.Format("02 Jan 2006 15:04:05.000")))
	}},
	// Envoy access log (istio sidecar)
	{"envoy access", 20, func(g *Generator, ts time.Time) []string {
		return lines(fmt.Sprintf(`[%s] "%s %s HTTP/1.1" %d %s %s - "-" %d %d %d %s "-" "%s" "%s" "order:8080" "%s:8080" outbound|8080||order.shop.svc.cluster.local %s:%d 10.96.%d.%d:8080 %s:%d - default`,
			ts.Format("2006-01-02T15:04:05.000Z"), g.method(), g.apiPath(), g.status(), g.pick("-", "UF", "URX", "UH", "UT"), g.pick("-", "via_upstream", "upstream_reset_before_response_started{connection_failure}"),
			g.intn(0, 900), g.intn(0, 9000), g.intn(0, 3000), strconv.Itoa(g.intn(0, 3000)), g.pick("curl/8.5.0", "Go-http-client/1.1", "envoy"), g.uuid(), g.ip(), g.ip(), g.intn(30000, 65000),
			g.intn(0, 255), g.intn(1, 254), g.ip(), g.intn(30000, 65000)))
	}},
}
