import { Stack, Text } from '@grafana/ui';

import { Explanation } from '../../types';
import { formatDuration, formatNumber, formatTime, formatUSD } from '../../utils/format';

interface Props {
  explanation: Explanation;
}

/** Who answered and what it cost: provider, model, tokens, money, time. */
export function MetaLine({ explanation }: Props) {
  const provider = explanation.provider?.name || 'offline';
  const model = explanation.provider?.model || (provider === 'offline' ? 'analyzers only' : 'default model');
  const prompt = explanation.usage?.promptTokens ?? 0;
  const completion = explanation.usage?.completionTokens ?? 0;
  const items: Array<[string, string]> = [
    ['Provider', provider],
    ['Model', model],
    ['Tokens', `${formatNumber(prompt + completion)} (${formatNumber(prompt)} in, ${formatNumber(completion)} out)`],
    ['Cost', formatUSD(explanation.usage?.costUSD)],
    ['Time', formatDuration(explanation.timings?.totalMs)],
  ];
  const incident = explanation.incidentCost;
  if (incident?.totalUSD) {
    items.push([
      'Incident cost so far',
      `${formatUSD(incident.totalUSD)} (compute ${formatUSD(incident.computeUSD)} for ${incident.pods ?? 0} pods, AI ${formatUSD(incident.llmUSD)})`,
    ]);
  }
  const created = formatTime(explanation.createdAt);
  if (created) {
    items.push(['Created', created]);
  }
  return (
    <dl aria-label="Explanation metadata" style={{ margin: 0 }}>
      <Stack direction="row" gap={2} wrap="wrap">
        {items.map(([term, value]) => (
          <Stack key={term} direction="row" gap={0.5}>
            <Text element="span" variant="bodySmall" color="secondary">
              <dt style={{ display: 'inline' }}>{term}:</dt>
            </Text>
            <Text element="span" variant="bodySmall">
              <dd style={{ display: 'inline', margin: 0 }}>{value}</dd>
            </Text>
          </Stack>
        ))}
      </Stack>
    </dl>
  );
}
