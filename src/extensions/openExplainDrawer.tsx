import { config } from '@grafana/runtime';
import { ThemeContext } from '@grafana/ui';
import ReactDOM from 'react-dom';

import { ExplainDrawer } from '../components/drawer/ExplainDrawer';
import { AlertContext } from '../types';

/**
 * Opens the Explain drawer over whatever page the user is on. Extension links
 * only get an onClick, not a place in the page's React tree, so the drawer
 * gets its own root (with Grafana's current theme) and removes it on close.
 */
export function openExplainDrawer(alert: AlertContext, source: string): void {
  const host = document.createElement('div');
  host.dataset.aiopsExplainDrawer = 'true';
  document.body.appendChild(host);
  const close = () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated, react/no-deprecated -- Grafana shares react-dom, not react-dom/client, with plugins.
    ReactDOM.unmountComponentAtNode(host);
    host.remove();
  };
  // eslint-disable-next-line @typescript-eslint/no-deprecated, react/no-deprecated -- see above: the shared react-dom is the only safe root API.
  ReactDOM.render(
    <ThemeContext.Provider value={config.theme2}>
      <ExplainDrawer alert={alert} source={source} onClose={close} />
    </ThemeContext.Provider>,
    host
  );
}
