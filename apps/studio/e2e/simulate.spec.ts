import { expect, test } from '@playwright/test';
import { openStudio, rasterPixels, shot, simReady } from './helpers.ts';

test('the example simulates: the spike raster changes and the page stays responsive', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await openStudio(page, '');
  await simReady(page);
  await expect(page.getByTestId('sim-status')).toContainText(/^Running on /);
  await expect.poll(async () => (await rasterPixels(page)).lit, { timeout: 60_000 }).toBeGreaterThan(0);
  const a = await rasterPixels(page);
  await expect.poll(async () => (await rasterPixels(page)).hash, { timeout: 60_000 }).not.toBe(a.hash);
  await shot(page, info, '10-simulating');
  // The page stays responsive while it runs: the palette opens and closes.
  await page.keyboard.press('Control+k');
  await expect(page.getByPlaceholder(/Add a node/)).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Run' })).toBeVisible();
  await expect(page.getByTestId('sim-status')).toContainText('paused');
});
