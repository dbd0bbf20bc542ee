import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, ClipboardButton, Divider, Dropdown, Menu, Stack, Text, useStyles2 } from '@grafana/ui';

import { Explanation, ProviderStatus } from '../../types';
import { explanationToMarkdown } from '../../utils/markdown';
import { AlertGroupView } from './AlertGroupView';
import { EvidenceGroups } from './EvidenceGroups';
import { Feedback } from './Feedback';
import { Findings } from './Findings';
import { MetaLine } from './MetaLine';
import { NextSteps } from './NextSteps';
import { RootCause } from './RootCause';

interface Props {
  explanation: Explanation;
  /** Ask again, bypassing the cache. Hidden when absent (read-only history view). */
  onRegenerate?: () => void;
  /** Ask again with another configured provider. */
  onExplainWith?: (provider: string) => void;
  providers?: ProviderStatus[];
  busy?: boolean;
}

/** One explanation, summary first, then cause, findings, evidence, steps and cost. */
export function ExplanationView({ explanation, onRegenerate, onExplainWith, providers = [], busy }: Props) {
  const styles = useStyles2(getStyles);
  const degraded = explanation.degraded ?? [];
  const findings = explanation.findings ?? [];
  const evidence = explanation.evidence ?? [];
  const isEmpty =
    (explanation.rootCause?.category ?? 'Unknown') === 'Unknown' && findings.length === 0 && evidence.length === 0;
  const otherProviders = providers.filter((p) => p.configured && p.name !== explanation.provider?.name);

  return (
    <article className={styles.container} aria-label="Explanation" data-testid="aiops-explanation">
      {degraded.length > 0 && (
        <Alert severity="warning" title="Partial explanation: some sources failed">
          <ul className={styles.plainList}>
            {degraded.map((d) => (
              <li key={d.source}>
                <strong>{d.source}</strong>: {d.error}
              </li>
            ))}
          </ul>
          The answer is based on the remaining sources; fix the ones above in the app configuration and regenerate.
        </Alert>
      )}
      {isEmpty && (
        <Alert severity="info" title="No evidence of a cause">
          The analyzers found nothing for this alert. It may have resolved, its labels may not name a namespace, pod or
          workload, or the Kubernetes and Prometheus sources may be off. Check the notes below.
        </Alert>
      )}

      <section aria-labelledby="aiops-summary">
        <Text element="h3" id="aiops-summary">
          Summary
        </Text>
        <p className={styles.summary} data-testid="aiops-summary">
          {explanation.summary || 'No summary was produced.'}
        </p>
      </section>

      {explanation.rootCause && <RootCause rootCause={explanation.rootCause} />}

      {explanation.notes && explanation.notes.length > 0 && (
        <ul className={styles.notes} aria-label="Notes">
          {explanation.notes.map((note, i) => (
            <li key={i}>
              <Text variant="bodySmall" color="secondary">
                {note}
              </Text>
            </li>
          ))}
        </ul>
      )}

      {explanation.group && <AlertGroupView group={explanation.group} explanationId={explanation.id} />}

      <Findings findings={findings} />
      <NextSteps steps={explanation.nextSteps ?? []} />
      <EvidenceGroups evidence={evidence} />

      {explanation.modelText && (
        <details>
          <summary>
            The model&apos;s answer could not be used; showing the analyzers&apos; answer. Raw model text
          </summary>
          <pre className={styles.pre}>{explanation.modelText}</pre>
        </details>
      )}

      <Divider />
      <MetaLine explanation={explanation} />
      <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
        {onRegenerate && (
          <Button icon="sync" variant="secondary" onClick={onRegenerate} disabled={busy}>
            Regenerate
          </Button>
        )}
        {onExplainWith && otherProviders.length > 0 && (
          <Dropdown
            overlay={
              <Menu>
                {otherProviders.map((p) => (
                  <Menu.Item
                    key={p.name}
                    label={p.default ? `${p.name} (default)` : p.name}
                    onClick={() => onExplainWith(p.name)}
                  />
                ))}
              </Menu>
            }
          >
            <Button icon="ai-sparkle" variant="secondary" disabled={busy}>
              Explain with another provider
            </Button>
          </Dropdown>
        )}
        <ClipboardButton icon="copy" variant="secondary" getText={() => explanationToMarkdown(explanation)}>
          Copy as Markdown
        </ClipboardButton>
      </Stack>
      {explanation.id && <Feedback explanationId={explanation.id} />}
    </article>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  summary: css({ fontSize: theme.typography.h5.fontSize, lineHeight: 1.5, margin: 0 }),
  plainList: css({ margin: theme.spacing(0, 0, 1, 2) }),
  notes: css({ margin: 0, paddingLeft: theme.spacing(2) }),
  pre: css({ whiteSpace: 'pre-wrap', maxHeight: 240, overflow: 'auto' }),
});
