import { Field, FieldSet, Input, RadioButtonGroup, Switch, TextArea } from '@grafana/ui';

import { KubernetesMode, PrometheusAuth } from '../../settings';
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
    </FieldSet>
  );
}

export function LogSourcesSection({ state, update }: SectionProps) {
  const loki = state.jsonData.loki ?? {};
  const files = state.jsonData.logFiles ?? {};
  return (
    <FieldSet label="Log sources">
      <Field
        label="Loki URL"
        description="Read logs from Loki instead of the Kubernetes API; empty uses the Kubernetes API"
      >
        <Input
          id="aiops-loki-url"
          width={60}
          value={loki.url ?? ''}
          placeholder="http://loki.monitoring:3100"
          onChange={(e) => update('loki', { ...loki, url: e.currentTarget.value })}
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
