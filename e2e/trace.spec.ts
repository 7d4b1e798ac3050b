import fs from 'node:fs';
import type { Page } from '@playwright/test';
import {
  drugGtin,
  epcisDocument,
  events as ev,
  sgtin,
  sscc,
  withCheck,
  type SynthLocation,
  type SynthProduct,
  SAMPLE_PRODUCT,
} from '../test/support/synthetic';
import { expect, test } from './host';
import { addPerson, call, completeSetup, signIn, signOut, STAFF } from './people';

/*
 * Trace: a package scanned at the counter leads to its case and pallet, the pallet to everything it
 * holds, and the history (with the transaction information and statement) leaves as a file.
 */

const GS = '\u001d';
const PHARMACY = withCheck('061414100000');
const WHOLESALER = withCheck('039999999999');
const MFG = withCheck('030001111111');
const ITEM_GTIN = drugGtin('0001012345');
const CASE_GTIN = drugGtin('0001012345', 5);
const PRODUCT: SynthProduct = { ...SAMPLE_PRODUCT, gtin: ITEM_GTIN };
const LOCATIONS: SynthLocation[] = [
  {
    gln: WHOLESALER,
    name: 'Big Wholesaler',
    street: '1 Depot Rd',
    city: 'Columbus',
    state: 'OH',
    zip: '43215',
  },
  {
    gln: PHARMACY,
    name: 'Main Street Pharmacy',
    street: '1 Main St',
    city: 'Springfield',
    state: 'IL',
    zip: '62701',
  },
];
const item = (n: number) => sgtin(ITEM_GTIN, `S${String(n).padStart(6, '0')}`);
const caseOf = (n: number) => sgtin(CASE_GTIN, `C${n}`);
const PALLET = withCheck('00300010000000001');
const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 8, minute)).toISOString();

/** A pallet of two cases of three packages, commissioned, packed and shipped to the pharmacy. */
function shipment(): string {
  const L = { lot: 'L7', expiry: '2028-03-31' };
  return epcisDocument(
    [
      ev.commission([1, 2, 3, 4, 5, 6].map(item), { time: t(0), location: MFG, ...L }),
      ev.commission([caseOf(1), caseOf(2)], { time: t(1), location: MFG, ...L }),
      ev.pack(caseOf(1), [1, 2, 3].map(item), { time: t(2), location: MFG }),
      ev.pack(caseOf(2), [4, 5, 6].map(item), { time: t(3), location: MFG }),
      ev.pack(sscc(PALLET), [caseOf(1), caseOf(2)], { time: t(4), location: MFG }),
      ev.ship([sscc(PALLET)], {
        time: t(10),
        seller: WHOLESALER,
        buyer: PHARMACY,
        shipTo: PHARMACY,
        po: 'PO-7',
        desadv: 'ASN-7',
      }),
    ],
    { products: [PRODUCT, { ...PRODUCT, gtin: CASE_GTIN, container: '12 bottles' }], locations: LOCATIONS },
  );
}

async function ok(page: Page, method: string, input: unknown): Promise<unknown> {
  const r = await call(page, method, input);
  expect(r.ok, `${method}: ${JSON.stringify(r.error)}`).toBe(true);
  return r.value;
}

// The page's event stream reconnects while the host shuts down and can hold it open: close the browser side first.
test.afterEach(async ({ page }) => page.context().close());

test('a package scanned into Trace shows its history and containers; its pallet shows the containment tree; the history downloads', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(120_000);
  const shot = (name: string) => testInfo.outputPath(name);
  await completeSetup(page, host);
  await addPerson(page, STAFF.phil);
  await signOut(page);
  await signIn(page, STAFF.phil);
  await ok(page, 'partners.save', {
    name: 'Main Street Pharmacy',
    role: 'self',
    authorized: true,
    glns: [PHARMACY],
  });
  await ok(page, 'partners.save', {
    name: 'Big Wholesaler',
    role: 'wholesaler',
    authorized: true,
    glns: [WHOLESALER],
  });
  await ok(page, 'partners.save', {
    name: 'GS1 Pharma',
    role: 'manufacturer',
    authorized: true,
    glns: [MFG],
  });
  await ok(page, 'ingest.import', {
    files: [{ name: 'asn-7.xml', base64: Buffer.from(shipment()).toString('base64') }],
  });

  // The package's DataMatrix, typed into the search field by a keyboard-wedge scanner.
  await page.goto(`${host.origin}/#/trace`);
  await expect(page.getByRole('heading', { level: 1, name: 'Trace' })).toBeVisible();
  await page.getByTestId('trace-input').click();
  await page.keyboard.type(`]d201${ITEM_GTIN}17280331${'10'}L7${GS}21S000002`);
  await page.keyboard.press('Enter');
  const result = page.getByTestId('trace-result');
  await expect(result).toContainText(item(2));
  await expect(result).toContainText('Epcistra');
  await expect(result.getByTestId('trace-state')).toContainText('Shipped');
  const history = result.getByTestId('trace-history');
  // Its own commissioning, its packing into the case, and the pallet's shipment that carried it.
  await expect(history.getByRole('row')).toHaveCount(1 + 3);
  // Said in plain words (issue 19); the EPCIS business steps stay under "Raw event".
  await expect(history.getByRole('row').nth(1)).toContainText('serial assigned and labelled');
  await expect(history.getByRole('row').nth(2)).toContainText('packed into a case or tote');
  await expect(history.getByRole('row').nth(3)).toContainText('its case or tote was shipped');
  await expect(history.getByRole('row').nth(3).locator('details.raw-event')).toContainText('shipping');
  await expect(history.getByRole('row').nth(3).locator('details.raw-event')).toContainText('in container');
  await expect(result.getByTestId('containers')).toContainText(caseOf(1));
  await expect(result.getByTestId('containers')).toContainText(PALLET);
  await expect(result.getByTestId('trace-transaction')).toContainText('ASN-7');
  await expect(result.getByTestId('trace-transaction')).toContainText('581(27)');
  await expect(result.getByTestId('trace-partners')).toContainText('Big Wholesaler');
  await page.screenshot({ path: shot('trace-1-package.png'), fullPage: true });
  await history.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('trace-1b-history.png'), fullPage: true });

  // The history leaves as a CSV, one row per event.
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    result.getByRole('button', { name: 'Export history (CSV)' }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const rows = fs
    .readFileSync(await csv.path(), 'utf8')
    .trim()
    .split(/\r?\n/);
  expect(rows).toHaveLength(1 + 3);
  expect(rows[0]).toContain('business step');

  // Up to the pallet: its contents, case by case.
  await result
    .getByTestId('containers')
    .getByRole('link', { name: sscc(PALLET) })
    .click();
  await expect(page).toHaveURL(/#\/trace\//);
  const tree = page.getByTestId('contents-tree');
  await expect(tree).toBeVisible();
  await expect(tree.locator('[data-kind="Case"]')).toHaveCount(2);
  await expect(tree.locator('[data-kind="Package"]')).toHaveCount(6);
  // Each node by its drug and serial, not its Digital Link.
  await expect(tree.locator('[data-kind="Case"]').filter({ hasText: 'serial C2' })).toContainText(
    'serial S000005',
  );
  await expect(page.getByTestId('trace-input')).toHaveValue(sscc(PALLET));
  await tree.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('trace-2-pallet-tree.png'), fullPage: true });

  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export everything (JSON)' }).click(),
  ]);
  const exported = JSON.parse(fs.readFileSync(await json.path(), 'utf8')) as {
    kind: string;
    contents: { children: unknown[] }[];
  };
  expect(exported.kind).toBe('sscc');
  expect(exported.contents.flatMap((c) => c.children)).toHaveLength(6);

  // GTIN + lot, as a person types it; and Back returns to the pallet.
  await page.getByTestId('trace-input').fill(`${ITEM_GTIN} + L7`);
  await page.getByRole('button', { name: 'Trace', exact: true }).click();
  await expect(page.getByTestId('trace-result')).toContainText('Serials in this lot');
  await expect(page.getByTestId('trace-result')).toContainText('6');
  await page.goBack();
  await expect(page.getByTestId('contents-tree')).toBeVisible();

  // An identifier nobody sent data for says so.
  await page.getByTestId('trace-input').fill(`(00)${withCheck('00300019999999999')}`);
  await page.getByRole('button', { name: 'Trace', exact: true }).click();
  await expect(page.getByTestId('trace-not-found')).toContainText('no partner file received mentions it');

  // Every answer that opened sealed identifiers left one access entry under Phil, naming the
  // procedure, never a serial; the lookup that found nothing opened none and left none.
  const me = (await call(page, 'auth.session', {})).value as { principal: { userId: string } };
  const shown = await call(page, 'ledger.entries', { types: ['access.identifiers-shown'], limit: 100 });
  const entries = (shown.value as { entries: { actor: string; summary: string }[] }).entries;
  expect(entries.length).toBeGreaterThanOrEqual(4);
  for (const entry of entries) {
    expect(entry.actor).toBe(me.principal.userId);
    expect(entry.summary).toMatch(
      /^\d+ sealed identifier\(s\) shown through trace\.(lookup|export) \(http\) of trace_ids \d+$/,
    );
    expect(entry.summary).not.toContain('S000002');
  }
});
