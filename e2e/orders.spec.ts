import type { Page } from '@playwright/test';
import { drugGtin } from '../test/support/synthetic';
import { expect, test } from './host';
import { addProduct, OXYCODONE, SUPPLIER } from './inventory-ui';
import { addPerson, call, completeSetup, signIn, signOut, STAFF } from './people';

/*
 * Schedule II orders at the bench: a pharmacist records a DEA Form 222 on Inventory → Schedule II
 * orders, scans a package of it at the receiving station and records the containers on the order's
 * line; the order shows as partially filled with its 60-day deadline. A second order, voided by the
 * supplier, is received anyway: the receipt is recorded and an exception opens that the pharmacist
 * resolves on the Orders tab.
 */

const GS = '\u001d';
const GTIN = drugGtin('0555076702'); // NDC 0555-0767-02
const wedge = (serial: string) => `]d201${GTIN}17280331${'10'}OX1${GS}21${serial}`;
const ADDRESS = '400 Commerce Drive, Peoria, IL 61602';

function today(): string {
  const d = new Date();
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function scanAtStation(page: Page, origin: string, serial: string): Promise<void> {
  await page.goto(`${origin}/#/receiving`);
  await page.getByRole('button', { name: 'Receive without choosing a shipment' }).click();
  const input = page.getByTestId('scan-input');
  await expect(input).toBeFocused();
  await page.keyboard.type(wedge(serial));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('scan-verdict')).toBeVisible();
}

// The page's event stream reconnects while the host shuts down and can hold it open: close the browser side first.
test.afterEach(async ({ page }) => page.context().close());

test('a Form 222 is recorded, received against at the scan station, and a receipt against a void order is resolved', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(180_000);
  const shot = (name: string) => testInfo.outputPath(name);
  await page.setViewportSize({ width: 1366, height: 768 });
  await completeSetup(page, host);
  await addPerson(page, STAFF.phil);
  await addProduct(page, host.origin, OXYCODONE);
  await signOut(page);
  await signIn(page, STAFF.phil);

  // 1. Record the order on Inventory → Schedule II orders.
  await page.goto(`${host.origin}/#/inventory/orders`);
  await expect(page.getByTestId('orders-none')).toBeVisible();
  await page.getByRole('button', { name: 'Record an order…' }).click();
  const form = page.getByRole('form', { name: 'Record an order' });
  await form.getByLabel('Form', { exact: true }).selectOption('dea-222');
  await form.getByLabel('Form 222 serial number').fill('261234567');
  await form.getByLabel('Supplier', { exact: true }).fill(SUPPLIER.name);
  await form.getByLabel('DEA number', { exact: true }).fill('RA1234567');
  await expect(form.getByText(/check digit/)).toBeVisible();
  await form.getByLabel('DEA number', { exact: true }).fill(SUPPLIER.deaNumber);
  await form.getByLabel('Address', { exact: true }).fill(ADDRESS);
  await form.getByLabel('Line 1: drug').selectOption(OXYCODONE.ndc);
  await form.getByLabel('Packages', { exact: true }).fill('2');
  await page.screenshot({ path: shot('orders-1-record.png'), fullPage: true });
  await form.getByRole('button', { name: 'Record the order' }).click();
  const row = page.getByTestId('order-row').filter({ hasText: '261234567' });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('order-status')).toHaveText('Open');
  await expect(row.getByTestId('order-days-left')).toHaveText('60 d left');
  await expect(row).toContainText(plusDays(today(), 60));
  await expect(row).toContainText('Oxycodone HCl 5 mg tablet — 0 of 2');

  // 2. A package arrives without transaction data: the station says so, and links it to the order.
  await scanAtStation(page, host.origin, 'OX0001');
  const link = page.getByTestId('schedule-ii-order');
  await expect(link).toBeVisible();
  await expect(link.getByLabel('Order', { exact: true })).toContainText(
    '261234567 from Midwest Drug Wholesale',
  );
  const receipt = link.getByRole('form', { name: 'Receipt against order 261234567' });
  await receipt.getByLabel('Containers').fill('1');
  await receipt.getByLabel('Lot (optional)').fill('OX1');
  await page.screenshot({ path: shot('orders-2-scan-station.png'), fullPage: true });
  await receipt.getByRole('button', { name: 'Record the receipt' }).click();
  await expect(page.getByTestId('schedule-ii-recorded')).toContainText('Recorded on order 261234567');
  await page.getByRole('button', { name: 'Finish receiving' }).click();
  await expect(page.getByTestId('finished')).toBeVisible();

  // 3. The order is partially filled, its balance due from the supplier by the 60th day.
  await page.goto(`${host.origin}/#/inventory/orders`);
  await expect(row.getByTestId('order-status')).toHaveText('Partially filled');
  await expect(row).toContainText('Oxycodone HCl 5 mg tablet — 1 of 2');
  await row.getByRole('button', { name: '261234567' }).click();
  const detail = page.getByTestId('order-detail');
  await expect(detail).toContainText(`${SUPPLIER.name}, DEA ${SUPPLIER.deaNumber} — ${ADDRESS}`);
  await expect(detail.getByTestId('order-line')).toContainText(
    `1 shipped ${today()}, received ${today()}, lot OX1`,
  );
  await page.screenshot({ path: shot('orders-3-partial.png'), fullPage: true });

  // The signed receipt in the perpetual inventory takes its order, line and supplier from the order.
  await page.goto(`${host.origin}/#/inventory/record`);
  const txForm = page.getByRole('form', { name: 'Record a transaction' });
  await txForm.getByRole('radio', { name: 'Receipt', exact: true }).check();
  await txForm.getByLabel('NDC', { exact: true }).fill(OXYCODONE.ndc);
  await txForm.getByLabel('Recorded order').selectOption('1/1');
  await expect(txForm.getByLabel('Order number')).toHaveValue('261234567');
  await expect(txForm.getByLabel('DEA order form')).toHaveValue('dea-222');
  await expect(txForm.getByLabel('Address', { exact: true })).toHaveValue(ADDRESS);
  await txForm.getByLabel('Containers received').fill('1');
  await txForm.getByLabel(/^Date( received)?$/).fill(today());
  await page.screenshot({ path: shot('orders-3b-cs-receipt.png'), fullPage: true });
  await txForm.getByRole('button', { name: 'Review and sign…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
  await dialog.getByRole('button', { name: /^Sign and/ }).click();
  await expect(dialog).toBeHidden();
  await expect(txForm.locator('.field-error')).toHaveCount(0);
  await page.goto(`${host.origin}/#/inventory/orders`);

  // 4. A CSOS order the supplier voids; its package is received anyway and opens an exception.
  const csos = `${today().slice(2, 4)}X000777`;
  const recorded = await call(page, 'orders.record', {
    form: 'csos',
    number: csos,
    signedOn: today(),
    supplier: { ...SUPPLIER, address: ADDRESS },
    lines: [{ ndc: OXYCODONE.ndc, packages: 1 }],
    csos: { signerSubject: 'CN=Phil Pharmacist, O=Maple Street Pharmacy', signedHash: 'ab'.repeat(32) },
  });
  expect(recorded.ok, JSON.stringify(recorded.error)).toBe(true);
  await page.reload();
  const second = page.getByTestId('order-row').filter({ hasText: csos });
  await second.getByRole('button', { name: csos }).click();
  const end = page.getByRole('form', { name: `Cancel or void order ${csos}` });
  await end.getByLabel('What happened').selectOption('voided');
  await end.getByLabel('Reason').fill('Supplier voided it: product on allocation');
  await end.getByRole('button', { name: 'Record' }).click();
  await expect(second).toHaveCount(0); // no longer open

  await scanAtStation(page, host.origin, 'OX0002');
  await link.getByLabel('Order', { exact: true }).selectOption('2');
  await link
    .getByRole('form', { name: `Receipt against order ${csos}` })
    .getByRole('button', { name: 'Record the receipt' })
    .click();
  await expect(page.getByTestId('schedule-ii-recorded')).toContainText(`Recorded on order ${csos}`);

  await page.goto(`${host.origin}/#/inventory/orders`);
  const exception = page.getByTestId('order-exception');
  await expect(exception).toContainText(`order ${csos}`);
  await expect(exception).toContainText('voided');
  await page.screenshot({ path: shot('orders-4-exception.png'), fullPage: true });
  await exception.getByLabel('How it was resolved').fill('Returned to the supplier under RA-311');
  await exception.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('order-exceptions')).toHaveCount(0);

  // Every order, with the void one and its receipt outside the order.
  await page.getByLabel('Show').selectOption('all');
  const voided = page.getByTestId('order-row').filter({ hasText: csos });
  await expect(voided.getByTestId('order-status')).toHaveText('Void');
  await voided.getByRole('button', { name: csos }).click();
  await expect(page.getByTestId('order-detail')).toContainText('(outside the order)');
  await expect(page.getByTestId('order-detail')).toContainText('CSOS signature');
  await page.screenshot({ path: shot('orders-5-all.png'), fullPage: true });

  // The order records of one order from the Reports page: its lines, the receipt, the deadline.
  await page.goto(`${host.origin}/#/reports`);
  await page.getByTestId('kind-dea-222').check();
  await page.getByTestId('param-id').fill('261234567');
  await page.getByTestId('report-preview').click();
  const sheet = page.getByTestId('report-preview-sheet');
  await expect(sheet).toContainText('Schedule II order records (DEA Form 222 and CSOS)');
  await expect(sheet).toContainText(SUPPLIER.deaNumber);
  await expect(sheet).toContainText('Partially filled');
  await expect(sheet).not.toContainText(csos);
  await page.screenshot({ path: shot('orders-6-report-preview.png'), fullPage: true });
  await page.getByTestId('report-save').click();
  await expect(page.getByTestId('report-saved')).toBeVisible();
});
