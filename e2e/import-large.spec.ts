import fs from 'node:fs';
import path from 'node:path';
import { writeBigEpcis } from '../test/host/big-epcis';
import { expect, test } from './host';
import { addPerson, completeSetup, signIn, signOut, STAFF } from './people';

/*
 * A partner file larger than the host's 8 MiB call limit, dropped on the Import page in the browser:
 * it streams to the host (PUT /uploads), not base64 inside the call, and imports whole.
 */

// The page's event stream reconnects while the host shuts down and can hold it open: close the browser side first.
test.afterEach(async ({ page }) => page.context().close());

test('a 10 MB EPCIS file dropped in the browser streams to the host and imports', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(120_000);
  const file = testInfo.outputPath('wholesaler-march.xml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { bytes, events } = writeBigEpcis(file, 10 * 1024 * 1024);
  expect(bytes).toBeGreaterThan(8 * 1024 * 1024);

  await completeSetup(page, host);
  await addPerson(page, STAFF.phil);
  await signOut(page);
  await signIn(page, STAFF.phil);
  await page.goto(`${host.origin}/#/import`);
  await expect(page.getByRole('heading', { level: 1, name: 'Import & Quarantine' })).toBeVisible();

  const text = fs.readFileSync(file, 'utf8');
  const dataTransfer = await page.evaluateHandle(
    ([name, content]) => {
      // Runs in the page; the e2e type-check has Node's globals, not the DOM's.
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: File): void } };
      };
      const transfer = new dom.DataTransfer();
      transfer.items.add(new File([content], name, { type: 'application/xml' }));
      return transfer;
    },
    ['wholesaler-march.xml', text] as const,
  );
  const calls: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(host.origin))
      calls.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  const uploaded = page.waitForResponse(
    (response) => response.url() === `${host.origin}/uploads` && response.request().method() === 'PUT',
  );
  // A slow link (4 MB/s up), so the upload's progress can be seen.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 4 * 1024 * 1024,
  });
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
  const row = page.getByTestId('import-file').filter({ hasText: 'wholesaler-march.xml' });
  const bar = row.getByRole('progressbar', { name: 'Uploading wholesaler-march.xml' });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('max', String(bytes));
  // The bar moves while the bytes go (a part sent, not yet all).
  // In megabytes, with an estimate of the time left once the rate is known (issue 19).
  await expect(row).toContainText(
    /Uploading wholesaler-march\.xml — [\d.,]+ [KM]B of [\d.,]+ MB \([1-9]\d?%\)/,
  );
  await page.screenshot({ path: testInfo.outputPath('import-large-uploading.png'), fullPage: true });
  expect((await uploaded).status()).toBe(200);
  await expect(row.getByTestId('import-status')).toHaveText('Imported', { timeout: 90_000 });
  await expect(row.getByTestId('import-outcome')).toContainText(
    `${events.toLocaleString('en-US')} event(s) added`,
  );
  await expect(row).not.toContainText('can be sent from this window');
  await page.screenshot({ path: testInfo.outputPath('import-large.png'), fullPage: true });

  expect(calls.filter((c) => c === 'PUT /uploads')).toHaveLength(1);
  expect(calls.filter((c) => c === 'POST /api/call').length).toBeGreaterThan(0);
  // Nothing of the file is left waiting in the host's data folder.
  const tmp = path.join(host.dataDir, 'tmp');
  const waiting = () =>
    fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((n) => n.startsWith('upload-')) : [];
  expect(waiting()).toEqual([]);

  // Cancel while the bytes are still going (1 MB/s: ten seconds of them): the upload stops and the
  // host keeps none of it.
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 1024 * 1024,
  });
  await page.getByLabel('Files to import').setInputFiles(file);
  const second = page.getByTestId('import-file').first();
  await expect(second.getByRole('progressbar', { name: 'Uploading wholesaler-march.xml' })).toBeVisible();
  await expect.poll(waiting).toHaveLength(1);
  await second.getByRole('button', { name: 'Cancel' }).click();
  await expect(second.getByTestId('import-status')).toHaveText('Not imported');
  await expect(second).toContainText('was cancelled; nothing was kept');
  await expect.poll(waiting).toEqual([]);
});
