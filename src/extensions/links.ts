import { PluginExtensionAddedLinkConfig, PluginExtensionPoints } from '@grafana/data';

import { AlertContext } from '../types';
import { alertFromAlertInstance, alertFromExplore, alertFromPanel } from './contexts';
import { openExplain, OpenModal } from './openExplain';

type Open = (openModal: OpenModal, alert: AlertContext, source: string) => void;

/** The three Explain links; `open` is injected so tests and the harness can observe it. */
export function explainLinks(open: Open = openExplain): Array<PluginExtensionAddedLinkConfig<object>> {
  return [
    {
      targets: [PluginExtensionPoints.AlertInstanceAction],
      title: 'Explain this alert',
      description: 'Explain this alert instance from Kubernetes evidence and the configured model',
      icon: 'ai-sparkle',
      onClick: (_event, { context, openModal }) => open(openModal, alertFromAlertInstance(context), 'alert instance'),
    },
    {
      targets: [PluginExtensionPoints.DashboardPanelMenu],
      title: 'Explain this panel',
      description: "Explain this panel's alert state and queries",
      icon: 'ai-sparkle',
      category: 'AI Observability',
      onClick: (_event, { context, openModal }) => open(openModal, alertFromPanel(context), 'panel'),
    },
    {
      targets: [PluginExtensionPoints.ExploreToolbarAction],
      title: 'Explain this query',
      description: 'Explain what the current Explore queries show',
      icon: 'ai-sparkle',
      onClick: (_event, { context, openModal }) => open(openModal, alertFromExplore(context), 'Explore'),
    },
  ];
}
