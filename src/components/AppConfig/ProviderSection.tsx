import { css } from '@emotion/css';
import { useState } from 'react';
import { GrafanaTheme2 } from '@grafana/data';
import {
  Button,
  Combobox,
  ComboboxOption,
  Field,
  FieldSet,
  Input,
  RadioButtonGroup,
  Stack,
  Switch,
  Text,
  TextArea,
  useStyles2,
} from '@grafana/ui';

import { api } from '../../api/client';
import { toApiError } from '../../api/errors';
import { CredentialsMode, DEFAULTS, JSONFormat, ProviderName } from '../../settings';
import { ModelsSection } from './ModelsSection';
import { SecretField } from './SecretField';
import { formatHeaderLines, parseHeaderLines, SectionProps } from './state';

const PROVIDERS: Array<{ label: string; value: ProviderName; description: string }> = [
  { label: 'Offline', value: 'offline', description: 'Answers from the analyzers alone; no data leaves Grafana' },
  { label: 'OpenAI-compatible', value: 'openai', description: 'OpenAI, Azure OpenAI or any compatible gateway' },
  { label: 'Ollama', value: 'ollama', description: 'A local model such as Llama 3' },
  { label: 'AWS Bedrock', value: 'bedrock', description: 'Bedrock Converse API' },
];

const JSON_FORMATS: Array<{ label: string; value: JSONFormat; description: string }> = [
  { label: 'JSON schema', value: 'json_schema', description: 'The answer must match the schema (OpenAI, Azure, vLLM)' },
  { label: 'JSON object', value: 'json_object', description: 'Any JSON object, for gateways without schema support' },
  { label: 'None', value: 'none', description: 'Only the prompt asks for JSON, for servers that support neither' },
];

const CREDENTIALS: Array<{ label: string; value: CredentialsMode }> = [
  { label: 'AWS default chain', value: 'default' },
  { label: 'Access key', value: 'static' },
];

export function ProviderSection(props: SectionProps) {
  const { state, update } = props;
  const provider = state.jsonData.provider ?? DEFAULTS.provider;
  return (
    <FieldSet label="Model provider">
      <Field label="Provider" description={PROVIDERS.find((p) => p.value === provider)?.description}>
        <RadioButtonGroup
          options={PROVIDERS.map(({ label, value }) => ({ label, value }))}
          value={provider}
          onChange={(value) => update('provider', value)}
        />
      </Field>
      {provider === 'openai' && <OpenAIFields {...props} />}
      {provider === 'ollama' && <OllamaFields {...props} />}
      {provider === 'bedrock' && <BedrockFields {...props} />}
      {provider !== 'offline' && <ModelsSection {...props} />}
    </FieldSet>
  );
}

function OpenAIFields(props: SectionProps) {
  const { state, update } = props;
  const openai = state.jsonData.openai ?? {};
  return (
    <>
      <SecretField {...props} secret="openaiApiKey" label="API key" placeholder="sk-…" />
      <Field label="Base URL" description="Change for Azure OpenAI, vLLM, LiteLLM or another compatible gateway">
        <Input
          id="aiops-openai-base-url"
          width={60}
          value={openai.baseURL ?? ''}
          placeholder={DEFAULTS.openaiBaseURL}
          onChange={(e) => update('openai', { ...openai, baseURL: e.currentTarget.value })}
        />
      </Field>
      <Field label="Organization" description="Optional OpenAI organization id">
        <Input
          id="aiops-openai-organization"
          width={60}
          value={openai.organization ?? ''}
          onChange={(e) => update('openai', { ...openai, organization: e.currentTarget.value })}
        />
      </Field>
      <Field label="Model">
        <Input
          id="aiops-openai-model"
          width={60}
          value={openai.model ?? ''}
          placeholder={DEFAULTS.openaiModel}
          onChange={(e) => update('openai', { ...openai, model: e.currentTarget.value })}
        />
      </Field>
      <Field label="Azure OpenAI" description="Use Azure's deployment URLs and api-key header">
        <Switch
          id="aiops-openai-azure"
          value={Boolean(openai.azure)}
          onChange={(e) => update('openai', { ...openai, azure: e.currentTarget.checked })}
        />
      </Field>
      {openai.azure && (
        <Field label="API version" required>
          <Input
            id="aiops-openai-api-version"
            width={30}
            value={openai.apiVersion ?? ''}
            placeholder="2024-10-21"
            onChange={(e) => update('openai', { ...openai, apiVersion: e.currentTarget.value })}
          />
        </Field>
      )}
      {openai.azure && (
        <Field label="Azure deployment" description="Deployment name; the model name is used when empty">
          <Input
            id="aiops-openai-azure-deployment"
            width={30}
            value={openai.azureDeployment ?? ''}
            onChange={(e) => update('openai', { ...openai, azureDeployment: e.currentTarget.value })}
          />
        </Field>
      )}
      <Field
        label="Structured output"
        description={JSON_FORMATS.find((f) => f.value === (openai.jsonFormat ?? 'json_schema'))?.description}
      >
        <RadioButtonGroup
          options={JSON_FORMATS.map(({ label, value }) => ({ label, value }))}
          value={openai.jsonFormat ?? 'json_schema'}
          onChange={(value) => update('openai', { ...openai, jsonFormat: value })}
        />
      </Field>
      <HeaderFields
        {...props}
        id="aiops-openai-headers"
        headers={openai.headers}
        onHeaders={(headers) => update('openai', { ...openai, headers })}
        secret="openaiHeaderValues"
        what="sent with every request"
        example='{"X-Gateway-Key": "…"}'
      />
    </>
  );
}

function OllamaFields(props: SectionProps) {
  const { state, update } = props;
  const styles = useStyles2(getStyles);
  const ollama = state.jsonData.ollama ?? {};
  const [models, setModels] = useState<string[]>([]);
  const [modelsError, setModelsError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const loadModels = async () => {
    setLoading(true);
    setModelsError(undefined);
    try {
      const names = await api.models('ollama');
      setModels(names);
      if (names.length === 0) {
        setModelsError('The server lists no models. Pull one with "ollama pull llama3".');
      }
    } catch (err) {
      setModelsError(`${toApiError(err).message}. Save the URL first; the list comes from the saved settings.`);
    } finally {
      setLoading(false);
    }
  };
  const options: Array<ComboboxOption<string>> = models.map((m) => ({ label: m, value: m }));
  return (
    <>
      <Field label="Ollama URL">
        <Input
          id="aiops-ollama-url"
          width={60}
          value={ollama.url ?? ''}
          placeholder={DEFAULTS.ollamaURL}
          onChange={(e) => update('ollama', { ...ollama, url: e.currentTarget.value })}
        />
      </Field>
      <Stack direction="row" gap={1} alignItems="flex-start">
        <Field
          label="Model"
          description="Pick from the models the server has, or type a name"
          error={modelsError}
          invalid={Boolean(modelsError)}
        >
          <Combobox
            id="aiops-ollama-model"
            width={40}
            options={options}
            value={ollama.model ?? ''}
            placeholder={DEFAULTS.ollamaModel}
            createCustomValue
            onChange={(o) => update('ollama', { ...ollama, model: o?.value ?? '' })}
          />
        </Field>
        <div className={styles.loadButton}>
          <Button variant="secondary" icon="sync" onClick={loadModels} disabled={loading}>
            {loading ? 'Loading…' : 'Load models'}
          </Button>
        </div>
      </Stack>
      {models.length > 0 && (
        <Text variant="bodySmall" color="secondary">
          {models.length} models available
        </Text>
      )}
      <HeaderFields
        {...props}
        id="aiops-ollama-headers"
        headers={ollama.headers}
        onHeaders={(headers) => update('ollama', { ...ollama, headers })}
        secret="ollamaHeaderValues"
        what="e.g. for a proxy in front of Ollama"
        example='{"Authorization": "Bearer …"}'
      />
    </>
  );
}

interface HeaderFieldsProps extends SectionProps {
  id: string;
  headers?: Record<string, string>;
  onHeaders: (headers: Record<string, string>) => void;
  secret: 'openaiHeaderValues' | 'ollamaHeaderValues';
  /** When the headers are sent, for the description. */
  what: string;
  example: string;
}

/** Plain extra headers as "Name: value" lines, and secret ones as a stored JSON object. */
function HeaderFields({ id, headers, onHeaders, secret, what, example, ...props }: HeaderFieldsProps) {
  const [text, setText] = useState(formatHeaderLines(headers));
  return (
    <>
      <Field label="Extra headers" description={`One 'Name: value' per line, ${what} (not secret)`}>
        <TextArea
          id={id}
          rows={3}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            onHeaders(parseHeaderLines(e.currentTarget.value));
          }}
        />
      </Field>
      <SecretField
        {...props}
        secret={secret}
        label="Secret headers"
        description={`A JSON object of header name to value, e.g. ${example}; stored encrypted`}
      />
    </>
  );
}

function BedrockFields(props: SectionProps) {
  const { state, update } = props;
  const bedrock = state.jsonData.bedrock ?? {};
  const mode = bedrock.credentialsMode ?? 'default';
  return (
    <>
      <Field label="Region">
        <Input
          id="aiops-bedrock-region"
          width={30}
          value={bedrock.region ?? ''}
          placeholder="us-east-1"
          onChange={(e) => update('bedrock', { ...bedrock, region: e.currentTarget.value })}
        />
      </Field>
      <Field label="Endpoint" description="Optional override, e.g. a VPC endpoint or a local emulator">
        <Input
          id="aiops-bedrock-endpoint"
          width={40}
          value={bedrock.endpoint ?? ''}
          onChange={(e) => update('bedrock', { ...bedrock, endpoint: e.currentTarget.value })}
        />
      </Field>
      <Field label="Model id">
        <Input
          id="aiops-bedrock-model"
          width={60}
          value={bedrock.modelId ?? ''}
          placeholder={DEFAULTS.bedrockModelId}
          onChange={(e) => update('bedrock', { ...bedrock, modelId: e.currentTarget.value })}
        />
      </Field>
      <Field label="Credentials" description="The default chain uses IRSA, instance roles or environment variables">
        <RadioButtonGroup
          options={CREDENTIALS}
          value={mode}
          onChange={(value) => update('bedrock', { ...bedrock, credentialsMode: value })}
        />
      </Field>
      {mode === 'static' && (
        <>
          <SecretField {...props} secret="bedrockAccessKey" label="Access key id" />
          <SecretField {...props} secret="bedrockSecretKey" label="Secret access key" />
        </>
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // Lines the button up with the input under the field's label and description.
  loadButton: css({ marginTop: theme.spacing(5.5) }),
});
