import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { RunningHost } from './host';

/** The pharmacy every people/inventory test sets up (DEA check digit: 1+3+5 + 2×(2+4+6) = 33 → 3). */
export const REGISTRANT = {
  name: 'Maple Street Pharmacy',
  line1: '12 Maple Street',
  city: 'Springfield',
  state: 'IL',
  zip: '62701',
  deaNumber: 'AM1234563',
  stateLicense: 'IL-PH-0042',
  gln: '0614141000005',
};

export const ADMIN = {
  username: 'admin',
  displayName: 'Alex Admin',
  password: 'correct horse battery staple',
};
export const KIT_PASSPHRASE = 'maple street recovery kit 2026';

export interface Person {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly roles: readonly string[];
}

export const STAFF = {
  tess: {
    username: 'tess',
    displayName: 'Tess Technician',
    password: 'counting pills all day',
    roles: ['technician'],
  },
  phil: {
    username: 'phil',
    displayName: 'Phil Pharmacist',
    password: 'checks the orders twice',
    roles: ['pharmacist'],
  },
  pia: {
    username: 'pia',
    displayName: 'Pia Pharmacist',
    password: 'witnesses every destruction',
    roles: ['pharmacist'],
  },
  cora: {
    username: 'cora',
    displayName: 'Cora Compliance',
    password: 'signs off every count',
    roles: ['compliance-officer'],
  },
} satisfies Record<string, Person>;

/**
 * The first-run flow through the UI: registrant, first administrator, recovery kit. Leaves the
 * administrator signed in on the workstation. `shots` saves a screenshot per step.
 */
export async function completeSetup(
  page: Page,
  host: RunningHost,
  shots?: (name: string) => string,
): Promise<void> {
  await page.goto(host.url);
  await expect(page.locator('[data-gate="setup"]')).toBeVisible();
  const form = page.getByRole('form', { name: 'Registrant' });
  await form.getByLabel('Registrant name').fill(REGISTRANT.name);
  await form.getByLabel('Street address').fill(REGISTRANT.line1);
  await form.getByLabel('City').fill(REGISTRANT.city);
  await form.getByLabel('State', { exact: true }).fill(REGISTRANT.state);
  await form.getByLabel('ZIP').fill(REGISTRANT.zip);
  await form.getByLabel('DEA registration number').fill(REGISTRANT.deaNumber);
  await form.getByLabel('State license number').fill(REGISTRANT.stateLicense);
  await form.getByLabel(/GLNs/).fill(REGISTRANT.gln);
  if (shots) await page.screenshot({ path: shots('setup-1-registrant.png'), fullPage: true });
  await form.getByRole('button', { name: /Next/ }).click();

  const adminForm = page.getByRole('form', { name: 'First administrator' });
  await adminForm.getByLabel('Username').fill(ADMIN.username);
  await adminForm.getByLabel('Printed name').fill(ADMIN.displayName);
  await adminForm.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await adminForm.getByLabel('Password again').fill(ADMIN.password);
  await expect(page.getByText('This password meets the policy.')).toBeVisible();
  if (shots) await page.screenshot({ path: shots('setup-2-administrator.png'), fullPage: true });
  await adminForm.getByRole('button', { name: /Record registrant/ }).click();

  await expect(page.getByRole('heading', { name: 'Recovery kit' })).toBeVisible();
  await page.getByLabel('Passphrase for the kit').fill(KIT_PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(KIT_PASSPHRASE);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Make and download/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^custodia-recovery-kit-.*\.json$/);
  await expect(page.getByTestId('kit-downloaded')).toBeVisible();
  if (shots) await page.screenshot({ path: shots('setup-3-recovery-kit.png'), fullPage: true });
  await page.getByLabel(/I have saved the recovery kit/).check();
  await page.getByRole('button', { name: /I have saved it/ }).click();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(page.getByTestId('status-user')).toContainText(ADMIN.displayName);
}

export async function signIn(page: Page, person: { username: string; password: string }): Promise<void> {
  await expect(page.locator('[data-gate="sign-in"]')).toBeVisible();
  await page.getByLabel('Username').fill(person.username);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('[data-gate="sign-in"]')).toBeVisible();
}

/** An administrator adds a person through Settings → People and roles. */
export async function addPerson(page: Page, person: Person): Promise<void> {
  await page.goto(new URL('/#/settings/people', page.url()).toString());
  const form = page.getByRole('form', { name: 'Add a person' });
  await form.getByLabel('Username').fill(person.username);
  await form.getByLabel('Printed name').fill(person.displayName);
  for (const label of ['Technician', 'Pharmacist', 'Compliance officer', 'Auditor', 'Administrator']) {
    const box = form.getByRole('checkbox', { name: label, exact: true });
    const wanted = person.roles.includes(label.toLowerCase().replace(' ', '-'));
    if ((await box.isChecked()) !== wanted) await box.setChecked(wanted);
  }
  await form.getByLabel('Initial password').fill(person.password);
  await expect(form.getByText('This password meets the policy.')).toBeVisible();
  await form.getByRole('button', { name: 'Add person' }).click();
  await expect(page.getByRole('cell', { name: person.displayName, exact: true })).toBeVisible();
}

/** A second browser context on the same host: another person at another desk, with their own session. */
export async function openDesk(
  browser: Browser,
  host: RunningHost,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(host.url);
  return { context, page };
}

/** Calls the API from inside the page over its own cookie session, exactly as the UI does. */
export interface CallResult {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export async function call(page: Page, method: string, input: unknown): Promise<CallResult> {
  return page.evaluate(
    async ([m, i]): Promise<CallResult> => {
      const response = await fetch('/api/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: m, input: i }),
      });
      return (await response.json()) as CallResult;
    },
    [method, input] as const,
  );
}
