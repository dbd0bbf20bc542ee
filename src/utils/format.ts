import { Entity } from '../types';

/** "Deployment shop/order-service", or "External api.stripe.com" for cluster-less entities. */
export function formatEntity(entity?: Entity): string {
  if (!entity || (!entity.kind && !entity.name)) {
    return 'unknown entity';
  }
  const name = entity.namespace ? `${entity.namespace}/${entity.name ?? ''}` : (entity.name ?? '');
  return entity.kind ? `${entity.kind} ${name}` : name;
}

export function formatPercent(value?: number): string {
  if (value === undefined || !Number.isFinite(value)) {
    return 'n/a';
  }
  return `${Math.round(Math.min(Math.max(value, 0), 1) * 100)}%`;
}

export function formatUSD(value?: number): string {
  if (value === undefined || !Number.isFinite(value)) {
    return '$0.00';
  }
  if (value > 0 && value < 0.01) {
    return `$${value.toFixed(4)}`;
  }
  return `$${value.toFixed(2)}`;
}

export function formatNumber(value?: number): string {
  if (value === undefined || !Number.isFinite(value)) {
    return '0';
  }
  return value.toLocaleString('en-US');
}

export function formatDuration(ms?: number): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return 'n/a';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A timestamp in UTC, or the raw text when it does not parse (never "Invalid Date"). */
export function formatTime(iso?: string): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() <= 1) {
    return '';
  }
  return `${date.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** Confidence bands named in words so colour is never the only signal. */
export function confidenceLabel(value?: number): 'high' | 'medium' | 'low' {
  const v = value ?? 0;
  if (v >= 0.75) {
    return 'high';
  }
  if (v >= 0.4) {
    return 'medium';
  }
  return 'low';
}
