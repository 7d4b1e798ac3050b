import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import { expect, test } from './host';
import { completeSetup, signIn, signOut, ADMIN } from './people';

/**
 * Issue 17 in the browser: an administrator chooses the backup folder and backs up from Settings;
 * then the keychain's copy of the latest checkpoint disappears while serve runs, so nothing shows
 * any longer that the ledger was not rolled back: the next write is refused, the ledger turns
 * read-only, and every page says so with the ways on, while people can still sign in.
 */
test('backups from Settings; a missing checkpoint copy turns the ledger read-only, every page says so', async ({
  page,
  host,
}, testInfo) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await completeSetup(page, host);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-e2e-backups-'));
  try {
    await page.goto(`${host.origin}/#/settings/backups`);
    await page.getByLabel('Backup folder').fill(folder);
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(page.getByTestId('backups')).toContainText(folder);
    await page.screenshot({ path: testInfo.outputPath('settings-backups.png'), fullPage: true });
    expect(fs.readdirSync(folder).some((n) => n.endsWith('.checkpoint'))).toBe(true);

    const { installId } = JSON.parse(
      fs.readFileSync(path.join(host.dataDir, 'installation.json'), 'utf8'),
    ) as {
      installId: string;
    };
    expect(await keytar.deletePassword('Custodia', `${installId}/ledger-checkpoint`)).toBe(true);

    // The next write (a sign-out is recorded) finds the copy gone: an alarm, never silence.
    await signOut(page);
    await signIn(page, ADMIN);
    await page.goto(`${host.origin}/#/dashboard`);
    await page.reload();
    const banner = page.getByTestId('ledger-alarm-banner');
    await expect(banner).toContainText('the ledger is read-only');
    await expect(banner).toContainText('copy of the latest checkpoint');
    await expect(banner).toContainText('restore the latest backup');
    await expect(page.getByTestId('status-ledger')).toContainText('ALARM');
    await page.screenshot({ path: testInfo.outputPath('alarm-banner-dashboard.png'), fullPage: true });
    await page.goto(`${host.origin}/#/ledger`);
    await expect(banner).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('alarm-banner-ledger.png'), fullPage: true });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
