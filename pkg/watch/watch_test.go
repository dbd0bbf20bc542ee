package watch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// fakeSource serves lines appended with their times, like a kubelet
// honouring sinceTime (seconds) and limitBytes.
type fakeSource struct {
	containers []Container
	lines      map[string][]fakeLine
	listErr    error
	logErr     map[string]error
	sinces     []time.Time
}

type fakeLine struct {
	t    time.Time
	text string
}

func newFakeSource(cs ...Container) *fakeSource {
	return &fakeSource{containers: cs, lines: map[string][]fakeLine{}, logErr: map[string]error{}}
}

func (f *fakeSource) write(c Container, t time.Time, text string) {
	f.lines[c.key()] = append(f.lines[c.key()], fakeLine{t, text})
}

func (f *fakeSource) Containers(_ context.Context, namespace, _ string, max int) ([]Container, error) {
	if f.listErr != nil {
		return nil, f.listErr
	}
	var out []Container
	for _, c := range f.containers {
		if c.Namespace == namespace && len(out) < max {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeSource) Logs(_ context.Context, c Container, since time.Time, maxBytes int64) ([]byte, error) {
	if err := f.logErr[c.key()]; err != nil {
		return nil, err
	}
	f.sinces = append(f.sinces, since)
	var b strings.Builder
	for _, l := range f.lines[c.key()] {
		if !l.t.Before(since) {
			b.WriteString(l.t.UTC().Format(time.RFC3339Nano) + " " + l.text + "\n")
		}
	}
	s := b.String()
	return []byte(s[:min(int64(len(s)), maxBytes)]), nil
}

// clock is a settable time.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var (
	t0  = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	api = Container{Namespace: "shop", Pod: "checkout-7d9c5-x2x1q", Container: "app", Workload: "checkout"}
)

// steady writes n info lines and one known warning over the interval ending at end.
func steady(f *fakeSource, c Container, end time.Time, n int) {
	for i := range n {
		f.write(c, end.Add(-time.Duration(n-i)*time.Second/2), fmt.Sprintf(`{"level":"info","msg":"served order %d in %dms"}`, 1000+i, 10+i))
	}
	f.write(c, end.Add(-time.Second/4), `{"level":"warn","msg":"slow query took 812ms"}`)
}

func newTestWatcher(t *testing.T, f *fakeSource, clk *clock, opt Options) *Watcher {
	t.Helper()
	opt.Namespaces, opt.Interval, opt.Now = []string{"shop"}, 30*time.Second, clk.now
	w, err := New(f, opt)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// pollAt advances the clock to at and polls.
func pollAt(t *testing.T, w *Watcher, clk *clock, at time.Time) []incident.WatchFinding {
	t.Helper()
	clk.t = at
	found, err := w.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestNewErrorTemplateAfterWarmUp(t *testing.T) {
	f, clk := newFakeSource(api), &clock{}
	w := newTestWatcher(t, f, clk, Options{})
	// An error logged during the warm-up is part of the baseline, not new.
	f.write(api, t0.Add(-10*time.Second), `{"level":"error","msg":"cache miss storm for key user:42"}`)
	for i := range 3 {
		at := t0.Add(time.Duration(i) * 30 * time.Second)
		steady(f, api, at, 20)
		if found := pollAt(t, w, clk, at); len(found) != 0 {
			t.Fatalf("poll %d raised %+v before anything new", i, found)
		}
	}
	at := t0.Add(90 * time.Second)
	steady(f, api, at, 20)
	f.write(api, at.Add(-5*time.Second), `{"level":"error","msg":"payment gateway refused connection to 10.0.3.7:443"}`)
	f.write(api, at.Add(-4*time.Second), `{"level":"error","msg":"payment gateway refused connection to 10.0.3.8:443"}`)
	f.write(api, at.Add(-3*time.Second), `{"level":"error","msg":"cache miss storm for key user:43"}`)
	found := pollAt(t, w, clk, at)
	if len(found) != 1 {
		t.Fatalf("want one new error template, got %+v", found)
	}
	g := found[0]
	if g.Kind != incident.WatchNewErrorTemplate || g.Count != 2 || !strings.Contains(g.Template, "payment gateway refused connection") {
		t.Fatalf("finding %+v", g)
	}
	if g.Alert.Labels["alertname"] != incident.WatchNewErrorTemplate || g.Alert.Labels["pod"] != api.Pod ||
		g.Alert.Labels["namespace"] != "shop" || g.Alert.Labels["container"] != "app" || !g.Alert.StartsAt.Equal(at) {
		t.Fatalf("synthetic alert %+v", g.Alert)
	}
	if g.Finding.Severity != incident.SeverityCritical || g.Finding.Entity.Name != api.Pod || g.Finding.ID != g.ID {
		t.Fatalf("finding body %+v", g.Finding)
	}
	// The same template next poll is no longer new.
	at = at.Add(30 * time.Second)
	f.write(api, at.Add(-time.Second), `{"level":"error","msg":"payment gateway refused connection to 10.0.3.9:443"}`)
	if found := pollAt(t, w, clk, at); len(found) != 0 {
		t.Fatalf("raised again: %+v", found)
	}
}

func TestTemplateSurge(t *testing.T) {
	f, clk := newFakeSource(api), &clock{}
	w := newTestWatcher(t, f, clk, Options{SurgeFactor: 5, MinSurgeCount: 20, Cooldown: time.Minute})
	timeout := func(at time.Time, n int) {
		for i := range n {
			f.write(api, at.Add(-time.Duration(i+1)*time.Second/4), fmt.Sprintf(`{"level":"warn","msg":"upstream inventory timed out after %dms"}`, 500+i))
		}
	}
	var at time.Time
	for i := range 6 {
		at = t0.Add(time.Duration(i) * 30 * time.Second)
		steady(f, api, at, 10)
		timeout(at, 3)
		if found := pollAt(t, w, clk, at); len(found) != 0 {
			t.Fatalf("poll %d raised %+v at a steady rate", i, found)
		}
	}
	// 4× the baseline of 3 is not a surge (and 12 < MinSurgeCount).
	at = at.Add(30 * time.Second)
	timeout(at, 12)
	if found := pollAt(t, w, clk, at); len(found) != 0 {
		t.Fatalf("raised %+v below the factor", found)
	}
	at = at.Add(30 * time.Second)
	timeout(at, 60)
	found := pollAt(t, w, clk, at)
	if len(found) != 1 || found[0].Kind != incident.WatchTemplateSurge || found[0].Count != 60 {
		t.Fatalf("want one surge of 60 lines, got %+v", found)
	}
	if b := found[0].Baseline; b < 3 || b > 5 {
		t.Fatalf("baseline %.2f, want about 4 (3 per poll and one 12)", b)
	}
	if found[0].Alert.Labels["alertname"] != incident.WatchTemplateSurge || found[0].Finding.Severity != incident.SeverityWarning {
		t.Fatalf("surge %+v", found[0])
	}
	// Within the cooldown the continuing surge raises nothing more.
	at = at.Add(30 * time.Second)
	timeout(at, 200)
	if found := pollAt(t, w, clk, at); len(found) != 0 {
		t.Fatalf("raised during the cooldown: %+v", found)
	}
}

func TestInfoSurgeIsNotAFinding(t *testing.T) {
	f, clk := newFakeSource(api), &clock{}
	w := newTestWatcher(t, f, clk, Options{})
	for i := range 4 {
		at := t0.Add(time.Duration(i) * 30 * time.Second)
		steady(f, api, at, 5)
		pollAt(t, w, clk, at)
	}
	at := t0.Add(4 * 30 * time.Second)
	steady(f, api, at, 50)
	if found := pollAt(t, w, clk, at); len(found) != 0 {
		t.Fatalf("an info template's traffic raised %+v", found)
	}
}

func TestEachLineIsReadOnce(t *testing.T) {
	f, clk := newFakeSource(api), &clock{}
	w := newTestWatcher(t, f, clk, Options{WarmUpPolls: 1})
	pollAt(t, w, clk, t0)
	// Three errors in the same second as the poll: the next poll asks from
	// that second again and must not count the first two twice.
	same := t0.Add(30*time.Second - 500*time.Millisecond)
	f.write(api, same, `{"level":"error","msg":"disk quota exceeded on /data"}`)
	f.write(api, same, `{"level":"error","msg":"disk quota exceeded on /data"}`)
	found := pollAt(t, w, clk, t0.Add(30*time.Second))
	if len(found) != 1 || found[0].Count != 2 {
		t.Fatalf("want the new template with 2 lines, got %+v", found)
	}
	f.write(api, same, `{"level":"error","msg":"disk quota exceeded on /data"}`)
	pollAt(t, w, clk, t0.Add(60*time.Second))
	if got := f.sinces[len(f.sinces)-1]; !got.Equal(same.Truncate(time.Second)) {
		t.Fatalf("asked since %s, want the second of the last line read", got)
	}
	wl := w.workloads["shop/checkout"]
	tmpl := wl.miner.Templates()[0]
	if tmpl.Count != 3 {
		t.Fatalf("template counted %d lines, want 3 (each once)", tmpl.Count)
	}
}

func TestBoundsPerPoll(t *testing.T) {
	f, clk := newFakeSource(api), &clock{}
	w := newTestWatcher(t, f, clk, Options{MaxLinesPerPoll: 100, MaxTemplates: 8})
	pollAt(t, w, clk, t0)
	for i := range 300 {
		f.write(api, t0.Add(time.Duration(i)*50*time.Millisecond), fmt.Sprintf("error unique%d failure %s happened", i, strings.Repeat("x", i%7)))
	}
	pollAt(t, w, clk, t0.Add(30*time.Second))
	wl := w.workloads["shop/checkout"]
	mined := 0
	for _, st := range wl.stats {
		mined += st.ring[wl.polls%len(st.ring)]
	}
	if mined == 0 || mined > 100 {
		t.Fatalf("mined %d lines of the kept templates in one poll, want 1..MaxLinesPerPoll", mined)
	}
	if wl.miner.Len() > 8 || len(wl.stats) > 8 {
		t.Fatalf("%d templates and %d stats kept, more than MaxTemplates", wl.miner.Len(), len(wl.stats))
	}
	// The rest is read next poll, from where the previous stopped.
	pollAt(t, w, clk, t0.Add(60*time.Second))
	pollAt(t, w, clk, t0.Add(90*time.Second))
	if tail := w.containers[api.key()]; !tail.last.Equal(t0.Add(299 * 50 * time.Millisecond)) {
		t.Fatalf("read up to %s, want the last line", tail.last)
	}
}

func TestGoneContainersAreForgotten(t *testing.T) {
	f, clk := newFakeSource(api), &clock{}
	w := newTestWatcher(t, f, clk, Options{})
	pollAt(t, w, clk, t0)
	f.containers = nil
	pollAt(t, w, clk, t0.Add(30*time.Second))
	if len(w.containers) != 0 {
		t.Fatalf("kept %d containers no longer listed", len(w.containers))
	}
}

func TestProblemsAreReportedAndOthersRead(t *testing.T) {
	other := Container{Namespace: "shop", Pod: "cart-5c8d-abcde", Container: "app", Workload: "cart"}
	f, clk := newFakeSource(api, other), &clock{}
	f.logErr[api.key()] = errors.New("container is waiting to start")
	w := newTestWatcher(t, f, clk, Options{})
	clk.t = t0
	_, err := w.Poll(context.Background())
	if err == nil || !strings.Contains(err.Error(), api.Pod) || !strings.Contains(err.Error(), "waiting to start") {
		t.Fatalf("error %v does not name the container and cause", err)
	}
	if _, ok := w.workloads["shop/cart"]; !ok {
		t.Fatal("the readable container was not watched")
	}
	f.listErr = errors.New("forbidden")
	if _, err := w.Poll(context.Background()); err == nil || !strings.Contains(err.Error(), "list pods in shop: forbidden") {
		t.Fatalf("list error %v", err)
	}
}

func TestOptionsAreValidated(t *testing.T) {
	for _, o := range []Options{
		{},
		{Namespaces: []string{"a"}, Interval: time.Millisecond},
		{Namespaces: []string{"a"}, MaxContainers: -1},
		{Namespaces: []string{"a"}, MaxBytesPerPoll: 1 << 30},
		{Namespaces: []string{"a"}, SurgeFactor: 0.5},
		{Namespaces: make([]string, 21)},
	} {
		if _, err := New(newFakeSource(), o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}

func TestSecretsAreRedactedFromFindings(t *testing.T) {
	f, clk := newFakeSource(api), &clock{}
	w := newTestWatcher(t, f, clk, Options{WarmUpPolls: 1})
	pollAt(t, w, clk, t0)
	at := t0.Add(30 * time.Second)
	f.write(api, at.Add(-time.Second), `ERROR login failed password=hunter2secret for user bob`)
	found := pollAt(t, w, clk, at)
	if len(found) != 1 {
		t.Fatalf("want one finding, got %+v", found)
	}
	for _, s := range []string{found[0].Example, found[0].Template, found[0].Finding.Detail} {
		if strings.Contains(s, "hunter2secret") {
			t.Fatalf("secret kept in %q", s)
		}
	}
}

func TestABurstWithinOneSecondDoesNotStallTheWatch(t *testing.T) {
	f, clk := newFakeSource(api), &clock{}
	w := newTestWatcher(t, f, clk, Options{MaxBytesPerPoll: 4096, WarmUpPolls: 1})
	pollAt(t, w, clk, t0)
	burst := t0.Add(10 * time.Second)
	for i := range 500 {
		f.write(api, burst.Add(time.Duration(i)*time.Microsecond), fmt.Sprintf("INFO flushed buffer %d of the burst", i))
	}
	f.write(api, t0.Add(20*time.Second), `{"level":"error","msg":"lost the leader lease"}`)
	var found []incident.WatchFinding
	for i := 1; i < 20 && len(found) == 0; i++ {
		found = pollAt(t, w, clk, t0.Add(time.Duration(i)*30*time.Second))
	}
	if len(found) != 1 || !strings.Contains(found[0].Template, "lost the leader lease") {
		t.Fatalf("the line after the burst was never read: %+v", found)
	}
}

// TestPollStatsCountWhatEachPollDid: the observer hears, per poll, the
// containers read, the lines mined, the templates held, the findings by
// kind and what could not be read by namespace.
func TestPollStatsCountWhatEachPollDid(t *testing.T) {
	other := Container{Namespace: "shop", Pod: "cart-5c8d-abcde", Container: "app", Workload: "cart"}
	broken := Container{Namespace: "shop", Pod: "cart-5c8d-fghij", Container: "app", Workload: "cart"}
	f, clk := newFakeSource(api, other, broken), &clock{}
	f.logErr[broken.key()] = errors.New("container is waiting to start")
	var got []PollStats
	w := newTestWatcher(t, f, clk, Options{Observe: func(s PollStats) { got = append(got, s) }})
	for i := range 3 {
		at := t0.Add(time.Duration(i) * 30 * time.Second)
		steady(f, api, at, 20)
		steady(f, other, at, 10)
		if i == 2 {
			f.write(api, at.Add(-3*time.Second), `{"level":"error","msg":"payment gateway refused connection to 10.0.3.7:443"}`)
		}
		clk.t = at
		_, _ = w.Poll(context.Background()) // the broken container's error is counted below
	}
	if len(got) != 3 {
		t.Fatalf("%d polls observed, want 3", len(got))
	}
	for i, s := range got {
		wantLines := 21 + 11
		if i == 2 {
			wantLines++
		}
		if s.Containers != 3 || s.Lines != wantLines || s.Errors["shop"] != 1 || len(s.Errors) != 1 || s.Duration <= 0 {
			t.Errorf("poll %d: %+v, want 3 containers, %d lines, one error in shop", i, s, wantLines)
		}
		// Two templates of the checkout workload (the served orders and the
		// slow query) and the same two of cart; the error adds one.
		if wantTemplates := 4 + i/2; s.Templates != wantTemplates {
			t.Errorf("poll %d: %d templates held, want %d", i, s.Templates, wantTemplates)
		}
	}
	if got[0].Findings[incident.WatchNewErrorTemplate] != 0 || got[2].Findings[incident.WatchNewErrorTemplate] != 1 || len(got[2].Findings) != 1 {
		t.Errorf("findings by kind: %v then %v", got[0].Findings, got[2].Findings)
	}
	f.listErr = errors.New("forbidden")
	_, _ = w.Poll(context.Background()) // counted below
	if s := got[len(got)-1]; s.Containers != 0 || s.Lines != 0 || s.Errors["shop"] != 1 {
		t.Errorf("a namespace that cannot be listed: %+v", s)
	}
}
