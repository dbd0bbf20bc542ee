// The app's jsonData and secureJsonData, mirroring pkg/config/settings.go.

export type ProviderName = 'offline' | 'openai' | 'ollama' | 'bedrock';
export type PrometheusAuth = 'none' | 'basic' | 'bearer' | 'sigv4';
export type KubernetesMode = 'incluster' | 'kubeconfig' | 'off';
export type CredentialsMode = 'default' | 'static';
export type SourceAuth = 'none' | 'basic' | 'bearer';
export type TraceBackend = 'tempo' | 'jaeger';
export type JSONFormat = 'json_schema' | 'json_object' | 'none';

/** What the model table says of a model, set by hand for models it does not know. */
export interface ModelSettings {
  contextWindow?: number;
  inputPerMTok?: number;
  outputPerMTok?: number;
}

export interface AppSettings {
  provider?: ProviderName;
  openai?: {
    baseURL?: string;
    organization?: string;
    model?: string;
    headers?: Record<string, string>;
    azure?: boolean;
    apiVersion?: string;
    azureDeployment?: string;
    jsonFormat?: JSONFormat;
  };
  ollama?: { url?: string; model?: string; headers?: Record<string, string> };
  bedrock?: { region?: string; modelId?: string; credentialsMode?: CredentialsMode; endpoint?: string };
  prometheus?: {
    url?: string;
    authType?: PrometheusAuth;
    basicUser?: string;
    sigv4Region?: string;
    tlsSkipVerify?: boolean;
    caCert?: string;
  };
  kubernetes?: { mode?: KubernetesMode; kubeconfigPath?: string; context?: string };
  loki?: { url?: string; tenantId?: string; authType?: SourceAuth; basicUser?: string };
  cloudwatch?: { logGroup?: string; region?: string; streamPattern?: string; insights?: boolean; endpoint?: string };
  logFiles?: { pattern?: string };
  traces?: {
    backend?: TraceBackend;
    url?: string;
    tenantId?: string;
    authType?: SourceAuth;
    basicUser?: string;
    exploreDatasourceUid?: string;
  };
  /** Background log watch: findings for the data source before any alert fires. */
  watch?: { enabled?: boolean; namespaces?: string[]; selector?: string; interval?: string };
  /** Pricing overrides of the cost allocation and the incident cost; empty fields keep OpenCost's defaults. */
  finops?: {
    cpuPerCoreHour?: number;
    ramPerGiBHour?: number;
    spotDiscount?: number;
    region?: string;
    customOnly?: boolean;
    instanceTypes?: Record<string, { onDemand: number; spot?: number }>;
  };
  models?: Record<string, ModelSettings>;
  redaction?: { emails?: boolean; ips?: boolean };
  budgets?: { dailyTokens?: number; dailyCostUSD?: number; perUserPerMinute?: number };
  minRoleExplain?: 'Viewer' | 'Editor';
  cacheTTL?: string;
  /** Bound of one explanation; a model silent past it gives way to the analyzers' answer. */
  explainTimeout?: string;
  historyRetentionDays?: number;
  historyMaxCount?: number;
  usageRetentionDays?: number;
  webhookQueueSize?: number;
  /** Outbound clients may dial link-local and cloud metadata addresses (refused by default). */
  allowLinkLocalUpstreams?: boolean;
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
  'ollamaHeaderValues',
  'lokiPassword',
  'lokiBearerToken',
  'tracesPassword',
  'tracesBearerToken',
  'storeDSN',
] as const;

export type SecretKey = (typeof SECRET_KEYS)[number];

export type SecureSettings = Partial<Record<SecretKey, string>>;

/** The defaults of DefaultSettings() in pkg/config/settings.go, shown as placeholders. */
export const DEFAULTS = {
  provider: 'offline' as ProviderName,
  openaiBaseURL: 'https://api.openai.com/v1',
  openaiModel: 'gpt-4o-mini',
  ollamaURL: 'http://localhost:11434',
  ollamaModel: 'llama3',
  bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  minRoleExplain: 'Viewer' as const,
  cacheTTL: '15m',
  explainTimeout: '1m30s',
  historyRetentionDays: 30,
  historyMaxCount: 1000,
};
