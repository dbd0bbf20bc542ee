import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Combobox, InlineField, Input, RadioButtonGroup, Stack } from '@grafana/ui';

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
};

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
              value={query.groupBy ?? spec.groupBy[0]}
              onChange={(value) => change({ groupBy: value }, true)}
            />
          </InlineField>
        )}
      </Stack>
    </Stack>
  );
}
