import fs from 'node:fs';
import type { Page } from '@playwright/test';
import {
  drugGtin,
  epcisDocument,
  events as ev,
  sgtin,
  withCheck,
  SAMPLE_PRODUCT,
} from '../test/support/synthetic';
import { expect, test } from './host';
import { addPerson, call, completeSetup, signIn, signOut, STAFF } from './people';

/*
 * Records requests and Form FDA 3911 at the workstation: FDA asks for a lot's transaction
 * information, the deadline counts down on the dashboard, the T3 generated for the lot is recorded
 * as the answer; a package found suspect at receiving, closed as illegitimate, gets its initial
 * notification recorded from the investigation and the worksheet numbered in the current layout.
 */

const GS = '\u001d';
const PHARMACY = withCheck('061414100000');
const WHOLESALER = withCheck('039999999999');
const MFG = withCheck('030001111111');
const ITEM_GTIN = drugGtin('0001012345');
const item = (n: number) => sgtin(ITEM_GTIN, `S${String(n).padStart(6, '0')}`);
const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 8, minute)).toISOString();
const wedge = (serial: string) => `]d201${ITEM_GTIN}17280331` + `10L1${GS}21${serial}`;

async function ok<T = unknown>(page: Page, method: string, input: unknown): Promise<T> {
  const r = await call(page, method, input);
  expect(r.ok, `${method}: ${JSON.stringify(r.error)}`).toBe(true);
  return r.value as T;
}

/** Phil signed in; the wholesaler's ASN for lot L1 imported (serial 30 decommissioned by the manufacturer). */
async function pharmacyWithShipment(page: Page, host: Parameters<typeof completeSetup>[1]): Promise<void> {
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
  const L = { lot: 'L1', expiry: '2028-03-31' };
  const asn = epcisDocument(
    [
      ev.commission([5, 6, 30].map(item), { time: t(0), location: MFG, ...L }),
      ev.decommission([item(30)], { time: t(4), location: MFG }),
      ev.ship([item(5), item(6)], {
        time: t(10),
        seller: WHOLESALER,
        buyer: PHARMACY,
        shipTo: PHARMACY,
        po: 'PO-A',
        desadv: 'ASN-A',
      }),
    ],
    { products: [{ ...SAMPLE_PRODUCT, gtin: ITEM_GTIN }] },
  );
  const imported = await ok<{ results: { status: string }[] }>(page, 'ingest.import', {
    files: [{ name: 'asn-a.xml', base64: Buffer.from(asn).toString('base64') }],
  });
  expect(imported.results[0]?.status).toBe('imported');
}

test.afterEach(async ({ page }) => page.context().close());

test('an FDA request is recorded, counts down on the dashboard, and is answered with a generated T3', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(120_000);
  const shot = (name: string) => testInfo.outputPath(name);
  // Tall enough that a screenshot shows the whole panel or investigation.
  await page.setViewportSize({ width: 1280, height: 2200 });
  await pharmacyWithShipment(page, host);

  await page.goto(`${host.origin}/#/dashboard`);
  const panel = page.getByTestId('requests-panel');
  await expect(panel.getByTestId('requests-none')).toBeVisible();
  await panel.getByRole('button', { name: 'Record a request…' }).click();
  const form = panel.getByRole('form', { name: 'Record a request' });
  await form.getByLabel('What is asked').selectOption('dscsa');
  await form.getByLabel('From', { exact: true }).selectOption('fda');
  await form
    .getByLabel('Requester (office or company)')
    .fill('FDA Office of Drug Security, Integrity, and Response');
  await form.getByLabel('Contact').fill('J. Rivera, jrivera@fda.hhs.gov');
  await form.getByLabel('Products (GTIN, NDC or name)').fill(ITEM_GTIN);
  await form.getByLabel('Lots').fill('L1');
  await form.getByLabel('Note').fill('Suspect product investigation: transaction information for lot L1.');
  await page.screenshot({ path: shot('requests-1-record.png'), fullPage: true });
  await form.getByRole('button', { name: 'Record the request' }).click();

  // The deadline counts down: a pharmacy answers as a dispenser, two business days.
  const row = panel.getByTestId('request-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('request-countdown')).toHaveText(/^due in (\d+ d )?(\d+ h )?\d+ min$/);
  await expect(row.getByTestId('request-detail')).toContainText('§582(d)(1)(D)');
  await expect(row.getByTestId('request-detail')).toContainText('(as dispenser)');
  await page.screenshot({ path: shot('requests-2-countdown.png'), fullPage: true });

  // The T3 for lot L1 is generated (each generation is a reports.generated ledger entry) …
  const generated = await ok<{ sha256: string; generation: { seq: number } }>(page, 'reports.generate', {
    kind: 'dscsa-t3',
    format: 'pdf',
    params: { lot: 'L1' },
  });
  // … and recorded as the answer sent.
  await page.reload();
  await page
    .getByTestId('request-row')
    .getByRole('button', { name: /#1 DSCSA/ })
    .click();
  const answer = page.getByRole('form', { name: 'Answer with a report' });
  await answer.getByLabel('Report sent').selectOption(String(generated.generation.seq));
  await answer.getByLabel('Sent to').fill('J. Rivera by email');
  await answer.getByRole('button', { name: 'Record as sent' }).click();
  const done = page.getByTestId('request-row');
  await expect(done.getByText('answered in time')).toBeVisible();
  await expect(done.getByTestId('request-answer')).toContainText('dscsa-t3 (pdf) to J. Rivera by email');
  await expect(done.getByTestId('request-answer')).toContainText(generated.sha256.slice(0, 12));
  await page.screenshot({ path: shot('requests-3-answered.png'), fullPage: true });
  const request = await ok<{ status: string; answers: { reportSeq: number; sha256: string }[] }>(
    page,
    'requests.get',
    {
      id: 1,
    },
  );
  expect(request.status).toBe('answered');
  expect(request.answers[0]).toMatchObject({ reportSeq: generated.generation.seq, sha256: generated.sha256 });
});

test('a suspect package closed as illegitimate gets its Form FDA 3911 recorded from the investigation', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(120_000);
  const shot = (name: string) => testInfo.outputPath(name);
  // Tall enough that a screenshot shows the whole panel or investigation.
  await page.setViewportSize({ width: 1280, height: 2200 });
  await pharmacyWithShipment(page, host);
  const { sessionId } = await ok<{ sessionId: number }>(page, 'receiving.openSession', {});
  const scanned = await ok<{ investigationId: number }>(page, 'receiving.scan', {
    sessionId,
    scan: wedge('S000030'),
  });
  await ok(page, 'receiving.closeInvestigation', {
    id: scanned.investigationId,
    password: STAFF.phil.password,
    outcome: 'illegitimate',
    classification: 'counterfeit',
    description: 'Serial decommissioned by the manufacturer; carton print differs from a good package.',
  });

  await page.goto(`${host.origin}/#/receiving/investigations/${scanned.investigationId}`);
  const inv = page.getByTestId('investigation-detail');
  const sheet = inv.getByTestId('form3911-worksheet');
  // The draft worksheet, numbered from the core's one table: item 3 is the 2025 form's new item.
  await expect(sheet).toContainText('initial notification (draft, not yet sent)');
  await expect(sheet).toContainText('3. Geographic Location of Incident');
  await expect(sheet).toContainText('6. Classification of Notification');
  await expect(sheet).toContainText('Counterfeit');
  await expect(sheet).toContainText('S000030');
  const form = inv.getByRole('form', { name: 'Record a Form FDA 3911 sent' });
  await expect(form.getByLabel('Geographic location of incident')).toHaveValue(
    'Springfield, IL, United States',
  );
  await form.getByLabel('Unit').fill('bottle of 100 tablets');
  await form.getByLabel('Trading partner told').fill('Big Wholesaler');
  await form.getByLabel('Phone').fill('217-555-0142');
  await form.getByLabel('Email').fill('phil@maple.example');
  await form.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
  await page.screenshot({ path: shot('form3911-1-record.png'), fullPage: true });
  await form.getByRole('button', { name: 'Sign and record the Initial Notification' }).click();

  await expect(inv.getByTestId('notifications')).toContainText('Initial Notification');
  await expect(inv.getByTestId('notification-1-signature')).toContainText(
    'Form FDA 3911 Initial Notification sent to FDA',
  );
  await expect(sheet).toContainText('Worksheet of notification 1: Initial Notification');
  await expect(sheet).toContainText('13. Quantity of Drug (Number and Unit)');
  await expect(sheet).toContainText('1 bottle of 100 tablets');
  await expect(inv.getByTestId('clocks')).toContainText('notify FDA');

  // FDA's acknowledgement brings the incident number; the follow-up form is next.
  const incident = inv.getByRole('form', { name: 'FDA incident number' });
  await incident.getByLabel('Incident number').fill('DN-2026-00417');
  await incident.getByRole('button', { name: 'Record the incident number' }).click();
  await expect(inv.getByTestId('incident-number')).toHaveText('DN-2026-00417');
  await expect(form.getByLabel('Type of report')).toHaveValue('follow-up');
  // The follow-up starts from what the initial notification said.
  await expect(form.getByLabel('Unit')).toHaveValue('bottle of 100 tablets');
  await page.screenshot({ path: shot('form3911-2-recorded.png'), fullPage: true });

  // The worksheet of what was sent, from the Reports page: previewed, saved as PDF, in the history.
  await page.goto(`${host.origin}/#/reports`);
  await page.getByTestId('kind-fda-3911').check();
  await page.getByTestId('param-id').fill(String(scanned.investigationId));
  await page.getByTestId('report-preview').click();
  const preview = page.getByTestId('report-preview-sheet');
  // The notification as it was sent: the incident number came afterwards, with FDA's acknowledgement.
  await expect(preview).toContainText('Form FDA 3911 — Initial Notification');
  await expect(preview.getByRole('row', { name: /Geographic Location of Incident/ })).toContainText(
    'Springfield, IL, United States',
  );
  await expect(preview).toContainText('Ledger checkpoint: tree size');
  await page.getByTestId('report-format').selectOption('pdf');
  await page.getByTestId('report-save').click();
  await expect(page.getByTestId('report-saved')).toBeVisible();
  const [pdf] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('report-download').click(),
  ]);
  expect(pdf.suggestedFilename()).toMatch(/^fda-3911-.*\.pdf$/);
  await pdf.saveAs(shot(pdf.suggestedFilename()));
  expect(fs.readFileSync(shot(pdf.suggestedFilename())).subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.getByTestId('report-history')).toContainText(pdf.suggestedFilename());
  await page.screenshot({ path: shot('form3911-3-report.png'), fullPage: true });
});
