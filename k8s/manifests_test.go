// Package k8s_test renders every kustomization under k8s/ with kubectl
// kustomize, decodes each object strictly (unknown fields fail) with
// client-go's scheme plus the prometheus-operator types, and checks the
// policies an SRE would check in review: least privilege, isolation, probes
// and limits, monitoring.
package k8s_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	clientscheme "k8s.io/client-go/kubernetes/scheme"
	sigsyaml "sigs.k8s.io/yaml"
)

// kustomizations are every root the repository documents applying.
var kustomizations = []string{"overlays/local", "overlays/eks", "overlays/rbac-namespaced", "monitoring"}

// maxRendered bounds what a render may produce; the shop is about 100 kB.
const maxRendered = 8 << 20

func newScheme(t *testing.T) *runtime.Scheme {
	t.Helper()
	s := runtime.NewScheme()
	if err := clientscheme.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	if err := monitoringv1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	return s
}

func kubectl(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("kubectl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("kubectl is required to render the manifests (scripts/system-deps.sh installs it)")
		}
		t.Skip("SKIP: kubectl not installed; the manifests were not rendered or checked")
	}
	return path
}

// touchInputs reads every file under k8s/: kubectl reads them, not this
// process, and go test's cache only notices files the test itself opens.
func touchInputs(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		_, err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// render returns the objects of one kustomization, decoded strictly.
func render(t *testing.T, dir string) []runtime.Object {
	t.Helper()
	touchInputs(t)
	out, err := exec.Command(kubectl(t), "kustomize", filepath.FromSlash(dir)).Output()
	if err != nil {
		t.Fatalf("kubectl kustomize %s: %v", dir, err)
	}
	if len(out) > maxRendered {
		t.Fatalf("%s renders %d bytes, more than %d", dir, len(out), maxRendered)
	}
	s := newScheme(t)
	strict := json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, json.SerializerOptions{Yaml: true, Strict: true})
	var objs []runtime.Object
	for _, doc := range bytes.Split(out, []byte("\n---\n")) {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		if isArgo(t, doc) {
			continue
		}
		obj, _, err := strict.Decode(doc, nil, nil)
		if err != nil {
			t.Fatalf("%s: %v\n%s", dir, err, doc)
		}
		objs = append(objs, obj)
	}
	return objs
}

// isArgo tells the Argo Rollouts objects of the canary component apart:
// k8s/gitops decodes those strictly into Argo's own field names, and the
// client-go scheme here does not know them.
func isArgo(t *testing.T, doc []byte) bool {
	t.Helper()
	var meta metav1.TypeMeta
	if err := sigsyaml.Unmarshal(doc, &meta); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	return strings.HasPrefix(meta.APIVersion, "argoproj.io/")
}

func TestEveryKustomizationDecodesStrictly(t *testing.T) {
	for _, dir := range kustomizations {
		t.Run(dir, func(t *testing.T) {
			if n := len(render(t, dir)); n == 0 {
				t.Fatal("renders nothing")
			}
		})
	}
}

// The strict decoder must refuse a misspelt field, or the test above proves
// nothing.
func TestStrictDecodingRefusesUnknownFields(t *testing.T) {
	s := newScheme(t)
	strict := json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, json.SerializerOptions{Yaml: true, Strict: true})
	for _, doc := range []string{
		"apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {selectr: {app: x}}\n",
		"apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: x}\nspec: {endpoints: [{prot: http}]}\n",
	} {
		if _, _, err := strict.Decode([]byte(doc), nil, nil); err == nil {
			t.Errorf("accepted %q", doc)
		}
	}
}
