import { expect, test } from './fixtures';

test.describe('app pages', () => {
  test('Incidents lists firing alerts or says none fire', async ({ gotoPage, page }) => {
    await gotoPage('/incidents');
    await expect(page.getByText(/No firing alerts|firing instance/).first()).toBeVisible({ timeout: 30000 });
  });

  test('History has its filters', async ({ gotoPage, page }) => {
    await gotoPage('/history');
    await expect(page.getByLabel('Alert name')).toBeVisible();
    await expect(page.getByLabel('Namespace')).toBeVisible();
  });

  test('Log watch lists findings or says there are none', async ({ gotoPage, page }) => {
    await gotoPage('/watch');
    await expect(page.getByText(/No log watch findings|Message template/).first()).toBeVisible({ timeout: 30000 });
  });

  test('AI usage shows spend or an empty state', async ({ gotoPage, page }) => {
    await gotoPage('/usage');
    await expect(page.getByText(/No AI usage in this range|By provider and model/)).toBeVisible({ timeout: 30000 });
  });
});
