import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, Stack, Text, useStyles2 } from '@grafana/ui';

import { NextStep } from '../../types';

interface Props {
  steps: NextStep[];
}

export function NextSteps({ steps }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <section aria-labelledby="aiops-next-steps">
      <Text element="h4" id="aiops-next-steps">
        Next steps
      </Text>
      {steps.length === 0 ? (
        <Text color="secondary" italic>
          No next step suggested.
        </Text>
      ) : (
        <ol className={styles.list}>
          {steps.map((step, i) => (
            <li key={i} className={styles.item}>
              <Stack direction="column" gap={0.5}>
                <Text>{step.text}</Text>
                {step.command && (
                  <Stack direction="row" gap={1} alignItems="flex-start">
                    <pre className={styles.command}>{step.command}</pre>
                    <ClipboardButton
                      icon="copy"
                      size="sm"
                      variant="secondary"
                      getText={() => step.command ?? ''}
                      aria-label={`Copy command of step ${i + 1}`}
                    >
                      Copy
                    </ClipboardButton>
                  </Stack>
                )}
              </Stack>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ paddingLeft: theme.spacing(3), margin: 0 }),
  item: css({ padding: theme.spacing(0.5, 0) }),
  command: css({
    flex: 1,
    margin: 0,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  }),
});
