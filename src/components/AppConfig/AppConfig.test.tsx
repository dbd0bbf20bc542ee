import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

// No delay between keystrokes: @grafana/ui inputs are slow enough in jsdom.
const user = userEvent.setup({ delay: null });
import { AppPluginMeta, PluginType } from '@grafana/data';

import { AppSettings } from '../../settings';
import { installFakeBackend, RES } from '../../test/fakeBackend';
import AppConfig, { AppConfigProps } from './AppConfig';

const SETTINGS = '/api/plugins/cloudobs-aiops-app/settings';

function props(jsonData: AppSettings, secureJsonFields: Record<string, boolean> = {}): AppConfigProps {
  const meta = {
    id: 'cloudobs-aiops-app',
    name: 'AI Observability & FinOps',
    type: PluginType.app,
    enabled: true,
    jsonData,
    secureJsonFields,
    info: {} as AppPluginMeta['info'],
    module: '',
    baseUrl: '',
  } as unknown as AppPluginMeta<AppSettings>;
  return { plugin: { meta } as AppConfigProps['plugin'], query: {} } as AppConfigProps;
}

describe('AppConfig', () => {
  it('shows each provider with its own fields', async () => {
    installFakeBackend({});
    render(<AppConfig {...props({})} />);
    expect(screen.getByRole('radio', { name: 'Offline' })).toBeChecked();
    expect(screen.queryByLabelText('API key')).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'OpenAI-compatible' }));
    expect(screen.getByLabelText('API key')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Base URL/)).toHaveAttribute('placeholder', 'https://api.openai.com/v1');
    expect(screen.getByLabelText(/^Organization/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Extra headers/)).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'AWS Bedrock' }));
    expect(screen.getByLabelText('Region')).toBeInTheDocument();
    expect(screen.queryByLabelText('Access key id')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Access key' }));
    expect(screen.getByLabelText('Access key id')).toBeInTheDocument();
    expect(screen.getByLabelText('Secret access key')).toBeInTheDocument();
  });

  it('shows stored secrets only as configured and resets them on save', async () => {
    const backend = installFakeBackend({ [`POST ${SETTINGS}`]: () => ({ body: {} }) });
    render(<AppConfig {...props({ provider: 'openai', openai: { model: 'gpt-4o' } }, { openaiApiKey: true })} />);
    const key = screen.getByLabelText('API key');
    expect(key).toHaveValue('configured');
    expect(key).toBeDisabled();
    await user.click(screen.getAllByRole('button', { name: 'Reset' })[0]);
    await user.type(screen.getByLabelText('API key'), 'sk-new');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved')).toBeInTheDocument();
    expect(backend.requests[0].data).toEqual({
      enabled: true,
      pinned: true,
      jsonData: { provider: 'openai', openai: { model: 'gpt-4o' } },
      secureJsonData: { openaiApiKey: 'sk-new' },
    });
    expect(screen.getByLabelText('API key')).toHaveValue('configured');
  });

  it('edits Prometheus auth, Kubernetes mode, log sources, redaction and budgets', async () => {
    const backend = installFakeBackend({ [`POST ${SETTINGS}`]: () => ({ body: {} }) });
    render(<AppConfig {...props({})} />);
    await user.click(screen.getByLabelText(/^URL/));
    await user.paste('http://prom:9090');
    const prometheus = within(screen.getByRole('group', { name: 'Prometheus' }));
    await user.click(prometheus.getByRole('radio', { name: 'Basic' }));
    await user.type(screen.getByLabelText('User'), 'grafana');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('radio', { name: 'AWS SigV4' }));
    await user.type(screen.getByLabelText(/SigV4 region/), 'eu-west-1');
    await user.click(screen.getByRole('radio', { name: 'Kubeconfig' }));
    await user.type(screen.getByLabelText(/Kubeconfig path/), '/etc/kube');
    await user.click(screen.getByLabelText(/^Loki URL/));
    await user.paste('http://loki:3100');
    await user.click(screen.getByLabelText('Redact e-mail addresses'));
    await user.type(screen.getByLabelText('Daily cost (USD)'), '5');
    await user.type(screen.getByLabelText('CPU per core-hour (USD)'), '0.04');
    await user.click(screen.getByLabelText(/^Custom rates only/));
    await user.type(screen.getByLabelText(/^Webhook secret/), 'hook');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved');
    expect(backend.requests[0].data).toMatchObject({
      jsonData: {
        prometheus: { url: 'http://prom:9090', authType: 'sigv4', basicUser: 'grafana', sigv4Region: 'eu-west-1' },
        kubernetes: { mode: 'kubeconfig', kubeconfigPath: '/etc/kube' },
        loki: { url: 'http://loki:3100' },
        redaction: { emails: true },
        budgets: { dailyCostUSD: 5 },
        finops: { cpuPerCoreHour: 0.04, customOnly: true },
      },
      secureJsonData: { prometheusPassword: 'pw', webhookSecret: 'hook' },
    });
  });

  it('turns on the log watch under Kubernetes with its namespaces, selector and interval', async () => {
    const backend = installFakeBackend({ [`POST ${SETTINGS}`]: () => ({ body: {} }) });
    render(<AppConfig {...props({})} />);
    expect(screen.queryByLabelText(/^Watch logs/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'In cluster' }));
    await user.click(screen.getByLabelText(/^Watch logs/));
    await user.type(screen.getByLabelText(/^Namespaces/), 'shop, payments');
    await user.type(screen.getByLabelText(/^Pod selector/), 'tier=api');
    await user.type(screen.getByLabelText(/^Interval/), '1m');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved');
    expect(backend.requests[0].data).toMatchObject({
      jsonData: {
        kubernetes: { mode: 'incluster' },
        watch: { enabled: true, namespaces: ['shop', 'payments'], selector: 'tier=api', interval: '1m' },
      },
    });
  });

  it('edits Loki tenant and auth, CloudWatch Logs and the trace backend', async () => {
    const backend = installFakeBackend({ [`POST ${SETTINGS}`]: () => ({ body: {} }) });
    render(<AppConfig {...props({})} />);
    const logs = within(screen.getByRole('group', { name: 'Log sources' }));
    await user.click(screen.getByLabelText(/^Loki URL/));
    await user.paste('http://loki:3100');
    await user.type(screen.getByLabelText(/^Loki tenant/), 'team-a');
    await user.click(logs.getByRole('radio', { name: 'Bearer token' }));
    await user.type(screen.getByLabelText('Loki bearer token'), 'loki-token');
    await user.type(screen.getByLabelText(/^CloudWatch log group/), '/aws/eks/prod/containers');
    await user.type(screen.getByLabelText(/^CloudWatch region/), 'eu-west-1');
    await user.click(screen.getByLabelText(/^Use Logs Insights/));
    const traces = within(screen.getByRole('group', { name: 'Traces' }));
    await user.click(traces.getByRole('radio', { name: 'Jaeger' }));
    await user.click(screen.getByLabelText(/^Trace backend URL/));
    await user.paste('http://jaeger:16686');
    await user.click(traces.getByRole('radio', { name: 'Basic' }));
    await user.type(screen.getByLabelText('Trace user'), 'reader');
    await user.type(screen.getByLabelText('Trace password'), 'trace-pw');
    await user.type(screen.getByLabelText(/^Explore data source/), 'tempo-uid');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved');
    expect(backend.requests[0].data).toMatchObject({
      jsonData: {
        loki: { url: 'http://loki:3100', tenantId: 'team-a', authType: 'bearer' },
        cloudwatch: { logGroup: '/aws/eks/prod/containers', region: 'eu-west-1', insights: true },
        traces: {
          backend: 'jaeger',
          url: 'http://jaeger:16686',
          authType: 'basic',
          basicUser: 'reader',
          exploreDatasourceUid: 'tempo-uid',
        },
      },
      secureJsonData: { lokiBearerToken: 'loki-token', tracesPassword: 'trace-pw' },
    });
  });

  it('edits Azure, structured output, Ollama and Bedrock options and models the table does not know', async () => {
    const backend = installFakeBackend({ [`POST ${SETTINGS}`]: () => ({ body: {} }) });
    render(<AppConfig {...props({ provider: 'openai' })} />);
    await user.click(screen.getByLabelText(/^Azure OpenAI/));
    await user.type(screen.getByLabelText(/^API version/), '2024-10-21');
    await user.type(screen.getByLabelText(/^Azure deployment/), 'gpt4o-prod');
    await user.click(screen.getByRole('radio', { name: 'JSON object' }));
    await user.click(screen.getByRole('button', { name: 'Add model' }));
    await user.type(screen.getByLabelText('Model 1 name'), 'my-finetune');
    await user.type(screen.getByLabelText('Model 1 context window'), '32000');
    await user.type(screen.getByLabelText('Model 1 input price'), '0.5');
    await user.type(screen.getByLabelText('Model 1 output price'), '1.5');
    await user.click(screen.getByRole('button', { name: 'Add model' }));
    await user.type(screen.getByLabelText('Model 2 name'), 'dropped');
    await user.click(screen.getByRole('button', { name: 'Remove model 2' }));

    await user.click(screen.getByRole('radio', { name: 'Ollama' }));
    await user.type(screen.getByLabelText(/^Extra headers/), 'X-Team: sre');
    await user.type(screen.getByLabelText(/^Secret headers/), '{{"Authorization": "Bearer t"}');
    await user.click(screen.getByRole('radio', { name: 'AWS Bedrock' }));
    await user.type(screen.getByLabelText(/^Endpoint/), 'https://vpce-1.bedrock-runtime.eu-west-1.vpce.amazonaws.com');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved');
    expect(backend.requests[0].data).toMatchObject({
      jsonData: {
        provider: 'bedrock',
        openai: { azure: true, apiVersion: '2024-10-21', azureDeployment: 'gpt4o-prod', jsonFormat: 'json_object' },
        ollama: { headers: { 'X-Team': 'sre' } },
        bedrock: { endpoint: 'https://vpce-1.bedrock-runtime.eu-west-1.vpce.amazonaws.com' },
        models: { 'my-finetune': { contextWindow: 32000, inputPerMTok: 0.5, outputPerMTok: 1.5 } },
      },
      secureJsonData: { ollamaHeaderValues: '{"Authorization": "Bearer t"}' },
    });
  });

  it('loads Ollama models from the backend', async () => {
    installFakeBackend({ [`GET ${RES}/models`]: () => ({ body: { models: ['llama3:8b', { name: 'qwen2.5' }] } }) });
    render(<AppConfig {...props({ provider: 'ollama' })} />);
    await user.click(screen.getByRole('button', { name: 'Load models' }));
    expect(await screen.findByText('2 models available')).toBeInTheDocument();
  });

  it('saves, then runs the health check and shows each dependency', async () => {
    installFakeBackend({
      [`POST ${SETTINGS}`]: () => ({ body: {} }),
      [`GET ${RES}/health`]: () => ({
        body: {
          status: 'failing',
          dependencies: [
            { name: 'llm', status: 'ok', message: 'offline analyzers', latencyMs: 0 },
            { name: 'prometheus', status: 'failing', message: 'connection refused' },
            { name: 'kubernetes', status: 'not_configured', message: 'mode is off' },
          ],
        },
      }),
    });
    render(<AppConfig {...props({})} />);
    await user.click(screen.getByRole('button', { name: 'Save & test' }));
    const list = await screen.findByRole('list', { name: 'Dependencies' });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('OKllmoffline analyzers0 ms');
    expect(items[1]).toHaveTextContent('Failingprometheusconnection refused');
    expect(items[2]).toHaveTextContent('Not configuredkubernetesmode is off');
    expect(screen.getByText('Some dependencies fail')).toBeInTheDocument();
  });

  it('reports a rejected save with the backend message', async () => {
    installFakeBackend({
      [`POST ${SETTINGS}`]: () => ({
        status: 400,
        body: { message: 'prometheus.url: must start with http:// or https://' },
      }),
    });
    render(<AppConfig {...props({})} />);
    await user.click(screen.getByRole('button', { name: 'Save & test' }));
    expect(await screen.findByText('Settings not saved')).toBeInTheDocument();
    expect(screen.getByText(/prometheus.url: must start with http/)).toBeInTheDocument();
  });
});
