package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// scrapeTarget is one service's /metrics with the labels a Kubernetes
// service discovery would attach.
type scrapeTarget struct {
	Addr      string
	Namespace string
	Pod       string
	App       string
}

// prometheusConfig renders the demo's Prometheus configuration: the
// services under job "services" (as in docker compose), the kubelet's state
// under job "kube-state-metrics", and the repository's rule files.
func prometheusConfig(interval time.Duration, ruleFiles []string, services []scrapeTarget, kubeState string) string {
	var b strings.Builder
	secs := strconv.Itoa(int(interval / time.Second))
	fmt.Fprintf(&b, "global:\n  scrape_interval: %ss\n  evaluation_interval: %ss\n", secs, secs)
	b.WriteString("rule_files:\n")
	for _, f := range ruleFiles {
		fmt.Fprintf(&b, "  - %s\n", strconv.Quote(f))
	}
	b.WriteString("scrape_configs:\n  - job_name: services\n    static_configs:\n")
	for _, t := range services {
		fmt.Fprintf(&b, "      - targets: [%s]\n        labels: {namespace: %s, pod: %s, app: %s}\n",
			strconv.Quote(t.Addr), strconv.Quote(t.Namespace), strconv.Quote(t.Pod), strconv.Quote(t.App))
	}
	// honor_labels keeps the namespace/pod/container the exporter reports,
	// as for the real kube-state-metrics.
	fmt.Fprintf(&b, "  - job_name: kube-state-metrics\n    honor_labels: true\n    static_configs:\n      - targets: [%s]\n", strconv.Quote(kubeState))
	return b.String()
}
