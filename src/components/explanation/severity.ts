import { BadgeColor, IconName } from '@grafana/ui';

import { confidenceLabel } from '../../utils/format';

/** Colour plus icon plus word, so severity never relies on colour alone. */
export function severityBadge(severity?: string): { color: BadgeColor; icon: IconName; text: string } {
  switch (severity) {
    case 'critical':
      return { color: 'red', icon: 'exclamation-circle', text: 'Critical' };
    case 'warning':
      return { color: 'orange', icon: 'exclamation-triangle', text: 'Warning' };
    default:
      return { color: 'blue', icon: 'info-circle', text: 'Info' };
  }
}

export function confidenceBadge(confidence?: number): { color: BadgeColor; icon: IconName; text: string } {
  const label = confidenceLabel(confidence);
  switch (label) {
    case 'high':
      return { color: 'green', icon: 'check-circle', text: 'High confidence' };
    case 'medium':
      return { color: 'orange', icon: 'question-circle', text: 'Medium confidence' };
    default:
      return { color: 'red', icon: 'exclamation-triangle', text: 'Low confidence' };
  }
}
