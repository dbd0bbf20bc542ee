import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Badge, Stack, Text, Tooltip, useStyles2 } from '@grafana/ui';

import { CATEGORY_DESCRIPTIONS, Category, Explanation } from '../../types';
import { formatEntity, formatPercent } from '../../utils/format';
import { confidenceBadge } from './severity';

interface Props {
  rootCause: NonNullable<Explanation['rootCause']>;
}

export function RootCause({ rootCause }: Props) {
  const styles = useStyles2(getStyles);
  const category = String(rootCause.category || 'Unknown');
  const description = CATEGORY_DESCRIPTIONS[category as Category] ?? 'Category not on the known list';
  const confidence = confidenceBadge(rootCause.confidence);
  return (
    <section aria-labelledby="aiops-root-cause" className={styles.box} data-testid="aiops-root-cause">
      <Stack direction="column" gap={1}>
        <Text element="h4" id="aiops-root-cause">
          Root cause
        </Text>
        <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
          <Tooltip content={description}>
            <span tabIndex={0} aria-label={`Category ${category}: ${description}`}>
              <Badge color="purple" icon="tag-alt" text={category} />
            </span>
          </Tooltip>
          <Text>on</Text>
          <Text weight="medium">{formatEntity(rootCause.entity)}</Text>
          <Badge
            color={confidence.color}
            icon={confidence.icon}
            text={`${confidence.text} (${formatPercent(rootCause.confidence)})`}
          />
        </Stack>
        {rootCause.description && <Text element="p">{rootCause.description}</Text>}
      </Stack>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.medium}`,
    borderLeft: `4px solid ${theme.colors.primary.border}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
});
