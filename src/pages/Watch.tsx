import { useState } from 'react';
import { SelectableValue } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Badge,
  Button,
  Combobox,
  ComboboxOption,
  EmptyState,
  Field,
  Input,
  LoadingPlaceholder,
  Stack,
  Text,
} from '@grafana/ui';

import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExplainDrawer } from '../components/drawer/ExplainDrawer';
import { AlertContext, WatchFinding } from '../types';
import { formatTime } from '../utils/format';
import { useAsync } from '../utils/useAsync';

/** One page of findings: the newest; the backend allows up to 500. */
const LIMIT = 200;

const SINCE_OPTIONS: Array<ComboboxOption<string>> = [
  { label: 'Last hour', value: '1h' },
  { label: 'Last 6 hours', value: '6h' },
  { label: 'Last 24 hours', value: '24h' },
  { label: 'Last 7 days', value: '168h' },
];

const KIND_TEXT: Record<string, string> = {
  NewErrorTemplate: 'New error',
  LogTemplateSurge: 'Surge',
};

/** "54 lines (new)" or "120 lines, baseline 4.5 per poll". */
function rate(f: WatchFinding): string {
  const lines = `${f.count} ${f.count === 1 ? 'line' : 'lines'}`;
  return f.baseline > 0 ? `${lines}, baseline ${f.baseline.toFixed(1)} per poll` : `${lines} (new)`;
}

/**
 * The log watch's findings: new error templates and template surges raised
 * from the watched pods' logs before any alert fires. Explain sends the
 * finding's synthetic alert to POST /explain like any alert.
 */
export function Watch() {
  const [namespace, setNamespace] = useState('');
  const [since, setSince] = useState('24h');
  const [explaining, setExplaining] = useState<AlertContext>();
  const ns = namespace.trim();
  const [list, reload] = useAsync(
    () => api.watchFindings({ namespace: ns || undefined, since, limit: LIMIT }),
    JSON.stringify([ns, since])
  );
  const page = list.value;
  const items = page?.items ?? [];

  return (
    <PluginPage>
      <Stack direction="column" gap={2}>
        <Text color="secondary">
          Findings of the log watch: new error messages and message surges in the watched pods&apos; logs, raised before
          an alert fires. Explain one to find its cause now.
        </Text>
        <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
          <Field label="Namespace" noMargin>
            <Input
              id="aiops-watch-namespace"
              value={namespace}
              placeholder="all watched"
              onChange={(e) => setNamespace(e.currentTarget.value)}
            />
          </Field>
          <Field label="Since" noMargin>
            <Combobox
              id="aiops-watch-since"
              options={SINCE_OPTIONS}
              value={since}
              onChange={(o: SelectableValue<string> | null) => setSince(o?.value ?? '24h')}
              width={20}
            />
          </Field>
          <Button icon="sync" variant="secondary" onClick={reload}>
            Refresh
          </Button>
        </Stack>
        {page && !page.enabled && (
          <Alert severity="info" title="The log watch is off">
            Turn it on in the app&apos;s configuration, under Kubernetes: Watch logs, with the namespaces to watch.
            Findings raised before it was turned off are still listed.
          </Alert>
        )}
        {page?.enabled && <Text color="secondary">Watching {page.namespaces.join(', ') || 'no namespace'}.</Text>}
        {list.status === 'error' && (
          <ErrorAlert title="Could not load log watch findings" error={list.error} onRetry={reload} />
        )}
        {list.status === 'loading' && !page && <LoadingPlaceholder text="Loading log watch findings…" />}
        {list.status === 'done' && items.length === 0 && (
          <EmptyState variant="not-found" message="No log watch findings">
            Nothing new or surging in the watched logs over this time. Widen the time or clear the namespace.
          </EmptyState>
        )}
        {items.length > 0 && (
          <table className="filter-table" aria-label="Log watch findings">
            <thead>
              <tr>
                <th>Raised</th>
                <th>Kind</th>
                <th>Workload</th>
                <th>Pod / container</th>
                <th>Message template</th>
                <th>Lines</th>
                <th>
                  <span className="sr-only">Explain</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id}>
                  <td>{formatTime(f.at)}</td>
                  <td>
                    <Badge
                      color={f.kind === 'NewErrorTemplate' ? 'red' : 'orange'}
                      text={KIND_TEXT[f.kind] ?? f.kind}
                    />
                  </td>
                  <td>
                    {f.namespace}/{f.workload}
                  </td>
                  <td>
                    {f.pod} / {f.container}
                  </td>
                  <td>
                    <code>{f.template}</code>
                    {f.example && (
                      <div>
                        <Text color="secondary" variant="bodySmall">
                          e.g. {f.example}
                        </Text>
                      </div>
                    )}
                  </td>
                  <td>{rate(f)}</td>
                  <td>
                    <Button
                      size="sm"
                      icon="ai-sparkle"
                      aria-label={`Explain ${f.kind} in ${f.pod}`}
                      onClick={() => setExplaining(f.alert)}
                    >
                      Explain
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Stack>
      {explaining && <ExplainDrawer alert={explaining} source="Log watch" onClose={() => setExplaining(undefined)} />}
    </PluginPage>
  );
}
