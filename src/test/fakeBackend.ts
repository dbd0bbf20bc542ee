import { BackendSrv, BackendSrvRequest, FetchResponse, setBackendSrv } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

/** What a route handler answers: a body, or an HTTP error with the backend's envelope. */
export type FakeAnswer = { status?: number; body: unknown } | Promise<{ status?: number; body: unknown }>;

export type FakeRoute = (request: BackendSrvRequest & { path: string; query: URLSearchParams }) => FakeAnswer;

export interface FakeBackend {
  requests: Array<{ method: string; path: string; query: URLSearchParams; data: unknown }>;
  routes: Record<string, FakeRoute>;
}

function response<T>(status: number, data: T, url: string): FetchResponse<T> {
  return {
    data,
    status,
    ok: status < 300,
    statusText: String(status),
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url,
    config: { url },
  };
}

/**
 * Installs a fake Grafana backend service: the only seam the tests replace.
 * Routes are keyed "METHOD path" where path has no query string, e.g.
 * "POST /api/plugins/cloudobs-aiops-app/resources/explain".
 */
export function installFakeBackend(routes: Record<string, FakeRoute>): FakeBackend {
  const fake: FakeBackend = { requests: [], routes };
  const fetch = (options: BackendSrvRequest): Observable<FetchResponse<unknown>> => {
    const [path, search = ''] = options.url.split('?');
    const query = new URLSearchParams(search);
    for (const [k, v] of Object.entries(options.params ?? {})) {
      query.set(k, String(v));
    }
    const method = (options.method ?? 'GET').toUpperCase();
    fake.requests.push({ method, path, query, data: options.data });
    const handler =
      fake.routes[`${method} ${path}`] ??
      Object.entries(fake.routes).find(
        ([key]) => key.endsWith('*') && `${method} ${path}`.startsWith(key.slice(0, -1))
      )?.[1];
    if (!handler) {
      return throwError(() => ({
        status: 404,
        data: { error: { status: 404, message: `no fake route ${method} ${path}` } },
      }));
    }
    return new Observable((subscriber) => {
      Promise.resolve(handler({ ...options, path, query })).then(
        (answer) => {
          const status = answer.status ?? 200;
          if (status >= 400) {
            subscriber.error({ status, data: answer.body, statusText: String(status) });
          } else {
            subscriber.next(response(status, answer.body, options.url));
            subscriber.complete();
          }
        },
        (err) => subscriber.error(err)
      );
    });
  };
  const notUsed = () => {
    throw new Error('the frontend must use fetch()');
  };
  const srv = {
    fetch,
    get: notUsed,
    post: notUsed,
    put: notUsed,
    patch: notUsed,
    delete: notUsed,
    request: notUsed,
    datasourceRequest: notUsed,
    resolveCancelerIfExists: () => undefined,
    chunked: () => of(),
  } as unknown as BackendSrv;
  setBackendSrv(srv);
  return fake;
}

export const RES = '/api/plugins/cloudobs-aiops-app/resources';
