package gitops

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// The Argo CD and Argo Rollouts fields these manifests use, named as in
// Argo's CRDs (argoproj.io/v1alpha1). Decoding strictly into them fails on
// a misspelt or misplaced field; importing Argo's Go modules for their
// types would add hundreds of dependencies to the plugin's module.

type typeMeta struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
}

type application struct {
	typeMeta `json:",inline"`
	Spec     struct {
		Project     string `json:"project"`
		Source      source `json:"source"`
		Destination struct {
			Server    string `json:"server"`
			Namespace string `json:"namespace,omitempty"`
		} `json:"destination"`
		SyncPolicy struct {
			Automated *struct {
				Prune    bool `json:"prune"`
				SelfHeal bool `json:"selfHeal"`
			} `json:"automated,omitempty"`
			SyncOptions []string `json:"syncOptions,omitempty"`
			Retry       *struct {
				Limit   int `json:"limit"`
				Backoff struct {
					Duration    string `json:"duration"`
					Factor      int    `json:"factor"`
					MaxDuration string `json:"maxDuration"`
				} `json:"backoff"`
			} `json:"retry,omitempty"`
		} `json:"syncPolicy"`
		IgnoreDifferences []struct {
			Group        string   `json:"group"`
			Kind         string   `json:"kind"`
			JSONPointers []string `json:"jsonPointers"`
		} `json:"ignoreDifferences,omitempty"`
	} `json:"spec"`
}

type source struct {
	RepoURL        string `json:"repoURL"`
	TargetRevision string `json:"targetRevision"`
	Path           string `json:"path"`
	Kustomize      *struct {
		Patches []struct {
			Target struct {
				Kind string `json:"kind"`
			} `json:"target"`
			Patch string `json:"patch"`
		} `json:"patches"`
	} `json:"kustomize,omitempty"`
}

type appProject struct {
	typeMeta `json:",inline"`
	Spec     struct {
		Description  string   `json:"description"`
		SourceRepos  []string `json:"sourceRepos"`
		Destinations []struct {
			Server    string `json:"server"`
			Namespace string `json:"namespace"`
		} `json:"destinations"`
		ClusterResourceWhitelist []metav1.GroupKind `json:"clusterResourceWhitelist"`
	} `json:"spec"`
}

type argoRollout struct {
	typeMeta `json:",inline"`
	Spec     struct {
		Replicas             int32                `json:"replicas"`
		RevisionHistoryLimit int32                `json:"revisionHistoryLimit"`
		Selector             metav1.LabelSelector `json:"selector"`
		WorkloadRef          struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Name       string `json:"name"`
			ScaleDown  string `json:"scaleDown"`
		} `json:"workloadRef"`
		Strategy struct {
			Canary struct {
				MaxSurge                   int `json:"maxSurge"`
				MaxUnavailable             int `json:"maxUnavailable"`
				AbortScaleDownDelaySeconds int `json:"abortScaleDownDelaySeconds"`
				Analysis                   struct {
					StartingStep int `json:"startingStep"`
					Templates    []struct {
						TemplateName string `json:"templateName"`
					} `json:"templates"`
					Args []struct {
						Name      string `json:"name"`
						Value     string `json:"value,omitempty"`
						ValueFrom *struct {
							PodTemplateHashValue string `json:"podTemplateHashValue"`
						} `json:"valueFrom,omitempty"`
					} `json:"args"`
				} `json:"analysis"`
				Steps []struct {
					SetWeight *int `json:"setWeight,omitempty"`
					Pause     *struct {
						Duration string `json:"duration"`
					} `json:"pause,omitempty"`
				} `json:"steps"`
			} `json:"canary"`
		} `json:"strategy"`
	} `json:"spec"`
}

type analysisTemplate struct {
	typeMeta `json:",inline"`
	Spec     struct {
		Args []struct {
			Name  string  `json:"name"`
			Value *string `json:"value,omitempty"`
		} `json:"args"`
		Metrics []struct {
			Name              string `json:"name"`
			Interval          string `json:"interval"`
			FailureLimit      *int   `json:"failureLimit"`
			InconclusiveLimit int    `json:"inconclusiveLimit"`
			SuccessCondition  string `json:"successCondition"`
			FailureCondition  string `json:"failureCondition"`
			Provider          struct {
				Prometheus struct {
					Address string `json:"address"`
					Query   string `json:"query"`
				} `json:"prometheus"`
			} `json:"provider"`
		} `json:"metrics"`
	} `json:"spec"`
}
