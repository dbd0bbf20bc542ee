import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Combobox, InlineField, InlineSwitch, Input, RadioButtonGroup, Stack } from '@grafana/ui';

import { CATEGORIES } from '../types';
import { DataSource } from './datasource';
import { AiopsDataSourceOptions, AiopsQuery, AiopsQueryType, QUERY_TYPES } from './types';

type Props = QueryEditorProps<DataSource, AiopsQuery, AiopsDataSourceOptions>;

const TYPE_OPTIONS = (Object.keys(QUERY_TYPES) as AiopsQueryType[]).map((value) => ({
  label: QUERY_TYPES[value].label,
  value,
  description: QUERY_TYPES[value].description,
}));

const CATEGORY_OPTIONS = [{ label: 'Any', value: '' }, ...CATEGORIES.map((c) => ({ label: c, value: c }))];

const TEXT_FIELDS: Partial<Record<keyof AiopsQuery, { label: string; placeholder: string; tooltip: string }>> = {
  namespace: {
    label: 'Namespace',
    placeholder: 'shop or $namespace',
    tooltip: 'Kubernetes namespace; template variables allowed',
  },
  selector: { label: 'Selector', placeholder: 'app=order', tooltip: 'Kubernetes label selector' },
  alertname: { label: 'Alert name', placeholder: 'KubePodCrashLooping', tooltip: 'Only explanations of this alert' },
  provider: { label: 'Provider', placeholder: 'openai', tooltip: 'Only this model provider' },
  model: { label: 'Model', placeholder: 'gpt-4o-mini', tooltip: 'Only this model' },
  user: { label: 'User', placeholder: 'ana', tooltip: 'Only the spend of this Grafana login' },
};

const LABEL_PREFIX = 'label:';

/** The group-by radio's value: a cost query's label:<name> shows as "label". */
function groupChoice(groupBy: string | undefined, first: string): string {
  if (groupBy?.startsWith(LABEL_PREFIX)) {
    return 'label';
  }
  return groupBy ?? first;
}

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? 'findings';
  const spec = QUERY_TYPES[queryType];
  const change = (patch: Partial<AiopsQuery>, run = false) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <InlineField label="Query type" labelWidth={14} tooltip={spec.description}>
        <RadioButtonGroup
          options={TYPE_OPTIONS}
          value={queryType}
          onChange={(value) => change({ queryType: value, groupBy: undefined }, true)}
        />
      </InlineField>
      <Stack direction="row" gap={1} wrap="wrap">
        {spec.fields.map((field) => {
          if (field === 'category') {
            return (
              <InlineField key={field} label="Category" labelWidth={14}>
                <Combobox
                  id="aiops-query-category"
                  width={24}
                  options={CATEGORY_OPTIONS}
                  value={query.category ?? ''}
                  onChange={(o: SelectableValue<string> | null) => change({ category: o?.value || undefined }, true)}
                />
              </InlineField>
            );
          }
          const text = TEXT_FIELDS[field];
          if (!text) {
            return null;
          }
          const id = `aiops-query-${field}`;
          return (
            <InlineField key={field} label={text.label} labelWidth={14} tooltip={text.tooltip} htmlFor={id}>
              <Input
                id={id}
                width={28}
                placeholder={text.placeholder}
                value={(query[field] as string | undefined) ?? ''}
                onChange={(e) => change({ [field]: e.currentTarget.value || undefined })}
                onBlur={onRunQuery}
              />
            </InlineField>
          );
        })}
        {spec.groupBy.length > 0 && (
          <InlineField label="Group by" labelWidth={14}>
            <RadioButtonGroup
              options={spec.groupBy.map((g) => ({ label: g, value: g }))}
              value={groupChoice(query.groupBy, spec.groupBy[0])}
              onChange={(value) => change({ groupBy: value === 'label' ? LABEL_PREFIX : value }, value !== 'label')}
            />
          </InlineField>
        )}
        {queryType === 'cost' && query.groupBy?.startsWith(LABEL_PREFIX) && (
          <InlineField
            label="Label"
            labelWidth={14}
            tooltip="Pod label (or the namespace's) to group by, e.g. team"
            htmlFor="aiops-query-label"
          >
            <Input
              id="aiops-query-label"
              width={20}
              placeholder="team"
              value={query.groupBy.slice(LABEL_PREFIX.length)}
              onChange={(e) => change({ groupBy: LABEL_PREFIX + e.currentTarget.value.trim() })}
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
        {queryType === 'ai_usage' && (
          <InlineField label="Metric" labelWidth={14}>
            <RadioButtonGroup
              options={[
                { label: 'Tokens', value: 'tokens' },
                { label: 'Cost', value: 'cost' },
              ]}
              value={query.metric ?? 'tokens'}
              onChange={(value) => change({ metric: value as AiopsQuery['metric'] }, true)}
            />
          </InlineField>
        )}
        {queryType === 'cost' && (
          <>
            <InlineField label="Form" labelWidth={14}>
              <RadioButtonGroup
                options={[
                  { label: 'Table', value: 'table' },
                  { label: 'Time series', value: 'timeseries' },
                ]}
                value={query.format ?? 'table'}
                onChange={(value) => change({ format: value as AiopsQuery['format'] }, true)}
                disabled={query.rightsizing}
              />
            </InlineField>
            <InlineField
              label="Right-sizing"
              labelWidth={14}
              tooltip="Recommended requests per workload and the monthly saving"
            >
              <InlineSwitch
                aria-label="Right-sizing"
                value={query.rightsizing ?? false}
                onChange={(e) => change({ rightsizing: e.currentTarget.checked || undefined }, true)}
              />
            </InlineField>
            {query.rightsizing && (
              <InlineField
                label="Profile"
                labelWidth={14}
                tooltip="Target utilisation: production 80%, development 65%"
              >
                <RadioButtonGroup
                  options={[
                    { label: 'production', value: 'production' },
                    { label: 'development', value: 'development' },
                  ]}
                  value={query.profile ?? 'production'}
                  onChange={(value) => change({ profile: value as AiopsQuery['profile'] }, true)}
                />
              </InlineField>
            )}
          </>
        )}
      </Stack>
    </Stack>
  );
}
