/** A failed backend call, carrying what the backend's error envelope said. */
export class ApiError extends Error {
  readonly status: number;
  readonly requestId?: string;

  constructor(status: number, message: string, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.requestId = requestId;
  }
}

const MAX_MESSAGE = 500;

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns whatever a failed fetch threw (Grafana's FetchError, the backend's
 * {"error":{status,message,requestId}} envelope, a network error) into an ApiError.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) {
    return err;
  }
  if (!isRecord(err)) {
    return new ApiError(0, err instanceof Error ? err.message : String(err));
  }
  const status = typeof err.status === 'number' ? err.status : 0;
  const data = err.data;
  if (isRecord(data) && isRecord(data.error)) {
    const envelope = data.error;
    return new ApiError(
      typeof envelope.status === 'number' ? envelope.status : status,
      clip(typeof envelope.message === 'string' ? envelope.message : 'The backend returned an error without a message'),
      typeof envelope.requestId === 'string' ? envelope.requestId : undefined
    );
  }
  if (isRecord(data) && typeof data.message === 'string') {
    return new ApiError(status, clip(data.message));
  }
  if (typeof err.message === 'string' && err.message) {
    return new ApiError(status, clip(err.message));
  }
  if (typeof err.statusText === 'string' && err.statusText) {
    return new ApiError(status, clip(err.statusText));
  }
  return new ApiError(status, status ? `Request failed with status ${status}` : 'Request failed');
}

/** A sentence telling the user what to do about an error, by status. */
export function errorAdvice(err: ApiError): string {
  switch (true) {
    case err.status === 0:
      return 'Grafana could not reach the plugin backend. Check that the plugin is installed with its backend binary and that Grafana is running.';
    case err.status === 400:
      return 'The alert context was not accepted. Check that the alert has labels and valid timestamps.';
    case err.status === 401 || err.status === 403:
      return 'Your role may not be allowed to run explanations. Ask an administrator to check the minimum role in the app configuration.';
    case err.status === 404:
      return 'The backend does not know this route or item. Update the plugin, or pick another item.';
    case err.status === 429:
      return 'The AI budget or rate limit is exhausted. Wait for the budget to reset or raise it on the configuration page.';
    case err.status >= 500:
      return 'The backend failed. Check the app configuration (Test button) and the Grafana server log for the request id.';
    default:
      return 'Try again; if it keeps failing, check the app configuration.';
  }
}
