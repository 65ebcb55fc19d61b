import { test, expect, type Page, type Locator } from '@playwright/test';
import { hydrated, newUserWithWorkflow } from '../support/session';

// The canvas editor with real mouse and keyboard events: draw, connect, configure, undo/redo,
// copy/paste, delete, save, reload.

/** Signs a fresh user up through the API and opens a new, empty workflow in the editor. */
async function openNewWorkflow(page: Page, name: string): Promise<string> {
  const id = await newUserWithWorkflow(page, 'editor', name, 'Edie');
  await page.goto(`/workflows/${id}`);
  await hydrated(page);
  await expect(page.locator('.canvas')).toBeVisible();
  return id;
}

const nodes = (page: Page, kind: string) => page.locator(`.canvas .node[data-kind="${kind}"]`);
const edges = (page: Page, meaning?: string) =>
  page.locator(meaning ? `.canvas .edge[data-meaning="${meaning}"]` : '.canvas .edge');

async function drop(page: Page, kind: string, x: number, y: number) {
  const before = await nodes(page, kind).count();
  await page
    .locator(`.palette-item[data-kind="${kind}"]`)
    .dragTo(page.locator('.canvas'), { targetPosition: { x, y } });
  await expect(nodes(page, kind)).toHaveCount(before + 1);
}

async function centre(locator: Locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function connect(page: Page, from: Locator, to: Locator) {
  const start = await centre(from.locator('.handle-out'));
  const end = await centre(to);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
}

/** What the canvas shows: every node's kind, name and place, and every edge. */
async function canvasState(page: Page) {
  return page.evaluate(() => ({
    nodes: [...document.querySelectorAll<HTMLElement>('.canvas .node')]
      .map((n) => ({
        id: n.dataset.nodeId,
        kind: n.dataset.kind,
        name: n.querySelector('.node-name')?.textContent,
        // Server-rendered empty text is a single space (a text node to hydrate), so compare trimmed.
        facts: n.querySelector('.node-facts')?.textContent?.trim(),
        at: n.style.transform,
      }))
      .sort((a, b) => String(a.id).localeCompare(String(b.id))),
    edges: [...document.querySelectorAll<SVGElement>('.canvas .edge')]
      .map((e) => `${e.dataset.edgeId}:${e.dataset.meaning}`)
      .sort(),
  }));
}

test('Undo and Redo are enabled exactly when there is something to undo or redo', async ({ page }) => {
  await openNewWorkflow(page, 'Undo buttons');
  const undo = page.locator('#undo');
  const redo = page.locator('#redo');
  await expect(undo).toBeDisabled();
  await expect(redo).toBeDisabled();

  await drop(page, 'configmap', 300, 200);
  await expect(undo).toBeEnabled();
  await expect(redo).toBeDisabled();

  await undo.click();
  await expect(nodes(page, 'configmap')).toHaveCount(0);
  await expect(undo).toBeDisabled();
  await expect(redo).toBeEnabled();

  await redo.click();
  await expect(nodes(page, 'configmap')).toHaveCount(1);
  await expect(undo).toBeEnabled();
  await expect(redo).toBeDisabled();
});

test('an edge is labelled with its meaning halfway along, and the label follows a moved node', async ({ page }) => {
  await openNewWorkflow(page, 'Edge label');
  await drop(page, 'service', 120, 230);
  await drop(page, 'deployment', 420, 300);
  await connect(page, nodes(page, 'service'), nodes(page, 'deployment'));
  const label = page.locator('.canvas .edge[data-meaning="selects"] .edge-label');
  await expect(label).toHaveText('selects');
  const labelAt = async () => centre(label);
  const halfway = async () => {
    const a = await centre(nodes(page, 'service').locator('.handle-out'));
    const b = await centre(nodes(page, 'deployment').locator('.handle-in'));
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  };
  const close = async () => {
    const [at, mid] = [await labelAt(), await halfway()];
    return Math.abs(at.x - mid.x) < 30 && Math.abs(at.y - mid.y) < 30;
  };
  await expect.poll(close).toBe(true);

  const card = await centre(nodes(page, 'deployment').locator('.node-name'));
  await page.mouse.move(card.x, card.y);
  await page.mouse.down();
  await page.mouse.move(card.x + 60, card.y + 90, { steps: 6 });
  await page.mouse.up();
  await expect.poll(close).toBe(true);
});

test('draw, connect, configure, undo, copy, delete, save and reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const id = await openNewWorkflow(page, 'Shop');
  await expect(page.locator('#node-count')).toHaveText('0');

  await drop(page, 'ingress', 120, 80);
  await drop(page, 'service', 120, 230);
  await drop(page, 'deployment', 420, 230);
  await drop(page, 'configmap', 420, 80);
  await drop(page, 'persistentvolumeclaim', 420, 380);
  await expect(page.locator('#node-count')).toHaveText('5');

  const ingress = nodes(page, 'ingress');
  const service = nodes(page, 'service');
  const deployment = nodes(page, 'deployment').first();
  const config = nodes(page, 'configmap');
  const claim = nodes(page, 'persistentvolumeclaim');
  await connect(page, ingress, service);
  await connect(page, service, deployment);
  await connect(page, config, deployment);
  await connect(page, claim, deployment);
  for (const meaning of ['routes', 'selects', 'config', 'mounts']) {
    await expect(edges(page, meaning)).toHaveCount(1);
  }

  // A connection the kinds do not allow is refused with a reason, and adds nothing.
  await connect(page, claim, ingress);
  await expect(page.locator('.canvas-hint')).toContainText('can connect to');
  await expect(edges(page)).toHaveCount(4);

  // Settings: the panel is generated from metadata; the YAML follows the edits.
  await deployment.click();
  await expect(page.locator('.panel-head h2')).toHaveText('Deployment');
  await page.fill('#field-name', 'web');
  await page.fill('#field-image', 'nginx:1.27');
  await page.fill('#field-replicas', '3');
  await page.fill('#field-ports-0-containerPort', '8081');
  await expect(deployment.locator('.node-name')).toHaveText('web');
  const yaml = page.locator('#node-yaml');
  await expect(yaml).toContainText('nginx:1.27');
  await expect(yaml).toContainText('replicas: 3');
  await expect(yaml).toContainText('containerPort: 8081');
  await expect(yaml).toContainText('claimName');

  // Undo and redo restore exact states (typing into one field is one step).
  await deployment.click();
  await page.keyboard.press('Control+z');
  await expect(page.locator('#field-ports-0-containerPort')).toHaveValue('8080');
  await page.keyboard.press('Control+z');
  await expect(page.locator('#field-replicas')).toHaveValue('1');
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+y');
  await expect(page.locator('#field-replicas')).toHaveValue('3');
  await expect(page.locator('#field-ports-0-containerPort')).toHaveValue('8081');
  await expect(yaml).toContainText('replicas: 3');

  // Copy and paste duplicate with a new name; Delete removes a node and its edges.
  await deployment.click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(nodes(page, 'deployment')).toHaveCount(2);
  await expect(page.locator('.canvas .node.selected .node-name')).toHaveText('web-copy');
  await page.keyboard.press('Delete');
  await expect(nodes(page, 'deployment')).toHaveCount(1);
  await config.click();
  await page.keyboard.press('Delete');
  await expect(nodes(page, 'configmap')).toHaveCount(0);
  await expect(edges(page, 'config')).toHaveCount(0);
  await expect(edges(page)).toHaveCount(3);

  // Save a version, then reload: everything is as it was.
  await page.keyboard.press('Control+s');
  await expect(page.locator('#save-status')).toHaveText('Saved as version 1');
  const before = await canvasState(page);
  expect(before.nodes).toHaveLength(4);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('#node-count')).toHaveText('4');
  expect(await canvasState(page)).toEqual(before);

  const saved = await (await page.request.get(`/api/workflows/get?id=${id}`)).json();
  const web = saved.nodes.find((n: { kind: string }) => n.kind === 'deployment');
  expect(web.data.image).toBe('nginx:1.27');
  expect(web.data.replicas).toBe(3);
  expect(saved.edges).toHaveLength(3);
  await page.screenshot({ path: 'test-results/editor.png' });
  expect(errors).toEqual([]);
});

test('a node can be added, selected, moved and deleted with the keyboard only', async ({ page }) => {
  await openNewWorkflow(page, 'Keys');
  await page.locator('.palette-search').focus();
  await page.keyboard.type('deploy');
  await page.keyboard.press('Tab');
  await expect(page.locator('.palette-item[data-kind="deployment"]')).toBeFocused();
  await page.keyboard.press('Enter');
  const node = nodes(page, 'deployment');
  await expect(node).toHaveCount(1);
  await expect(page.locator('.canvas')).toBeFocused();
  await expect(node).toHaveClass(/selected/);

  const start = await node.evaluate((n: HTMLElement) => n.style.transform);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  const moved = await node.evaluate((n: HTMLElement) => n.style.transform);
  const [x0, y0] = start.match(/-?[\d.]+/g)!.map(Number);
  const [x1, y1] = moved.match(/-?[\d.]+/g)!.map(Number);
  expect([x1 - x0, y1 - y0]).toEqual([20, 50]);

  await page.keyboard.press('Escape');
  await expect(node).not.toHaveClass(/selected/);
  await page.keyboard.press('Tab');
  await expect(node).toHaveClass(/selected/);
  await expect(page.locator('#canvas-status')).toContainText('Selected deployment');
  await page.keyboard.press('Delete');
  await expect(nodes(page, 'deployment')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(nodes(page, 'deployment')).toHaveCount(1);
});

test('problems show on the card, in the status bar and in a list; Validate and YAML ask the renderer', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openNewWorkflow(page, 'Checks');
  await expect(page.locator('#problem-count')).toHaveText('No problems');

  await drop(page, 'deployment', 200, 150);
  const node = nodes(page, 'deployment');
  const marker = node.locator('.node-marker');
  await expect(marker).toBeVisible();
  await expect(marker).toHaveClass(/error/);
  await expect(marker).toHaveAttribute('title', /image/i);
  await expect(page.locator('#problem-count')).toHaveText(/1 error/);

  // The list names the node and field; a click selects the node and opens its settings.
  await page.locator('.canvas').click({ position: { x: 600, y: 400 } });
  await expect(node).not.toHaveClass(/selected/);
  await page.locator('#problem-count').click();
  const item = page.locator('#problems .problem.error').first();
  await expect(item).toContainText('image');
  await item.locator('button').click();
  await expect(node).toHaveClass(/selected/);
  await expect(page.locator('.panel-head h2')).toHaveText('Deployment');

  // Fixing the field clears the marker and the count.
  await page.fill('#field-image', 'nginx:1.27');
  await expect(marker).toHaveCount(0);
  await expect(page.locator('#problem-count')).toHaveText('No problems');
  await expect(page.locator('#problems .empty')).toBeVisible();
  await page.keyboard.press('Escape');

  // A port out of range is caught as the user types, and by the server's validation.
  await page.fill('#field-ports-0-containerPort', '70000');
  await expect(page.locator('#problem-count')).toHaveText(/1 error/);
  await page.locator('#problems header button').click();
  await expect(page.locator('#problems')).toHaveCount(0);
  await page.locator('#validate').click();
  await expect(page.locator('#problems .problem.error')).toHaveCount(1);
  await expect(page.locator('#problems')).toContainText('containerPort');
  await page.fill('#field-ports-0-containerPort', '8080');
  await expect(page.locator('#problem-count')).toHaveText('No problems');

  // The whole workflow's YAML, ready to download.
  await page.locator('#view-yaml').click();
  const manifest = page.locator('#workflow-yaml');
  await expect(manifest).toContainText('kind: Deployment');
  await expect(manifest).toContainText('image: nginx:1.27');
  const download = page.locator('#download-yaml');
  await expect(download).toHaveAttribute('download', /checks.*\.yaml$/);
  await page.keyboard.press('Escape');
  await expect(manifest).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('space+drag pans over nodes without moving them; the wheel zooms at the pointer', async ({ page }) => {
  await openNewWorkflow(page, 'Pan');
  await drop(page, 'service', 300, 200);
  const node = nodes(page, 'service');
  const world = page.locator('.canvas-world');
  const placed = await node.evaluate((n: HTMLElement) => n.style.transform);
  const before = await world.evaluate((w: HTMLElement) => w.style.transform);

  const from = await centre(node);
  await page.locator('.canvas').focus();
  await page.keyboard.down(' ');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 120, from.y + 60, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up(' ');
  expect(await node.evaluate((n: HTMLElement) => n.style.transform)).toBe(placed);
  const panned = await world.evaluate((w: HTMLElement) => w.style.transform);
  const [bx, by] = before.match(/-?[\d.]+/g)!.map(Number);
  const [px, py] = panned.match(/-?[\d.]+/g)!.map(Number);
  expect([px - bx, py - by]).toEqual([120, 60]);

  await page.mouse.move(from.x + 120, from.y + 60);
  await page.mouse.wheel(0, -300);
  await expect(page.locator('.editor-status')).not.toContainText(/\b100%/);
});

test('auto-layout arranges traffic left to right without overlaps, as one undo step', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openNewWorkflow(page, 'Layout');
  // Traffic drawn right to left: the layout has to move every node.
  // (Places inside the part of the canvas the settings panel leaves visible.)
  await drop(page, 'configmap', 130, 330);
  await drop(page, 'deployment', 120, 120);
  await drop(page, 'service', 300, 250);
  await drop(page, 'ingress', 480, 90);
  await connect(page, nodes(page, 'ingress'), nodes(page, 'service'));
  await connect(page, nodes(page, 'service'), nodes(page, 'deployment'));
  await connect(page, nodes(page, 'configmap'), nodes(page, 'deployment'));
  await expect(edges(page)).toHaveCount(3);
  const before = await canvasState(page);
  const x = async (kind: string) =>
    Number((await nodes(page, kind).evaluate((n: HTMLElement) => n.style.transform)).match(/-?[\d.]+/)![0]);

  await page.click('#auto-layout');
  // The layout's code arrives on first use, so the positions land a moment later.
  await expect.poll(async () => (await canvasState(page)).nodes.map((n) => n.at)).not.toEqual(
    before.nodes.map((n) => n.at),
  );
  expect(await x('ingress')).toBeLessThan(await x('service'));
  expect(await x('service')).toBeLessThan(await x('deployment'));
  expect(await x('deployment')).toBeLessThan(await x('configmap'));
  const boxes = await page.locator('.canvas .node').evaluateAll((all) =>
    all.map((n) => n.getBoundingClientRect()).map((r) => [r.left, r.top, r.right, r.bottom]),
  );
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const overlap = a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
      expect(overlap, JSON.stringify(boxes)).toBe(false);
    }
  }

  // One undo restores the hand-made places exactly, also with the focus still on the toolbar
  // (undo and redo work outside the canvas); Shift+L on the canvas lays out again.
  await expect(page.locator('#auto-layout')).toBeFocused();
  await page.keyboard.press('Control+z');
  await expect.poll(() => canvasState(page)).toEqual(before);
  await page.locator('.canvas').focus();
  await page.keyboard.press('Shift+L');
  await expect.poll(async () => (await x('ingress')) < (await x('deployment'))).toBe(true);
  expect(errors).toEqual([]);
});
