import { Field, FieldSet, Input, RadioButtonGroup, Switch, TextArea } from '@grafana/ui';

import { KubernetesMode, PrometheusAuth, SourceAuth, TraceBackend } from '../../settings';
import { SecretField } from './SecretField';
import { SectionProps } from './state';

const AUTH: Array<{ label: string; value: PrometheusAuth }> = [
  { label: 'None', value: 'none' },
  { label: 'Basic', value: 'basic' },
  { label: 'Bearer token', value: 'bearer' },
  { label: 'AWS SigV4', value: 'sigv4' },
];

const KUBE: Array<{ label: string; value: KubernetesMode; description: string }> = [
  {
    label: 'In cluster',
    value: 'incluster',
    description: "Grafana's service account (needs read RBAC on pods, events, workloads, logs)",
  },
  { label: 'Kubeconfig', value: 'kubeconfig', description: 'A kubeconfig file readable by the Grafana server' },
  { label: 'Off', value: 'off', description: 'No Kubernetes evidence; explanations use metrics and logs only' },
];

export function PrometheusSection(props: SectionProps) {
  const { state, update } = props;
  const prom = state.jsonData.prometheus ?? {};
  const auth = prom.authType ?? 'none';
  return (
    <FieldSet label="Prometheus">
      <Field label="URL" description="Where metrics evidence comes from; empty disables it">
        <Input
          id="aiops-prometheus-url"
          width={60}
          value={prom.url ?? ''}
          placeholder="http://prometheus.monitoring:9090"
          onChange={(e) => update('prometheus', { ...prom, url: e.currentTarget.value })}
        />
      </Field>
      <Field label="Authentication">
        <RadioButtonGroup
          options={AUTH}
          value={auth}
          onChange={(value) => update('prometheus', { ...prom, authType: value })}
        />
      </Field>
      {auth === 'basic' && (
        <>
          <Field label="User">
            <Input
              id="aiops-prometheus-user"
              width={40}
              value={prom.basicUser ?? ''}
              onChange={(e) => update('prometheus', { ...prom, basicUser: e.currentTarget.value })}
            />
          </Field>
          <SecretField {...props} secret="prometheusPassword" label="Password" />
        </>
      )}
      {auth === 'bearer' && <SecretField {...props} secret="prometheusBearerToken" label="Bearer token" />}
      {auth === 'sigv4' && (
        <Field label="SigV4 region" description="Amazon Managed Service for Prometheus region" required>
          <Input
            id="aiops-prometheus-sigv4-region"
            width={30}
            value={prom.sigv4Region ?? ''}
            placeholder="us-east-1"
            onChange={(e) => update('prometheus', { ...prom, sigv4Region: e.currentTarget.value })}
          />
        </Field>
      )}
      <Field label="Skip TLS verification" description="Only for test clusters with self-signed certificates">
        <Switch
          id="aiops-prometheus-tls-skip"
          value={Boolean(prom.tlsSkipVerify)}
          onChange={(e) => update('prometheus', { ...prom, tlsSkipVerify: e.currentTarget.checked })}
        />
      </Field>
      <Field label="CA certificate" description="PEM bundle trusted in addition to the system roots">
        <TextArea
          id="aiops-prometheus-ca"
          rows={3}
          value={prom.caCert ?? ''}
          placeholder="-----BEGIN CERTIFICATE-----"
          onChange={(e) => update('prometheus', { ...prom, caCert: e.currentTarget.value })}
        />
      </Field>
    </FieldSet>
  );
}

export function KubernetesSection({ state, update }: SectionProps) {
  const kube = state.jsonData.kubernetes ?? {};
  const mode = kube.mode ?? 'off';
  return (
    <FieldSet label="Kubernetes">
      <Field label="Access" description={KUBE.find((k) => k.value === mode)?.description}>
        <RadioButtonGroup
          options={KUBE.map(({ label, value }) => ({ label, value }))}
          value={mode}
          onChange={(value) => update('kubernetes', { ...kube, mode: value })}
        />
      </Field>
      {mode === 'kubeconfig' && (
        <>
          <Field label="Kubeconfig path" required>
            <Input
              id="aiops-kubeconfig-path"
              width={60}
              value={kube.kubeconfigPath ?? ''}
              placeholder="/etc/grafana/kubeconfig"
              onChange={(e) => update('kubernetes', { ...kube, kubeconfigPath: e.currentTarget.value })}
            />
          </Field>
          <Field label="Context" description="Empty uses the kubeconfig's current context">
            <Input
              id="aiops-kube-context"
              width={40}
              value={kube.context ?? ''}
              onChange={(e) => update('kubernetes', { ...kube, context: e.currentTarget.value })}
            />
          </Field>
        </>
      )}
      {mode !== 'off' && <LogWatchFields {...{ state, update }} />}
    </FieldSet>
  );
}

/** The background log watch: it reads pods through the Kubernetes access above. */
function LogWatchFields({ state, update }: Pick<SectionProps, 'state' | 'update'>) {
  const watch = state.jsonData.watch ?? {};
  return (
    <>
      <Field
        label="Watch logs"
        description="Tail the pods of these namespaces and raise findings for new error templates and template surges, served by the data source's findings query"
      >
        <Switch
          id="aiops-watch-enabled"
          value={watch.enabled ?? false}
          onChange={(e) => update('watch', { ...watch, enabled: e.currentTarget.checked })}
        />
      </Field>
      {watch.enabled && (
        <>
          <Field label="Namespaces" description="Comma-separated, at most 20" required>
            <Input
              id="aiops-watch-namespaces"
              width={60}
              value={(watch.namespaces ?? []).join(', ')}
              placeholder="shop, payments"
              onChange={(e) =>
                update('watch', {
                  ...watch,
                  namespaces: e.currentTarget.value.split(',').map((ns) => ns.trim()),
                })
              }
            />
          </Field>
          <Field label="Pod selector" description="Label selector narrowing the pods; empty watches all">
            <Input
              id="aiops-watch-selector"
              width={40}
              value={watch.selector ?? ''}
              placeholder="app.kubernetes.io/part-of=shop"
              onChange={(e) => update('watch', { ...watch, selector: e.currentTarget.value })}
            />
          </Field>
          <Field label="Interval" description="Time between polls, 5s to 1h">
            <Input
              id="aiops-watch-interval"
              width={12}
              value={watch.interval ?? ''}
              placeholder="30s"
              onChange={(e) => update('watch', { ...watch, interval: e.currentTarget.value })}
            />
          </Field>
        </>
      )}
    </>
  );
}

const SOURCE_AUTH: Array<{ label: string; value: SourceAuth }> = [
  { label: 'None', value: 'none' },
  { label: 'Basic', value: 'basic' },
  { label: 'Bearer token', value: 'bearer' },
];

const TRACE_BACKENDS: Array<{ label: string; value: TraceBackend }> = [
  { label: 'Tempo', value: 'tempo' },
  { label: 'Jaeger', value: 'jaeger' },
];

export function LogSourcesSection(props: SectionProps) {
  const { state, update } = props;
  const loki = state.jsonData.loki ?? {};
  const lokiAuth = loki.authType ?? 'none';
  const cw = state.jsonData.cloudwatch ?? {};
  const files = state.jsonData.logFiles ?? {};
  return (
    <FieldSet label="Log sources">
      <Field label="Loki URL" description="Read logs from Loki beside the Kubernetes API">
        <Input
          id="aiops-loki-url"
          width={60}
          value={loki.url ?? ''}
          placeholder="http://loki.monitoring:3100"
          onChange={(e) => update('loki', { ...loki, url: e.currentTarget.value })}
        />
      </Field>
      <Field label="Loki tenant" description="Sent as X-Scope-OrgID to a multi-tenant Loki">
        <Input
          id="aiops-loki-tenant"
          width={40}
          value={loki.tenantId ?? ''}
          onChange={(e) => update('loki', { ...loki, tenantId: e.currentTarget.value })}
        />
      </Field>
      <Field label="Loki authentication">
        <RadioButtonGroup
          options={SOURCE_AUTH}
          value={lokiAuth}
          onChange={(value) => update('loki', { ...loki, authType: value })}
        />
      </Field>
      {lokiAuth === 'basic' && (
        <>
          <Field label="Loki user">
            <Input
              id="aiops-loki-user"
              width={40}
              value={loki.basicUser ?? ''}
              onChange={(e) => update('loki', { ...loki, basicUser: e.currentTarget.value })}
            />
          </Field>
          <SecretField {...props} secret="lokiPassword" label="Loki password" />
        </>
      )}
      {lokiAuth === 'bearer' && <SecretField {...props} secret="lokiBearerToken" label="Loki bearer token" />}
      <Field
        label="CloudWatch log group"
        description="The group Fluent Bit writes container logs to, for pods that are gone; credentials come from the AWS default chain (IRSA)"
      >
        <Input
          id="aiops-cloudwatch-group"
          width={60}
          value={cw.logGroup ?? ''}
          placeholder="/aws/eks/prod/containers"
          onChange={(e) => update('cloudwatch', { ...cw, logGroup: e.currentTarget.value })}
        />
      </Field>
      <Field label="CloudWatch region">
        <Input
          id="aiops-cloudwatch-region"
          width={30}
          value={cw.region ?? ''}
          placeholder="the AWS SDK's"
          onChange={(e) => update('cloudwatch', { ...cw, region: e.currentTarget.value })}
        />
      </Field>
      <Field label="CloudWatch stream pattern" description="Stream names with {namespace}, {pod} and {container}">
        <Input
          id="aiops-cloudwatch-pattern"
          width={60}
          value={cw.streamPattern ?? ''}
          placeholder="Fluent Bit's kube.var.log.containers naming"
          onChange={(e) => update('cloudwatch', { ...cw, streamPattern: e.currentTarget.value })}
        />
      </Field>
      <Field label="Use Logs Insights" description="Faster on large groups; billed per GB scanned">
        <Switch
          id="aiops-cloudwatch-insights"
          value={Boolean(cw.insights)}
          onChange={(e) => update('cloudwatch', { ...cw, insights: e.currentTarget.checked })}
        />
      </Field>
      <Field label="Log files" description="A glob of log files on the Grafana server, e.g. /var/log/pods/*/*/*.log">
        <Input
          id="aiops-log-files"
          width={60}
          value={files.pattern ?? ''}
          onChange={(e) => update('logFiles', { ...files, pattern: e.currentTarget.value })}
        />
      </Field>
    </FieldSet>
  );
}

export function TracesSection(props: SectionProps) {
  const { state, update } = props;
  const traces = state.jsonData.traces ?? {};
  const auth = traces.authType ?? 'none';
  return (
    <FieldSet label="Traces">
      <Field label="Trace backend">
        <RadioButtonGroup
          options={TRACE_BACKENDS}
          value={traces.backend ?? 'tempo'}
          onChange={(value) => update('traces', { ...traces, backend: value })}
        />
      </Field>
      <Field label="Trace backend URL" description="Tempo's or Jaeger's query API; empty reads no traces">
        <Input
          id="aiops-traces-url"
          width={60}
          value={traces.url ?? ''}
          placeholder="http://tempo.observability:3200"
          onChange={(e) =>
            update('traces', { ...traces, backend: traces.backend ?? 'tempo', url: e.currentTarget.value })
          }
        />
      </Field>
      <Field label="Trace tenant" description="Sent as X-Scope-OrgID to a multi-tenant Tempo">
        <Input
          id="aiops-traces-tenant"
          width={40}
          value={traces.tenantId ?? ''}
          onChange={(e) => update('traces', { ...traces, tenantId: e.currentTarget.value })}
        />
      </Field>
      <Field label="Trace authentication">
        <RadioButtonGroup
          options={SOURCE_AUTH}
          value={auth}
          onChange={(value) => update('traces', { ...traces, authType: value })}
        />
      </Field>
      {auth === 'basic' && (
        <>
          <Field label="Trace user">
            <Input
              id="aiops-traces-user"
              width={40}
              value={traces.basicUser ?? ''}
              onChange={(e) => update('traces', { ...traces, basicUser: e.currentTarget.value })}
            />
          </Field>
          <SecretField {...props} secret="tracesPassword" label="Trace password" />
        </>
      )}
      {auth === 'bearer' && <SecretField {...props} secret="tracesBearerToken" label="Trace bearer token" />}
      <Field label="Explore data source" description="UID of the Grafana Tempo data source a cited trace opens in">
        <Input
          id="aiops-traces-explore"
          width={40}
          value={traces.exploreDatasourceUid ?? ''}
          onChange={(e) => update('traces', { ...traces, exploreDatasourceUid: e.currentTarget.value })}
        />
      </Field>
    </FieldSet>
  );
}
