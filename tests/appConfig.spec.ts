import { expect, test } from './fixtures';

test('config page shows provider fields and saves', async ({ appConfigPage, page }) => {
  await page.getByRole('radio', { name: 'Ollama' }).check({ force: true });
  await expect(page.getByLabel(/^Ollama URL/)).toBeVisible();
  await page.getByRole('radio', { name: 'Offline' }).check({ force: true });
  const saved = appConfigPage.waitForSettingsResponse();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(saved).toBeOK();
});

test('Save & test lists each dependency', async ({ appConfigPage, page }) => {
  await page.getByRole('button', { name: 'Save & test' }).click();
  await expect(page.getByRole('list', { name: 'Dependencies' })).toBeVisible({ timeout: 30000 });
  await expect(appConfigPage.ctx.page.getByText(/llm|offline/i).first()).toBeVisible();
});
