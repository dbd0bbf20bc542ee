import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Badge, ControlledCollapse, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import { Evidence } from '../../types';
import { formatEntity, formatTime } from '../../utils/format';
import { MetricSparkline } from './MetricSparkline';
import { exploreTraceUrl, useTraceDatasource } from './traceExplore';

const GROUPS: ReadonlyArray<{ kind: string; title: string }> = [
  { kind: 'log_template', title: 'Log templates' },
  { kind: 'event', title: 'Kubernetes events' },
  { kind: 'rollout', title: 'Rollouts' },
  { kind: 'metric', title: 'Metrics' },
  { kind: 'trace', title: 'Traces' },
  { kind: 'pod_status', title: 'Pod status' },
  { kind: 'node', title: 'Nodes' },
];

interface Props {
  evidence: Evidence[];
}

/** Evidence grouped by kind, log templates and events first as responders read them first. */
export function EvidenceGroups({ evidence }: Props) {
  const styles = useStyles2(getStyles);
  const traceDatasource = useTraceDatasource(evidence);
  const known = new Set(GROUPS.map((g) => g.kind));
  const groups = [
    ...GROUPS.map((g) => ({ ...g, items: evidence.filter((e) => e.kind === g.kind) })),
    { kind: 'other', title: 'Other evidence', items: evidence.filter((e) => !known.has(e.kind)) },
  ].filter((g) => g.items.length > 0);

  return (
    <section aria-labelledby="aiops-evidence">
      <Text element="h4" id="aiops-evidence">
        Evidence ({evidence.length})
      </Text>
      {groups.length === 0 && (
        <Text color="secondary" italic>
          No evidence was collected. Check the degraded sources above and the app configuration.
        </Text>
      )}
      {groups.map((group) => (
        <ControlledCollapse
          key={group.kind}
          label={`${group.title} (${group.items.length})`}
          isOpen={['log_template', 'event', 'metric', 'trace'].includes(group.kind)}
        >
          <ul className={styles.list} aria-label={group.title}>
            {group.items.map((item) => (
              <li key={item.id} className={styles.item} data-testid={`evidence-${item.kind}`}>
                <EvidenceItem item={item} traceDatasource={traceDatasource} />
              </li>
            ))}
          </ul>
        </ControlledCollapse>
      ))}
    </section>
  );
}

function EvidenceItem({ item, traceDatasource }: { item: Evidence; traceDatasource?: string }) {
  const styles = useStyles2(getStyles);
  const seen = [formatTime(item.firstSeen), formatTime(item.lastSeen)].filter(Boolean);
  return (
    <Stack direction="column" gap={0.5}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        <Text variant="bodySmall" color="secondary">
          {item.id}
        </Text>
        {item.count !== undefined && item.count > 0 && <Badge color="blue" text={`×${item.count}`} />}
        {item.entity && (
          <Text variant="bodySmall" color="secondary">
            {formatEntity(item.entity)}
          </Text>
        )}
      </Stack>
      {item.kind === 'log_template' ? <code className={styles.code}>{item.text}</code> : <Text>{item.text}</Text>}
      {item.examples && item.examples.length > 0 && (
        <details>
          <summary>Example lines ({item.examples.length})</summary>
          <pre className={styles.pre}>{item.examples.join('\n')}</pre>
        </details>
      )}
      {item.values && item.values.length > 1 && <MetricSparkline values={item.values} label={item.text} />}
      {item.traceIds && item.traceIds.length > 0 && (
        <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
          <Text variant="bodySmall" color="secondary">
            Traces:
          </Text>
          {item.traceIds.map((id) =>
            traceDatasource ? (
              <TextLink key={id} href={exploreTraceUrl(traceDatasource, id, item)} variant="bodySmall" external>
                {id}
              </TextLink>
            ) : (
              <code key={id} className={styles.code}>
                {id}
              </code>
            )
          )}
        </Stack>
      )}
      {seen.length > 0 && (
        <Text variant="bodySmall" color="secondary">
          {seen.length === 2 ? `first ${seen[0]}, last ${seen[1]}` : seen[0]}
        </Text>
      )}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', padding: 0, margin: 0 }),
  item: css({ padding: theme.spacing(1, 0), borderBottom: `1px solid ${theme.colors.border.weak}` }),
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    wordBreak: 'break-all',
  }),
  pre: css({
    fontSize: theme.typography.bodySmall.fontSize,
    maxHeight: 200,
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  }),
});
