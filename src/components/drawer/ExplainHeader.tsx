import { Stack, TagList } from '@grafana/ui';

import { AlertContext } from '../../types';

const SHOWN_LABELS = ['namespace', 'pod', 'deployment', 'service', 'container', 'severity', 'job', 'node'];

export function explainTitle(alert: AlertContext): string {
  return `Explain: ${alert.labels?.alertname || 'alert'}`;
}

/** Where Explain was clicked and the alert's identifying labels. */
export function ExplainHeader({ alert, source }: { alert: AlertContext; source?: string }) {
  const tags = SHOWN_LABELS.filter((key) => alert.labels?.[key]).map((key) => `${key}=${alert.labels[key]}`);
  return (
    <Stack direction="column" gap={0.5}>
      {source && <span>From {source}</span>}
      {tags.length > 0 && <TagList tags={tags} />}
    </Stack>
  );
}
