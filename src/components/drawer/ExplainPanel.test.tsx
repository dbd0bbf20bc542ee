import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

// No delay between keystrokes: @grafana/ui inputs are slow enough in jsdom.
const user = userEvent.setup({ delay: null });
import { LiveChannelAddress, LiveChannelEvent, LiveChannelEventType } from '@grafana/data';
import { GrafanaLiveSrv, setGrafanaLiveSrv } from '@grafana/runtime';
import { Subject } from 'rxjs';

import { installFakeBackend, RES } from '../../test/fakeBackend';
import { degradedExplanation, oomExplanation } from '../../test/fixtures';
import { AlertContext, ExplainStreamMessage } from '../../types';
import { ExplainDrawer } from './ExplainDrawer';
import { ExplainPanel } from './ExplainPanel';

const alert: AlertContext = {
  labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'order-7d9c5-x2x1q' },
  startsAt: '2026-11-20T10:00:00Z',
};

function deferred<T>() {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A Grafana Live service whose channels the test publishes into, like the backend's RunStream would. */
function installFakeLive() {
  const channels = new Map<string, Subject<LiveChannelEvent<ExplainStreamMessage>>>();
  const subscribed: LiveChannelAddress[] = [];
  const live = {
    getStream: (addr: LiveChannelAddress) => {
      subscribed.push(addr);
      const subject = new Subject<LiveChannelEvent<ExplainStreamMessage>>();
      channels.set(addr.path, subject);
      return subject.asObservable();
    },
  } as unknown as GrafanaLiveSrv;
  setGrafanaLiveSrv(live);
  const publish = (message: ExplainStreamMessage) =>
    act(() => {
      for (const subject of channels.values()) {
        subject.next({ type: LiveChannelEventType.Message, message });
      }
    });
  return { subscribed, publish };
}

afterEach(() => setGrafanaLiveSrv(undefined as unknown as GrafanaLiveSrv));

describe('ExplainPanel', () => {
  it('posts the alert, shows progress without Live, then the explanation', async () => {
    const answer = deferred<{ body: unknown }>();
    const backend = installFakeBackend({
      [`POST ${RES}/explain`]: () => answer.promise,
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    render(<ExplainPanel alert={alert} />);

    expect(await screen.findByText(/Live progress is not available/)).toBeInTheDocument();
    expect(screen.getByTestId('aiops-progress')).toHaveTextContent('Finding the pods behind the alert');
    const post = backend.requests.find((r) => r.method === 'POST');
    expect(post?.data).toEqual(alert);
    expect(post?.query.get('stream')).toBeNull();

    answer.resolve({ body: oomExplanation });
    expect(await screen.findByTestId('aiops-summary')).toHaveTextContent('OOMKilled');
    expect(screen.queryByTestId('aiops-progress')).not.toBeInTheDocument();
  });

  it('follows the stages streamed over Grafana Live and takes the streamed explanation', async () => {
    const { subscribed, publish } = installFakeLive();
    const backend = installFakeBackend({
      [`POST ${RES}/explain`]: () => new Promise(() => undefined),
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    render(<ExplainPanel alert={alert} />);
    const streamId = backend.requests.find((r) => r.method === 'POST')?.query.get('stream');
    expect(streamId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(subscribed[0]).toMatchObject({
      scope: 'plugin',
      stream: 'cloudobs-aiops-app',
      path: `explain/${streamId}`,
    });

    publish({ stage: 'collecting' });
    const stages = await screen.findAllByRole('listitem');
    expect(stages[0]).toHaveAttribute('data-state', 'done');
    expect(stages[1]).toHaveAttribute('data-state', 'running');
    expect(stages[2]).toHaveAttribute('data-state', 'pending');

    publish({ stage: 'asking_model', token: 'The order ' });
    publish({ token: 'pods are OOMKilled' });
    expect(screen.getByLabelText('Model output so far')).toHaveTextContent('The order pods are OOMKilled');

    publish({ stage: 'done', explanation: degradedExplanation });
    expect(await screen.findByTestId('aiops-summary')).toHaveTextContent('payment-service cannot reach');
  });

  it('shows an error published on the Live channel', async () => {
    const { publish } = installFakeLive();
    installFakeBackend({
      [`POST ${RES}/explain`]: () => new Promise(() => undefined),
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    render(<ExplainPanel alert={alert} />);
    publish({ stage: 'collecting' });
    publish({ stage: 'error', error: 'prometheus: context deadline exceeded' });
    expect(await screen.findByTestId('aiops-error')).toHaveTextContent('prometheus: context deadline exceeded');
  });

  it('shows the backend error with advice and retries', async () => {
    let calls = 0;
    installFakeBackend({
      [`POST ${RES}/explain`]: () => {
        calls++;
        return calls === 1
          ? { status: 429, body: { error: { status: 429, message: 'daily token budget spent', requestId: 'req-9' } } }
          : { body: oomExplanation };
      },
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    render(<ExplainPanel alert={alert} />);
    const error = await screen.findByTestId('aiops-error');
    expect(error).toHaveTextContent('daily token budget spent (HTTP 429)');
    expect(error).toHaveTextContent('The AI budget or rate limit is exhausted');
    expect(error).toHaveTextContent('Request id: req-9');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('aiops-summary')).toHaveTextContent('OOMKilled');
    expect(calls).toBe(2);
  });

  it('regenerates with refresh and explains with another provider', async () => {
    const backend = installFakeBackend({
      [`POST ${RES}/explain`]: () => ({ body: oomExplanation }),
      [`GET ${RES}/providers`]: () => ({
        body: {
          providers: [
            { name: 'openai', configured: true, default: true },
            { name: 'ollama', configured: true, default: false },
          ],
        },
      }),
    });
    render(<ExplainPanel alert={alert} />);
    await screen.findByTestId('aiops-summary');
    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    await screen.findByTestId('aiops-summary');
    await user.click(screen.getByRole('button', { name: 'Explain with another provider' }));
    await user.click(await screen.findByRole('menuitem', { name: 'ollama' }));
    await screen.findByTestId('aiops-summary');
    const posts = backend.requests.filter((r) => r.method === 'POST');
    expect(posts.map((p) => [p.query.get('refresh'), p.query.get('provider')])).toEqual([
      [null, null],
      ['true', null],
      ['true', 'ollama'],
    ]);
  });

  it('waits for a click when not auto-starting, and refuses alerts without labels', async () => {
    installFakeBackend({
      [`POST ${RES}/explain`]: () => ({ body: oomExplanation }),
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    const { unmount } = render(<ExplainPanel alert={alert} autoStart={false} />);
    await user.click(screen.getByRole('button', { name: 'Explain' }));
    expect(await screen.findByTestId('aiops-summary')).toBeInTheDocument();
    unmount();

    render(<ExplainPanel alert={{ labels: {} }} />);
    expect(screen.getByText('Nothing to explain')).toBeInTheDocument();
  });
});

describe('ExplainDrawer', () => {
  it('titles the drawer with the alert and closes', async () => {
    installFakeBackend({
      [`POST ${RES}/explain`]: () => ({ body: oomExplanation }),
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    const onClose = jest.fn();
    render(<ExplainDrawer alert={alert} source="alert instance" onClose={onClose} />);
    expect(screen.getByText('Explain: KubePodCrashLooping')).toBeInTheDocument();
    expect(screen.getByText('From alert instance')).toBeInTheDocument();
    expect(screen.getByText('namespace=shop')).toBeInTheDocument();
    expect(await screen.findByTestId('aiops-summary')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /close/i }));
    expect(onClose).toHaveBeenCalled();
  });
});
