// Command gen writes the held-out incident corpus under testdata/heldout.
//
// The corpus is deliberately written apart from the in-sample generator
// (pkg/scenario/internal/gen) and from the analyzers: each case restates a
// public incident report or issue (named in its description) with its own
// names, namespaces, node names, log formats and languages, red herrings,
// concurrent problems and gaps in the evidence. Cases state their objects and
// log lines explicitly instead of deriving them from a timeline. The corpus
// was frozen before any analyzer was changed against it; never edit a case to
// make the product pass — fix the product.
//
//	go run ./testdata/heldout/gen -out testdata/heldout
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
)

func main() {
	out := flag.String("out", "testdata/heldout", "directory to write the scenarios into")
	flag.Parse()
	cases := allCases()
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			fmt.Fprintln(os.Stderr, "gen: duplicate case", c.name)
			os.Exit(1)
		}
		seen[c.name] = true
		if err := c.write(*out); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", c.name+":", err)
			os.Exit(1)
		}
	}
}

func allCases() []*incident {
	var out []*incident
	for _, f := range []func() *incident{
		coreDNSOOMAggregator, walFullBehindHealthyLedger, sessionRedisNoEndpoints, crossNamespaceLedgerNoEndpoints,
		blackFridayHPAMax, quoteServiceHPAMaxGCRedHerring, livenessTimeoutUnderLoad, gunicornHealthcheckDBPing,
		healthyRolloutReplicasMismatch, healthyJVMMemoryNearLimit, healthyRecoveredWaiting,
		etcdBackupCronJobNoSuchBucket, basebackupCronJobPgHba, jvmHeapOverLimit, pythonMissingEnvKeyError,
		ghcrTagDeleted, partnerCertExpired, nodeKubeletStopped, nodeDiskPressureLogs, phpFpmThrottled,
		nodeBadDeployTypeError, unboundClaimZoneMismatch, workerOOMWithUnrelatedImagePull, silentCrashNoLogs,
		stripeUpstream503, hikariPoolExhausted,
	} {
		out = append(out, f())
	}
	return out
}
