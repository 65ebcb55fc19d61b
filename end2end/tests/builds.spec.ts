import { test, expect, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

// Building an image from Git in the UI: a local registry (Debian docker-registry) is added on the
// registries page and tested; a build of a bare Git repository (FROM scratch + busybox) is
// started from the builds page; its stage bar and log stream live; once pushed, the image is set
// on a workflow's Deployment, which then carries the digest reference.

const PASSWORD = 'correct horse battery';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function startRegistry(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const config = join(dir, 'registry.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/v2/`)).ok) return { url, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the registry did not start');
}

function bareRepo(dir: string): string {
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'Containerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY hello.txt /hello.txt\nCMD ["/bin/busybox", "cat", "/hello.txt"]\n');
  const busybox = execFileSync('sh', ['-c', 'command -v busybox']).toString().trim();
  copyFileSync(busybox, join(work, 'busybox'));
  chmodSync(join(work, 'busybox'), 0o755);
  writeFileSync(join(work, 'hello.txt'), 'hello\n');
  const git = (args: string[], cwd: string) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'ignore' });
  git(['init', '-q'], work);
  git(['add', '-A'], work);
  git(['commit', '-q', '-m', 'image'], work);
  git(['clone', '-q', '--bare', 'work', 'repo.git'], dir);
  return `file://${join(dir, 'repo.git')}`;
}

async function hydrated(page: Page) {
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'true');
}

test('build an image from Git, watch its log, and set it on a Deployment', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Every EventSource the page opens: the server ends a finished build's stream, and only the
  // page's close() (readyState 2) keeps the browser from reconnecting to it every few seconds.
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const opened: EventSource[] = [];
    (window as unknown as { openedStreams: EventSource[] }).openedStreams = opened;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        opened.push(this);
      }
    };
  });
  // The readyState of each build stream the page opened (2: EventSource.CLOSED).
  const buildStreams = () => page.evaluate(() =>
    (window as unknown as { openedStreams: EventSource[] }).openedStreams
      .filter((s) => s.url.includes('/api/builds/'))
      .map((s) => s.readyState));
  const dir = mkdtempSync(join(tmpdir(), 'kubeorch-e2e-build-'));
  const registry = await startRegistry(dir);
  try {
    const repoUrl = bareRepo(dir);

    await page.goto('/signup');
    await hydrated(page);
    await page.fill('#name', 'Ada');
    await page.fill('#email', `builds-${Date.now()}@example.com`);
    await page.fill('#password', PASSWORD);
    await page.click('#submit');
    await expect(page).toHaveURL(/\/workflows$/);
    await page.click('#new-workflow');
    await page.fill('#workflow-name', 'Shop');
    await page.click('#create-workflow');
    const href = (await page.locator('a.workflow-name', { hasText: 'Shop' }).getAttribute('href')) ?? '';
    const workflowId = href.split('/').pop() ?? '';
    const saved = await page.request.post('/api/workflows/save', {
      data: {
        id: workflowId,
        nodes: [{ id: 'web', kind: 'deployment', position: { x: 0, y: 0 }, data: { name: 'web', image: 'nginx:1.27' } }],
        edges: [],
        create_version: true,
      },
    });
    expect(saved.status()).toBe(200);

    await page.goto('/registries');
    await hydrated(page);
    await page.click('#add-registry');
    await page.fill('#registry-name', 'local');
    await page.fill('#registry-url', registry.url);
    await page.click('#save-registry');
    const row = page.locator('.registry-row[data-name="local"]');
    await expect(row.locator('.registry-state-text')).toHaveText('Reachable');
    await expect(row.locator('.registry-default')).toBeVisible();

    await page.goto(`/builds?workflow=${workflowId}&node=web`);
    await hydrated(page);
    await page.fill('#build-repo', repoUrl);
    await page.fill('#build-image', 'demo/hello');
    await page.fill('#build-tag', 'e2e');
    await page.click('#start-build');
    await expect(page).toHaveURL(/\/builds\/[0-9a-f-]+\?node=web$/);
    await hydrated(page);

    await expect(page.locator('#build-state')).toHaveText('Completed', { timeout: 60_000 });
    const log = page.locator('#build-log');
    await expect(log).toContainText('Checked out commit');
    await expect(log).toContainText('COPY busybox /bin/busybox');
    await expect(log).toContainText('Pushed');
    for (const stage of ['cloning', 'building', 'pushing']) {
      await expect(page.locator(`.stage[data-stage="${stage}"]`)).toHaveClass(/stage-done/);
    }
    await expect.poll(buildStreams).toEqual([2]);
    // A late viewer: reloading the finished build replays its whole stored log.
    await page.reload();
    await hydrated(page);
    await expect(log).toContainText('Checked out commit');
    await expect(log).toContainText('Pushed');
    await expect.poll(buildStreams).toEqual([2]);

    const image = (await page.locator('#built-image').textContent()) ?? '';
    expect(image).toMatch(/^127\.0\.0\.1:\d+\/demo\/hello:e2e@sha256:[0-9a-f]{64}$/);

    await expect(page.locator('#use-image-workflow')).toHaveValue(workflowId);
    await expect(page.locator('.use-image-node[data-node="web"]')).toBeChecked();
    await page.click('#use-image-apply');
    await expect(page.locator('#use-image-done')).toContainText('saved as version 2');

    const stored = await (await page.request.get(`/api/workflows/get?id=${workflowId}`)).json();
    expect(stored.nodes[0].data.image).toBe(image);
    const digest = image.split('@')[1];
    const manifest = await fetch(`${registry.url}/v2/demo/hello/manifests/${digest}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(manifest.status).toBe(200);

    await page.goto('/builds');
    await expect(page.locator('#build-list .build-row').first()).toContainText('Completed');
    expect(errors).toEqual([]);
  } finally {
    registry.child.kill();
  }
});
