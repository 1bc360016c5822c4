import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';

/** Where screenshots of the main states go (kept as CI artifacts). */
export const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');

/** Opens the studio and waits until the document is on the canvas. */
export async function openStudio(page: Page, query = '?autorun=0'): Promise<void> {
  await page.goto(`./${query}`);
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

/** The README's pictures (`apps/studio/docs/`), refreshed by `pnpm --filter @spark-snn/studio docs:screenshots`. */
const DOCS = join(import.meta.dirname, '..', 'docs');

/**
 * Saves a screenshot as a test artifact; with `docs` (a file name) and `SPARK_STUDIO_DOCS=1` it
 * also becomes that picture of the README.
 */
export async function shot(page: Page, info: TestInfo, name: string, docs?: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: 'image/png' });
  if (docs && process.env.SPARK_STUDIO_DOCS === '1') {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(path, join(DOCS, `${docs}.png`));
  }
}

/** State of the document (read-only view for assertions). */
export async function docState(page: Page): Promise<{
  nodes: { id: string; kind: string; type: string; config: Record<string, unknown> }[];
  edges: { source: string; sourcePort: string; target: string; targetPort: string }[];
  dirty: boolean;
}> {
  return page.evaluate(() => {
    const s = (
      window as unknown as { sparkStudio: { store: { getState(): Record<string, unknown> } } }
    ).sparkStudio.store.getState() as {
      doc: { nodes: unknown[]; edges: unknown[] };
      dirty: boolean;
    };
    return JSON.parse(JSON.stringify({ nodes: s.doc.nodes, edges: s.doc.edges, dirty: s.dirty }));
  });
}

/** Clicks somewhere empty on the canvas (clears focus from inputs). */
export async function clickPane(page: Page): Promise<void> {
  const pane = page.locator('.react-flow__pane');
  const box = await pane.boundingBox();
  if (!box) throw new Error('no pane');
  await page.mouse.click(box.x + 8, box.y + box.height - 8);
}

/** File → New, discarding changes if asked. */
export async function newDocument(page: Page): Promise<void> {
  await menu(page, 'File', 'New');
  const dialog = page.getByRole('dialog', { name: 'Unsaved changes' });
  if (await dialog.isVisible().catch(() => false))
    await dialog.getByRole('button', { name: 'Discard' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}

/** Opens a menu and clicks an item. */
export async function menu(page: Page, name: string, item: string | RegExp): Promise<void> {
  await page.getByRole('menubar').getByRole('button', { name, exact: true }).click();
  await page.getByRole('menu', { name }).getByRole('menuitem', { name: item }).click();
}

/** Adds a node with the palette (Ctrl+K, type, Enter). */
export async function addFromPalette(page: Page, query: string): Promise<void> {
  await clickPane(page);
  await page.keyboard.press('Control+k');
  const input = page
    .getByRole('combobox', { name: 'Search modules' })
    .or(page.getByPlaceholder(/Add a node/));
  await expect(input.first()).toBeVisible();
  await input.first().fill(query);
  await page.keyboard.press('Enter');
  await expect(input.first()).toBeHidden();
}

/** Drags from an output handle to an input handle. */
export async function drag(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const a = page.locator(
    `.react-flow__node[data-id="${from[0]}"] .react-flow__handle[data-handleid="${from[1]}"]`,
  );
  const b = page.locator(
    `.react-flow__node[data-id="${to[0]}"] .react-flow__handle[data-handleid="${to[1]}"]`,
  );
  // Wait until both handles stop moving (layout / fit-view may still be settling).
  let prev = '';
  let ba = await a.boundingBox();
  let bb = await b.boundingBox();
  for (let i = 0; i < 20; i++) {
    const key = JSON.stringify([ba, bb]);
    if (key === prev) break;
    prev = key;
    await page.waitForTimeout(100);
    ba = await a.boundingBox();
    bb = await b.boundingBox();
  }
  if (!ba || !bb) throw new Error(`handle not found: ${from.join('.')} or ${to.join('.')}`);
  await page.mouse.move(ba.x + ba.width / 2, ba.y + ba.height / 2);
  await page.mouse.down();
  await page.mouse.move((ba.x + bb.x) / 2, (ba.y + bb.y) / 2, { steps: 5 });
  await page.mouse.move(bb.x + bb.width / 2, bb.y + bb.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** The raster's plot area (Canvas 2D drawing, or the WebGPU canvas laid over it). */
export function activeRaster(page: Page) {
  return page.locator('[data-testid="raster-plot"] .u-over');
}

/** The simulation panel. */
export function simPanel(page: Page) {
  return page.locator('section.spark-sim');
}

/** Waits until the simulation panel has a model loaded and says which backend runs it. */
export async function simReady(page: Page, timeout = 120_000): Promise<void> {
  await expect(simPanel(page)).toHaveAttribute('data-status', 'ready', { timeout });
}

/** The index of the next simulated step, as the panel shows it. */
export async function simStep(page: Page): Promise<number> {
  return Number((await simPanel(page).getAttribute('data-step')) ?? 0);
}

/** Opens a file through the Import Model (`model`) or Open Session (`session`) dialog. */
export async function openThroughMenu(
  page: Page,
  kind: 'model' | 'session',
  file: { name: string; buffer: Buffer },
): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await menu(page, 'File', kind === 'model' ? 'Import Model…' : 'Open Session…');
  const unsaved = page.getByRole('dialog', { name: 'Unsaved changes' });
  if (await unsaved.isVisible().catch(() => false))
    await unsaved.getByRole('button', { name: 'Discard' }).click();
  await (await chooser).setFiles({ ...file, mimeType: 'application/octet-stream' });
}

/**
 * Pixels of the raster's plot area as the page shows them (an element screenshot, decoded in the page):
 * the number of lit pixels (brighter than the grid and band lines, inside a 2-pixel frame), a hash of their positions, and how many have the raster's band colours
 * (amber `#f5c542`, blue `#8ab4f8`). Works for both rasters: a canvas transferred to a worker
 * cannot be read from the page any other way.
 */
export async function rasterPixels(
  page: Page,
): Promise<{ lit: number; hash: number; banded: number; minX: number; width: number }> {
  const png = await activeRaster(page).screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    if (!ctx) return { lit: 0, hash: 0, banded: 0, minX: 0, width: 0 };
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const near = (i: number, r: number, g: number, b: number) =>
      Math.abs((d[i] ?? 0) - r) <= 8 &&
      Math.abs((d[i + 1] ?? 0) - g) <= 8 &&
      Math.abs((d[i + 2] ?? 0) - b) <= 8;
    let lit = 0;
    let hash = 0;
    let banded = 0;
    let minX = c.width;
    // Skip a 2-pixel frame: the element's box may start at a fractional pixel, and the screenshot
    // then carries a line of the panel's background around the canvas.
    for (let i = 0; i < d.length; i += 4) {
      const x = (i / 4) % c.width;
      const y = Math.floor(i / 4 / c.width);
      if (x < 2 || y < 2 || x >= c.width - 2 || y >= c.height - 2) continue;
      const v = (d[i] ?? 0) + (d[i + 1] ?? 0) + (d[i + 2] ?? 0);
      if (v > 3 * 0x50) {
        lit++;
        minX = Math.min(minX, x);
        hash = (hash * 31 + i) | 0;
        if (near(i, 0xf5, 0xc5, 0x42) || near(i, 0x8a, 0xb4, 0xf8)) banded++;
      }
    }
    return { lit, hash, banded, minX, width: c.width };
  }, png.toString('base64'));
}
