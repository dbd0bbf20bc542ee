import { useState } from 'react';
import { SelectableValue } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import {
  Badge,
  Button,
  Combobox,
  ComboboxOption,
  EmptyState,
  Field,
  Input,
  LoadingPlaceholder,
  Pagination,
  Stack,
  Text,
} from '@grafana/ui';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';

import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { groupHistoryUrl } from '../components/explanation/AlertGroupView';
import { ExplanationView } from '../components/explanation/ExplanationView';
import { PLUGIN_BASE_URL, ROUTES } from '../constants';
import { CATEGORIES, Explanation, ExplanationFilter, GroupMember } from '../types';
import { formatEntity, formatTime, formatUSD } from '../utils/format';
import { useAsync } from '../utils/useAsync';

const PAGE_SIZE = 20;

const SINCE_OPTIONS: Array<ComboboxOption<string>> = [
  { label: 'Last hour', value: '1h' },
  { label: 'Last 24 hours', value: '24h' },
  { label: 'Last 7 days', value: '168h' },
  { label: 'Last 30 days', value: '720h' },
  { label: 'All time', value: '' },
];

const CATEGORY_OPTIONS: Array<ComboboxOption<string>> = [
  { label: 'All categories', value: '' },
  ...CATEGORIES.map((c) => ({ label: c, value: c })),
];

/** The `since` filter as an RFC3339 time, so the backend needs no duration parser. */
function sinceTime(duration: string): string | undefined {
  const hours = Number(duration.replace('h', ''));
  if (!duration || !Number.isFinite(hours)) {
    return undefined;
  }
  return new Date(Date.now() - hours * 3600_000).toISOString();
}

/** "2 of 3 alerts": how many alerts of its group an explanation explains. */
function groupLabel(alerts: GroupMember[] = []): string {
  const sharing = alerts.filter((a) => a.sharesCause).length;
  return `${sharing} of ${alerts.length} alerts`;
}

export function History() {
  const { id } = useParams<{ id?: string }>();
  return <PluginPage>{id ? <HistoryDetail id={id} /> : <HistoryList />}</PluginPage>;
}

function HistoryList() {
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const group = searchParams.get('group') ?? '';
  const [alertname, setAlertname] = useState('');
  const [namespace, setNamespace] = useState('');
  const [category, setCategory] = useState('');
  const [since, setSince] = useState('168h');
  const [page, setPage] = useState(1);
  const filter: ExplanationFilter = {
    alertname: alertname.trim() || undefined,
    namespace: namespace.trim() || undefined,
    category: category || undefined,
    group: group || undefined,
    // A group is one incident: show all of it, however old.
    since: group ? undefined : sinceTime(since),
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const [list, reload] = useAsync(
    () => api.listExplanations(filter),
    JSON.stringify([filter.alertname, filter.namespace, filter.category, group, since, page])
  );
  const items = list.value?.items ?? [];
  const total = list.value?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const resetPage =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  return (
    <Stack direction="column" gap={2}>
      <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
        <Field label="Alert name" noMargin>
          <Input
            id="aiops-history-alertname"
            value={alertname}
            placeholder="KubePodCrashLooping"
            onChange={(e) => resetPage(setAlertname)(e.currentTarget.value)}
          />
        </Field>
        <Field label="Namespace" noMargin>
          <Input
            id="aiops-history-namespace"
            value={namespace}
            placeholder="shop"
            onChange={(e) => resetPage(setNamespace)(e.currentTarget.value)}
          />
        </Field>
        <Field label="Category" noMargin>
          <Combobox
            id="aiops-history-category"
            options={CATEGORY_OPTIONS}
            value={category}
            onChange={(o: SelectableValue<string> | null) => resetPage(setCategory)(o?.value ?? '')}
            width={24}
          />
        </Field>
        <Field label="Since" noMargin>
          <Combobox
            id="aiops-history-since"
            options={SINCE_OPTIONS}
            value={since}
            onChange={(o: SelectableValue<string> | null) => resetPage(setSince)(o?.value ?? '')}
            width={20}
          />
        </Field>
        {group && (
          <Field label="Alert group" noMargin>
            <Button
              icon="times"
              variant="secondary"
              aria-label="Show all explanations, not only this alert group"
              onClick={() => {
                setSearchParams({});
                setPage(1);
              }}
            >
              {group}
            </Button>
          </Field>
        )}
      </Stack>
      {list.status === 'error' && (
        <ErrorAlert title="Could not load explanations" error={list.error} onRetry={reload} />
      )}
      {list.status === 'loading' && !list.value && <LoadingPlaceholder text="Loading explanations…" />}
      {list.status === 'done' && items.length === 0 && (
        <EmptyState variant="not-found" message="No explanations match">
          Change the filters, or explain a firing alert from the Incidents page or an alert&apos;s Explain action.
        </EmptyState>
      )}
      {items.length > 0 && (
        <table className="filter-table" aria-label="Explanations">
          <thead>
            <tr>
              <th>Created</th>
              <th>Alert</th>
              <th>Category</th>
              <th>Entity</th>
              <th>Summary</th>
              <th>Group</th>
              <th>Provider</th>
              <th>Cost</th>
              <th>
                <span className="sr-only">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((ex) => (
              <tr key={ex.id}>
                <td>{formatTime(ex.createdAt)}</td>
                <td>{ex.alert?.labels?.alertname ?? ''}</td>
                <td>
                  <Badge color="purple" text={String(ex.rootCause?.category ?? 'Unknown')} />
                </td>
                <td>{formatEntity(ex.rootCause?.entity)}</td>
                <td>{ex.summary}</td>
                <td>
                  {ex.group && (
                    <Button
                      size="sm"
                      variant="secondary"
                      fill="text"
                      aria-label={`Show the alert group of ${ex.id}`}
                      onClick={() => {
                        if (ex.group) {
                          navigate(groupHistoryUrl(ex.group.id));
                        }
                        setPage(1);
                      }}
                    >
                      {groupLabel(ex.group.alerts)}
                    </Button>
                  )}
                </td>
                <td>{[ex.provider?.name, ex.provider?.model].filter(Boolean).join(' / ')}</td>
                <td>{formatUSD(ex.usage?.costUSD)}</td>
                <td>
                  <Button
                    size="sm"
                    variant="secondary"
                    aria-label={`Open explanation ${ex.id}`}
                    onClick={() => navigate(`${PLUGIN_BASE_URL}/${ROUTES.History}/${encodeURIComponent(ex.id)}`)}
                  >
                    Open
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && <Pagination currentPage={page} numberOfPages={pages} onNavigate={setPage} />}
      <Text variant="bodySmall" color="secondary">
        {total} explanation{total === 1 ? '' : 's'}
      </Text>
    </Stack>
  );
}

function HistoryDetail({ id }: { id: string }) {
  const navigate = useNavigate();
  const [detail, reload] = useAsync<Explanation>(() => api.getExplanation(id), id);
  return (
    <Stack direction="column" gap={2}>
      <div>
        <Button icon="arrow-left" variant="secondary" onClick={() => navigate(`${PLUGIN_BASE_URL}/${ROUTES.History}`)}>
          Back to history
        </Button>
      </div>
      {detail.status === 'loading' && <LoadingPlaceholder text="Loading explanation…" />}
      {detail.status === 'error' && (
        <ErrorAlert title={`Could not load explanation ${id}`} error={detail.error} onRetry={reload} />
      )}
      {detail.status === 'done' && <ExplanationView explanation={detail.value} />}
    </Stack>
  );
}
