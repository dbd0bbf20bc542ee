import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { plugin } from '../module';
import { installFakeBackend, RES } from '../test/fakeBackend';
import { oomExplanation } from '../test/fixtures';
import { openExplainDrawer } from './openExplainDrawer';

describe('openExplainDrawer', () => {
  it('opens the drawer over the page and removes it on close', async () => {
    installFakeBackend({
      [`POST ${RES}/explain`]: () => ({ body: oomExplanation }),
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    openExplainDrawer({ labels: { alertname: 'KubePodCrashLooping', namespace: 'shop' } }, 'panel');
    expect(await screen.findByText('Explain: KubePodCrashLooping')).toBeInTheDocument();
    expect(await screen.findByTestId('aiops-summary')).toHaveTextContent('OOMKilled');
    expect(document.querySelectorAll('[data-aiops-explain-drawer]')).toHaveLength(1);
    await userEvent.setup({ delay: null }).click(screen.getByRole('button', { name: /close/i }));
    await waitFor(() => expect(document.querySelectorAll('[data-aiops-explain-drawer]')).toHaveLength(0));
    expect(screen.queryByText('Explain: KubePodCrashLooping')).not.toBeInTheDocument();
  });
});

describe('module', () => {
  it('registers Explain on the three extension points declared in plugin.json', () => {
    const manifest = jest.requireActual('../../plugin.json');
    const declared = manifest.extensions.addedLinks.map((l: { targets: string[]; title: string }) => [
      l.targets,
      l.title,
    ]);
    const registered = plugin.addedLinkConfigs.map((l) => [[l.targets].flat(), l.title]);
    expect(registered).toEqual(declared);
  });
});
