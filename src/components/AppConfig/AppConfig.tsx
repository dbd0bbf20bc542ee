import { css } from '@emotion/css';
import { useState } from 'react';
import { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { Alert, Button, Stack, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import { ApiError, toApiError } from '../../api/errors';
import { savePluginSettings } from '../../api/pluginSettings';
import { HealthReport } from '../../types';
import { AppSettings, SECRET_KEYS, SecretKey } from '../../settings';
import { HealthCheck } from './HealthCheck';
import { AccessSection, BudgetSection, FinOpsSection, RedactionSection } from './PolicySection';
import { ProviderSection } from './ProviderSection';
import { KubernetesSection, LogSourcesSection, PrometheusSection, TracesSection } from './SourcesSection';
import { ConfigState, SectionProps } from './state';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

function initialState(meta: PluginMeta<AppSettings>): ConfigState {
  const fields: ConfigState['secureJsonFields'] = {};
  for (const key of SECRET_KEYS) {
    fields[key] = Boolean(meta.secureJsonFields?.[key]);
  }
  return { jsonData: { ...(meta.jsonData ?? {}) }, secureJsonData: {}, secureJsonFields: fields };
}

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: ApiError };

export default function AppConfig({ plugin }: AppConfigProps) {
  const styles = useStyles2(getStyles);
  const [state, setState] = useState<ConfigState>(() => initialState(plugin.meta));
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [testing, setTesting] = useState(false);
  const [health, setHealth] = useState<{ report?: HealthReport; error?: ApiError }>({});

  const update: SectionProps['update'] = (key, value) =>
    setState((s) => ({ ...s, jsonData: { ...s.jsonData, [key]: value } }));
  const setSecret = (key: SecretKey, value: string) =>
    setState((s) => ({ ...s, secureJsonData: { ...s.secureJsonData, [key]: value } }));
  const resetSecret = (key: SecretKey) =>
    setState((s) => ({
      ...s,
      // An empty string clears the stored secret on save.
      secureJsonData: { ...s.secureJsonData, [key]: '' },
      secureJsonFields: { ...s.secureJsonFields, [key]: false },
    }));
  const sectionProps: SectionProps = { state, update, setSecret, resetSecret };

  const persist = async (): Promise<boolean> => {
    setSave({ kind: 'saving' });
    try {
      await savePluginSettings({
        enabled: true,
        pinned: true,
        jsonData: state.jsonData,
        secureJsonData: state.secureJsonData,
      });
      setState((s) => {
        const fields = { ...s.secureJsonFields };
        for (const [key, value] of Object.entries(s.secureJsonData)) {
          fields[key as SecretKey] = Boolean(value);
        }
        return { ...s, secureJsonData: {}, secureJsonFields: fields };
      });
      setSave({ kind: 'saved' });
      return true;
    } catch (err) {
      setSave({ kind: 'failed', error: toApiError(err) });
      return false;
    }
  };

  const saveAndTest = async () => {
    setHealth({});
    if (!(await persist())) {
      return;
    }
    setTesting(true);
    try {
      setHealth({ report: await api.health() });
    } catch (err) {
      setHealth({ error: toApiError(err) });
    } finally {
      setTesting(false);
    }
  };

  return (
    <form
      className={styles.form}
      aria-label="AI Observability configuration"
      onSubmit={(e) => {
        e.preventDefault();
        persist();
      }}
    >
      {!plugin.meta.enabled && (
        <Alert severity="info" title="The app is not enabled yet">
          Saving the settings enables it.
        </Alert>
      )}
      <ProviderSection {...sectionProps} />
      <PrometheusSection {...sectionProps} />
      <KubernetesSection {...sectionProps} />
      <LogSourcesSection {...sectionProps} />
      <TracesSection {...sectionProps} />
      <RedactionSection {...sectionProps} />
      <BudgetSection {...sectionProps} />
      <FinOpsSection {...sectionProps} />
      <AccessSection {...sectionProps} />
      <Stack direction="row" gap={1}>
        <Button type="submit" disabled={save.kind === 'saving'}>
          Save settings
        </Button>
        <Button
          type="button"
          variant="secondary"
          icon="heart-rate"
          onClick={saveAndTest}
          disabled={save.kind === 'saving' || testing}
        >
          {testing ? 'Testing…' : 'Save & test'}
        </Button>
      </Stack>
      <div role="status" aria-live="polite">
        {save.kind === 'saved' && !health.report && !health.error && !testing && (
          <Alert severity="success" title="Settings saved" />
        )}
        {save.kind === 'failed' && (
          <Alert severity="error" title="Settings not saved">
            {save.error.message}. Check the highlighted fields; the backend names each invalid one.
          </Alert>
        )}
        <HealthCheck report={health.report} error={health.error} />
      </div>
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ maxWidth: 900, display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
