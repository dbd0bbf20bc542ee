package demo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPrometheusConfigIsValid checks the generated configuration, with the
// repository's rule files, using promtool.
func TestPrometheusConfigIsValid(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool not installed (apt-get install prometheus)")
		}
		t.Skip("SKIP: promtool not installed (apt-get install prometheus)")
	}
	repo, err := FindRepository("")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := filepath.Glob(filepath.Join(repo, "deploy", "prometheus", "rules", "*.yml"))
	if err != nil || len(rules) == 0 {
		t.Fatalf("rules: %v %v", rules, err)
	}
	cfg := prometheusConfig(5*time.Second, rules, []scrapeTarget{
		{Addr: "127.0.0.1:8082", Namespace: "demo", Pod: "order-service-7d9c5b6f4-x2x1q", App: "order-service"},
	}, "127.0.0.1:9100")
	path := filepath.Join(t.TempDir(), "prometheus.yml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(promtool, "check", "config", path).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check config: %v\n%s\n%s", err, out, cfg)
	}
	for _, want := range []string{"scrape_interval: 5s", "job_name: services", "honor_labels: true"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
}

func TestFindRepository(t *testing.T) {
	if _, err := FindRepository(t.TempDir()); err == nil {
		t.Fatal("an empty directory was taken for the repository")
	}
	repo, err := FindRepository("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repo, "services", "order-service", "main.go")); err != nil {
		t.Fatalf("repository %s lacks the services: %v", repo, err)
	}
}

func TestMetricsWindowSkipsStartupRamp(t *testing.T) {
	up := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	rw, lb := metricsWindow(5*time.Second, up, up.Add(70*time.Second))
	if rw != 20*time.Second || lb != 45*time.Second {
		t.Fatalf("window %s lookback %s", rw, lb)
	}
	if _, lb := metricsWindow(5*time.Second, up, up.Add(time.Second)); lb != 10*time.Second {
		t.Fatalf("lookback floor %s", lb)
	}
}

func TestLookupFault(t *testing.T) {
	for _, name := range []string{"oom", "errors", "latency", "dependency", "crash", " OOM "} {
		f, err := LookupFault(name)
		if err != nil || f.Alert == "" || f.Expect == "" || f.Target == "" {
			t.Errorf("%q: %+v %v", name, f, err)
		}
	}
	if _, err := LookupFault("meteor"); err == nil || !strings.Contains(err.Error(), "oom") {
		t.Errorf("unknown fault error = %v", err)
	}
}
