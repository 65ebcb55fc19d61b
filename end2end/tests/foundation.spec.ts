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

test('the browser code is sent gzip-compressed (precompressed by the build)', async ({ request }) => {
  for (const file of ['kubeorch.wasm', 'kubeorch.js', 'kubeorch.css', '__wasm_split.______________________.js']) {
    const response = await request.get(`/pkg/${file}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(response.status(), file).toBe(200);
    expect(response.headers()['content-encoding'], file).toBe('gzip');
  }
});

test('an unknown address shows the not-found page', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

/** The wasm files the page requests from now on, by name, once per request. */
function wasmFetched(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/pkg/') && path.endsWith('.wasm')) seen.push(path.slice('/pkg/'.length));
  });
  return seen;
}

test('every page hydrates when opened by its address', async ({ page }) => {
  // The browser loads the page's code (app::pages::preload::Page::for_path) before hydrating:
  // a page whose address maps to the wrong code would fail to hydrate.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  const fetched = wasmFetched(page);
  const opens = async (path: string, route: string) => {
    fetched.length = 0;
    await page.goto(path);
    await hydrated(page);
    expect(fetched.some((f) => f.startsWith(`pack___${route}_view_`)), `${path}: ${fetched.join(', ')}`).toBe(true);
  };
  for (const [path, route] of [
    ['/login', 'login_route'],
    ['/signup', 'signup_route'],
    ['/auth/complete', 'auth_complete_route'],
  ]) {
    await opens(path, route);
  }
  const id = await newUserWithWorkflow(page, 'pages', 'Pages');
  for (const [path, route] of [
    ['/', 'home_route'],
    ['/profile', 'profile_route'],
    ['/workflows', 'workflows_route'],
    ['/clusters', 'clusters_route'],
    ['/registries', 'registries_route'],
    ['/builds', 'builds_route'],
    ['/builds/no-such-build', 'build_route'],
    [`/workflows/${id}`, 'editor_route'],
    [`/workflows/${id}/versions`, 'versions_route'],
    [`/workflows/${id}/compare`, 'compare_route'],
  ]) {
    await opens(path, route);
  }
  expect(errors).toEqual([]);
});

test('a page whose code does not load says so and offers a reload', async ({ page }) => {
  await newUserWithWorkflow(page, 'boot', 'Boot');
  const blocked = /\/pkg\/(pack_|chunk_)[^/]*\.wasm$/;
  await page.route(blocked, (route) => route.abort());
  await page.goto('/workflows');
  const alert = page.locator('#boot-failed');
  await expect(alert).toBeVisible();
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(alert).toContainText('This page could not start');
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'false');

  await page.unroute(blocked);
  await alert.getByRole('button', { name: 'Reload' }).click();
  await hydrated(page);
  await expect(page.getByRole('link', { name: 'Boot' })).toBeVisible();
  await expect(page.locator('#boot-failed')).toHaveCount(0);
});

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
  // The route's chunks arrive in one pack, preloaded with the page.
  expect(listPage.some((f) => f.startsWith('pack___workflows_route_view_'))).toBe(true);
  expect(listPage.some((f) => f.includes('__editor_route_view_'))).toBe(false);
  expect(listPage.length, listPage.join('\n')).toBeLessThanOrEqual(3);

  // Client-side navigation to the editor fetches the editor's chunks, then it works.
  await page.getByRole('link', { name: 'Split' }).click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${id}$`));
  await expect(page.locator('.canvas')).toBeVisible();
  expect(fetched.some((f) => f.startsWith('pack___editor_route_view_'))).toBe(true);
  expect(fetched.length - listPage.length, fetched.join('\n')).toBeLessThanOrEqual(3);
  await page.locator('.palette-item[data-kind="configmap"]').click();
  await expect(page.locator('.canvas .node[data-kind="configmap"]')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('the editor loads its code in a few downloads, and its parts still open', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const id = await newUserWithWorkflow(page, 'pack', 'Pack');
  const fetched = wasmFetched(page);

  await page.goto(`/workflows/${id}`);
  await hydrated(page);
  await expect(page.locator('.canvas')).toBeVisible();
  // The main module and the editor route's pack, not one request per chunk.
  expect(fetched.sort(), fetched.join('\n')).toEqual([
    'kubeorch.wasm',
    expect.stringMatching(/^pack___editor_route_view_\d+\.wasm$/),
  ]);
  // The page names the route's pack in its head every time (Leptos adds the same hint only when
  // the route's view ran before the head was sent), so the browser fetches it with the main module.
  for (let i = 0; i < 5; i++) {
    const html = await (await page.request.get(`/workflows/${id}`)).text();
    expect(html).toMatch(/<link rel="preload" href="\/pkg\/pack___editor_route_view_\d+\.wasm" as="fetch"/);
  }

  // The parts opened later (node settings, the check at the first edit, the Run dialog, the
  // history) bring their code from packs of what they still miss, and work.
  await page
    .locator('.palette-item[data-kind="deployment"]')
    .dragTo(page.locator('.canvas'), { targetPosition: { x: 200, y: 150 } });
  await page.locator('.canvas .node[data-kind="deployment"]').click();
  await expect(page.locator('.panel-head h2')).toHaveText('Deployment');
  await page.fill('#field-name', 'web');
  await expect(page.locator('.canvas .node[data-kind="deployment"] .node-name')).toHaveText('web');
  await page.click('#run-workflow');
  await expect(page.locator('.modal')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('.modal')).toHaveCount(0);
  await page.click('#toggle-history');
  await expect(page.locator('#versions-panel')).toHaveAttribute('data-ready', 'true');
  expect(fetched.length, fetched.join('\n')).toBeLessThanOrEqual(9);
  // A part whose pack would mostly re-download what is loaded fetches its few files on their own.
  const single = fetched.filter((f) => f !== 'kubeorch.wasm' && !f.startsWith('pack_'));
  expect(single.length, fetched.join('\n')).toBeLessThanOrEqual(4);
  // Never deployed: the live stream's snapshot is empty, so the code that reads live events and
  // shows a run's details is never fetched (deploy.spec.ts shows it arriving with a run).
  await expect(page.locator('#run-panel')).toContainText('Not deployed yet');
  expect(fetched.filter((f) => /apply_event|run_details/.test(f)), fetched.join('\n')).toEqual([]);
  expect(errors).toEqual([]);
});
