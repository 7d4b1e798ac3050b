import { ADMIN, STAFF, addPerson, completeSetup, signIn, signOut } from './people';
import { expect, test } from './host';

test('sign-in per person: wrong password, lock and unlock, lockout after repeated failures, an administrator lifts it', async ({
  page,
  host,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  await completeSetup(page, host);
  await addPerson(page, STAFF.tess);
  await signOut(page);
  await expect(page.getByTestId('status-user')).toHaveCount(0);
  await shot('auth-1-sign-in.png');

  // A wrong password is refused without saying which half was wrong.
  await page.getByLabel('Username').fill(STAFF.tess.username);
  await page.getByLabel('Password').fill('not her password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in-error')).toContainText('The username or password is not correct');
  await shot('auth-2-wrong-password.png');
  await page.getByLabel('Password').fill(STAFF.tess.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(page.getByTestId('status-user')).toContainText('Signed in: Tess Technician (Technician)');

  // Lock now from the status bar; only Tess's password reopens it.
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.locator('[data-gate="locked"]')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Workstation locked' })).toBeVisible();
  await shot('auth-3-locked.png');
  await page.getByLabel('Password for Tess Technician').fill('wrong again, sorry');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('not correct');
  await page.getByLabel('Password for Tess Technician').fill(STAFF.tess.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await signOut(page);

  // Five wrong passwords lock the account (the default policy); then even the right one is refused.
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Username').fill(STAFF.tess.username);
    await page.getByLabel('Password').fill(`guess number ${i} wrong`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId(i < 4 ? 'sign-in-error' : 'sign-in-locked')).toBeVisible();
  }
  await page.getByLabel('Username').fill(STAFF.tess.username);
  await page.getByLabel('Password').fill(STAFF.tess.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in-locked')).toContainText(
    'The account of Tess Technician is locked after repeated wrong passwords',
  );
  await shot('auth-4-lockout.png');

  // The administrator sees the lock and lifts it; Tess signs in again.
  await signIn(page, ADMIN);
  await page.goto(`${host.origin}/#/settings/people`);
  const row = page.getByRole('row', { name: /tess/ });
  await expect(row).toContainText('locked until');
  await row.getByRole('button', { name: 'Edit…' }).click();
  await page.getByRole('button', { name: 'Lift lockout' }).click();
  await expect(row).toContainText('active');
  await signOut(page);
  await signIn(page, STAFF.tess);
});

test('the workstation locks itself after the configured idle time', async ({ page, host }, testInfo) => {
  await page.clock.install();
  await completeSetup(page, host);
  // An administrator shortens the idle lock to 2 minutes.
  await page.goto(`${host.origin}/#/settings/workstation`);
  await page.getByLabel('Lock after idle (minutes)').fill('2');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await page.clock.fastForward('01:30');
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await page.clock.fastForward('00:45');
  await expect(page.locator('[data-gate="locked"]')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('idle-locked.png'), fullPage: true });
  await page.getByLabel(`Password for ${ADMIN.displayName}`).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
});
