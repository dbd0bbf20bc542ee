import { PluginExtensionOpenModalOptions } from '@grafana/data';
import { Modal } from '@grafana/ui';
import { render, screen } from '@testing-library/react';

import { plugin } from '../module';
import { installFakeBackend, RES } from '../test/fakeBackend';
import { oomExplanation } from '../test/fixtures';
import { openExplain } from './openExplain';

describe('openExplain', () => {
  it("opens the explanation in Grafana's modal, inside Grafana's tree", async () => {
    installFakeBackend({
      [`POST ${RES}/explain`]: () => ({ body: oomExplanation }),
      [`GET ${RES}/providers`]: () => ({ body: { providers: [] } }),
    });
    const opened: PluginExtensionOpenModalOptions[] = [];
    openExplain(
      (options) => opened.push(options),
      { labels: { alertname: 'KubePodCrashLooping', namespace: 'shop' } },
      'panel'
    );
    expect(opened).toHaveLength(1);
    expect(opened[0].title).toBe('Explain: KubePodCrashLooping');
    // What Grafana's openModal does with the options.
    const Body = opened[0].body;
    const onDismiss = jest.fn();
    render(
      <Modal title={opened[0].title} isOpen onDismiss={onDismiss}>
        <Body onDismiss={onDismiss} />
      </Modal>
    );
    expect(screen.getByRole('dialog')).toHaveTextContent('Explain: KubePodCrashLooping');
    expect(screen.getByText('From panel')).toBeInTheDocument();
    expect(screen.getByText('namespace=shop')).toBeInTheDocument();
    expect(await screen.findByTestId('aiops-summary')).toHaveTextContent('OOMKilled');
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
