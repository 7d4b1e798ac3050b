import AxeBuilder from '@axe-core/playwright';
import { enterDemo } from './demo-month';
import { expect, test } from './host';

/**
 * Issue 19: every page of the demo month at the counter's 1366×768, photographed (a test artifact
 * in Playwright's output folder) and checked by axe-core against WCAG 2.2 AA: no serious or
 * critical violation anywhere.
 */
export const PAGES = [
  ['dashboard', '#/dashboard'],
  ['receiving-scan', '#/receiving'],
  ['receiving-exceptions', '#/receiving/exceptions'],
  ['receiving-investigations', '#/receiving/investigations'],
  ['import-files', '#/import/files'],
  ['import-quarantine', '#/import/quarantine'],
  ['import-history', '#/import/history'],
  ['import-mappings', '#/import/mappings'],
  ['inventory-balances', '#/inventory/balances'],
  ['inventory-record', '#/inventory/record'],
  ['inventory-transactions', '#/inventory/transactions'],
  ['inventory-counts', '#/inventory/counts'],
  ['inventory-biennial', '#/inventory/biennial'],
  ['inventory-products', '#/inventory/products'],
  ['approvals', '#/approvals'],
  ['ledger', '#/ledger'],
  ['trace', '#/trace'],
  ['reports', '#/reports'],
  ['partners', '#/partners'],
  ['settings-installation', '#/settings/installation'],
  ['settings-people', '#/settings/people'],
  ['settings-workstation', '#/settings/workstation'],
  ['settings-password', '#/settings/password'],
  ['settings-recovery', '#/settings/recovery'],
] as const;

test('every page of the demo month: a 1366×768 screenshot and no serious or critical axe violation', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(240_000);
  await enterDemo(page, host, 'paula');
  const found: string[] = [];
  for (const [name, hash] of PAGES) {
    await page.goto(`${host.origin}/${hash}`);
    await expect(page.locator('main h1').first()).toBeVisible();
    // The page's data has arrived: no "Loading…" left.
    await expect(page.getByText(/^Loading/)).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath(`page-${name}.png`) });
    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    for (const v of axe.violations) {
      if (v.impact === 'serious' || v.impact === 'critical')
        found.push(
          `${name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 4)
            .join(' | ')}`,
        );
    }
  }
  expect(found, found.join('\n')).toEqual([]);
});
