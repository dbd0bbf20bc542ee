import { useMemo, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Badge, BadgeColor, Combobox, EmptyState, Field, LoadingPlaceholder, Stack, Text } from '@grafana/ui';

import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { Budget } from '../types';
import { formatNumber, formatTime, formatUSD } from '../utils/format';
import { useAsync } from '../utils/useAsync';
import { aggregateUsage, budgetShare, UsageRow } from './usageMath';

const RANGES = [
  { label: 'Last 7 days', value: '7' },
  { label: 'Last 30 days', value: '30' },
  { label: 'Last 90 days', value: '90' },
];

/** Midnight UTC `daysAgo` days back, as RFC3339 (what GET /usage accepts). */
function startOfDay(daysAgo: number): string {
  const d = new Date(Date.now() - daysAgo * 86400_000);
  d.setUTCHours(0, 0, 0, 0);
  return d.toISOString();
}

function budgetState(share?: number): { color: BadgeColor; text: string } {
  if (share === undefined) {
    return { color: 'blue', text: 'No limit' };
  }
  if (share >= 1) {
    return { color: 'red', text: 'Budget exhausted' };
  }
  if (share >= 0.8) {
    return { color: 'orange', text: 'Near the limit' };
  }
  return { color: 'green', text: 'Within budget' };
}

function BudgetSummary({ budget }: { budget: Budget }) {
  const tokenShare = budgetShare(budget.usedTokens, budget.dailyTokens);
  const costShare = budgetShare(budget.usedCostUSD, budget.dailyCostUSD);
  const worst = Math.max(tokenShare ?? -1, costShare ?? -1);
  const state = budgetState(worst < 0 ? undefined : worst);
  const pct = (share?: number) => (share === undefined ? '' : ` (${Math.round(share * 100)}%)`);
  return (
    <section aria-label="Today's budget">
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
        <Text element="h3">Today</Text>
        <Badge
          color={state.color}
          text={state.text}
          icon={state.color === 'green' ? 'check' : 'exclamation-triangle'}
        />
        <Text>
          Tokens {formatNumber(budget.usedTokens)} of{' '}
          {budget.dailyTokens ? formatNumber(budget.dailyTokens) : 'unlimited'}
          {pct(tokenShare)}
        </Text>
        <Text>
          Cost {formatUSD(budget.usedCostUSD)} of {budget.dailyCostUSD ? formatUSD(budget.dailyCostUSD) : 'unlimited'}
          {pct(costShare)}
        </Text>
        {formatTime(budget.resetsAt) && <Text color="secondary">resets {formatTime(budget.resetsAt)}</Text>}
      </Stack>
    </section>
  );
}

function UsageTable({
  title,
  keyLabel,
  rows,
  dailyCost,
}: {
  title: string;
  keyLabel: string;
  rows: UsageRow[];
  dailyCost?: number;
}) {
  return (
    <section aria-label={title}>
      <Text element="h3">{title}</Text>
      <table className="filter-table" aria-label={title}>
        <thead>
          <tr>
            <th>{keyLabel}</th>
            <th>Requests</th>
            <th>Cache hits</th>
            <th>Tokens</th>
            <th>Cost</th>
            {dailyCost ? <th>Of daily budget</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{r.key}</td>
              <td>{formatNumber(r.requests)}</td>
              <td>{formatNumber(r.cacheHits)}</td>
              <td>{formatNumber(r.tokens)}</td>
              <td>{formatUSD(r.costUSD)}</td>
              {dailyCost ? <td>{Math.round((r.costUSD / dailyCost) * 100)}%</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Usage() {
  const [range, setRange] = useState('30');
  const [usage, reload] = useAsync(() => api.usage(startOfDay(Number(range) - 1), new Date().toISOString()), range);
  const days = useMemo(() => usage.value?.days ?? [], [usage.value]);
  const byModel = useMemo(
    () =>
      aggregateUsage(days, (d) => `${d.provider}${d.model ? ` / ${d.model}` : ''}`).sort(
        (a, b) => b.costUSD - a.costUSD
      ),
    [days]
  );
  const byDay = useMemo(() => aggregateUsage(days, (d) => d.day).sort((a, b) => b.key.localeCompare(a.key)), [days]);
  const byUser = useMemo(
    () => aggregateUsage(days, (d) => d.user || '(background)').sort((a, b) => b.costUSD - a.costUSD),
    [days]
  );
  const total = byModel.reduce((sum, r) => sum + r.costUSD, 0);

  return (
    <PluginPage>
      <Stack direction="column" gap={3}>
        <Stack direction="row" gap={2} alignItems="flex-end">
          <Field label="Range" noMargin>
            <Combobox
              id="aiops-usage-range"
              options={RANGES}
              value={range}
              onChange={(o) => o && setRange(o.value)}
              width={20}
            />
          </Field>
          {usage.status === 'done' && <Text>Total {formatUSD(total)} over the range</Text>}
        </Stack>
        {usage.status === 'error' && (
          <ErrorAlert title="Could not load AI usage" error={usage.error} onRetry={reload} />
        )}
        {usage.status === 'loading' && !usage.value && <LoadingPlaceholder text="Loading AI usage…" />}
        {usage.value?.budget && <BudgetSummary budget={usage.value.budget} />}
        {usage.status === 'done' && days.length === 0 && (
          <EmptyState variant="not-found" message="No AI usage in this range">
            Explanations by the offline provider cost nothing and are not listed. Configure a model provider on the
            configuration page to use one.
          </EmptyState>
        )}
        {byModel.length > 0 && <UsageTable title="By provider and model" keyLabel="Provider / model" rows={byModel} />}
        {byUser.length > 0 && <UsageTable title="By user" keyLabel="User" rows={byUser} />}
        {byDay.length > 0 && (
          <UsageTable title="By day" keyLabel="Day" rows={byDay} dailyCost={usage.value?.budget?.dailyCostUSD} />
        )}
      </Stack>
    </PluginPage>
  );
}
