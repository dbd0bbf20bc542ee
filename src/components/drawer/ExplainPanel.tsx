import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, EmptyState, Stack, Text } from '@grafana/ui';

import { api } from '../../api/client';
import { ApiError, errorAdvice, toApiError } from '../../api/errors';
import { ExplainProgress, startExplain } from '../../api/explainRun';
import { AlertContext, Explanation, ProviderStatus } from '../../types';
import { ExplanationView } from '../explanation/ExplanationView';
import { StageProgress } from './StageProgress';

interface Props {
  alert: AlertContext;
  /** Start explaining as soon as the panel shows (the drawer does; pages wait for a click). */
  autoStart?: boolean;
  /** Called with each explanation received (for example to refresh a list). */
  onExplained?: (explanation: Explanation) => void;
}

type State =
  | { kind: 'idle' }
  | { kind: 'running'; progress: ExplainProgress; startedAt: number; previous?: Explanation }
  | { kind: 'done'; explanation: Explanation }
  | { kind: 'error'; error: ApiError; previous?: Explanation };

const INITIAL_PROGRESS: ExplainProgress = { stage: 'resolving', live: false, partialText: '' };

/** Runs POST /explain for one alert and shows progress, result or error. */
export function ExplainPanel({ alert, autoStart = true, onExplained }: Props) {
  const hasLabels = Object.keys(alert.labels ?? {}).length > 0;
  const [state, setState] = useState<State>(() =>
    autoStart && hasLabels ? { kind: 'running', startedAt: Date.now(), progress: INITIAL_PROGRESS } : { kind: 'idle' }
  );
  const [providers, setProviders] = useState<ProviderStatus[]>([]);
  const cancelRef = useRef<() => void>();

  /** Starts the request; the caller has already put the panel in the running state. */
  const launch = useCallback(
    (options: { provider?: string; refresh?: boolean } = {}) => {
      cancelRef.current?.();
      let active = true;
      const handle = startExplain(alert, options, (progress) => {
        if (active) {
          setState((prev) => (prev.kind === 'running' ? { ...prev, progress } : prev));
        }
      });
      cancelRef.current = () => {
        active = false;
        handle.cancel();
      };
      handle.promise.then(
        (explanation) => {
          if (active) {
            setState({ kind: 'done', explanation });
            onExplained?.(explanation);
          }
        },
        (err) => {
          if (active) {
            setState((prev) => ({
              kind: 'error',
              error: toApiError(err),
              previous: prev.kind === 'running' ? prev.previous : undefined,
            }));
          }
        }
      );
    },
    [alert, onExplained]
  );

  const run = (options: { provider?: string; refresh?: boolean } = {}) => {
    setState((prev) => ({
      kind: 'running',
      startedAt: Date.now(),
      progress: INITIAL_PROGRESS,
      previous: prev.kind === 'done' ? prev.explanation : prev.kind === 'error' ? prev.previous : undefined,
    }));
    launch(options);
  };

  useEffect(() => {
    if (autoStart && hasLabels) {
      launch();
    }
    return () => cancelRef.current?.();
  }, [autoStart, hasLabels, launch]);

  useEffect(() => {
    let active = true;
    api.providers().then(
      (list) => active && setProviders(list),
      // Without the provider list only "Explain with another provider" is hidden.
      () => undefined
    );
    return () => {
      active = false;
    };
  }, []);

  if (!hasLabels) {
    return (
      <EmptyState variant="not-found" message="Nothing to explain">
        This alert has no labels, so there is no namespace, pod or workload to look at. Explain works on alert instances
        with labels such as namespace, pod, deployment or service.
      </EmptyState>
    );
  }

  switch (state.kind) {
    case 'idle':
      return (
        <Stack direction="column" gap={1} alignItems="flex-start">
          <Text>Explain this alert from its Kubernetes evidence and the configured model.</Text>
          <Button icon="ai-sparkle" onClick={() => run()}>
            Explain
          </Button>
        </Stack>
      );
    case 'running':
      return (
        <Stack direction="column" gap={2}>
          <StageProgress stage={state.progress.stage} live={state.progress.live} startedAt={state.startedAt} />
          {state.progress.partialText && (
            <pre aria-label="Model output so far" style={{ whiteSpace: 'pre-wrap' }}>
              {state.progress.partialText}
            </pre>
          )}
        </Stack>
      );
    case 'error':
      return (
        <Stack direction="column" gap={2}>
          <Alert severity="error" title="The explanation failed" data-testid="aiops-error">
            <p>
              {state.error.message}
              {state.error.status ? ` (HTTP ${state.error.status})` : ''}
            </p>
            <p>{errorAdvice(state.error)}</p>
            {state.error.requestId && <p>Request id: {state.error.requestId}</p>}
            <Button icon="sync" variant="secondary" onClick={() => run()}>
              Try again
            </Button>
          </Alert>
          {state.previous && <ExplanationView explanation={state.previous} />}
        </Stack>
      );
    case 'done':
      return (
        <ExplanationView
          explanation={state.explanation}
          providers={providers}
          onRegenerate={() => run({ refresh: true })}
          onExplainWith={(provider) => run({ provider, refresh: true })}
        />
      );
  }
}
