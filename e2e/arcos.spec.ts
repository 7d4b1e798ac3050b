import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './host';
import { addPerson, call, completeSetup, signIn, signOut, STAFF } from './people';

/*
 * ARCOS from the Reports page: a distributor's reportable narcotic (Schedule III, posts at once)
 * received and sold, the quarter's file previewed, saved as fixed-width text (80 characters a
 * record) and marked submitted to DEA with the pharmacist's signature.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARTIFACTS = path.join(repoRoot, 'test-results', 'reports');

async function ok(page: Page, method: string, input: unknown): Promise<unknown> {
  const r = await call(page, method, input);
  expect(r.ok, `${method}: ${JSON.stringify(r.error)}`).toBe(true);
  return r.value;
}

test.afterEach(async ({ page }) => page.context().close());

test('the Reports page previews and saves the ARCOS file and marks it submitted', async ({ page, host }) => {
  test.setTimeout(120_000);
  const keep = (name: string) => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return path.join(ARTIFACTS, name);
  };
  await completeSetup(page, host);
  await addPerson(page, STAFF.phil);
  // The administrator records the product and its ARCOS facts; Phil records the stock movements.
  await ok(page, 'products.add', {
    ndc: '0406-0484-01',
    name: 'Acetaminophen and Codeine',
    strength: '300 mg/30 mg',
    dosageForm: 'tablet',
    packageSize: 100,
    unit: 'tablet',
    schedule: 'CIII',
  });
  // Settings → ARCOS: how often, the document identifier, and the product's DEA drug code.
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(new URL('/#/settings/arcos', page.url()).toString());
  await page.getByTestId('arcos-document-identifier').fill('A01');
  await page.getByTestId('arcos-settings-save').click();
  await expect(page.getByText('ARCOS reporting saved')).toBeVisible();
  await page.getByTestId('arcos-product').selectOption('0406-0484-01');
  await page.getByTestId('arcos-drug-code').fill('9804');
  await page.getByTestId('arcos-product-save').click();
  await expect(page.getByTestId('arcos-products')).toContainText('9804');
  await expect(page.getByTestId('arcos-products')).toContainText('100 tablet');
  await page.screenshot({ path: keep('settings-arcos.png') });
  await signOut(page);
  await signIn(page, STAFF.phil);
  const today = new Date().toISOString().slice(0, 10);
  const quarter = `${today.slice(0, 4)}-Q${Math.floor(Number(today.slice(5, 7)) / 3.01) + 1}`;
  await ok(page, 'inventory.record', {
    transaction: {
      kind: 'receipt',
      ndc: '0406-0484-01',
      quantity: 500,
      containers: 5,
      date: today,
      supplier: {
        name: 'Wholesale Drug Co',
        deaNumber: 'PW1234563',
        address: '1 Depot Road, Peoria, IL 61602',
      },
    },
    password: STAFF.phil.password,
  });
  await ok(page, 'inventory.record', {
    transaction: {
      kind: 'transfer',
      direction: 'out',
      ndc: '0406-0484-01',
      quantity: 200,
      date: today,
      counterparty: { name: 'Elm Street Pharmacy', deaNumber: 'BE1234563' },
    },
    password: STAFF.phil.password,
  });

  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(new URL('/#/reports', page.url()).toString());
  await page.getByTestId('kind-arcos').check();
  await page.getByTestId('param-id').fill(quarter);
  await page.getByTestId('report-preview').click();
  const sheet = page.getByTestId('report-preview-sheet');
  await expect(sheet).toContainText('ARCOS transaction report');
  await expect(sheet).toContainText('2 transaction record(s): 2 new');
  await expect(sheet).toContainText('Acetaminophen and Codeine');
  await page.screenshot({ path: keep('reports-arcos-preview.png') });

  await expect(page.getByTestId('report-format')).toHaveValue('txt');
  await page.getByTestId('report-save').click();
  await expect(page.getByTestId('report-saved')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('report-download').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^arcos-${quarter}-at\\d+\\.txt$`));
  const text = fs.readFileSync((await download.path())!, 'ascii');
  const lines = text.split('\r\n').slice(0, -1);
  expect(lines).toHaveLength(3);
  expect(lines.every((l) => l.length === 80)).toBe(true);
  expect(lines[1]!.slice(9, 10)).toBe('P');
  expect(lines[2]!.slice(9, 10)).toBe('S');

  await page.getByTestId('arcos-mark-submitted').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('I submitted exactly this file to DEA.');
  await page.getByTestId('arcos-confirmation').fill('DEA-UPLOAD-0042');
  await dialog.getByLabel('Password').fill(STAFF.phil.password);
  await page.screenshot({ path: keep('reports-arcos-sign.png') });
  await dialog.getByRole('button', { name: 'Sign: submitted' }).click();
  await expect(page.getByTestId('arcos-submitted')).toContainText(
    `ARCOS ${quarter}: 2 record(s), signed by Phil Pharmacist`,
  );
  await page.screenshot({ path: keep('reports-arcos-submitted.png') });
  const overview = (await ok(page, 'arcos.overview', {})) as { submissions: { period: string }[] };
  expect(overview.submissions.map((s) => s.period)).toEqual([quarter]);
});
