import { shippingEvents, startPartnerSim, type PartnerSim } from '../test/support/partner-sim/server';
import { withCheck } from '../test/support/synthetic';
import { expect, test } from './host';
import { addPerson, call, completeSetup, REGISTRANT, signIn, signOut, STAFF } from './people';

/*
 * The Partners page against a real partner simulator on 127.0.0.1: a partner added from the link a
 * refused file offers (#/partners/new?gln=…&name=…), its connection tested, its shipments pulled by
 * "Sync now", a document the partner rejects shown as a dead letter, and that dead letter dismissed
 * with a signed reason.
 */

const SELLER = withCheck('039999999999');
const GTIN = withCheck('0030001012345');
const TOKEN = 'e2e-partner-token-51c9';

let sim: PartnerSim;
test.beforeEach(async () => {
  sim = await startPartnerSim({ auth: `bearer:${TOKEN}`, jobMs: 200 });
  sim.packages.push({ gtin: GTIN, lot: 'A123', expiry: '280131', serial: 'RET0001' });
  sim.serve(
    shippingEvents(5, {
      gtin: GTIN,
      sellerGln: SELLER,
      ourGln: REGISTRANT.gln,
      startMs: Date.UTC(2026, 2, 1, 8),
    }),
  );
});
test.afterEach(async ({ page }) => {
  await page.context().close();
  await sim.close();
});

test('add a partner, test it, sync, see a dead letter and dismiss it with a signed reason', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await completeSetup(page, host);
  await addPerson(page, STAFF.tess);
  await signOut(page);
  await signIn(page, STAFF.tess);

  // The link a file refused for an unknown partner offers: the form opens filled in.
  await page.goto(
    `${host.origin}/#/partners/new?gln=${SELLER}&name=${encodeURIComponent('Keystone Wholesale')}`,
  );
  const editor = page.getByTestId('partner-editor');
  await expect(editor.getByLabel('Name', { exact: true })).toHaveValue('Keystone Wholesale');
  await expect(editor.getByLabel('GLN(s)', { exact: true })).toHaveValue(SELLER);
  await editor.getByLabel(/Authorized trading partner/).check();
  await editor
    .getByLabel('Licence or registration', { exact: true })
    .fill('PA wholesale distributor licence WD-1234');
  await editor.getByLabel('Checked at', { exact: true }).fill('PA Department of Health licence lookup');
  await editor.getByLabel('Expires', { exact: true }).fill('2027-06-30');
  await editor.getByLabel('EPCIS service address', { exact: true }).fill(sim.url);
  await editor.getByLabel('Verification service address', { exact: true }).fill(sim.url);
  await editor.getByLabel('Authentication', { exact: true }).selectOption('bearer');
  await editor.getByLabel('Token', { exact: true }).fill(TOKEN);
  await page.screenshot({ path: testInfo.outputPath('partners-add.png'), fullPage: true });
  await editor.getByRole('button', { name: 'Save partner' }).click();

  const card = page.getByTestId('partner-card').filter({ hasText: 'Keystone Wholesale' });
  await expect(card.getByTestId('partner-status')).toHaveText('Not synced yet');
  await card.getByRole('button', { name: 'Test connection' }).click();
  await expect(card.getByTestId('partner-test')).toContainText('The connection works');
  await expect(card.getByTestId('partner-test')).toContainText('EPCIS 2.0.0');

  await card.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('sync-result')).toContainText('5 new event(s) from 1 page(s)');
  await expect(card.getByTestId('partner-status')).toHaveText('Connected');
  await page.screenshot({ path: testInfo.outputPath('partners.png') });

  // A saleable return verified with the manufacturer, within the page's one-second budget.
  const verify = page.getByTestId('verify-package');
  await verify
    .getByLabel('Package barcode', { exact: true })
    .fill(`(01)${GTIN}(17)280131(10)A123(21)RET0001`);
  await verify.getByRole('button', { name: 'Verify' }).click();
  await expect(verify.getByTestId('verify-answer')).toContainText('Verified by the manufacturer');
  await verify
    .getByLabel('Package barcode', { exact: true })
    .fill(`(01)${GTIN}(17)280131(10)A123(21)NOTOURS1`);
  await verify.getByRole('button', { name: 'Verify' }).click();
  await expect(verify.getByTestId('verify-answer')).toContainText('No_match_GTIN_Serial');

  // A document the partner's capture job rejects: a dead letter with the partner's reason.
  const bad = shippingEvents(1, {
    gtin: GTIN,
    sellerGln: REGISTRANT.gln,
    ourGln: SELLER,
    startMs: Date.UTC(2026, 2, 2),
    prefix: 'OUT',
  }).map(({ eventTime: _drop, ...e }) => e);
  const sent = await call(page, 'sync.send', {
    partnerId: 1,
    name: 'Shipment 4471 to Keystone',
    document: JSON.stringify({
      '@context': [],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-03-02T00:00:00Z',
      epcisBody: { eventList: bad },
    }),
  });
  expect(sent.ok, JSON.stringify(sent.error)).toBe(true);
  await card.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('sync-result')).toContainText('1 dead letter');
  const row = page.getByTestId('outbox-item').filter({ hasText: 'Shipment 4471' });
  await expect(row).toHaveAttribute('data-state', 'dead');
  await expect(row).toContainText('rejected the document: an event lacks its type or eventTime');
  await expect(card.getByTestId('partner-counts')).toContainText('1 dead letter');
  await page.screenshot({ path: testInfo.outputPath('partners-dead-letter.png') });

  await row.getByRole('button', { name: 'Dismiss…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason', { exact: true }).fill('Sent again on paper with the corrected ship date');
  await dialog.getByLabel('Your password (electronic signature)', { exact: true }).fill(STAFF.tess.password);
  await dialog.getByRole('button', { name: 'Sign and dismiss' }).click();
  await expect(row).toHaveAttribute('data-state', 'dismissed');
  await expect(card.getByTestId('partner-counts')).toContainText('0 dead letters');

  // The dismissal is a signed ledger entry; the token is nowhere on the page.
  const entries = await call(page, 'ledger.entries', { types: ['sync.dismissed'] });
  expect(JSON.stringify(entries.value), JSON.stringify(entries)).toContain('reason: Sent again on paper');
  expect(await page.content()).not.toContain(TOKEN);
});
