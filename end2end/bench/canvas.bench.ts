import { test, expect, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// The canvas benchmark (make bench): the same generated workflows of 200, 500 and 2,000 nodes in
// KubeOrch-rs's editor and in a React Flow (@xyflow/react) page, in the same headless Chromium.
// For each: time until the first nodes are on screen (and, for ours, until the page is
// interactive after hydration), then a node is dragged in circles for 2 s while every animation
// frame's duration is recorded. In ours, Auto-layout is then timed from the click to the first
// frame after the canvas changed: the first time (its code is fetched on first use) and again
// after an undo; the layout computation itself is read from the page's `kubeorch:layout` User
// Timing measure. Figures go to target/bench/canvas.md (docs/benchmarks.md).

// Playwright loads tests as CommonJS: the generator (a plain ES module shared with the React Flow
// page) is imported dynamically.
const root = resolve(__dirname, '../..');
type Generate = (n: number) => { nodes: any[]; edges: any[] };
let generateOnce: Promise<Generate> | undefined;
function generator(): Promise<Generate> {
  generateOnce ??= import(pathToFileURL(join(root, 'bench/canvas/graph.mjs')).href).then((m) => m.generate);
  return generateOnce;
}
const SIZES = (process.env.CANVAS_BENCH_SIZES ?? '200,500,2000').split(',').map(Number);
const DRAG_MS = 2_000;
const DRAGGED = 'n2';

type Row = {
  editor: string;
  nodes: number;
  firstNodesMs: number;
  interactiveMs: number;
  frames: number;
  p50: number;
  p95: number;
  max: number;
  layoutFirstMs?: number;
  layoutMs?: number;
  computeFirstMs?: number;
  computeMs?: number;
};

/** Records when the first node appears and every animation frame's time, from page start. */
function recorder(selector: string) {
  const w = window as any;
  w.__bench = { firstNodes: 0, frames: [] as number[], recording: false };
  const tick = (t: number) => {
    const b = w.__bench;
    if (!b.firstNodes && document.querySelector(selector)) b.firstNodes = performance.now();
    if (b.recording) b.frames.push(t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Drags `node` in circles for DRAG_MS and returns the frame durations meanwhile. */
async function dragAndMeasure(page: Page, node: string) {
  const box = await page.locator(node).boundingBox();
  if (!box) throw new Error(`${node} is not on screen`);
  const cx = box.x + 40;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.evaluate(() => ((window as any).__bench.recording = true));
  await page.mouse.down();
  const start = Date.now();
  let step = 0;
  while (Date.now() - start < DRAG_MS) {
    const a = (step++ / 30) * Math.PI;
    await page.mouse.move(cx + 150 * Math.sin(a), cy + 100 * (1 - Math.cos(a)));
    await page.waitForTimeout(8);
  }
  await page.mouse.up();
  const frames: number[] = await page.evaluate(() => {
    const b = (window as any).__bench;
    b.recording = false;
    return b.frames;
  });
  const durations = frames.slice(1).map((t, i) => t - frames[i]).sort((x, y) => x - y);
  return {
    frames: durations.length,
    p50: percentile(durations, 50),
    p95: percentile(durations, 95),
    max: durations[durations.length - 1] ?? NaN,
  };
}

/** The duration of the last layout computation (the `kubeorch:layout` User Timing measure). */
async function computeMs(page: Page): Promise<number> {
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByName('kubeorch:layout', 'measure').length))
    .toBeGreaterThan(0);
  return page.evaluate(() => {
    const entries = performance.getEntriesByName('kubeorch:layout', 'measure');
    const last = entries[entries.length - 1].duration;
    performance.clearMeasures('kubeorch:layout');
    return last;
  });
}

/** Clicks Auto-layout and returns the time until the first frame after the canvas changed. */
function layoutMs(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((done, fail) => {
        const canvas = document.querySelector<HTMLElement>('.canvas');
        const button = document.querySelector<HTMLElement>('#auto-layout');
        if (!canvas || !button) return fail(new Error('no canvas or no Auto-layout button'));
        const start = performance.now();
        const observer = new MutationObserver(() => {
          observer.disconnect();
          requestAnimationFrame(() => done(performance.now() - start));
        });
        observer.observe(canvas, { attributes: true, childList: true, subtree: true });
        button.click();
      }),
  );
}

async function ours(page: Page, n: number): Promise<Row> {
  const { nodes, edges } = (await generator())(n);
  const created = await page.request.post('/api/workflows/create', { data: { name: `Bench ${n}` } });
  expect(created.ok()).toBeTruthy();
  const { id } = await created.json();
  const saved = await page.request.post('/api/workflows/save', {
    data: { id, nodes, edges, viewport: { x: 0, y: 0, zoom: 1 } },
  });
  expect(saved.ok(), await saved.text()).toBeTruthy();
  await page.addInitScript(recorder, '.canvas .node');
  await page.goto(`/workflows/${id}`);
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator(`.canvas .node[data-node-id="${DRAGGED}"]`)).toBeVisible();
  const interactiveMs = await page.evaluate(() => performance.now());
  const firstNodesMs = await page.evaluate(() => (window as any).__bench.firstNodes);
  const drag = await dragAndMeasure(page, `.canvas .node[data-node-id="${DRAGGED}"]`);
  const layoutFirstMs = await layoutMs(page);
  const computeFirstMs = await computeMs(page);
  await page.waitForTimeout(500);
  await page.locator('.canvas').focus();
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(500);
  const layoutAgainMs = await layoutMs(page);
  const computeAgainMs = await computeMs(page);
  return {
    editor: 'KubeOrch-rs (Leptos/WASM)',
    nodes: n,
    firstNodesMs,
    interactiveMs,
    ...drag,
    layoutFirstMs,
    layoutMs: layoutAgainMs,
    computeFirstMs,
    computeMs: computeAgainMs,
  };
}

async function reactFlow(page: Page, n: number, visibleOnly: boolean): Promise<Row> {
  const url = pathToFileURL(join(root, 'bench/canvas/reactflow.html'));
  url.searchParams.set('n', String(n));
  if (visibleOnly) url.searchParams.set('visibleOnly', '1');
  await page.addInitScript(recorder, '.react-flow__node');
  await page.goto(url.href);
  const dragged = `.react-flow__node[data-id="${DRAGGED}"]`;
  await expect(page.locator(dragged)).toBeVisible();
  const interactiveMs = await page.evaluate(() => performance.now());
  const firstNodesMs = await page.evaluate(() => (window as any).__bench.firstNodes);
  const drag = await dragAndMeasure(page, dragged);
  const editor = visibleOnly
    ? 'React Flow 12 (onlyRenderVisibleElements)'
    : 'React Flow 12 (defaults)';
  return { editor, nodes: n, firstNodesMs, interactiveMs, ...drag };
}

function table(rows: Row[]) {
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  const lines = [
    `# Canvas: KubeOrch-rs vs React Flow (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Headless Chromium, viewport 1600×900, one node dragged for ${DRAG_MS / 1000} s; frame = time between animation frames.`,
    '',
    '| editor | nodes | first nodes on screen (ms) | interactive (ms) | frames | frame p50 (ms) | frame p95 (ms) | worst frame (ms) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.editor} | ${r.nodes} | ${ms(r.firstNodesMs)} | ${ms(r.interactiveMs)} | ${r.frames} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.max)} |`,
    ),
    '',
    'Auto-layout in KubeOrch-rs: the layout computation in wasm (the `kubeorch:layout` User Timing measure; spec: < 50 ms at 500 nodes), and from the click to the first frame after the canvas changed (fetching its code the first time, layout, moves, fit view):',
    '',
    '| nodes | layout computation, first use (ms) | layout computation, again (ms) | click to frame, first use (ms) | click to frame, again after an undo (ms) |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows
      .filter((r) => r.layoutMs !== undefined)
      .map(
        (r) =>
          `| ${r.nodes} | ${ms(r.computeFirstMs!)} | ${ms(r.computeMs!)} | ${ms(r.layoutFirstMs!)} | ${ms(r.layoutMs!)} |`,
      ),
  ];
  return lines.join('\n') + '\n';
}

test('canvas: KubeOrch-rs and React Flow at 200, 500 and 2,000 nodes', async ({ browser, baseURL }) => {
  const rows: Row[] = [];
  const signup = await browser.newContext({ baseURL });
  const signed = await signup.request.post('/api/auth/register', {
    data: { email: `bench-${Date.now()}@example.com`, name: 'Bench', password: 'correct horse battery' },
  });
  expect(signed.ok()).toBeTruthy();
  const storageState = await signup.storageState();
  await signup.close();
  for (const n of SIZES) {
    const runs: Array<(page: Page) => Promise<Row>> = [
      (page) => ours(page, n),
      (page) => reactFlow(page, n, false),
      (page) => reactFlow(page, n, true),
    ];
    for (const run of runs) {
      const context = await browser.newContext({ baseURL, storageState, viewport: { width: 1600, height: 900 } });
      rows.push(await run(await context.newPage()));
      await context.close();
    }
  }
  const out = join(root, 'target/bench/canvas.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, table(rows));
  console.log(table(rows));
});
