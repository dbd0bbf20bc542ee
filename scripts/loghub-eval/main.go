// Command loghub-eval measures the log miner of pkg/logs on the Loghub
// benchmark (logpai/loghub, and the corrected labels of logpai/loghub-2.0)
// next to a reference Drain with Drain3's defaults, and prints the figures
// as a markdown table.
//
//	go run ./scripts/loghub-eval -loghub ~/loghub [-loghub2 ~/loghub-2.0]
//	go run ./scripts/loghub-eval -loghub ~/loghub -speed 1000000
//	go run ./scripts/loghub-eval -loghub ~/loghub -write /tmp/1m.log -lines 1000000
//
// Each dataset's Content column is fed, one message per line, to the
// product's path (the parser and the miner, as `aiops logmine --assignments`
// runs them) and to the reference Drain. Loghub's licence allows research
// use only: the data stays in the checkout given, nothing is copied into the
// repository.
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/cloudobs/aiops-app/pkg/logs"
)

func main() {
	loghub := flag.String("loghub", "", "logpai/loghub checkout: <Name>/<Name>_2k.log_structured.csv")
	loghub2 := flag.String("loghub2", "", "logpai/loghub-2.0 checkout (or its 2k_dataset): corrected labels")
	speed := flag.Int("speed", 0, "instead of accuracy, time both miners in-process on this many lines repeated from the datasets")
	write := flag.String("write", "", "instead of accuracy, write -lines lines repeated from the datasets to this file")
	lines := flag.Int("lines", 1_000_000, "lines to write with -write")
	explainName := flag.String("explain", "", "instead of the table, show the true groups of this dataset that the product's parse gets wrong")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loghub-eval:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *loghub == "" && *loghub2 == "" {
		fmt.Fprintln(os.Stderr, "usage: loghub-eval -loghub DIR [-loghub2 DIR] [-speed N | -write FILE -lines N]")
		os.Exit(2)
	}
	if err := run(*loghub, *loghub2, *speed, *write, *lines, *explainName); err != nil {
		fmt.Fprintln(os.Stderr, "loghub-eval:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(loghub, loghub2 string, speed int, write string, lines int, explainName string) error {
	var sets []labelSet
	if loghub != "" {
		ds, err := loadSets(loghub, "_2k.log_structured.csv", "EventId")
		if err != nil {
			return err
		}
		sets = append(sets, labelSet{name: "Loghub 2k (" + loghub + ")", datasets: ds})
	}
	if loghub2 != "" {
		dir := loghub2
		if st, err := os.Stat(filepath.Join(dir, "2k_dataset")); err == nil && st.IsDir() {
			dir = filepath.Join(dir, "2k_dataset")
		}
		// loghub-2.0's evaluator groups the truth by template text.
		ds, err := loadSets(dir, "_2k.log_structured_corrected.csv", "EventTemplate")
		if err != nil {
			return err
		}
		sets = append(sets, labelSet{name: "loghub-2.0 2k, corrected labels (" + loghub2 + ")", datasets: ds})
	}
	switch {
	case explainName != "":
		for _, d := range sets[len(sets)-1].datasets {
			if d.name == explainName {
				explain(os.Stdout, d, 40)
				return nil
			}
		}
		return fmt.Errorf("no dataset %q", explainName)
	case write != "":
		return writeRepeated(write, sets[0].datasets, lines)
	case speed > 0:
		return timeMiners(os.Stdout, repeated(sets[0].datasets, speed))
	}
	for _, s := range sets {
		report(os.Stdout, s)
	}
	return nil
}

type labelSet struct {
	name     string
	datasets []dataset
}

type dataset struct {
	name      string
	contents  []string
	truth     []int
	templates []string
}

// loadSets reads every <dir>/<Name>/<Name><suffix>, grouping the truth by
// the column key.
func loadSets(dir, suffix, key string) ([]dataset, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []dataset
	for _, e := range entries {
		path := filepath.Join(dir, e.Name(), e.Name()+suffix)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		d, err := loadDataset(e.Name(), path, key)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no <Name>/<Name>%s under %s", suffix, dir)
	}
	return out, nil
}

// maxDatasetLines bounds what one file may hold (the 2k samples hold 2,000).
const maxDatasetLines = 1 << 20

func loadDataset(name, path, key string) (dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return dataset{}, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return dataset{}, err
	}
	content, label, template := slices.Index(header, "Content"), slices.Index(header, key), slices.Index(header, "EventTemplate")
	if content < 0 || label < 0 || template < 0 {
		return dataset{}, fmt.Errorf("want columns Content, %s and EventTemplate, have %v", key, header)
	}
	d := dataset{name: name}
	ids := map[string]int{}
	for len(d.contents) < maxDatasetLines {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return dataset{}, err
		}
		if len(rec) <= max(content, label, template) {
			return dataset{}, fmt.Errorf("line %d: %d fields", len(d.contents)+2, len(rec))
		}
		id, ok := ids[rec[label]]
		if !ok {
			id = len(ids)
			ids[rec[label]] = id
		}
		// One message per line, as the miner reads a log. Loghub's header
		// split leaves a space before some messages; a raw log has none
		// there, and the parser would read it as a continuation line.
		d.contents = append(d.contents, strings.TrimSpace(strings.ReplaceAll(rec[content], "\n", " ")))
		d.truth = append(d.truth, id)
		d.templates = append(d.templates, rec[template])
	}
	return d, nil
}

// mineProduct runs the product's path: the parser turns lines into records,
// the summary mines them, every line gets its record's template.
func mineProduct(lines []string) ([]int, []string) {
	p := logs.NewParser()
	sum := logs.NewSummary(logs.SummaryOptions{})
	var ids []string
	emit := func(recs []logs.Record) {
		for _, r := range recs {
			id := sum.Add(r, "")
			for range r.Lines {
				ids = append(ids, id)
			}
		}
	}
	for _, l := range lines {
		emit(p.Add(l))
	}
	emit(p.Flush())
	stats := sum.Templates()
	patterns := map[string]string{}
	for _, st := range stats {
		patterns[st.ID] = st.Pattern
	}
	groups := groupNumbers(ids, sum.Resolve)
	templates := make([]string, len(ids))
	for i, id := range ids {
		templates[i] = patterns[sum.Resolve(id)]
	}
	return groups, templates
}

// groupNumbers numbers the lines' resolved template ids in the order they
// first appear: lines in one group share a number.
func groupNumbers(ids []string, resolve func(string) string) []int {
	number := map[string]int{}
	groups := make([]int, len(ids))
	for i, id := range ids {
		id = resolve(id)
		n, ok := number[id]
		if !ok {
			n = len(number)
			number[id] = n
		}
		groups[i] = n
	}
	return groups
}

// mineMinerOnly feeds the lines straight to the miner, without the parser,
// to compare the mining itself with the reference.
func mineMinerOnly(lines []string) ([]int, []string) {
	m := logs.NewMiner(logs.DefaultMinerConfig())
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = m.Add(l)
	}
	m.Consolidate()
	return groupNumbers(ids, m.Resolve), nil
}

func mineReference(lines []string) ([]int, []string) {
	d := newRefDrain()
	groups := make([]int, len(lines))
	for i, l := range lines {
		groups[i] = d.add(l) - 1
	}
	templates := make([]string, len(lines))
	for i, g := range groups {
		templates[i] = d.template(g + 1)
	}
	return groups, templates
}

func report(w io.Writer, s labelSet) {
	fmt.Fprintf(w, "\n### %s\n\n", s.name)
	fmt.Fprintln(w, "| Dataset | GA | PA | FGA | FTA | groups (true) | Drain GA | Drain PA | Drain FGA | Drain FTA | Drain groups | GA − Drain |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	var sumOurs, sumRef scores
	for _, d := range s.datasets {
		g, t := mineProduct(d.contents)
		if len(g) != len(d.contents) {
			fmt.Fprintf(w, "| %s | %d assignments for %d lines |\n", d.name, len(g), len(d.contents))
			continue
		}
		ours := score(g, t, d.truth, d.templates)
		g, t = mineReference(d.contents)
		ref := score(g, t, d.truth, d.templates)
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %.3f | %.3f | %d (%d) | %.3f | %.3f | %.3f | %.3f | %d | %+.3f |\n", d.name,
			ours.GA, ours.PA, ours.FGA, ours.FTA, ours.Predicted, ours.True, ref.GA, ref.PA, ref.FGA, ref.FTA, ref.Predicted, ours.GA-ref.GA)
		sumOurs = addScores(sumOurs, ours)
		sumRef = addScores(sumRef, ref)
	}
	n := float64(len(s.datasets))
	fmt.Fprintf(w, "| **average** | **%.3f** | %.3f | %.3f | %.3f | | **%.3f** | %.3f | %.3f | %.3f | | %+.3f |\n",
		sumOurs.GA/n, sumOurs.PA/n, sumOurs.FGA/n, sumOurs.FTA/n, sumRef.GA/n, sumRef.PA/n, sumRef.FGA/n, sumRef.FTA/n,
		(sumOurs.GA-sumRef.GA)/n)
}

func addScores(a, b scores) scores {
	return scores{GA: a.GA + b.GA, PA: a.PA + b.PA, FGA: a.FGA + b.FGA, FTA: a.FTA + b.FTA}
}

// repeated cycles through the messages of all datasets until n lines.
func repeated(ds []dataset, n int) []string {
	var all []string
	for _, d := range ds {
		all = append(all, d.contents...)
	}
	out := make([]string, 0, n)
	for len(out) < n {
		out = append(out, all[:min(len(all), n-len(out))]...)
	}
	return out
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func writeRepeated(path string, ds []dataset, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for _, l := range repeated(ds, n) {
		w.WriteString(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// timeMiners runs the miners in-process on the same lines, each after a
// garbage collection, and reports lines per second of wall time and of the
// process's CPU time (on a shared machine the wall time includes waiting
// for a core).
func timeMiners(w io.Writer, lines []string) error {
	measure := func(mine func([]string) ([]int, []string)) (time.Duration, time.Duration, int) {
		runtime.GC()
		start, cpu0 := time.Now(), cpuTime()
		groups, _ := mine(lines)
		return time.Since(start), cpuTime() - cpu0, slices.Max(groups) + 1
	}
	fmt.Fprintf(w, "| miner | lines | seconds | lines/s | lines/CPU-s | groups |\n|---|---|---|---|---|---|\n")
	for _, m := range []struct {
		name string
		mine func([]string) ([]int, []string)
	}{{"pkg/logs (parser + miner)", mineProduct}, {"pkg/logs miner alone", mineMinerOnly}, {"reference Drain (Drain3 defaults)", mineReference}} {
		d, cpu, groups := measure(m.mine)
		fmt.Fprintf(w, "| %s | %d | %.2f | %.0f | %.0f | %d |\n", m.name, len(lines), d.Seconds(), float64(len(lines))/d.Seconds(),
			float64(len(lines))/cpu.Seconds(), groups)
	}
	return nil
}
