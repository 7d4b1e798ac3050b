import { expect, test } from './host';
import { addProduct, daysAgo, SUPPLIER, type ProductRow } from './inventory-ui';
import { STAFF, addPerson, call, completeSetup, signIn, signOut } from './people';

const ALPRAZOLAM: ProductRow = {
  ndc: '0093-0058-01',
  name: 'Alprazolam',
  strength: '0.5 mg',
  dosageForm: 'Tablet',
  packageSize: 1000,
  unit: 'tablet',
  schedule: 'IV',
};
const LYRICA: ProductRow = {
  ndc: '0071-1013-68',
  name: 'Lyrica',
  strength: '75 mg',
  dosageForm: 'Capsule',
  packageSize: 90,
  unit: 'capsule',
  schedule: 'V',
};

test('a theft or loss is reported for Form 106 with its deadlines, a destruction of two NDCs is witnessed by two people for Form 41, and both forms come from the Reports page', async ({
  page,
  host,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  await completeSetup(page, host);
  await addPerson(page, STAFF.tess);
  await addPerson(page, STAFF.phil);
  await addPerson(page, STAFF.pia);
  await addProduct(page, host.origin, ALPRAZOLAM);
  await addProduct(page, host.origin, LYRICA);
  await signOut(page);
  await signIn(page, STAFF.phil);
  for (const [product, containers] of [
    [ALPRAZOLAM, 2],
    [LYRICA, 3],
  ] as const) {
    const received = await call(page, 'inventory.record', {
      transaction: {
        kind: 'receipt',
        ndc: product.ndc,
        quantity: containers * product.packageSize,
        containers,
        date: daysAgo(3),
        supplier: { ...SUPPLIER, address: '9 Depot Road, Peoria, IL 61602' },
      },
      password: STAFF.phil.password,
    });
    expect(received.ok).toBe(true);
  }

  // Form 106: the incident with two NDCs, police report, value, county.
  await page.goto(`${host.origin}/#/inventory/theft-loss`);
  const form = page.getByRole('form', { name: 'Report a theft or significant loss' });
  await form.getByLabel('Type of theft or loss').selectOption('break-in-burglary');
  await form.getByLabel('Discovered on').fill(daysAgo(0));
  await form.getByLabel('NDC, line 1').fill(ALPRAZOLAM.ndc);
  await form.getByLabel('Quantity lost (tablet)').fill('120');
  await form.getByRole('button', { name: 'Add another NDC' }).click();
  await form.getByLabel('NDC, line 2').fill(LYRICA.ndc);
  await form.getByLabel('Quantity lost (capsule)').fill('45');
  await form.getByLabel('What happened').fill('Back door forced overnight; two shelves emptied.');
  await form.getByLabel('Police department').fill('Springfield Police Department');
  await form.getByLabel('Police phone').fill('217-555-0199');
  await form.getByLabel('Police report number').fill('SPD-26-0042');
  await form.getByLabel('Value (what the pharmacy paid, $)').fill('96.40');
  await form.getByLabel('County of the pharmacy').fill('Sangamon');
  await form.getByLabel('Security measures taken').fill('Steel door fitted; alarm contact added.');
  await shot('disposals-1-form-106.png');
  await form.getByRole('button', { name: 'Review and sign…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
  await dialog.getByRole('button', { name: 'Sign and record' }).click();
  await expect(dialog).toBeHidden();
  const incidents = page.getByRole('table', { name: 'Theft and loss incidents' });
  await expect(incidents).toContainText('Alprazolam 0.5 mg × 120; Lyrica 75 mg × 45');
  await expect(incidents).toContainText('due by');
  await shot('disposals-2-incident-listed.png');

  // Form 41: two NDCs, full packages and a partial count, two different witnesses.
  await page.goto(`${host.origin}/#/inventory/destructions`);
  const d = page.getByRole('form', { name: 'Record a destruction' });
  await d.getByLabel('Method of destruction').fill('Denatured on site with a chemical kit');
  await d.getByLabel('Location or business name').fill('Maple Street Pharmacy');
  await d.getByLabel('Address').fill('12 Maple Street, Springfield, IL 62701');
  await d.getByLabel('NDC, line 1').fill(LYRICA.ndc);
  await d.getByLabel('Full packages').fill('1');
  await d.getByLabel('Partial count').fill('12');
  await expect(d.getByLabel('Total destroyed (capsule)')).toHaveValue('102');
  await d.getByRole('button', { name: 'Add another NDC' }).click();
  await d.getByLabel('NDC, line 2').fill(ALPRAZOLAM.ndc);
  await d.getByLabel('Partial count').nth(1).fill('83');
  await d.getByLabel('First witness: username').fill(STAFF.tess.username);
  await d.getByLabel('First witness: password').fill(STAFF.tess.password);
  await d.getByLabel('Second witness: username').fill(STAFF.tess.username);
  await d.getByLabel('Second witness: password').fill(STAFF.tess.password);
  await d.getByRole('button', { name: 'Review and sign…' }).click();
  await expect(d.getByText('Two different employees must witness')).toBeVisible();
  await d.getByLabel('Second witness: username').fill(STAFF.pia.username);
  await d.getByLabel('Second witness: password').fill(STAFF.pia.password);
  await shot('disposals-3-form-41.png');
  await d.getByRole('button', { name: 'Review and sign…' }).click();
  await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
  await dialog.getByRole('button', { name: 'Sign and record' }).click();
  await expect(dialog).toBeHidden();
  const destructions = page.getByRole('table', { name: 'Destructions (Form 41)' });
  await expect(destructions).toContainText('Tess Technician, Pia Pharmacist');
  await shot('disposals-4-destruction-listed.png');

  // The Reports page offers the four DEA kinds; Form 41 previews from the destruction's id.
  const listed = (await call(page, 'disposals.destructions', {})).value as { destructions: { id: string }[] };
  await page.goto(`${host.origin}/#/reports`);
  for (const kind of ['dea-106', 'dea-41', 'biennial-inventory', 'cs-log'])
    await expect(page.getByTestId(`kind-${kind}`)).toBeVisible();
  await page.getByTestId('kind-dea-41').check();
  await page.getByTestId('param-id').fill(listed.destructions[0]!.id);
  await page.getByTestId('report-preview').click();
  const sheet = page.getByTestId('report-preview-sheet');
  await expect(sheet).toContainText('B. Item destroyed — (1) Inventory');
  await expect(sheet).toContainText('102 Capsules');
  await shot('disposals-5-form-41-preview.png');
  await page.getByTestId('kind-cs-log').check();
  await page.getByTestId('report-preview').click();
  await expect(sheet).toContainText('only the prescription number is kept here');
  await shot('disposals-6-cs-log-preview.png');
});
