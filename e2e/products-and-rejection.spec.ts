import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPPLIER, csosNumber, daysAgo, recordTransaction } from './inventory-ui';
import { STAFF, addPerson, completeSetup, openDesk, signIn, signOut } from './people';
import { expect, test } from './host';

// The FDA NDC directory fixture the inventory core tests use (test/fixtures/ndc/SOURCES.md).
const NDC_FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'ndc',
);

test('the product master loads the FDA NDC directory; a pharmacist rejects a Schedule II receipt with a reason and nothing posts', async ({
  page,
  browser,
  host,
}, testInfo) => {
  await completeSetup(page, host);
  await addPerson(page, STAFF.tess);
  await addPerson(page, STAFF.phil);

  await page.goto(`${host.origin}/#/inventory/products`);
  const form = page.getByRole('form', { name: 'Import the FDA NDC directory' });
  await form.getByLabel('product.txt').setInputFiles(path.join(NDC_FIXTURES, 'product.txt'));
  await form.getByLabel('package.txt (recommended)').setInputFiles(path.join(NDC_FIXTURES, 'package.txt'));
  await form.getByLabel('Only products with a DEA schedule').uncheck();
  await form.getByRole('button', { name: 'Import' }).click();
  const result = page.getByTestId('ndc-import-result');
  await expect(result).toContainText(/\d+ added, 0 already present, \d+ skipped\./);
  await expect(result).toContainText('product.txt line 8');
  await page.screenshot({ path: testInfo.outputPath('products-import.png'), fullPage: true });
  // The Schedule II oral solution came with its package size from package.txt.
  await page.getByLabel('Search NDC or name').fill('99990-202-16');
  await expect(page.getByRole('row', { name: /99990-0202-16/ })).toContainText('500 ml');
  await signOut(page);

  await signIn(page, STAFF.tess);
  await recordTransaction(
    page,
    host.origin,
    {
      kind: 'Receipt',
      ndc: '99990-202-16',
      containers: 2,
      date: daysAgo(2),
      fill: {
        Name: SUPPLIER.name,
        'DEA number': SUPPLIER.deaNumber,
        Address: SUPPLIER.address,
        'Order number': csosNumber(77),
      },
    },
    STAFF.tess.password,
  );

  const desk2 = await openDesk(browser, host);
  try {
    const phil = desk2.page;
    await signIn(phil, STAFF.phil);
    await phil.goto(`${host.origin}/#/approvals`);
    await phil.getByRole('button', { name: 'Reject…' }).click();
    const dialog = phil.getByRole('dialog');
    await expect(dialog.getByTestId('signature-facts')).toContainText('rejected');
    await expect(dialog.getByRole('button', { name: 'Sign and reject' })).toBeDisabled();
    await dialog.getByLabel(/Reason for rejecting/).fill('Two bottles on the invoice, only one in the tote.');
    await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
    await phil.screenshot({ path: testInfo.outputPath('reject-dialog.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Sign and reject' }).click();
    await expect(dialog).toBeHidden();
    await expect(phil.getByTestId('approvals-empty')).toBeVisible();
  } finally {
    await desk2.context.close();
  }

  await page.goto(`${host.origin}/#/inventory/transactions`);
  const row = page.getByRole('row', { name: /Receipt/ });
  await expect(row).toContainText('rejected');
  await expect(row).toContainText(
    'rejected: Phil Pharmacist (Two bottles on the invoice, only one in the tote.)',
  );
  await page.goto(`${host.origin}/#/inventory/balances`);
  await expect(page.getByRole('row', { name: /99990-202-16/ }).getByTestId('on-hand')).toHaveText('0 ml');
});
