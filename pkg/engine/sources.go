package engine

import (
	"fmt"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource/file"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource/loki"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/llm"
)

// Sources connects the evidence sources the settings configure; one left
// empty is simply not used (the gatherer notes what is missing).
func Sources(s config.Settings) (evidence.Sources, error) {
	var out evidence.Sources
	kc, err := kube.New(kube.Config{Mode: s.Kubernetes.Mode, KubeconfigPath: s.Kubernetes.KubeconfigPath, Context: s.Kubernetes.Context})
	if err != nil {
		return out, fmt.Errorf("kubernetes: %w", err)
	}
	out.Kube = kc
	if s.Prometheus.URL != "" {
		pc, err := prom.New(prom.Config{
			URL: s.Prometheus.URL, AuthType: s.Prometheus.AuthType,
			BasicUser: s.Prometheus.BasicUser, BasicPassword: s.PrometheusPassword(),
			BearerToken: s.PrometheusBearerToken(), SigV4Region: s.Prometheus.SigV4Region,
			CACertPEM: s.Prometheus.CACert, TLSSkipVerify: s.Prometheus.TLSSkipVerify,
		})
		if err != nil {
			return out, fmt.Errorf("prometheus: %w", err)
		}
		out.Prom = pc
	}
	if s.Loki.URL != "" {
		src, err := loki.New(loki.Config{URL: s.Loki.URL})
		if err != nil {
			return out, fmt.Errorf("loki: %w", err)
		}
		out.Logs = append(out.Logs, src)
	}
	if s.LogFiles.Pattern != "" {
		src, err := file.New(file.Config{Pattern: s.LogFiles.Pattern})
		if err != nil {
			return out, fmt.Errorf("logFiles.pattern: %w", err)
		}
		out.Logs = append(out.Logs, logsource.Source(src))
	}
	return out, nil
}

// LLMSettings maps the settings of one provider to the llm package's.
func LLMSettings(s config.Settings, p config.Provider) llm.Settings {
	switch p {
	case config.ProviderOpenAI:
		return llm.Settings{Provider: llm.NameOpenAI, Model: s.OpenAI.Model, BaseURL: s.OpenAI.BaseURL,
			APIKey: s.OpenAIAPIKey(), Organization: s.OpenAI.Organization, Headers: s.OpenAIHeaders(),
			Azure: s.OpenAI.Azure, APIVersion: s.OpenAI.APIVersion}
	case config.ProviderOllama:
		return llm.Settings{Provider: llm.NameOllama, Model: s.Ollama.Model, OllamaURL: s.Ollama.URL}
	case config.ProviderBedrock:
		ls := llm.Settings{Provider: llm.NameBedrock, Model: s.Bedrock.ModelID, Region: s.Bedrock.Region}
		if s.Bedrock.CredentialsMode == config.CredentialsStatic {
			ls.AccessKey, ls.SecretKey = s.BedrockStaticCredentials()
		}
		return ls
	default:
		return llm.Settings{Provider: llm.NameOffline}
	}
}
