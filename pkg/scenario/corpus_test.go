package scenario

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	promapi "github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/kubeapi"
	"github.com/cloudobs/aiops-app/pkg/promlocal"
)

// minCorpus is the size issue 5 asks for.
const minCorpus = 30

// TestCorpusShape checks the corpus is complete and internally consistent:
// every category is expected at least once, the alert's pod exists, log files
// belong to pods in kube/, and metrics end in "# EOF".
func TestCorpusShape(t *testing.T) {
	all, err := LoadAll(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < minCorpus {
		t.Errorf("corpus has %d scenarios, want at least %d", len(all), minCorpus)
	}
	seen := map[incident.Category]int{}
	for _, s := range all {
		seen[s.Expect.Category]++
		t.Run(s.Name, func(t *testing.T) {
			if filepath.Base(s.Dir) != s.Name {
				t.Errorf("directory %s holds scenario %q", s.Dir, s.Name)
			}
			if s.Alert.StartsAt.After(s.Now) {
				t.Errorf("alert starts at %v, after now %v", s.Alert.StartsAt, s.Now)
			}
			if pod := s.Alert.Labels["pod"]; pod != "" {
				if _, ok := s.PodOwners[s.Alert.Labels["namespace"]+"/"+pod]; !ok {
					t.Errorf("alert names pod %s which is not in kube/", pod)
				}
			}
			if len(s.Expect.Mentions) == 0 {
				t.Errorf("no mentions expected")
			}
			checkMetricsFile(t, filepath.Join(s.Dir, MetricsFile))
			checkLogs(t, s)
		})
	}
	for _, c := range incident.Categories() {
		if seen[c] == 0 {
			t.Errorf("no scenario expects category %s", c)
		}
	}
}

func checkMetricsFile(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(raw, []byte("# EOF\n")) {
		t.Errorf("%s does not end in # EOF", path)
	}
	if !bytes.Contains(raw, []byte("# TYPE ")) {
		t.Errorf("%s has no # TYPE lines", path)
	}
}

// checkLogs verifies every log file belongs to a pod of kube/ and every line
// carries an RFC3339Nano timestamp, in order, before the scenario's now.
func checkLogs(t *testing.T, s *Scenario) {
	t.Helper()
	logsDir := filepath.Join(s.Dir, LogsDir)
	err := filepath.WalkDir(logsDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(logsDir, path)
		parts := strings.Split(rel, string(filepath.Separator))
		if len(parts) != 3 || !strings.HasSuffix(parts[2], ".log") {
			t.Errorf("unexpected log path %s", rel)
			return nil
		}
		if _, ok := s.PodOwners[parts[0]+"/"+parts[1]]; !ok {
			t.Errorf("logs for pod %s/%s which is not in kube/", parts[0], parts[1])
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		var prev time.Time
		for n := 1; sc.Scan(); n++ {
			ts, _, ok := strings.Cut(sc.Text(), " ")
			at, err := time.Parse(time.RFC3339Nano, ts)
			if !ok || err != nil {
				t.Errorf("%s:%d: no RFC3339Nano timestamp prefix", rel, n)
				return nil
			}
			if at.Before(prev) || at.After(s.Now) {
				t.Errorf("%s:%d: timestamp %v out of order or after now", rel, n, at)
				return nil
			}
			prev = at
		}
		return sc.Err()
	})
	if err != nil && !os.IsNotExist(err) {
		t.Error(err)
	}
}

// TestCorpusKubeObjectsServe loads every kube/ directory into the local API,
// as a replay does.
func TestCorpusKubeObjectsServe(t *testing.T) {
	all, err := LoadAll(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		objects, err := kubeapi.LoadObjects(filepath.Join(s.Dir, KubeDir))
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if _, err := kubeapi.New(kubeapi.Config{Objects: objects}); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
		if _, err := kubeapi.LoadLogs(filepath.Join(s.Dir, LogsDir)); err != nil {
			t.Errorf("%s: logs: %v", s.Name, err)
		}
	}
}

// TestCorpusAlertsFire backfills every metrics.om (with promtool, as a replay
// does) into one TSDB, starts one real Prometheus over it and evaluates each
// scenario's alert query at its now: a recorded alert must be firing in its
// own metrics. Series of the alert's namespace must be in the answer, so a
// neighbouring scenario's data cannot make it pass.
func TestCorpusAlertsFire(t *testing.T) {
	promtool := requireBinary(t, "promtool")
	requireBinary(t, "prometheus")
	all, err := LoadAll(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dataDir := t.TempDir()
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	errs := make([]error, len(all))
	for i, s := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out, err := exec.CommandContext(ctx, promtool, "tsdb", "create-blocks-from", "openmetrics", "--quiet",
				filepath.Join(s.Dir, MetricsFile), dataDir).CombinedOutput()
			if err != nil {
				errs[i] = fmt.Errorf("%s: backfill: %w: %s", s.Name, err, strings.TrimSpace(string(out)))
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	config := filepath.Join(t.TempDir(), "prometheus.yml")
	if err := os.WriteFile(config, []byte("global: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, err := promlocal.Start(ctx, config, promlocal.Options{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client, err := promapi.NewClient(promapi.Config{Address: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	api := promv1.NewAPI(client)
	for _, s := range all {
		if s.Alert.Query == "" {
			continue
		}
		v, _, _, err := api.Query(ctx, s.Alert.Query, s.Now)
		if err != nil {
			t.Errorf("%s: alert query: %v", s.Name, err)
			continue
		}
		if !firesFor(v, s.Alert.Labels["namespace"]) {
			t.Errorf("%s: alert query %q returns nothing for namespace %q at %v", s.Name, s.Alert.Query, s.Alert.Labels["namespace"], s.Now)
		}
	}
}

// firesFor reports whether an instant query's answer has a sample of the
// namespace (any sample when the answer carries no namespace label).
func firesFor(v model.Value, namespace string) bool {
	vec, ok := v.(model.Vector)
	if !ok {
		return false
	}
	for _, sample := range vec {
		ns, has := sample.Metric["namespace"]
		if !has || namespace == "" || string(ns) == namespace {
			return true
		}
	}
	return false
}

// requireBinary finds a binary or skips loudly (fails under CI=true).
func requireBinary(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		msg := "SKIP: " + name + " not installed (apt-get install prometheus)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}
