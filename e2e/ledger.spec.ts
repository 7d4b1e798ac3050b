import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test } from './host';
import { addPerson, call, completeSetup, signIn, signOut, STAFF } from './people';

test('a compliance officer verifies the ledger, reads a record with its proof, and exports a bundle an auditor verifies', async ({
  page,
  host,
}, testInfo) => {
  await completeSetup(page, host);
  await addPerson(page, STAFF.cora);
  await signOut(page);
  await signIn(page, STAFF.cora);

  await page.goto(`${host.origin}/#/ledger`);
  await expect(page.getByRole('heading', { level: 1, name: 'Ledger' })).toBeVisible();
  await expect(page.getByTestId('ledger-summary')).toContainText('records');
  const rows = page.getByRole('table', { name: 'Ledger records, newest first' }).getByRole('row');
  await expect(rows.nth(1)).toBeVisible();

  // The genesis record is the first; its proof and exact bytes are shown.
  await page.getByLabel('Types (comma-separated)').fill('ledger.genesis');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(rows).toHaveCount(2);
  await rows.nth(1).click();
  await expect(page.getByTestId('entry-detail')).toContainText('Record 0');
  await expect(page.getByTestId('entry-detail')).toContainText('"type":"ledger.genesis"');
  await expect(page.getByTestId('entry-detail')).toContainText('Inclusion proof');

  await page.getByRole('button', { name: 'Verify the whole ledger' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('Intact');
  await page.screenshot({ path: testInfo.outputPath('ledger-verified.png'), fullPage: true });

  await page.getByRole('button', { name: 'Export audit bundle' }).click();
  const link = page.getByTestId('export-result').getByRole('link', { name: 'Download it' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const bundle = testInfo.outputPath('audit-bundle');
  await download.saveAs(bundle);
  const key = (await page.getByTestId('verifier-key').textContent())!.trim();

  // The auditor's verifier takes trust only from its arguments.
  const verdict = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/index.ts', 'audit', 'verify', bundle, '--trusted-key', key],
    {
      encoding: 'utf8',
    },
  );
  expect(verdict).toMatch(/^consistent/m);
  expect(fs.statSync(bundle).size).toBeGreaterThan(0);
});

test('the ledger refuses a visitor who is not signed in', async ({ page, host }) => {
  await completeSetup(page, host);
  await signOut(page);
  await page.goto(`${host.origin}/#/ledger`);
  await expect(page.locator('[data-gate="sign-in"]')).toBeVisible();
  await expect(page.getByTestId('ledger-summary')).toHaveCount(0);
  // The core refuses too, whatever the screen shows.
  const entries = await call(page, 'ledger.entries', {});
  expect(entries.error?.code).toBe('unauthenticated');
});
