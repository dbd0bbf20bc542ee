import { expect, test } from '@grafana/plugin-e2e';

test('query editor offers every query type', async ({ panelEditPage, readProvisionedDataSource, page }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yaml', name: 'AI Observability' });
  await panelEditPage.datasource.set(ds.name);
  for (const type of ['Findings', 'Explanations', 'AI usage', 'Kubernetes cost']) {
    await expect(page.getByRole('radio', { name: type })).toBeAttached();
  }
  await page.getByRole('radio', { name: 'AI usage' }).check({ force: true });
  await expect(page.getByLabel('Provider')).toBeVisible();
});
