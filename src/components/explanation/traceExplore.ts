import { urlUtil } from '@grafana/data';
import { config } from '@grafana/runtime';
import { useEffect, useState } from 'react';

import { loadPluginSettings } from '../../api/pluginSettings';
import { Evidence } from '../../types';

/** How far around the evidence's first and last sighting Explore looks for a trace. */
const MARGIN_MS = 15 * 60 * 1000;

/**
 * The Explore URL that opens one trace in the data source the admin named
 * (traces.exploreDatasourceUid): a Tempo data source takes the trace id as a
 * TraceQL query, a Jaeger one as its trace id query, both under `query`.
 */
export function exploreTraceUrl(
  datasourceUid: string,
  traceId: string,
  item: Pick<Evidence, 'firstSeen' | 'lastSeen'>
) {
  const first = item.firstSeen ? Date.parse(item.firstSeen) : NaN;
  const last = item.lastSeen ? Date.parse(item.lastSeen) : first;
  const range = Number.isFinite(first)
    ? { from: String(first - MARGIN_MS), to: String((Number.isFinite(last) ? last : first) + MARGIN_MS) }
    : { from: 'now-1h', to: 'now' };
  const panes = {
    trace: {
      datasource: datasourceUid,
      queries: [{ refId: 'A', datasource: { uid: datasourceUid }, queryType: 'traceql', query: traceId }],
      range,
    },
  };
  return config.appSubUrl + urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify(panes) });
}

/**
 * The data source that opens cited traces, read from the app's settings only
 * when the evidence has traces to link; undefined when none is configured or
 * the settings cannot be read (the ids are still shown).
 */
export function useTraceDatasource(evidence: Evidence[]): string | undefined {
  const wanted = evidence.some((e) => e.kind === 'trace' && (e.traceIds?.length ?? 0) > 0);
  const [uid, setUid] = useState<string>();
  useEffect(() => {
    if (!wanted) {
      return;
    }
    let live = true;
    loadPluginSettings()
      .then((s) => live && setUid(s.traces?.exploreDatasourceUid || undefined))
      .catch(() => live && setUid(undefined));
    return () => {
      live = false;
    };
  }, [wanted]);
  return uid;
}
