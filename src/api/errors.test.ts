import { ApiError, errorAdvice, toApiError } from './errors';

describe('toApiError', () => {
  it.each([
    [
      'the backend envelope',
      { status: 502, data: { error: { status: 502, message: 'LLM down', requestId: 'r1' } } },
      [502, 'LLM down', 'r1'],
    ],
    [
      'a Grafana message',
      { status: 403, data: { message: 'Permission denied' } },
      [403, 'Permission denied', undefined],
    ],
    ['a status text', { status: 500, statusText: 'Internal Server Error' }, [500, 'Internal Server Error', undefined]],
    ['an Error', new Error('network down'), [0, 'network down', undefined]],
    ['a string', 'weird', [0, 'weird', undefined]],
    ['an empty object', {}, [0, 'Request failed', undefined]],
  ])('reads %s', (_name, input, [status, message, requestId]) => {
    const err = toApiError(input);
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.message, err.requestId]).toEqual([status, message, requestId]);
  });

  it('bounds long messages', () => {
    const err = toApiError({ status: 500, data: { error: { message: 'x'.repeat(10_000) } } });
    expect(err.message.length).toBeLessThanOrEqual(501);
  });

  it('gives advice for each kind of failure', () => {
    expect(errorAdvice(new ApiError(0, ''))).toMatch(/could not reach/);
    expect(errorAdvice(new ApiError(400, ''))).toMatch(/labels/);
    expect(errorAdvice(new ApiError(403, ''))).toMatch(/role/);
    expect(errorAdvice(new ApiError(429, ''))).toMatch(/budget/);
    expect(errorAdvice(new ApiError(503, ''))).toMatch(/Test button/);
  });
});
