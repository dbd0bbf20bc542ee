import { PluginExtensionOpenModalOptions } from '@grafana/data';
import { Stack } from '@grafana/ui';

import { ExplainHeader, explainTitle } from '../components/drawer/ExplainHeader';
import { ExplainPanel } from '../components/drawer/ExplainPanel';
import { AlertContext } from '../types';

export type OpenModal = (options: PluginExtensionOpenModalOptions) => void;

/**
 * Opens the explanation over whatever page the user is on, through the
 * openModal helper Grafana hands to extension links: the modal lives in
 * Grafana's own React tree (its theme, router and portals), so the plugin
 * never mounts a second root.
 */
export function openExplain(openModal: OpenModal, alert: AlertContext, source: string): void {
  openModal({
    title: explainTitle(alert),
    width: '60%',
    body: function ExplainModalBody() {
      return (
        <Stack direction="column" gap={2}>
          <ExplainHeader alert={alert} source={source} />
          <ExplainPanel alert={alert} />
        </Stack>
      );
    },
  });
}
