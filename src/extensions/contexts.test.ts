import { PluginExtensionPoints } from '@grafana/data';

import { alertFromAlertInstance, alertFromExplore, alertFromPanel, labelsFromQueries } from './contexts';
import { explainLinks } from './links';

describe('alertFromAlertInstance', () => {
  it('turns a Grafana alert instance and its rule into an alert context', () => {
    const alert = alertFromAlertInstance({
      instance: {
        labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'order-1' },
        annotations: { summary: 'order restarts' },
        state: 'Alerting',
        activeAt: '2026-11-20T10:00:00Z',
        value: "[ var='A' labels={pod=order-1} value=3 ], [ var='B' labels={} value=1 ]",
      },
      rule: {
        grafana_alert: { title: 'Crash', data: [{ refId: 'A', model: { expr: 'increase(restarts[10m]) > 2' } }] },
      },
    });
    expect(alert).toEqual({
      labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'order-1' },
      annotations: { summary: 'order restarts' },
      status: 'firing',
      startsAt: '2026-11-20T10:00:00.000Z',
      fingerprint: undefined,
      generatorURL: undefined,
      values: { A: 3, B: 1 },
      query: 'increase(restarts[10m]) > 2',
    });
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'boom'],
    ['labels of the wrong type', { instance: { labels: ['a'], activeAt: 'not a time', value: {} } }],
    ['an array', [1, 2, 3]],
  ])('survives %s', (_name, context) => {
    const alert = alertFromAlertInstance(context);
    expect(alert.labels).toEqual({});
    expect(alert.startsAt).toBeUndefined();
  });

  it('uses the rule title when the instance has no alertname and bounds label values', () => {
    const alert = alertFromAlertInstance({
      instance: { labels: { x: 'y'.repeat(5000) } },
      rule: { grafana_alert: { title: 'Disk full' } },
    });
    expect(alert.labels.alertname).toBe('Disk full');
    expect(alert.labels.x).toHaveLength(1024);
  });
});

describe('alertFromPanel and alertFromExplore', () => {
  it('takes the panel title, target labels, alert state and time range', () => {
    const alert = alertFromPanel({
      title: 'Order errors',
      dashboard: { uid: 'd1', title: 'Shop' },
      targets: [
        { refId: 'A', expr: 'sum(rate(http_requests_total{namespace="shop", service="order", code=~"5.."}[5m]))' },
      ],
      data: { alertState: { state: 'alerting' }, timeRange: { from: new Date('2026-11-20T09:00:00Z') } },
    });
    expect(alert.labels).toEqual({
      alertname: 'Order errors',
      namespace: 'shop',
      service: 'order',
      dashboard_uid: 'd1',
    });
    expect(alert.status).toBe('firing');
    expect(alert.startsAt).toBe('2026-11-20T09:00:00.000Z');
    expect(alert.annotations?.summary).toBe('Panel "Order errors" on dashboard "Shop"');
    expect(alert.query).toContain('http_requests_total');
  });

  it('explains Explore queries', () => {
    const alert = alertFromExplore({ targets: [{ expr: '{namespace="shop", pod="p1"} |= "error"' }] });
    expect(alert.labels).toEqual({ alertname: 'Explore query', namespace: 'shop', pod: 'p1' });
  });

  it('only takes exact matchers of Kubernetes labels', () => {
    expect(labelsFromQueries(['up{namespace=~"shop|pay", job="api", le="0.5"}'])).toEqual({ job: 'api' });
  });
});

describe('explainLinks', () => {
  it('adds Explain to the alert instance, panel menu and Explore toolbar and opens the explanation', () => {
    const open = jest.fn();
    const links = explainLinks(open);
    expect(links.map((l) => l.targets)).toEqual([
      [PluginExtensionPoints.AlertInstanceAction],
      [PluginExtensionPoints.DashboardPanelMenu],
      [PluginExtensionPoints.ExploreToolbarAction],
    ]);
    expect(links.map((l) => l.title)).toEqual(['Explain this alert', 'Explain this panel', 'Explain this query']);
    const helpers = {
      context: { instance: { labels: { alertname: 'A', namespace: 'n' } } },
      extensionPointId: PluginExtensionPoints.AlertInstanceAction,
      openModal: jest.fn(),
      openSidebar: jest.fn(),
      closeSidebar: jest.fn(),
      toggleSidebar: jest.fn(),
    };
    links[0].onClick?.(undefined, helpers);
    expect(open).toHaveBeenCalledWith(
      helpers.openModal,
      expect.objectContaining({ labels: { alertname: 'A', namespace: 'n' } }),
      'alert instance'
    );
  });
});
