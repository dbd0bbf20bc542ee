import { Alert, Badge, BadgeColor, IconName, Stack, Text } from '@grafana/ui';

import { ApiError, errorAdvice } from '../../api/errors';
import { HealthReport } from '../../types';

const STATUS: Record<string, { color: BadgeColor; icon: IconName; text: string }> = {
  ok: { color: 'green', icon: 'check', text: 'OK' },
  failing: { color: 'red', icon: 'exclamation-triangle', text: 'Failing' },
  not_configured: { color: 'blue', icon: 'minus-circle', text: 'Not configured' },
};

interface Props {
  report?: HealthReport;
  error?: ApiError;
}

/** Each dependency's status in words and icon, not colour alone. */
export function HealthCheck({ report, error }: Props) {
  if (error) {
    return (
      <Alert severity="error" title="Health check failed">
        <p>{error.message}</p>
        <p>{errorAdvice(error)}</p>
      </Alert>
    );
  }
  if (!report) {
    return null;
  }
  const ok = report.status === 'ok';
  return (
    <Alert
      severity={ok ? 'success' : 'error'}
      title={ok ? 'All configured dependencies work' : 'Some dependencies fail'}
    >
      <ul aria-label="Dependencies" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {(report.dependencies ?? []).map((d) => {
          const status = STATUS[d.status] ?? { color: 'orange', icon: 'question-circle', text: d.status };
          return (
            <li key={d.name}>
              <Stack direction="row" gap={1} alignItems="center">
                <Badge color={status.color} icon={status.icon} text={status.text} />
                <Text weight="medium">{d.name}</Text>
                {d.message && <Text color="secondary">{d.message}</Text>}
                {d.latencyMs !== undefined && d.status === 'ok' && (
                  <Text variant="bodySmall" color="secondary">
                    {d.latencyMs} ms
                  </Text>
                )}
              </Stack>
            </li>
          );
        })}
      </ul>
    </Alert>
  );
}
