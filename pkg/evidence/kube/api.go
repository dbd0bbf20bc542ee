package kube

import (
	"context"
	"fmt"
	"io"
	"path"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/rest"
)

// api reads the handful of resources the collector needs through one REST
// client whose scheme registers only their API groups. client-go's Clientset
// (and its discovery client) registers every group Kubernetes serves, which
// links about 12 MB of generated code into each plugin binary for the five
// groups read here.
type api struct {
	rest   rest.Interface
	params runtime.ParameterCodec
}

// apiResource is one kind of object, addressed the way the API server does.
type apiResource struct {
	group, version, plural string
	clusterScoped          bool
}

// The resources the collector reads. TestRBACCoversEveryCall records the
// requests a collection makes and checks each against rbac.yaml.
var (
	podResource                = apiResource{"", "v1", "pods", false}
	eventResource              = apiResource{"", "v1", "events", false}
	nodeResource               = apiResource{"", "v1", "nodes", true}
	serviceResource            = apiResource{"", "v1", "services", false}
	endpointsResource          = apiResource{"", "v1", "endpoints", false}
	pvcResource                = apiResource{"", "v1", "persistentvolumeclaims", false}
	deploymentResource         = apiResource{"apps", "v1", "deployments", false}
	statefulSetResource        = apiResource{"apps", "v1", "statefulsets", false}
	daemonSetResource          = apiResource{"apps", "v1", "daemonsets", false}
	replicaSetResource         = apiResource{"apps", "v1", "replicasets", false}
	controllerRevisionResource = apiResource{"apps", "v1", "controllerrevisions", false}
	jobResource                = apiResource{"batch", "v1", "jobs", false}
	cronJobResource            = apiResource{"batch", "v1", "cronjobs", false}
	endpointSliceResource      = apiResource{"discovery.k8s.io", "v1", "endpointslices", false}
	rolloutResource            = apiResource{"argoproj.io", "v1alpha1", "rollouts", false}
	hpaResource                = apiResource{"autoscaling", "v2", "horizontalpodautoscalers", false}
)

// path is the URL path of the collection (name "") or of one object; an
// empty namespace lists across all of them, as client-go's typed clients do.
func (r apiResource) path(namespace, name string) string {
	p := "/api/" + r.version
	if r.group != "" {
		p = path.Join("/apis", r.group, r.version)
	}
	if !r.clusterScoped && namespace != "" {
		p = path.Join(p, "namespaces", namespace)
	}
	return path.Join(p, r.plural, name)
}

func (r apiResource) groupVersion() schema.GroupVersion {
	return schema.GroupVersion{Group: r.group, Version: r.version}
}

func newAPI(rc *rest.Config) (*api, error) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme,
		discoveryv1.AddToScheme, eventsv1.AddToScheme, autoscalingv2.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			return nil, fmt.Errorf("kubernetes scheme: %w", err)
		}
	}
	cfg := rest.CopyConfig(rc)
	cfg.NegotiatedSerializer = serializer.NewCodecFactory(scheme).WithoutConversion()
	client, err := rest.UnversionedRESTClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	return &api{rest: client, params: runtime.NewParameterCodec(scheme)}, nil
}

// object is a pointer to a Kubernetes type T.
type object[T any] interface {
	*T
	runtime.Object
}

// get reads one object. A missing one is an error apierrors.IsNotFound
// recognises, as with client-go's typed clients.
func get[T any, P object[T]](ctx context.Context, a *api, r apiResource, namespace, name string) (*T, error) {
	obj := P(new(T))
	if err := a.rest.Get().AbsPath(r.path(namespace, name)).Do(ctx).Into(obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// list reads one page of a collection (opts.Limit bounds it).
func list[T any, P object[T]](ctx context.Context, a *api, r apiResource, namespace string, opts metav1.ListOptions) (*T, error) {
	obj := P(new(T))
	err := a.rest.Get().AbsPath(r.path(namespace, "")).
		SpecificallyVersionedParams(&opts, a.params, r.groupVersion()).Do(ctx).Into(obj)
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// stream opens the body of a GET on path (a custom resource, /version).
func (a *api) stream(ctx context.Context, path string) (io.ReadCloser, error) {
	return a.rest.Get().AbsPath(path).Stream(ctx)
}

// podLogs opens the log stream of one container.
func (a *api) podLogs(ctx context.Context, namespace, pod string, opts *corev1.PodLogOptions) (io.ReadCloser, error) {
	return a.rest.Get().AbsPath(podResource.path(namespace, pod), "log").
		SpecificallyVersionedParams(opts, a.params, corev1.SchemeGroupVersion).Stream(ctx)
}
