import { Alert, Button } from '@grafana/ui';

import { ApiError, errorAdvice } from '../api/errors';

interface Props {
  title: string;
  error: ApiError;
  onRetry?: () => void;
}

/** An error a user can act on: what happened, what to do, and a retry. */
export function ErrorAlert({ title, error, onRetry }: Props) {
  return (
    <Alert severity="error" title={title}>
      <p>
        {error.message}
        {error.status ? ` (HTTP ${error.status})` : ''}
      </p>
      <p>{errorAdvice(error)}</p>
      {error.requestId && <p>Request id: {error.requestId}</p>}
      {onRetry && (
        <Button size="sm" variant="secondary" icon="sync" onClick={onRetry}>
          Retry
        </Button>
      )}
    </Alert>
  );
}
