import { expect, type Page, test } from '@playwright/test';
import { openStudio, shot } from './helpers.ts';

/** A cheap fingerprint of the raster canvas: the number of lit pixels and a hash of them. */
async function rasterPrint(page: Page): Promise<{ lit: number; hash: number }> {
  return page.getByTestId('raster').evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx) return { lit: 0, hash: 0 };
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    let hash = 0;
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i] ?? 0) + (d[i + 1] ?? 0) + (d[i + 2] ?? 0);
      if (v > 3 * 0x20) {
        lit++;
        hash = (hash * 31 + i) | 0;
      }
    }
    return { lit, hash };
  });
}

test('the example simulates: the spike raster changes', async ({ page }, info) => {
  test.setTimeout(180_000);
  await openStudio(page, '');
  await expect(page.getByTestId('sim-status')).toContainText('Active backend', { timeout: 120_000 });
  await expect.poll(async () => (await rasterPrint(page)).lit, { timeout: 60_000 }).toBeGreaterThan(0);
  const a = await rasterPrint(page);
  await expect.poll(async () => (await rasterPrint(page)).hash, { timeout: 60_000 }).not.toBe(a.hash);
  await shot(page, info, '10-simulating');
  // The page stays responsive while it runs: the palette opens and closes.
  await page.keyboard.press('Control+k');
  await expect(page.getByPlaceholder(/Add a node/)).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Run' })).toBeVisible();
});
