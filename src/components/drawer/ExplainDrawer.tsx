import { Drawer } from '@grafana/ui';

import { AlertContext } from '../../types';
import { ExplainHeader, explainTitle } from './ExplainHeader';
import { ExplainPanel } from './ExplainPanel';

interface Props {
  alert: AlertContext;
  /** Where the user clicked Explain, shown under the title. */
  source?: string;
  onClose: () => void;
}

/** The Explain drawer of the plugin's own pages: explains one alert. */
export function ExplainDrawer({ alert, source, onClose }: Props) {
  return (
    <Drawer
      title={explainTitle(alert)}
      subtitle={<ExplainHeader alert={alert} source={source} />}
      size="md"
      onClose={onClose}
    >
      <ExplainPanel alert={alert} />
    </Drawer>
  );
}
