import { ADMIN, REGISTRANT, completeSetup } from './people';
import { expect, test } from './host';

test('first run: registrant with DEA check digit, first administrator with the password policy, recovery kit', async ({
  page,
  host,
}, testInfo) => {
  await page.goto(host.url);
  await expect(page.locator('[data-gate="setup"]')).toBeVisible();
  // The workstation is not reachable before setup.
  await expect(page.locator('.app')).toHaveCount(0);

  // A DEA number with a wrong check digit is explained precisely, inline, before anything is sent.
  const form = page.getByRole('form', { name: 'Registrant' });
  await form.getByLabel('DEA registration number').fill('AM1234567');
  await expect(form.getByText('The check digit (character 9) is 7 but should be 3')).toBeVisible();
  await form.getByLabel('GLNs', { exact: false }).fill('0614141000006');
  await form.getByRole('button', { name: /Next/ }).click();
  await expect(form.getByText('GLN 0614141000006: the check digit is 6 but should be 5.')).toBeVisible();
  await expect(form.getByText('Two-letter state code, e.g. IL.')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('setup-0-errors.png'), fullPage: true });
  await form.getByLabel('DEA registration number').fill(REGISTRANT.deaNumber);
  await expect(form.getByText(/check digit \(character 9\)/)).toHaveCount(0);

  // The password policy is explained as the person types.
  await form.getByLabel('Registrant name').fill(REGISTRANT.name);
  await form.getByLabel('Street address').fill(REGISTRANT.line1);
  await form.getByLabel('City').fill(REGISTRANT.city);
  await form.getByLabel('State', { exact: true }).fill(REGISTRANT.state);
  await form.getByLabel('ZIP').fill(REGISTRANT.zip);
  await form.getByLabel('State license number').fill(REGISTRANT.stateLicense);
  await form.getByLabel(/GLNs/).fill(REGISTRANT.gln);
  await form.getByRole('button', { name: /Next/ }).click();
  const adminForm = page.getByRole('form', { name: 'First administrator' });
  await adminForm.getByLabel('Username').fill(ADMIN.username);
  await adminForm.getByLabel('Password', { exact: true }).fill('short');
  await expect(page.getByTestId('password-policy')).toContainText('Use at least 12 characters');
  await adminForm.getByLabel('Password', { exact: true }).fill('admin is my password');
  await expect(page.getByTestId('password-policy')).toContainText('Do not include your username');
  await page.screenshot({ path: testInfo.outputPath('setup-2-policy.png'), fullPage: true });

  // Start over from a fresh page: the helper walks the whole flow (nothing was recorded yet).
  await completeSetup(page, host, (name) => testInfo.outputPath(name));
  await page.screenshot({ path: testInfo.outputPath('setup-4-workstation.png'), fullPage: true });

  // Setup happens once; the registrant is recorded as entered.
  await page.goto(`${host.origin}/#/settings/installation`);
  await expect(page.getByTestId('registrant')).toContainText(REGISTRANT.deaNumber);
  await expect(page.getByTestId('registrant')).toContainText(REGISTRANT.gln);
  await page.reload();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(page.locator('[data-gate="setup"]')).toHaveCount(0);
});
