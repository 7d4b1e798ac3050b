import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './host';

const REGISTRANT = {
  name: 'Maple Street Pharmacy',
  address: { line1: '12 Maple Street', city: 'Springfield', state: 'IL', zip: '62701' },
  deaNumber: 'AM1234563', // check digit: 1+3+5 + 2*(2+4+6) = 33 -> 3
  stateLicense: 'IL-PH-0042',
  glns: [],
  businessType: 'pharmacy',
};

/** Calls the API from inside the page, over its own cookie session, exactly as the UI does. */
async function call(
  page: Page,
  method: string,
  input: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return page.evaluate(
    async ([m, i]) => {
      const response = await fetch('/api/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: m, input: i }),
      });
      return (await response.json()) as {
        ok: boolean;
        value?: unknown;
        error?: { code: string; message: string };
      };
    },
    [method, input] as const,
  );
}

test('a compliance officer verifies the ledger, reads a record with its proof, and exports a bundle an auditor verifies', async ({
  page,
  host,
}, testInfo) => {
  await page.goto(host.url);
  const admin = { username: 'admin', displayName: 'Alex Admin', password: 'correct horse battery staple' };
  expect((await call(page, 'setup.initialize', { registrant: REGISTRANT, administrator: admin })).ok).toBe(
    true,
  );
  const officer = {
    username: 'casey',
    displayName: 'Casey Compliance',
    roles: ['compliance-officer'],
    password: 'officer passphrase 2026',
  };
  expect((await call(page, 'users.create', officer)).ok).toBe(true);
  await call(page, 'auth.signOut', {});
  expect(
    (await call(page, 'auth.signIn', { username: officer.username, password: officer.password })).ok,
  ).toBe(true);

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
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/ledger`);
  await expect(page.getByRole('alert').first()).toContainText('Sign in');
});
