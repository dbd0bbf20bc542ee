import { Button, Field, IconButton, Input, Stack, Text } from '@grafana/ui';
import { useState } from 'react';

import { ModelSettings } from '../../settings';
import { numberOrUndefined, SectionProps } from './state';

interface Row extends ModelSettings {
  model: string;
}

const PRICED_COLUMNS: Array<{ key: keyof ModelSettings; label: string; width: number; placeholder: string }> = [
  { key: 'contextWindow', label: 'context window', width: 16, placeholder: 'context' },
  { key: 'inputPerMTok', label: 'input price', width: 14, placeholder: '$ in / M' },
  { key: 'outputPerMTok', label: 'output price', width: 14, placeholder: '$ out / M' },
];

function rowsOf(models?: Record<string, ModelSettings>): Row[] {
  return Object.entries(models ?? {}).map(([model, m]) => ({ model, ...m }));
}

/** Rows with a model name become the saved map; a row without one is still being typed. */
function modelsOf(rows: Row[]): Record<string, ModelSettings> {
  const out: Record<string, ModelSettings> = {};
  for (const { model, ...m } of rows) {
    if (model.trim()) {
      out[model.trim()] = m;
    }
  }
  return out;
}

/**
 * The model table knows the context window and prices of common models; a
 * model it does not know (a fine-tune, a gateway alias, a local model) is
 * budgeted with a small window and counted as unpriced until set here.
 */
export function ModelsSection({ state, update }: SectionProps) {
  const [rows, setRows] = useState<Row[]>(rowsOf(state.jsonData.models));
  const change = (next: Row[]) => {
    setRows(next);
    update('models', modelsOf(next));
  };
  const set = (i: number, patch: Partial<Row>) => change(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Field
      label="Models the table does not know"
      description="Context window (tokens) and price in USD per million input and output tokens, for budgets and the usage page"
    >
      <Stack direction="column" gap={1}>
        {rows.map((row, i) => (
          <Stack key={i} direction="row" gap={1} alignItems="center">
            <Input
              aria-label={`Model ${i + 1} name`}
              width={30}
              placeholder="model id"
              value={row.model}
              onChange={(e) => set(i, { model: e.currentTarget.value })}
            />
            {PRICED_COLUMNS.map((c) => (
              <Input
                key={c.key}
                aria-label={`Model ${i + 1} ${c.label}`}
                type="number"
                width={c.width}
                placeholder={c.placeholder}
                value={row[c.key] ?? ''}
                onChange={(e) => set(i, { [c.key]: numberOrUndefined(e.currentTarget.value) })}
              />
            ))}
            <IconButton
              name="trash-alt"
              tooltip={`Remove model ${i + 1}`}
              onClick={() => change(rows.filter((_, j) => j !== i))}
            />
          </Stack>
        ))}
        {rows.length === 0 && (
          <Text variant="bodySmall" color="secondary">
            None: every model in use is in the built-in table.
          </Text>
        )}
        <div>
          <Button variant="secondary" size="sm" icon="plus" onClick={() => change([...rows, { model: '' }])}>
            Add model
          </Button>
        </div>
      </Stack>
    </Field>
  );
}
