// Package scenario loads recorded incidents (the fixture format of DESIGN.md,
// "Scenario fixtures"), replays them through the product's own evidence
// collection and explanation, and scores the answers against what each
// scenario expects. `aiops eval` and the corpus accuracy test are built on it.
package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/cloudobs/aiops-app/pkg/alert"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

// File names of the fixture format.
const (
	MetaFile    = "scenario.yaml"
	KubeDir     = "kube"
	LogsDir     = "logs"
	MetricsFile = "metrics.om"
)

// maxMetaBytes bounds scenario.yaml; real ones are a few KiB.
const maxMetaBytes = 1 << 20

// Scenario is one recorded incident and the answer it expects.
type Scenario struct {
	Dir         string
	Name        string
	Description string
	// Now is the evaluation time of the replay.
	Now    time.Time
	Alert  incident.Alert
	Expect Expectation
	// PodOwners maps "namespace/pod" of every Pod in kube/ to its controllers,
	// nearest first (ReplicaSet, then Deployment). Score uses it to accept a
	// pod for its workload and the reverse.
	PodOwners map[string][]incident.Entity
}

// Expectation is what a good explanation of the scenario says.
type Expectation struct {
	Category incident.Category `json:"category"`
	Entity   incident.Entity   `json:"entity"`
	// Mentions are facts a good explanation names, matched case-insensitively.
	Mentions []string `json:"mentions,omitempty"`
}

// metaFile is scenario.yaml as written. The alert stays generic so that every
// alert shape the product accepts is accepted here too.
type metaFile struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Now         string         `json:"now"`
	Alert       map[string]any `json:"alert"`
	Expect      struct {
		Category string          `json:"category"`
		Entity   incident.Entity `json:"entity"`
		Mentions []string        `json:"mentions"`
	} `json:"expect"`
}

// Load reads one scenario directory: scenario.yaml and the ownership of the
// pods in kube/. Errors name the file and the field.
func Load(dir string) (*Scenario, error) {
	metaPath := filepath.Join(dir, MetaFile)
	raw, err := readBounded(metaPath, maxMetaBytes)
	if err != nil {
		return nil, err
	}
	s, err := parseMeta(raw, metaPath)
	if err != nil {
		return nil, err
	}
	s.Dir = dir
	if s.Name == "" {
		s.Name = filepath.Base(filepath.Clean(dir))
	}
	if s.PodOwners, err = podOwners(filepath.Join(dir, KubeDir)); err != nil {
		return nil, err
	}
	return s, nil
}

// parseMeta validates the content of a scenario.yaml; metaPath names it in
// errors.
func parseMeta(raw []byte, metaPath string) (*Scenario, error) {
	var m metaFile
	if err := yaml.UnmarshalStrict(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", metaPath, err)
	}
	fail := func(field, format string, args ...any) error {
		return fmt.Errorf("%s: %s: %s", metaPath, field, fmt.Sprintf(format, args...))
	}
	s := &Scenario{Name: strings.TrimSpace(m.Name), Description: strings.TrimSpace(m.Description)}
	if m.Now == "" {
		return nil, fail("now", "missing (the evaluation time, RFC3339)")
	}
	var err error
	if s.Now, err = time.Parse(time.RFC3339, m.Now); err != nil {
		return nil, fail("now", "not an RFC3339 time: %v", err)
	}
	if m.Alert == nil {
		return nil, fail("alert", "missing")
	}
	if s.Alert, err = alert.FromMap(m.Alert); err != nil {
		return nil, fail("alert", "%v", err)
	}
	if s.Expect, err = expectation(m); err != nil {
		return nil, fmt.Errorf("%s: %w", metaPath, err)
	}
	return s, nil
}

func expectation(m metaFile) (Expectation, error) {
	cat, err := incident.ParseCategory(m.Expect.Category)
	if err != nil {
		return Expectation{}, fmt.Errorf("expect.category: %w", err)
	}
	e := Expectation{Category: cat, Entity: m.Expect.Entity}
	if e.Entity.Kind == "" || e.Entity.Name == "" {
		return Expectation{}, errors.New("expect.entity: kind and name are required")
	}
	clusterScoped := e.Entity.Kind == incident.KindNode || e.Entity.Kind == incident.KindExternal
	if clusterScoped && e.Entity.Namespace != "" {
		return Expectation{}, fmt.Errorf("expect.entity.namespace: must be empty for kind %s", e.Entity.Kind)
	}
	if !clusterScoped && e.Entity.Namespace == "" {
		return Expectation{}, fmt.Errorf("expect.entity.namespace: required for kind %s", e.Entity.Kind)
	}
	for i, mention := range m.Expect.Mentions {
		if strings.TrimSpace(mention) == "" {
			return Expectation{}, fmt.Errorf("expect.mentions[%d]: empty", i)
		}
		e.Mentions = append(e.Mentions, mention)
	}
	return e, nil
}

// LoadAll loads root itself when it is a scenario, otherwise every directory
// below it holding a scenario.yaml, in path order.
func LoadAll(root string) ([]*Scenario, error) {
	if _, err := os.Stat(filepath.Join(root, MetaFile)); err == nil {
		s, err := Load(root)
		if err != nil {
			return nil, err
		}
		return []*Scenario{s}, nil
	}
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if _, err := os.Stat(filepath.Join(path, MetaFile)); err == nil {
			dirs = append(dirs, path)
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find scenarios under %s: %w", root, err)
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no scenario found under %s (a scenario is a directory with a %s)", root, MetaFile)
	}
	sort.Strings(dirs)
	out := make([]*Scenario, 0, len(dirs))
	for _, d := range dirs {
		s, err := Load(d)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// podOwners indexes the controller chain of every pod in the kube directory.
// A scenario without kube/ has no pods to index.
func podOwners(kubeDir string) (map[string][]incident.Entity, error) {
	if _, err := os.Stat(kubeDir); errors.Is(err, fs.ErrNotExist) {
		return map[string][]incident.Entity{}, nil
	}
	objects, err := kubeapi.LoadObjects(kubeDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kubeDir, err)
	}
	type key struct{ kind, ns, name string }
	controller := map[key]incident.Entity{}
	var pods []kubeapi.Object
	for _, o := range objects {
		if o.Kind == "Pod" {
			pods = append(pods, o)
		}
		if owner, ok := controllerOf(o); ok {
			controller[key{o.Kind, o.Namespace, o.Name}] = owner
		}
	}
	out := make(map[string][]incident.Entity, len(pods))
	for _, p := range pods {
		var chain []incident.Entity
		cur := key{p.Kind, p.Namespace, p.Name}
		// Ownership chains are short (Pod, ReplicaSet, Deployment); the bound
		// guards against a cycle in a hand-written fixture.
		for range 8 {
			owner, ok := controller[cur]
			if !ok {
				break
			}
			chain = append(chain, owner)
			cur = key{owner.Kind, owner.Namespace, owner.Name}
		}
		out[p.Namespace+"/"+p.Name] = chain
	}
	return out, nil
}

// controllerOf reads the controller ownerReference of an object.
func controllerOf(o kubeapi.Object) (incident.Entity, bool) {
	meta, _ := o.Content()["metadata"].(map[string]any)
	refs, _ := meta["ownerReferences"].([]any)
	for _, r := range refs {
		ref, _ := r.(map[string]any)
		if isController, _ := ref["controller"].(bool); !isController {
			continue
		}
		kind, _ := ref["kind"].(string)
		name, _ := ref["name"].(string)
		if kind != "" && name != "" {
			return incident.Entity{Namespace: o.Namespace, Kind: kind, Name: name}, true
		}
	}
	return incident.Entity{}, false
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return raw, nil
}
