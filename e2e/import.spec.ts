import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { generate } from '../scripts/generate-demo';
import { expect, test } from './host';
import { addPerson, call, completeSetup, signIn, signOut, STAFF } from './people';

/*
 * A pharmacy's month of partner files through Import & Quarantine: the demo data (resources/demo,
 * or the same bytes from its generator), a CSV read with a mapping made in the editor, a file from a
 * partner nobody recorded yet landing in quarantine, reprocessed once the partner is added, and a
 * file that ships a destroyed serial closed with a signed reason.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Partner {
  name: string;
  role: string;
  authorized: boolean;
  address?: string;
  glns: string[];
}

/** The committed demo folder when it exists, else the generator's deterministic output. */
function demoFolder(outDir: string): string {
  const committed = path.join(repoRoot, 'resources', 'demo');
  if (fs.existsSync(path.join(committed, 'files'))) return committed;
  for (const [name, content] of generate()) {
    const file = path.join(outDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return outDir;
}

async function ok(page: Page, method: string, input: unknown): Promise<void> {
  const r = await call(page, method, input);
  expect(r.ok, `${method}: ${JSON.stringify(r.error)}`).toBe(true);
}

const fileRow = (page: Page, name: string) => page.getByTestId('import-file').filter({ hasText: name });

// The page's event stream reconnects while the host shuts down and can hold it open: close the browser side first.
test.afterEach(async ({ page }) => page.context().close());

test('the demo month imports file by file; an unknown partner waits in quarantine until added, then reprocesses; a suspect file is closed with a reason', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(180_000);
  const shot = (name: string) => testInfo.outputPath(name);
  const demo = demoFolder(testInfo.outputPath('demo'));
  const files = fs.readdirSync(path.join(demo, 'files')).sort();
  const partners = JSON.parse(fs.readFileSync(path.join(demo, 'partners.json'), 'utf8')) as Partner[];
  const riverside = partners.find((p) => p.name.startsWith('Riverside'))!;
  const summit = partners.find((p) => p.name.startsWith('Summit'))!;

  await completeSetup(page, host);
  await addPerson(page, STAFF.phil);
  await signOut(page);
  await signIn(page, STAFF.phil);
  // Master data as the pharmacy keeps it, except Riverside: nobody has recorded that wholesaler yet.
  for (const p of partners.filter((x) => x !== riverside)) await ok(page, 'partners.save', p);

  // Summit sends a spreadsheet: its column mapping is made in the editor from a sample file.
  await page.goto(`${host.origin}/#/import/mappings`);
  await expect(page.getByRole('heading', { level: 1, name: 'Import & Quarantine' })).toBeVisible();
  await page.getByLabel('Trading partner', { exact: true }).selectOption({ label: summit.name });
  await page.getByLabel('Mapping name').fill('Summit weekly T3');
  const csv = files.find((f) => f.endsWith('.csv'))!;
  await page.getByLabel(/Sample file/).setInputFiles(path.join(demo, 'files', csv));
  await expect(page.getByTestId('sample-headers')).toContainText('Invoice');
  // Headers named like the fields are matched already; the rest are chosen.
  await expect(page.getByLabel('Lot (required)')).toHaveValue('Lot');
  await expect(page.getByLabel('Quantity (required)')).toHaveValue('Quantity');
  await expect(page.getByLabel('NDC', { exact: true })).toHaveValue('NDC');
  await page.getByLabel('Seller name').selectOption('Seller');
  await page.getByLabel('Buyer name').selectOption('Buyer');
  await page.getByLabel('Transaction statement affirmed').selectOption('TS');
  await page.screenshot({ path: shot('import-1-mapping-editor.png'), fullPage: true });
  await page.getByRole('button', { name: 'Save mapping' }).click();
  await expect(page.getByRole('button', { name: 'Summit weekly T3' })).toBeVisible();

  // Every file but the spreadsheet, picked at once; each imports whole or waits in quarantine.
  await page.getByRole('link', { name: 'Import files', exact: true }).click();
  const others = files.filter((f) => f !== csv);
  await page.getByLabel('Files to import').setInputFiles(others.map((f) => path.join(demo, 'files', f)));
  for (const name of others) {
    const row = fileRow(page, name);
    await expect(row.getByTestId('import-status')).not.toHaveText(/Waiting|Importing/, { timeout: 30_000 });
  }
  const statuses = Object.fromEntries(
    await Promise.all(
      others.map(async (name) => [
        name,
        await fileRow(page, name).getByTestId('import-status').textContent(),
      ]),
    ),
  );
  for (const name of others.filter((f) => f.includes('keystone'))) expect(statuses[name]).toBe('Imported');
  for (const name of others.filter((f) => f.includes('riverside')))
    expect(statuses[name]).toBe('Rejected: in quarantine');
  const rejected = fileRow(page, '2026-03-10-riverside-856.x12');
  await expect(rejected.getByTestId('finding').first()).toContainText('authorized-trading-partner');
  await expect(fileRow(page, others[0]!)).toContainText('EPCIS XML');
  await page.screenshot({ path: shot('import-2-results.png'), fullPage: true });

  // The spreadsheet is dropped with its partner chosen, so the saved mapping reads it.
  await page.getByLabel('From trading partner').selectOption({ label: summit.name });
  const bytes = fs.readFileSync(path.join(demo, 'files', csv), 'utf8');
  const dataTransfer = await page.evaluateHandle(
    ([name, text]) => {
      // Runs in the page; the e2e type-check has Node's globals, not the DOM's.
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: File): void } };
      };
      const transfer = new dom.DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      return transfer;
    },
    [csv, bytes] as const,
  );
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
  await expect(fileRow(page, csv).getByTestId('import-status')).toHaveText('Imported');
  await expect(fileRow(page, csv)).toContainText('CSV, lot-level T3');

  // The same file again changes nothing.
  await page.getByLabel('From trading partner').selectOption({ label: 'Found from the file' });
  await page.getByLabel('Files to import').setInputFiles(path.join(demo, 'files', others[0]!));
  await expect(fileRow(page, others[0]!).getByTestId('import-status').first()).toHaveText('Already imported');
  await expect(fileRow(page, others[0]!).first()).toContainText('nothing changed');

  // Quarantine: the three Riverside files, with their raw bytes and reasons.
  await page.getByRole('link', { name: 'Quarantine', exact: true }).click();
  await expect(page.getByTestId('quarantine-count')).toHaveText('3 item(s)');
  const list = page.getByRole('table', { name: 'Quarantined files and events, newest first' });
  await list.getByRole('row').filter({ hasText: '2026-03-10-riverside-856.x12' }).click();
  const detail = page.getByTestId('quarantine-detail');
  await expect(detail).toContainText('authorized-trading-partner');
  await expect(detail).toContainText('X12 856 ship notice');
  await detail.getByRole('button', { name: 'View raw bytes' }).click();
  await expect(detail.getByTestId('raw-bytes')).toContainText('ISA*00*');
  await expect(detail.getByTestId('raw-bytes')).toContainText('N1*SE*Riverside Pharma Distributors');
  await page.screenshot({ path: shot('import-3-quarantine-raw.png'), fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    detail.getByRole('button', { name: 'Download the original file' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('2026-03-10-riverside-856.x12');
  expect(fs.readFileSync(await download.path())).toEqual(
    fs.readFileSync(path.join(demo, 'files', '2026-03-10-riverside-856.x12')),
  );

  // Reprocessing before the master data is fixed: rejected again, still in quarantine.
  await detail.getByRole('button', { name: 'Reprocess' }).click();
  await expect(detail.getByTestId('reprocess-result')).toContainText('Rejected again');
  await expect(detail).toContainText('tried again 1 time(s)');

  // The master data is fixed: Riverside is recorded as an authorized trading partner.
  await page.getByRole('link', { name: 'CSV column mappings' }).click();
  await page.getByRole('button', { name: 'Add a trading partner…' }).click();
  const form = page.getByRole('form', { name: 'New trading partner' });
  await form.getByLabel('Partner name').fill(riverside.name);
  await form.getByLabel('GLNs').fill(riverside.glns.join(' '));
  await form.getByLabel(/Authorized trading partner/).check();
  await form.getByRole('button', { name: 'Save partner' }).click();
  await expect(page.getByLabel('Trading partner', { exact: true })).toHaveValue(/\d+/);

  // Both ship notices now import, exactly once.
  await page.getByRole('link', { name: 'Quarantine', exact: true }).click();
  for (const name of ['2026-03-10-riverside-856.x12', '2026-03-24-riverside-856.x12']) {
    await list.getByRole('row').filter({ hasText: name }).click();
    await expect(detail).toContainText(name);
    await detail.getByRole('button', { name: 'Reprocess' }).click();
    await expect(detail.getByTestId('reprocess-result')).toContainText('Imported');
    await expect(detail.getByTestId('quarantine-status')).toContainText('Reprocessed');
  }
  await page.screenshot({ path: shot('import-4-reprocessed.png'), fullPage: true });
  await expect(page.getByTestId('quarantine-count')).toHaveText('1 item(s)');

  // The Riverside EPCIS ships a serial its manufacturer destroyed: it stays out, closed with a signed reason.
  await list.getByRole('row').filter({ hasText: 'riverside-epcis' }).click();
  await detail.getByRole('button', { name: 'Reprocess' }).click();
  await expect(detail.getByTestId('reprocess-result')).toContainText('Rejected again');
  await expect(detail).toContainText('suspect');
  await detail.getByRole('button', { name: 'Close with a reason…' }).click();
  const close = page.getByRole('dialog', { name: /Close quarantine item/ });
  await close
    .getByLabel('Reason')
    .fill('Ships a serial the manufacturer destroyed; Riverside asked for a corrected file (ticket 5521).');
  // Closing is an electronic signature: a wrong password is refused and nothing closes.
  await expect(close.getByTestId('signature-facts')).toContainText(STAFF.phil.displayName);
  await close.getByLabel('Your password (electronic signature)').fill('not my password');
  await close.getByRole('button', { name: 'Sign and close' }).click();
  await expect(close).toContainText('not correct; nothing was signed');
  await close.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
  await close.getByRole('button', { name: 'Sign and close' }).click();
  await expect(page.getByTestId('quarantine-count')).toHaveText('0 item(s)');
  await page.getByLabel('Show', { exact: true }).selectOption('closed');
  await list.getByRole('row').filter({ hasText: 'riverside-epcis' }).click();
  await expect(detail.getByTestId('quarantine-close-reason')).toContainText('ticket 5521');
  const signed = detail.getByTestId('quarantine-signature');
  await expect(signed).toContainText(STAFF.phil.displayName);
  await expect(signed).toContainText('closed quarantine item: Ships a serial the manufacturer destroyed');
  await page.screenshot({ path: shot('import-5-closed.png'), fullPage: true });

  // What made it into the ledger: 4 Keystone files, the spreadsheet, the two ship notices.
  await page.getByRole('link', { name: 'Imported files' }).click();
  const imported = page.getByRole('table', { name: 'Imported files, newest first' });
  await expect(imported.getByRole('row')).toHaveCount(1 + 7);
  console.log(`demo files imported through the UI: 7/${files.length} (1 closed in quarantine)`);
});
