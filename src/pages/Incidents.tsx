import { css } from '@emotion/css';
import { useMemo, useState } from 'react';
import { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Badge, Button, Card, EmptyState, LoadingPlaceholder, Stack, TagList, Text, useStyles2 } from '@grafana/ui';

import { api } from '../api/client';
import { fetchFiringAlerts, groupAlerts } from '../api/grafanaAlerts';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExplainDrawer } from '../components/drawer/ExplainDrawer';
import { severityBadge } from '../components/explanation/severity';
import { AlertContext, Explanation } from '../types';
import { formatTime } from '../utils/format';
import { useAsync } from '../utils/useAsync';

const RECENT_EXPLANATIONS = 200;

/** Latest explanation per alert fingerprint, and per alertname+namespace as a fallback. */
function indexExplanations(items: Explanation[]): Map<string, Explanation> {
  const index = new Map<string, Explanation>();
  const newestFirst = [...items].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  for (const ex of newestFirst) {
    const keys = [
      ex.fingerprint || ex.alert?.fingerprint,
      `${ex.alert?.labels?.alertname ?? ''}\u0000${ex.alert?.labels?.namespace ?? ''}`,
    ];
    for (const key of keys) {
      if (key && !index.has(key)) {
        index.set(key, ex);
      }
    }
  }
  return index;
}

export function Incidents() {
  const styles = useStyles2(getStyles);
  const [alerts, reloadAlerts] = useAsync(fetchFiringAlerts, 'alerts');
  const [history, reloadHistory] = useAsync(() => api.listExplanations({ limit: RECENT_EXPLANATIONS }), 'recent');
  const [explaining, setExplaining] = useState<AlertContext>();

  const groups = useMemo(() => groupAlerts(alerts.value ?? []), [alerts.value]);
  const latest = useMemo(() => indexExplanations(history.value?.items ?? []), [history.value]);

  const latestFor = (alert: AlertContext) =>
    (alert.fingerprint && latest.get(alert.fingerprint)) ||
    latest.get(`${alert.labels.alertname ?? ''}\u0000${alert.labels.namespace ?? ''}`);

  return (
    <PluginPage>
      <Stack direction="column" gap={2}>
        <Stack direction="row" justifyContent="space-between" alignItems="center">
          <Text color="secondary">Firing alerts from Grafana Alerting, grouped by alert and namespace.</Text>
          <Button icon="sync" variant="secondary" onClick={reloadAlerts}>
            Refresh
          </Button>
        </Stack>
        {alerts.status === 'loading' && !alerts.value && <LoadingPlaceholder text="Loading firing alerts…" />}
        {alerts.status === 'error' && (
          <ErrorAlert title="Could not load firing alerts" error={alerts.error} onRetry={reloadAlerts} />
        )}
        {history.status === 'error' && (
          <ErrorAlert title="Could not load past explanations" error={history.error} onRetry={reloadHistory} />
        )}
        {alerts.status === 'done' && groups.length === 0 && (
          <EmptyState variant="completed" message="No firing alerts">
            Nothing is firing in Grafana Alerting right now. Explanations of past alerts are on the History page.
          </EmptyState>
        )}
        {groups.map((group) => {
          const severity = severityBadge(group.severity);
          return (
            <section key={group.key} className={styles.group} aria-label={`${group.alertname} ${group.namespace}`}>
              <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
                <Text element="h3">{group.alertname}</Text>
                {group.namespace && <Badge color="blue" text={`namespace ${group.namespace}`} />}
                {group.severity && <Badge color={severity.color} icon={severity.icon} text={group.severity} />}
                <Text color="secondary">
                  {group.alerts.length} firing {group.alerts.length === 1 ? 'instance' : 'instances'}
                </Text>
              </Stack>
              {group.alerts.map((alert, i) => {
                const ex = latestFor(alert);
                const summary = alert.annotations?.summary;
                return (
                  <Card key={alert.fingerprint ?? i} noMargin>
                    <Card.Heading>{summary || alert.labels.pod || alert.labels.alertname}</Card.Heading>
                    <Card.Meta>{[`since ${formatTime(alert.startsAt) || 'unknown'}`]}</Card.Meta>
                    <Card.Tags>
                      <TagList
                        tags={Object.entries(alert.labels)
                          .filter(([k]) => k !== 'alertname' && k !== '__alert_rule_uid__')
                          .map(([k, v]) => `${k}=${v}`)}
                      />
                    </Card.Tags>
                    <Card.Description>
                      {ex ? (
                        <span>
                          <Badge color="purple" text={String(ex.rootCause?.category ?? 'Unknown')} /> {ex.summary}{' '}
                          <Text color="secondary">({formatTime(ex.createdAt)})</Text>
                        </span>
                      ) : (
                        <Text color="secondary" italic>
                          Not explained yet.
                        </Text>
                      )}
                    </Card.Description>
                    <Card.Actions>
                      <Button icon="ai-sparkle" onClick={() => setExplaining(alert)}>
                        Explain
                      </Button>
                    </Card.Actions>
                  </Card>
                );
              })}
            </section>
          );
        })}
      </Stack>
      {explaining && (
        <ExplainDrawer
          alert={explaining}
          source="Incidents"
          onClose={() => {
            setExplaining(undefined);
            reloadHistory();
          }}
        />
      )}
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  group: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    paddingBottom: theme.spacing(2),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
});
