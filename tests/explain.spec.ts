import { expect, test } from './fixtures';

// Needs the docker-compose dev instance, whose provisioning fires sample alerts.
test('Explain from the Incidents page opens the drawer with an explanation', async ({ gotoPage, page }) => {
  await gotoPage('/incidents');
  const explain = page.getByRole('button', { name: 'Explain' }).first();
  test.skip(!(await explain.isVisible({ timeout: 30000 }).catch(() => false)), 'no firing alert to explain');
  await explain.click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByText(/^Explain: /)).toBeVisible();
  await expect(drawer.getByTestId('aiops-summary').or(drawer.getByTestId('aiops-error'))).toBeVisible({
    timeout: 120000,
  });
});

test('the Explain link is offered on the dashboard panel menu', async ({ gotoDashboardPage, page }) => {
  // The provisioned "AI usage" dashboard (provisioning/dashboards/json/ai-usage.json).
  const dashboard = await gotoDashboardPage({ uid: process.env.AIOPS_E2E_DASHBOARD_UID ?? 'aiops-ai-usage' });
  const panel = dashboard.getPanelByTitle(process.env.AIOPS_E2E_PANEL_TITLE ?? 'Tokens by provider and model');
  await panel.clickOnMenuItem('Explain this panel', { parentItem: 'Extensions' });
  await expect(page.getByRole('dialog').getByText(/^Explain: /)).toBeVisible();
});
