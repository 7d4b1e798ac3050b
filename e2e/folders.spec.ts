import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  drugGtin,
  epcisDocument,
  events as ev,
  sgtin,
  withCheck,
  type SynthProduct,
  SAMPLE_PRODUCT,
} from '../test/support/synthetic';
import { expect, test } from './host';
import { addPerson, ADMIN, completeSetup, signIn, signOut, STAFF } from './people';

/*
 * A folder a partner portal downloads into, watched from the Import page of the real host: added by
 * typing its path, a file written there is imported by "Scan now"; a file still being written waits
 * and is taken by the core's own timer once it stops changing, which the page announces. The
 * partner's files stay where they are.
 */

const MFG = withCheck('030001111111');
const GTIN = drugGtin('0001012345');
const PRODUCT: SynthProduct = { ...SAMPLE_PRODUCT, gtin: GTIN };
const commissioning = (serial: string) =>
  epcisDocument(
    [
      ev.commission([sgtin(GTIN, serial)], {
        time: new Date(Date.UTC(2026, 2, 1, 8)).toISOString(),
        location: MFG,
        lot: `L-${serial}`,
      }),
    ],
    { products: [PRODUCT] },
  );

// The page's event stream reconnects while the host shuts down and can hold it open: close the browser side first.
test.afterEach(async ({ page }) => page.context().close());

test('a watched folder: added by path, a file imported by Scan now, a file still being written taken once it settles', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(120_000);
  const portal = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-e2e-portal-'));
  try {
    await completeSetup(page, host);
    await addPerson(page, STAFF.tess);
    // Only an administrator adds a watched folder (issue 18): it reads what the workstation can read.
    await page.goto(`${host.origin}/#/import`);
    const panel = page.getByTestId('watched-folders');
    await expect(panel.getByRole('heading', { name: 'Watched folders' })).toBeVisible();
    await expect(panel).toContainText('No folder is watched yet');

    // A path that is not a folder is refused with what to do.
    const form = panel.getByRole('form', { name: 'Watch a folder' });
    await form.getByLabel('Folder path').fill(path.join(portal, 'not-there'));
    await form.getByRole('button', { name: 'Watch this folder' }).click();
    await expect(form.getByRole('alert')).toContainText('There is no folder');

    await form.getByLabel('Folder path').fill(portal);
    await form.getByLabel('Name (optional)').fill('Wholesaler portal');
    await form.getByRole('button', { name: 'Watch this folder' }).click();
    const card = panel.getByTestId('watched-folder').filter({ hasText: 'Wholesaler portal' });
    await expect(card).toContainText(portal);
    // The core's own timer (every 30 s) may have looked already on a slow machine.
    await expect(card.getByTestId('watched-folder-status')).toHaveText(/^(Not scanned yet|Watching)$/);
    await expect(card).toContainText(ADMIN.displayName);

    // The technician scans; the page says who added the folder and offers her no form to add one.
    await signOut(page);
    await signIn(page, STAFF.tess);
    await page.goto(`${host.origin}/#/import`);
    await expect(card).toContainText(ADMIN.displayName);
    await expect(panel.getByTestId('watched-folders-admin-only')).toContainText('Only an administrator');
    await expect(panel.getByRole('form', { name: 'Watch a folder' })).toHaveCount(0);

    // A complete file (downloaded a while ago): imported at once.
    const done = path.join(portal, 'asn-0001.xml');
    fs.writeFileSync(done, commissioning('A0001'));
    const past = new Date(Date.now() - 10 * 60_000);
    fs.utimesSync(done, past, past);
    await card.getByRole('button', { name: 'Scan now' }).click();
    await expect(card.getByTestId('watched-folder-counts')).toContainText('1 imported, 0 in quarantine');
    await expect(card.getByTestId('watched-folder-status')).toHaveText('Watching');
    await card.getByText('Latest files').click();
    await expect(card.getByTestId('watched-file').filter({ hasText: 'asn-0001.xml' })).toContainText(
      'Imported',
    );
    await page.screenshot({ path: testInfo.outputPath('watched-folder-imported.png'), fullPage: true });

    // A file that just appeared may still be downloading: it waits, and the core takes it by itself
    // once its size and time have held (a few seconds).
    fs.writeFileSync(path.join(portal, 'asn-0002.xml'), commissioning('A0002'));
    await card.getByRole('button', { name: 'Scan now' }).click();
    await expect(card.getByTestId('watched-folder-counts')).toContainText('waiting until they stop changing');
    // The page says so; it reloads the list only when asked (calls would keep the session from locking).
    const news = panel.getByTestId('watched-news');
    await expect(news).toContainText('Watched folders: 1 file(s) imported', { timeout: 30_000 });
    await news.getByRole('button', { name: 'Refresh the list' }).click();
    await expect(news).toBeHidden();
    await expect(card.getByTestId('watched-folder-counts')).toContainText('2 imported, 0 in quarantine');

    // The imports are in the ledger's list of imported files, and the partner's files are untouched.
    await page.goto(`${host.origin}/#/import/history`);
    await expect(page.getByRole('cell', { name: 'asn-0001.xml' })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'asn-0002.xml' })).toBeVisible();
    expect(fs.readdirSync(portal).sort()).toEqual(['asn-0001.xml', 'asn-0002.xml']);
  } finally {
    fs.rmSync(portal, { recursive: true, force: true });
  }
});
