package main

import (
	"fmt"
	"io"
	"slices"
)

// explain prints, for the product's parse of d, each true group that was
// not found exactly: how its lines were split and what else joined them.
func explain(w io.Writer, d dataset, limit int) {
	pred, predT := mineProduct(d.contents)
	byTruth := map[int][]int{}
	byPred := map[int][]int{}
	for i := range pred {
		byTruth[d.truth[i]] = append(byTruth[d.truth[i]], i)
		byPred[pred[i]] = append(byPred[pred[i]], i)
	}
	labels := make([]int, 0, len(byTruth))
	for l := range byTruth {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	shown := 0
	for _, l := range labels {
		lines := byTruth[l]
		groups := map[int]bool{}
		for _, i := range lines {
			groups[pred[i]] = true
		}
		exact := len(groups) == 1 && len(byPred[pred[lines[0]]]) == len(lines)
		if exact {
			continue
		}
		if shown++; shown > limit {
			return
		}
		fmt.Fprintf(w, "\nTRUE %q (%d lines) -> %d groups\n", d.templates[lines[0]], len(lines), len(groups))
		for g := range groups {
			members := byPred[g]
			others := 0
			for _, i := range members {
				if d.truth[i] != l {
					others++
				}
			}
			fmt.Fprintf(w, "  PRED %q: %d lines, %d of other true groups\n", predT[members[0]], len(members), others)
			for _, i := range members[:min(2, len(members))] {
				fmt.Fprintf(w, "    %s\n", d.contents[i])
			}
			for _, i := range members {
				if d.truth[i] != l {
					fmt.Fprintf(w, "    other: %s   [%s]\n", d.contents[i], d.templates[i])
					break
				}
			}
		}
	}
}
