// The app's jsonData and secureJsonData, mirroring pkg/plugin/settings.go.

export type ProviderName = 'offline' | 'openai' | 'ollama' | 'bedrock';
export type PrometheusAuth = 'none' | 'basic' | 'bearer' | 'sigv4';
export type KubernetesMode = 'incluster' | 'kubeconfig' | 'off';
export type CredentialsMode = 'default' | 'static';

export interface AppSettings {
  provider?: ProviderName;
  openai?: {
    baseURL?: string;
    organization?: string;
    model?: string;
    headers?: Record<string, string>;
    azure?: boolean;
    apiVersion?: string;
  };
  ollama?: { url?: string; model?: string };
  bedrock?: { region?: string; modelId?: string; credentialsMode?: CredentialsMode };
  prometheus?: {
    url?: string;
    authType?: PrometheusAuth;
    basicUser?: string;
    sigv4Region?: string;
    tlsSkipVerify?: boolean;
    caCert?: string;
  };
  kubernetes?: { mode?: KubernetesMode; kubeconfigPath?: string; context?: string };
  loki?: { url?: string };
  logFiles?: { pattern?: string };
  redaction?: { emails?: boolean; ips?: boolean };
  budgets?: { dailyTokens?: number; dailyCostUSD?: number; perUserPerMinute?: number };
  minRoleExplain?: 'Viewer' | 'Editor';
  cacheTTL?: string;
  historyRetentionDays?: number;
  historyMaxCount?: number;
  webhookQueueSize?: number;
}

/** secureJsonData keys; values are write-only from the browser's point of view. */
export const SECRET_KEYS = [
  'openaiApiKey',
  'openaiHeaderValues',
  'bedrockAccessKey',
  'bedrockSecretKey',
  'prometheusPassword',
  'prometheusBearerToken',
  'webhookSecret',
] as const;

export type SecretKey = (typeof SECRET_KEYS)[number];

export type SecureSettings = Partial<Record<SecretKey, string>>;

/** The defaults of DefaultSettings() in pkg/plugin/settings.go, shown as placeholders. */
export const DEFAULTS = {
  provider: 'offline' as ProviderName,
  openaiBaseURL: 'https://api.openai.com/v1',
  openaiModel: 'gpt-4o-mini',
  ollamaURL: 'http://localhost:11434',
  ollamaModel: 'llama3',
  bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  minRoleExplain: 'Viewer' as const,
  cacheTTL: '15m',
  historyRetentionDays: 30,
  historyMaxCount: 1000,
};
