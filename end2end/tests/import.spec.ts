import { test, expect, type Page } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hydrated, newUserWithWorkflow, PASSWORD } from '../support/session';

// Import: a pasted 4-service Compose file is analysed, previewed (nodes, edges, warnings),
// applied into a new workflow that opens in the editor laid out without overlaps, and runs on
// the Sandbox cluster until every node is healthy. A Git repository served by `git daemon` on
// 127.0.0.1 imports with a progress bar that completes.

const COMPOSE = `services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    environment:
      LOG_LEVEL: info
    depends_on: [api]
    hostname: web1
  api:
    image: ghcr.io/example/api:1.4
    expose: ["8000"]
    depends_on: [cache, queue]
  cache:
    image: redis:7
  queue:
    image: rabbitmq:3.13
`;

async function signUp(page: Page, prefix: string) {
  await page.goto('/signup');
  await hydrated(page);
  await page.fill('#name', 'Ada');
  await page.fill('#email', `${prefix}-${Date.now()}@example.com`);
  await page.fill('#password', PASSWORD);
  await page.click('#submit');
  await expect(page).toHaveURL(/\/workflows$/);
  await hydrated(page);
}

type Box = { x: number; y: number };

function overlaps(a: Box, b: Box, w = 200, h = 60) {
  return a.x < b.x + w && b.x < a.x + w && a.y < b.y + h && b.y < a.y + h;
}

test('paste a Compose file, preview, apply into a new workflow and run it on the Sandbox', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signUp(page, 'import');

  await page.click('#import-button');
  await expect(page.locator('#import-dialog')).toBeVisible();
  await page.fill('#import-text', COMPOSE);
  await page.click('#import-analyze');
  await expect(page.locator('#import-preview')).toBeVisible();
  // 4 workloads, 4 Services (rabbitmq and redis get their usual port), 1 ConfigMap.
  await expect(page.locator('#import-canvas .preview-node')).toHaveCount(9);
  await expect(page.locator('#import-canvas .preview-edge')).toHaveCount(8);
  await expect(page.locator('#import-summary')).toContainText('9 nodes');
  await expect(page.locator('#import-warnings')).toContainText('hostname');
  await expect(page.locator('#import-warnings')).toContainText('port 6379 of the image was assumed');

  await page.fill('#import-name', 'Imported shop');
  await page.click('#import-apply');
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  await hydrated(page);
  const id = page.url().split('/').pop() ?? '';

  // Laid out without overlaps, as the editor shows it.
  const workflow = await (await page.request.get(`/api/workflows/get?id=${id}`)).json();
  expect(workflow.name).toBe('Imported shop');
  const nodes = workflow.nodes as { id: string; position: Box }[];
  expect(nodes).toHaveLength(9);
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      expect(overlaps(nodes[i].position, nodes[j].position), `${nodes[i].id} / ${nodes[j].id}`).toBe(false);
    }
  }

  // Run on the Sandbox: every node becomes healthy.
  await page.click('#run-workflow');
  const sandbox = page.locator('#workflow-cluster option', { hasText: 'Sandbox' });
  await page.selectOption('#workflow-cluster', (await sandbox.getAttribute('value')) ?? '');
  await expect(page.locator('#plan-summary')).toHaveText('9 to create');
  await page.click('#confirm-run');
  await expect(page.locator('.modal')).toHaveCount(0);
  for (const node of nodes) {
    await expect(page.locator(`.live-badge[data-node="${node.id}"]`)).toHaveAttribute('data-state', 'healthy', { timeout: 30_000 });
  }
  await expect(page.locator('#run-state')).toHaveAttribute('data-state', 'succeeded');
  await page.screenshot({ path: 'test-results/import.png', fullPage: true });
  expect(errors).toEqual([]);
});

test("the editor's Import adds a Compose file beside the design as one undo step", async ({ page }) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const id = await newUserWithWorkflow(page, 'editor-import', 'Shop');
  await page.goto(`/workflows/${id}`);
  await hydrated(page);

  // Four of the services first, then one more whose names clash with the design's.
  for (const [text, count] of [[COMPOSE, '9'], ['services:\n  web:\n    image: nginx:1.27\n    ports: ["8081:80"]\n', '11']]) {
    await page.click('#editor-import');
    await page.fill('#import-text', text);
    await page.click('#import-analyze');
    await expect(page.locator('#import-preview')).toBeVisible();
    await expect(page.locator('#import-apply')).toHaveText('Add to canvas');
    await page.click('#import-apply');
    await expect(page.locator('#import-dialog')).toHaveCount(0);
    await expect(page.locator('#node-count')).toHaveText(count);
  }
  await expect(page.locator('.canvas-hint')).toContainText('Added 2 imported nodes');
  await expect(page.locator('.canvas .node.selected')).toHaveCount(2);
  await expect(page.locator('.canvas .node.selected .node-name')).toHaveText(['web-2', 'web-2']);

  await page.click('#undo');
  await expect(page.locator('#node-count')).toHaveText('9');
  await page.click('#redo');
  await expect(page.locator('#node-count')).toHaveText('11');
  await expect(page.locator('#save-status')).toHaveText('All changes saved', { timeout: 15_000 });

  const workflow = await (await page.request.get(`/api/workflows/get?id=${id}`)).json();
  const nodes = workflow.nodes as { id: string; position: Box }[];
  expect(nodes).toHaveLength(11);
  expect(new Set(nodes.map((n) => n.id)).size).toBe(11);
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      expect(overlaps(nodes[i].position, nodes[j].position), `${nodes[i].id} / ${nodes[j].id}`).toBe(false);
    }
  }
  expect(workflow.edges).toHaveLength(9);
  expect(errors).toEqual([]);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

test('import from a Git repository with progress', async ({ page }) => {
  test.setTimeout(90_000);
  const root = mkdtempSync(join(tmpdir(), 'kubeorch-git-'));
  const source = join(root, 'src');
  mkdirSync(join(source, 'deploy'), { recursive: true });
  writeFileSync(join(source, 'deploy', 'compose.yaml'), COMPOSE);
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
      cwd, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
    });
  git(source, 'init', '-q');
  git(source, 'add', '.');
  git(source, 'commit', '-q', '-m', 'compose');
  git(root, 'clone', '-q', '--bare', source, join(root, 'shop.git'));
  const port = await freePort();
  // The server program itself: `git daemon` would run it as a child that outlives a kill.
  const gitDaemon = join(execFileSync('git', ['--exec-path']).toString().trim(), 'git-daemon');
  const daemon = spawn(gitDaemon, ['--export-all', '--reuseaddr', '--listen=127.0.0.1', `--port=${port}`, `--base-path=${root}`, root], { stdio: 'ignore' });
  // The import's event streams still open (the dialog closes each once the import is over).
  const openStreams = new Set<object>();
  const isStream = (url: string) => /\/api\/import\/[^/]+\/events$/.test(url);
  page.on('request', (r) => isStream(r.url()) && openStreams.add(r));
  page.on('requestfailed', (r) => openStreams.delete(r));
  page.on('requestfinished', (r) => openStreams.delete(r));
  try {
    await signUp(page, 'git-import');
    await page.click('#import-button');
    await page.click('#import-tab-git');
    await page.fill('#import-git-url', `git://127.0.0.1:${port}/shop.git`);
    // The daemon may take a moment to listen: retry the analysis until the clone starts working.
    await expect(async () => {
      await page.click('#import-analyze');
      await expect(page.locator('#import-progress')).toHaveAttribute('value', '100', { timeout: 15_000 });
    }).toPass({ timeout: 45_000 });
    await expect(page.locator('#import-progress-message')).toHaveText('Done');
    await expect(page.locator('#import-log')).toContainText('found 1 compose file(s): deploy/compose.yaml');
    await expect(page.locator('#import-canvas .preview-node')).toHaveCount(9);
    await expect.poll(() => openStreams.size).toBe(0);
    await page.click('#import-apply');
    await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  } finally {
    daemon.kill();
  }
});
