// Package corpusgen generates labelled container logs for testing template
// mining: realistic entries in many styles (slog, zap, logrus and pino JSON;
// logfmt; nginx, Envoy, PostgreSQL, Redis, gunicorn and uvicorn; Spring Boot
// with Java stack traces; Python logging with tracebacks; Go panics and
// goroutine dumps; klog), each labelled with the template that produced it.
//
// The label is the ground truth of grouping accuracy: two entries share a
// label exactly when a person reading the log would call them the same
// message with different values. Structured entries are labelled by their
// message (and error), the text the miner is meant to group on.
package corpusgen

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// Line is one physical log line with the label of the entry it belongs to.
type Line struct {
	Text  string
	Label int
}

// template makes the lines of one entry.
type template struct {
	name   string
	weight int
	make   func(g *Generator, ts time.Time) []string
}

// Generator produces an endless, reproducible log.
type Generator struct {
	set   []template
	r     *rand.Rand
	now   time.Time
	total int
	// Kubelet prefixes each line with an RFC3339Nano timestamp, as the
	// Kubernetes API does with timestamps=true.
	Kubelet bool
}

// New returns a generator of the main corpus; the same seed gives the same
// log.
func New(seed uint64) *Generator { return newGenerator(templates, seed) }

// NewHeldOut returns a generator of the held-out corpus: styles written
// after the miner's default configuration was chosen, to measure accuracy
// on logs it was not tuned on.
func NewHeldOut(seed uint64) *Generator { return newGenerator(heldOut, seed) }

func newGenerator(set []template, seed uint64) *Generator {
	total := 0
	for _, t := range set {
		total += t.weight
	}
	return &Generator{set: set, r: rand.New(rand.NewPCG(seed, 0x10c5)), now: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		total: total, Kubelet: true}
}

// Templates returns the names of the main corpus's templates, by label.
func Templates() []string { return names(templates) }

// HeldOutTemplates returns the names of the held-out templates, by label.
func HeldOutTemplates() []string { return names(heldOut) }

func names(set []template) []string {
	out := make([]string, len(set))
	for i, t := range set {
		out[i] = t.name
	}
	return out
}

// Entry returns the lines of the next entry and its label.
func (g *Generator) Entry() ([]string, int) {
	g.now = g.now.Add(time.Duration(1+g.r.IntN(40)) * time.Millisecond)
	pick := g.r.IntN(g.total)
	for i, t := range g.set {
		if pick < t.weight {
			return g.render(i), i
		}
		pick -= t.weight
	}
	return g.render(0), 0
}

// EntryOf returns the lines of an entry of the given label.
func (g *Generator) EntryOf(label int) []string {
	g.now = g.now.Add(time.Duration(1+g.r.IntN(40)) * time.Millisecond)
	return g.render(label)
}

// SetTime moves the generator's clock.
func (g *Generator) SetTime(t time.Time) { g.now = t }

func (g *Generator) render(label int) []string {
	lines := g.set[label].make(g, g.now)
	if g.Kubelet {
		prefix := g.now.Format(time.RFC3339Nano) + " "
		for i := range lines {
			lines[i] = prefix + lines[i]
		}
	}
	return lines
}

// Generate returns at least n lines of the main corpus.
func Generate(seed uint64, n int) []Line { return New(seed).Lines(n) }

// Lines returns at least n lines.
func (g *Generator) Lines(n int) []Line {
	out := make([]Line, 0, n+32)
	for len(out) < n {
		lines, label := g.Entry()
		for _, l := range lines {
			out = append(out, Line{Text: l, Label: label})
		}
	}
	return out
}

// Reader streams about size bytes of generated log without holding it.
func Reader(seed uint64, size int64) io.Reader {
	return &reader{g: New(seed), left: size}
}

type reader struct {
	g    *Generator
	left int64
	buf  []byte
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.left <= 0 {
			return 0, io.EOF
		}
		lines, _ := r.g.Entry()
		for _, l := range lines {
			r.buf = append(r.buf, l...)
			r.buf = append(r.buf, '\n')
		}
		r.left -= int64(len(r.buf))
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// Value generators.

func (g *Generator) intn(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func (g *Generator) pick(words ...string) string { return words[g.r.IntN(len(words))] }

func (g *Generator) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}

func (g *Generator) alnum(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.r.IntN(len(chars))]
	}
	return string(b)
}

// suffix draws n characters from the alphabet Kubernetes uses for
// generated names.
func (g *Generator) suffix(n int) string {
	const chars = "bcdfghjklmnpqrstvwxz2456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.r.IntN(len(chars))]
	}
	return string(b)
}

func (g *Generator) ip() string {
	return fmt.Sprintf("10.%d.%d.%d", g.r.IntN(4), g.r.IntN(256), 1+g.r.IntN(254))
}

func (g *Generator) uuid() string {
	h := g.hex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-" + h[16:20] + "-" + h[20:]
}

func (g *Generator) pod(svc string) string {
	return svc + "-" + g.suffix(g.intn(8, 10)) + "-" + g.suffix(5)
}

func (g *Generator) ms() string { return fmt.Sprintf("%dms", g.intn(1, 999)) }

func (g *Generator) secs() string { return fmt.Sprintf("%.3fs", g.r.Float64()*5) }

func (g *Generator) user() string {
	return g.pick("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar")
}

func (g *Generator) orderID() string { return "ord_" + g.alnum(10) }

func (g *Generator) sku() string { return fmt.Sprintf("SKU-%05d", g.intn(1, 99999)) }

func (g *Generator) apiPath() string {
	return g.pick(fmt.Sprintf("/api/v1/orders/%d", g.intn(1, 99999)), "/api/v1/orders", "/healthz", "/readyz",
		fmt.Sprintf("/api/v1/products/%s", g.sku()), "/api/v1/cart", fmt.Sprintf("/api/v1/users/%d/orders", g.intn(1, 9999)))
}

func (g *Generator) method() string { return g.pick("GET", "GET", "GET", "POST", "PUT", "DELETE") }

func (g *Generator) status() int {
	return []int{200, 200, 200, 200, 201, 204, 301, 400, 404, 500, 502, 503}[g.r.IntN(12)]
}

func (g *Generator) agent() string {
	return g.pick("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"curl/8.5.0", "kube-probe/1.31", "Go-http-client/1.1", "python-requests/2.32.3",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
}

// javaFrames renders "at" lines for qualified methods such as
// com.example.shop.InventoryClient.getStock.
func (g *Generator) javaFrames(methods ...string) []string {
	n := g.intn(3, 8)
	out := make([]string, 0, n)
	for i := range n {
		m := methods[i%len(methods)]
		class := m[:strings.LastIndexByte(m, '.')]
		file := class[strings.LastIndexByte(class, '.')+1:]
		out = append(out, fmt.Sprintf("\tat %s(%s.java:%d)", m, file, g.intn(20, 900)))
	}
	return out
}

func (g *Generator) pyFrames() []string {
	n := g.intn(2, 4)
	out := make([]string, 0, 2*n)
	files := []string{"/app/payment/worker.py", "/app/payment/gateway.py", "/usr/local/lib/python3.12/site-packages/requests/api.py", "/app/payment/models.py"}
	funcs := []string{"process", "charge", "request", "to_cents", "handle"}
	for range n {
		out = append(out, fmt.Sprintf(`  File "%s", line %d, in %s`, g.pick(files...), g.intn(10, 400), g.pick(funcs...)),
			"    "+g.pick("result = gateway.charge(order)", "return self.session.post(url, json=body)", "amount = order['total']", "raise err"))
	}
	return out
}

func (g *Generator) goroutine(fn string) []string {
	out := []string{"", fmt.Sprintf("goroutine %d [running]:", g.intn(1, 900)),
		fn + "(0x" + g.hex(8) + ", 0x" + g.hex(10) + ")",
		fmt.Sprintf("\t/app/internal/%s.go:%d +0x%s", g.pick("handler", "store", "cache"), g.intn(10, 300), g.hex(3)),
		"net/http.HandlerFunc.ServeHTTP(0x" + g.hex(8) + ", {0x" + g.hex(7) + ", 0x" + g.hex(10) + "}, 0x" + g.hex(10) + ")",
		fmt.Sprintf("\t/usr/local/go/src/net/http/server.go:%d +0x%s", g.intn(2000, 3400), g.hex(2)),
	}
	if g.r.IntN(2) == 0 {
		out = append(out, "created by net/http.(*Server).Serve in goroutine 1",
			fmt.Sprintf("\t/usr/local/go/src/net/http/server.go:%d +0x%s", g.intn(3300, 3400), g.hex(3)))
	}
	return out
}

func springTS(ts time.Time) string { return ts.Format("2006-01-02 15:04:05.000") }
func pyTS(ts time.Time) string {
	return ts.Format("2006-01-02 15:04:05") + fmt.Sprintf(",%03d", ts.Nanosecond()/1e6)
}
func klogTS(ts time.Time) string { return ts.Format("0102 15:04:05.000000") }
