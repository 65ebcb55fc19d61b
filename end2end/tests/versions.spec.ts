import { test, expect, type Page } from '@playwright/test';
import { hydrated, newUserWithWorkflow } from '../support/session';

// Version history: three saved edits → the versions list shows them → compare v1 with v3 (the
// changed node highlighted on both canvases, its changed fields listed, pan and zoom shared) →
// restore v1 → the editor has v1's content as a new version → comparing it with v1 shows nothing.

function web(replicas: number) {
  return {
    id: 'web',
    kind: 'deployment',
    position: { x: 40, y: 60 },
    data: { name: 'web', image: 'nginx:1.27', replicas },
  };
}

const svc = {
  id: 'svc',
  kind: 'service',
  position: { x: 340, y: 60 },
  data: { name: 'web-svc', ports: [{ port: 80 }] },
};

async function save(page: Page, id: string, design: object, message: string) {
  const response = await page.request.post('/api/workflows/save', {
    data: { id, ...design, message, create_version: true },
  });
  expect(response.status(), await response.text()).toBe(200);
}

const row = (page: Page, n: number) => page.locator(`.version-row[data-number="${n}"]`);
const node = (page: Page, side: 'from' | 'to', id: string) =>
  page.locator(`.diff-canvas[data-side="${side}"] .diff-node[data-node-id="${id}"]`);

test('save, change, save, compare, restore', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  const id = await newUserWithWorkflow(page, 'ada-versions', 'Shop', 'Ada');
  const href = `/workflows/${id}`;

  const edge = { id: 'e1', source: 'svc', target: 'web' };
  await save(page, id, { nodes: [web(2)], edges: [] }, 'first');
  await save(page, id, { nodes: [web(2), svc], edges: [edge] }, 'add a service');
  await save(page, id, { nodes: [web(5), svc], edges: [edge] }, 'scale up');

  await page.goto(`${href}/versions`);
  await hydrated(page);
  await expect(page.locator('#versions-panel')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('.version-row')).toHaveCount(3);
  await expect(page.locator('#version-total')).toHaveText('3 versions');
  await expect(row(page, 3)).toContainText('scale up');
  await expect(row(page, 3)).toContainText('Ada');
  await expect(row(page, 3).locator('.version-kind')).toHaveText('Save');
  await expect(page.locator('#compare-hint')).toBeVisible();

  await row(page, 1).locator('.version-pick').check();
  await row(page, 3).locator('.version-pick').check();
  await page.click('#compare-versions');
  await expect(page).toHaveURL(new RegExp(`/workflows/${id}/compare\\?from=1&to=3$`));
  await hydrated(page);
  await expect(page.locator('#compare-title')).toHaveText('Version 1 → version 3');
  await expect(page.locator('#diff-summary [data-count="added"]')).toContainText('1');
  await expect(page.locator('#diff-summary [data-count="modified"]')).toContainText('1');
  await expect(node(page, 'from', 'web')).toHaveClass(/diff-modified/);
  await expect(node(page, 'to', 'web')).toHaveClass(/diff-modified/);
  await expect(node(page, 'to', 'svc')).toHaveClass(/diff-added/);
  await expect(node(page, 'from', 'svc')).toHaveCount(0);
  await expect(page.locator('.diff-canvas[data-side="to"] path.diff-added')).toHaveCount(1);

  await node(page, 'from', 'web').click();
  await expect(node(page, 'to', 'web')).toHaveClass(/selected/);
  const replicas = page.locator('#field-changes tr[data-path="data.replicas"]');
  await expect(replicas.locator('td.old')).toHaveText('2');
  await expect(replicas.locator('td.new')).toHaveText('5');
  await expect(page.locator('#field-changes tbody tr')).toHaveCount(1);

  // The manifests both versions render to, as a line diff: the new replica count and the Service.
  const yaml = page.locator('#manifest-diff');
  await expect(yaml.locator('.line-removed', { hasText: /^-\s+replicas: 2\s*$/ })).toHaveCount(1);
  await expect(yaml.locator('.line-added', { hasText: /^\+\s+replicas: 5\s*$/ })).toHaveCount(1);
  await expect(yaml.locator('.line-added', { hasText: /^\+kind: Service\s*$/ })).toHaveCount(1);
  await expect(yaml.locator('.line-removed', { hasText: /kind: Service/ })).toHaveCount(0);
  await expect(yaml.locator('#manifests-same')).toHaveCount(0);

  // Panning one side pans the other.
  const worlds = page.locator('.diff-canvas .canvas-world');
  const before = await worlds.first().getAttribute('style');
  const box = await page.locator('.diff-canvas[data-side="from"]').boundingBox();
  if (!box) throw new Error('no canvas');
  await page.mouse.move(box.x + 8, box.y + 8);
  await page.mouse.down();
  await page.mouse.move(box.x + 108, box.y + 48, { steps: 4 });
  await page.mouse.up();
  const after = await worlds.first().getAttribute('style');
  expect(after).not.toEqual(before);
  await expect(worlds.nth(1)).toHaveAttribute('style', after ?? '');
  await page.screenshot({ path: 'test-results/compare.png', fullPage: true });

  await page.goto(`${href}/versions`);
  await hydrated(page);
  await expect(page.locator('#versions-panel')).toHaveAttribute('data-ready', 'true');
  await row(page, 1).locator('.version-restore').click();
  await expect(page.locator('.modal')).toContainText('Restore version 1?');
  await page.click('#confirm');
  await expect(page).toHaveURL(new RegExp(`/workflows/${id}$`));
  await expect(page.locator('#node-count')).toHaveText('1');

  const working = await (await page.request.get(`/api/workflows/get?id=${id}`)).json();
  expect(working.current_version).toBe(4);
  expect(working.nodes).toEqual([web(2)]);

  await page.goto(`${href}/versions`);
  await hydrated(page);
  await expect(page.locator('#versions-panel')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('.version-row')).toHaveCount(4);
  await expect(row(page, 4).locator('.version-kind')).toHaveText('Restore');
  await expect(row(page, 4)).toContainText('Restored from 1');
  await expect(row(page, 3)).toContainText('scale up');

  await page.goto(`${href}/compare?from=1&to=4`);
  await hydrated(page);
  await expect(page.locator('#no-changes')).toBeVisible();
  await expect(page.locator('#manifests-same')).toBeVisible();
  await expect(node(page, 'to', 'web')).toHaveClass(/diff-same/);

  await page.goto(`${href}/compare?from=1&to=9`);
  await expect(page.locator('#compare-error')).toContainText('Version 9');

  // The same history in the editor: restoring v3 there updates the canvas in place (one undo step).
  await page.goto(href);
  await hydrated(page);
  await expect(page.locator('#node-count')).toHaveText('1');
  await page.click('#toggle-history');
  await expect(page.locator('#versions-panel')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('.version-row')).toHaveCount(4);
  await row(page, 3).locator('.version-restore').click();
  await page.click('#confirm');
  await expect(page.locator('#node-count')).toHaveText('2');
  await expect(page.locator('.canvas .node[data-node-id="svc"]')).toBeVisible();
  await expect(page.locator('#save-status')).toHaveText('Restored as version 5');
  await expect(row(page, 5).locator('.version-kind')).toHaveText('Restore');
  await page.click('#undo');
  await expect(page.locator('#node-count')).toHaveText('1');
  expect(errors).toEqual([]);
});
