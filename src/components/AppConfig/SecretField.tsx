import { Field, SecretInput } from '@grafana/ui';

import { SecretKey } from '../../settings';
import { SectionProps } from './state';

interface Props extends Pick<SectionProps, 'state' | 'setSecret' | 'resetSecret'> {
  secret: SecretKey;
  label: string;
  description?: string;
  placeholder?: string;
}

/** A secret is never shown: only "configured" with a Reset button, or an empty input. */
export function SecretField({ state, setSecret, resetSecret, secret, label, description, placeholder }: Props) {
  const id = `aiops-secret-${secret}`;
  return (
    <Field label={label} description={description}>
      <SecretInput
        id={id}
        width={60}
        isConfigured={Boolean(state.secureJsonFields[secret])}
        value={state.secureJsonData[secret] ?? ''}
        placeholder={placeholder}
        onChange={(e) => setSecret(secret, e.currentTarget.value)}
        onReset={() => resetSecret(secret)}
      />
    </Field>
  );
}
