import { useCallback, useEffect, useState } from 'react';

import { ApiError, toApiError } from '../api/errors';

export type AsyncState<T> =
  { status: 'loading'; value?: T } | { status: 'error'; error: ApiError; value?: T } | { status: 'done'; value: T };

interface Result<T> {
  key: string;
  value?: T;
  error?: ApiError;
}

/**
 * Runs `load` whenever `key` (a string naming everything load depends on)
 * changes or reload() is called. Answers for an older key are dropped, and
 * the previous value stays visible while the next one loads.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): [AsyncState<T>, () => void] {
  const [generation, setGeneration] = useState(0);
  const [result, setResult] = useState<Result<T>>({ key: '' });
  const current = `${key}\u0000${generation}`;

  useEffect(() => {
    let active = true;
    load().then(
      (value) => active && setResult({ key: current, value }),
      (err) => active && setResult((prev) => ({ key: current, value: prev.value, error: toApiError(err) }))
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names everything load depends on.
  }, [current]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  if (result.key !== current) {
    return [{ status: 'loading', value: result.value }, reload];
  }
  if (result.error) {
    return [{ status: 'error', error: result.error, value: result.value }, reload];
  }
  return [{ status: 'done', value: result.value as T }, reload];
}
