import { test, expect, type Page } from '@playwright/test';

// Deploying to the built-in Sandbox cluster: a workflow (Ingress → Service → Deployment +
// ConfigMap + PVC) is previewed and run; nodes go pending → progressing → healthy without a
// reload; the run panel shows each node's result; a reload mid-rollout resumes the statuses; a
// re-run changes only the Deployment; a removed node is pruned; an image-pull failure shows as
// failed on its node only; deleting the workflow deletes its objects.

const PASSWORD = 'correct horse battery';
const NODES = ['ing', 'svc', 'web', 'cfg', 'pvc'];

type Design = { nodes: object[]; edges: object[] };

function node(id: string, kind: string, data: object, x: number) {
  return { id, kind, position: { x, y: 0 }, data };
}

function design(image: string, replicas: number, withPvc = true): Design {
  const nodes = [
    node('ing', 'ingress', { name: 'shop', host: 'shop.example.com' }, 0),
    node('svc', 'service', { name: 'web', ports: [{ name: 'http', port: 80 }] }, 200),
    node('web', 'deployment', {
      name: 'web', image, replicas, ports: [{ name: 'http', containerPort: 8080 }],
    }, 400),
    node('cfg', 'configmap', { name: 'web-env', data: { LOG_LEVEL: 'info' } }, 600),
  ];
  const edges = [
    { id: 'e1', source: 'ing', target: 'svc' },
    { id: 'e2', source: 'svc', target: 'web' },
    { id: 'e3', source: 'cfg', target: 'web' },
  ];
  if (withPvc) {
    nodes.push(node('pvc', 'persistentvolumeclaim', { name: 'uploads', storage: '1Gi' }, 800));
    edges.push({ id: 'e4', source: 'pvc', target: 'web' });
  }
  return { nodes, edges };
}

async function hydrated(page: Page) {
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'true');
}

async function save(page: Page, id: string, d: Design) {
  const response = await page.request.post('/api/workflows/save', { data: { id, ...d } });
  expect(response.status()).toBe(200);
}

const badge = (page: Page, id: string) => page.locator(`.live-badge[data-node="${id}"]`);
const step = (page: Page, id: string) => page.locator(`.run-node[data-node="${id}"]`);

/** Records every state each node's badge shows, from now on. */
async function recordStates(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { seenStates: typeof seen }).seenStates = seen;
    const note = () => {
      document.querySelectorAll<HTMLElement>('.live-badge[data-node]').forEach((el) => {
        const node = el.dataset.node ?? '';
        const list = (seen[node] ??= []);
        const state = el.dataset.state ?? '';
        if (list[list.length - 1] !== state) list.push(state);
      });
    };
    new MutationObserver(note).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'],
    });
    note();
  });
}

async function run(page: Page, expectPlan: RegExp) {
  await page.click('#run-workflow');
  await expect(page.locator('#plan-summary')).toHaveText(expectPlan);
  await page.click('#confirm-run');
  await expect(page.locator('.modal')).toHaveCount(0);
}

test('deploy to the Sandbox and watch the nodes go live', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto('/signup');
  await hydrated(page);
  await page.fill('#name', 'Ada');
  await page.fill('#email', `deploy-${Date.now()}@example.com`);
  await page.fill('#password', PASSWORD);
  await page.click('#submit');
  await expect(page).toHaveURL(/\/workflows$/);
  await page.click('#new-workflow');
  await page.fill('#workflow-name', 'Shop');
  await page.click('#create-workflow');
  const link = page.locator('a.workflow-name', { hasText: 'Shop' });
  const href = (await link.getAttribute('href')) ?? '';
  const id = href.split('/').pop() ?? '';
  await save(page, id, design('nginx:1.27', 2));

  await page.goto('/clusters');
  await expect(page.locator('#cluster-list')).toContainText('Sandbox — simulated, nothing runs');

  await page.goto(href);
  await hydrated(page);
  await expect(page.locator('#run-panel')).toContainText('Not deployed yet');
  await recordStates(page);
  await page.click('#run-workflow');
  const sandbox = page.locator('#workflow-cluster option', { hasText: 'Sandbox' });
  await page.selectOption('#workflow-cluster', (await sandbox.getAttribute('value')) ?? '');
  await expect(page.locator('#plan-summary')).toHaveText('5 to create');
  await page.click('#confirm-run');
  await expect(page.locator('.modal')).toHaveCount(0);

  for (const n of NODES) {
    await expect(badge(page, n)).toHaveAttribute('data-state', 'healthy', { timeout: 20_000 });
    await expect(step(page, n)).toHaveAttribute('data-step', 'applied');
  }
  await expect(page.locator('#run-state')).toHaveAttribute('data-state', 'succeeded');
  await expect(badge(page, 'web')).toContainText('2/2');
  const seen = await page.evaluate(
    () => (window as unknown as { seenStates: Record<string, string[]> }).seenStates,
  );
  const web = seen['web'] ?? [];
  expect(web[web.length - 1]).toBe('healthy');
  expect(web).toContain('progressing');
  const order = ['pending', 'progressing', 'healthy'];
  expect(web.map((s) => order.indexOf(s))).toEqual([...web.map((s) => order.indexOf(s))].sort());

  // Re-run with more replicas: only the Deployment changes; reload while it rolls out.
  await save(page, id, design('nginx:1.27', 3));
  await page.reload();
  await hydrated(page);
  await run(page, /1 to update, 4 unchanged/);
  await expect(badge(page, 'web')).toHaveAttribute('data-state', 'progressing');
  await page.reload();
  await hydrated(page);
  await expect(badge(page, 'web')).toHaveAttribute('data-state', 'healthy', { timeout: 20_000 });
  await expect(badge(page, 'web')).toContainText('3/3');
  await expect(step(page, 'web')).toHaveAttribute('data-step', 'applied');
  for (const n of ['ing', 'svc', 'cfg', 'pvc']) {
    await expect(step(page, n)).toHaveAttribute('data-step', 'unchanged');
  }

  // A node removed from the design is pruned from the cluster (its volume leaves the Deployment).
  await save(page, id, design('nginx:1.27', 3, false));
  await page.reload();
  await hydrated(page);
  await run(page, /1 to update, 3 unchanged, 1 to delete/);
  await expect(page.locator('.run-pruned [data-pruned="uploads"]')).toBeVisible({ timeout: 20_000 });

  // An image that cannot be pulled fails its node; the others stay healthy.
  await save(page, id, design('registry.example.com/web:pull-error', 3, false));
  await page.reload();
  await hydrated(page);
  await run(page, /1 to update, 3 unchanged/);
  await expect(badge(page, 'web')).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(badge(page, 'web')).toHaveAttribute('title', /pull/i);
  for (const n of ['ing', 'svc', 'cfg']) {
    await expect(badge(page, n)).toHaveAttribute('data-state', 'healthy');
  }
  await page.screenshot({ path: 'test-results/deploy.png', fullPage: true });

  // Redeploy the first deployed version from the editor's history: restore, review, run.
  await expect(page.locator('#run-state')).not.toHaveAttribute('data-state', /queued|running/);
  await page.click('#toggle-history');
  await expect(page.locator('#versions-panel')).toHaveAttribute('data-ready', 'true');
  const first = page.locator('.version-row[data-kind="deploy"]').last();
  await expect(first.locator('.version-run')).toHaveAttribute('data-run-state', 'succeeded');
  await first.locator('.version-redeploy').click();
  await expect(page.locator('.modal')).toContainText('Redeploy version');
  await page.click('#confirm');
  await expect(page.locator('#plan-summary')).toHaveText(/1 to create/);
  await expect(page.locator('#plan-summary')).toHaveText(/1 to update/);
  await page.click('#confirm-run');
  await expect(page.locator('.modal')).toHaveCount(0);
  await expect(badge(page, 'pvc')).toHaveAttribute('data-state', 'healthy', { timeout: 20_000 });
  await expect(badge(page, 'web')).toHaveAttribute('data-state', 'healthy', { timeout: 30_000 });
  await expect(badge(page, 'web')).toContainText('2/2');

  // Deleting the workflow offers to delete what it deployed; afterwards nothing of it is left.
  await page.goto('/workflows');
  await hydrated(page);
  const shop = page.locator('.workflow-row[data-name="Shop"]');
  await shop.getByRole('button', { name: 'Delete' }).click();
  await expect(page.locator('#delete-objects')).toBeChecked();
  await page.click('#confirm');
  await expect(shop).toHaveCount(0);
  await page.click('#new-workflow');
  await page.fill('#workflow-name', 'Check');
  await page.click('#create-workflow');
  const check = page.locator('a.workflow-name', { hasText: 'Check' });
  const checkHref = (await check.getAttribute('href')) ?? '';
  await save(page, checkHref.split('/').pop() ?? '', design('nginx:1.27', 1));
  await page.goto(checkHref);
  await hydrated(page);
  await page.click('#run-workflow');
  await page.selectOption('#workflow-cluster', (await sandbox.getAttribute('value')) ?? '');
  await expect(page.locator('#plan-summary')).toHaveText('5 to create');
  expect(errors).toEqual([]);
});
