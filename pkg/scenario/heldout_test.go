package scenario

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

// heldoutDir is the first held-out corpus: incidents written apart from the
// in-sample generator and frozen before the analyzers were changed for them.
// The analyzers have since been improved on its misses, so it no longer says
// much about unseen incidents.
var heldoutDir = filepath.Join("..", "..", "testdata", "heldout")

// heldout2Dir is the second held-out corpus, written by its own generator and
// frozen before the analyzers were changed for the first set's misses; commit
// 99f8dac was made on its misses.
var heldout2Dir = filepath.Join("..", "..", "testdata", "heldout2")

// heldout3Dir is the third held-out corpus, written by its own generator from
// other public reports and frozen (committed alone) before the analyzers were
// changed on held-out 2's misses. Commit 99f8dac and issue 21's second round
// (a full volume behind a dependency, a webhook certificate, a quota) were
// made on its misses, so it is learned from too.
var heldout3Dir = filepath.Join("..", "..", "testdata", "heldout3")

// heldout4Dir is the fourth held-out corpus, written by a Python generator of
// its own (EKS names, other log formats and languages, cases without metrics)
// from public reports, and committed alone before anyone scored it.
var heldout4Dir = filepath.Join("..", "..", "testdata", "heldout4")

// heldout5Dir is the fifth held-out corpus, written blind (its author read no
// analyzer code and no score) by a Python generator of its own
// (testdata/heldout5gen) and committed alone before anyone scored it.
var heldout5Dir = filepath.Join("..", "..", "testdata", "heldout5")

// heldout6Dir is the sixth held-out corpus, written blind by a Python
// generator of its own (testdata/heldout6/gen, an EKS shop-prod cluster with
// Karpenter and Bottlerocket nodes) while the analyzers were changed by
// authors who never read it, and committed alone before anyone scored it.
var heldout6Dir = filepath.Join("..", "..", "testdata", "heldout6")

// heldout7Dir and heldout8Dir are the seventh and eighth held-out corpora,
// written blind in issue 21's fifth round by two authors who read no code
// under pkg/, no other held-out set and no score, each with a Go generator of
// its own: an on-premises kubeadm cluster (testdata/heldout7/gen) and an EKS
// cluster with Fargate, Istio and Argo Rollouts (testdata/heldout8/gen).
var (
	heldout7Dir = filepath.Join("..", "..", "testdata", "heldout7")
	heldout8Dir = filepath.Join("..", "..", "testdata", "heldout8")
)

// heldout9Dir to heldout11Dir were written blind in issue 21's sixth round,
// each by a Go generator of its own: a GKE Standard regional cluster with
// Spot pools, Workload Identity, Cloud SQL Auth Proxy sidecars and Filestore
// (testdata/heldout9/gen); an AKS cluster with Cilium, a Windows pool,
// Workload Identity, the Key Vault CSI driver, KEDA, Dapr and Flux
// (testdata/heldout10/gen); a bare-metal k3s cluster with edge agents,
// Traefik, Longhorn, Flux, Linkerd and NATS (testdata/heldout11/gen).
var (
	heldout9Dir  = filepath.Join("..", "..", "testdata", "heldout9")
	heldout10Dir = filepath.Join("..", "..", "testdata", "heldout10")
	heldout11Dir = filepath.Join("..", "..", "testdata", "heldout11")
)

// Sizes issue 21 asks for.
const (
	minHeldout  = 25
	minHeldout2 = 12
	minHeldout3 = 20
	minHeldout4 = 25
	minHeldout5 = 30
)

// TestHeldoutShape checks the first held-out corpus is well formed and covers
// the miss families issue 21 lists.
func TestHeldoutShape(t *testing.T) {
	all := checkHeldoutSet(t, heldoutDir, minHeldout)
	families := map[string]bool{}
	for _, s := range all {
		e := s.Expect.Entity
		alerted := s.Alert.Labels["namespace"]
		switch {
		case s.Expect.Category == incident.CategoryUnknown:
			families["healthy"] = true
		case e.Kind == incident.KindJob && s.Alert.Labels["cronjob"] != "":
			families["job named by its cronjob"] = true
		case e.Kind == incident.KindPVC:
			families["volume behind the workload"] = true
		case e.Kind == incident.KindService && e.Namespace != alerted:
			families["dependency service in another namespace"] = true
		case e.Namespace != "" && e.Namespace != alerted:
			families["add-on in another namespace"] = true
		case s.Expect.Category == incident.CategoryTrafficSpike:
			families["load beyond capacity"] = true
		case s.Expect.Category == incident.CategoryProbeFailure:
			families["probe kills"] = true
		}
	}
	for _, f := range []string{"healthy", "job named by its cronjob", "volume behind the workload",
		"dependency service in another namespace", "add-on in another namespace", "load beyond capacity", "probe kills"} {
		if !families[f] {
			t.Errorf("no held-out scenario of the family %q", f)
		}
	}
}

// TestHeldout2Shape checks the second held-out corpus is well formed.
func TestHeldout2Shape(t *testing.T) {
	checkHeldoutSet(t, heldout2Dir, minHeldout2)
}

// TestHeldout3Shape checks the third held-out corpus is well formed and
// covers the families the analyzers find hard.
func TestHeldout3Shape(t *testing.T) {
	all := checkHeldoutSet(t, heldout3Dir, minHeldout3)
	categories := map[incident.Category]bool{}
	elsewhere := 0
	for _, s := range all {
		categories[s.Expect.Category] = true
		if ns := s.Expect.Entity.Namespace; ns != s.Alert.Labels["namespace"] {
			elsewhere++
		}
	}
	for _, c := range []incident.Category{incident.CategoryUnknown, incident.CategoryJobFailure, incident.CategoryResourceExhaustion,
		incident.CategoryDNSFailure, incident.CategoryTLSFailure, incident.CategoryNodePressure, incident.CategoryProbeFailure,
		incident.CategoryTrafficSpike, incident.CategoryConfigError, incident.CategoryDependencyFailure} {
		if !categories[c] {
			t.Errorf("no held-out-3 scenario expects %s", c)
		}
	}
	if elsewhere < 4 {
		t.Errorf("%d held-out-3 scenarios blame an object outside the alerted namespace, want at least 4", elsewhere)
	}
}

// TestHeldout4Shape checks the fourth held-out corpus is well formed, expects
// every category but CostAnomaly, and covers the families issue 21 names as
// hard: the responsible object elsewhere than the alerted workload (a volume,
// a dependency's Service, an add-on), a failed Job named by its CronJob's
// alert, a CronJob whose own spec is the cause, and missing evidence.
func TestHeldout4Shape(t *testing.T) {
	all := checkHeldoutSet(t, heldout4Dir, minHeldout4)
	every := slices.DeleteFunc(incident.Categories(), func(c incident.Category) bool { return c == incident.CategoryCostAnomaly })
	checkCoverage(t, "held-out-4", all, every, map[string]int{"volume behind the workload": 1, "dependency service in another namespace": 3,
		"add-on or workload in another namespace": 3, "job named by its cronjob": 1, "cronjob spec": 1, "node": 2,
		"no metrics": 3})
}

// TestHeldout5Shape checks the fifth held-out corpus is well formed, expects
// every category of the closed list, and covers the hard families: the
// responsible object elsewhere than the alerted workload, a Job named by its
// CronJob's alert, a CronJob's own spec, nodes, nothing wrong, and missing
// evidence (no metrics, or nothing visible at all).
func TestHeldout5Shape(t *testing.T) {
	all := checkHeldoutSet(t, heldout5Dir, minHeldout5)
	checkCoverage(t, "held-out-5", all, incident.Categories(), map[string]int{"volume behind the workload": 1, "dependency service in another namespace": 2,
		"add-on or workload in another namespace": 3, "job named by its cronjob": 1, "cronjob spec": 1, "node": 2,
		"outside the cluster": 1, "nothing supports a cause": 2, "no metrics": 5})
}

// TestBlindSetsShape checks the sixth to eleventh held-out corpora are well
// formed, name their public sources, expect every category of the closed
// list and include incidents without metrics, as their briefs asked.
func TestBlindSetsShape(t *testing.T) {
	for _, dir := range []string{heldout6Dir, heldout7Dir, heldout8Dir, heldout9Dir, heldout10Dir, heldout11Dir} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			all := checkHeldoutSet(t, dir, minHeldout5)
			checkCoverage(t, filepath.Base(dir), all, incident.Categories(), map[string]int{"no metrics": 4})
		})
	}
}

// checkCoverage fails when a set expects none of a category in categories,
// or fewer scenarios of a family than families asks.
func checkCoverage(t *testing.T, set string, all []*Scenario, categories []incident.Category, families map[string]int) {
	t.Helper()
	expected := map[incident.Category]int{}
	found := map[string]int{}
	for _, s := range all {
		expected[s.Expect.Category]++
		e := s.Expect.Entity
		alerted := s.Alert.Labels["namespace"]
		switch {
		case e.Kind == incident.KindPVC:
			found["volume behind the workload"]++
		case e.Kind == incident.KindService && e.Namespace != alerted:
			found["dependency service in another namespace"]++
		case e.Namespace != "" && e.Namespace != alerted:
			found["add-on or workload in another namespace"]++
		case e.Kind == incident.KindJob && s.Alert.Labels["cronjob"] != "":
			found["job named by its cronjob"]++
		case e.Kind == incident.KindCronJob:
			found["cronjob spec"]++
		case e.Kind == incident.KindNode:
			found["node"]++
		case e.Kind == incident.KindExternal:
			found["outside the cluster"]++
		}
		if s.Expect.Category == incident.CategoryUnknown {
			found["nothing supports a cause"]++
		}
		if !fileExists(filepath.Join(s.Dir, MetricsFile)) {
			found["no metrics"]++
		}
	}
	for _, c := range categories {
		if expected[c] == 0 {
			t.Errorf("no %s scenario expects %s", set, c)
		}
	}
	for f, want := range families {
		if found[f] < want {
			t.Errorf("%d %s scenarios of the family %q, want at least %d", found[f], set, f, want)
		}
	}
}

// checkHeldoutSet checks a held-out corpus is loadable and consistent in the
// same ways as the in-sample one, and that every case names its public source.
func checkHeldoutSet(t *testing.T, dir string, minimum int) []*Scenario {
	t.Helper()
	all, err := LoadAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < minimum {
		t.Errorf("%s has %d scenarios, want at least %d", dir, len(all), minimum)
	}
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			if !strings.Contains(s.Description, "Source") || !strings.Contains(s.Description, "https://") {
				t.Errorf("description does not name its public source")
			}
			if s.Alert.StartsAt.After(s.Now) {
				t.Errorf("alert starts at %v, after now %v", s.Alert.StartsAt, s.Now)
			}
			if pod := s.Alert.Labels["pod"]; pod != "" {
				if _, ok := s.PodOwners[s.Alert.Labels["namespace"]+"/"+pod]; !ok {
					t.Errorf("alert names pod %s which is not in kube/", pod)
				}
			}
			objects, err := kubeapi.LoadObjects(filepath.Join(s.Dir, KubeDir))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := kubeapi.New(kubeapi.Config{Objects: objects}); err != nil {
				t.Fatal(err)
			}
			if _, err := kubeapi.LoadLogs(filepath.Join(s.Dir, LogsDir)); err != nil {
				t.Fatal(err)
			}
			// A held-out incident may come without metrics (missing
			// evidence): the replay then runs without Prometheus.
			if metrics := filepath.Join(s.Dir, MetricsFile); fileExists(metrics) {
				checkMetricsFile(t, metrics)
			}
			checkLogs(t, s)
		})
	}
	return all
}

// heldoutFloor is the accuracy a held-out set must keep with the offline
// provider: the figures reached (docs/evaluation.md), so that any regression
// fails `make test`. Raise them when the analyzers get better; never lower
// them to pass.
type heldoutFloor struct {
	dir              string
	category, entity int
}

var heldoutFloors = []heldoutFloor{
	{dir: heldoutDir, category: 26, entity: 26},
	{dir: heldout2Dir, category: 15, entity: 15},
	{dir: heldout3Dir, category: 21, entity: 21},
	{dir: heldout4Dir, category: 26, entity: 24},
	// First scored untuned at d162229 (after its generator's label fix);
	// learned from in issue 21's fourth round (trust5), with two more
	// generator fixes (ReplicaSet labels, a DaemonSet pod's labels).
	{dir: heldout5Dir, category: 31, entity: 31},
	// First scored untuned at the end of issue 21's fourth round (22/22);
	// learned from in its fifth and sixth rounds.
	{dir: heldout6Dir, category: 30, entity: 29},
	// First scored untuned at the end of issue 21's fifth round (4aed72f,
	// 24/22 and 21/22); learned from in its sixth round (trust8-10).
	{dir: heldout7Dir, category: 31, entity: 31},
	{dir: heldout8Dir, category: 30, entity: 30},
	// First scored untuned at the end of issue 21's sixth round, after its
	// analyzer changes (15ef279).
	{dir: heldout9Dir, category: 26, entity: 26},
	{dir: heldout10Dir, category: 25, entity: 28},
	{dir: heldout11Dir, category: 18, entity: 14},
}

// TestHeldoutAccuracy replays each held-out corpus through the product with
// the offline provider and fails below its floors.
func TestHeldoutAccuracy(t *testing.T) {
	requireBinary(t, "prometheus")
	requireBinary(t, "promtool")
	for _, floor := range heldoutFloors {
		t.Run(filepath.Base(floor.dir), func(t *testing.T) {
			scenarios, err := LoadAll(floor.dir)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			rep := Evaluate(ctx, scenarios, &Replayer{}, EvalOptions{})
			var buf bytes.Buffer
			if err := WriteText(&buf, rep); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s:\n%s", floor.dir, buf.String())
			for _, r := range rep.Scenarios {
				if r.Error != "" {
					t.Errorf("%s: replay failed: %s", r.Name, r.Error)
				}
			}
			s := rep.Summary
			if s.CategoryCorrect < floor.category {
				t.Errorf("category %d/%d, floor %d", s.CategoryCorrect, s.Total, floor.category)
			}
			if s.EntityCorrect < floor.entity {
				t.Errorf("entity %d/%d, floor %d", s.EntityCorrect, s.Total, floor.entity)
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
