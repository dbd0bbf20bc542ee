package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/plugin/health"
	"github.com/cloudobs/aiops-app/pkg/plugin/httpauth"
)

// CheckHealth answers the "Test" button of the app's Configuration page with
// one line per dependency and the full report as details.
func (a *App) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	report := a.healthReport(ctx)
	details, err := json.Marshal(report)
	if err != nil {
		return nil, fmt.Errorf("encode health report: %w", err)
	}
	status := backend.HealthStatusOk
	if report.Status == health.StatusFailing {
		status = backend.HealthStatusError
	}
	return &backend.CheckHealthResult{Status: status, Message: report.Summary(), JSONDetails: details}, nil
}

func (a *App) getHealth(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, a.healthReport(r.Context()))
	return nil
}

// healthReport checks the dependencies, or reports the settings themselves
// as failing when they are invalid: checking with half-read settings would
// report misleading results.
func (a *App) healthReport(ctx context.Context) health.Report {
	if a.settingsErr != nil {
		return health.Report{Status: health.StatusFailing, Dependencies: []health.Dependency{{
			Name: "settings", Status: health.StatusFailing,
			Message: strings.ReplaceAll(a.settingsErr.Error(), "\n", "; "),
		}}}
	}
	return health.Run(ctx, healthTimeout, a.checkers...)
}

// dependencyCheckers builds one checker per dependency from the settings.
// The LLM checker is the seam where a provider's own Health(ctx) plugs in.
func dependencyCheckers(s config.Settings) []health.Checker {
	client := &http.Client{Timeout: healthTimeout}
	var llm health.Checker
	switch s.Provider {
	case config.ProviderOpenAI:
		llm = health.OpenAI{BaseURL: s.OpenAI.BaseURL, APIKey: s.OpenAIAPIKey(), Model: s.OpenAI.Model,
			Azure: s.OpenAI.Azure, APIVersion: s.OpenAI.APIVersion, Headers: s.OpenAIHeaders(), Client: client}
	case config.ProviderOllama:
		llm = health.Ollama{URL: s.Ollama.URL, Model: s.Ollama.Model, Client: client}
	case config.ProviderBedrock:
		llm = health.Bedrock{Region: s.Bedrock.Region, ModelID: s.Bedrock.ModelID, Resolve: bedrockCredentials(s)}
	default:
		llm = health.Offline()
	}
	prom := health.Func("prometheus", func(ctx context.Context) (string, error) {
		if s.Prometheus.URL == "" {
			return health.Prometheus{}.Check(ctx)
		}
		c, err := PrometheusClient(ctx, s)
		if err != nil {
			return "", err
		}
		return health.Prometheus{URL: s.Prometheus.URL, Client: c}.Check(ctx)
	})
	kube := health.Kubernetes{}
	if s.Kubernetes.Mode != config.KubeOff {
		kube.Config = func() (*rest.Config, error) { return KubernetesConfig(s.Kubernetes) }
	}
	return []health.Checker{llm, prom, kube}
}

// PrometheusClient returns an HTTP client that authenticates to the
// configured Prometheus; the metrics collector uses the same one.
func PrometheusClient(ctx context.Context, s config.Settings) (*http.Client, error) {
	c, err := httpauth.NewClient(ctx, httpauth.Config{
		AuthType:      s.Prometheus.AuthType,
		BasicUser:     s.Prometheus.BasicUser,
		BasicPassword: s.PrometheusPassword(),
		BearerToken:   s.PrometheusBearerToken(),
		SigV4Region:   s.Prometheus.SigV4Region,
		TLSSkipVerify: s.Prometheus.TLSSkipVerify,
		CACertPEM:     s.Prometheus.CACert,
	})
	if err != nil {
		return nil, fmt.Errorf("prometheus client: %w", err)
	}
	return c, nil
}

// KubernetesConfig returns the client configuration for the configured mode.
func KubernetesConfig(k config.KubernetesSettings) (*rest.Config, error) {
	switch k.Mode {
	case config.KubeInCluster:
		cfg, err := rest.InClusterConfig()
		if err != nil {
			return nil, fmt.Errorf("in-cluster configuration (is Grafana running in a pod with a service account?): %w", err)
		}
		return cfg, nil
	case config.KubeKubeconfig:
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		if k.KubeconfigPath != "" {
			rules.ExplicitPath = k.KubeconfigPath
		}
		overrides := &clientcmd.ConfigOverrides{CurrentContext: k.Context}
		cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
		if err != nil {
			return nil, fmt.Errorf("kubeconfig: %w", err)
		}
		return cfg, nil
	default:
		return nil, errors.New("kubernetes access is off")
	}
}

// bedrockCredentials resolves AWS credentials the way the Bedrock provider
// will: the static keys from secureJsonData or the SDK's default chain.
func bedrockCredentials(s config.Settings) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		var provider aws.CredentialsProvider
		if s.Bedrock.CredentialsMode == config.CredentialsStatic {
			ak, sk := s.BedrockStaticCredentials()
			provider = credentials.NewStaticCredentialsProvider(ak, sk, "")
		} else {
			cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(s.Bedrock.Region))
			if err != nil {
				return "", fmt.Errorf("load AWS configuration: %w", err)
			}
			provider = cfg.Credentials
		}
		if provider == nil {
			return "", errors.New("no credential source found (set AWS_ACCESS_KEY_ID, a profile, or an IAM role)")
		}
		creds, err := provider.Retrieve(ctx)
		if err != nil {
			return "", err
		}
		return creds.Source, nil
	}
}
