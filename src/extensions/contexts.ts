import { AlertContext } from '../types';

// The contexts Grafana hands to extension links are loosely typed and differ
// between versions; everything here is read defensively and bounded.

const MAX_LABELS = 64;
const MAX_VALUE = 1024;
const MAX_QUERY = 4096;

type UnknownRecord = Record<string, unknown>;

function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) {
    return out;
  }
  for (const [key, v] of Object.entries(value).slice(0, MAX_LABELS)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out[key.slice(0, 128)] = String(v).slice(0, MAX_VALUE);
    }
  }
  return out;
}

function isoTime(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (isRecord(value) && typeof value.toISOString === 'function') {
    try {
      return String((value.toISOString as () => string)());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The PromQL/LogQL expressions of a list of queries (expr, or a data model's expr). */
function queryExpressions(targets: unknown): string[] {
  if (!Array.isArray(targets)) {
    return [];
  }
  const exprs: string[] = [];
  for (const t of targets) {
    const candidate = isRecord(t) ? (isRecord(t.model) ? t.model.expr : t.expr) : undefined;
    if (typeof candidate === 'string' && candidate.trim()) {
      exprs.push(candidate.trim());
    }
  }
  return exprs;
}

const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"([^"\\]{1,253})"/g;
const TARGET_LABELS = new Set(['namespace', 'pod', 'container', 'deployment', 'service', 'job', 'node', 'app']);

/** Exact-match label matchers naming Kubernetes targets, e.g. namespace="shop". */
export function labelsFromQueries(exprs: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const expr of exprs) {
    for (const match of expr.slice(0, MAX_QUERY).matchAll(MATCHER)) {
      const [, name, value] = match;
      if (TARGET_LABELS.has(name) && !labels[name]) {
        labels[name] = value;
      }
    }
  }
  return labels;
}

function parseValues(value: unknown): Record<string, number> | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { A: value };
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  // Grafana formats instance values as "[ var='A' labels={...} value=3 ], ..." or a bare number.
  const values: Record<string, number> = {};
  for (const m of value.slice(0, MAX_QUERY).matchAll(/var='([^']{1,32})'[^\]]*?value=(-?[0-9.eE+-]+)/g)) {
    const n = Number(m[2]);
    if (Number.isFinite(n)) {
      values[m[1]] = n;
    }
  }
  if (Object.keys(values).length === 0 && value.trim() !== '' && Number.isFinite(Number(value))) {
    values.A = Number(value);
  }
  return Object.keys(values).length ? values : undefined;
}

function firingStatus(state: unknown): string | undefined {
  if (typeof state !== 'string') {
    return undefined;
  }
  const s = state.toLowerCase();
  if (s === 'alerting' || s === 'firing') {
    return 'firing';
  }
  if (s === 'normal' || s === 'inactive' || s === 'ok' || s === 'resolved') {
    return 'resolved';
  }
  return s;
}

/** grafana/alerting/instance/action: {instance: {labels, annotations, state, activeAt, value}, rule}. */
export function alertFromAlertInstance(context: unknown): AlertContext {
  const ctx = isRecord(context) ? context : {};
  const instance = isRecord(ctx.instance) ? ctx.instance : ctx;
  const rule = isRecord(ctx.rule) ? ctx.rule : {};
  const grafanaAlert = isRecord(rule.grafana_alert) ? rule.grafana_alert : {};
  const labels = stringMap(instance.labels);
  const title =
    typeof grafanaAlert.title === 'string' ? grafanaAlert.title : typeof rule.alert === 'string' ? rule.alert : '';
  if (!labels.alertname && title) {
    labels.alertname = title.slice(0, MAX_VALUE);
  }
  const exprs = queryExpressions(grafanaAlert.data);
  const ruleExpr = typeof rule.expr === 'string' ? [rule.expr] : [];
  const query = [...exprs, ...ruleExpr].join('\n').slice(0, MAX_QUERY);
  return {
    labels,
    annotations: stringMap(instance.annotations),
    status: firingStatus(instance.state) ?? 'firing',
    startsAt: isoTime(instance.activeAt) ?? isoTime(instance.startsAt),
    fingerprint: typeof instance.fingerprint === 'string' ? instance.fingerprint : undefined,
    generatorURL: typeof instance.generatorURL === 'string' ? instance.generatorURL : undefined,
    values: parseValues(instance.value),
    query: query || undefined,
  };
}

/** grafana/dashboard/panel/menu: the panel's queries and alert state become an alert context. */
export function alertFromPanel(context: unknown): AlertContext {
  const ctx = isRecord(context) ? context : {};
  const exprs = queryExpressions(ctx.targets);
  const data = isRecord(ctx.data) ? ctx.data : {};
  const alertState = isRecord(data.alertState) ? data.alertState : undefined;
  const dashboard = isRecord(ctx.dashboard) ? ctx.dashboard : {};
  const title = typeof ctx.title === 'string' && ctx.title ? ctx.title : 'Panel';
  const range = isRecord(data.timeRange) ? data.timeRange : {};
  const labels: Record<string, string> = {
    alertname: title.slice(0, MAX_VALUE),
    ...labelsFromQueries(exprs),
  };
  if (typeof dashboard.uid === 'string') {
    labels.dashboard_uid = dashboard.uid;
  }
  return {
    labels,
    annotations: {
      summary: `Panel "${title}"${typeof dashboard.title === 'string' ? ` on dashboard "${dashboard.title}"` : ''}`,
    },
    status: firingStatus(alertState?.state) ?? 'unknown',
    startsAt: isoTime(range.from),
    query: exprs.join('\n').slice(0, MAX_QUERY) || undefined,
  };
}

/** grafana/explore/toolbar/action: the Explore queries and time range. */
export function alertFromExplore(context: unknown): AlertContext {
  const ctx = isRecord(context) ? context : {};
  const exprs = queryExpressions(ctx.targets);
  const data = isRecord(ctx.data) ? ctx.data : {};
  const range = isRecord(data.timeRange) ? data.timeRange : {};
  return {
    labels: { alertname: 'Explore query', ...labelsFromQueries(exprs) },
    annotations: { summary: 'Explain what the Explore queries show' },
    status: 'unknown',
    startsAt: isoTime(range.from),
    query: exprs.join('\n').slice(0, MAX_QUERY) || undefined,
  };
}
