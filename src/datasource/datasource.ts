import { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { AiopsDataSourceOptions, AiopsQuery, DEFAULT_QUERY } from './types';

const INTERPOLATED: Array<keyof AiopsQuery> = [
  'namespace',
  'selector',
  'alertname',
  'category',
  'provider',
  'model',
  'user',
  'groupBy',
];

export class DataSource extends DataSourceWithBackend<AiopsQuery, AiopsDataSourceOptions> {
  private readonly defaultNamespace?: string;

  constructor(instanceSettings: DataSourceInstanceSettings<AiopsDataSourceOptions>) {
    super(instanceSettings);
    this.defaultNamespace = instanceSettings.jsonData?.defaultNamespace || undefined;
  }

  getDefaultQuery(): Partial<AiopsQuery> {
    return DEFAULT_QUERY;
  }

  applyTemplateVariables(query: AiopsQuery, scopedVars: ScopedVars): AiopsQuery {
    const templateSrv = getTemplateSrv();
    const out: AiopsQuery = { ...query, queryType: query.queryType ?? DEFAULT_QUERY.queryType };
    for (const key of INTERPOLATED) {
      const value = query[key];
      if (typeof value === 'string' && value) {
        (out as unknown as Record<string, string>)[key] = templateSrv.replace(value, scopedVars);
      }
    }
    if (!out.namespace && this.defaultNamespace && (out.queryType === 'findings' || out.queryType === 'cost')) {
      out.namespace = this.defaultNamespace;
    }
    return out;
  }

  filterQuery(query: AiopsQuery): boolean {
    return !query.hide;
  }
}
