// Command gen writes the ninth held-out corpus (testdata/heldout9): incidents
// of one GKE Standard regional cluster, written blind from public reports.
// Run it from the module root: go run ./testdata/heldout9/gen
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

const outDir = "testdata/heldout9"

// builders lists every incident of the set.
var builders = []func() *scn{
	beamSideInputOOM, sqlProxySidecarOOM, metadataServerCrashLoop,
	inventorySyncConcurrentMapWrites, pumaGrpcSegfault,
	fastifyLocalhostLiveness,
	arPull403OnNapPool, arm64NodeSelectorAmd64Image,
	symfonyEnvNotFound, workloadIdentityAnnotationMissing,
	topologySpreadSpotZone, filestoreClaimAboveTierMaximum,
	spotPreemptionNode, readonlyFilesystemNode,
	rustResizerThrottled,
	stockGrpcTargetPortRenamed, memorystoreMaintenance,
	kubeDNSDnsmasqMaxQueries, cloudDNSPrivateZoneNotBound,
	sqlProxyV2FlagsRollout, flaskWerkzeugRollout,
	spannerSessionPoolExhausted, filestoreExportsFull, meilisearchVolumeFull,
	partnerNewChainPKIX,
	promoTrafficPumaAtMax, crawlerBurstQuoteGrpc,
	rollupJobIntegerOutOfRange, snapshotJobHungForbid,
	debugLoggingCost,
	unknownSLOBurnNoEvidence, unknownConfigSyncRolloutDone,
}

func main() {
	all := make([]*scn, len(builders))
	for i, build := range builders {
		all[i] = build()
	}
	if problems := checkAll(all); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, p)
		}
		os.Exit(1)
	}
	if err := clean(); err != nil {
		fail(err)
	}
	for _, s := range all {
		if err := write(s); err != nil {
			fail(err)
		}
	}
	if err := os.WriteFile(filepath.Join(outDir, "README.md"), []byte(readme(all)), 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("wrote %d incidents to %s\n", len(all), outDir)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// clean removes every incident directory (everything but the generator).
func clean() error {
	entries, err := os.ReadDir(outDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == "gen" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(outDir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// alert builds the alert context; startsAgo is how long before now it fired.
func (s *scn) setAlert(labels, annotations map[string]string, startsAgo time.Duration, query string, value float64) {
	s.alert = obj{"labels": labels, "annotations": annotations, "status": "firing",
		"startsAt": ts(s.now.Add(-startsAgo)), "endsAt": "0001-01-01T00:00:00Z",
		"fingerprint": fingerprint(labels), "query": query, "values": obj{"A": value}}
}

func (s *scn) expect(category, ns, kind, name string, mentions ...string) {
	s.category = category
	s.entity = [3]string{ns, kind, name}
	s.mentions = mentions
}

func write(s *scn) error {
	dir := filepath.Join(outDir, s.name)
	desc := strings.TrimSpace(s.description) + "\nSource: " + s.source + "\n"
	sc := obj{"name": s.name, "description": desc, "now": ts(s.now), "alert": s.alert,
		"expect": obj{"category": s.category, "mentions": s.mentions,
			"entity": obj{"namespace": s.entity[0], "kind": s.entity[1], "name": s.entity[2]}}}
	scenario, err := yaml.Marshal(sc)
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "scenario.yaml"), string(scenario)); err != nil {
		return err
	}
	byKind := map[string][]obj{}
	for _, o := range s.objects {
		k := strings.ToLower(o["kind"].(string))
		byKind[k] = append(byKind[k], o)
	}
	for kind, objs := range byKind {
		var parts []string
		for _, o := range objs {
			b, err := yaml.Marshal(o)
			if err != nil {
				return err
			}
			parts = append(parts, string(b))
		}
		path := filepath.Join(dir, "kube", kind+"s.yaml")
		if err := writeFile(path, strings.Join(parts, "---\n")); err != nil {
			return err
		}
	}
	for key, lines := range s.logs {
		sortLogs(lines)
		var b strings.Builder
		for _, l := range lines {
			b.WriteString(l.at.UTC().Format(time.RFC3339Nano) + " " + l.msg + "\n")
		}
		if err := writeFile(filepath.Join(dir, "logs", key+".log"), b.String()); err != nil {
			return err
		}
	}
	if s.metrics != nil {
		return writeFile(filepath.Join(dir, "metrics.om"), s.metrics.render())
	}
	return nil
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

func readme(all []*scn) string {
	var b strings.Builder
	b.WriteString(`# Held-out set 9 (GKE, written blind)

Incidents of one GKE Standard regional cluster, ` + "`retail-prod-ew4`" + ` (europe-west4), with node
auto-provisioning and Spot node pools, COS containerd nodes, Workload Identity, Cloud SQL Auth Proxy
sidecars, GCE PD and Filestore CSI, Memorystore, Pub/Sub, Spanner, kube-dns and Config Sync. Workloads
in Go, Python (Flask/gunicorn, Apache Beam), Java (Micronaut), Node.js (Fastify), Ruby (Puma/Sinatra),
PHP (Symfony) and Rust (tonic); many log in the Cloud Logging JSON shape, others plain. Alerts come
from Alertmanager (the Managed Prometheus rule evaluator) and from Grafana alerting.

The author read no analyzer code, no other held-out set and no score. Each incident is modelled on
the public report named in its description.

## Fixture style

One directory per incident in the format of DESIGN.md "Scenario fixtures": scenario.yaml, kube/*.yaml
(one multi-document file per kind), logs/<namespace>/<pod>/<container>[.previous].log and, for most,
metrics.om (OpenMetrics, timestamps in seconds, a sample every 15 s, none after now). Some incidents
have no metrics, some no logs of the responsible object, and about a third carry red herrings.

## Regenerate

    go run ./testdata/heldout9/gen

from the module root. The generator deletes and rewrites every incident directory and this README,
deterministically (UIDs and name suffixes are hashes of names).

## Consistency check

Before writing, the generator fails (exit 1, one line per problem) when an owner reference does not
resolve to an object of that kind with that uid, a selector does not match its pod template or its
pods, a Service with endpoints selects no pod, anything (object time, log line, metric sample, alert
start) is after now, the alerted pod or the expected entity (unless External) is missing, the
mentions are not 1 to 3, or the description names no source.

## Incidents

| incident | category | entity | metrics | source |
|---|---|---|---|---|
`)
	for _, s := range all {
		metrics := "no"
		if s.metrics != nil {
			metrics = "yes"
		}
		ent := s.entity[1] + " " + s.entity[2]
		if s.entity[0] != "" {
			ent = s.entity[1] + " " + s.entity[0] + "/" + s.entity[2]
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", s.name, s.category, ent, metrics, s.source)
	}
	return b.String()
}
