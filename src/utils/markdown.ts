import { Explanation } from '../types';
import { formatDuration, formatEntity, formatPercent, formatUSD } from './format';

// Markdown special characters are escaped in free text so a log line cannot
// inject links or formatting into an incident channel.
function escapeText(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+!|<>])/g, '\\$1').replace(/\r?\n/g, ' ');
}

function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text}\n${ticks}`;
}

/** The explanation as Markdown for Slack, Teams or an incident document. */
export function explanationToMarkdown(ex: Explanation): string {
  const lines: string[] = [];
  const alertname = ex.alert?.labels?.alertname;
  lines.push(`### ${alertname ? `Explanation: ${escapeText(alertname)}` : 'Explanation'}`);
  lines.push('');
  lines.push(escapeText(ex.summary || 'No summary.'));
  lines.push('');
  if (ex.rootCause) {
    lines.push(
      `**Root cause:** ${escapeText(String(ex.rootCause.category ?? 'Unknown'))} on ${escapeText(
        formatEntity(ex.rootCause.entity)
      )} (confidence ${formatPercent(ex.rootCause.confidence)})`
    );
    if (ex.rootCause.description) {
      lines.push('');
      lines.push(escapeText(ex.rootCause.description));
    }
    lines.push('');
  }
  if (ex.findings?.length) {
    lines.push('**Findings**');
    for (const f of ex.findings) {
      lines.push(`- [${escapeText(String(f.severity ?? 'info'))}] ${escapeText(f.title)}`);
    }
    lines.push('');
  }
  if (ex.group?.alerts?.length) {
    lines.push('**Alert group**');
    for (const a of ex.group.alerts) {
      const mark = a.sharesCause ? 'shares this cause' : 'other cause';
      lines.push(`- ${escapeText(a.name || a.fingerprint)} (${mark}): ${escapeText(a.reason ?? '')}`);
    }
    lines.push('');
  }
  if (ex.nextSteps?.length) {
    lines.push('**Next steps**');
    ex.nextSteps.forEach((step, i) => {
      lines.push(`${i + 1}. ${escapeText(step.text)}`);
      if (step.command) {
        lines.push(fence(step.command));
      }
    });
    lines.push('');
  }
  if (ex.degraded?.length) {
    lines.push(
      `_Partial: ${ex.degraded.map((d) => `${escapeText(d.source)} unavailable (${escapeText(d.error)})`).join('; ')}_`
    );
    lines.push('');
  }
  const provider = ex.provider?.name || 'offline';
  const model = ex.provider?.model ? ` / ${escapeText(ex.provider.model)}` : '';
  const tokens = (ex.usage?.promptTokens ?? 0) + (ex.usage?.completionTokens ?? 0);
  lines.push(
    `_${escapeText(provider)}${model}, ${tokens} tokens, ${formatUSD(ex.usage?.costUSD)}, ${formatDuration(
      ex.timings?.totalMs
    )}_`
  );
  return lines.join('\n');
}
