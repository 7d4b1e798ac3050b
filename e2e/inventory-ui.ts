import { expect, type Page } from '@playwright/test';

export interface ProductRow {
  readonly ndc: string;
  readonly name: string;
  readonly strength: string;
  readonly dosageForm: string;
  readonly packageSize: number;
  readonly unit: string;
  /** The option label of the schedule select: II, III, IV, V. */
  readonly schedule: 'II' | 'III' | 'IV' | 'V';
}

export const OXYCODONE: ProductRow = {
  ndc: '0555-0767-02',
  name: 'Oxycodone HCl',
  strength: '5 mg',
  dosageForm: 'tablet',
  packageSize: 100,
  unit: 'tablet',
  schedule: 'II',
};

export const SUPPLIER = {
  name: 'Midwest Drug Wholesale',
  deaNumber: 'RA1234563',
  address: '2 Depot Road, Peoria, IL 61602',
};

/** A CSOS order number of this year (21 CFR 1305.21(b): 2-digit year + X + 6 characters). */
export function csosNumber(n: number, date = new Date()): string {
  return `${String(date.getFullYear()).slice(2)}X${String(n).padStart(6, '0')}`;
}

export function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export async function addProduct(page: Page, origin: string, product: ProductRow): Promise<void> {
  await page.goto(`${origin}/#/inventory/products`);
  const form = page.getByRole('form', { name: 'Add a product' });
  await form.getByLabel('Package NDC').fill(product.ndc);
  await form.getByLabel('Name').fill(product.name);
  await form.getByLabel('Strength').fill(product.strength);
  await form.getByLabel('Dosage form').fill(product.dosageForm);
  await form.getByLabel('Package size').fill(String(product.packageSize));
  await form.getByLabel('Unit').fill(product.unit);
  await form.getByLabel('DEA schedule').selectOption({ label: product.schedule });
  await form.getByRole('button', { name: 'Add product' }).click();
  await expect(page.getByRole('cell', { name: product.ndc, exact: true })).toBeVisible();
}

export type TxKind =
  | 'Receipt'
  | 'Dispensing'
  | 'Return to supplier'
  | 'Transfer'
  | 'Destruction'
  | 'Theft or loss'
  | 'Adjustment';

/** Fields by their label on the transaction form; a function for anything unusual. */
export interface TxFields {
  readonly kind: TxKind;
  readonly ndc: string;
  readonly quantity?: number;
  readonly containers?: number;
  readonly date: string;
  readonly lot?: string;
  readonly fill?: Record<string, string>;
  readonly select?: Record<string, string>;
  readonly check?: string[];
}

/** Fills the transaction form, opens the signature dialog and signs with the person's password. */
export async function recordTransaction(
  page: Page,
  origin: string,
  tx: TxFields,
  password: string,
  shot?: string,
): Promise<void> {
  if (!page.url().endsWith('#/inventory/record')) await page.goto(`${origin}/#/inventory/record`);
  const form = page.getByRole('form', { name: 'Record a transaction' });
  await form.getByRole('radio', { name: tx.kind, exact: true }).check();
  await form.getByLabel('NDC', { exact: true }).fill(tx.ndc);
  await expect(form.getByText(/ · C(II|III|IV|V) · /)).toBeVisible();
  if (tx.lot) await form.getByLabel('Lot (optional)').fill(tx.lot);
  if (tx.containers !== undefined) await form.getByLabel('Containers received').fill(String(tx.containers));
  if (tx.quantity !== undefined) await form.getByLabel(/^Quantity/).fill(String(tx.quantity));
  await form.getByLabel(/^Date( received)?$/).fill(tx.date);
  for (const [label, value] of Object.entries(tx.select ?? {}))
    await form.getByLabel(label).selectOption(value);
  for (const label of tx.check ?? []) await form.getByLabel(label).check();
  for (const [label, value] of Object.entries(tx.fill ?? {}))
    await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Review and sign…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Your password (electronic signature)').fill(password);
  if (shot) await page.screenshot({ path: shot, fullPage: true });
  await dialog.getByRole('button', { name: /^Sign and/ }).click();
  await expect(dialog).toBeHidden();
  // A refusal about a field closes the dialog and shows the message at the field instead.
  await expect(form.locator('.field-error')).toHaveCount(0);
  await expect(
    page
      .getByRole('status')
      .getByText(/recorded|posted/)
      .last(),
  ).toBeVisible();
}

/** Approves every pending item this person may approve, each with a fresh electronic signature. */
export async function approveAll(page: Page, origin: string, password: string): Promise<number> {
  // Through another area, so the Approvals page mounts afresh and asks the core again.
  await page.goto(`${origin}/#/dashboard`);
  await page.goto(`${origin}/#/approvals`);
  let approved = 0;
  for (;;) {
    await expect(
      page.getByTestId('pending-item').or(page.getByTestId('approvals-empty')).first(),
    ).toBeVisible();
    const button = page.getByRole('button', { name: 'Approve…' }).first();
    if ((await button.count()) === 0) return approved;
    await button.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Your password (electronic signature)').fill(password);
    await dialog.getByRole('button', { name: 'Sign and approve' }).click();
    await expect(dialog).toBeHidden();
    approved++;
  }
}
