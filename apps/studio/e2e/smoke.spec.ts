import { expect, test } from '@playwright/test';

test('smoke', async ({ page }) => {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto('./');
  await page.waitForTimeout(3000);
  await page.screenshot({ path: 'test-results/smoke.png' });
  console.log(logs.join('\n'));
});
