// A new user's session in the studio, one test per problem of issue 17 (numbered as there):
// 1 the simulation follows the document, 2 backend choice in words, 3 switching backends,
// 4 a layout for work, 5 Spark's links, 6 no false errors, 7 palette ranking, 8 readable plots,
// 9 validation as you edit, 10 words, hints and full names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { createBrainConfig, moduleSpecs, writeScfg } from '@spark-snn/config';
import {
  activeRaster,
  addFromPalette,
  docState,
  menu,
  newDocument,
  openStudio,
  openThroughMenu,
  rasterPixels,
  shot,
  simPanel,
  simReady,
  simStep,
} from './helpers.ts';

const FIXTURE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'spark', 'ab_brain.scfg');
const AB_BRAIN = { name: 'ab_brain.scfg', buffer: readFileSync(FIXTURE) };
/** ab_brain's spiking populations, top to bottom. */
const AB_BANDS = ['spiker', 'A_excitatory', 'B_excitatory', 'A_inhibitory', 'B_inhibitory'];

/** A small valid model: obs → enc (Poisson spiker) → pool (LIF) → out. */
function smallModel(): { name: string; buffer: Buffer } {
  const enc = moduleSpecs('enc', 'poisson_spiker', { inputs: { signal: ['__call__.obs'] } });
  const pool = moduleSpecs('pool', 'lif_neuron', {
    inputs: { in_spikes: ['enc.spikes'] },
    outputs: { out: 'out_spikes' },
    config: { units: [20] },
  });
  expect([...enc.issues, ...pool.issues]).toEqual([]);
  const doc = createBrainConfig([enc.specs, pool.specs], { seed: 3, dt: 1 });
  return { name: 'small.scfg', buffer: Buffer.from(writeScfg(doc, { compress: false })) };
}

/** The band labels on the raster's y axis. */
async function bandLabels(page: Page): Promise<string[]> {
  return page.locator('[data-testid="raster-plot"] .spark-raster-bands span').allTextContents();
}

/** Everything the simulation status line said since the page opened. */
async function statusHistory(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { statusHistory: string[] }).statusHistory ?? []);
}

test.beforeEach(async ({ page }) => {
  // Keep every text the status line shows (progress lines are short-lived).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { statusHistory: string[] }).statusHistory = seen;
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="sim-status"]')?.textContent ?? '';
      if (t && seen.at(-1) !== t) seen.push(t);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
});

test('1 · the simulation always shows the document on the canvas', async ({ page }, info) => {
  test.setTimeout(300_000);
  await openStudio(page, '');
  await simReady(page);
  await expect.poll(() => simStep(page), { timeout: 60_000 }).toBeGreaterThan(3);
  expect(await bandLabels(page)).toEqual(AB_BANDS);

  // New: the old run stops, its raster and inputs go, Run is disabled, the status says why.
  await newDocument(page);
  await expect(simPanel(page)).toHaveAttribute('data-status', 'empty');
  await expect(page.getByTestId('sim-status')).toHaveText(
    'Nothing to simulate yet: add modules to the canvas.',
  );
  await expect(page.getByRole('button', { name: 'Run' })).toBeDisabled();
  await expect(page.getByTestId('raster-plot')).toHaveCount(0);
  await expect(page.getByText(/^Inputs \(/)).toHaveCount(0);

  // Import another model: it is the one that loads (its populations label the raster).
  await openThroughMenu(page, 'model', smallModel());
  await simReady(page);
  expect(await bandLabels(page)).toEqual(['enc', 'pool']);
  expect(await simStep(page)).toBe(0);
  await page.getByRole('button', { name: 'Run' }).click();
  await expect.poll(() => simStep(page), { timeout: 60_000 }).toBeGreaterThan(5);

  // An edit that breaks the model (its encoder deleted): it stops, shows its problems, and Run is disabled.
  await page.getByTestId('nodelist-enc').click();
  await page.getByTestId('nodelist-enc').press('Delete');
  await expect(simPanel(page)).toHaveAttribute('data-status', 'invalid', { timeout: 30_000 });
  await expect(page.getByTestId('sim-status')).toContainText(
    /The model has \d+ problems? to fix before it can run/,
  );
  await expect(page.locator('.spark-sim-problems')).toContainText('pool › input in_spikes');
  await expect(page.getByRole('button', { name: 'Run' })).toBeDisabled();
  await shot(page, info, '20-invalid-model-does-not-run');
  // Undo: valid again, loaded again and running again (it was running), no stale message.
  await page.keyboard.press('Control+z');
  await simReady(page, 60_000);
  await expect(page.locator('.spark-sim-problems')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();

  // And back to ab_brain: its populations, from step 0.
  await openThroughMenu(page, 'model', AB_BRAIN);
  await simReady(page);
  expect(await bandLabels(page)).toEqual(AB_BANDS);
  expect(await simStep(page)).toBeLessThan(50);
  const texts = await statusHistory(page);
  expect(texts.some((t) => /no model loaded|the brain config has/.test(t))).toBe(false);
});

test('2 · auto uses the engine rule and says in words which backend runs and why; compile shows progress', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await openStudio(page, '');
  await simReady(page);
  const status = page.getByTestId('sim-status');
  // This browser has no GPU (only a software WebGPU adapter): auto runs the cpu backend.
  await expect(status).toContainText(/^Running on cpu \(picked automatically: .+\)/);
  const seen = await statusHistory(page);
  expect(seen.some((t) => /^Compiling the model: \d+ \/ 6 modules…$/.test(t))).toBe(true);
  expect(seen.some((t) => /compiles twice|loading the model again/.test(t))).toBe(false);
  await expect(page.getByTestId('console')).not.toContainText('loading the model again');
  await expect.poll(() => simStep(page), { timeout: 60_000 }).toBeGreaterThan(100);
  await shot(page, info, '25-opening-view', 'opening-view');
});

test('3 · the backend dropdown applies at once, and switching leaves no error of the old backend', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openStudio(page, '');
  await simReady(page);
  const status = page.getByTestId('sim-status');
  const backend = page.getByRole('combobox', { name: 'Simulation backend' });
  await backend.selectOption('webgpu');
  await expect(status).toContainText('Running on webgpu (as chosen)', { timeout: 120_000 });
  await expect.poll(() => simStep(page), { timeout: 60_000 }).toBeGreaterThan(0);
  // While it runs: back to cpu.
  await backend.selectOption('cpu');
  await expect(status).toContainText('Running on cpu (as chosen)', { timeout: 120_000 });
  const step = await simStep(page);
  await expect.poll(() => simStep(page), { timeout: 60_000 }).toBeGreaterThan(step);
  // gpujs, then cpu again before it has finished loading: cpu wins, no error is left behind.
  await backend.selectOption('gpujs');
  await backend.selectOption('cpu');
  await expect(status).toContainText('Running on cpu (as chosen)', { timeout: 180_000 });
  await expect(page.locator('.spark-sim')).not.toContainText(
    /readback failed|mapAsync|no model loaded|stopped/,
  );
  const seen = await statusHistory(page);
  expect(seen.some((t) => /readback failed|no model loaded/.test(t))).toBe(false);
});

test('4 · a layout for work: a large canvas, splitters, docks, a minimap that hides nothing, fit on open and New, files dropped on the canvas', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await openStudio(page);
  const canvas = page.getByTestId('canvas');
  const box = await canvas.boundingBox();
  expect(box?.width).toBeGreaterThan(850);
  expect(box?.height).toBeGreaterThan(380);
  // Every node of ab_brain is inside the canvas (fit to view on open) and the minimap is outside it.
  const mini = await page.getByTestId('minimap').boundingBox();
  if (!box || !mini) throw new Error('no canvas or minimap');
  expect(mini.x + mini.width <= box.x || mini.x >= box.x + box.width || mini.y >= box.y + box.height).toBe(
    true,
  );
  for (const n of await page.locator('.react-flow__node').all()) {
    const b = await n.boundingBox();
    if (!b) throw new Error('node without a box');
    expect(b.x).toBeGreaterThanOrEqual(box.x - 1);
    expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width + 1);
    expect(b.y + b.height).toBeLessThanOrEqual(box.y + box.height + 1);
  }
  // Node names are readable at that zoom (at least 10 px on screen).
  const name = page.locator('.react-flow__node[data-id="A_excitatory"] .spark-node-name');
  expect((await name.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(10);
  await shot(page, info, '21-layout');

  // The inspector's splitter resizes it; collapsing it gives the canvas its room.
  const inspector = page.locator('[data-dock="Inspector"]');
  const w0 = (await inspector.boundingBox())?.width ?? 0;
  const splitter = page.getByRole('separator', { name: 'Resize the inspector' });
  const s = await splitter.boundingBox();
  if (!s) throw new Error('no splitter');
  await page.mouse.move(s.x + 2, s.y + 100);
  await page.mouse.down();
  await page.mouse.move(s.x - 120, s.y + 100, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await inspector.boundingBox())?.width ?? 0).toBeGreaterThan(w0 + 100);
  await page.getByRole('button', { name: 'Collapse Inspector' }).click();
  await expect.poll(async () => (await canvas.boundingBox())?.width ?? 0).toBeGreaterThan(box.width + 200);
  await page.getByRole('button', { name: 'Expand Inspector' }).click();
  await page.getByRole('button', { name: 'Collapse Simulation' }).click();
  await expect.poll(async () => (await canvas.boundingBox())?.height ?? 0).toBeGreaterThan(box.height + 150);
  await page.getByRole('button', { name: 'Expand Simulation' }).click();

  // New: the zoom goes back to 1 and the empty canvas says what to do.
  const c = await canvas.boundingBox();
  await page.mouse.move((c?.x ?? 0) + 300, (c?.y ?? 0) + 200);
  await page.mouse.wheel(0, 400);
  await newDocument(page);
  await expect(page.locator('.react-flow__viewport')).toHaveAttribute('style', /scale\(1\)/);
  await expect(page.getByTestId('canvas-hint')).toContainText('Right-click or press A to add a module');
  await expect(page.getByTestId('canvas-hint')).toContainText('drop a .scfg model or a .sge session here');

  // Drop ab_brain.scfg on the canvas: it opens, shown whole.
  const bytes = [...AB_BRAIN.buffer];
  const drop = await page.evaluateHandle((b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'ab_brain.scfg'));
    return dt;
  }, bytes);
  await canvas.dispatchEvent('dragover', { dataTransfer: drop });
  await canvas.dispatchEvent('drop', { dataTransfer: drop });
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await expect(page.getByTestId('title')).toHaveText(/ab_brain/);
  await expect(page.locator('.react-flow__viewport')).not.toHaveAttribute('style', /scale\(1\)/);
});

test("5 · Spark's links: a neuron's dt and units drive its children, and units are re-applied to them", async ({
  page,
}) => {
  await openStudio(page);
  await page.getByTestId('nodelist-A_excitatory').click();
  const dtLink = page.getByRole('button', { name: 'Link similar child variables: dt' }).first();
  const unitsLink = page.getByRole('button', { name: 'Link similar child variables: units' }).first();
  await expect(dtLink).toHaveAttribute('aria-pressed', 'true');
  await expect(unitsLink).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.spark-inspector .spark-lock').first()).toBeVisible();
  // Change the neuron's units: its children with a units field follow.
  await page.getByRole('button', { name: 'Add a dimension to units' }).first().click();
  const node = (await docState(page)).nodes.find((n) => n.id === 'A_excitatory');
  const children = (node?.config.modules_specs ?? []) as Array<{
    __data__: { name: string; config: { units?: number[] } };
  }>;
  const withUnits = children.filter((c) => c.__data__.config.units !== undefined);
  expect(withUnits.length).toBeGreaterThan(1);
  for (const c of withUnits) expect(c.__data__.config.units, c.__data__.name).toEqual([256, 1]);
});

test('6 · a new LIF neuron shows no false error', async ({ page }) => {
  await openStudio(page);
  await newDocument(page);
  await addFromPalette(page, 'lif');
  await page.getByTestId('nodelist-LifNeuron_1').click();
  await expect(page.locator('.spark-inspector [data-field="inhibition_mask"]')).not.toHaveClass(/invalid/);
  await expect(page.locator('.spark-inspector .spark-warn')).toHaveCount(0);
  await page.getByTestId('problems-tab').click();
  await expect(page.getByTestId('problems-panel')).not.toContainText('inhibition_mask');
});

test('7 · palette ranking: exact names first ("lif" + Enter adds a LIF neuron, "Source" offers the Source node)', async ({
  page,
}) => {
  await openStudio(page);
  await newDocument(page);
  await addFromPalette(page, 'lif');
  expect((await docState(page)).nodes.map((n) => n.type)).toEqual(['lif_neuron']);
  await page.keyboard.press('Control+k');
  await page.getByPlaceholder(/Add a node/).fill('Source');
  await expect(page.locator('[cmdk-item]').first()).toHaveText('Source Node');
  await expect(page.locator('[cmdk-item][data-selected="true"]')).toHaveText('Source Node');
  await page.getByPlaceholder(/Add a node/).fill('leaky');
  await expect(page.locator('[cmdk-item]').first()).toContainText('Leaky soma');
  await page.keyboard.press('Escape');
});

test('8 · readable plots: labelled raster bands, a time axis in ms, newest steps at the right, a readout on hover; traces with axes and a legend', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await openStudio(page, '');
  await simReady(page);
  // The README's picture shows most of the raster's window filled.
  const steps = process.env.SPARK_STUDIO_DOCS === '1' ? 450 : 60;
  await expect.poll(() => simStep(page), { timeout: 240_000 }).toBeGreaterThan(steps);
  expect(await bandLabels(page)).toEqual(AB_BANDS);
  // The time axis is in ms (dt = 1 ms here): its right edge is the current step.
  const raster = page.getByTestId('raster-plot');
  const [timeMin, timeMax] = await raster.evaluate((el) => [
    Number((el as HTMLElement).dataset.timeMin),
    Number((el as HTMLElement).dataset.timeMax),
  ]);
  expect(Math.abs((timeMax ?? 0) - (await simStep(page)))).toBeLessThan(200);
  expect(timeMin).toBe((timeMax ?? 0) - 600);
  // Fewer steps than the window holds: they fill in from the right edge (as the WebGPU raster scrolls).
  await page.getByRole('button', { name: 'Pause' }).click();
  const px = await rasterPixels(page);
  expect(px.lit).toBeGreaterThan(0);
  expect(px.banded).toBeGreaterThan(0.9 * px.lit);
  expect(px.minX).toBeGreaterThan(((600 - (await simStep(page)) - 40) / 600) * px.width);
  const area = await activeRaster(page).boundingBox();
  if (!area) throw new Error('no raster');
  // Hover: the readout names the population, unit and step under the pointer.
  await page.mouse.move(area.x + area.width - 5, area.y + area.height * 0.05);
  await expect(page.getByTestId('raster-readout')).toHaveText(
    /^spiker · unit \d+ of 512 · step \d+ \(\d+ ms\)$/,
  );
  await page.mouse.move(area.x + area.width - 5, area.y + area.height * 0.95);
  await expect(page.getByTestId('raster-readout')).toHaveText(/^B_inhibitory · unit \d+ of 64 · step \d+/);
  // Traces: a legend in view with the output names, real axes (several y ticks, ms on x).
  const traces = page.getByTestId('traces');
  const legend = traces.locator('.u-legend');
  await expect(legend).toContainText('action[0]');
  await expect(legend).toContainText('action[1]');
  await expect(legend).toBeInViewport();
  // Time in ms along the bottom (up to the current step), several value ticks up the side.
  const tracesMax = Number(await traces.getAttribute('data-time-max'));
  expect(tracesMax).toBeGreaterThan(0);
  expect(tracesMax).toBeLessThanOrEqual(await simStep(page));
  expect(((await traces.getAttribute('data-y-ticks')) ?? '').split(' ').length).toBeGreaterThan(2);
  await shot(page, info, '22-running-ab_brain', 'running-ab_brain');
});

test('9 · validation as you edit: a Problems panel and Validate, each problem once in words, a click focuses the field; typed fields; a wrongly shaped file', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await openStudio(page);
  await newDocument(page);
  await addFromPalette(page, 'Source Node');
  await addFromPalette(page, 'poisson_spiker');
  await addFromPalette(page, 'lif');
  await page.getByTestId('nodelist-PoissonSpiker_1').click();
  const maxFreq = page.locator('.spark-inspector [data-field="max_freq"] input');
  // Text of another type is refused, not stored.
  await maxFreq.fill('abc');
  await maxFreq.press('Enter');
  await expect(page.locator('.spark-inspector [data-field="max_freq"]')).toContainText(
    '"abc" is not a number',
  );
  expect((await docState(page)).nodes.find((n) => n.id === 'PoissonSpiker_1')?.config.max_freq).toBe(100);
  await maxFreq.fill('-5');
  await maxFreq.press('Enter');
  await menu(page, 'Graph', 'Validate');
  const panel = page.getByTestId('problems-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('PoissonSpiker_1 › max_freq');
  await expect(panel).toContainText('Must be > 0 (got -5)');
  await expect(panel).toContainText('No sink node was found');
  await expect(panel).not.toContainText('modules_specs[');
  const lines = await panel.locator('li').allTextContents();
  expect(new Set(lines).size).toBe(lines.length);
  expect(lines.filter((l) => l.includes('input signal'))).toHaveLength(1);
  // Room for the whole list: the console's splitter moves up.
  const split = await page.getByRole('separator', { name: 'Resize the console' }).boundingBox();
  if (!split) throw new Error('no splitter');
  await page.mouse.move(split.x + 200, split.y + 2);
  await page.mouse.down();
  await page.mouse.move(split.x + 200, split.y - 140, { steps: 5 });
  await page.mouse.up();
  await expect
    .poll(async () => (await page.locator('[data-dock="Console and Problems"]').boundingBox())?.height ?? 0)
    .toBeGreaterThan(250);
  await shot(page, info, '23-problems-panel', 'problems-panel');
  // A click selects the node and focuses the field.
  await page.getByTestId('nodelist-LifNeuron_1').click();
  await panel.getByRole('button', { name: /PoissonSpiker_1 › max_freq/ }).click();
  await expect(page.locator('.react-flow__node[data-id="PoissonSpiker_1"]')).toHaveClass(/selected/);
  await expect(maxFreq).toBeFocused();

  // A file that does not fit the schema opens with a dialog listing what was left out.
  const bad = {
    name: 'bad.scfg',
    buffer: Buffer.from(
      JSON.stringify({ __type__: 'brain_config', __cfg__: { modules_specs: 'oops', dt: -1, seed: 1 } }),
    ),
  };
  await openThroughMenu(page, 'model', bad);
  const dialog = page.getByRole('dialog', { name: 'bad.scfg opened with parts left out' });
  await expect(dialog.getByTestId('dropped')).toContainText(
    'modules_specs is "oops", not a list of modules: no module was read',
  );
  await expect(dialog.getByTestId('problems')).toContainText('Brain › dt: Must be > 0 (got -1)');
  await shot(page, info, '24-wrong-schema-file');
  await dialog.getByRole('button', { name: 'OK' }).click();
});

test('10 · plain words: status, an empty-canvas hint, full names in the node list, no backend blamed for an invalid model', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openStudio(page, '');
  await simReady(page);
  await expect(page.getByTestId('sim-status')).toHaveText(
    /^Running on cpu \(picked automatically: .+\) · step [\d,]+/,
  );
  // A long name is shown whole (wrapped), with the module type.
  await page.getByTestId('nodelist-A_excitatory').click();
  const nameBox = page.locator('.spark-inspector-name input');
  await nameBox.fill('A_excitatory_population_of_the_cartpole_brain');
  await nameBox.press('Enter');
  const item = page.getByTestId('nodelist-A_excitatory_population_of_the_cartpole_brain');
  await expect(item).toContainText('A_excitatory_population_of_the_cartpole_brain');
  await expect(item).toContainText('alif_mod_neuron');
  expect(await item.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  // An invalid model is reported as such, never as a backend failure.
  await newDocument(page);
  await expect(page.getByTestId('canvas-hint')).toBeVisible();
  await addFromPalette(page, 'leaky_soma');
  await expect(simPanel(page)).toHaveAttribute('data-status', 'invalid', { timeout: 30_000 });
  await expect(page.getByTestId('sim-status')).toContainText('to fix before it can run');
  await expect(page.getByTestId('console')).not.toContainText('automatic backend failed');
});
