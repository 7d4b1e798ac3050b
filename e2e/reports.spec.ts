import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './host';
import { addPerson, call, completeSetup, signIn, signOut, STAFF } from './people';

/*
 * Reports: a pharmacist picks a report, fills in what was asked, previews it, saves and downloads
 * it, sees it in the history, and drops the file back on the page to learn which generation it is
 * (a changed copy matches none). The T3 of a lot of the demo month and the FSMA 204 spreadsheet of
 * FDA's sample rows.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = path.join(repoRoot, 'resources', 'demo');
const ARTIFACTS = path.join(repoRoot, 'test-results', 'reports');
const FSMA_SAMPLES = [
  'fda-fsma204-sortable-spreadsheet-sample-shipping.csv',
  'fda-fsma204-sortable-spreadsheet-sample-receiving.csv',
].map((name) => path.join(repoRoot, 'test', 'fixtures', 'ingest', name));

async function ok(page: Page, method: string, input: unknown): Promise<unknown> {
  const r = await call(page, method, input);
  expect(r.ok, `${method}: ${JSON.stringify(r.error)}`).toBe(true);
  return r.value;
}

async function loadData(page: Page): Promise<void> {
  const ids = new Map<string, number>();
  for (const p of JSON.parse(fs.readFileSync(path.join(DEMO, 'partners.json'), 'utf8')) as { name: string }[])
    ids.set(p.name, ((await ok(page, 'partners.save', p)) as { id: number }).id);
  const m = (
    JSON.parse(fs.readFileSync(path.join(DEMO, 'mappings.json'), 'utf8')) as Record<
      string,
      { name: string; mapping: unknown }
    >
  )['Summit Specialty Supply']!;
  const summit = ids.get('Summit Specialty Supply')!;
  const mapping = (await ok(page, 'partners.saveMapping', {
    partnerId: summit,
    name: m.name,
    mapping: m.mapping,
  })) as { id: number };
  const files = fs
    .readdirSync(path.join(DEMO, 'files'))
    .sort()
    .map((name) => path.join(DEMO, 'files', name));
  for (const file of [...files, ...FSMA_SAMPLES]) {
    const name = path.basename(file);
    await ok(page, 'ingest.import', {
      files: [{ name, base64: fs.readFileSync(file).toString('base64') }],
      ...(name.includes('summit') ? { partnerId: summit, mappingId: mapping.id } : {}),
    });
  }
}

test.afterEach(async ({ page }) => page.context().close());

test('the Reports page previews, saves, downloads and lists each kind, and names a dropped file', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(180_000);
  const shot = (name: string) => testInfo.outputPath(name);
  // Screenshots are kept beside the PDF page images of the unit tests, for a person to look at.
  const keep = (name: string) => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return path.join(ARTIFACTS, name);
  };
  await completeSetup(page, host);
  await addPerson(page, STAFF.phil);
  await signOut(page);
  await signIn(page, STAFF.phil);
  await loadData(page);

  // Tall enough for a whole page of the app in each screenshot (the app scrolls inside its frame).
  await page.setViewportSize({ width: 1440, height: 2000 });
  await page.goto(new URL('/#/reports', page.url()).toString());
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();

  // DSCSA T3 for a lot: preview, then save as PDF and download it.
  await page.getByTestId('kind-dscsa-t3').check();
  await page.getByTestId('param-gtin').fill('00300010123455');
  await page.getByTestId('param-lot').fill('EP2601');
  await page.getByTestId('report-preview').click();
  const sheet = page.getByTestId('report-preview-sheet');
  await expect(sheet).toContainText('Transaction 1 of 1: from Keystone Drug Wholesale');
  await expect(sheet).toContainText('(01)00300010123455(21)S100009');
  await expect(sheet).toContainText('Ledger checkpoint: tree size');
  await page.screenshot({ path: keep('reports-t3-preview.png'), fullPage: true });

  await page.getByTestId('report-save').click();
  await expect(page.getByTestId('report-saved')).toBeVisible();
  const [pdf] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('report-download').click(),
  ]);
  expect(pdf.suggestedFilename()).toMatch(/^dscsa-t3-00300010123455-EP2601-at\d+\.pdf$/);
  const pdfPath = shot(pdf.suggestedFilename());
  await pdf.saveAs(pdfPath);
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.getByTestId('report-history')).toContainText(pdf.suggestedFilename());

  // The same report for a partner's system: EPCIS JSON-LD.
  await page.getByTestId('report-format').selectOption('jsonld');
  await page.getByTestId('report-save').click();
  await expect(page.getByTestId('report-history')).toContainText('.jsonld');

  // FSMA 204 sortable spreadsheet for a traceability lot code, as Excel.
  await page.getByTestId('kind-fsma-204').check();
  await page.getByTestId('param-tlc').fill('UPC:614141025251 LOT:BHMXB23309');
  await page.getByTestId('report-preview').click();
  await expect(sheet).toContainText('Shipping');
  await expect(sheet).toContainText('BigStore #2345');
  await expect(sheet).toContainText('02345');
  await page.screenshot({ path: keep('reports-fsma-preview.png'), fullPage: true });
  await page.getByTestId('report-save').click();
  const [xlsx] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('report-download').click(),
  ]);
  expect(xlsx.suggestedFilename()).toMatch(/^fsma-204-.*\.xlsx$/);
  const xlsxPath = shot(xlsx.suggestedFilename());
  await xlsx.saveAs(xlsxPath);
  expect(fs.readFileSync(xlsxPath).subarray(0, 2).toString()).toBe('PK');
  const history = page.getByTestId('report-history');
  await expect(history.locator('tbody tr')).toHaveCount(3);
  await expect(history).toContainText('Phil Pharmacist');

  // A file dropped back on the page: which generation it is; a changed copy matches none.
  await page.getByTestId('report-check-file').setInputFiles(pdfPath);
  await expect(page.getByTestId('report-check-result')).toContainText('is a report generated here');
  await expect(page.getByTestId('report-check-result')).toContainText('dscsa-t3 (pdf)');
  const changed = Buffer.from(fs.readFileSync(pdfPath));
  changed[200]! ^= 1;
  await page.getByTestId('report-check-file').setInputFiles({
    name: 'changed.pdf',
    mimeType: 'application/pdf',
    buffer: changed,
  });
  await expect(page.getByTestId('report-check-result')).toContainText('matches no report generated here');
  await page.screenshot({ path: keep('reports-page.png'), fullPage: true });
});
