package kube

import (
	"encoding/json"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The parts of the Kubernetes objects the collector reads, decoded from the
// API server's JSON. k8s.io/api's types would do the same job, but each API
// group registers all of its types at init, which links about 7 MB of
// generated code (and gogo protobuf's) into each plugin binary for these few
// dozen fields. The field names and JSON names are k8s.io/api's; unknown
// fields are ignored, as a newer API server adds some.

// typeMeta is the kind an answer declares, checked against the one asked for.
type typeMeta struct {
	Kind string `json:"kind"`
}

func (t *typeMeta) kind() string { return t.Kind }

// Well-known values of the fields read (k8s.io/api's constants).
const (
	podPending   = "Pending"
	podSucceeded = "Succeeded"
	podFailed    = "Failed"
	podUnknown   = "Unknown"
	podReady     = "Ready"
	statusTrue   = "True"

	resourceCPU       = "cpu"
	resourceMemory    = "memory"
	resourceEphemeral = "ephemeral-storage"
	resourcePods      = "pods"
	resourceStorage   = "storage"

	// labelServiceName names the Service of an EndpointSlice.
	labelServiceName = "kubernetes.io/service-name"
)

type resourceList map[string]resource.Quantity

type condition struct {
	Type               string      `json:"type"`
	Status             string      `json:"status"`
	Reason             string      `json:"reason"`
	Message            string      `json:"message"`
	LastTransitionTime metav1.Time `json:"lastTransitionTime"`
}

type pod struct {
	typeMeta
	metav1.ObjectMeta `json:"metadata"`
	Spec              podSpec   `json:"spec"`
	Status            podStatus `json:"status"`
}

type podList struct {
	typeMeta
	metav1.ListMeta `json:"metadata"`
	Items           []pod `json:"items"`
}

type podTemplateSpec struct {
	Spec podSpec `json:"spec"`
}

type podSpec struct {
	NodeName       string          `json:"nodeName"`
	HostNetwork    bool            `json:"hostNetwork"`
	InitContainers []containerSpec `json:"initContainers"`
	Containers     []containerSpec `json:"containers"`
	Volumes        []struct {
		PersistentVolumeClaim *struct {
			ClaimName string `json:"claimName"`
		} `json:"persistentVolumeClaim"`
	} `json:"volumes"`
}

// containerSpec leaves out environment values: only the names of the
// ConfigMaps and Secrets referenced are decoded, so values never reach
// memory the collector keeps.
type containerSpec struct {
	Name      string `json:"name"`
	Image     string `json:"image"`
	Resources struct {
		Requests resourceList `json:"requests"`
		Limits   resourceList `json:"limits"`
	} `json:"resources"`
	LivenessProbe  *probeSpec `json:"livenessProbe"`
	ReadinessProbe *probeSpec `json:"readinessProbe"`
	StartupProbe   *probeSpec `json:"startupProbe"`
	EnvFrom        []struct {
		ConfigMapRef *objectName `json:"configMapRef"`
		SecretRef    *objectName `json:"secretRef"`
	} `json:"envFrom"`
	Env []struct {
		Name      string    `json:"name"`
		Value     hostValue `json:"value"`
		ValueFrom *struct {
			ConfigMapKeyRef *objectName `json:"configMapKeyRef"`
			SecretKeyRef    *objectName `json:"secretKeyRef"`
		} `json:"valueFrom"`
	} `json:"env"`
}

// hostValue is a literal environment value kept only when it names a
// server (a URL, host:port or a DNS name) or is a port number, reduced to
// host and port: any other value is dropped while decoding.
type hostValue struct{ host, port string }

func (v *hostValue) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return nil // not a string: nothing to keep
	}
	if p := validPort(s); p != "" {
		v.port = p
	} else if host, port, ok := hostAndPort(s); ok {
		v.host, v.port = host, port
	}
	return nil
}

type objectName struct {
	Name string `json:"name"`
}

type probeSpec struct {
	InitialDelaySeconds int32 `json:"initialDelaySeconds"`
	TimeoutSeconds      int32 `json:"timeoutSeconds"`
	PeriodSeconds       int32 `json:"periodSeconds"`
	FailureThreshold    int32 `json:"failureThreshold"`
	HTTPGet             *struct {
		Path string             `json:"path"`
		Port intstr.IntOrString `json:"port"`
	} `json:"httpGet"`
	TCPSocket *struct {
		Port intstr.IntOrString `json:"port"`
	} `json:"tcpSocket"`
	GRPC *struct {
		Port int32 `json:"port"`
	} `json:"grpc"`
	Exec *struct {
		Command []string `json:"command"`
	} `json:"exec"`
}

type podStatus struct {
	Phase                 string            `json:"phase"`
	Reason                string            `json:"reason"`
	Message               string            `json:"message"`
	PodIP                 string            `json:"podIP"`
	QOSClass              string            `json:"qosClass"`
	StartTime             *metav1.Time      `json:"startTime"`
	Conditions            []condition       `json:"conditions"`
	InitContainerStatuses []containerStatus `json:"initContainerStatuses"`
	ContainerStatuses     []containerStatus `json:"containerStatuses"`
}

type containerStatus struct {
	Name                 string   `json:"name"`
	Ready                bool     `json:"ready"`
	RestartCount         int32    `json:"restartCount"`
	State                runState `json:"state"`
	LastTerminationState runState `json:"lastState"`
}

type runState struct {
	Waiting *struct {
		Reason  string `json:"reason"`
		Message string `json:"message"`
	} `json:"waiting"`
	Running *struct {
		StartedAt metav1.Time `json:"startedAt"`
	} `json:"running"`
	Terminated *terminated `json:"terminated"`
}

type terminated struct {
	ExitCode   int32       `json:"exitCode"`
	Signal     int32       `json:"signal"`
	Reason     string      `json:"reason"`
	Message    string      `json:"message"`
	StartedAt  metav1.Time `json:"startedAt"`
	FinishedAt metav1.Time `json:"finishedAt"`
}

type kubeEvent struct {
	typeMeta
	metav1.ObjectMeta `json:"metadata"`
	InvolvedObject    struct {
		Kind      string `json:"kind"`
		Namespace string `json:"namespace"`
		Name      string `json:"name"`
	} `json:"involvedObject"`
	Reason         string      `json:"reason"`
	Message        string      `json:"message"`
	Type           string      `json:"type"`
	Count          int32       `json:"count"`
	FirstTimestamp metav1.Time `json:"firstTimestamp"`
	LastTimestamp  metav1.Time `json:"lastTimestamp"`
	Source         struct {
		Component string `json:"component"`
	} `json:"source"`
	EventTime metav1.MicroTime `json:"eventTime"`
	Series    *struct {
		Count            int32            `json:"count"`
		LastObservedTime metav1.MicroTime `json:"lastObservedTime"`
	} `json:"series"`
	ReportingController string `json:"reportingComponent"`
}

type eventList struct {
	typeMeta
	metav1.ListMeta `json:"metadata"`
	Items           []kubeEvent `json:"items"`
}

type node struct {
	typeMeta
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Unschedulable bool `json:"unschedulable"`
		Taints        []struct {
			Key    string `json:"key"`
			Value  string `json:"value"`
			Effect string `json:"effect"`
		} `json:"taints"`
	} `json:"spec"`
	Status struct {
		Capacity    resourceList `json:"capacity"`
		Allocatable resourceList `json:"allocatable"`
		Conditions  []condition  `json:"conditions"`
		Addresses   []struct {
			Address string `json:"address"`
		} `json:"addresses"`
	} `json:"status"`
}

type nodeList struct {
	typeMeta
	metav1.ListMeta `json:"metadata"`
	Items           []node `json:"items"`
}

type service struct {
	typeMeta
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector  map[string]string `json:"selector"`
		ClusterIP string            `json:"clusterIP"`
		Ports     []struct {
			Protocol   string             `json:"protocol"`
			Port       int32              `json:"port"`
			TargetPort intstr.IntOrString `json:"targetPort"`
		} `json:"ports"`
	} `json:"spec"`
}

type serviceList struct {
	typeMeta
	metav1.ListMeta `json:"metadata"`
	Items           []service `json:"items"`
}

type endpointSliceList struct {
	typeMeta
	metav1.ListMeta `json:"metadata"`
	Items           []struct {
		Endpoints []struct {
			Conditions struct {
				Ready *bool `json:"ready"`
			} `json:"conditions"`
		} `json:"endpoints"`
	} `json:"items"`
}

// endpoints is the deprecated v1 Endpoints object; only its address counts
// are read.
type endpoints struct {
	typeMeta
	metav1.ObjectMeta `json:"metadata"`
	Subsets           []struct {
		Addresses         []json.RawMessage `json:"addresses"`
		NotReadyAddresses []json.RawMessage `json:"notReadyAddresses"`
	} `json:"subsets"`
}

type persistentVolumeClaim struct {
	typeMeta
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		StorageClassName *string `json:"storageClassName"`
		Resources        struct {
			Requests resourceList `json:"requests"`
		} `json:"resources"`
	} `json:"spec"`
	Status struct {
		Phase    string       `json:"phase"`
		Capacity resourceList `json:"capacity"`
	} `json:"status"`
}

// workloadStatus holds the status fields of Deployments, StatefulSets,
// ReplicaSets, DaemonSets and Jobs (each kind sets its own).
type workloadStatus struct {
	ReadyReplicas          int32       `json:"readyReplicas"`
	AvailableReplicas      int32       `json:"availableReplicas"`
	UpdatedReplicas        int32       `json:"updatedReplicas"`
	DesiredNumberScheduled int32       `json:"desiredNumberScheduled"`
	NumberReady            int32       `json:"numberReady"`
	NumberAvailable        int32       `json:"numberAvailable"`
	UpdatedNumberScheduled int32       `json:"updatedNumberScheduled"`
	Ready                  *int32      `json:"ready"`
	Active                 int32       `json:"active"`
	Succeeded              int32       `json:"succeeded"`
	Failed                 int32       `json:"failed"`
	Conditions             []condition `json:"conditions"`
}

// workloadSpec holds the spec fields of the same kinds.
type workloadSpec struct {
	Replicas     *int32                `json:"replicas"`
	Parallelism  *int32                `json:"parallelism"`
	BackoffLimit *int32                `json:"backoffLimit"`
	Selector     *metav1.LabelSelector `json:"selector"`
	Template     podTemplateSpec       `json:"template"`
}

// workload is a Deployment, StatefulSet, DaemonSet, ReplicaSet or Job.
type workload struct {
	typeMeta
	metav1.ObjectMeta `json:"metadata"`
	Spec              workloadSpec   `json:"spec"`
	Status            workloadStatus `json:"status"`
}

type workloadList struct {
	typeMeta
	metav1.ListMeta `json:"metadata"`
	Items           []workload `json:"items"`
}

type cronJob struct {
	typeMeta
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Schedule    string `json:"schedule"`
		Suspend     *bool  `json:"suspend"`
		JobTemplate struct {
			Spec struct {
				Template podTemplateSpec `json:"template"`
			} `json:"spec"`
		} `json:"jobTemplate"`
	} `json:"spec"`
	Status struct {
		Active           []json.RawMessage `json:"active"`
		LastScheduleTime *metav1.Time      `json:"lastScheduleTime"`
	} `json:"status"`
}

type controllerRevisionList struct {
	typeMeta
	metav1.ListMeta `json:"metadata"`
	Items           []struct {
		metav1.ObjectMeta `json:"metadata"`
		Data              json.RawMessage `json:"data"`
		Revision          int64           `json:"revision"`
	} `json:"items"`
}

type horizontalPodAutoscaler struct {
	typeMeta
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		ScaleTargetRef struct {
			Kind string `json:"kind"`
			Name string `json:"name"`
		} `json:"scaleTargetRef"`
		MinReplicas *int32 `json:"minReplicas"`
		MaxReplicas int32  `json:"maxReplicas"`
	} `json:"spec"`
	Status struct {
		CurrentReplicas int32 `json:"currentReplicas"`
		DesiredReplicas int32 `json:"desiredReplicas"`
	} `json:"status"`
}

type horizontalPodAutoscalerList struct {
	typeMeta
	metav1.ListMeta `json:"metadata"`
	Items           []horizontalPodAutoscaler `json:"items"`
}
