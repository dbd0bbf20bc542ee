package logs

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/logs/internal/corpusgen"
)

// mineLines parses and mines lines and returns, for every line, the id of the
// template of the record it belongs to.
func mineLines(lines []string, cfg MinerConfig) ([]string, *Miner) {
	p := NewParser()
	m := NewMiner(cfg)
	ids := make([]string, 0, len(lines))
	emit := func(recs []Record) {
		for _, r := range recs {
			id := m.Add(r.MineText())
			for range r.Lines {
				ids = append(ids, id)
			}
		}
	}
	for _, l := range lines {
		emit(p.Add(l))
	}
	emit(p.Flush())
	m.Consolidate()
	for i, id := range ids {
		ids[i] = m.Resolve(id)
	}
	return ids, m
}

// groupingAccuracy is the standard GA: a line counts as right when the
// predicted group it is in holds exactly the lines of its true group.
func groupingAccuracy(pred []string, truth []int) float64 {
	trueSize := map[int]int{}
	for _, l := range truth {
		trueSize[l]++
	}
	type group struct {
		size   int
		labels map[int]bool
	}
	groups := map[string]*group{}
	for i, id := range pred {
		g := groups[id]
		if g == nil {
			g = &group{labels: map[int]bool{}}
			groups[id] = g
		}
		g.size++
		g.labels[truth[i]] = true
	}
	right := 0
	for i, id := range pred {
		g := groups[id]
		if len(g.labels) == 1 && g.size == trueSize[truth[i]] {
			right++
		}
	}
	return float64(right) / float64(len(pred))
}

func TestGroupingAccuracy(t *testing.T) {
	const n = 50000
	corpus := corpusgen.Generate(1, n)
	lines := make([]string, len(corpus))
	truth := make([]int, len(corpus))
	for i, l := range corpus {
		lines[i], truth[i] = l.Text, l.Label
	}
	pred, m := mineLines(lines, DefaultMinerConfig())
	if len(pred) != len(lines) {
		t.Fatalf("got %d assignments for %d lines", len(pred), len(lines))
	}
	ga := groupingAccuracy(pred, truth)
	t.Logf("grouping accuracy %.4f on %d lines, %d templates mined for %d true", ga, len(lines), m.Len(), len(corpusgen.Templates()))
	if ga < 0.95 {
		t.Errorf("grouping accuracy %.4f < 0.95\n%s", ga, explainErrors(pred, truth, lines, m))
	}
}

// explainErrors lists the true templates whose lines were grouped wrongly.
func explainErrors(pred []string, truth []int, lines []string, m *Miner) string {
	return explainErrorsIn(pred, truth, lines, m, corpusgen.Templates())
}

func explainErrorsIn(pred []string, truth []int, lines []string, m *Miner, names []string) string {
	byLabel := map[int]map[string]int{}
	example := map[string]string{}
	for i, l := range truth {
		if byLabel[l] == nil {
			byLabel[l] = map[string]int{}
		}
		byLabel[l][pred[i]]++
		example[pred[i]] = lines[i]
	}
	var out []string
	for l, ids := range byLabel {
		if len(ids) > 1 {
			out = append(out, fmt.Sprintf("split %q into %d groups", names[l], len(ids)))
		}
	}
	labelsOf := map[string]map[int]bool{}
	for i, id := range pred {
		if labelsOf[id] == nil {
			labelsOf[id] = map[int]bool{}
		}
		labelsOf[id][truth[i]] = true
	}
	for id, ls := range labelsOf {
		if len(ls) > 1 {
			var ns []string
			for l := range ls {
				ns = append(ns, names[l])
			}
			tm, _ := m.Template(id)
			out = append(out, fmt.Sprintf("merged %q in %s", ns, tm.Pattern))
		}
	}
	sort.Strings(out)
	if len(out) > 40 {
		out = out[:40]
	}
	return strings.Join(out, "\n")
}

// TestGroupingAccuracyHeldOut measures the default configuration on styles
// written after it was chosen (MySQL, Kafka, HAProxy, CoreDNS, etcd,
// containerd, Rails, .NET, RabbitMQ, Node.js, kernel OOM). It reports the
// figure and fails only on a collapse, since nothing was tuned for it.
func TestGroupingAccuracyHeldOut(t *testing.T) {
	corpus := corpusgen.NewHeldOut(5).Lines(20000)
	lines := make([]string, len(corpus))
	truth := make([]int, len(corpus))
	for i, l := range corpus {
		lines[i], truth[i] = l.Text, l.Label
	}
	pred, m := mineLines(lines, DefaultMinerConfig())
	ga := groupingAccuracy(pred, truth)
	t.Logf("held-out grouping accuracy %.4f on %d lines, %d templates mined for %d true", ga, len(lines), m.Len(), len(corpusgen.HeldOutTemplates()))
	if s := explainErrorsIn(pred, truth, lines, m, corpusgen.HeldOutTemplates()); s != "" {
		t.Log(s)
	}
	if ga < 0.8 {
		t.Errorf("held-out grouping accuracy %.4f < 0.8", ga)
	}
}
