import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

// No delay between keystrokes: @grafana/ui inputs are slow enough in jsdom.
const user = userEvent.setup({ delay: null });
import { DataSourceInstanceSettings, DataSourceSettings, PluginType } from '@grafana/data';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { useState } from 'react';
import { MemoryRouter } from 'react-router-dom';

import { ConfigEditor } from './ConfigEditor';
import { DataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import { AiopsDataSourceOptions, AiopsQuery } from './types';

function instanceSettings(jsonData: AiopsDataSourceOptions = {}): DataSourceInstanceSettings<AiopsDataSourceOptions> {
  return {
    uid: 'aiops',
    type: 'cloudobs-aiops-datasource',
    name: 'AI Observability',
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: { id: 'cloudobs-aiops-datasource', type: PluginType.datasource } as DataSourceInstanceSettings['meta'],
  } as DataSourceInstanceSettings<AiopsDataSourceOptions>;
}

beforeEach(() => {
  setTemplateSrv({
    replace: (text?: string) => (text ?? '').replace('$namespace', 'shop'),
    getVariables: () => [],
    containsTemplate: () => false,
    updateTimeRange: () => undefined,
  } as unknown as TemplateSrv);
});

describe('DataSource', () => {
  it('interpolates variables and applies the default namespace', () => {
    const ds = new DataSource(instanceSettings({ defaultNamespace: 'default' }));
    expect(ds.applyTemplateVariables({ refId: 'A', queryType: 'findings', namespace: '$namespace' }, {})).toMatchObject(
      {
        namespace: 'shop',
      }
    );
    expect(ds.applyTemplateVariables({ refId: 'A', queryType: 'cost' }, {}).namespace).toBe('default');
    expect(ds.applyTemplateVariables({ refId: 'A', queryType: 'ai_usage' }, {}).namespace).toBeUndefined();
    expect(ds.applyTemplateVariables({ refId: 'A' }, {}).queryType).toBe('findings');
    expect(ds.filterQuery({ refId: 'A', hide: true })).toBe(false);
  });
});

function EditorHarness({ initial, onRun }: { initial: AiopsQuery; onRun: () => void }) {
  const [query, setQuery] = useState(initial);
  const ds = new DataSource(instanceSettings());
  return (
    <>
      <QueryEditor datasource={ds} query={query} onChange={setQuery} onRunQuery={onRun} />
      <output data-testid="query">{JSON.stringify(query)}</output>
    </>
  );
}

describe('QueryEditor', () => {
  it('shows the fields of each query type and runs on change', async () => {
    const onRun = jest.fn();
    render(<EditorHarness initial={{ refId: 'A', queryType: 'findings' }} onRun={onRun} />);
    expect(screen.getByLabelText('Namespace')).toBeInTheDocument();
    expect(screen.getByLabelText('Selector')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Namespace'), 'shop');
    await user.tab();
    expect(onRun).toHaveBeenCalled();
    expect(JSON.parse(screen.getByTestId('query').textContent ?? '{}')).toMatchObject({ namespace: 'shop' });

    await user.click(screen.getByRole('radio', { name: 'AI usage' }));
    expect(screen.getByLabelText('Provider')).toBeInTheDocument();
    expect(screen.getByLabelText('Model')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'day' }));
    expect(JSON.parse(screen.getByTestId('query').textContent ?? '{}')).toMatchObject({
      queryType: 'ai_usage',
      groupBy: 'day',
    });

    await user.click(screen.getByRole('radio', { name: 'Explanations' }));
    expect(screen.getByLabelText('Alert name')).toBeInTheDocument();
    expect(screen.queryByLabelText('Provider')).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Kubernetes cost' }));
    expect(screen.getByRole('radio', { name: 'workload' })).toBeInTheDocument();
  });

  it('offers the AI spend per user and the cost forms, label grouping and right-sizing', async () => {
    const onRun = jest.fn();
    const query = () => JSON.parse(screen.getByTestId('query').textContent ?? '{}');
    const { unmount } = render(<EditorHarness initial={{ refId: 'A', queryType: 'ai_usage' }} onRun={onRun} />);
    await user.click(screen.getByRole('radio', { name: 'user' }));
    await user.click(screen.getByRole('radio', { name: 'Cost' }));
    await user.type(screen.getByLabelText('User'), 'ana');
    expect(query()).toMatchObject({ groupBy: 'user', metric: 'cost', user: 'ana' });
    unmount();

    render(<EditorHarness initial={{ refId: 'B', queryType: 'cost' }} onRun={onRun} />);
    expect(screen.queryByLabelText('Label')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'label' }));
    await user.type(screen.getByLabelText('Label'), 'team');
    await user.click(screen.getByRole('radio', { name: 'Time series' }));
    expect(query()).toMatchObject({ groupBy: 'label:team', format: 'timeseries' });
    expect(screen.queryByRole('radio', { name: 'development' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('switch', { name: 'Right-sizing' }));
    await user.click(screen.getByRole('radio', { name: 'development' }));
    expect(query()).toMatchObject({ rightsizing: true, profile: 'development' });
  });
});

describe('ConfigEditor', () => {
  it('edits the default namespace and points to the app settings', async () => {
    const onChange = jest.fn();
    const options = { jsonData: {}, secureJsonFields: {} } as unknown as DataSourceSettings<AiopsDataSourceOptions>;
    render(
      <MemoryRouter>
        <ConfigEditor options={options} onOptionsChange={onChange} />
      </MemoryRouter>
    );
    expect(screen.getByRole('link', { name: 'app configuration page' })).toHaveAttribute(
      'href',
      '/plugins/cloudobs-aiops-app'
    );
    await user.type(screen.getByLabelText(/^Default namespace/), 's');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { defaultNamespace: 's' } }));
  });
});
