import { Drawer, Stack, TagList } from '@grafana/ui';

import { AlertContext } from '../../types';
import { ExplainPanel } from './ExplainPanel';

interface Props {
  alert: AlertContext;
  /** Where the user clicked Explain, shown under the title. */
  source?: string;
  onClose: () => void;
}

const SHOWN_LABELS = ['namespace', 'pod', 'deployment', 'service', 'container', 'severity', 'job', 'node'];

/** The Explain drawer: opens over the current page and explains one alert. */
export function ExplainDrawer({ alert, source, onClose }: Props) {
  const name = alert.labels?.alertname || 'alert';
  const tags = SHOWN_LABELS.filter((key) => alert.labels?.[key]).map((key) => `${key}=${alert.labels[key]}`);
  return (
    <Drawer
      title={`Explain: ${name}`}
      subtitle={
        <Stack direction="column" gap={0.5}>
          {source && <span>From {source}</span>}
          {tags.length > 0 && <TagList tags={tags} />}
        </Stack>
      }
      size="md"
      onClose={onClose}
    >
      <ExplainPanel alert={alert} />
    </Drawer>
  );
}
