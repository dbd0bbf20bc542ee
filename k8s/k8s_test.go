// Package k8s holds the Kubernetes manifests; this test renders every overlay
// with kubectl kustomize and decodes each object strictly with client-go's
// scheme, so a typo in a field name fails here rather than in a cluster.
package k8s

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/client-go/kubernetes/scheme"
)

func render(t *testing.T, overlay string) [][]byte {
	t.Helper()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("kubectl is required to render the manifests (apt-get install kubectl)")
		}
		t.Skip("SKIP: kubectl not installed; the manifests were not rendered")
	}
	out, err := exec.Command(kubectl, "kustomize", filepath.Join("overlays", overlay)).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl kustomize %s: %v\n%s", overlay, err, out)
	}
	var docs [][]byte
	for _, doc := range bytes.Split(out, []byte("\n---\n")) {
		if len(bytes.TrimSpace(doc)) > 0 {
			docs = append(docs, doc)
		}
	}
	return docs
}

func TestOverlaysRenderToValidObjects(t *testing.T) {
	strict := json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme.Scheme, scheme.Scheme,
		json.SerializerOptions{Yaml: true, Strict: true})
	for _, overlay := range []string{"local", "eks"} {
		t.Run(overlay, func(t *testing.T) {
			kinds := map[string]int{}
			for _, doc := range render(t, overlay) {
				obj, gvk, err := strict.Decode(doc, nil, nil)
				if err != nil {
					t.Fatalf("%v\n%s", err, doc)
				}
				kinds[gvk.Kind]++
				checkObject(t, obj)
			}
			if kinds["Deployment"] != 4 || kinds["Service"] != 3 || kinds["Ingress"] != 1 || kinds["ClusterRole"] != 1 {
				t.Errorf("unexpected set of objects: %v", kinds)
			}
		})
	}
}

func checkObject(t *testing.T, obj runtime.Object) {
	t.Helper()
	switch o := obj.(type) {
	case *appsv1.Deployment:
		if o.Namespace != "shop" {
			t.Errorf("deployment %s is in namespace %q", o.Name, o.Namespace)
		}
		for _, c := range o.Spec.Template.Spec.Containers {
			if c.Resources.Limits.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
				t.Errorf("%s/%s needs requests and limits: the analyzers reason about them", o.Name, c.Name)
			}
			if strings.HasSuffix(o.Name, "-service") && (c.LivenessProbe == nil || c.ReadinessProbe == nil) {
				t.Errorf("%s/%s needs liveness and readiness probes", o.Name, c.Name)
			}
		}
	case *networkingv1.Ingress:
		if o.Spec.IngressClassName == nil {
			t.Errorf("ingress %s has no class", o.Name)
		}
	case *corev1.Service:
		if len(o.Spec.Selector) == 0 {
			t.Errorf("service %s selects no pods", o.Name)
		}
	}
}
