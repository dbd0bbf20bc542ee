import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Badge, Stack, Text, useStyles2 } from '@grafana/ui';

import { PLUGIN_BASE_URL, ROUTES } from '../../constants';
import { AlertGroup } from '../../types';

/** The history page filtered to one alert group. */
export function groupHistoryUrl(groupId: string): string {
  return `${PLUGIN_BASE_URL}/${ROUTES.History}?group=${encodeURIComponent(groupId)}`;
}

function explanationUrl(id: string): string {
  return `${PLUGIN_BASE_URL}/${ROUTES.History}/${encodeURIComponent(id)}`;
}

interface Props {
  group: AlertGroup;
  /** The explanation showing the group: alerts it explains need no link to it. */
  explanationId?: string;
}

/**
 * The alerts that came with this one, marked by whether this explanation's cause is theirs.
 * Links are plain anchors (Grafana routes in-app anchors itself), so the view needs no router:
 * it also renders in extension drawers.
 */
export function AlertGroupView({ group, explanationId }: Props) {
  const styles = useStyles2(getStyles);
  const alerts = group.alerts ?? [];
  if (alerts.length === 0) {
    return null;
  }
  const sharing = alerts.filter((a) => a.sharesCause).length;
  return (
    <section aria-labelledby="aiops-alert-group">
      <Text element="h3" id="aiops-alert-group">
        Alert group
      </Text>
      <Stack direction="row" gap={1} wrap="wrap" alignItems="baseline">
        <Text color="secondary">
          {sharing} of {alerts.length} alerts share this cause.
        </Text>
        <a className={styles.link} href={groupHistoryUrl(group.id)}>
          All explanations of this group
        </a>
      </Stack>
      <ul className={styles.list} aria-label="Alerts of the group">
        {alerts.map((a, i) => (
          <li key={`${a.fingerprint}-${i}`} className={styles.item}>
            <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
              <Badge
                color={a.sharesCause ? 'green' : 'blue'}
                icon={a.sharesCause ? 'check' : 'minus'}
                text={a.sharesCause ? 'Shares this cause' : 'Other cause'}
              />
              <strong>{a.name || a.fingerprint}</strong>
              {a.labels && (
                <Text variant="bodySmall" color="secondary">
                  {a.labels}
                </Text>
              )}
            </Stack>
            {a.reason && (
              <Text element="p" variant="bodySmall">
                {a.reason}
              </Text>
            )}
            {a.explanationId && a.explanationId !== explanationId && (
              <a className={styles.link} href={explanationUrl(a.explanationId)}>
                Its explanation
              </a>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', margin: theme.spacing(1, 0, 0), padding: 0 }),
  link: css({ color: theme.colors.text.link, fontSize: theme.typography.bodySmall.fontSize }),
  item: css({ padding: theme.spacing(1, 0), borderBottom: `1px solid ${theme.colors.border.weak}` }),
});
