package main

import (
	"math"
	"testing"
)

func TestScore(t *testing.T) {
	// Truth: lines 0-1 are A, 2-3 are B, 4 is C. The parse keeps A whole
	// with the right text, splits B, and puts C alone with the wrong text.
	truth := []int{0, 0, 1, 1, 2}
	truthT := []string{"a <*>", "a <*>", "b <*>", "b <*>", "c"}
	pred := []int{7, 7, 8, 9, 10}
	predT := []string{"a <*>", "a <*>", "b 1", "b 2", "c x"}
	s := score(pred, predT, truth, truthT)
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-9 }
	if !near(s.GA, 3.0/5) || !near(s.PA, 2.0/5) {
		t.Errorf("GA %v PA %v, want 0.6 and 0.4", s.GA, s.PA)
	}
	// 2 right groups of 4 predicted and 3 true; 1 right template.
	if want := 2 * (2.0 / 4) * (2.0 / 3) / (2.0/4 + 2.0/3); !near(s.FGA, want) {
		t.Errorf("FGA %v, want %v", s.FGA, want)
	}
	if want := 2 * (1.0 / 4) * (1.0 / 3) / (1.0/4 + 1.0/3); !near(s.FTA, want) {
		t.Errorf("FTA %v, want %v", s.FTA, want)
	}
}

func TestRefDrainGroupsByPrefixAndSimilarity(t *testing.T) {
	d := newRefDrain()
	a := d.add("connected to 10.0.0.1 port 22")
	b := d.add("connected to 10.0.0.2 port 23")
	c := d.add("disk full on sda")
	if a != b || a == c {
		t.Fatalf("ids %d %d %d: want the first two together, the third apart", a, b, c)
	}
	if got := d.template(a); got != "connected to <*> port <*>" {
		t.Errorf("template %q", got)
	}
	// Below the 0.4 threshold: 1 of 4 tokens equal.
	if e := d.add("connected x y z w v"); e == a {
		t.Error("a message of another length joined the cluster")
	}
	if f := d.add("connected a b c d e"); f == d.add("connected q r s t u") {
		t.Error("messages sharing only the first token joined")
	}
}
