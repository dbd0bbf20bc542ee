package config

// Providers in the order the UI lists them.
var Providers = []Provider{ProviderOffline, ProviderOpenAI, ProviderOllama, ProviderBedrock}

// KnownProvider reports whether p names a provider.
func KnownProvider(p Provider) bool {
	for _, k := range Providers {
		if k == p {
			return true
		}
	}
	return false
}

// ProviderConfigured reports whether p has what it needs to be asked: the
// default provider always does (validation saw to it), offline needs
// nothing, and the others need their credentials or a non-default endpoint.
func (s Settings) ProviderConfigured(p Provider) bool {
	if p == s.Provider || p == ProviderOffline {
		return true
	}
	switch p {
	case ProviderOpenAI:
		return s.OpenAIAPIKey() != "" || s.OpenAI.BaseURL != defaultOpenAIBaseURL
	case ProviderOllama:
		return s.Ollama.URL != defaultOllamaURL
	case ProviderBedrock:
		return s.Bedrock.Region != ""
	}
	return false
}
