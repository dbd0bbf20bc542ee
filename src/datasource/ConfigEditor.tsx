import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, Field, Input, TextLink } from '@grafana/ui';

import { PLUGIN_ID } from '../constants';
import { AiopsDataSourceOptions } from './types';

type Props = DataSourcePluginOptionsEditorProps<AiopsDataSourceOptions>;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  return (
    <>
      <Alert severity="info" title="Settings come from the app">
        This data source reads findings, explanations, AI usage and cost from the AI Observability app. Its model
        provider, Prometheus and Kubernetes access are set on the{' '}
        <TextLink href={`/plugins/${PLUGIN_ID}`}>app configuration page</TextLink>.
      </Alert>
      <Field label="Default namespace" description="Used by findings and cost queries that name no namespace">
        <Input
          id="aiops-ds-default-namespace"
          width={40}
          value={options.jsonData.defaultNamespace ?? ''}
          placeholder="all namespaces"
          onChange={(e) =>
            onOptionsChange({
              ...options,
              jsonData: { ...options.jsonData, defaultNamespace: e.currentTarget.value || undefined },
            })
          }
        />
      </Field>
    </>
  );
}
