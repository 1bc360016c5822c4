import { expect, test } from '@playwright/test';
import { activeRaster, openStudio, rasterPixels, shot, simPanel, simStep } from './helpers.ts';

test('on webgpu the raster is the WebGPU one (drawn in the worker from the simulator’s buffers) and it changes; cpu switches back to Canvas 2D', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await openStudio(page);
  const panel = simPanel(page);
  const status = page.getByTestId('sim-status');
  // The dropdown applies at once: no Load button.
  await page.getByRole('combobox', { name: 'Simulation backend' }).selectOption('webgpu');
  await expect(status).toContainText('Running on webgpu (as chosen)', { timeout: 120_000 });
  await expect(panel).toHaveAttribute('data-raster', 'webgpu');
  await expect(page.getByTestId('raster-webgpu')).toBeVisible();
  // Nothing drawn yet: the cleared ring is background only.
  expect((await rasterPixels(page)).lit).toBe(0);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(status).not.toContainText('paused');
  await expect.poll(async () => (await rasterPixels(page)).lit, { timeout: 60_000 }).toBeGreaterThan(0);
  const a = await rasterPixels(page);
  // Lit pixels are drawn in the band colours (amber / blue per population).
  expect(a.banded).toBeGreaterThan(0.9 * a.lit);
  await expect.poll(async () => (await rasterPixels(page)).hash, { timeout: 60_000 }).not.toBe(a.hash);
  await shot(page, info, '12-webgpu-raster');
  // The page stays responsive while the worker simulates and draws: the palette opens and closes.
  await page.keyboard.press('Control+k');
  await expect(page.getByPlaceholder(/Add a node/)).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible();

  // Reset clears the ring on the device.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => simStep(page)).toBe(0);
  await expect.poll(async () => (await rasterPixels(page)).lit, { timeout: 30_000 }).toBe(0);

  // Resize: the raster follows the panel width and keeps drawing.
  const before = await activeRaster(page).boundingBox();
  await page.setViewportSize({ width: 1100, height: 900 });
  await expect.poll(async () => (await activeRaster(page).boundingBox())?.width).not.toBe(before?.width);
  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => simStep(page)).toBe(1);

  // Backend switch: on cpu the Canvas 2D raster is active and draws.
  await page.getByRole('combobox', { name: 'Simulation backend' }).selectOption('cpu');
  await expect(status).toContainText('Running on cpu (as chosen)', { timeout: 120_000 });
  await expect(panel).toHaveAttribute('data-raster', 'canvas2d');
  await expect(page.getByTestId('raster-webgpu')).toBeHidden();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(async () => (await rasterPixels(page)).lit, { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Pause' }).click();

  // And back to webgpu: the same (already transferred) canvas is reused on the new device.
  await page.getByRole('combobox', { name: 'Simulation backend' }).selectOption('webgpu');
  await expect(status).toContainText('Running on webgpu (as chosen)', { timeout: 120_000 });
  await expect(panel).toHaveAttribute('data-raster', 'webgpu');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(async () => (await rasterPixels(page)).lit, { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(problems).toEqual([]);
});
