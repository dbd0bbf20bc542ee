import { UsageDay } from '../types';

export interface UsageRow {
  key: string;
  requests: number;
  cacheHits: number;
  tokens: number;
  costUSD: number;
}

/** Sums usage days by a key (provider/model, or day), most expensive first. */
export function aggregateUsage(days: UsageDay[], keyOf: (d: UsageDay) => string): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const d of days) {
    const key = keyOf(d);
    const row = rows.get(key) ?? { key, requests: 0, cacheHits: 0, tokens: 0, costUSD: 0 };
    row.requests += d.requests || 0;
    row.cacheHits += d.cacheHits || 0;
    row.tokens += (d.promptTokens || 0) + (d.completionTokens || 0);
    row.costUSD += d.costUSD || 0;
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** Share of a budget used, or undefined when the budget is unlimited (0). */
export function budgetShare(used: number, limit: number): number | undefined {
  if (!limit || limit <= 0) {
    return undefined;
  }
  return used / limit;
}
