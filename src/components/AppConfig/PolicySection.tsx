import { Combobox, Field, FieldSet, Input, Switch, Text } from '@grafana/ui';

import { DEFAULTS } from '../../settings';
import { SecretField } from './SecretField';
import { numberOrUndefined, SectionProps } from './state';

const ROLES = [
  { label: 'Viewer', value: 'Viewer' as const },
  { label: 'Editor', value: 'Editor' as const },
];

export function RedactionSection({ state, update }: SectionProps) {
  const redaction = state.jsonData.redaction ?? {};
  return (
    <FieldSet label="Redaction">
      <Text color="secondary" element="p">
        Tokens, passwords, keys and connection strings are always removed before anything is sent to a model.
      </Text>
      <Field label="Redact e-mail addresses">
        <Switch
          id="aiops-redact-emails"
          value={Boolean(redaction.emails)}
          onChange={(e) => update('redaction', { ...redaction, emails: e.currentTarget.checked })}
        />
      </Field>
      <Field label="Redact IP addresses">
        <Switch
          id="aiops-redact-ips"
          value={Boolean(redaction.ips)}
          onChange={(e) => update('redaction', { ...redaction, ips: e.currentTarget.checked })}
        />
      </Field>
    </FieldSet>
  );
}

export function BudgetSection({ state, update }: SectionProps) {
  const budgets = state.jsonData.budgets ?? {};
  return (
    <FieldSet label="Budgets">
      <Text color="secondary" element="p">
        Zero or empty means unlimited. When a budget is spent, explanations fall back to the offline analyzers.
      </Text>
      <Field label="Daily tokens">
        <Input
          id="aiops-budget-tokens"
          type="number"
          min={0}
          width={20}
          value={budgets.dailyTokens ?? ''}
          onChange={(e) => update('budgets', { ...budgets, dailyTokens: numberOrUndefined(e.currentTarget.value) })}
        />
      </Field>
      <Field label="Daily cost (USD)">
        <Input
          id="aiops-budget-cost"
          type="number"
          min={0}
          step={0.01}
          width={20}
          value={budgets.dailyCostUSD ?? ''}
          onChange={(e) => update('budgets', { ...budgets, dailyCostUSD: numberOrUndefined(e.currentTarget.value) })}
        />
      </Field>
      <Field label="Explanations per user per minute">
        <Input
          id="aiops-budget-rate"
          type="number"
          min={0}
          width={20}
          value={budgets.perUserPerMinute ?? ''}
          onChange={(e) =>
            update('budgets', { ...budgets, perUserPerMinute: numberOrUndefined(e.currentTarget.value) })
          }
        />
      </Field>
    </FieldSet>
  );
}

export function AccessSection(props: SectionProps) {
  const { state, update } = props;
  const data = state.jsonData;
  return (
    <FieldSet label="Access, cache and history">
      <Field label="Minimum role to explain">
        <Combobox
          id="aiops-min-role"
          width={20}
          options={ROLES}
          value={data.minRoleExplain ?? DEFAULTS.minRoleExplain}
          onChange={(o) => o && update('minRoleExplain', o.value)}
        />
      </Field>
      <Field label="Cache explanations for" description="A Go duration such as 15m or 1h; 0s disables the cache">
        <Input
          id="aiops-cache-ttl"
          width={20}
          value={data.cacheTTL ?? ''}
          placeholder={DEFAULTS.cacheTTL}
          onChange={(e) => update('cacheTTL', e.currentTarget.value || undefined)}
        />
      </Field>
      <Field
        label="Give up on the model after"
        description="A Go duration from 20s to 10m. A model that has not answered by then is abandoned and the analyzers' answer is shown, naming the model as failed"
      >
        <Input
          id="aiops-explain-timeout"
          width={20}
          value={data.explainTimeout ?? ''}
          placeholder={DEFAULTS.explainTimeout}
          onChange={(e) => update('explainTimeout', e.currentTarget.value || undefined)}
        />
      </Field>
      <Field label="Keep history for (days)">
        <Input
          id="aiops-history-days"
          type="number"
          min={1}
          width={20}
          value={data.historyRetentionDays ?? ''}
          placeholder={String(DEFAULTS.historyRetentionDays)}
          onChange={(e) => update('historyRetentionDays', numberOrUndefined(e.currentTarget.value))}
        />
      </Field>
      <Field label="Keep at most (explanations)">
        <Input
          id="aiops-history-max"
          type="number"
          min={1}
          width={20}
          value={data.historyMaxCount ?? ''}
          placeholder={String(DEFAULTS.historyMaxCount)}
          onChange={(e) => update('historyMaxCount', numberOrUndefined(e.currentTarget.value))}
        />
      </Field>
      <SecretField
        {...props}
        secret="webhookSecret"
        label="Webhook secret"
        description="Alertmanager or Grafana contact points send it as a bearer token to the webhook route"
      />
    </FieldSet>
  );
}

/** Pricing overrides of the cost allocation and of what an incident cost. */
export function FinOpsSection({ state, update }: SectionProps) {
  const finops = state.jsonData.finops ?? {};
  const rate = (
    label: string,
    id: string,
    key: 'cpuPerCoreHour' | 'ramPerGiBHour' | 'spotDiscount',
    placeholder: string,
    step: number
  ) => (
    <Field label={label}>
      <Input
        id={id}
        type="number"
        min={0}
        step={step}
        width={20}
        placeholder={placeholder}
        value={finops[key] ?? ''}
        onChange={(e) => update('finops', { ...finops, [key]: numberOrUndefined(e.currentTarget.value) })}
      />
    </Field>
  );
  return (
    <FieldSet label="FinOps pricing">
      <Text color="secondary" element="p">
        Empty fields keep OpenCost&apos;s custom pricing and the built-in EKS on-demand table. Per-instance-type prices
        are set in provisioning (finops.instanceTypes, docs/finops.md).
      </Text>
      {rate('CPU per core-hour (USD)', 'aiops-finops-cpu', 'cpuPerCoreHour', '0.031611', 0.000001)}
      {rate('Memory per GiB-hour (USD)', 'aiops-finops-ram', 'ramPerGiBHour', '0.004237', 0.000001)}
      {rate('Spot discount (0 to 1)', 'aiops-finops-spot', 'spotDiscount', '0.7', 0.01)}
      <Field label="Default region" description="For nodes whose labels name no region">
        <Input
          id="aiops-finops-region"
          width={20}
          placeholder="us-east-1"
          value={finops.region ?? ''}
          onChange={(e) => update('finops', { ...finops, region: e.currentTarget.value || undefined })}
        />
      </Field>
      <Field
        label="Custom rates only"
        description="Ignore the EKS price table: every node is priced at the rates above"
      >
        <Switch
          id="aiops-finops-custom-only"
          value={finops.customOnly ?? false}
          onChange={(e) => update('finops', { ...finops, customOnly: e.currentTarget.checked || undefined })}
        />
      </Field>
    </FieldSet>
  );
}
