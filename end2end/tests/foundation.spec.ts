import { test, expect, type Page } from '@playwright/test';
import { hydrated, newUserWithWorkflow } from '../support/session';

// The whole path: server rendering, WASM hydration, a server function and an SSE stream.

test('the home page is server-rendered before any JavaScript runs', async ({ request }) => {
  const response = await request.get('/');
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).toContain('KubeOrch');
  expect(html).toContain('Design, deploy and watch your Kubernetes system');
  expect(html).toContain('data-hydrated="false"');
  expect(html).toMatch(/id="server-version"[^>]*>\d+\.\d+\.\d+</);
  expect(html).toContain('/pkg/kubeorch.js');
});

test('the page hydrates, calls the server, and shows live heartbeats', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });

  await page.goto('/');
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('#server-version')).toHaveText(/^\d+\.\d+\.\d+$/);

  // The Refresh button only works once the WASM is running: it calls the status server function.
  const answer = page.waitForResponse((r) => r.url().includes('/api/status') && r.ok());
  await page.locator('#refresh-status').click();
  const status = await (await answer).json();
  await expect(page.locator('#server-uptime')).toHaveAttribute('data-secs', String(status.uptime_secs));

  // Heartbeats arrive over SSE with increasing ids.
  await expect(page.locator('#heartbeat-state')).toHaveText('Live');
  await expect(page.locator('#heartbeat')).toHaveAttribute('data-last-id', /^\d+$/);
  const first = Number(await page.locator('#heartbeat').getAttribute('data-last-id'));
  await expect
    .poll(async () => Number(await page.locator('#heartbeat').getAttribute('data-last-id')))
    .toBeGreaterThan(first);
  await expect
    .poll(async () => Number(await page.locator('#heartbeat-count').textContent()))
    .toBeGreaterThanOrEqual(2);

  await page.screenshot({ path: 'test-results/home.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('an unknown address shows the not-found page', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

/** The names of the wasm files the page fetches from now on. */
function wasmFetched(page: Page): Set<string> {
  const seen = new Set<string>();
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/pkg/') && path.endsWith('.wasm')) seen.add(path.slice('/pkg/'.length));
  });
  return seen;
}

test('each page loads only its own code; the editor\'s arrives when it is opened', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const id = await newUserWithWorkflow(page, 'split', 'Split');
  const fetched = wasmFetched(page);

  await page.goto('/workflows');
  await hydrated(page);
  await expect(page.getByRole('link', { name: 'Split' })).toBeVisible();
  const listPage = [...fetched];
  expect(listPage).toContain('kubeorch.wasm');
  expect(listPage.some((f) => f.startsWith('split___workflows_route_view_'))).toBe(true);
  expect(listPage.some((f) => f.startsWith('split___editor_route_view_'))).toBe(false);

  // Client-side navigation to the editor fetches the editor's chunks, then it works.
  await page.getByRole('link', { name: 'Split' }).click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${id}$`));
  await expect(page.locator('.canvas')).toBeVisible();
  expect([...fetched].some((f) => f.startsWith('split___editor_route_view_'))).toBe(true);
  await page.locator('.palette-item[data-kind="configmap"]').click();
  await expect(page.locator('.canvas .node[data-kind="configmap"]')).toHaveCount(1);
  expect(errors).toEqual([]);
});
