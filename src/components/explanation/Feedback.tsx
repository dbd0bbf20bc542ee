import { useState } from 'react';
import { Button, Stack, Text } from '@grafana/ui';

import { api } from '../../api/client';
import { toApiError } from '../../api/errors';

interface Props {
  explanationId: string;
}

type State =
  { kind: 'idle' } | { kind: 'sending' } | { kind: 'sent'; helpful: boolean } | { kind: 'failed'; message: string };

/** Helpful / not helpful, sent to the backend to steer prompts and analyzers. */
export function Feedback({ explanationId }: Props) {
  const [state, setState] = useState<State>({ kind: 'idle' });

  const send = async (helpful: boolean) => {
    if (state.kind === 'sending') {
      return;
    }
    setState({ kind: 'sending' });
    try {
      await api.sendFeedback(explanationId, helpful);
      setState({ kind: 'sent', helpful });
    } catch (err) {
      setState({ kind: 'failed', message: toApiError(err).message });
    }
  };

  const chosen = state.kind === 'sent' ? state.helpful : undefined;
  return (
    <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
      <Text variant="bodySmall">Was this helpful?</Text>
      <Button
        size="sm"
        variant={chosen === true ? 'primary' : 'secondary'}
        icon="thumbs-up"
        aria-pressed={chosen === true}
        // aria-disabled, not disabled: disabling the focused button would drop keyboard focus.
        aria-disabled={state.kind === 'sending'}
        onClick={() => send(true)}
      >
        Helpful
      </Button>
      <Button
        size="sm"
        variant={chosen === false ? 'primary' : 'secondary'}
        icon="thumbs-down"
        aria-pressed={chosen === false}
        // aria-disabled, not disabled: disabling the focused button would drop keyboard focus.
        aria-disabled={state.kind === 'sending'}
        onClick={() => send(false)}
      >
        Not helpful
      </Button>
      <span role="status">
        {state.kind === 'sent' && <Text variant="bodySmall">Thanks, your feedback was recorded.</Text>}
        {state.kind === 'failed' && (
          <Text variant="bodySmall" color="error">
            Feedback not saved: {state.message}
          </Text>
        )}
      </span>
    </Stack>
  );
}
