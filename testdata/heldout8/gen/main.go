// Command gen writes the heldout8 scenario set: incidents on the EKS cluster
// "payments-eu" (eu-central-1). Run from the module root:
//
//	go run ./testdata/heldout8/gen
//
// It rebuilds every h8-* directory from the definitions in incidents.go and
// refuses to write anything when a fixture is internally inconsistent.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

const setDir = "testdata/heldout8"

func main() {
	worlds := incidents()
	var problems []string
	seen := map[string]bool{}
	for _, w := range worlds {
		if seen[w.name] {
			problems = append(problems, w.name+": duplicate incident name")
		}
		seen[w.name] = true
		problems = append(problems, check(w)...)
	}
	if len(problems) > 0 {
		log.Fatalf("consistency check failed:\n  %s", strings.Join(problems, "\n  "))
	}
	old, _ := filepath.Glob(filepath.Join(setDir, "h8-*"))
	for _, d := range old {
		if err := os.RemoveAll(d); err != nil {
			log.Fatal(err)
		}
	}
	for _, w := range worlds {
		if err := write(w); err != nil {
			log.Fatalf("%s: %v", w.name, err)
		}
	}
	if err := writeReadme(worlds); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d incidents to %s\n", len(worlds), setDir)
}

func (w *world) setAlert(alertname, severity string, labels map[string]string, summary, description string, startsAgo time.Duration, query string, value float64) {
	l := merge(labels, map[string]string{"alertname": alertname, "severity": severity, "prometheus": "monitoring/kube-prometheus-stack-prometheus", "cluster": "payments-eu"})
	w.alert = obj{"labels": l, "annotations": map[string]string{"summary": summary, "description": description,
		"runbook_url": "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/" + strings.ToLower(alertname)},
		"status": "firing", "startsAt": w.at(startsAgo), "endsAt": "0001-01-01T00:00:00Z", "fingerprint": hashOf(w.name, alertname)[:8] + hashOf(alertname, w.name)[:8],
		"generatorURL": "https://prometheus.payments-eu.internal/graph?g0.expr=" + strings.NewReplacer(" ", "+", "\"", "%22", "{", "%7B", "}", "%7D").Replace(query) + "&g0.tab=1",
		"values":       obj{"A": value}, "query": query}
}

func (w *world) want(category, ns, kind, name string, mentions ...string) {
	w.expect = obj{"category": category, "entity": obj{"namespace": ns, "kind": kind, "name": name}, "mentions": mentions}
}

func write(w *world) error {
	dir := filepath.Join(setDir, w.name)
	scenario := obj{"name": w.name, "description": strings.TrimSpace(w.description) + "\n\nSource: " + w.source, "now": w.now.Format(time.RFC3339), "alert": w.alert, "expect": w.expect}
	if err := writeYAML(filepath.Join(dir, "scenario.yaml"), scenario); err != nil {
		return err
	}
	for file, items := range w.files {
		list := obj{"apiVersion": "v1", "kind": "List", "metadata": obj{"resourceVersion": ""}, "items": items}
		if err := writeYAML(filepath.Join(dir, "kube", file+".yaml"), list); err != nil {
			return err
		}
	}
	for key, lines := range w.logs {
		if err := writeFile(filepath.Join(dir, "logs", key), strings.Join(lines, "\n")+"\n"); err != nil {
			return err
		}
	}
	if len(w.series) > 0 {
		return writeFile(filepath.Join(dir, "metrics.om"), openMetrics(w))
	}
	return nil
}

func writeYAML(path string, v any) error {
	b, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	return writeFile(path, string(b))
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

// steps is the number of samples per series: a 5-minute window at 15 s resolution.
const steps = 21

func openMetrics(w *world) string {
	byFamily := map[string][]series{}
	var families []string
	for _, s := range w.series {
		if _, ok := byFamily[s.family]; !ok {
			families = append(families, s.family)
		}
		byFamily[s.family] = append(byFamily[s.family], s)
	}
	sort.Strings(families)
	var b strings.Builder
	start := w.now.Add(-time.Duration(steps-1) * 15 * time.Second)
	for _, f := range families {
		ss := byFamily[f]
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f, ss[0].help, f, ss[0].typ)
		sample := f
		if ss[0].typ == "counter" {
			sample += "_total"
		}
		for _, s := range ss {
			var lp []string
			for _, k := range sortedKeys(s.labels) {
				lp = append(lp, fmt.Sprintf("%s=%q", k, s.labels[k]))
			}
			for i := 0; i < steps; i++ {
				ts := start.Add(time.Duration(i) * 15 * time.Second).Unix()
				fmt.Fprintf(&b, "%s{%s} %g %d\n", sample, strings.Join(lp, ","), s.value(i), ts)
			}
		}
	}
	b.WriteString("# EOF\n")
	return b.String()
}

func writeReadme(worlds []*world) error {
	var b strings.Builder
	b.WriteString(readmeHead)
	b.WriteString("| incident | expected category | responsible entity | source |\n|---|---|---|---|\n")
	for _, w := range worlds {
		e := w.expect["entity"].(obj)
		ent := fmt.Sprintf("%s %s/%s", e["kind"], e["namespace"], e["name"])
		if e["namespace"] == "" {
			ent = fmt.Sprintf("%s %s", e["kind"], e["name"])
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", w.name, w.expect["category"], ent, w.source)
	}
	return writeFile(filepath.Join(setDir, "README.md"), b.String())
}

const readmeHead = `# heldout8: blind incidents on EKS "payments-eu"

A held-out evaluation set written without looking at the analyzers, their prompts or any score.

**Setting.** One AWS EKS cluster, ` + "`payments-eu`" + ` in eu-central-1: managed node groups (general, memory, batch)
and Fargate profiles, Istio ingress gateway and sidecars (every meshed pod carries the istio-init init container and
the istio-proxy sidecar), Argo Rollouts, ExternalDNS, External Secrets Operator, the EBS and EFS CSI drivers and IRSA
roles. The workloads live in the namespaces payments, ledger, checkout, risk, notifications, data-jobs and
platform-edge and depend on SQS, DynamoDB, ElastiCache Redis, MSK Kafka and Aurora PostgreSQL. Languages: Java (Spring
Boot, Quarkus), Kotlin, Node.js (NestJS, Express), Python (FastAPI, Celery) and .NET.

**Fixture style.** Every kube/*.yaml file is one v1 List (pods, apps, batch, network, storage, nodes, events, config).
Events come in both shapes (count/firstTimestamp/lastTimestamp from the kubelet and controllers, eventTime/series
from the scheduler and newer controllers). Logs include previous-container logs; pods that never started have none.
Metrics are OpenMetrics with timestamps over a 5-minute window at 15 s steps, using kube-state-metrics, cAdvisor,
node-exporter and client-library names. Some incidents deliberately carry no metrics.om, and some carry no logs for
the responsible object.

**Regenerate.** From the module root: ` + "`go run ./testdata/heldout8/gen`" + `. The generator deletes and rewrites
every h8-* directory and this README.

**Consistency check.** Before writing, the generator fails loudly (exit 1, one line per problem) when: an owner
reference points to an object that is missing or has another uid; a Deployment or ReplicaSet selector does not match
its own template or the pods it owns; a Service with endpoints selects no pod; any timestamp in objects, events, logs,
metrics or the alert is after ` + "`now`" + `; the alerted pod or the expected entity (other than External) is missing
from the fixture; an incident has not 1-3 mentions or no source.

`
