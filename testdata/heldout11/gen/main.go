// Command gen writes the eleventh held-out corpus (testdata/heldout11): a
// bare-metal k3s fleet, written blind from public incident reports. Run it
// from the module root with `go run ./testdata/heldout11/gen`; it checks every
// incident first and writes nothing when a check fails.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

const setDir = "testdata/heldout11"

func main() {
	all := incidents()
	if problems := check(all); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, p)
		}
		os.Exit(1)
	}
	if err := writeSet(all); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func writeSet(all []*incident) error {
	old, err := filepath.Glob(filepath.Join(setDir, "h11-*"))
	if err != nil {
		return err
	}
	for _, dir := range old {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	for _, in := range all {
		if err := writeIncident(in); err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
	}
	return os.WriteFile(filepath.Join(setDir, "README.md"), []byte(readme(all)), 0o644)
}

func writeIncident(in *incident) error {
	dir := filepath.Join(setDir, in.name)
	if err := os.MkdirAll(filepath.Join(dir, "kube"), 0o755); err != nil {
		return err
	}
	scenario, err := yaml.Marshal(scenarioDoc(in))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "scenario.yaml"), scenario, 0o644); err != nil {
		return err
	}
	var kube strings.Builder
	for i, o := range in.objects {
		b, err := yaml.Marshal(o)
		if err != nil {
			return err
		}
		if i > 0 {
			kube.WriteString("---\n")
		}
		kube.Write(b)
	}
	if err := os.WriteFile(filepath.Join(dir, "kube", "objects.yaml"), []byte(kube.String()), 0o644); err != nil {
		return err
	}
	for _, l := range in.logs {
		name := l.container + ".log"
		if l.previous {
			name = l.container + ".previous.log"
		}
		path := filepath.Join(dir, "logs", l.namespace, l.pod, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		var b strings.Builder
		for _, line := range l.lines {
			b.WriteString(line.at.UTC().Format("2006-01-02T15:04:05.000000000Z07:00"))
			b.WriteString(" ")
			b.WriteString(line.text)
			b.WriteString("\n")
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	if in.metrics != nil {
		return os.WriteFile(filepath.Join(dir, "metrics.om"), []byte(openMetrics(in.metrics)), 0o644)
	}
	return nil
}

func scenarioDoc(in *incident) obj {
	a := in.alert
	alertDoc := obj{"labels": a.labels, "annotations": a.annotations, "status": "firing", "startsAt": ts(a.startsAt),
		"endsAt": "0001-01-01T00:00:00Z", "fingerprint": uid("Alert", in.name, a.labels["alertname"])[:16],
		"query": a.query, "values": obj{"A": a.value}}
	if a.generator != "" {
		alertDoc["generatorURL"] = a.generator
	}
	return obj{
		"name":        in.name,
		"description": strings.TrimSpace(in.description) + "\nSource: " + in.source,
		"now":         ts(in.now),
		"alert":       alertDoc,
		"expect": obj{"category": in.expect.category, "mentions": in.expect.mentions,
			"entity": obj{"namespace": in.expect.namespace, "kind": in.expect.kind, "name": in.expect.name}},
	}
}

// openMetrics renders the series grouped by family, a "# TYPE" line each,
// timestamps in seconds, ending in "# EOF".
func openMetrics(all []series) string {
	families := map[string][]series{}
	var order []string
	for _, s := range all {
		fam := s.name
		if s.typ == "counter" {
			fam = strings.TrimSuffix(s.name, "_total")
		}
		if _, ok := families[fam]; !ok {
			order = append(order, fam)
		}
		families[fam] = append(families[fam], s)
	}
	sort.Strings(order)
	var b strings.Builder
	for _, fam := range order {
		ss := families[fam]
		fmt.Fprintf(&b, "# TYPE %s %s\n", fam, ss[0].typ)
		fmt.Fprintf(&b, "# HELP %s %s\n", fam, ss[0].help)
		for _, s := range ss {
			for i, t := 0, s.start; !t.After(s.end); i, t = i+1, t.Add(step) {
				fmt.Fprintf(&b, "%s%s %s %d\n", s.name, labelString(s.labels), formatValue(s.value(i)), t.Unix())
			}
		}
	}
	b.WriteString("# EOF\n")
	return b.String()
}

func formatValue(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.4f", v)
}

func readme(all []*incident) string {
	var b strings.Builder
	b.WriteString(`# Held-out set 11: bare-metal and edge k3s

Written blind: its author read no analyzer code, no other held-out set and no
score. Every incident is modelled on a public report named in its description.

## Setting

A central k3s HA cluster ` + "`edge-core`" + ` (embedded etcd, three servers
core-srv-1..3 behind a kube-vip API address) in a colocation rack, and shop
nodes (edge-shop-NNNN) joined to it as agents over a flaky WAN link. Traefik
ingress with IngressRoutes, klipper-lb (svclb-* DaemonSets), Longhorn and
local-path volumes, Flux v2, Linkerd, KEDA with a NATS JetStream scaler,
a MariaDB Galera cluster, a MinIO tenant, Keycloak, cert-manager, a Gitea
registry; workloads in PHP (Laravel Horizon), Ruby (Rails, Hanami), Scala
(ZIO), Haskell (Servant), Node.js (Hapi, Koa), Python (Litestar, Starlette),
Java (Vert.x) and Go. Alerts from kube-prometheus-stack, Grafana alerting and
blackbox probes, each with its own label set.

## Fixture style

Each incident directory holds scenario.yaml, kube/objects.yaml (multi-document
YAML as the API returns objects, Events in both the count/timestamps and the
scheduler's eventTime/series shape), logs/<namespace>/<pod>/<container>[.previous].log
with RFC3339Nano timestamps, and metrics.om (OpenMetrics, timestamps in
seconds, samples every 15 s) where the incident has metrics. Some incidents
deliberately come without metrics or without the responsible object's logs;
about a third carry a red herring (an unrelated warning or a second, smaller
problem).

## Regenerate

    go run ./testdata/heldout11/gen

from the module root. The generator is deterministic (UIDs are hashes of
names). It deletes and rewrites every h11-* directory and this README.

## Consistency check

Before writing, the generator fails (exit 1, one line per problem) when an
owner reference does not resolve with a matching uid, a selector does not
match its pod template or its pods, a Service with endpoints selects no pod,
anything is timestamped after now, logs are out of order, the alerted pod or
the expected entity (unless External) is missing, the mentions are not 1-3,
or the source is missing.

## Incidents

| incident | category | entity | metrics | source |
|---|---|---|---|---|
`)
	for _, in := range all {
		m := "no"
		if in.metrics != nil {
			m = "yes"
		}
		e := in.expect
		entity := e.kind + " " + e.name
		if e.namespace != "" {
			entity = e.kind + " " + e.namespace + "/" + e.name
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", in.name, e.category, entity, m, in.source)
	}
	return b.String()
}
