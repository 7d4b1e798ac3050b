import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/app';
import type { OrderView } from '../../src/core/api/procedures/orders';
import { parseCsv } from '../../src/core/formats/csv/parse';
import { openLedger, workspaceFor } from '../../src/core/ledger/open';
import { readSnapshot } from '../../src/core/ledger/snapshot';
import { createLog, silentLog } from '../../src/core/platform/log';
import { projections } from '../../src/core/projections';
import { buildReport, renderReport, type ReportRequest } from '../../src/core/reports/engine';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import {
  PASSWORDS,
  signIn,
  staffPharmacy,
  tempDir,
  TEST_SCRYPT,
  testClock,
  type TestClock,
} from '../inventory/helpers';

/*
 * Schedule II orders through the router, as the UI and the CLI call them: a DEA Form 222 filled in
 * part and a line cancelled, a CSOS order voided by the supplier and received anyway (recorded, with
 * an exception a pharmacist resolves), an unaccepted form, a reverse distributor's 222 that we fill
 * and whose late balance is refused, and the dea-222 report of the month read back from PDF, CSV
 * and XLSX field by field.
 */

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const KEYSTONE = {
  name: 'Keystone Wholesale',
  deaNumber: 'PW1234563',
  address: '100 Distribution Way, Harrisburg, PA 17101',
};
const RETURNS = {
  name: 'Return Logistics Inc',
  deaNumber: 'RD1234563',
  address: '9 Depot Road, Joliet, IL 60431',
};
const HASH = 'c0ffee'.padEnd(64, '0');

type Call = Awaited<ReturnType<typeof signIn>>;

async function ok<T>(call: Call, method: string, input?: unknown): Promise<T> {
  const r = await call(method, input);
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

async function refused(call: Call, method: string, input: unknown) {
  const r = await call(method, input);
  if (r.ok) throw new Error(`${method} was not refused`);
  return r.error as { code: string; message: string; details?: Record<string, unknown> };
}

async function story(): Promise<{
  dataDir: string;
  secrets: SecretStore;
  core: Core;
  clock: TestClock;
  ids: Record<string, number>;
}> {
  const dataDir = tempDir('custodia-orders-');
  made.push(dataDir);
  const secrets = createMemorySecretStore();
  const clock = testClock(Date.parse('2026-03-02T15:00:00Z'));
  const core = createCore({
    version: 'test',
    dataDir,
    log: process.env.CUSTODIA_TEST_LOG ? createLog() : silentLog,
    secrets,
    scryptCost: TEST_SCRYPT,
    now: clock.now,
  });
  await staffPharmacy(core);
  let phil = await signIn(core, 'phil', 'phil');
  // Refusals first: none of them records an order.
  const base = {
    form: 'dea-222',
    number: '261234567',
    signedOn: '2026-03-02',
    supplier: KEYSTONE,
    lines: [
      { ndc: '16590-598-60', packages: 2 },
      { ndc: '0555-0767-02', packages: 3 },
    ],
  };
  expect(
    await refused(phil, 'orders.record', { ...base, supplier: { ...KEYSTONE, deaNumber: 'PW1234567' } }),
  ).toMatchObject({ code: 'rule-violation', details: { rule: 'dea-number' } });
  expect((await refused(phil, 'orders.record', { ...base, number: '26123456' })).details).toMatchObject({
    rule: 'dea-222-serial',
  });
  expect(
    (await refused(phil, 'orders.record', { ...base, lines: [{ ndc: '0093-0058-01', packages: 1 }] }))
      .details,
  ).toMatchObject({ rule: 'order-schedule' });
  expect(
    (await refused(phil, 'orders.record', { ...base, form: 'csos', number: '26X000123' })).details,
  ).toMatchObject({ rule: 'csos-signature' });
  expect(
    (
      await refused(phil, 'orders.record', {
        ...base,
        form: 'csos',
        number: '25X000123',
        csos: { signerSubject: 'CN=x', signedHash: HASH },
      })
    ).details,
  ).toMatchObject({ rule: 'csos-order-year' });
  expect((await refused(phil, 'orders.record', { ...base, signedOn: '2026-03-03' })).details).toMatchObject({
    rule: 'future-date',
  });
  const ava = await signIn(core, 'ava', 'ava');
  expect((await refused(ava, 'orders.record', base)).code).toBe('forbidden');
  expect((await ok<{ orders: unknown[] }>(phil, 'orders.list', { scope: 'all' })).orders).toEqual([]);

  // A: the paper 222 to Keystone. The 60 days run from the date signed to 1 May.
  const a = await ok<OrderView>(phil, 'orders.record', base);
  expect(a).toMatchObject({
    id: 1,
    direction: 'inbound',
    number: '261234567',
    deadline: '2026-05-01',
    daysLeft: 60,
    status: 'open',
    supplier: KEYSTONE,
    purchaser: {
      name: 'Main Street Pharmacy',
      deaNumber: 'AB1234563',
      address: '1 Main Street, Springfield, IL 62701',
    },
    csos: null,
    recordedBy: 'Phil Pharmacist',
  });
  expect(a.lines.map((l) => [l.line, l.ndc, l.productName, l.packages, l.packageSize, l.unit])).toEqual([
    [1, '16590-598-60', 'Kadian', 2, 60, 'capsule'],
    [2, '0555-0767-02', 'Adderall', 3, 100, 'tablet'],
  ]);
  expect((await refused(phil, 'orders.record', base)).code).toBe('conflict');

  // B: a CSOS order Keystone voids; C: a 222 Keystone returns as defective (unaccepted).
  const b = await ok<OrderView>(phil, 'orders.record', {
    form: 'csos',
    number: '26x000123',
    signedOn: '2026-03-02',
    supplier: KEYSTONE,
    lines: [{ ndc: '16590-598-60', packages: 1 }],
    csos: {
      signerSubject: 'CN=Phil Pharmacist, OU=CSOS, O=Main Street Pharmacy',
      signedHash: HASH.toUpperCase(),
    },
  });
  expect(b).toMatchObject({ number: '26X000123', csos: { signedHash: HASH } });
  const c = await ok<OrderView>(phil, 'orders.record', {
    ...base,
    number: '261234568',
    lines: [base.lines[0]],
  });

  // D: the reverse distributor's 222 to us for a return of Adderall: we are its supplier.
  const d = await ok<OrderView>(phil, 'orders.record', {
    direction: 'outbound',
    form: 'dea-222',
    number: '262000001',
    signedOn: '2026-03-02',
    purchaser: RETURNS,
    lines: [{ ndc: '0555-0767-02', packages: 3 }],
  });
  expect(d).toMatchObject({ supplier: { name: 'Main Street Pharmacy' }, purchaser: RETURNS });

  clock.advance(2 * DAY); // Wednesday 4 March: the first shipment arrives.
  phil = await signIn(core, 'phil', 'phil');
  const tess = await signIn(core, 'tess', 'tess');
  // The signed controlled-substance receipt of the container, then its order line.
  const receipt = await ok<{ id: string }>(tess, 'inventory.record', {
    transaction: {
      kind: 'receipt',
      ndc: '16590-598-60',
      quantity: 60,
      containers: 1,
      date: '2026-03-04',
      supplier: KEYSTONE,
      order: { kind: 'dea-222', number: '261234567', line: 1 },
    },
    password: PASSWORDS.tess,
  });
  const partial = await ok<{ order: OrderView; exception: null }>(tess, 'orders.receive', {
    id: a.id,
    line: 1,
    containers: 1,
    shippedOn: '2026-03-03',
    receivedOn: '2026-03-04',
    lot: 'K7781',
    inventoryTransactionId: receipt.id,
  });
  expect(partial.exception).toBeNull();
  expect(partial.order).toMatchObject({ status: 'partial', daysLeft: 58 });
  expect(partial.order.lines[0]).toMatchObject({ filled: 1, remaining: 1, status: 'partial' });
  expect(partial.order.lines[0]!.fills).toEqual([
    expect.objectContaining({
      containers: 1,
      shippedOn: '2026-03-03',
      receivedOn: '2026-03-04',
      lot: 'K7781',
      counted: true,
      inventoryTransactionId: receipt.id,
      recordedBy: 'Tess Technician',
    }),
  ]);
  // Received before it was shipped, or shipped before the order was signed: refused.
  expect(
    (
      await refused(tess, 'orders.receive', {
        id: a.id,
        line: 1,
        containers: 1,
        shippedOn: '2026-03-04',
        receivedOn: '2026-03-03',
      })
    ).details,
  ).toMatchObject({ rule: 'received-before-shipped' });
  expect(
    (await refused(tess, 'orders.ship', { id: a.id, line: 1, containers: 1, shippedOn: '2026-03-04' })).code,
  ).toBe('conflict');

  // Line 2 of A is cancelled by us; B is voided by Keystone; C comes back unaccepted.
  await ok(phil, 'orders.end', {
    id: a.id,
    action: 'cancelled',
    line: 2,
    on: '2026-03-04',
    reason: 'Back-ordered; ordered from another supplier',
  });
  await ok(phil, 'orders.end', {
    id: b.id,
    action: 'voided',
    on: '2026-03-03',
    reason: 'Product discontinued at the supplier',
  });
  expect(
    (
      await refused(phil, 'orders.end', {
        id: c.id,
        action: 'unaccepted',
        line: 1,
        on: '2026-03-04',
        reason: 'Form defective',
      })
    ).code,
  ).toBe('invalid-input');
  await ok(phil, 'orders.end', {
    id: c.id,
    action: 'unaccepted',
    on: '2026-03-04',
    reason: 'Form defective: supplier address missing',
  });
  expect(
    (
      await refused(phil, 'orders.end', {
        id: b.id,
        action: 'cancelled',
        on: '2026-03-04',
        reason: 'again and again',
      })
    ).code,
  ).toBe('conflict');

  // A receipt against the void order is recorded (1304.21(a)), fills nothing, and opens an exception.
  const late = await ok<{ order: OrderView; exception: { id: number; kind: string; status: string } }>(
    tess,
    'orders.receive',
    { id: b.id, line: 1, containers: 1, shippedOn: '2026-03-03', receivedOn: '2026-03-04' },
  );
  expect(late.exception).toMatchObject({ kind: 'order-void', status: 'open' });
  expect(late.order).toMatchObject({ status: 'voided' });
  expect(late.order.lines[0]).toMatchObject({ filled: 0, status: 'voided' });
  expect(late.order.lines[0]!.fills).toEqual([expect.objectContaining({ containers: 1, counted: false })]);
  const open = await ok<{ exceptions: { id: number; orderNumber: string }[] }>(tess, 'orders.exceptions', {
    status: 'open',
  });
  expect(open.exceptions).toEqual([
    expect.objectContaining({ id: late.exception.id, orderNumber: '26X000123' }),
  ]);
  // A technician records; a pharmacist resolves.
  expect(
    (await refused(tess, 'orders.resolveException', { id: late.exception.id, resolution: 'Sent back' })).code,
  ).toBe('forbidden');
  expect(
    await ok(phil, 'orders.resolveException', {
      id: late.exception.id,
      resolution: 'Returned to Keystone on their return authorization RA-5521',
    }),
  ).toMatchObject({ status: 'resolved', resolvedBy: 'Phil Pharmacist' });

  // D: we ship one container of the return at once; the Kadian receipt is not the record of that shipment.
  expect(
    (
      await refused(phil, 'orders.ship', {
        id: d.id,
        line: 1,
        containers: 1,
        shippedOn: '2026-03-04',
        inventoryTransactionId: receipt.id,
      })
    ).details,
  ).toMatchObject({ rule: 'inventory-link' });
  await ok(phil, 'orders.ship', { id: d.id, line: 1, containers: 1, shippedOn: '2026-03-04', lot: 'AD220' });
  expect(
    (await refused(phil, 'orders.ship', { id: d.id, line: 1, containers: 5, shippedOn: '2026-03-04' }))
      .details,
  ).toMatchObject({
    rule: 'over-order',
  });

  // The open list: A and D, the nearest deadline first; the void and unaccepted ones are not open.
  const listed = await ok<{ orders: OrderView[] }>(tess, 'orders.list');
  expect(listed.orders.map((o) => [o.number, o.status, o.deadline])).toEqual([
    ['261234567', 'partial', '2026-05-01'],
    ['262000001', 'partial', '2026-05-01'],
  ]);
  expect((await ok<{ orders: OrderView[] }>(tess, 'orders.list', { scope: 'all' })).orders).toHaveLength(4);
  return { dataDir, secrets, core, clock, ids: { a: a.id, b: b.id, c: c.id, d: d.id } };
}

describe('Schedule II orders through the router', () => {
  it('records, fills in part, cancels, voids, refuses a late partial fill, and rebuilds from the ledger', async () => {
    const { core, clock, ids } = await story();
    // 65 days after signing: as supplier we may not ship D's balance any more (1305.13(b)).
    clock.advance(63 * DAY); // 6 May 2026
    const phil = await signIn(core, 'phil', 'phil');
    const tess = await signIn(core, 'tess', 'tess');
    const lateShip = await refused(phil, 'orders.ship', {
      id: ids.d,
      line: 1,
      containers: 2,
      shippedOn: '2026-05-06',
    });
    expect(lateShip).toMatchObject({ code: 'rule-violation', details: { rule: 'partial-fill-60-days' } });
    expect(lateShip.message).toContain('must leave by 2026-05-01');
    const d = await ok<OrderView>(phil, 'orders.get', { id: ids.d });
    expect(d.lines[0]).toMatchObject({ filled: 1, status: 'expired' });
    expect(d).toMatchObject({ status: 'expired', daysLeft: -5 });

    // As purchaser, the balance of A shipped late is recorded, outside the order, with an exception.
    const lateReceipt = await ok<{
      order: OrderView;
      exception: { kind: string; detail: { reason: string } };
    }>(tess, 'orders.receive', {
      id: ids.a,
      line: 1,
      containers: 1,
      shippedOn: '2026-05-05',
      receivedOn: '2026-05-06',
    });
    expect(lateReceipt.exception.kind).toBe('order-expired');
    expect(lateReceipt.exception.detail.reason).toContain('1305.13(b)');
    expect(lateReceipt.order.lines[0]).toMatchObject({ filled: 1, status: 'expired' });
    expect((await ok<{ orders: unknown[] }>(tess, 'orders.list')).orders).toEqual([]);

    // Every refusal left a trace; the projections rebuild from the ledger alone.
    const cora = await signIn(core, 'cora', 'cora');
    const refusals = await ok<{ entries: { type: string }[] }>(cora, 'ledger.entries', {
      types: ['orders.refused'],
    });
    expect(refusals.entries.length).toBeGreaterThanOrEqual(9);
    expect(await ok(cora, 'inventory.verifyProjections')).toMatchObject({ ok: true, differences: [] });
    await core.close();
  });

  it('produces the dea-222 report of the month: PDF, CSV and XLSX read back field by field', async () => {
    const { dataDir, secrets, core } = await story();
    // The report as of the story's last entry (4 March): days left are counted to the checkpoint's date.
    const cora = await signIn(core, 'cora', 'cora');
    const { size: at } = await ok<{ size: number }>(cora, 'ledger.status');
    await core.close();
    const ledger = await openLedger({ dataDir, secrets, createIfMissing: false });
    const report = async (request: ReportRequest) => {
      const ws = workspaceFor(ledger, projections);
      const built = readSnapshot(ledger.installation.reader(), { sealer: ws.sealer, dataDir }, (s) =>
        buildReport(s, { ...request, at }),
      );
      return renderReport(built, request.format);
    };
    try {
      const params = { from: '2026-03-01', to: '2026-03-31' };
      const csv = (await report({ kind: 'dea-222', format: 'csv', params })).toString('utf8').slice(1);
      const blocks = new Map<string, string[][]>();
      for (const block of csv.split('\r\n\r\n')) {
        const [title, ...rows] = parseCsv(block).map((r) => r.fields);
        if (title !== undefined) blocks.set(title[0]!, rows);
      }
      expect(blocks.get('Orders')).toEqual([
        ['Order number', 'Form', 'We are', 'Date signed', 'Ship by', 'Lines', 'Status'],
        ['261234567', 'DEA Form 222', 'Purchaser', '2026-03-02', '2026-05-01', '2', 'Partially filled'],
        ['26X000123', 'CSOS', 'Purchaser', '2026-03-02', '2026-05-01', '1', 'Void'],
        ['261234568', 'DEA Form 222', 'Purchaser', '2026-03-02', '2026-05-01', '1', 'Unaccepted'],
        ['262000001', 'DEA Form 222', 'Supplier', '2026-03-02', '2026-05-01', '1', 'Partially filled'],
      ]);
      expect(blocks.get('Parties')!.slice(0, 3)).toEqual([
        ['Order number', 'Role', 'Name', 'DEA number', 'Address'],
        [
          '261234567',
          'Supplier',
          'Keystone Wholesale',
          'PW1234563',
          '100 Distribution Way, Harrisburg, PA 17101',
        ],
        [
          '261234567',
          'Purchaser',
          'Main Street Pharmacy',
          'AB1234563',
          '1 Main Street, Springfield, IL 62701',
        ],
      ]);
      expect(blocks.get('Lines')).toEqual([
        [
          'Order number',
          'Line',
          'NDC',
          'Drug',
          'Packages ordered',
          'Package size',
          'Containers filled',
          'Status',
        ],
        [
          '261234567',
          '1',
          '16590-598-60',
          'Kadian 60 mg capsule, extended release',
          '2',
          '60 capsule',
          '1',
          'Partially filled',
        ],
        ['261234567', '2', '0555-0767-02', 'Adderall 5 mg tablet', '3', '100 tablet', '0', 'Cancelled'],
        [
          '26X000123',
          '1',
          '16590-598-60',
          'Kadian 60 mg capsule, extended release',
          '1',
          '60 capsule',
          '0',
          'Void',
        ],
        [
          '261234568',
          '1',
          '16590-598-60',
          'Kadian 60 mg capsule, extended release',
          '2',
          '60 capsule',
          '0',
          'Unaccepted',
        ],
        [
          '262000001',
          '1',
          '0555-0767-02',
          'Adderall 5 mg tablet',
          '3',
          '100 tablet',
          '1',
          'Partially filled',
        ],
      ]);
      expect(blocks.get('Receipts')).toEqual([
        [
          'Order number',
          'Line',
          'NDC',
          'Containers',
          'Date shipped',
          'Date received',
          'Lot',
          'Fills the order',
          'Recorded by',
        ],
        [
          '261234567',
          '1',
          '16590-598-60',
          '1',
          '2026-03-03',
          '2026-03-04',
          'K7781',
          'Yes',
          'Tess Technician',
        ],
        [
          '26X000123',
          '1',
          '16590-598-60',
          '1',
          '2026-03-03',
          '2026-03-04',
          '',
          'No (exception)',
          'Tess Technician',
        ],
        ['262000001', '1', '0555-0767-02', '1', '2026-03-04', '', 'AD220', 'Yes', 'Phil Pharmacist'],
      ]);
      expect(blocks.get('Open')).toEqual([
        ['Order number', 'Line', 'Drug', 'Ordered', 'Filled', 'Still to come', 'Ship by', 'Days left'],
        ['261234567', '1', 'Kadian 60 mg capsule, extended release', '2', '1', '1', '2026-05-01', '58'],
        ['262000001', '1', 'Adderall 5 mg tablet', '3', '1', '2', '2026-05-01', '58'],
      ]);
      expect(blocks.get('Cancelled and void')).toEqual([
        ['Order number', 'Line', 'What', 'Date', 'Reason', 'Recorded by'],
        [
          '261234567',
          '2',
          'Cancelled by the purchaser',
          '2026-03-04',
          'Back-ordered; ordered from another supplier',
          'Phil Pharmacist',
        ],
        [
          '26X000123',
          'All',
          'Voided by the supplier',
          '2026-03-03',
          'Product discontinued at the supplier',
          'Phil Pharmacist',
        ],
        [
          '261234568',
          'All',
          'Unaccepted (defective) by the supplier',
          '2026-03-04',
          'Form defective: supplier address missing',
          'Phil Pharmacist',
        ],
      ]);
      expect(blocks.get('Exceptions')).toEqual([
        ['No.', 'Order number', 'Line', 'What happened', 'Status', 'Resolution'],
        [
          '1',
          '26X000123',
          '1',
          'Received against a void order',
          'Resolved',
          'Returned to Keystone on their return authorization RA-5521 (Phil Pharmacist)',
        ],
      ]);
      expect(blocks.get('CSOS')).toEqual([
        ['Order number', "Signer's certificate subject", 'SHA-256 of the signed order'],
        ['26X000123', 'CN=Phil Pharmacist, OU=CSOS, O=Main Street Pharmacy', HASH],
      ]);

      // One order alone, by its number: only its rows.
      const one = (await report({ kind: 'dea-222', format: 'csv', params: { id: '26X000123' } })).toString(
        'utf8',
      );
      expect(one).toContain('26X000123');
      expect(one).not.toContain('261234567');

      const xlsx = await report({ kind: 'dea-222', format: 'xlsx', params });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        'Orders',
        'Parties',
        'Lines',
        'Receipts',
        'Open',
        'Cancelled and void',
        'Exceptions',
        'CSOS',
        'About these records',
      ]);
      const open = wb.getWorksheet('Open')!;
      expect((open.getRow(2).values as unknown[]).slice(1)).toEqual([
        '261234567',
        1,
        'Kadian 60 mg capsule, extended release',
        2,
        1,
        1,
        '2026-05-01',
        58,
      ]);
      // A 222 serial of digits stays text.
      expect(wb.getWorksheet('Orders')!.getRow(2).getCell(1).type).toBe(ExcelJS.ValueType.String);

      const pdf = await report({ kind: 'dea-222', format: 'pdf', params });
      const dir = path.join('test-results', 'dea-222');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, 'dea-222.pdf');
      fs.writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Schedule II order records (DEA Form 222 and CSOS)');
      expect(text).toContain('2026-03-01 to 2026-03-31');
      expect(text).toMatch(
        /261234567\s+DEA Form 222\s+Purchaser\s+2026-03-02\s+2026-05-01\s+2\s+Partially filled/,
      );
      expect(text).toMatch(/26X000123\s+CSOS\s+Purchaser\s+2026-03-02\s+2026-05-01\s+1\s+Void/);
      expect(text).toMatch(/261234567\s+1\s+Kadian 60 mg capsule,.*\s+2\s+1\s+1\s+2026-05-01\s+58/);
      expect(text).toContain('Voided by the supplier');
      expect(text).toContain('Received against a void order');
      expect(text).toContain('1305.13(b)');
    } finally {
      ledger.close();
    }
  });
});
