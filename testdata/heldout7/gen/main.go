// Command gen writes the held-out incident set heldout7 (an on-premises kubeadm cluster, dc1-prod).
// Every fixture is checked for internal consistency before anything is written; a failed check
// stops the run with the list of problems.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// incidents lists the constructors of every fixture in the set.
var incidents []func() *scene

func register(f func() *scene) bool {
	incidents = append(incidents, f)
	return true
}

func main() {
	out := flag.String("out", "testdata/heldout7", "directory the fixtures are written to")
	flag.Parse()
	var all []*scene
	var problems []string
	seen := map[string]bool{}
	for _, build := range incidents {
		s := build()
		if seen[s.name] {
			problems = append(problems, s.name+": duplicate incident name")
		}
		seen[s.name] = true
		for _, p := range check(s) {
			problems = append(problems, s.name+": "+p)
		}
		all = append(all, s)
	}
	if len(problems) > 0 {
		log.Fatalf("consistency check failed (%d problems):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name })
	for _, s := range all {
		if err := write(*out, s); err != nil {
			log.Fatalf("%s: %v", s.name, err)
		}
	}
	if err := writeReadme(*out, all); err != nil {
		log.Fatalf("README: %v", err)
	}
	fmt.Printf("wrote %d incidents to %s\n", len(all), *out)
}

// setAlert fills the alert context the way Alertmanager hands it over for a kube-prometheus rule.
func (s *scene) setAlert(name, severity string, labels map[string]string, summary, description, query string, startsAgo time.Duration, value float64) {
	l := merge(map[string]string{"alertname": name, "severity": severity, "prometheus": "monitoring/kube-prometheus-stack-prometheus",
		"cluster": "dc1-prod"}, labels)
	s.alert = alert{
		Labels:       l,
		Annotations:  map[string]string{"summary": summary, "description": description, "runbook_url": runbookURL(name)},
		Status:       "firing",
		StartsAt:     s.at(startsAgo),
		EndsAt:       "0001-01-01T00:00:00Z",
		Fingerprint:  hexID(16, s.name, name),
		GeneratorURL: "http://prometheus.monitoring.svc:9090/graph?g0.expr=" + url.QueryEscape(query) + "&g0.tab=1",
		Values:       map[string]float64{"A": value},
		Query:        query,
	}
}

// runbookURL points kube-prometheus alerts at the upstream runbooks and the team's own alerts at dc1's wiki.
func runbookURL(alertname string) string {
	switch {
	case strings.HasPrefix(alertname, "Kube"):
		return "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/" + strings.ToLower(alertname)
	case alertname == "TargetDown":
		return "https://runbooks.prometheus-operator.dev/runbooks/general/targetdown"
	}
	return "https://wiki.dc1.internal/runbooks/alerts/" + strings.ToLower(alertname)
}

func (s *scene) want(category, ns, kind, name string, mentions ...string) {
	s.expect = expectation{Category: category, Entity: entity{Namespace: ns, Kind: kind, Name: name}, Mentions: mentions}
}

type scenarioFile struct {
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Now         string      `json:"now"`
	Alert       alert       `json:"alert"`
	Expect      expectation `json:"expect"`
}

// kubeFile groups objects into the files an operator would dump with kubectl get -o yaml.
func kubeFile(o obj) string {
	switch o["kind"] {
	case "Node":
		return "nodes.yaml"
	case "Pod":
		return "pods.yaml"
	case "Event":
		if o["eventTime"] != nil {
			return "events-scheduler.yaml"
		}
		return "events.yaml"
	case "Service", "Endpoints":
		return "services.yaml"
	case "ConfigMap":
		return "configmaps.yaml"
	case "PersistentVolumeClaim":
		return "volumes.yaml"
	case "HorizontalPodAutoscaler":
		return "autoscaling.yaml"
	case "Job", "CronJob":
		return "jobs.yaml"
	}
	return "workloads.yaml"
}

func write(root string, s *scene) error {
	dir := filepath.Join(root, s.name)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	desc := strings.TrimSpace(s.description) + "\nSource: " + s.source
	sc, err := yaml.Marshal(scenarioFile{Name: s.name, Description: desc, Now: s.now.Format(time.RFC3339), Alert: s.alert, Expect: s.expect})
	if err != nil {
		return err
	}
	files := map[string][]string{}
	for _, o := range s.objects {
		b, err := yaml.Marshal(o)
		if err != nil {
			return err
		}
		f := kubeFile(o)
		files[f] = append(files[f], string(b))
	}
	if err := writeFile(filepath.Join(dir, "scenario.yaml"), string(sc)); err != nil {
		return err
	}
	for _, f := range sortedKeys(files) {
		if err := writeFile(filepath.Join(dir, "kube", f), strings.Join(files[f], "---\n")); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(s.logs) {
		if err := writeFile(filepath.Join(dir, "logs", k), strings.Join(s.logs[k], "\n")+"\n"); err != nil {
			return err
		}
	}
	if om := s.openMetrics(); om != "" {
		return writeFile(filepath.Join(dir, "metrics.om"), om)
	}
	return nil
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}
