package finops

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// countingQuerier counts the requests that reach Prometheus.
type countingQuerier struct {
	Querier
	n atomic.Int64
}

func (c *countingQuerier) Do(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	c.n.Add(1)
	return c.Querier.Do(ctx, req)
}

// A window asked in pieces gives the numbers one query over it gives, in
// both forms, whether the pieces cut a bucket (table) or group buckets
// (time series).
func TestSplitWindowGivesTheSameNumbers(t *testing.T) {
	prom := shopQuerier(t)
	whole, err := New(prom, DefaultPricing(), Options{MaxQueryWindow: MaxWindow})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, width := range []time.Duration{25 * time.Minute, time.Hour} {
		cq := &countingQuerier{Querier: prom}
		split, err := New(cq, DefaultPricing(), Options{MaxQueryWindow: width})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []Query{
			{Start: winStart, End: winEnd, GroupBy: ByWorkload},
			{Start: winStart, End: winEnd, GroupBy: ByNode, Format: FormatTimeSeries, Step: 10 * time.Minute},
		} {
			want, err := whole.Allocate(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			cq.n.Store(0)
			got, err := split.Allocate(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			// 12 jobs, 7 of them sums: one query each when whole.
			if n := cq.n.Load(); n <= 12 {
				t.Errorf("%s %s in %s pieces: %d requests, so nothing was split", q.GroupBy, q.Format, width, n)
			}
			what := string(q.Format) + " " + width.String() + " "
			if len(got.Rows) != len(want.Rows) || len(got.Nodes) != len(want.Nodes) || len(got.Series) != len(want.Series) {
				t.Fatalf("%s: %d rows, %d nodes, %d series; want %d, %d, %d", what, len(got.Rows), len(got.Nodes), len(got.Series), len(want.Rows), len(want.Nodes), len(want.Series))
			}
			for i, w := range want.Rows {
				g := got.Rows[i]
				if g.Name != w.Name {
					t.Fatalf("%s row %d is %s, want %s", what, i, g.Name, w.Name)
				}
				near(t, what+w.Name+" cost", g.TotalCost, w.TotalCost)
				near(t, what+w.Name+" core-hours", g.CPUCoreHours, w.CPUCoreHours)
				near(t, what+w.Name+" GiB-hours", g.RAMGiBHours, w.RAMGiBHours)
				near(t, what+w.Name+" efficiency", g.Efficiency, w.Efficiency)
			}
			for i, w := range want.Nodes {
				near(t, what+w.Name+" node cost", got.Nodes[i].Cost, w.Cost)
				near(t, what+w.Name+" node hours", got.Nodes[i].Hours, w.Hours)
			}
			near(t, what+"idle", got.IdleCost, want.IdleCost)
			near(t, what+"total", got.TotalCost, want.TotalCost)
			for i, w := range want.Series {
				for k, p := range w.Points {
					near(t, what+w.Name+" point "+p.Time.Format(time.RFC3339), got.Series[i].Points[k].TotalCost, p.TotalCost)
				}
			}
		}
	}
}

func TestPiecesCoverEachBucketOnce(t *testing.T) {
	a, err := New(&countingQuerier{}, DefaultPricing(), Options{MaxQueryWindow: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC)
	table := Query{Start: end.Add(-7*24*time.Hour + 10*time.Minute), End: end}
	if err := table.normalise(); err != nil {
		t.Fatal(err)
	}
	var covered time.Duration
	reqs := a.pieces(table, 0, sums("x", func(w time.Duration) string { return w.String() }, nil))
	for _, r := range reqs {
		w, _ := time.ParseDuration(r.expr)
		covered += w
		if r.rng || !r.credit.Equal(end) || r.at.Sub(table.Start)%table.Resolution != 0 {
			t.Errorf("table piece %+v: want an instant query at a resolution step, credited to %s", r, end)
		}
	}
	if len(reqs) != 7 || covered != table.End.Sub(table.Start) {
		t.Errorf("7 days less 10 minutes: %d pieces covering %s", len(reqs), covered)
	}
	ts := Query{Start: end.Add(-7 * 24 * time.Hour), End: end, Format: FormatTimeSeries, Step: 5 * time.Hour}
	if err := ts.normalise(); err != nil {
		t.Fatal(err)
	}
	buckets := 0
	next := ts.Start.Add(ts.Step)
	for _, r := range a.pieces(ts, 0, sums("x", func(w time.Duration) string { return w.String() }, nil)) {
		if !r.rng || !r.from.Equal(next) || r.at.Sub(r.from) > 24*time.Hour {
			t.Errorf("time-series piece %s..%s: want a range from %s of at most a day", r.from, r.at, next)
		}
		buckets += int(r.at.Sub(r.from)/ts.Step) + 1
		next = r.at.Add(ts.Step)
	}
	if want := int(ts.End.Sub(ts.Start) / ts.Step); buckets != want || !next.Equal(ts.End.Add(ts.Step)) {
		t.Errorf("time-series pieces cover %d buckets up to %s, want %d up to %s", buckets, next.Add(-ts.Step), want, ts.End)
	}
}

// The container pieces after the first are as wide as keeps an answer
// within pieceSamples samples for the series the first piece had, between
// 6 h and a day and never wider than MaxQueryWindow; with the first they
// cover the window once.
func TestContainerPiecesWidenForSmallClusters(t *testing.T) {
	end := time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC)
	q := Query{Start: end.Add(-7*24*time.Hour + 10*time.Minute), End: end}
	if err := q.normalise(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		window time.Duration
		series int
		want   time.Duration
	}{
		{0, 0, 24 * time.Hour},
		{0, 100, 24 * time.Hour},
		{0, 1000, 24 * time.Hour},
		{0, 2000, 12 * time.Hour},
		{0, 3000, 8 * time.Hour},
		{0, 4000, 6 * time.Hour},
		{0, 50000, 6 * time.Hour},
		{time.Hour, 100, time.Hour},
		{12 * time.Hour, 100, 12 * time.Hour},
	} {
		a, err := New(&countingQuerier{}, DefaultPricing(), Options{MaxQueryWindow: c.window})
		if err != nil {
			t.Fatal(err)
		}
		if got := a.restWidth(q, c.series); got != c.want {
			t.Errorf("max window %s, %d series: pieces of %s, want %s", c.window, c.series, got, c.want)
		}
	}
	first := containerSpans(q, q.Start, 6*time.Hour)[0]
	spans := append([][2]time.Time{first}, containerSpans(q, first[1], 24*time.Hour)...)
	for i, sp := range spans {
		if i > 0 && !sp[0].Equal(spans[i-1][1]) || sp[0].Sub(q.Start)%q.Resolution != 0 || !sp[1].After(sp[0]) {
			t.Errorf("piece %d (%s, %s] does not follow on at a resolution step", i, sp[0], sp[1])
		}
	}
	if !spans[0][0].Equal(q.Start) || !spans[len(spans)-1][1].Equal(q.End) || len(spans) != 8 {
		t.Errorf("%d pieces from %s to %s, want 8 from %s to %s", len(spans), spans[0][0], spans[len(spans)-1][1], q.Start, q.End)
	}
}

// Uncompressed answers carry the same bytes, so the same numbers; the
// request says identity, and an answer compressed anyway is an error, not
// bytes handed to the reader.
func TestUncompressedAnswers(t *testing.T) {
	prom := shopQuerier(t)
	ctx := context.Background()
	q := Query{Start: winStart, End: winEnd, GroupBy: ByPod, Format: FormatTimeSeries, Step: 10 * time.Minute}
	var got [2]*Result
	for i, plain := range []bool{false, true} {
		a, err := New(prom, DefaultPricing(), Options{UncompressedAnswers: plain})
		if err != nil {
			t.Fatal(err)
		}
		if got[i], err = a.Allocate(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(got[0], got[1]) {
		t.Errorf("uncompressed answers changed the allocation:\n%+v\n%+v", got[0], got[1])
	}

	var asked atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Store(r.Header.Get("Accept-Encoding"))
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write([]byte{0x1f, 0x8b})
	}))
	defer srv.Close()
	c, err := api.NewClient(api.Config{Address: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(c, DefaultPricing(), Options{UncompressedAnswers: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.queryRange(ctx, "up", v1.Range{Start: winStart, End: winEnd, Step: time.Minute})
	if err == nil || !strings.Contains(err.Error(), `"gzip"-encoded although it was asked uncompressed`) {
		t.Errorf("a gzip answer to an uncompressed ask: %v", err)
	}
	if asked.Load() != "identity" {
		t.Errorf("Accept-Encoding %q, want identity", asked.Load())
	}
}
