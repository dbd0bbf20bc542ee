import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { RESOURCES_URL } from '../constants';
import {
  AlertContext,
  Explanation,
  ExplanationFilter,
  ExplanationList,
  HealthReport,
  ProviderStatus,
  UsageReport,
  WatchFindingFilter,
  WatchFindingList,
} from '../types';
import { toApiError } from './errors';
import { modelNames } from './models';

type Method = 'GET' | 'POST';

type Params = Record<string, string | number | boolean | undefined>;

function query(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function call<T>(method: Method, path: string, data?: unknown, params: Params = {}): Promise<T> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        method,
        url: `${RESOURCES_URL}/${path}${query(params)}`,
        data,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return response.data;
  } catch (err) {
    throw toApiError(err);
  }
}

export interface ExplainOptions {
  /** Ask another provider than the configured default. */
  provider?: string;
  /** Bypass the explanation cache (Regenerate). */
  refresh?: boolean;
  /** The Grafana Live stream id (explain/<stream>) the backend publishes progress to. */
  stream?: string;
}

/** The backend routes of DESIGN.md; the only place the frontend talks to the backend. */
export const api = {
  explain(alert: AlertContext, options: ExplainOptions = {}): Promise<Explanation> {
    return call<Explanation>('POST', 'explain', alert, {
      provider: options.provider,
      refresh: options.refresh ? 'true' : undefined,
      stream: options.stream,
    });
  },
  summarize(logs: string): Promise<Explanation> {
    return call<Explanation>('POST', 'summarize', { logs });
  },
  listExplanations(filter: ExplanationFilter = {}): Promise<ExplanationList> {
    return call<ExplanationList>('GET', 'explanations', undefined, { ...filter });
  },
  getExplanation(id: string): Promise<Explanation> {
    return call<Explanation>('GET', `explanations/${encodeURIComponent(id)}`);
  },
  sendFeedback(id: string, helpful: boolean, comment = ''): Promise<unknown> {
    return call('POST', `explanations/${encodeURIComponent(id)}/feedback`, { helpful, comment });
  },
  async providers(): Promise<ProviderStatus[]> {
    const body = await call<{ providers?: ProviderStatus[] }>('GET', 'providers');
    return Array.isArray(body?.providers) ? body.providers : [];
  },
  async models(provider?: string): Promise<string[]> {
    const body = await call<{ models?: unknown }>('GET', 'models', undefined, { provider });
    return modelNames(body?.models);
  },
  usage(from?: string, to?: string): Promise<UsageReport> {
    return call<UsageReport>('GET', 'usage', undefined, { from, to });
  },
  async watchFindings(filter: WatchFindingFilter = {}): Promise<WatchFindingList> {
    const body = await call<Partial<WatchFindingList>>('GET', 'watch/findings', undefined, { ...filter });
    return {
      items: Array.isArray(body?.items) ? body.items : [],
      enabled: body?.enabled === true,
      namespaces: Array.isArray(body?.namespaces) ? body.namespaces : [],
    };
  },
  health(): Promise<HealthReport> {
    return call<HealthReport>('GET', 'health');
  },
};

export type Api = typeof api;
