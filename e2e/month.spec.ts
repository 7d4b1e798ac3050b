import {
  OXYCODONE,
  SUPPLIER,
  addProduct,
  approveAll,
  csosNumber,
  daysAgo,
  recordTransaction,
  type ProductRow,
  type TxFields,
} from './inventory-ui';
import { STAFF, addPerson, call, completeSetup, openDesk, signIn, signOut } from './people';
import { expect, test } from './host';

const CODEINE: ProductRow = {
  ndc: '0093-0150-01',
  name: 'Acetaminophen and codeine phosphate',
  strength: '300 mg/30 mg',
  dosageForm: 'tablet',
  packageSize: 100,
  unit: 'tablet',
  schedule: 'III',
};
const ALPRAZOLAM: ProductRow = {
  ndc: '0228-2029-10',
  name: 'Alprazolam',
  strength: '0.5 mg',
  dosageForm: 'tablet',
  packageSize: 100,
  unit: 'tablet',
  schedule: 'IV',
};
const PREGABALIN: ProductRow = {
  ndc: '0071-1015-68',
  name: 'Pregabalin',
  strength: '75 mg',
  dosageForm: 'capsule',
  packageSize: 90,
  unit: 'capsule',
  schedule: 'V',
};
const OTHER_PHARMACY = { name: 'Oak Avenue Pharmacy', deaNumber: 'BO1234563' };

test('a month of Schedule II–V activity through the UI: receipts, dispensing, return, transfer, destruction, theft, adjustment, counts, Form 106, initial inventory', async ({
  page,
  browser,
  host,
}, testInfo) => {
  test.setTimeout(300_000);
  const shot = (p: typeof page, name: string) =>
    p.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  await completeSetup(page, host);
  for (const person of [STAFF.tess, STAFF.phil, STAFF.pia, STAFF.cora]) await addPerson(page, person);
  for (const product of [OXYCODONE, CODEINE, ALPRAZOLAM, PREGABALIN])
    await addProduct(page, host.origin, product);
  await signOut(page);

  await signIn(page, STAFF.tess);
  const desk2 = await openDesk(browser, host);
  const phil = desk2.page;
  await signIn(phil, STAFF.phil);
  const record = (tx: TxFields) => recordTransaction(page, host.origin, tx, STAFF.tess.password);
  const supplier = { Name: SUPPLIER.name, 'DEA number': SUPPLIER.deaNumber };
  // A receipt keeps the supplier's address (21 CFR 1304.22(c)); a return does not ask for it.
  const receivedFrom = { ...supplier, Address: SUPPLIER.address };

  try {
    // Week 1: the month's stock arrives (Schedule II on a CSOS order).
    await record({
      kind: 'Receipt',
      ndc: OXYCODONE.ndc,
      lot: 'OX2401',
      containers: 10,
      date: daysAgo(28),
      fill: { ...receivedFrom, 'Order number': csosNumber(1) },
    });
    await record({ kind: 'Receipt', ndc: CODEINE.ndc, containers: 5, date: daysAgo(28), fill: receivedFrom });
    await record({
      kind: 'Receipt',
      ndc: ALPRAZOLAM.ndc,
      containers: 5,
      date: daysAgo(28),
      fill: receivedFrom,
    });
    await record({
      kind: 'Receipt',
      ndc: PREGABALIN.ndc,
      containers: 3,
      date: daysAgo(27),
      fill: receivedFrom,
    });
    expect(await approveAll(phil, host.origin, STAFF.phil.password)).toBe(1);

    // Dispensing through the month: prescription numbers only.
    const dispensed: [ProductRow, number][] = [
      [OXYCODONE, 30],
      [CODEINE, 24],
      [ALPRAZOLAM, 30],
      [OXYCODONE, 60],
      [PREGABALIN, 90],
      [CODEINE, 36],
      [OXYCODONE, 20],
      [ALPRAZOLAM, 60],
      [PREGABALIN, 60],
      [OXYCODONE, 45],
    ];
    for (const [i, [product, quantity]] of dispensed.entries()) {
      await record({
        kind: 'Dispensing',
        ndc: product.ndc,
        quantity,
        date: daysAgo(26 - 2 * i),
        fill: { 'Prescription number': `RX-${7000 + i}` },
      });
    }

    // A return, a transfer to another pharmacy, a witnessed destruction, a theft, an adjustment.
    await record({
      kind: 'Return to supplier',
      ndc: CODEINE.ndc,
      quantity: 100,
      date: daysAgo(20),
      fill: supplier,
    });
    await record({
      kind: 'Transfer',
      ndc: ALPRAZOLAM.ndc,
      quantity: 100,
      date: daysAgo(15),
      select: { Direction: 'out' },
      fill: { Name: OTHER_PHARMACY.name, 'DEA number': OTHER_PHARMACY.deaNumber },
    });
    await record({
      kind: 'Destruction',
      ndc: OXYCODONE.ndc,
      quantity: 10,
      date: daysAgo(12),
      fill: {
        Method: 'On-site denaturing kit',
        'Witness 1 username': STAFF.pia.username,
        'Witness 1 password': STAFF.pia.password,
        'Witness 2 username': STAFF.cora.username,
        'Witness 2 password': STAFF.cora.password,
      },
    });
    await record({
      kind: 'Theft or loss',
      ndc: ALPRAZOLAM.ndc,
      quantity: 20,
      date: daysAgo(10),
      select: { 'Type of loss': 'employee-theft' },
      check: ['Police notified'],
      fill: {
        'Discovered on': daysAgo(10),
        'Police department': 'Springfield PD',
        'What happened': 'Twenty tablets missing from the locked cabinet after a shift.',
      },
    });
    await record({
      kind: 'Adjustment',
      ndc: PREGABALIN.ndc,
      quantity: 5,
      date: daysAgo(8),
      select: { Direction: 'out' },
      fill: { Reason: 'Five capsules crushed in a dropped bottle, discarded.' },
    });
    // Schedule II outflows: four dispensings and the destruction wait for Phil.
    expect(await approveAll(phil, host.origin, STAFF.phil.password)).toBe(5);

    // The perpetual inventory after the month.
    const expected: Record<string, number> = {
      [OXYCODONE.ndc]: 1000 - 155 - 10,
      [CODEINE.ndc]: 500 - 60 - 100,
      [ALPRAZOLAM.ndc]: 500 - 90 - 100 - 20,
      [PREGABALIN.ndc]: 270 - 150 - 5,
    };
    await page.goto(`${host.origin}/#/inventory/balances`);
    for (const product of [OXYCODONE, CODEINE, ALPRAZOLAM, PREGABALIN]) {
      await expect(
        page.getByRole('row', { name: new RegExp(product.ndc) }).getByTestId('on-hand'),
      ).toHaveText(`${expected[product.ndc]} ${product.unit}`);
    }
    await shot(page, 'month-1-balances.png');
    const txs = (await call(page, 'inventory.transactions', { limit: 100 })).value as {
      total: number;
      transactions: { status: string }[];
    };
    expect(txs.total).toBe(19);
    expect(txs.transactions.every((t) => t.status === 'posted')).toBe(true);

    // Counts: a one-tablet Schedule II shortfall (beyond ±0.1%) is explained by Tess and signed off by Phil.
    await page.goto(`${host.origin}/#/inventory/counts`);
    const countOf = async (ndc: string, counted: number) => {
      await page.getByLabel('NDC', { exact: true }).fill(ndc);
      await page.getByLabel(/^Counted/).fill(String(counted));
      await page.getByRole('button', { name: 'Review and sign…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.tess.password);
      await dialog.getByRole('button', { name: 'Sign and record the count' }).click();
      await expect(dialog).toBeHidden();
    };
    await countOf(OXYCODONE.ndc, 834);
    await expect(page.getByTestId('count-result')).toContainText('a discrepancy was opened');
    await page.getByRole('button', { name: 'Explain…' }).click();
    let dialog = page.getByRole('dialog');
    await dialog
      .getByLabel('Explanation')
      .fill('One tablet dropped during dispensing on RX-7006 and wasted.');
    await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.tess.password);
    await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('row', { name: /One tablet dropped/ })).toContainText(
      'waiting for another person',
    );
    await countOf(PREGABALIN.ndc, 115);
    await expect(page.getByTestId('count-result')).toContainText('within');
    await countOf(ALPRAZOLAM.ndc, 280);
    await expect(page.getByTestId('count-result')).toContainText('a discrepancy was opened');

    await phil.goto(`${host.origin}/#/inventory/counts`);
    await phil
      .getByRole('row', { name: /One tablet dropped/ })
      .getByRole('button', { name: 'Sign off…' })
      .click();
    dialog = phil.getByRole('dialog');
    await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
    await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(phil.getByRole('row', { name: /One tablet dropped/ })).toContainText('closed');
    // The ten missing alprazolam tablets become a Form 106 draft.
    await phil
      .getByRole('row', { name: new RegExp(`${ALPRAZOLAM.ndc}.*open`) })
      .getByRole('button', { name: 'Escalate to Form 106…' })
      .click();
    dialog = phil.getByRole('dialog');
    await dialog.getByLabel('Type of loss').selectOption('employee-theft');
    await dialog.getByLabel('What happened').fill('Ten more tablets missing at the cycle count.');
    await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
    await dialog.getByRole('button', { name: 'Sign and escalate' }).click();
    await expect(dialog).toBeHidden();
    await expect(phil.getByTestId('form106-draft')).toHaveCount(2);
    await expect(phil.getByTestId('form106-draft').filter({ hasText: 'Ten more tablets' })).toContainText(
      '10 tablet lost',
    );
    await shot(phil, 'month-2-counts.png');

    // The initial inventory: exact for Schedule II, estimated opened bottles for III–V.
    await phil.goto(`${host.origin}/#/inventory/biennial`);
    await expect(phil.getByTestId('next-inventory')).toContainText('No initial inventory');
    await phil.getByRole('button', { name: /Start the initial inventory count/ }).click();
    const line = async (ndc: string, full: number, opened: [number, 'exact' | 'estimated'][]) => {
      const row = phil.getByTestId(`count-line-${ndc}`);
      await row.getByLabel(`Full containers of ${ndc}`).fill(String(full));
      for (const [k, [quantity, measure]] of opened.entries()) {
        await row.getByRole('button', { name: 'Add opened container' }).click();
        await row.getByLabel(`Opened container ${k + 1} of ${ndc}: quantity`).fill(String(quantity));
        const select = row.getByLabel(`Opened container ${k + 1} of ${ndc}: exact or estimated`);
        if (await select.isEnabled()) await select.selectOption(measure);
        else await expect(select).toHaveValue('exact');
      }
    };
    await line(OXYCODONE.ndc, 8, [[35, 'exact']]);
    await line(CODEINE.ndc, 3, [[40, 'estimated']]);
    await line(ALPRAZOLAM.ndc, 2, [[80, 'estimated']]);
    await line(PREGABALIN.ndc, 1, [[25, 'estimated']]);
    await expect(phil.getByTestId(`count-line-${OXYCODONE.ndc}`)).toContainText('exact count (Schedule II)');
    await shot(phil, 'month-3-initial-inventory.png');
    await phil.getByRole('button', { name: 'Review and seal…' }).click();
    dialog = phil.getByRole('dialog');
    await dialog.getByLabel('Your password (electronic signature)').fill(STAFF.phil.password);
    await dialog.getByRole('button', { name: 'Sign and seal' }).click();
    await expect(dialog).toBeHidden();
    await expect(phil.getByRole('row', { name: /initial/ })).toContainText('Phil Pharmacist');
    await expect(phil.getByTestId('next-inventory')).toContainText('Next biennial inventory due by');

    // The dashboard says when the next biennial inventory is due.
    await page.goto(`${host.origin}/#/dashboard`);
    await expect(page.getByTestId('next-inventory')).toContainText('Next biennial inventory due by');
    await shot(page, 'month-4-dashboard.png');
  } finally {
    await desk2.context.close();
  }
});
