package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource/cloudwatch"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource/file"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource/loki"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/evidence/trace"
	"github.com/cloudobs/aiops-app/pkg/finops"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/netguard"
)

// Sources connects the evidence sources the settings configure; one left
// empty is simply not used (the gatherer notes what is missing).
func Sources(s config.Settings) (evidence.Sources, error) {
	return sources(context.Background(), s)
}

func sources(ctx context.Context, s config.Settings) (evidence.Sources, error) {
	var out evidence.Sources
	var err error
	if out.Kube, err = kubeSource(s); err != nil {
		return out, err
	}
	if s.Prometheus.URL != "" {
		if out.Prom, err = promSource(s); err != nil {
			return out, err
		}
	}
	if err := addLogSources(ctx, s, &out); err != nil {
		return out, err
	}
	if s.Prometheus.URL != "" {
		alloc, err := CostAllocator(s)
		if err != nil {
			return out, err
		}
		out.Cost = alloc
	}
	out.Traces, err = traceSource(s)
	return out, err
}

// CostAllocator prices the cluster from the settings' Prometheus (OpenCost's
// custom rates, the EKS table, spot and the control plane): the data
// source's cost queries and the cost alerts' evidence use the same one.
func CostAllocator(s config.Settings) (*finops.Allocator, error) {
	if s.Prometheus.URL == "" {
		return nil, errors.New("cost needs a Prometheus with kube-state-metrics and cAdvisor: set prometheus.url in the settings")
	}
	pricing, err := Pricing(s)
	if err != nil {
		return nil, err
	}
	return evidence.NewCostSource(PromConfig(s), pricing)
}

// Pricing is OpenCost's defaults with the settings' overrides.
func Pricing(s config.Settings) (finops.Pricing, error) {
	p := finops.DefaultPricing()
	f := s.FinOps
	if f.CPUPerCoreHour > 0 {
		p.CPUPerCoreHour = f.CPUPerCoreHour
	}
	if f.RAMPerGiBHour > 0 {
		p.RAMPerGiBHour = f.RAMPerGiBHour
	}
	if f.SpotDiscount > 0 {
		p.SpotDiscount = f.SpotDiscount
	}
	if f.Region != "" {
		p.Region = f.Region
	}
	p.CustomOnly = f.CustomOnly
	for name, price := range f.InstanceTypes {
		if p.InstanceTypes == nil {
			p.InstanceTypes = map[string]finops.InstancePrice{}
		}
		p.InstanceTypes[name] = finops.InstancePrice{OnDemand: price.OnDemand, Spot: price.Spot}
	}
	if err := p.Validate(); err != nil {
		return finops.Pricing{}, fmt.Errorf("finops pricing: %w", err)
	}
	return p, nil
}

// kubeSource is the Kubernetes collector, nil when access is off.
func kubeSource(s config.Settings) (*kube.Collector, error) {
	kc, err := kube.New(kube.Config{Mode: s.Kubernetes.Mode, KubeconfigPath: s.Kubernetes.KubeconfigPath, Context: s.Kubernetes.Context})
	if err != nil && s.Kubernetes.Mode == config.KubeInCluster {
		return nil, fmt.Errorf("kubernetes: in-cluster access needs Grafana running in a pod with a service account: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("kubernetes: %w", err)
	}
	return kc, nil
}

// Guard is the dial policy of every outbound client the settings configure.
func Guard(s config.Settings) netguard.Policy {
	return netguard.Policy{AllowLinkLocal: s.AllowLinkLocalUpstreams}
}

// PromConfig is how the settings reach their Prometheus; callers add the
// bounds their queries need.
func PromConfig(s config.Settings) prom.Config {
	return prom.Config{
		URL: s.Prometheus.URL, AuthType: s.Prometheus.AuthType,
		BasicUser: s.Prometheus.BasicUser, BasicPassword: s.PrometheusPassword(),
		BearerToken: s.PrometheusBearerToken(), SigV4Region: s.Prometheus.SigV4Region,
		CACertPEM: s.Prometheus.CACert, TLSSkipVerify: s.Prometheus.TLSSkipVerify,
		Guard: Guard(s),
	}
}

func promSource(s config.Settings) (*prom.Collector, error) {
	pc, err := prom.New(PromConfig(s))
	if err != nil {
		return nil, fmt.Errorf("prometheus: %w", err)
	}
	return pc, nil
}

// addLogSources adds Loki, CloudWatch Logs and log files when configured.
func addLogSources(ctx context.Context, s config.Settings, out *evidence.Sources) error {
	if s.Loki.URL != "" {
		c := s.LokiCredentials()
		src, err := loki.New(loki.Config{URL: s.Loki.URL, TenantID: s.Loki.TenantID,
			BasicUser: c.BasicUser, BasicPassword: c.BasicPassword, BearerToken: c.BearerToken, Guard: Guard(s)})
		if err != nil {
			return fmt.Errorf("loki: %w", err)
		}
		out.Logs = append(out.Logs, src)
	}
	if cw := s.CloudWatch; cw.LogGroup != "" {
		src, err := cloudwatch.New(ctx, cloudwatch.Config{Region: cw.Region, LogGroup: cw.LogGroup,
			StreamPattern: cw.StreamPattern, Insights: cw.Insights, Endpoint: cw.Endpoint, Guard: Guard(s)})
		if err != nil {
			return fmt.Errorf("cloudwatch: %w", err)
		}
		out.Logs = append(out.Logs, src)
	}
	if s.LogFiles.Pattern != "" {
		src, err := file.New(file.Config{Pattern: s.LogFiles.Pattern})
		if err != nil {
			return fmt.Errorf("logFiles.pattern: %w", err)
		}
		out.Logs = append(out.Logs, logsource.Source(src))
	}
	return nil
}

// traceSource is the trace collector, nil when no backend is configured.
func traceSource(s config.Settings) (*trace.Collector, error) {
	t := s.Traces
	if t.URL == "" {
		return nil, nil
	}
	c := s.TracesCredentials()
	hc := trace.HTTPConfig{URL: t.URL, TenantID: t.TenantID, BasicUser: c.BasicUser, BasicPassword: c.BasicPassword, BearerToken: c.BearerToken,
		Guard: Guard(s)}
	var src trace.Source
	var err error
	if t.Backend == config.TracesJaeger {
		src, err = trace.NewJaeger(hc)
	} else {
		src, err = trace.NewTempo(hc)
	}
	if err != nil {
		return nil, fmt.Errorf("traces: %w", err)
	}
	return trace.NewCollector(src, trace.Options{}), nil
}

// LLMSettings maps the settings of one provider to the llm package's.
// A model listed in settings.models gets its context window and price from
// there instead of the model table.
func LLMSettings(s config.Settings, p config.Provider) llm.Settings {
	var ls llm.Settings
	switch p {
	case config.ProviderOpenAI:
		ls = llm.Settings{Provider: llm.NameOpenAI, Model: s.OpenAI.Model, BaseURL: s.OpenAI.BaseURL,
			APIKey: s.OpenAIAPIKey(), Organization: s.OpenAI.Organization, Headers: s.OpenAIHeaders(),
			Azure: s.OpenAI.Azure, AzureDeployment: s.OpenAI.AzureDeployment, APIVersion: s.OpenAI.APIVersion,
			JSONFormat: s.OpenAI.JSONFormat}
	case config.ProviderOllama:
		ls = llm.Settings{Provider: llm.NameOllama, Model: s.Ollama.Model, OllamaURL: s.Ollama.URL, Headers: s.OllamaHeaders()}
	case config.ProviderBedrock:
		ls = llm.Settings{Provider: llm.NameBedrock, Model: s.Bedrock.ModelID, Region: s.Bedrock.Region, BedrockEndpoint: s.Bedrock.Endpoint}
		if s.Bedrock.CredentialsMode == config.CredentialsStatic {
			ls.AccessKey, ls.SecretKey = s.BedrockStaticCredentials()
		}
	default:
		return llm.Settings{Provider: llm.NameOffline}
	}
	ls.Guard = Guard(s)
	if m, ok := s.Models[ls.Model]; ok {
		ls.ContextWindow = m.ContextWindow
		if m.InputPerMTok > 0 || m.OutputPerMTok > 0 {
			ls.Price = &llm.Price{InputPerMTok: m.InputPerMTok, OutputPerMTok: m.OutputPerMTok}
		}
	}
	return ls
}
