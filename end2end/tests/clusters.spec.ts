import { test, expect } from '@playwright/test';
import { hydrated, newUser } from '../support/session';

// The clusters page: a URL + token cluster registered without TLS verification says so on its row;
// its edit dialog starts with the stored setting, and unticking it turns verification back on.

test('TLS verification skipped is shown and can be turned back on', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await newUser(page, 'clusters');

  await page.goto('/clusters');
  await hydrated(page);
  await page.click('#add-cluster');
  await page.fill('#cluster-name', 'lab');
  await page.check('#mode-token');
  // Nothing listens there: the cluster is stored with a failed connection test.
  await page.fill('#cluster-server', 'https://127.0.0.1:9');
  await page.fill('#cluster-token', 'kubeorch-e2e-token');
  await page.check('#cluster-insecure');
  await page.click('#save-cluster');
  await expect(page.locator('.modal')).toHaveCount(0);
  const row = page.locator('.cluster-row[data-name="lab"]');
  await expect(row.locator('.cluster-insecure')).toHaveText('TLS not verified');
  const sandbox = page.locator('.cluster-row', { hasText: 'Sandbox' });
  await expect(sandbox.locator('.cluster-insecure')).toHaveCount(0);

  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(page.locator('#cluster-insecure')).toBeChecked();
  await page.uncheck('#cluster-insecure');
  await page.click('#save-cluster');
  await expect(page.locator('.modal')).toHaveCount(0);
  await expect(row.locator('.cluster-insecure')).toHaveCount(0);

  await page.reload();
  await hydrated(page);
  await expect(row).toBeVisible();
  await expect(row.locator('.cluster-insecure')).toHaveCount(0);
  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(page.locator('#cluster-insecure')).not.toBeChecked();
  expect(errors).toEqual([]);
});
