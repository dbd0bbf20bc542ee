import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

export type AiopsQueryType = 'findings' | 'explanations' | 'ai_usage' | 'cost';

/** The nested data source's query model (DESIGN.md, issue 2). */
export interface AiopsQuery extends DataQuery {
  queryType?: AiopsQueryType;
  namespace?: string;
  selector?: string;
  alertname?: string;
  category?: string;
  provider?: string;
  model?: string;
  /** ai_usage: one Grafana login. */
  user?: string;
  /** ai_usage: what to plot. */
  metric?: 'tokens' | 'cost';
  /** ai_usage: model, provider, user or day; cost: namespace, workload, pod, node or label:<name>. */
  groupBy?: string;
  /** cost: a table over the range, or cost per step. */
  format?: 'table' | 'timeseries';
  /** cost: per-workload request recommendations instead of the allocation. */
  rightsizing?: boolean;
  profile?: 'production' | 'development';
}

export const DEFAULT_QUERY: Partial<AiopsQuery> = {
  queryType: 'findings',
};

export interface AiopsDataSourceOptions extends DataSourceJsonData {
  /** Namespace used by queries that leave theirs empty. */
  defaultNamespace?: string;
}

/** Which fields each query type uses, and the group-by choices it offers. */
export const QUERY_TYPES: Record<
  AiopsQueryType,
  { label: string; description: string; fields: Array<keyof AiopsQuery>; groupBy: string[] }
> = {
  findings: {
    label: 'Findings',
    description: 'Current analyzer findings for a namespace or label selector',
    fields: ['namespace', 'selector'],
    groupBy: [],
  },
  explanations: {
    label: 'Explanations',
    description: 'Past alert explanations from the history',
    fields: ['alertname', 'namespace', 'category'],
    groupBy: [],
  },
  ai_usage: {
    label: 'AI usage',
    description: 'Tokens, requests and spend of the model providers',
    fields: ['provider', 'model', 'user'],
    groupBy: ['model', 'provider', 'user', 'day'],
  },
  cost: {
    label: 'Kubernetes cost',
    description: 'Cost allocation of CPU and memory requests and usage',
    fields: ['namespace', 'selector'],
    groupBy: ['namespace', 'workload', 'pod', 'node', 'label'],
  },
};
