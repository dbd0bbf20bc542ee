import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Badge, Stack, Text, useStyles2 } from '@grafana/ui';

import { Finding } from '../../types';
import { formatEntity, formatPercent } from '../../utils/format';
import { severityBadge } from './severity';

interface Props {
  findings: Finding[];
}

export function Findings({ findings }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <section aria-labelledby="aiops-findings">
      <Text element="h4" id="aiops-findings">
        Findings ({findings.length})
      </Text>
      {findings.length === 0 ? (
        <Text color="secondary" italic>
          No analyzer found a problem in the collected evidence.
        </Text>
      ) : (
        <ul className={styles.list}>
          {findings.map((f) => {
            const severity = severityBadge(f.severity);
            return (
              <li key={f.id} className={styles.item}>
                <Stack direction="column" gap={0.5}>
                  <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
                    <Badge color={severity.color} icon={severity.icon} text={severity.text} />
                    <Text weight="medium">{f.title}</Text>
                  </Stack>
                  {f.detail && <Text color="secondary">{f.detail}</Text>}
                  <Text variant="bodySmall" color="secondary">
                    {[
                      f.category && `category ${f.category}`,
                      f.entity && formatEntity(f.entity),
                      f.analyzer && `analyzer ${f.analyzer}`,
                      f.confidence !== undefined && `confidence ${formatPercent(f.confidence)}`,
                      f.evidence?.length ? `evidence ${f.evidence.join(', ')}` : '',
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                </Stack>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', padding: 0, margin: 0 }),
  item: css({
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
});
