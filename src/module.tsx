import { lazy, Suspense } from 'react';
import { AppPlugin, AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';

import { AppConfigProps } from './components/AppConfig/AppConfig';
import { explainLinks } from './extensions/links';
import { AppSettings } from './settings';

const LazyApp = lazy(() => import('./components/App/App'));
const LazyAppConfig = lazy(() => import('./components/AppConfig/AppConfig'));

function App(props: AppRootProps<AppSettings>) {
  return (
    <Suspense fallback={<LoadingPlaceholder text="Loading AI Observability…" />}>
      <LazyApp {...props} />
    </Suspense>
  );
}

function AppConfig(props: AppConfigProps) {
  return (
    <Suspense fallback={<LoadingPlaceholder text="Loading configuration…" />}>
      <LazyAppConfig {...props} />
    </Suspense>
  );
}

const appPlugin = new AppPlugin<AppSettings>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});

for (const link of explainLinks()) {
  appPlugin.addLink(link);
}

export const plugin = appPlugin;
