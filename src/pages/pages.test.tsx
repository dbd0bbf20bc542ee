import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

// No delay between keystrokes: @grafana/ui inputs are slow enough in jsdom.
const user = userEvent.setup({ delay: null });
import { MemoryRouter, Route, Routes } from 'react-router-dom';

import { installFakeBackend, RES } from '../test/fakeBackend';
import { degradedExplanation, groupedExplanation, oomExplanation } from '../test/fixtures';
import { History } from './History';
import { Incidents } from './Incidents';
import { Usage } from './Usage';

const ALERTS = '/api/alertmanager/grafana/api/v2/alerts';

describe('Incidents', () => {
  it('groups firing alerts, shows the latest explanation and explains in a drawer', async () => {
    installFakeBackend({
      [`GET ${ALERTS}`]: () => ({
        body: [
          {
            labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'order-1', severity: 'critical' },
            fingerprint: 'fp-oom',
            startsAt: '2026-11-20T10:00:00Z',
            annotations: {},
          },
          {
            labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'order-2', severity: 'critical' },
            fingerprint: 'fp-2',
            startsAt: '2026-11-20T10:01:00Z',
            annotations: {},
          },
          {
            labels: { alertname: 'HighLatency', namespace: 'pay', severity: 'warning' },
            fingerprint: 'fp-3',
            annotations: { summary: 'p99 above 2s' },
          },
          { labels: {}, fingerprint: 'no-labels' },
        ],
      }),
      [`GET ${RES}/explanations`]: () => ({ body: { items: [oomExplanation], total: 1 } }),
      [`POST ${RES}/explain`]: () => ({ body: degradedExplanation }),
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    render(<Incidents />);
    const crash = await screen.findByRole('region', { name: 'KubePodCrashLooping shop' });
    expect(within(crash).getByText('2 firing instances')).toBeInTheDocument();
    expect(within(crash).getAllByText(/OOMKilled: memory grows/)).toHaveLength(2);
    const latency = screen.getByRole('region', { name: 'HighLatency pay' });
    expect(within(latency).getByText('p99 above 2s')).toBeInTheDocument();
    expect(within(latency).getByText('Not explained yet.')).toBeInTheDocument();
    // Critical groups come first.
    const regions = screen.getAllByRole('region');
    expect(regions[0]).toBe(crash);

    await user.click(within(latency).getByRole('button', { name: 'Explain' }));
    expect(await screen.findByText('Explain: HighLatency')).toBeInTheDocument();
    expect(await screen.findByTestId('aiops-summary')).toHaveTextContent('payment-service cannot reach');
  });

  it('says so when nothing fires and reports alerting API errors', async () => {
    installFakeBackend({
      [`GET ${ALERTS}`]: () => ({ body: [] }),
      [`GET ${RES}/explanations`]: () => ({ body: { items: [], total: 0 } }),
    });
    const { unmount } = render(<Incidents />);
    expect(await screen.findByText('No firing alerts')).toBeInTheDocument();
    unmount();

    installFakeBackend({
      [`GET ${ALERTS}`]: () => ({ status: 403, body: { message: 'Permission denied' } }),
      [`GET ${RES}/explanations`]: () => ({ body: { items: [], total: 0 } }),
    });
    render(<Incidents />);
    expect(await screen.findByText('Could not load firing alerts')).toBeInTheDocument();
    expect(screen.getByText('Permission denied (HTTP 403)')).toBeInTheDocument();
  });
});

describe('History', () => {
  function renderAt(path: string) {
    return render(
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/a/cloudobs-aiops-app/history" element={<History />} />
          <Route path="/a/cloudobs-aiops-app/history/:id" element={<History />} />
        </Routes>
      </MemoryRouter>
    );
  }

  it('lists explanations, filters them and opens one', async () => {
    const backend = installFakeBackend({
      [`GET ${RES}/explanations`]: ({ query }) => ({
        body:
          query.get('alertname') === 'HighErrorRate'
            ? { items: [degradedExplanation], total: 1 }
            : { items: [oomExplanation, degradedExplanation], total: 2 },
      }),
      [`GET ${RES}/explanations/ex_dep`]: () => ({ body: degradedExplanation }),
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    renderAt('/a/cloudobs-aiops-app/history');
    const table = await screen.findByRole('table', { name: 'Explanations' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(screen.getByText('2 explanations')).toBeInTheDocument();
    const first = backend.requests.find((r) => r.path === `${RES}/explanations`);
    expect(first?.query.get('limit')).toBe('20');
    expect(first?.query.get('since')).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    await user.type(screen.getByLabelText('Alert name'), 'HighErrorRate');
    expect(await screen.findByText('1 explanation')).toBeInTheDocument();
    expect(backend.requests.at(-1)?.query.get('alertname')).toBe('HighErrorRate');

    await user.click(screen.getByRole('button', { name: 'Open explanation ex_dep' }));
    expect(await screen.findByTestId('aiops-summary')).toHaveTextContent('payment-service cannot reach');
    expect(screen.getByRole('button', { name: 'Back to history' })).toBeInTheDocument();
  });

  it('shows the alert group of each explanation and filters by it', async () => {
    const backend = installFakeBackend({
      [`GET ${RES}/explanations`]: ({ query }) => ({
        body:
          query.get('group') === 'grp_0123456789abcdef'
            ? { items: [groupedExplanation], total: 1 }
            : { items: [oomExplanation, groupedExplanation], total: 2 },
      }),
    });
    renderAt('/a/cloudobs-aiops-app/history');
    const table = await screen.findByRole('table', { name: 'Explanations' });
    expect(within(table).getByRole('columnheader', { name: 'Group' })).toBeInTheDocument();
    const rows = within(table).getAllByRole('row');
    expect(within(rows[1]).queryByRole('button', { name: /alert group/ })).not.toBeInTheDocument();

    await user.click(within(rows[2]).getByRole('button', { name: 'Show the alert group of ex_grp' }));
    expect(await screen.findByText('1 explanation')).toBeInTheDocument();
    const filtered = backend.requests.at(-1);
    expect(filtered?.query.get('group')).toBe('grp_0123456789abcdef');
    expect(filtered?.query.get('since')).toBeNull();
    expect(within(screen.getByRole('table', { name: 'Explanations' })).getByText('2 of 3 alerts')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Show all explanations, not only this alert group' }));
    expect(await screen.findByText('2 explanations')).toBeInTheDocument();
    expect(backend.requests.at(-1)?.query.get('group')).toBeNull();
  });

  it('shows an empty state and a missing explanation error', async () => {
    installFakeBackend({
      [`GET ${RES}/explanations`]: () => ({ body: { items: [], total: 0 } }),
      [`GET ${RES}/explanations/nope`]: () => ({
        status: 404,
        body: { error: { status: 404, message: 'explanation nope not found' } },
      }),
    });
    const { unmount } = renderAt('/a/cloudobs-aiops-app/history');
    expect(await screen.findByText('No explanations match')).toBeInTheDocument();
    unmount();
    renderAt('/a/cloudobs-aiops-app/history/nope');
    expect(await screen.findByText('Could not load explanation nope')).toBeInTheDocument();
  });
});

describe('Usage', () => {
  it('shows spend by provider, model and day against the budget', async () => {
    const backend = installFakeBackend({
      [`GET ${RES}/usage`]: () => ({
        body: {
          days: [
            {
              day: '2026-11-19',
              provider: 'openai',
              model: 'gpt-4o-mini',
              user: 'ana',
              promptTokens: 1000,
              completionTokens: 200,
              costUSD: 0.5,
              requests: 4,
              cacheHits: 1,
            },
            {
              day: '2026-11-20',
              provider: 'openai',
              model: 'gpt-4o-mini',
              user: 'ana',
              promptTokens: 3000,
              completionTokens: 800,
              costUSD: 1.5,
              requests: 9,
              cacheHits: 2,
            },
            {
              day: '2026-11-20',
              provider: 'bedrock',
              model: 'claude-3-haiku',
              promptTokens: 500,
              completionTokens: 100,
              costUSD: 0.25,
              requests: 2,
              cacheHits: 0,
            },
          ],
          budget: {
            dailyTokens: 5000,
            dailyCostUSD: 2,
            usedTokens: 4400,
            usedCostUSD: 1.75,
            resetsAt: '2026-11-21T00:00:00Z',
          },
        },
      }),
    });
    render(<Usage />);
    const byModel = await screen.findByRole('table', { name: 'By provider and model' });
    const rows = within(byModel).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('openai / gpt-4o-mini1335,000$2.00');
    expect(rows[2]).toHaveTextContent('bedrock / claude-3-haiku20600$0.25');
    const byUser = screen.getByRole('table', { name: 'By user' });
    expect(within(byUser).getAllByRole('row')[1]).toHaveTextContent('ana1335,000$2.00');
    expect(within(byUser).getAllByRole('row')[2]).toHaveTextContent('(background)20600$0.25');
    const byDay = screen.getByRole('table', { name: 'By day' });
    expect(within(byDay).getAllByRole('row')[1]).toHaveTextContent('2026-11-201124,400$1.7588%');
    expect(screen.getByText('Near the limit')).toBeInTheDocument();
    expect(screen.getByText('Total $2.25 over the range')).toBeInTheDocument();
    const query = backend.requests[0].query;
    expect(query.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00.000Z$/);
    expect(Date.parse(query.get('to') ?? '')).toBeGreaterThan(Date.parse(query.get('from') ?? ''));
  });

  it('shows an empty state when no model was used', async () => {
    installFakeBackend({ [`GET ${RES}/usage`]: () => ({ body: { days: [] } }) });
    render(<Usage />);
    expect(await screen.findByText('No AI usage in this range')).toBeInTheDocument();
  });
});
