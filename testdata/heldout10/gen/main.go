// Command gen writes the held-out set testdata/heldout10: incidents on an
// AKS cluster, each a scenario directory in the fixture format of
// DESIGN.md "Scenario fixtures". Run from the module root:
//
//	go run ./testdata/heldout10/gen
//
// It checks every incident first and writes nothing when one is
// inconsistent.
package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

const setDir = "testdata/heldout10"

func main() {
	all := incidents()
	if problems := checkAll(all); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, p)
		}
		os.Exit(1)
	}
	if err := writeAll(all); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d incidents to %s\n", len(all), setDir)
}

func writeAll(all []*incident) error {
	entries, err := os.ReadDir(setDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "h10-") {
			if err := os.RemoveAll(filepath.Join(setDir, e.Name())); err != nil {
				return err
			}
		}
	}
	for _, in := range all {
		if err := writeIncident(in); err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
	}
	return os.WriteFile(filepath.Join(setDir, "README.md"), []byte(readme(all)), 0o644)
}

type scenarioFile struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Now         string `json:"now"`
	Alert       alert  `json:"alert"`
	Expect      expect `json:"expect"`
}

func writeIncident(in *incident) error {
	dir := filepath.Join(setDir, in.name)
	sc := scenarioFile{Name: in.name, Description: strings.TrimSpace(in.summary) + "\nSource: " + in.source + "\n",
		Now: ts(in.now), Alert: in.alert, Expect: in.expect}
	b, err := yaml.Marshal(sc)
	if err != nil {
		return err
	}
	if err := write(filepath.Join(dir, "scenario.yaml"), b); err != nil {
		return err
	}
	byKind := map[string][]obj{}
	for _, o := range in.objects {
		byKind[o["kind"].(string)] = append(byKind[o["kind"].(string)], o)
	}
	for _, kind := range slices.Sorted(maps.Keys(byKind)) {
		var buf bytes.Buffer
		for i, o := range byKind[kind] {
			if i > 0 {
				buf.WriteString("---\n")
			}
			b, err := yaml.Marshal(o)
			if err != nil {
				return err
			}
			buf.Write(b)
		}
		if err := write(filepath.Join(dir, "kube", strings.ToLower(kind)+"s.yaml"), buf.Bytes()); err != nil {
			return err
		}
	}
	for _, path := range slices.Sorted(maps.Keys(in.logs)) {
		var buf bytes.Buffer
		for _, l := range in.logs[path] {
			buf.WriteString(l.at.UTC().Format(time.RFC3339Nano) + " " + l.text + "\n")
		}
		if err := write(filepath.Join(dir, "logs", path+".log"), buf.Bytes()); err != nil {
			return err
		}
	}
	if in.metrics != nil {
		if err := write(filepath.Join(dir, "metrics.om"), openMetrics(in)); err != nil {
			return err
		}
	}
	return nil
}

// openMetrics renders the families with one sample every 15 s, the last
// one at now; timestamps are in seconds as promtool expects.
func openMetrics(in *incident) []byte {
	var buf bytes.Buffer
	for _, f := range in.metrics {
		family := f.name
		if f.typ == "counter" {
			family = strings.TrimSuffix(f.name, "_total")
		}
		fmt.Fprintf(&buf, "# HELP %s %s\n# TYPE %s %s\n", family, f.help, family, f.typ)
		for _, s := range f.series {
			n := len(s.values)
			for i, v := range s.values {
				at := in.now.Add(-time.Duration(n-1-i) * 15 * time.Second).Unix()
				fmt.Fprintf(&buf, "%s{%s} %s %d\n", f.name, s.labels, formatValue(v), at)
			}
		}
	}
	buf.WriteString("# EOF\n")
	return buf.Bytes()
}

func formatValue(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%g", v)
}

func write(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func readme(all []*incident) string {
	var b strings.Builder
	b.WriteString(`# Held-out set 10 (AKS, written blind)

Incidents on one Azure Kubernetes Service cluster, ` + "`contoso-weu-prod`" + ` in
westeurope: Azure CNI Overlay with Cilium, a system pool, a Linux user pool
(VMSS nodes such as aks-userpool-38211457-vmss00000a), a Windows pool for one
legacy .NET Framework service, the Application Gateway Ingress Controller,
Azure Workload Identity, the Secrets Store CSI driver with the Key Vault
provider, Azure Disk and Azure Files CSI, KEDA on Service Bus, Dapr sidecars,
Flux v2, the cluster autoscaler and Azure Monitor managed Prometheus
(ama-metrics). Dependencies are Azure services: PostgreSQL flexible server,
Azure Cache for Redis, Cosmos DB, Service Bus, Blob Storage, Event Hubs (Kafka
endpoint) and ACR. Workloads are .NET 8 with Serilog JSON, Go, Python (Django
and Celery), TypeScript on Bun, Kotlin on Ktor and one Perl edge service.

The author read only DESIGN.md's alert, category and fixture sections and
public reports; every incident names the public report it is modelled on. No
analyzer was run on these fixtures.

## Fixture style

- Alerts come from Prometheus/Alertmanager rules (kubernetes-mixin names) and
  from Grafana alerting (rule uid and folder labels), each with its own labels.
- Some causes can be read only from logs, some only from events, some only
  from metrics; some incidents have no metrics.om, some lack the responsible
  object's logs, and about a third carry a red herring (an unrelated warning
  or a second, smaller problem).
- Events use both the count/firstTimestamp shape and the scheduler's
  eventTime/series shape.

## Regenerate

    go run ./testdata/heldout10/gen

from the module root. The generator deletes and rewrites every h10-*
directory and this README. It is deterministic: UIDs and name suffixes are
hashes of names, times are offsets from a fixed instant.

## Consistency check

Before writing, the generator checks every incident and exits 1 with one
line per problem: owner references resolve to an object with the same uid;
selectors match their pod templates and their pods; a Service with endpoints
selects a pod and its endpoint addresses name existing pods; nothing (object
times, log lines, samples, startsAt) is after now; log lines are in time
order; the alerted pod and the expected entity (unless External) exist; 1-3
mentions; a public https source.

## Incidents

| incident | category | entity | metrics | red herring | source |
|---|---|---|---|---|---|
`)
	for _, in := range all {
		e := in.expect.Entity
		ent := e.Kind + " " + e.Name
		if e.Namespace != "" {
			ent = e.Kind + " " + e.Namespace + "/" + e.Name
		}
		m := "no"
		if in.metrics != nil {
			m = "yes"
		}
		h := "no"
		if in.herring {
			h = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", in.name, in.expect.Category, ent, m, h, in.source)
	}
	return b.String()
}
