import { expect, test } from './host';

/**
 * Issue 20: a month to look at from the first-run screen. "Explore with demo data" loads the demo
 * month into a ledger of its own (<data>/demo), marked DEMO on every screen; its people and their
 * passwords are on the sign-in screen; leaving it is one click and the pharmacy's own ledger is
 * still not set up.
 */
test('first run: explore with demo data, sign in as a demo person, see the month, leave the demo', async ({
  page,
  host,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  await page.goto(host.url);
  await expect(page.locator('[data-gate="setup"]')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Set up this pharmacy' })).toBeVisible();
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  await shot('demo-0-first-run.png');

  await page.getByRole('button', { name: 'Explore with demo data' }).click();
  // The sign-in screen of the demo: marked DEMO, with its people and their passwords.
  await expect(page.locator('[data-gate="sign-in"]')).toBeVisible({ timeout: 30_000 });
  const banner = page.getByTestId('demo-banner');
  await expect(banner).toContainText('DEMO');
  await expect(banner).toContainText('Main Street Pharmacy, March 2026');
  const people = page.getByTestId('demo-people');
  for (const [name, password] of [
    ['paula', 'demo pharmacist march'],
    ['tom', 'demo technician march'],
    ['carmen', 'demo compliance march'],
    ['otto', 'demo auditor march'],
    ['alice', 'demo administrator march'],
  ] as const) {
    await expect(people.getByRole('row', { name: new RegExp(name) })).toContainText(password);
  }
  await shot('demo-1-sign-in.png');

  await people.getByRole('row', { name: /paula/ }).getByRole('button', { name: 'Use' }).click();
  await page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(banner).toBeVisible();
  await expect(page.getByTestId('status-user')).toContainText('Paula Reyes');
  // The dashboard shows the month's work: the partner files in, the suspect one waiting.
  await expect(page.getByTestId('files-count')).toHaveText('7 partner file(s) imported.');
  await expect(page.locator('[data-line="quarantine"]')).toContainText(
    '1 partner file or event in quarantine',
  );
  await shot('demo-2-dashboard.png');

  // The month's work: every partner file, the suspect one in quarantine.
  await page.goto(`${host.origin}/#/import/history`);
  await expect(banner).toBeVisible();
  await expect(page.getByText('2026-03-24-riverside-856.x12').first()).toBeVisible();
  await expect(page.getByText('2026-03-02-keystone-epcis.xml').first()).toBeVisible();
  await shot('demo-3-imported-files.png');
  await page.goto(`${host.origin}/#/import/quarantine`);
  await expect(page.getByText('2026-03-18-riverside-epcis.xml').first()).toBeVisible();
  await shot('demo-4-quarantine.png');
  await page.goto(`${host.origin}/#/ledger`);
  await expect(banner).toBeVisible();
  await shot('demo-5-ledger.png');

  // One click back: the pharmacy's own ledger, still waiting for its setup.
  await banner.getByRole('button', { name: 'Leave the demo' }).click();
  await expect(page.locator('[data-gate="setup"]')).toBeVisible();
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Registrant' })).toBeVisible();
  await shot('demo-6-left.png');

  // And into it again: as it was left, then afresh.
  await page.getByRole('button', { name: 'Explore with demo data' }).click();
  await expect(page.locator('[data-gate="sign-in"]')).toBeVisible();
  await page.getByRole('button', { name: 'Start the demo afresh' }).click();
  await expect(page.locator('[data-gate="sign-in"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('demo-banner')).toContainText('DEMO');
});
