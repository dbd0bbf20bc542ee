import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeBackend, RES } from '../test/fakeBackend';
import { oomExplanation } from '../test/fixtures';
import { WatchFinding } from '../types';
import { Watch } from './Watch';

// No delay between keystrokes: @grafana/ui inputs are slow enough in jsdom.
const user = userEvent.setup({ delay: null });

/** A finding as the backend's watcher raises it (pkg/watch finding()). */
const canaryFinding: WatchFinding = {
  id: 'wf_1a2b3c',
  at: '2026-11-21T15:15:00Z',
  kind: 'NewErrorTemplate',
  namespace: 'order',
  workload: 'order-service',
  pod: 'order-service-7b9c4d2f8-r8s6j',
  container: 'app',
  template: 'charge failed: payment-service answered <NUM>: amount_minor out of range',
  level: 'error',
  count: 54,
  baseline: 0,
  example: 'level="ERROR" msg="charge failed: payment-service answered 422: amount_minor out of range"',
  finding: { id: 'wf_1a2b3c', analyzer: 'logwatch', title: 'New error log template in order-service' },
  alert: {
    labels: {
      alertname: 'NewErrorTemplate',
      namespace: 'order',
      pod: 'order-service-7b9c4d2f8-r8s6j',
      container: 'app',
      severity: 'critical',
      source: 'aiops-watch',
    },
    annotations: { summary: 'New error log template in order-service' },
    status: 'firing',
    startsAt: '2026-11-21T15:15:00Z',
    fingerprint: 'wf_1a2b3c',
  },
};

const surge: WatchFinding = {
  ...canaryFinding,
  id: 'wf_surge',
  kind: 'LogTemplateSurge',
  workload: 'cart',
  pod: 'cart-5f6d-abcde',
  count: 120,
  baseline: 4.5,
  example: undefined,
  alert: {
    ...canaryFinding.alert,
    labels: { ...canaryFinding.alert.labels, alertname: 'LogTemplateSurge', pod: 'cart-5f6d-abcde' },
  },
};

describe('Watch', () => {
  it('lists the watch findings and explains one with its synthetic alert', async () => {
    const fake = installFakeBackend({
      [`GET ${RES}/watch/findings`]: () => ({
        body: { items: [canaryFinding, surge], enabled: true, namespaces: ['order', 'cart'] },
      }),
      [`POST ${RES}/explain`]: () => ({ body: oomExplanation }),
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    render(<Watch />);
    const table = await screen.findByRole('table', { name: 'Log watch findings' });
    expect(screen.getByText('Watching order, cart.')).toBeInTheDocument();
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('New error')).toBeInTheDocument();
    expect(within(rows[1]).getByText('54 lines (new)')).toBeInTheDocument();
    expect(within(rows[1]).getByText(/amount_minor out of range"$/)).toBeInTheDocument();
    expect(within(rows[2]).getByText('Surge')).toBeInTheDocument();
    expect(within(rows[2]).getByText('120 lines, baseline 4.5 per poll')).toBeInTheDocument();
    const listed = fake.requests.find((r) => r.path === `${RES}/watch/findings`);
    expect(listed?.query.get('since')).toBe('24h');
    expect(listed?.query.get('namespace')).toBeNull();

    await user.click(within(rows[1]).getByRole('button', { name: `Explain NewErrorTemplate in ${canaryFinding.pod}` }));
    expect(await screen.findByText('Explain: NewErrorTemplate')).toBeInTheDocument();
    expect(await screen.findByTestId('aiops-summary')).toBeInTheDocument();
    const explain = fake.requests.find((r) => r.method === 'POST' && r.path === `${RES}/explain`);
    expect(explain?.data).toEqual(canaryFinding.alert);
  });

  it('filters by namespace, says when the watch is off and reports errors', async () => {
    const fake = installFakeBackend({
      [`GET ${RES}/watch/findings`]: ({ query }) =>
        query.get('namespace') === 'shop'
          ? { status: 400, body: { error: { status: 400, message: 'namespace "shop" is bad', requestId: 'req-1' } } }
          : { body: { items: [], enabled: false, namespaces: [] } },
    });
    render(<Watch />);
    expect(await screen.findByText('The log watch is off')).toBeInTheDocument();
    expect(screen.getByText('No log watch findings')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Namespace'), 'shop');
    expect(await screen.findByText('Could not load log watch findings')).toBeInTheDocument();
    expect(fake.requests.at(-1)?.query.get('namespace')).toBe('shop');
  });
});
