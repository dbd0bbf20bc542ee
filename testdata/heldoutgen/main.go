// Command heldoutgen writes the second or the third held-out incident set.
//
// The two sets share this object kit (it writes what the API server returns)
// but not their authors' choices, which each set's style and case files
// hold:
//
//   - heldout2, written and frozen (commit 46171e0) before any analyzer
//     change of issue 21: a 15s scrape, events mostly in the events.k8s.io
//     shape, Azure/k3s/OpenShift-style names, Rust, .NET, Elixir, Ruby, Go
//     slog and klog logs.
//   - heldout3, written and frozen (commit 08f0e74, committed alone) before
//     any analyzer change made after it: a 30s scrape, events mostly in the
//     core/v1 shape, GKE-style node names, and logs from Java logback,
//     PHP/Laravel, Python structlog, Node winston, C++ glog and Envoy.
//
// Each case restates a public incident report, postmortem or issue named in
// its description. Never edit a case to make the product pass, and never
// tune an analyzer on a set not yet learned from; once one has been, write a
// new set for an honest figure.
//
//	go run ./testdata/heldoutgen -set heldout2 -out testdata/heldout2
//	go run ./testdata/heldoutgen -set heldout3 -out testdata/heldout3
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
)

// heldoutSet is one set's author's choices and its cases.
type heldoutSet struct {
	style style
	cases []func() *fixture
}

var sets = map[string]heldoutSet{
	"heldout2": {heldout2Style, heldout2Cases},
	"heldout3": {heldout3Style, heldout3Cases},
}

func main() {
	name := flag.String("set", "", "the set to write: heldout2 or heldout3")
	out := flag.String("out", "", "directory to write the incidents into (default testdata/<set>)")
	flag.Parse()
	set, ok := sets[*name]
	if !ok {
		names := make([]string, 0, len(sets))
		for n := range sets {
			names = append(names, n)
		}
		slices.Sort(names)
		fmt.Fprintf(os.Stderr, "heldoutgen: -set must be one of %s\n", strings.Join(names, ", "))
		os.Exit(2)
	}
	if *out == "" {
		*out = "testdata/" + *name
	}
	current = set.style
	seen := map[string]bool{}
	for _, build := range set.cases {
		f := build()
		if seen[f.name] {
			fmt.Fprintln(os.Stderr, "heldoutgen: duplicate incident", f.name)
			os.Exit(1)
		}
		seen[f.name] = true
		if err := f.write(*out); err != nil {
			fmt.Fprintln(os.Stderr, "heldoutgen:", f.name+":", err)
			os.Exit(1)
		}
	}
}

var heldout2Cases = []func() *fixture{
	lokiIngesterVolumeFull, plegNodeNotReady, armImageOnAmdNodes, helmMigrateHookFailed,
	dockerHubRateLimit, letsEncryptRootExpiry, cpuLimitThrottling, priorityPreemption,
	slowStartLivenessKills, coreDNSLostReplica, healthyHPAScaleUp, pgbouncerScaledToZero,
	fileDescriptorsExhausted, nodeMemoryEvictions, nodeHeapOverLimit, ingressConfigTypo,
}
