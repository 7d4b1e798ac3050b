import { OXYCODONE, SUPPLIER, addProduct, csosNumber, daysAgo, recordTransaction } from './inventory-ui';
import { STAFF, addPerson, call, completeSetup, openDesk, signIn, signOut } from './people';
import { expect, test } from './host';

test('dual control: a technician’s Schedule II receipt waits, she cannot approve it, a pharmacist at another desk approves with his password, the balance posts', async ({
  page,
  browser,
  host,
}, testInfo) => {
  const shot = (p: typeof page, name: string) =>
    p.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  await completeSetup(page, host);
  await addPerson(page, STAFF.tess);
  await addPerson(page, STAFF.phil);
  await addProduct(page, host.origin, OXYCODONE);
  await signOut(page);

  // Desk 1: Tess the technician records a Schedule II receipt on a CSOS order.
  await signIn(page, STAFF.tess);
  await recordTransaction(
    page,
    host.origin,
    {
      kind: 'Receipt',
      ndc: OXYCODONE.ndc,
      lot: 'OX2401',
      containers: 5,
      date: daysAgo(1),
      fill: {
        Name: SUPPLIER.name,
        'DEA number': SUPPLIER.deaNumber,
        Address: SUPPLIER.address,
        'Order number': csosNumber(123),
      },
      select: { 'DEA order form': 'csos' },
    },
    STAFF.tess.password,
    testInfo.outputPath('dual-1-tess-signs-receipt.png'),
  );
  await expect(page.getByRole('status')).toContainText('waiting for a second person');

  // It does not post: the balance is still zero, 500 waiting.
  await page.goto(`${host.origin}/#/inventory/balances`);
  const before = (await call(page, 'inventory.balances', {})).value as { balances: { onHand: number }[] };
  expect(before.balances.every((b) => b.onHand === 0)).toBe(true);
  await shot(page, 'dual-2-balance-before.png');

  // Tess sees her own item as waiting for a second person, with no Approve button ...
  await page.goto(`${host.origin}/#/approvals`);
  const item = page.getByTestId('pending-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Initiated by Tess Technician');
  await expect(item).toContainText(csosNumber(123));
  await expect(item.getByTestId('own-item')).toBeVisible();
  await expect(item.getByRole('button', { name: 'Approve…' })).toHaveCount(0);
  await shot(page, 'dual-3-tess-cannot-approve.png');
  // ... and the core refuses her approval even when asked directly.
  const pending = (await call(page, 'approvals.pending', {})).value as {
    pending: { id: string; subjectHash: string }[];
  };
  const tx = pending.pending[0]!;
  const refused = await call(page, 'approvals.approve', {
    transactionId: tx.id,
    subjectHash: tx.subjectHash,
    password: STAFF.tess.password,
  });
  expect(refused.ok).toBe(false);
  expect(refused.error?.code).toBe('forbidden');

  // Desk 2: Phil the pharmacist, in his own browser context and session.
  const desk2 = await openDesk(browser, host);
  try {
    const phil = desk2.page;
    await signIn(phil, STAFF.phil);
    await expect(phil.getByTestId('status-user')).toContainText('Phil Pharmacist');
    await expect(page.getByTestId('status-user')).toContainText('Tess Technician');
    await phil.goto(`${host.origin}/#/approvals`);
    await phil.getByRole('button', { name: 'Approve…' }).click();
    const dialog = phil.getByRole('dialog');
    await expect(dialog.getByTestId('signature-facts')).toContainText('Phil Pharmacist');
    await expect(dialog.getByTestId('signature-facts')).toContainText('approved');
    await expect(dialog.getByTestId('signature-facts')).toContainText(tx.subjectHash);
    // What is signed, in one sentence first; the hash underneath.
    await expect(dialog.getByTestId('signing-sentence')).toContainText('You approve the receipt of');
    await expect(dialog.getByTestId('signing-sentence')).toContainText(`from ${SUPPLIER.name}`);
    await expect(dialog.getByTestId('signing-sentence')).toContainText('recorded by Tess Technician');
    // A wrong password signs nothing.
    await dialog.getByLabel('Your password (electronic signature)').fill('not my password at all');
    await dialog.getByRole('button', { name: 'Sign and approve' }).click();
    await expect(dialog.getByRole('alert')).toContainText('not correct; nothing was signed');
    // On a laptop-sized window the message is seen, not clipped below the dialog's edge.
    await expect(dialog.getByRole('alert')).toBeInViewport();
    const fits = await dialog.evaluate((d) => {
      const edge = d.getBoundingClientRect().right;
      return [...d.querySelectorAll('[role="alert"], [data-testid="signature-facts"]')].every(
        (el) => el.getBoundingClientRect().right <= edge,
      );
    });
    expect(fits).toBe(true);
    await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
    await shot(phil, 'dual-4-phil-signs-approval.png');
    await dialog.getByRole('button', { name: 'Sign and approve' }).click();
    await expect(dialog).toBeHidden();
    await expect(phil.getByTestId('approvals-empty')).toBeVisible();
    await shot(phil, 'dual-5-approved.png');
  } finally {
    await desk2.context.close();
  }

  // Back at desk 1 the balance has posted, and the transaction carries both signatures.
  await page.goto(`${host.origin}/#/inventory/balances`);
  await expect(page.getByTestId('on-hand')).toHaveText('500 tablet');
  await shot(page, 'dual-6-balance-after.png');
  await page.goto(`${host.origin}/#/inventory/transactions`);
  const row = page.getByRole('row', { name: /Receipt/ });
  await expect(row).toContainText('posted');
  await expect(row).toContainText('initiated: Tess Technician');
  await expect(row).toContainText('approved: Phil Pharmacist');
});
