// Command gen writes the replayable incident corpus under testdata/scenarios.
//
// Every scenario is described in Go (corpus_*.go) as a small cluster story:
// nodes, workloads and the timelines of their containers. From one timeline
// the generator derives everything a real cluster would show for it — the
// Pod status (state, lastState, restartCount), the kubelet and scheduler
// Events, the container logs of the current and previous runs, and the
// kube-state-metrics and cAdvisor series — so the pieces of a scenario never
// contradict each other. Randomness (names, hashes, IPs, jitter) is seeded by
// the scenario name: regenerating gives byte-identical files.
//
//	go run ./pkg/scenario/internal/gen -out testdata/scenarios
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	out := flag.String("out", "testdata/scenarios", "directory to write the scenarios into")
	only := flag.String("only", "", "generate only the scenario with this name")
	flag.Parse()
	if err := generate(*out, *only); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func generate(out, only string) error {
	defs := corpus()
	sort.Slice(defs, func(i, j int) bool { return defs[i].name < defs[j].name })
	seen := map[string]bool{}
	for _, d := range defs {
		if seen[d.name] {
			return fmt.Errorf("scenario %q defined twice", d.name)
		}
		seen[d.name] = true
		if only != "" && d.name != only {
			continue
		}
		b := newBuilder(d.name)
		d.build(b)
		dir := filepath.Join(out, d.name)
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("clean %s: %w", dir, err)
		}
		if err := b.write(dir); err != nil {
			return fmt.Errorf("scenario %s: %w", d.name, err)
		}
	}
	return nil
}

// definition is one scenario of the corpus.
type definition struct {
	name  string
	build func(b *builder)
}

// corpus lists every scenario; each corpus_*.go file contributes a group.
func corpus() []definition {
	var all []definition
	for _, group := range [][]definition{
		resourceScenarios(),
		resourceScenarios2(),
		startupScenarios(),
		startupScenarios2(),
		schedulingScenarios(),
		schedulingScenarios2(),
		networkScenarios(),
		networkScenarios2(),
		rolloutScenarios(),
		batchScenarios(),
		trickyScenarios(),
		moreScenarios(),
		shapeScenarios(),
		extraScenarios(),
	} {
		all = append(all, group...)
	}
	return all
}
