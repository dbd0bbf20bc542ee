import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { AlertContext } from '../types';
import { toApiError } from './errors';

/** Grafana's built-in Alertmanager, which holds the firing alerts of Grafana Alerting. */
const ALERTS_URL = '/api/alertmanager/grafana/api/v2/alerts';
const MAX_ALERTS = 500;

function record(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') {
        out[k] = v;
      }
    }
  }
  return out;
}

/** The active (not silenced, not inhibited) alerts, in the alert-context shape of DESIGN.md. */
export async function fetchFiringAlerts(): Promise<AlertContext[]> {
  let body: unknown;
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        method: 'GET',
        url: ALERTS_URL,
        params: { active: true, silenced: false, inhibited: false },
        showErrorAlert: false,
      })
    );
    body = response.data;
  } catch (err) {
    throw toApiError(err);
  }
  if (!Array.isArray(body)) {
    return [];
  }
  return body.slice(0, MAX_ALERTS).flatMap((raw): AlertContext[] => {
    if (!raw || typeof raw !== 'object') {
      return [];
    }
    const a = raw as Record<string, unknown>;
    const labels = record(a.labels);
    if (Object.keys(labels).length === 0) {
      return [];
    }
    return [
      {
        labels,
        annotations: record(a.annotations),
        status: 'firing',
        startsAt: typeof a.startsAt === 'string' ? a.startsAt : undefined,
        endsAt: typeof a.endsAt === 'string' ? a.endsAt : undefined,
        fingerprint: typeof a.fingerprint === 'string' ? a.fingerprint : undefined,
        generatorURL: typeof a.generatorURL === 'string' ? a.generatorURL : undefined,
      },
    ];
  });
}

export interface AlertGroup {
  key: string;
  alertname: string;
  namespace: string;
  severity: string;
  alerts: AlertContext[];
}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, error: 1, warning: 2, info: 3 };

/** Groups alerts by alertname and namespace, most severe and most numerous first. */
export function groupAlerts(alerts: AlertContext[]): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const alert of alerts) {
    const alertname = alert.labels.alertname ?? '(no alertname)';
    const namespace = alert.labels.namespace ?? '';
    const key = `${alertname}\u0000${namespace}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, alertname, namespace, severity: alert.labels.severity ?? '', alerts: [] };
      groups.set(key, group);
    }
    group.alerts.push(alert);
  }
  return [...groups.values()].sort(
    (a, b) =>
      (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) ||
      b.alerts.length - a.alerts.length ||
      a.alertname.localeCompare(b.alertname)
  );
}
