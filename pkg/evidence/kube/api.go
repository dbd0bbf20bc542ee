package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strconv"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/rest"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// api reads the handful of resources the collector needs through one REST
// client and decodes the JSON answers into the small types of objects.go.
// Its scheme knows only the meta types (Status, for the API's errors):
// client-go's Clientset, or a scheme with k8s.io/api's groups, registers
// every type of every group it holds and links their generated code.
type api struct {
	rest rest.Interface
}

// apiResource is one kind of object, addressed the way the API server does.
type apiResource struct {
	group, version, plural string
	// kind is what a GET answers; a list answers kind+"List".
	kind          string
	clusterScoped bool
}

// The resources the collector reads. TestRBACCoversEveryCall records the
// requests a collection makes and checks each against rbac.yaml.
var (
	podResource       = apiResource{"", "v1", "pods", "Pod", false}
	eventResource     = apiResource{"", "v1", "events", "Event", false}
	nodeResource      = apiResource{"", "v1", "nodes", "Node", true}
	serviceResource   = apiResource{"", "v1", "services", "Service", false}
	endpointsResource = apiResource{"", "v1", "endpoints", "Endpoints", false}
	pvcResource       = apiResource{"", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", false}
	// configMapResource is read only to learn which hosts a workload is
	// configured to reach; every other value is dropped as soon as read.
	configMapResource          = apiResource{"", "v1", "configmaps", "ConfigMap", false}
	deploymentResource         = apiResource{"apps", "v1", "deployments", "Deployment", false}
	statefulSetResource        = apiResource{"apps", "v1", "statefulsets", "StatefulSet", false}
	daemonSetResource          = apiResource{"apps", "v1", "daemonsets", "DaemonSet", false}
	replicaSetResource         = apiResource{"apps", "v1", "replicasets", "ReplicaSet", false}
	controllerRevisionResource = apiResource{"apps", "v1", "controllerrevisions", "ControllerRevision", false}
	jobResource                = apiResource{"batch", "v1", "jobs", "Job", false}
	cronJobResource            = apiResource{"batch", "v1", "cronjobs", "CronJob", false}
	endpointSliceResource      = apiResource{"discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", false}
	rolloutResource            = apiResource{"argoproj.io", "v1alpha1", "rollouts", "Rollout", false}
	hpaResource                = apiResource{"autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", false}
)

// workloadResources are the kinds read into a workload, by kind.
var workloadResources = map[string]apiResource{
	incident.KindDeployment: deploymentResource, incident.KindStatefulSet: statefulSetResource,
	incident.KindDaemonSet: daemonSetResource, incident.KindJob: jobResource,
}

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

func newAPI(rc *rest.Config) (*api, error) {
	// Only the meta types: rest decodes the API's Status answers with
	// them, so a 404 is an error apierrors.IsNotFound recognises.
	scheme := runtime.NewScheme()
	metav1.AddToGroupVersion(scheme, schema.GroupVersion{Version: "v1"})
	cfg := rest.CopyConfig(rc)
	cfg.ContentType = jsonType
	cfg.NegotiatedSerializer = serializer.NewCodecFactory(scheme).WithoutConversion()
	client, err := rest.UnversionedRESTClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	return &api{rest: client}, nil
}

// jsonType is the only encoding asked for: the types of objects.go decode
// JSON, never protobuf.
const jsonType = "application/json"

// object is a pointer to one of the types of objects.go.
type object[T any] interface {
	*T
	kind() string
}

// listOptions are the list parameters the collector sends.
type listOptions struct {
	LabelSelector, FieldSelector string
	// Limit bounds the page; the answer's continue token says there was more.
	Limit int64
}

// get reads one object. A missing one is an error apierrors.IsNotFound
// recognises, as with client-go's typed clients.
func get[T any, P object[T]](ctx context.Context, a *api, r apiResource, namespace, name string) (*T, error) {
	req := a.rest.Get().AbsPath(r.path(namespace, name)).SetHeader("Accept", jsonType)
	return decode[T, P](req.Do(ctx), r.kind)
}

// list reads one page of a collection (opts.Limit bounds it).
func list[T any, P object[T]](ctx context.Context, a *api, r apiResource, namespace string, opts listOptions) (*T, error) {
	req := a.rest.Get().AbsPath(r.path(namespace, "")).SetHeader("Accept", jsonType)
	if opts.LabelSelector != "" {
		req = req.Param("labelSelector", opts.LabelSelector)
	}
	if opts.FieldSelector != "" {
		req = req.Param("fieldSelector", opts.FieldSelector)
	}
	if opts.Limit > 0 {
		req = req.Param("limit", strconv.FormatInt(opts.Limit, 10))
	}
	return decode[T, P](req.Do(ctx), r.kind+"List")
}

// decode reads an answer (bounded by limitedAnswers) into T, ignoring the
// fields T does not hold. An answer of another kind is refused; a Status
// answered with 200 is the error it describes, as client-go reports it.
func decode[T any, P object[T]](res rest.Result, kind string) (*T, error) {
	// Error, not Raw's error, turns a failure's Status body into the API
	// error it describes (what Into does for typed clients).
	if err := res.Error(); err != nil {
		return nil, err
	}
	body, _ := res.Raw()
	obj := P(new(T))
	decodeErr := json.Unmarshal(body, obj)
	got := obj.kind()
	if decodeErr != nil {
		// Another kind (a Status) need not fit T: read only its kind.
		var head typeMeta
		if json.Unmarshal(body, &head) == nil {
			got = head.Kind
		}
	}
	switch got {
	case "", kind:
		if decodeErr != nil {
			return nil, fmt.Errorf("decode %s: %w", kind, decodeErr)
		}
		return obj, nil
	case "Status":
		var st metav1.Status
		if json.Unmarshal(body, &st) == nil && st.Status != metav1.StatusSuccess {
			return nil, apierrors.FromObject(&st)
		}
		fallthrough
	default:
		return nil, fmt.Errorf("the Kubernetes API answered a %s, want a %s", got, kind)
	}
}

// stream opens the JSON body of a GET on path (a custom resource).
func (a *api) stream(ctx context.Context, path string) (io.ReadCloser, error) {
	return a.rest.Get().AbsPath(path).SetHeader("Accept", jsonType).Stream(ctx)
}

// logOptions are the parameters of a pods/log request.
type logOptions struct {
	Container             string
	Previous, Timestamps  bool
	SinceTime             time.Time
	LimitBytes, TailLines *int64
}

// podLogs opens the log stream of one container. The parameters are
// encoded as client-go encodes PodLogOptions (sinceTime in RFC 3339
// seconds, unset ones left out).
func (a *api) podLogs(ctx context.Context, namespace, pod string, opts logOptions) (io.ReadCloser, error) {
	req := a.rest.Get().AbsPath(podResource.path(namespace, pod), "log")
	if opts.Container != "" {
		req = req.Param("container", opts.Container)
	}
	if opts.Previous {
		req = req.Param("previous", "true")
	}
	if opts.Timestamps {
		req = req.Param("timestamps", "true")
	}
	if !opts.SinceTime.IsZero() {
		req = req.Param("sinceTime", opts.SinceTime.UTC().Format(time.RFC3339))
	}
	if opts.LimitBytes != nil {
		req = req.Param("limitBytes", strconv.FormatInt(*opts.LimitBytes, 10))
	}
	if opts.TailLines != nil {
		req = req.Param("tailLines", strconv.FormatInt(*opts.TailLines, 10))
	}
	return req.Stream(ctx)
}
