import { AppSettings, SecretKey, SecureSettings } from '../../settings';

/** What the config sections edit: plain settings, new secret values and which secrets are stored. */
export interface ConfigState {
  jsonData: AppSettings;
  secureJsonData: SecureSettings;
  secureJsonFields: Partial<Record<SecretKey, boolean>>;
}

export interface SectionProps {
  state: ConfigState;
  /** Merges a change into one top-level jsonData key. */
  update: <K extends keyof AppSettings>(key: K, value: AppSettings[K]) => void;
  setSecret: (key: SecretKey, value: string) => void;
  resetSecret: (key: SecretKey) => void;
}

/** "Name: value" lines to a header map; blank and malformed lines are skipped. */
export function parseHeaderLines(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) {
      continue;
    }
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (name) {
      headers[name] = value;
    }
  }
  return headers;
}

export function formatHeaderLines(headers?: Record<string, string>): string {
  return Object.entries(headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** A number input's value, or undefined when empty or not a number. */
export function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
