package logs

import (
	"fmt"
	"strings"
	"testing"
)

func TestMasking(t *testing.T) {
	tests := []struct{ in, want string }{
		{"connected to 10.0.0.1:5432 in 12ms", "connected to <*> in <*>"},
		{"request 3f2a1c9e-1b2c-4d5e-8f90-a1b2c3d4e5f6 done", "request <*> done"},
		{"pod order-7d9c5f8b6-x2x1q and order-bcdfg-xkzqp restarted", "pod <*> and <*> restarted"},
		{"id deadbeefcafebabe from fe80::1 and ::1", "id <*> from <*> and <*>"},
		{`GET "/a b c" user="jane doe" 'quoted here' don't`, `GET <*> user=<*> <*> don't`},
		{"x509: certificate signed by unknown authority over http2", "x509: certificate signed by unknown authority over http2"},
		{"sent mail to ops@example.com at 2026-11-20T10:00:00Z", "sent mail to <*> at <*>"},
		{"retry=3 backoff=1.5s status=ok", "retry=<*> backoff=<*> status=ok"},
		{"GET /api/v1/orders/123 took 1m30s size 128Mi", "GET <*> took <*> size <*>"},
		{"pods [order-7d9c5-x2x1q cart-bcdfg-xkzqp] not ready", "pods <*> not ready"},
		{"thread [           main] started, [must not contain dots]", "thread [           main] started, [must not contain dots]"},
		{"unbalanced [a b", "unbalanced [a b"},
		{"status changed Fri Jul 01 08:16:53 PDT 2005", "status changed <*> <*> <*> <*> PDT <*>"},
		{"machine check: i-fetch......0 block blk_-42 onExtend:1514038 at db.example:5432", "machine check: i-fetch......<*> block blk_<*> onExtend:<*> at <*>"},
	}
	tz := newTokenizer()
	for _, tt := range tests {
		if got := strings.Join(tz.split(tt.in), " "); got != tt.want {
			t.Errorf("mask(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestMinerGroupsAndGeneralises(t *testing.T) {
	m := NewMiner(DefaultMinerConfig())
	a := m.Add("user alice logged in from 10.0.0.1")
	b := m.Add("user bob logged in from 10.0.0.2")
	c := m.Add("disk full on /dev/sda1")
	d := m.Add("Connection opened")
	e := m.Add("Connection closed")
	f := m.Add("user carol logged in from 10.0.0.3")
	g := m.Add("Connection opened")
	m.Consolidate()
	// Three rare words at one position are a variable; two frequent-enough
	// words in a short line are two events.
	if m.Resolve(a) != m.Resolve(b) || m.Resolve(a) != m.Resolve(f) {
		t.Errorf("same template resolved to %s, %s and %s", m.Resolve(a), m.Resolve(b), m.Resolve(f))
	}
	if m.Resolve(a) == m.Resolve(c) || m.Resolve(d) == m.Resolve(e) || d != g {
		t.Errorf("different templates share an id")
	}
	tm, ok := m.Template(m.Resolve(a))
	if !ok || tm.Pattern != "user <*> logged in from <*>" || tm.Count != 3 {
		t.Errorf("template %+v", tm)
	}
	if got := m.Templates()[0]; got.ID != m.Resolve(a) {
		t.Errorf("most frequent template first, got %+v", got)
	}
}

// Templates of one word after the status, made before a longer reason
// phrase taught the tail, join the tail template at the consolidation.
func TestConsolidationAbsorbsIntoTail(t *testing.T) {
	m := NewMiner(DefaultMinerConfig())
	var ids []string
	for _, s := range []string{`INFO: 10.0.0.1:5000 - "GET / HTTP/1.1" 200 OK`, `INFO: 10.0.0.2:5001 - "POST /x HTTP/1.1" 201 Created`,
		`INFO: 10.0.0.3:5002 - "GET /y HTTP/1.1" 404 Not Found`, `INFO: 10.0.0.4:5003 - "GET / HTTP/1.1" 200 OK`} {
		ids = append(ids, m.Add(s))
	}
	m.Consolidate()
	for i, id := range ids {
		if m.Resolve(id) != m.Resolve(ids[0]) {
			t.Errorf("line %d resolves to %s, line 0 to %s", i, m.Resolve(id), m.Resolve(ids[0]))
		}
	}
	if m.Len() != 1 {
		t.Errorf("%d templates kept, want 1: %+v", m.Len(), m.Templates())
	}
}

// A template merged away by its first word, seen again, routes to its old
// branch and starts a template with the same first-seen form; it must get a
// fresh id, or the aliases would loop.
func TestMergedIDIsNotReused(t *testing.T) {
	m := NewMiner(DefaultMinerConfig())
	var ids []string
	for round := range 3 {
		for _, u := range []string{"alice", "bob", "carol", "dave"} {
			id := m.Add(u + " logged out")
			if m.Resolve(id) != id {
				t.Fatalf("round %d: Add returned %s, the id of a merged template", round, id)
			}
			ids = append(ids, id)
		}
		m.Consolidate()
		if round == 0 && m.Len() != 1 {
			t.Fatalf("%d templates after the first round, want 1", m.Len())
		}
	}
	want := m.Resolve(ids[0])
	for i, id := range ids {
		if got := m.Resolve(id); got != want {
			t.Errorf("line %d: %s resolves to %s, want %s", i, id, got, want)
		}
	}
}

// simOf is similarity for a template and a message given as words.
func simOf(tmpl, toks string) float64 {
	c := &cluster{tokens: strings.Fields(tmpl)}
	for _, t := range c.tokens {
		c.info = append(c.info, infoOf(t))
	}
	var msg message
	msg.reset(strings.Fields(toks))
	sim, _, _ := similarity(c, &msg)
	return sim
}

func TestSimilarityConflicts(t *testing.T) {
	if sim := simOf("[instance: <*>] VM Started (Lifecycle Event)", "[instance: <*>] VM Paused (Lifecycle Event)"); sim >= 0 {
		t.Errorf("one differing word of 6 joined (similarity %v)", sim)
	}
	long := "GET /a 200 UF via_upstream 10 20 30 curl <*> <*> <*> <*> <*> <*> <*> <*> <*> <*> <*>"
	if sim := simOf(long, "GET /a 200 URX via_upstream 10 20 30 curl <*> <*> <*> <*> <*> <*> <*> <*> <*> <*> <*>"); sim < 0 {
		t.Error("one differing flag in a 20-token line is a conflict")
	}
	if sim := simOf("retry to payment-service now", "retry to auth-service now"); sim < 0 {
		t.Error("two compound names conflict")
	}
	if sim := simOf("retry=<*> to payment now", "retry=3 to payment now"); sim != 0.75 {
		t.Errorf("a value of the same key: similarity %v, want 0.75", sim)
	}
	if sim := simOf("retry=<*> to payment now", "retries=3 to payment now"); sim >= 0 {
		t.Errorf("values of different keys joined (similarity %v)", sim)
	}
}

func TestMinerVariableTail(t *testing.T) {
	m := NewMiner(DefaultMinerConfig())
	ids := map[string]bool{}
	for _, s := range []string{`INFO: 10.0.0.1:5000 - "GET / HTTP/1.1" 200 OK`, `INFO: 10.0.0.2:5001 - "GET /x HTTP/1.1" 404 Not Found`,
		`INFO: 10.0.0.3:5002 - "POST / HTTP/1.1" 500 Internal Server Error`} {
		ids[m.Add(s)] = true
	}
	if len(ids) != 1 {
		t.Fatalf("variable tail split into %d templates: %+v", len(ids), m.Templates())
	}
}

func TestMinerIDsStable(t *testing.T) {
	run := func() []string {
		m := NewMiner(DefaultMinerConfig())
		var ids []string
		for i := range 200 {
			ids = append(ids, m.Add(fmt.Sprintf("worker %d finished job %d", i%7, i)), m.Add(fmt.Sprintf("queue depth %d", i)))
		}
		return ids
	}
	a, b := run(), run()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatal("ids differ between runs of the same input")
	}
	// An id does not depend on what came before.
	m := NewMiner(DefaultMinerConfig())
	m.Add("something else entirely happened here")
	if got := m.Add("queue depth 5"); got != a[1] {
		t.Fatalf("id %s depends on history (want %s)", got, a[1])
	}
}

func TestMinerLRUEviction(t *testing.T) {
	m := NewMiner(MinerConfig{MaxTemplates: 3})
	var evicted []string
	m.onEvict = func(id string) { evicted = append(evicted, id) }
	first := m.Add("alpha beta gamma")
	m.Add("one two three four")
	m.Add("red green")
	m.Add("alpha beta gamma") // first is now the most recent
	m.Add("a b c d e f")
	if m.Len() != 3 || len(evicted) != 1 {
		t.Fatalf("len %d, evicted %v", m.Len(), evicted)
	}
	if _, ok := m.Template(first); !ok {
		t.Fatal("recently used template was evicted")
	}
	for i := range 10000 {
		m.Add(fmt.Sprintf("distinct%c message shape %s", 'a'+i%26, strings.Repeat("x ", i%50)))
	}
	if m.Len() > 3 {
		t.Fatalf("cap exceeded: %d", m.Len())
	}
}

func FuzzMiner(f *testing.F) {
	for _, s := range []string{"user alice logged in", `a "b c" d='e f'`, "x=\"unterminated", "", "  ", "<*> <*>", "a\tb\nc"} {
		f.Add(s, "second message 42")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		m := NewMiner(MinerConfig{MaxTemplates: 4})
		for range 3 {
			for _, s := range []string{a, b, a + " " + b} {
				id := m.Add(s)
				if _, ok := m.Template(id); !ok {
					t.Fatalf("id %s returned but unknown", id)
				}
			}
		}
		for _, tm := range m.Templates() {
			if tm.Count <= 0 {
				t.Fatalf("template with count %d", tm.Count)
			}
		}
	})
}

// Three frequent names at one position look like wording, unless the same
// names also vary together in another template.
func TestSharedValuesMakeAVariable(t *testing.T) {
	count := func(phrases ...string) int {
		m := NewMiner(DefaultMinerConfig())
		for _, p := range phrases {
			for _, user := range []string{"ann", "bob", "cid"} {
				for range 5 {
					m.Add("session " + p + " for user " + user)
				}
			}
		}
		m.Consolidate()
		return m.Len()
	}
	if n := count("opened"); n != 3 {
		t.Errorf("one family alone: %d templates, want 3 (frequent names stay apart)", n)
	}
	if n := count("opened", "closed now"); n != 2 {
		t.Errorf("names shared by two families: %d templates, want 2", n)
	}
}

// A value a line may or may not carry ("(5.0 KB)") does not make another
// event; an extra word does.
func TestOptionalValueMerges(t *testing.T) {
	for _, tc := range []struct {
		other string
		same  bool
	}{
		{"sent 5120 bytes (5.0 KB) to the primary db", true},
		{"sent 5120 bytes quickly to the primary db", false},
	} {
		m := NewMiner(DefaultMinerConfig())
		a := m.Add("sent 120 bytes to the primary db")
		b := m.Add(tc.other)
		m.Consolidate()
		if same := m.Resolve(a) == m.Resolve(b); same != tc.same {
			t.Errorf("%q merged %v, want %v: %+v", tc.other, same, tc.same, m.Templates())
		}
	}
}
