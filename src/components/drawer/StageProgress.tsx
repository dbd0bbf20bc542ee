import { useEffect, useState } from 'react';
import { Icon, Spinner, Stack, Text } from '@grafana/ui';

import { EXPLAIN_STAGES, ExplainStage } from '../../types';

interface Props {
  stage?: ExplainStage;
  /** Whether the backend reports its stages; otherwise only elapsed time is honest to show. */
  live: boolean;
  startedAt: number;
}

/** Progress of an explanation by stage, each named in words with an icon. */
export function StageProgress({ stage, live, startedAt }: Props) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  const elapsed = Math.max(0, Math.round((now - startedAt) / 1000));
  const current = EXPLAIN_STAGES.findIndex((s) => s.stage === stage);

  return (
    <div role="status" aria-live="polite" data-testid="aiops-progress">
      <Stack direction="column" gap={1}>
        <Text element="h4">Explaining… {elapsed}s</Text>
        {!live && (
          <Text variant="bodySmall" color="secondary">
            Live progress is not available; the backend answers when all stages are done (usually under a minute, longer
            with a local model).
          </Text>
        )}
        <ol aria-label="Stages" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {EXPLAIN_STAGES.filter((s) => s.stage !== 'done').map((s, i) => {
            const state = !live ? 'waiting' : i < current ? 'done' : i === current ? 'running' : 'pending';
            return (
              <li key={s.stage} data-state={state}>
                <Stack direction="row" gap={1} alignItems="center">
                  {state === 'done' && <Icon name="check" aria-hidden />}
                  {(state === 'running' || state === 'waiting') && <Spinner inline />}
                  {state === 'pending' && <Icon name="circle" aria-hidden />}
                  <Text color={state === 'pending' ? 'secondary' : undefined}>
                    {s.label}
                    <span className="sr-only">{` (${state})`}</span>
                  </Text>
                  {state !== 'waiting' && (
                    <Text variant="bodySmall" color="secondary">
                      {state}
                    </Text>
                  )}
                </Stack>
              </li>
            );
          })}
        </ol>
      </Stack>
    </div>
  );
}
