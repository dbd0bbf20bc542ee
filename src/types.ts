// The JSON contracts of DESIGN.md as the frontend sees them. Every field the
// backend may omit is optional so that rendering never trusts a shape blindly.

export const CATEGORIES = [
  'OOMKilled',
  'CrashLoop',
  'ProbeFailure',
  'ImagePull',
  'ConfigError',
  'Unschedulable',
  'NodePressure',
  'CPUThrottling',
  'DependencyFailure',
  'DNSFailure',
  'BadDeploy',
  'ResourceExhaustion',
  'TLSFailure',
  'TrafficSpike',
  'JobFailure',
  'CostAnomaly',
  'Unknown',
] as const;

export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_DESCRIPTIONS: Record<Category, string> = {
  OOMKilled: 'A container was killed for exceeding its memory limit',
  CrashLoop: 'A container exits repeatedly for an application reason',
  ProbeFailure: 'Liveness, readiness or startup probes fail',
  ImagePull: 'The image cannot be pulled',
  ConfigError: 'Missing or bad ConfigMap, Secret, env or flags',
  Unschedulable: 'Pods stay Pending',
  NodePressure: 'Node NotReady, resource pressure or evictions',
  CPUThrottling: 'CFS throttling starves the container',
  DependencyFailure: 'A downstream service or database is failing',
  DNSFailure: 'Name resolution fails',
  BadDeploy: 'A recent rollout introduced the failure',
  ResourceExhaustion: 'Disk, file descriptors, connection pools or quota exhausted',
  TLSFailure: 'Certificate expired, untrusted or mismatched',
  TrafficSpike: 'Load beyond capacity',
  JobFailure: 'A Job or CronJob fails',
  CostAnomaly: 'Spend grew beyond its baseline: scale-out, raised requests, churn or pricier nodes',
  Unknown: 'The evidence does not support a cause',
};

export interface AlertContext {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  status?: string;
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
  generatorURL?: string;
  values?: Record<string, number>;
  query?: string;
}

export interface Entity {
  namespace?: string;
  kind?: string;
  name?: string;
}

export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  id: string;
  analyzer?: string;
  category?: Category | string;
  severity?: Severity | string;
  title: string;
  detail?: string;
  entity?: Entity;
  evidence?: string[];
  confidence?: number;
}

export type EvidenceKind = 'pod_status' | 'event' | 'log_template' | 'metric' | 'rollout' | 'node' | 'trace';

export interface Evidence {
  id: string;
  kind: EvidenceKind | string;
  entity?: Entity;
  text: string;
  count?: number;
  firstSeen?: string;
  lastSeen?: string;
  examples?: string[];
  values?: number[];
  /** Example traces of trace evidence (hex ids), for links to Explore. */
  traceIds?: string[];
}

export interface NextStep {
  text: string;
  command?: string;
}

export interface Explanation {
  id: string;
  fingerprint?: string;
  summary: string;
  rootCause?: {
    category?: Category | string;
    entity?: Entity;
    description?: string;
    confidence?: number;
  };
  findings?: Finding[];
  evidence?: Evidence[];
  nextSteps?: NextStep[];
  provider?: { name?: string; model?: string };
  usage?: { promptTokens?: number; completionTokens?: number; costUSD?: number };
  degraded?: Array<{ source: string; error: string }>;
  timings?: { totalMs?: number; collectMs?: number; llmMs?: number };
  createdAt?: string;
  alert?: AlertContext;
  notes?: string[];
  modelText?: string;
  incidentCost?: IncidentCost;
  /** Set when the alert came with others (an Alertmanager group). */
  group?: AlertGroup;
}

/** What the incident has cost so far: the examined pods' requested compute since the alert started, plus the model spend. */
export interface IncidentCost {
  computeUSD?: number;
  llmUSD?: number;
  totalUSD?: number;
  pods?: number;
  hours?: number;
  cpuCoreHours?: number;
  ramGiBHours?: number;
  cpuPerCoreHour?: number;
  ramPerGiBHour?: number;
  since?: string;
  basis?: string;
}

/** One alert of a group, and whether the explanation that carries the group explains it. */
export interface GroupMember {
  fingerprint: string;
  name: string;
  /** The object the alert is about: namespace/label=value. */
  target?: string;
  /** The alert's identifying labels, summarised. */
  labels?: string;
  sharesCause: boolean;
  /** Why the alert is, or is not, part of this incident. */
  reason?: string;
  /** The explanation that explains the alert. */
  explanationId?: string;
}

/** The alerts that arrived together; linked ones are explained as one incident. */
export interface AlertGroup {
  id: string;
  alerts: GroupMember[];
}

export interface ExplanationList {
  items: Explanation[];
  total: number;
}

export interface ExplanationFilter {
  alertname?: string;
  namespace?: string;
  category?: string;
  /** An alert group's id: its explanations only. */
  group?: string;
  since?: string;
  limit?: number;
  offset?: number;
}

export interface ProviderStatus {
  name: string;
  configured: boolean;
  default: boolean;
}

export interface UsageDay {
  day: string;
  provider: string;
  model: string;
  /** The Grafana login that asked; empty for background work (the webhook). */
  user?: string;
  promptTokens: number;
  completionTokens: number;
  costUSD: number;
  requests: number;
  cacheHits: number;
}

export interface Budget {
  dailyTokens: number;
  dailyCostUSD: number;
  usedTokens: number;
  usedCostUSD: number;
  resetsAt: string;
}

export interface UsageReport {
  days: UsageDay[];
  budget?: Budget;
}

export type DependencyStatus = 'ok' | 'failing' | 'not_configured';

export interface HealthReport {
  /** "ok", or "failing"/"error" when any dependency fails. */
  status: string;
  dependencies: Array<{ name: string; status: DependencyStatus | string; message?: string; latencyMs?: number }>;
}

export type ExplainStage = 'resolving' | 'collecting' | 'analyzing' | 'asking_model' | 'done';

export const EXPLAIN_STAGES: ReadonlyArray<{ stage: ExplainStage; label: string }> = [
  { stage: 'resolving', label: 'Finding the pods behind the alert' },
  { stage: 'collecting', label: 'Collecting state, events, logs and metrics' },
  { stage: 'analyzing', label: 'Running analyzers' },
  { stage: 'asking_model', label: 'Asking the model' },
  { stage: 'done', label: 'Done' },
];

/** One message on the explain Live channel. */
export interface ExplainStreamMessage {
  /** A stage, or "error" when the explanation failed (then `error` says why). */
  stage?: ExplainStage | 'error';
  token?: string;
  explanation?: Explanation;
  error?: string;
}

/** A finding of the log watch (GET /watch/findings): raised from logs before any alert fires. */
export interface WatchFinding {
  id: string;
  at: string;
  /** NewErrorTemplate or LogTemplateSurge. */
  kind: string;
  namespace: string;
  workload: string;
  pod: string;
  container: string;
  template: string;
  level?: string;
  /** The template's lines in the last poll, and its mean per poll before (0 for a new template). */
  count: number;
  baseline: number;
  example?: string;
  finding: Finding;
  /** The synthetic alert naming the pod and container, as POST /explain takes it. */
  alert: AlertContext;
}

export interface WatchFindingList {
  items: WatchFinding[];
  /** Whether the plugin's background log watch runs, and over which namespaces. */
  enabled: boolean;
  namespaces: string[];
}

export interface WatchFindingFilter {
  namespace?: string;
  since?: string;
  limit?: number;
}
