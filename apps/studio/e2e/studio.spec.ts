import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { decodeFileText } from '@spark-snn/config';
import { addFromPalette, clickPane, docState, drag, menu, newDocument, openStudio, shot } from './helpers.ts';

/** Spark's tutorial brain, byte-exact, from the repository's `fixtures/`. */
const FIXTURE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'spark', 'ab_brain.scfg');

/** A new document with a source, a Poisson spiker, a LIF neuron and a sink, laid out. */
async function addFourNodes(page: Page): Promise<void> {
  await newDocument(page);
  for (const entry of ['Source Node', 'poisson_spiker', 'lif_neuron', 'Sink Node'])
    await addFromPalette(page, entry);
  await page.keyboard.press('Control+l');
}

/** Wires the four nodes of `addFourNodes` in a chain by dragging between their ports. */
async function connectFourNodes(page: Page): Promise<void> {
  await drag(page, ['input_1', 'out:value'], ['PoissonSpiker_1', 'in:signal']);
  await drag(page, ['PoissonSpiker_1', 'out:spikes'], ['LifNeuron_1', 'in:in_spikes']);
  await drag(page, ['LifNeuron_1', 'out:out_spikes'], ['output_1', 'in:value']);
  await expect.poll(async () => (await docState(page)).edges.length).toBe(3);
}

test.describe('studio', () => {
  test('opens with the CartPole ab_brain example: 6 modules and their wiring', async ({ page }, info) => {
    await openStudio(page, '');
    await expect(page.getByTestId('title')).toHaveText(/Brain - ab_brain/);
    for (const id of ['A_excitatory', 'B_excitatory', 'A_inhibitory', 'B_inhibitory', 'spiker', 'integrator'])
      await expect(page.locator(`.react-flow__node[data-id="${id}"]`)).toBeVisible();
    const s = await docState(page);
    expect(s.nodes.filter((n) => n.kind === 'module')).toHaveLength(6);
    expect(s.edges).toHaveLength(18);
    expect(
      s.edges.filter((e) => e.target === 'A_excitatory' && e.targetPort === 'in_spikes').map((e) => e.source),
    ).toEqual(['spiker', 'A_excitatory', 'B_inhibitory']);
    await expect(page.getByTestId('console')).toContainText('Model loaded sucessfully from "ab_brain.scfg".');
    // The simulation starts by itself (checking and compiling first); it never shows made-up activity.
    await expect(page.getByTestId('sim-status')).toContainText(
      /Checking the model|Compiling the model|Loading the model|Running on|not available/,
    );
    await shot(page, info, '01-ab_brain-opened');
    // The Windows menu hides and shows panels.
    await menu(page, 'Windows', /Console/);
    await expect(page.getByRole('region', { name: 'Console', exact: true })).toHaveCount(0);
    await menu(page, 'Windows', /Console/);
    await expect(page.getByRole('region', { name: 'Console', exact: true })).toBeVisible();
  });

  test('a new user builds a model: palette, connect, inspector, undo/redo, incompatible connection', async ({
    page,
  }, info) => {
    await openStudio(page);
    await addFourNodes(page);
    await expect(page.locator('.react-flow__node')).toHaveCount(4);
    const ids = (await docState(page)).nodes.map((n) => n.id);
    expect(ids).toEqual(['input_1', 'PoissonSpiker_1', 'LifNeuron_1', 'output_1']);
    await page.keyboard.press('Shift+!');
    await shot(page, info, '02-palette-nodes');

    await connectFourNodes(page);

    // An incompatible connection is refused with a console error.
    await drag(page, ['LifNeuron_1', 'out:out_spikes'], ['PoissonSpiker_1', 'in:signal']);
    await expect(page.getByTestId('console').locator('[data-level="error"]').last()).toContainText(
      'Tried to connect LifNeuron_1.out_spikes to PoissonSpiker_1.signal but they have different payload types: SpikeArray vs FloatArray.',
    );
    expect((await docState(page)).edges).toHaveLength(3);
    await shot(page, info, '03-connected-and-refused');

    // Edit a parameter in the inspector.
    await page.getByTestId('nodelist-PoissonSpiker_1').click();
    const field = page.locator('.spark-inspector [data-field="max_freq"] input');
    await expect(field).toHaveValue('100');
    await field.fill('250');
    await field.press('Enter');
    await expect
      .poll(async () => (await docState(page)).nodes.find((n) => n.id === 'PoissonSpiker_1')?.config.max_freq)
      .toBe(250);
    // An invalid value is shown inline, in words.
    await field.fill('-5');
    await field.press('Enter');
    await expect(page.locator('.spark-inspector [data-field="max_freq"]')).toHaveClass(/invalid/);
    await expect(page.locator('.spark-inspector [data-field="max_freq"]')).toContainText(
      'must be > 0 (got -5)',
    );
    await shot(page, info, '04-inspector-invalid');

    // Undo twice (invalid edit, then the 250 edit), redo once.
    await clickPane(page);
    await page.getByTestId('nodelist-PoissonSpiker_1').click();
    await page.keyboard.press('Control+z');
    await expect(field).toHaveValue('250');
    await page.keyboard.press('Control+z');
    await expect(field).toHaveValue('100');
    await page.keyboard.press('Control+Shift+z');
    await expect(field).toHaveValue('250');
    // Undo removes the last connection too, redo brings it back.
    await clickPane(page);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await docState(page)).edges.length).toBe(2);
    await page.keyboard.press('Control+y');
    await expect.poll(async () => (await docState(page)).edges.length).toBe(3);

    // Copy/paste and delete with the keyboard.
    await page.getByTestId('nodelist-LifNeuron_1').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect(page.locator('.react-flow__node[data-id="LifNeuron_1_copy"]')).toBeVisible();
    await page.keyboard.press('Delete');
    await expect(page.locator('.react-flow__node[data-id="LifNeuron_1_copy"]')).toHaveCount(0);
    await shot(page, info, '05-built-model');
  });

  test('export the model, re-import it and compare; save and reopen a session', async ({ page }, info) => {
    await openStudio(page);
    await addFourNodes(page);
    await connectFourNodes(page);
    const before = await docState(page);

    const dl = page.waitForEvent('download');
    await clickPane(page);
    await page.keyboard.press('Control+e');
    const exported = await dl;
    expect(exported.suggestedFilename()).toBe('untitled.scfg');
    const modelPath = info.outputPath('model.scfg');
    await exported.saveAs(modelPath);
    await expect(page.getByTestId('console')).toContainText('Model exported sucessfully');
    const bytes = readFileSync(modelPath);
    expect([...bytes.subarray(0, 6)]).toEqual([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

    // Re-import: same nodes, configs and wiring.
    await newDocument(page);
    const chooser = page.waitForEvent('filechooser');
    await menu(page, 'File', /Import Model/);
    await (await chooser).setFiles(modelPath);
    await expect(page.locator('.react-flow__node')).toHaveCount(4);
    const after = await docState(page);
    const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(after.nodes)).toEqual(byId(before.nodes));
    expect(after.edges).toEqual(before.edges);
    // Exporting again gives the same file.
    const dl2 = page.waitForEvent('download');
    await page.keyboard.press('Control+e');
    const again = info.outputPath('model2.scfg');
    await (await dl2).saveAs(again);
    expect(readFileSync(again).equals(bytes)).toBe(true);

    // Save a session, start over, open it again.
    await page.getByTestId('nodelist-PoissonSpiker_1').click();
    await page.locator('.spark-inspector [data-field="max_freq"] input').fill('333');
    await page.locator('.spark-inspector [data-field="max_freq"] input').press('Enter');
    const dl3 = page.waitForEvent('download');
    await clickPane(page);
    await page.keyboard.press('Control+s');
    const session = info.outputPath('session.sge');
    const sd = await dl3;
    expect(sd.suggestedFilename()).toBe('model.sge');
    await sd.saveAs(session);
    await expect(page.getByTestId('title')).not.toHaveText(/\*/);
    await newDocument(page);
    const chooser2 = page.waitForEvent('filechooser');
    await page.keyboard.press('Control+o');
    await (await chooser2).setFiles(session);
    await expect(page.locator('.react-flow__node')).toHaveCount(4);
    const reopened = await docState(page);
    expect(reopened.nodes.find((n) => n.id === 'PoissonSpiker_1')?.config.max_freq).toBe(333);
    expect(reopened.edges).toEqual(before.edges);
    await shot(page, info, '06-session-reopened');
  });

  test('an invalid model is not exported: the problems are listed', async ({ page }, info) => {
    await openStudio(page);
    await newDocument(page);
    await addFromPalette(page, 'leaky_soma');
    await page.keyboard.press('Control+e');
    const dialog = page.getByRole('dialog', { name: /Invalid Model/ });
    await expect(dialog).toContainText('Model: No source node was found');
    await expect(dialog).toContainText('Model: No sink node was found');
    await expect(dialog).toContainText('LeakySoma_1 › input current');
    await shot(page, info, '07-invalid-export');
    // Clicking a problem selects its node.
    await dialog.getByRole('button', { name: /LeakySoma_1 › input current/ }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('.react-flow__node[data-id="LeakySoma_1"]')).toHaveClass(/selected/);
  });

  test('work survives a reload (autosave to IndexedDB)', async ({ page }, info) => {
    await openStudio(page);
    await newDocument(page);
    await addFromPalette(page, 'poisson_spiker');
    await addFromPalette(page, 'leaky_soma');
    await page.evaluate(() =>
      (
        window as unknown as { sparkStudio: { autosave: { flush(): Promise<void> } } }
      ).sparkStudio.autosave.flush(),
    );
    await page.reload();
    await expect(page.locator('html[data-ready="true"]')).toHaveCount(1);
    await expect(page.locator('.react-flow__node[data-id="PoissonSpiker_1"]')).toBeVisible();
    await expect(page.locator('.react-flow__node[data-id="LeakySoma_1"]')).toBeVisible();
    await expect(page.getByTestId('console')).toContainText('Restored the autosaved work');
    await expect(page.getByTestId('title')).toHaveText(/\*/);
    await shot(page, info, '08-restored-after-reload');
    // New asks before discarding unsaved work.
    await menu(page, 'File', 'New');
    const dialog = page.getByRole('dialog', { name: 'Unsaved changes' });
    await expect(dialog).toContainText('The document has been modified. Do you want to save your changes?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('.react-flow__node')).toHaveCount(2);
  });

  test('opens ab_brain.scfg from the fixtures and exports an equivalent file', async ({ page }, info) => {
    await openStudio(page);
    await newDocument(page);
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Control+Shift+O');
    await (await chooser).setFiles(FIXTURE);
    await expect(page.locator('.react-flow__node')).toHaveCount(12);
    const s = await docState(page);
    expect(s.nodes.filter((n) => n.kind === 'module').map((n) => n.id)).toEqual([
      'A_excitatory',
      'B_excitatory',
      'A_inhibitory',
      'B_inhibitory',
      'spiker',
      'integrator',
    ]);
    // Inspect a neuron: flattened sections, link control.
    await page.getByTestId('nodelist-A_excitatory').click();
    await expect(page.locator('.spark-inspector')).toContainText('soma');
    await shot(page, info, '09-ab_brain-inspector');
    const dl = page.waitForEvent('download');
    await clickPane(page);
    await page.keyboard.press('Control+e');
    const out = info.outputPath('ab_brain_export.scfg');
    await (await dl).saveAs(out);
    const json = (p: string): unknown => {
      const t = decodeFileText(new Uint8Array(readFileSync(p)));
      if (!t.ok) throw new Error(t.message);
      return JSON.parse(t.text);
    };
    expect(json(out)).toEqual(json(FIXTURE));
  });

  test('right-click palette, multi-select, and Neuron mode (edit a neuron inside, save it as a custom neuron)', async ({
    page,
  }, info) => {
    await openStudio(page);
    await newDocument(page);
    // Right-click on the canvas opens the palette at the cursor.
    const pane = await page.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('no pane');
    await page.mouse.click(pane.x + 200, pane.y + 150, { button: 'right' });
    await page.getByPlaceholder(/Add a node/).fill('lif_neuron');
    await page.keyboard.press('Enter');
    await addFromPalette(page, 'poisson_spiker');
    await expect(page.locator('.react-flow__node')).toHaveCount(2);
    // Multi-select with Shift+click, then delete both and undo.
    await page.locator('.react-flow__node[data-id="LifNeuron_1"]').click();
    await page.locator('.react-flow__node[data-id="PoissonSpiker_1"]').click({ modifiers: ['Shift'] });
    await expect(page.locator('.react-flow__node.selected')).toHaveCount(2);
    await expect(page.locator('.spark-inspector')).toContainText('Multi-selection not supported.');
    await page.keyboard.press('Delete');
    await expect(page.locator('.react-flow__node')).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(page.locator('.react-flow__node')).toHaveCount(2);

    // Neuron mode: the LIF neuron's inside.
    await page.getByTestId('nodelist-LifNeuron_1').click();
    await page.getByRole('button', { name: 'Edit neuron inside (Neuron mode)' }).click();
    await expect(page.getByTestId('title')).toHaveText(/^Neuron/);
    for (const id of ['delays', 'synapses', 'soma', 'in_spikes', 'out_spikes', 'inhibition_mask'])
      await expect(page.locator(`.react-flow__node[data-id="${id}"]`)).toBeVisible();
    await page.getByTestId('nodelist-soma').click();
    const threshold = page.locator('.spark-inspector [data-field="threshold"] input');
    await threshold.fill('-45');
    await threshold.press('Enter');
    await shot(page, info, '12-neuron-mode');
    await menu(page, 'Graph', /Save as Custom Neuron/);
    const dialog = page.getByRole('dialog', { name: 'Save as custom neuron' });
    await dialog.getByLabel('Neuron class name').fill('MyLIF');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('console')).toContainText('Custom neuron "my_lif_neuron" saved');
    await page.getByRole('button', { name: 'Apply and return' }).click();
    await expect(page.getByTestId('title')).toHaveText(/^Brain/);
    const s = await docState(page);
    const lif = s.nodes.find((n) => n.id === 'LifNeuron_1');
    const soma = (
      (lif?.config.modules_specs ?? []) as Array<{
        __data__: { name: string; config: { threshold: number } };
      }>
    ).find((m) => m.__data__.name === 'soma');
    expect(soma?.__data__.config.threshold).toBe(-45);
    // The custom neuron is in the palette.
    await addFromPalette(page, 'my_lif_neuron');
    await expect(page.locator('.react-flow__node[data-id="MyLifNeuron_1"]')).toBeVisible();
  });
});
