import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEMO_PEOPLE, enterDemo, signInAs } from './demo-month';
import { expect, test } from './host';

/**
 * Issue 19, on the demo month (resources/demo/scans.json has what a technician scans): receiving
 * gives the same verdict however it was started and never reports a clean finish over an open
 * exception; the dashboard is the day's work queue and agrees with the pages and the badges; Trace
 * speaks NDCs and partner names; one person's notices never follow the next; an investigation has
 * no default outcome and a technician cannot close it.
 */

// An Atorvastatin 20 mg package of lot AT2603: shipment RPD-22105's X12 856 lists 3 of them.
const atorvastatin = (serial: string) => `]d201003000107893091727123110AT2603\u001d21${serial}`;
// Week 4's second tote: Keystone sent no transaction data for it (the missing T3).
const TOTE_WITHOUT_DATA = ']C100008123450000000085';
// A serial its manufacturer destroyed on 2026-03-01, shipped anyway.
const DESTROYED_SERIAL = ']d201003000101234551728013110EP2601\u001d21S100000';

async function scan(page: Page, text: string) {
  const input = page.getByTestId('scan-input');
  await input.fill(text);
  await input.press('Enter');
  await expect(input).toHaveValue('');
}

async function receiveWithoutShipment(page: Page, origin: string) {
  await page.goto(`${origin}/#/receiving`);
  await page.getByRole('button', { name: 'Receive without choosing a shipment' }).click();
}

test('the same package gets the same verdict with and without a chosen shipment; a finish with open exceptions is not clean', async ({
  page,
  host,
}, testInfo) => {
  await enterDemo(page, host, 'tom');
  const verdict = page.getByTestId('scan-verdict');

  // Without choosing: received against RPD-22105, the one shipment whose data lists lot AT2603.
  await receiveWithoutShipment(page, host.origin);
  await scan(page, atorvastatin('R7000'));
  await expect(verdict).toHaveAttribute('data-verdict', 'accepted');
  await expect(verdict).toContainText('RPD-22105');
  await expect(verdict).toContainText('Riverside Pharma Distributors');
  await page.screenshot({ path: testInfo.outputPath('day-1-accepted-without-shipment.png') });

  // The tote without data, in the same session: an exception, with a sound.
  await scan(page, TOTE_WITHOUT_DATA);
  await expect(verdict).toHaveAttribute('data-verdict', 'exception');
  await expect(verdict).toHaveAttribute('data-kind', 'no-data-received');
  await expect(page.locator('body')).toHaveAttribute('data-last-tone', /\d+/);
  await page.getByRole('button', { name: 'Finish receiving' }).click();
  const finished = page.getByTestId('finished');
  await expect(finished).toContainText('Receiving finished with 1 open exception');
  await expect(finished).toContainText('1 package accepted');
  await expect(finished).not.toContainText('no exception is open');
  await expect(finished.getByRole('link', { name: /No data received/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('day-2-finished-with-open-exception.png') });

  // The exception names the shipment's document number and the tote's SSCC, not "Shipment 7".
  await finished.getByRole('link', { name: /No data received/ }).click();
  const detail = page.getByTestId('exception-detail');
  await expect(detail).toContainText('No data received');
  await expect(detail.getByTestId('exception-serial')).toHaveText('008123450000000085');
  await page.screenshot({ path: testInfo.outputPath('day-3-exception.png') });

  // Inside RPD-22105, the next package of the same kind: the same verdict, against the same shipment.
  await page.goto(`${host.origin}/#/receiving`);
  await page.getByRole('row', { name: /RPD-22105/ }).click();
  await page.getByRole('button', { name: 'Receive this shipment' }).click();
  await scan(page, atorvastatin('R7001'));
  await expect(verdict).toHaveAttribute('data-verdict', 'accepted');
  await expect(verdict).toContainText('RPD-22105');
  await expect(verdict).not.toContainText('not the shipment being received');
});

test("the dashboard's counts equal the pages' counts and the navigation's badges", async ({
  page,
  host,
}, testInfo) => {
  await enterDemo(page, host, 'paula');
  // Open two exceptions first, so every line has something to count.
  await receiveWithoutShipment(page, host.origin);
  await scan(page, TOTE_WITHOUT_DATA);
  await scan(page, DESTROYED_SERIAL);
  await expect(page.getByTestId('scan-verdict')).toHaveAttribute('data-kind', 'suspect');
  await page.getByRole('button', { name: 'Finish receiving' }).click();
  await expect(page.getByTestId('finished')).toContainText('2 open exceptions');

  await page.goto(`${host.origin}/#/dashboard`);
  const line = (id: string) => page.locator(`[data-testid="queue-line"][data-line="${id}"]`);
  await expect(line('exceptions')).toBeVisible();
  // The investigation's clock runs: it comes first.
  await expect(page.getByTestId('queue-line').first()).toHaveAttribute('data-line', /^investigation-/);
  await page.screenshot({ path: testInfo.outputPath('day-4-dashboard.png') });
  const count = async (id: string) => Number(await line(id).getAttribute('data-count'));
  const exceptions = await count('exceptions');
  const quarantined = await count('quarantine');
  const shipments = await count('shipments');
  const investigations = await page
    .locator('[data-testid="queue-line"][data-line^="investigation-"]')
    .count();
  expect([exceptions, quarantined, investigations]).toEqual([2, 1, 1]);
  await expect(page.getByTestId('badge-receiving')).toContainText(
    String(exceptions + shipments + investigations),
  );
  await expect(page.getByTestId('badge-import')).toContainText(String(quarantined));

  // Each page shows the same numbers.
  await line('exceptions').getByRole('link').click();
  await expect(page).toHaveURL(/#\/receiving\/exceptions/);
  await expect(page.getByRole('table', { name: /Receiving exceptions/ }).locator('tbody tr')).toHaveCount(
    exceptions,
  );
  await page.goto(`${host.origin}/#/import/quarantine`);
  await expect(page.getByTestId('quarantine-count')).toHaveText(`${quarantined} item(s)`);
  // Quarantine leads with the plain reason and what to do; the rule id is the detail underneath.
  await expect(page.getByRole('table', { name: /Quarantined files/ })).toContainText(
    'serial taken out of commerce',
  );
  await page.getByRole('row', { name: /riverside-epcis/ }).click();
  const finding = page.getByTestId('finding').first();
  await expect(finding.getByTestId('finding-fix')).toContainText('What to do:');
  await expect(finding).toContainText(/Record \d+ of this file/);
  await page.screenshot({ path: testInfo.outputPath('day-7-quarantine.png'), fullPage: true });
  await page.goto(`${host.origin}/#/receiving`);
  await page.getByLabel('Show').selectOption('open');
  await expect(page.getByRole('table', { name: /Shipments/ }).locator('tbody tr')).toHaveCount(shipments);
  await page.goto(`${host.origin}/#/receiving/investigations`);
  await expect(page.getByRole('table', { name: /Investigations/ }).locator('tbody tr')).toHaveCount(
    investigations,
  );
});

test('Trace finds the lots of an NDC in every form it is written and names partners for GLNs', async ({
  page,
  host,
}, testInfo) => {
  await enterDemo(page, host, 'paula');
  for (const ndc of ['0001-0789-30', '0001078930', '00001-0789-30', '00001078930']) {
    await page.goto(`${host.origin}/#/trace/${encodeURIComponent(ndc)}`);
    const found = page.getByTestId('trace-ndc');
    await expect(found, ndc).toContainText('Atorvastatin 20 mg');
    await expect(found.getByTestId('ndc-lot').filter({ hasText: 'AT2603' })).toContainText('RPD-22105');
    // Ten bare digits: every layout that fits was tried, and said.
    if (ndc === '0001078930') {
      await expect(found).toContainText('0001-0789-30, 00010-789-30, 00010-7893-0');
      await page.screenshot({ path: testInfo.outputPath('day-5-trace-ndc.png') });
    }
  }

  // A tote as scanned: Keystone and the pharmacy by name, the GLN beside.
  await page.goto(`${host.origin}/#/trace/${encodeURIComponent('(00)008123450000000016')}`);
  const result = page.getByTestId('trace-result');
  await expect(result.getByTestId('trace-history')).toContainText('Keystone Drug Wholesale');
  await expect(
    result
      .getByTestId('history-words')
      .filter({ hasText: /shipped by Keystone Drug Wholesale to Main Street Pharmacy/ }),
  ).not.toHaveCount(0);
  await expect(result).not.toContainText('ObjectEvent ADD');
  // The raw event stays one click away.
  await result.locator('details.raw-event').first().locator('summary').click();
  await expect(result.locator('details.raw-event[open]')).toContainText('Event');
  await page.screenshot({ path: testInfo.outputPath('day-6-trace-tote.png'), fullPage: true });

  // A serial no partner file names, of a lot the 856 covers: the lot's data, said plainly.
  await page.goto(
    `${host.origin}/#/trace/${encodeURIComponent('(01)00300010789309(17)271231(10)AT2603(21)NOTINDATA')}`,
  );
  await expect(page.getByTestId('trace-lot-level')).toContainText('lot-level transaction information');
  await expect(page.getByTestId('trace-result')).toContainText('RPD-22105');
});

test('a notice does not survive sign-out or lock', async ({ page, host }) => {
  await enterDemo(page, host, 'paula');
  await page.goto(`${host.origin}/#/ledger`);
  // Headless Chromium refuses the clipboard: an error notice, which stays until dismissed.
  await page.locator('details.checkpoint summary').click();
  await page.getByRole('button', { name: 'Copy checkpoint' }).click();
  const toast = page.locator('.toast');
  await expect(toast).toHaveCount(1);

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Unlock' })).toBeVisible();
  await expect(toast).toHaveCount(0);
  await page.getByLabel(/Password for/).fill(DEMO_PEOPLE.paula.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(toast).toHaveCount(0);

  await page.locator('details.checkpoint summary').click();
  await page.getByRole('button', { name: 'Copy checkpoint' }).click();
  await expect(toast).toHaveCount(1);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('[data-gate="sign-in"]')).toBeVisible();
  await expect(toast).toHaveCount(0);
  await signInAs(page, 'tom');
  await expect(toast).toHaveCount(0);
});

test('an investigation cannot be cleared by a technician, who records findings for the pharmacist, nor by anyone without choosing an outcome', async ({
  page,
  host,
}, testInfo) => {
  await enterDemo(page, host, 'tom');
  await receiveWithoutShipment(page, host.origin);
  await scan(page, DESTROYED_SERIAL);
  const verdict = page.getByTestId('scan-verdict');
  await expect(verdict).toHaveAttribute('data-kind', 'suspect');
  await verdict.getByRole('link', { name: /Investigation \d+/ }).click();
  const detail = page.getByTestId('investigation-detail');
  await expect(detail).toBeVisible();
  // The technician is told who decides; no outcome form is offered.
  await expect(page.getByTestId('investigation-technician')).toContainText(
    'A pharmacist records the outcome',
  );
  await expect(page.getByRole('form', { name: 'Record the outcome' })).toHaveCount(0);
  // Instead, the technician records what was found, for the pharmacist who decides.
  const findings = page.getByRole('form', { name: 'Record findings' });
  await findings
    .getByLabel('What you checked')
    .fill('Carton seal intact\nLot and expiry on the carton match the barcode');
  await findings.getByLabel('Photos taken').fill('Front of the carton: label print faded, NDC legible');
  await findings.getByLabel('Verification asked of').fill('Manufacturer (verification router service)');
  await findings.getByLabel('Their answer').fill('This serial was decommissioned (destroyed) on 1 March');
  await findings.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('day-7-investigation-record-findings.png') });
  // The technician's findings form meets WCAG 2.2 AA like every page (no serious or critical violation).
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="investigation-detail"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(
    axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
  ).toEqual([]);
  await findings.getByRole('button', { name: 'Record findings' }).click();
  const recorded = detail.getByTestId('investigation-findings');
  await expect(recorded).toContainText('decommissioned (destroyed) on 1 March');
  await expect(recorded).toContainText(DEMO_PEOPLE.tom.name);
  await expect(recorded).toContainText('Carton seal intact; Lot and expiry on the carton match the barcode');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInAs(page, 'paula');
  await page.goto(`${host.origin}/#/receiving/investigations/1`);
  // The pharmacist reads the technician's findings above the outcome she signs.
  const read = page.getByTestId('investigation-findings');
  await expect(read).toContainText('Front of the carton');
  // The page scrolls inside the shell: bring the findings into the 1366x768 view before the photograph.
  await read.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('day-7-investigation-findings.png') });
  const form = page.getByRole('form', { name: 'Record the outcome' });
  await expect(form.getByLabel('Outcome')).toHaveValue('');
  await form
    .getByLabel('What the investigation found')
    .fill('Manufacturer confirms the serial was destroyed.');
  await form.getByLabel(/password/i).fill(DEMO_PEOPLE.paula.password);
  await expect(form.getByRole('button', { name: 'Choose an outcome to sign' })).toBeDisabled();
});

test('drugs from partner files wait in Products for a person to confirm the schedule, which has no default', async ({
  page,
  host,
}, testInfo) => {
  await enterDemo(page, host, 'paula');
  await page.goto(`${host.origin}/#/inventory/products`);
  const flagged = page.getByTestId('from-partner-files');
  const atorvastatin = flagged.getByTestId('from-file-product').filter({ hasText: 'Atorvastatin' });
  await expect(atorvastatin).toContainText('0001-0789-30');
  await expect(atorvastatin).toContainText('schedule to confirm');
  await atorvastatin.getByRole('button', { name: 'Confirm and add…' }).click();
  const form = page.getByRole('form', { name: 'Add a product' });
  await expect(form.getByLabel('Package NDC')).toHaveValue('0001-0789-30');
  await expect(form.getByLabel('DEA schedule')).toHaveValue('');
  await expect(form.getByRole('button', { name: 'Add product' })).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('day-8-products.png'), fullPage: true });
  await form.getByLabel('DEA schedule').selectOption({ label: 'Not controlled' });
  await form.getByRole('button', { name: 'Add product' }).click();
  await expect(atorvastatin).toHaveCount(0);
});
