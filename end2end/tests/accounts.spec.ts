import { test, expect, type Page } from '@playwright/test';

// Accounts and workflows: sign up, create, reload, rename, delete, log out, the redirect to log in,
// log in again; and a second user who can neither see, open nor change the first user's workflow.

const PASSWORD = 'correct horse battery';

async function hydrated(page: Page) {
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'true');
}

async function signUp(page: Page, name: string, email: string) {
  await page.goto('/signup');
  await hydrated(page);
  await page.fill('#name', name);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('#submit');
  await expect(page).toHaveURL(/\/workflows$/);
}

async function createWorkflow(page: Page, name: string) {
  await page.click('#new-workflow');
  await page.fill('#workflow-name', name);
  await page.click('#create-workflow');
  await expect(page.locator('.modal')).toHaveCount(0);
  await expect(page.locator('a.workflow-name', { hasText: name })).toBeVisible();
}

const row = (page: Page, name: string) => page.locator(`.workflow-row[data-name="${name}"]`);

test('a user keeps their workflows across reloads and sessions; others cannot reach them', async ({
  page,
  browser,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const stamp = Date.now();
  const ada = `ada-${stamp}@example.com`;

  await signUp(page, 'Ada', ada);
  await expect(page.locator('#empty-state')).toBeVisible();
  await expect(page.locator('#user-menu')).toContainText('Ada');

  await createWorkflow(page, 'Shop');
  await createWorkflow(page, 'Blog');
  await page.reload();
  await hydrated(page);
  await expect(page.locator('.workflow-row')).toHaveCount(2);
  await expect(row(page, 'Shop')).toBeVisible();
  await expect(row(page, 'Blog')).toBeVisible();

  await row(page, 'Shop').getByRole('button', { name: 'Rename' }).click();
  await row(page, 'Shop').locator('.rename-input').fill('Store');
  await row(page, 'Shop').getByRole('button', { name: 'Save' }).click();
  await expect(row(page, 'Store')).toBeVisible();
  await expect(row(page, 'Shop')).toHaveCount(0);

  await row(page, 'Blog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.locator('.modal')).toContainText('Delete “Blog”?');
  await page.click('#confirm');
  await expect(row(page, 'Blog')).toHaveCount(0);
  await expect(page.locator('.workflow-row')).toHaveCount(1);

  const href = (await row(page, 'Store').locator('a.workflow-name').getAttribute('href')) ?? '';
  expect(href).toMatch(/^\/workflows\/[0-9a-f-]+$/);
  const id = href.split('/').pop();
  await page.click(`a[href="${href}"]`);
  await expect(page.locator('#workflow-title')).toHaveText('Store');
  await expect(page.locator('#node-count')).toHaveText('0');

  await page.click('#user-menu');
  await page.click('#logout');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('#nav-login')).toBeVisible();

  const redirected = await page.goto('/workflows');
  expect(redirected?.status()).toBe(200);
  await expect(page).toHaveURL(/\/login\?next=\/workflows$/);
  await hydrated(page);
  await page.fill('#email', ada);
  await page.fill('#password', 'not the password');
  await page.click('#submit');
  await expect(page.locator('.form-error')).toHaveText('Incorrect email or password.');
  await page.fill('#password', PASSWORD);
  await page.click('#submit');
  await expect(page).toHaveURL(/\/workflows$/);
  await expect(page.locator('.workflow-row')).toHaveCount(1);
  await expect(row(page, 'Store')).toBeVisible();

  // A second user, in a separate browser context.
  const other = await browser.newContext();
  const eve = await other.newPage();
  await signUp(eve, 'Eve', `eve-${stamp}@example.com`);
  await expect(eve.locator('#empty-state')).toBeVisible();
  const opened = await eve.goto(href);
  expect(opened?.status()).toBe(404);
  await expect(eve.locator('h1')).toHaveText('Page not found');
  for (const [path, data] of [
    ['/api/workflows/update', { id, name: 'Mine now' }],
    ['/api/workflows/delete', { id }],
    ['/api/workflows/save', { id, nodes: [], edges: [] }],
  ] as const) {
    const response = await eve.request.post(path, { data });
    expect(response.status(), path).toBe(404);
  }
  expect((await eve.request.get(`/api/workflows/get?id=${id}`)).status()).toBe(404);
  await other.close();

  await page.reload();
  await expect(row(page, 'Store')).toBeVisible();
  await page.screenshot({ path: 'test-results/workflows.png', fullPage: true });
  expect(errors).toEqual([]);
});
