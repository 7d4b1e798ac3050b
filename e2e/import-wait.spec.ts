import fs from 'node:fs';
import path from 'node:path';
import { writeBigEpcis } from '../test/host/big-epcis';
import { expect, test } from './host';
import { addPerson, completeSetup, signIn, signOut, STAFF } from './people';
import { withCheck } from '../test/support/synthetic';

/*
 * Issue 16: a partner file imports as one transaction, so a scan at the receiving station waits for
 * it to commit. The station says which file it waits for, how far it has come and about how long is
 * left, then records the scan when the file is in.
 */

test.afterEach(async ({ page }) => page.context().close());

test('a scan during a large import says which file it waits for and how long, then is recorded', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(600_000);
  const file = testInfo.outputPath('wholesaler-april.xml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeBigEpcis(file, 48 * 1024 * 1024);

  await completeSetup(page, host);
  await addPerson(page, STAFF.phil);
  await signOut(page);
  await signIn(page, STAFF.phil);

  // The receiving session is opened first (opening one is a write, which would wait too).
  await page.goto(`${host.origin}/#/receiving`);
  await page.getByRole('button', { name: 'Receive without choosing a shipment' }).click();
  await expect(page.getByTestId('scan-input')).toBeFocused();

  // Meanwhile the wholesaler's month is imported by the same person from another program (the
  // host's API, as the Import page sends it: the file streamed to PUT /uploads, then ingest.import).
  // Not from a second tab: the browser's six connections to one host would then be held by calls
  // that wait for the import, and the station's questions could not reach the host.
  const staged = await page.request.put(`${host.origin}/uploads`, {
    headers: { 'content-type': 'application/octet-stream', 'x-custodia-file-name': 'wholesaler-april.xml' },
    data: fs.readFileSync(file),
  });
  expect(staged.ok()).toBe(true);
  const upload = ((await staged.json()) as { value: { upload: string } }).value.upload;
  const imported = page.request.post(`${host.origin}/api/call`, {
    data: { method: 'ingest.import', input: { files: [{ upload, name: 'wholesaler-april.xml' }] } },
    timeout: 500_000,
  });

  await page.bringToFront();
  await page.getByTestId('scan-input').focus();
  await page.keyboard.type(`]C100${withCheck('00300019999999999')}`);
  await page.keyboard.press('Enter');

  const waiting = page.getByTestId('scan-waiting');
  await expect(waiting).toBeVisible();
  // The station asks every second; a loaded host may take a while to answer.
  await expect(waiting).toContainText('wholesaler-april.xml', { timeout: 120_000 });
  await expect(waiting).toContainText(/events checked/);
  await expect(waiting).toContainText(/The scan is recorded in about \d+ (s|min)/, { timeout: 120_000 });
  await page.screenshot({ path: testInfo.outputPath('scan-waiting-for-import.png') });

  // When the file is in, the scan is recorded and its verdict shows.
  await expect(page.getByTestId('scan-verdict')).toHaveAttribute('data-kind', 'no-data-received', {
    timeout: 240_000,
  });
  await expect(waiting).toBeHidden();
  const answer = (await (await imported).json()) as { ok: boolean; value: { results: { status: string }[] } };
  expect(answer.ok && answer.value.results[0]!.status).toBe('imported');
});
