// A page that renders the plugin's real components outside Grafana: the Explain
// links exactly as Grafana would call them, and the config page. Backend calls
// go over HTTP to the fake backend served by run.mjs on the same origin.
import { AppPluginMeta, PluginExtensionOpenModalOptions, PluginType } from '@grafana/data';
import { BackendSrv, BackendSrvRequest, config, FetchResponse, setBackendSrv } from '@grafana/runtime';
import { Button, GlobalStyles, Modal, Stack, TagList, Text, ThemeContext } from '@grafana/ui';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Observable } from 'rxjs';

import AppConfig, { AppConfigProps } from '../../src/components/AppConfig/AppConfig';
import { explainLinks } from '../../src/extensions/links';
import { AppSettings } from '../../src/settings';

/** BackendSrv.fetch over window.fetch, with Grafana's error shape ({status, data}). */
function httpBackendSrv(): BackendSrv {
  const fetchObservable = (options: BackendSrvRequest) =>
    new Observable<FetchResponse<unknown>>((subscriber) => {
      const params = new URLSearchParams(
        Object.entries(options.params ?? {}).map(([k, v]) => [k, String(v)] as [string, string])
      ).toString();
      const url = params ? `${options.url}${options.url.includes('?') ? '&' : '?'}${params}` : options.url;
      window
        .fetch(url, {
          method: options.method ?? 'GET',
          headers: options.data !== undefined ? { 'Content-Type': 'application/json' } : undefined,
          body: options.data !== undefined ? JSON.stringify(options.data) : undefined,
        })
        .then(async (res) => {
          const text = await res.text();
          const data = text ? JSON.parse(text) : undefined;
          if (!res.ok) {
            subscriber.error({ status: res.status, statusText: res.statusText, data });
            return;
          }
          subscriber.next({
            data,
            status: res.status,
            ok: true,
            statusText: res.statusText,
            headers: res.headers,
            redirected: res.redirected,
            type: res.type,
            url: res.url,
            config: options,
          });
          subscriber.complete();
        })
        .catch((err) => subscriber.error({ status: 0, data: { message: String(err) } }));
    });
  return { fetch: fetchObservable } as unknown as BackendSrv;
}

/** Alert instances as Grafana's alerting UI hands them to grafana/alerting/instance/action. */
const INSTANCES = [
  { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'order-7d9c5-x2x1q', severity: 'critical' },
  { alertname: 'PaymentErrors', namespace: 'shop', service: 'payment', severity: 'critical' },
  { alertname: 'KubePodNotReady', namespace: 'shop', pod: 'auth-6f7b8-k2p9z', severity: 'warning' },
  { alertname: 'Watchdog', severity: 'none' },
  { alertname: 'BackendDown', namespace: 'shop', severity: 'critical' },
];

/** Grafana's openModal helper: the extension's body in a Modal of the page's own tree. */
function ModalHost({ options, onDismiss }: { options: PluginExtensionOpenModalOptions; onDismiss: () => void }) {
  const Body = options.body;
  return (
    <Modal title={options.title} isOpen onDismiss={onDismiss}>
      <Body onDismiss={onDismiss} />
    </Modal>
  );
}

function AlertList() {
  const link = explainLinks()[0];
  const [modal, setModal] = useState<PluginExtensionOpenModalOptions>();
  return (
    <Stack direction="column" gap={1}>
      {modal && <ModalHost options={modal} onDismiss={() => setModal(undefined)} />}
      <Text element="h2">Alert instances</Text>
      {INSTANCES.map((labels) => (
        <Stack key={labels.alertname} direction="row" gap={2} alignItems="center">
          <Text weight="medium">{labels.alertname}</Text>
          <TagList tags={Object.entries(labels).map(([k, v]) => `${k}=${v}`)} />
          <Button
            size="sm"
            icon={link.icon}
            data-alertname={labels.alertname}
            onClick={(event) =>
              link.onClick?.(event, {
                context: {
                  instance: {
                    labels,
                    annotations: { summary: `${labels.alertname} is firing` },
                    state: 'Alerting',
                    activeAt: '2026-11-20T10:00:00Z',
                    value: "[ var='A' labels={} value=3 ]",
                  },
                  rule: {
                    grafana_alert: { title: labels.alertname, data: [{ refId: 'A', model: { expr: 'up == 0' } }] },
                  },
                },
                extensionPointId: 'grafana/alerting/instance/action',
                openModal: setModal,
                openSidebar: () => undefined,
                closeSidebar: () => undefined,
                toggleSidebar: () => undefined,
              })
            }
          >
            {link.title}
          </Button>
        </Stack>
      ))}
    </Stack>
  );
}

function ConfigPage() {
  const meta = {
    id: 'cloudobs-aiops-app',
    name: 'AI Observability & FinOps',
    type: PluginType.app,
    enabled: true,
    jsonData: {
      provider: 'openai',
      openai: { baseURL: 'https://llm-gateway.example.com/v1', model: 'gpt-4o-mini' },
      prometheus: { url: 'http://prometheus.monitoring:9090', authType: 'bearer' },
      kubernetes: { mode: 'incluster' },
      budgets: { dailyTokens: 200000, dailyCostUSD: 5 },
    },
    secureJsonFields: { openaiApiKey: true, prometheusBearerToken: true },
  } as unknown as AppPluginMeta<AppSettings>;
  const props = { plugin: { meta }, query: {} } as unknown as AppConfigProps;
  return <AppConfig {...props} />;
}

function Harness() {
  const view = new URLSearchParams(window.location.search).get('view') ?? 'alerts';
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <main style={{ padding: 24 }}>{view === 'config' ? <ConfigPage /> : <AlertList />}</main>
    </ThemeContext.Provider>
  );
}

setBackendSrv(httpBackendSrv());
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(<Harness />);
}
