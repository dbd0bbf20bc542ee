import { Explanation } from '../types';

/** Explanations of several categories, as the backend returns them. */
export const oomExplanation: Explanation = {
  id: 'ex_oom',
  fingerprint: 'fp-oom',
  summary: 'order-service pods are OOMKilled: memory grows to the 128Mi limit within 2 minutes of start.',
  rootCause: {
    category: 'OOMKilled',
    entity: { namespace: 'shop', kind: 'Deployment', name: 'order-service' },
    description: 'The order container exceeds its 128Mi memory limit and is killed by the kernel.',
    confidence: 0.9,
  },
  findings: [
    {
      id: 'f1',
      analyzer: 'oomkilled',
      category: 'OOMKilled',
      severity: 'critical',
      title: 'Container order was OOMKilled 5 times',
      detail: 'Last termination reason OOMKilled, exit code 137.',
      entity: { namespace: 'shop', kind: 'Pod', name: 'order-7d9c5-x2x1q' },
      evidence: ['e1', 'e3'],
      confidence: 0.95,
    },
  ],
  evidence: [
    {
      id: 'e1',
      kind: 'pod_status',
      entity: { namespace: 'shop', kind: 'Pod', name: 'order-7d9c5-x2x1q' },
      text: 'order: lastState terminated reason=OOMKilled exitCode=137 restarts=5',
    },
    {
      id: 'e2',
      kind: 'log_template',
      entity: { namespace: 'shop', kind: 'Pod', name: 'order-7d9c5-x2x1q' },
      text: 'allocating cache of <*> entries',
      count: 42,
      examples: ['2026-11-20T10:01:02Z allocating cache of 50000 entries'],
    },
    {
      id: 'e3',
      kind: 'metric',
      entity: { namespace: 'shop', kind: 'Pod', name: 'order-7d9c5-x2x1q' },
      text: 'container_memory_working_set_bytes{container="order"}',
      values: [40e6, 80e6, 110e6, 128e6, 30e6, 90e6, 127e6],
    },
    {
      id: 'e4',
      kind: 'event',
      entity: { namespace: 'shop', kind: 'Pod', name: 'order-7d9c5-x2x1q' },
      text: 'BackOff: Back-off restarting failed container order',
      count: 12,
      firstSeen: '2026-11-20T10:00:30Z',
      lastSeen: '2026-11-20T10:03:00Z',
    },
  ],
  nextSteps: [
    { text: 'Check memory usage against the limit', command: 'kubectl -n shop top pod -l app=order' },
    { text: 'Raise the memory limit or fix the cache growth' },
  ],
  provider: { name: 'openai', model: 'gpt-4o-mini' },
  usage: { promptTokens: 3100, completionTokens: 420, costUSD: 0.00072 },
  degraded: [],
  timings: { totalMs: 4200, collectMs: 1300, llmMs: 2800 },
  createdAt: '2026-11-20T10:03:12Z',
  alert: { labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'order-7d9c5-x2x1q' } },
};

export const degradedExplanation: Explanation = {
  id: 'ex_dep',
  fingerprint: 'fp-dep',
  summary: 'payment-service cannot reach its database: connections to postgres:5432 are refused.',
  rootCause: {
    category: 'DependencyFailure',
    entity: { namespace: '', kind: 'External', name: 'postgres.shop.svc' },
    description: 'Every request fails with "connection refused" to postgres:5432.',
    confidence: 0.55,
  },
  findings: [
    {
      id: 'f1',
      analyzer: 'dependency',
      category: 'DependencyFailure',
      severity: 'warning',
      title: 'Connection refused to postgres:5432 in 230 log lines',
      entity: { namespace: 'shop', kind: 'Deployment', name: 'payment-service' },
      evidence: ['e1'],
    },
  ],
  evidence: [
    {
      id: 'e1',
      kind: 'log_template',
      text: 'dial tcp <*>:5432: connect: connection refused',
      count: 230,
      examples: ['dial tcp 10.0.3.4:5432: connect: connection refused'],
    },
  ],
  nextSteps: [{ text: 'Check the database pods', command: 'kubectl -n shop get pods -l app=postgres' }],
  provider: { name: 'offline', model: '' },
  usage: { promptTokens: 0, completionTokens: 0, costUSD: 0 },
  degraded: [{ source: 'prometheus', error: 'connection refused' }],
  timings: { totalMs: 900, collectMs: 850, llmMs: 0 },
  createdAt: '2026-11-20T11:00:00Z',
  notes: ['examined 3 of 3 pods'],
  alert: { labels: { alertname: 'HighErrorRate', namespace: 'shop', service: 'payment' } },
};

export const unknownExplanation: Explanation = {
  id: 'ex_unknown',
  summary: 'No cause found: the alert names no namespace or workload.',
  rootCause: {
    category: 'Unknown',
    entity: {},
    description: 'The labels do not name a Kubernetes object.',
    confidence: 0.1,
  },
  findings: [],
  evidence: [],
  nextSteps: [],
  provider: { name: 'offline', model: '' },
  usage: { promptTokens: 0, completionTokens: 0, costUSD: 0 },
  degraded: [],
  timings: { totalMs: 30 },
  createdAt: '2026-11-20T12:00:00Z',
  alert: { labels: { alertname: 'Watchdog' } },
};

/** The explanation of an Alertmanager group: two alerts share payment-service's cause, one does not. */
export const groupedExplanation: Explanation = {
  ...degradedExplanation,
  id: 'ex_grp',
  degraded: [],
  group: {
    id: 'grp_0123456789abcdef',
    alerts: [
      {
        fingerprint: 'a1',
        name: 'OrderErrors',
        target: 'shop/deployment=order',
        labels: 'namespace=shop, deployment=order',
        sharesCause: true,
        reason: 'the analyzers trace it to Service/shop/payment, the object PaymentDown fired on',
        explanationId: 'ex_grp',
      },
      {
        fingerprint: 'a2',
        name: 'PaymentDown',
        target: 'shop/deployment=payment',
        labels: 'namespace=shop, deployment=payment',
        sharesCause: true,
        reason: 'the alert this explanation is about',
        explanationId: 'ex_grp',
      },
      {
        fingerprint: 'a3',
        name: 'CartSlow',
        target: 'shop/deployment=cart',
        labels: 'namespace=shop, deployment=cart',
        sharesCause: false,
        reason: 'explained apart: the analyzers find another cause, CPUThrottling of Deployment/shop/cart',
        explanationId: 'ex_cart',
      },
    ],
  },
};
