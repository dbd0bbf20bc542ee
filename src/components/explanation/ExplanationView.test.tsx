import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

// No delay between keystrokes: @grafana/ui inputs are slow enough in jsdom.
const user = userEvent.setup({ delay: null });

import { installFakeBackend, RES } from '../../test/fakeBackend';
import { degradedExplanation, groupedExplanation, oomExplanation, unknownExplanation } from '../../test/fixtures';
import { ExplanationView } from './ExplanationView';

describe('ExplanationView', () => {
  it('shows summary, root cause, findings, evidence groups, next steps and cost', () => {
    installFakeBackend({});
    render(<ExplanationView explanation={oomExplanation} />);

    expect(screen.getByTestId('aiops-summary')).toHaveTextContent('OOMKilled: memory grows to the 128Mi limit');
    const rootCause = screen.getByTestId('aiops-root-cause');
    expect(within(rootCause).getByText('OOMKilled')).toBeInTheDocument();
    expect(within(rootCause).getByText('Deployment shop/order-service')).toBeInTheDocument();
    expect(within(rootCause).getByText('High confidence (90%)')).toBeInTheDocument();
    expect(screen.getByText('Container order was OOMKilled 5 times')).toBeInTheDocument();
    expect(screen.getByText('Critical')).toBeInTheDocument();
    expect(screen.getByText('Log templates (1)')).toBeInTheDocument();
    expect(screen.getByText('Kubernetes events (1)')).toBeInTheDocument();
    expect(screen.getByText('×42')).toBeInTheDocument();
    expect(screen.getByText(/min 30000000, max 128000000, last 127000000 \(7 points\)/)).toBeInTheDocument();
    expect(screen.getByText('kubectl -n shop top pod -l app=order')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy command of step 1' })).toBeInTheDocument();
    expect(screen.getByText('gpt-4o-mini')).toBeInTheDocument();
    expect(screen.getByText('3,520 (3,100 in, 420 out)')).toBeInTheDocument();
    expect(screen.getByText('$0.0007')).toBeInTheDocument();
    expect(screen.getByText('4.2 s')).toBeInTheDocument();
    expect(screen.queryByText(/Partial explanation/)).not.toBeInTheDocument();
    expect(screen.queryByText('Incident cost so far:')).not.toBeInTheDocument();
  });

  it('states what the incident has cost so far', () => {
    installFakeBackend({});
    const incidentCost = { computeUSD: 0.0802, llmUSD: 0.0007, totalUSD: 0.0809, pods: 3, hours: 1.5 };
    render(<ExplanationView explanation={{ ...oomExplanation, incidentCost }} />);
    expect(screen.getByText('Incident cost so far:')).toBeInTheDocument();
    expect(screen.getByText('$0.08 (compute $0.08 for 3 pods, AI $0.0007)')).toBeInTheDocument();
  });

  it('links cited traces to Explore in the configured data source, and shows bare ids when there is none', async () => {
    const traced = {
      ...oomExplanation,
      evidence: [
        {
          id: 't1',
          kind: 'trace',
          text: 'payment-service POST /charge: 12 error spans (Connection refused)',
          firstSeen: '2026-11-20T10:00:00Z',
          lastSeen: '2026-11-20T10:05:00Z',
          traceIds: ['4bf92f3577b34da6a3ce929d0e0e4736'],
        },
      ],
    };
    const backend = installFakeBackend({
      'GET /api/plugins/cloudobs-aiops-app/settings': () => ({
        body: { jsonData: { traces: { backend: 'tempo', exploreDatasourceUid: 'tempo-uid' } } },
      }),
    });
    const { unmount } = render(<ExplanationView explanation={traced} />);
    expect(screen.getByText('Traces (1)')).toBeInTheDocument();
    const link = await screen.findByRole('link', { name: /4bf92f3577b34da6a3ce929d0e0e4736/ });
    const url = new URL(link.getAttribute('href') ?? '', 'http://grafana');
    expect(url.pathname).toBe('/explore');
    const pane = JSON.parse(url.searchParams.get('panes') ?? '{}').trace;
    expect(pane.datasource).toBe('tempo-uid');
    expect(pane.queries[0]).toMatchObject({
      datasource: { uid: 'tempo-uid' },
      query: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(Number(pane.range.from)).toBe(Date.parse('2026-11-20T09:45:00Z'));
    expect(Number(pane.range.to)).toBe(Date.parse('2026-11-20T10:20:00Z'));
    expect(backend.requests.filter((r) => r.path.endsWith('/settings'))).toHaveLength(1);
    unmount();

    installFakeBackend({ 'GET /api/plugins/cloudobs-aiops-app/settings': () => ({ body: { jsonData: {} } }) });
    render(<ExplanationView explanation={traced} />);
    expect(await screen.findByText('4bf92f3577b34da6a3ce929d0e0e4736')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /4bf92f3577b34da6a3ce929d0e0e4736/ })).not.toBeInTheDocument();
  });

  it('reads no settings when no evidence cites a trace', () => {
    const backend = installFakeBackend({});
    render(<ExplanationView explanation={oomExplanation} />);
    expect(backend.requests.filter((r) => r.path.endsWith('/settings'))).toHaveLength(0);
  });

  it('names the degraded sources of a partial explanation', () => {
    installFakeBackend({});
    render(<ExplanationView explanation={degradedExplanation} />);
    expect(screen.getByText('Partial explanation: some sources failed')).toBeInTheDocument();
    expect(screen.getByText('prometheus').closest('li')).toHaveTextContent('prometheus: connection refused');
    expect(screen.getByText('Medium confidence (55%)')).toBeInTheDocument();
    expect(screen.getByText('External postgres.shop.svc')).toBeInTheDocument();
    expect(screen.getByText('examined 3 of 3 pods')).toBeInTheDocument();
  });

  it('explains what is missing when nothing was found', () => {
    installFakeBackend({});
    render(<ExplanationView explanation={unknownExplanation} />);
    expect(screen.getByText('No evidence of a cause')).toBeInTheDocument();
    expect(screen.getByText('No analyzer found a problem in the collected evidence.')).toBeInTheDocument();
    expect(screen.getByText('No next step suggested.')).toBeInTheDocument();
  });

  it('sends feedback to the backend and confirms it', async () => {
    const backend = installFakeBackend({
      [`POST ${RES}/explanations/ex_oom/feedback`]: () => ({ body: {} }),
    });
    render(<ExplanationView explanation={oomExplanation} />);
    await user.click(screen.getByRole('button', { name: 'Not helpful' }));
    expect(await screen.findByText('Thanks, your feedback was recorded.')).toBeInTheDocument();
    expect(backend.requests.at(-1)?.data).toEqual({ helpful: false, comment: '' });
    expect(screen.getByRole('button', { name: 'Not helpful' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('shows the backend error when feedback fails', async () => {
    installFakeBackend({
      [`POST ${RES}/explanations/ex_oom/feedback`]: () => ({
        status: 500,
        body: { error: { status: 500, message: 'store is read-only', requestId: 'r1' } },
      }),
    });
    render(<ExplanationView explanation={oomExplanation} />);
    await user.click(screen.getByRole('button', { name: 'Helpful' }));
    expect(await screen.findByText('Feedback not saved: store is read-only')).toBeInTheDocument();
  });

  it('offers Regenerate and the other configured providers', async () => {
    installFakeBackend({});
    const onRegenerate = jest.fn();
    const onExplainWith = jest.fn();
    render(
      <ExplanationView
        explanation={oomExplanation}
        onRegenerate={onRegenerate}
        onExplainWith={onExplainWith}
        providers={[
          { name: 'openai', configured: true, default: true },
          { name: 'ollama', configured: true, default: false },
          { name: 'bedrock', configured: false, default: false },
        ]}
      />
    );
    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    expect(onRegenerate).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Explain with another provider' }));
    expect(screen.queryByRole('menuitem', { name: 'bedrock' })).not.toBeInTheDocument();
    await user.click(await screen.findByRole('menuitem', { name: 'ollama' }));
    expect(onExplainWith).toHaveBeenCalledWith('ollama');
  });

  it('lists the alert group, marking which alerts share the cause and linking the others', () => {
    installFakeBackend({});
    const { unmount } = render(<ExplanationView explanation={oomExplanation} />);
    expect(screen.queryByRole('heading', { name: 'Alert group' })).not.toBeInTheDocument();
    unmount();

    render(<ExplanationView explanation={groupedExplanation} />);
    expect(screen.getByText('2 of 3 alerts share this cause.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All explanations of this group' })).toHaveAttribute(
      'href',
      '/a/cloudobs-aiops-app/history?group=grp_0123456789abcdef'
    );
    const items = within(screen.getByRole('list', { name: 'Alerts of the group' })).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(within(items[0]).getByText('Shares this cause')).toBeInTheDocument();
    expect(within(items[0]).getByText('OrderErrors')).toBeInTheDocument();
    expect(within(items[0]).getByText(/trace it to Service\/shop\/payment/)).toBeInTheDocument();
    expect(within(items[0]).queryByRole('link')).not.toBeInTheDocument();
    expect(within(items[2]).getByText('Other cause')).toBeInTheDocument();
    expect(within(items[2]).getByText('namespace=shop, deployment=cart')).toBeInTheDocument();
    expect(within(items[2]).getByRole('link', { name: 'Its explanation' })).toHaveAttribute(
      'href',
      '/a/cloudobs-aiops-app/history/ex_cart'
    );
  });
});
