import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import { packageContents } from '../../src/core/products/ndc-directory';
import {
  PASSWORDS,
  SUPPLIER,
  caller,
  entriesOf,
  makeCore,
  signIn,
  staffPharmacy,
  tempDir,
  testClock,
  value,
} from './helpers';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'ndc');
const clock = testClock(Date.parse('2026-03-31T18:00:00Z'));
let dir: string;
let core: Core;

type Tx = {
  id: string;
  status: string;
  subjectHash: string;
  signatures: { meaning: string; printedName: string }[];
};

beforeAll(async () => {
  dir = tempDir('custodia-month-');
  core = makeCore(dir, clock);
  await staffPharmacy(core);
}, 60_000);
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('product master from the FDA NDC directory format', () => {
  it('reads package sizes from package descriptions', () => {
    expect(packageContents('100 TABLET in 1 BOTTLE (0555-0767-02)')).toEqual({ size: 100, unit: 'tablet' });
    expect(packageContents('1 BOTTLE in 1 CARTON (99990-202-16)  > 500 mL in 1 BOTTLE')).toEqual({
      size: 500,
      unit: 'ml',
    });
    expect(packageContents('10 BLISTER PACK in 1 CARTON > 10 TABLET in 1 BLISTER PACK')).toEqual({
      size: 100,
      unit: 'tablet',
    });
    expect(packageContents('KIT')).toBeNull();
  });

  it('imports product.txt + package.txt, keeps existing NDCs, and reports skipped lines', async () => {
    const admin = await signIn(core, 'admin', 'admin');
    const result = await value<{
      added: number;
      alreadyPresent: number;
      skipped: { file: string; line: number; reason: string }[];
    }>(
      admin('products.importNdcDirectory', {
        productTxt: fs.readFileSync(path.join(FIXTURES, 'product.txt'), 'utf8'),
        packageTxt: fs.readFileSync(path.join(FIXTURES, 'package.txt'), 'utf8'),
      }),
    );
    console.log(
      `NDC directory fixture: ${result.added} added, ${result.alreadyPresent} already present, ${result.skipped.length} skipped`,
    );
    expect(result.added).toBe(5);
    expect(result.alreadyPresent).toBe(2);
    expect(result.skipped.map((s) => `${s.file}:${s.line}`).sort()).toEqual([
      'package.txt:10',
      'package.txt:9',
      'product.txt:8',
    ]);
    const oxy = await value<{
      ndc11: string;
      schedule: string;
      packageSize: number;
      unit: string;
      strength: string;
    }>(admin('products.get', { ndc: '99990020216' }));
    expect(oxy).toMatchObject({
      ndc11: '99990-0202-16',
      schedule: 'CII',
      packageSize: 500,
      unit: 'ml',
      strength: '5 mg/5mL',
    });
    const amox = await value<{ schedule: string | null }>(admin('products.get', { ndc: '99990-303-01' }));
    expect(amox.schedule).toBeNull();
    const controlled = await value<{ total: number }>(admin('products.list', { controlledOnly: true }));
    expect(controlled.total).toBe(7);
  });
});

describe('a month of Schedule II-V activity', () => {
  it('runs receipts, dispensing, returns, transfers, destruction, theft, adjustments and a correction', async () => {
    const tess = await signIn(core, 'tess', 'tess');
    const phil = await signIn(core, 'phil', 'phil');
    const cora = await signIn(core, 'cora', 'cora');
    const approve = async (t: Tx) =>
      value<Tx>(
        phil('approvals.approve', {
          transactionId: t.id,
          subjectHash: t.subjectHash,
          password: PASSWORDS.phil,
        }),
      );
    const record = (transaction: object, who = tess, password: string = PASSWORDS.tess) =>
      value<Tx>(who('inventory.record', { transaction, password }));

    // 21 CFR 1304.22(c): a receipt without the supplier's address is refused before anything is kept.
    const { address: _address, ...noAddress } = SUPPLIER;
    const unaddressed = await tess('inventory.record', {
      transaction: {
        kind: 'receipt',
        ndc: '0555-0767-02',
        quantity: 100,
        containers: 1,
        date: '2026-03-02',
        supplier: noAddress,
        order: { kind: 'csos', number: '26X000776', line: 1 },
      },
      password: PASSWORDS.tess,
    });
    expect(unaddressed.ok || unaddressed.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'party-address' },
    });
    expect(unaddressed.ok || unaddressed.error.message).toContain('1304.22(c)');

    // Schedule II: receipt on a CSOS order, dispensing, a transfer out on a DEA 222, return to supplier.
    await approve(
      await record({
        kind: 'receipt',
        ndc: '0555-0767-02',
        lot: 'A1',
        quantity: 500,
        containers: 5,
        date: '2026-03-02',
        supplier: SUPPLIER,
        order: { kind: 'csos', number: '26X000777', line: 1 },
      }),
    );
    for (const [day, rx, q] of [
      ['03', 'RX-1', 60],
      ['10', 'RX-2', 30],
      ['17', 'RX-3', 90],
    ] as const) {
      await approve(
        await record({
          kind: 'dispense',
          ndc: '0555-0767-02',
          lot: 'A1',
          quantity: q,
          date: `2026-03-${day}`,
          prescriptionNumber: rx,
        }),
      );
    }
    await approve(
      await record({
        kind: 'transfer',
        direction: 'out',
        ndc: '0555-0767-02',
        quantity: 100,
        date: '2026-03-18',
        counterparty: { name: 'Other Pharmacy', deaNumber: 'BO1234563' },
        order: { kind: 'dea-222', number: '261234567' },
      }),
    );
    await approve(
      await record({
        kind: 'return',
        ndc: '0555-0767-02',
        quantity: 100,
        date: '2026-03-19',
        supplier: SUPPLIER,
        order: { kind: 'csos', number: '26X000778' },
      }),
    );
    // Destruction with two employee witnesses signing at the same desk.
    const destroyed = await record({
      kind: 'destruction',
      ndc: '0555-0767-02',
      quantity: 20,
      date: '2026-03-20',
      method: 'reverse-distributor incineration on site',
      witnesses: [
        { username: 'paula', password: PASSWORDS.paula },
        { username: 'cora', password: PASSWORDS.cora },
      ],
    });
    expect(destroyed.signatures.map((s) => `${s.meaning}:${s.printedName}`).sort()).toEqual([
      'initiated:Tess Technician',
      'witnessed:Cora Compliance',
      'witnessed:Paula Pharmacist',
    ]);
    await approve(destroyed);
    const sameWitness = await tess('inventory.record', {
      transaction: {
        kind: 'destruction',
        ndc: '0555-0767-02',
        quantity: 1,
        date: '2026-03-20',
        method: 'x',
        witnesses: [
          { username: 'paula', password: PASSWORDS.paula },
          { username: 'paula', password: PASSWORDS.paula },
        ],
      },
      password: PASSWORDS.tess,
    });
    expect(sameWitness.ok || sameWitness.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'two-witnesses' },
    });
    const auditorWitness = await tess('inventory.record', {
      transaction: {
        kind: 'destruction',
        ndc: '0555-0767-02',
        quantity: 1,
        date: '2026-03-20',
        method: 'x',
        witnesses: [
          { username: 'paula', password: PASSWORDS.paula },
          { username: 'ava', password: PASSWORDS.ava },
        ],
      },
      password: PASSWORDS.tess,
    });
    expect(auditorWitness.ok || auditorWitness.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'witness-employee' },
    });

    // Theft: pending (Schedule II) but its Form 106 data exist at once.
    const theft = await record({
      kind: 'theft-loss',
      ndc: '0555-0767-02',
      quantity: 10,
      date: '2026-03-21',
      lossType: 'employee-theft',
      discoveredOn: '2026-03-21',
      policeNotified: true,
      policeDepartment: 'Springfield PD',
      description: 'Bottle found short after shift change.',
    });
    const drafts = await value<{
      drafts: {
        source: string;
        fileBy: string;
        lines: { quantityLost: number }[];
        registrant: { deaNumber: string };
      }[];
    }>(tess('counts.form106Drafts'));
    expect(drafts.drafts[0]).toMatchObject({
      source: 'theft-loss',
      fileBy: '2026-05-05',
      lines: [{ quantityLost: 10 }],
      registrant: { deaNumber: 'AB1234563' },
    });
    await approve(theft);

    // Schedule IV posts at once; receipts of whole containers must add up; dispensing of liquids in mL.
    const civ = await record({
      kind: 'receipt',
      ndc: '99990-101-05',
      quantity: 5000,
      containers: 1,
      date: '2026-03-05',
      supplier: SUPPLIER,
    });
    expect(civ.status).toBe('posted');
    const badContainers = await tess('inventory.record', {
      transaction: {
        kind: 'receipt',
        ndc: '99990-101-05',
        quantity: 4000,
        containers: 1,
        date: '2026-03-05',
        supplier: SUPPLIER,
      },
      password: PASSWORDS.tess,
    });
    expect(badContainers.ok || badContainers.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'receipt-containers' },
    });
    const dispensed = await record({
      kind: 'dispense',
      ndc: '99990-101-05',
      quantity: 90,
      date: '2026-03-06',
      prescriptionNumber: 'RX-77',
    });
    const cv = await record({
      kind: 'receipt',
      ndc: '99990-404-16',
      quantity: 473,
      containers: 1,
      date: '2026-03-05',
      supplier: SUPPLIER,
    });
    await record({
      kind: 'dispense',
      ndc: '99990-404-16',
      quantity: 2.5,
      date: '2026-03-06',
      prescriptionNumber: 'RX-78',
    });
    expect(cv.status).toBe('posted');
    const patient = await tess('inventory.record', {
      transaction: {
        kind: 'dispense',
        ndc: '99990-404-16',
        quantity: 5,
        date: '2026-03-06',
        prescriptionNumber: 'RX-79',
        patientName: 'Jane Doe',
      },
      password: PASSWORDS.tess,
    });
    expect(patient.ok || patient.error).toMatchObject({ code: 'invalid-input' });
    const notControlled = await tess('inventory.record', {
      transaction: {
        kind: 'dispense',
        ndc: '99990-303-01',
        quantity: 5,
        date: '2026-03-06',
        prescriptionNumber: 'RX-80',
      },
      password: PASSWORDS.tess,
    });
    expect(notControlled.ok || notControlled.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'not-controlled' },
    });

    // A correction is a new signed adjustment; the original stays as it was.
    const corrected = await value<Tx & { kind: string; details: { correctsTransactionId: string } }>(
      tess('inventory.correct', {
        transactionId: dispensed.id,
        correctQuantity: 60,
        reason: 'Typed 90 for a 60-count prescription',
        password: PASSWORDS.tess,
      }),
    );
    expect(corrected).toMatchObject({
      kind: 'adjustment',
      status: 'posted',
      details: { correctsTransactionId: dispensed.id },
    });

    const balances = await value<{
      balances: { ndc: string; onHand: number; lots: { lot: string; quantity: number }[] }[];
    }>(cora('inventory.balances'));
    const on = (ndc: string) => balances.balances.find((b) => b.ndc === ndc)!;
    // 500 - 60 - 30 - 90 - 100 - 100 - 20 - 10 = 90
    expect(on('0555-0767-02').onHand).toBe(90);
    expect(on('0555-0767-02').lots).toEqual([{ lot: 'A1', quantity: 320 }]);
    expect(on('99990-101-05').onHand).toBe(4940);
    expect(on('99990-404-16').onHand).toBe(470.5);
  }, 60_000);

  it('counts: a discrepancy is explained and signed off by someone else, another escalates to a Form 106 draft', async () => {
    const tess = await signIn(core, 'tess', 'tess');
    const phil = await signIn(core, 'phil', 'phil');
    const cora = await signIn(core, 'cora', 'cora');
    const ok = await value<{ discrepancyId: string | null; variance: number }>(
      tess('counts.record', { ndc: '99990-404-16', counted: 470.5, kind: 'cycle', password: PASSWORDS.tess }),
    );
    expect(ok).toMatchObject({ discrepancyId: null, variance: 0 });
    const over = await value<{ discrepancyId: string; variancePercent: number }>(
      tess('counts.record', { ndc: '0555-0767-02', counted: 91, kind: 'cycle', password: PASSWORDS.tess }),
    );
    expect(over.discrepancyId).not.toBeNull();
    const id = over.discrepancyId;
    await value(
      tess('counts.explain', {
        discrepancyId: id,
        explanation: 'One tablet returned to stock from the counting tray.',
        password: PASSWORDS.tess,
      }),
    );
    const selfSign = await tess('counts.signOff', { discrepancyId: id, password: PASSWORDS.tess });
    expect(selfSign.ok || selfSign.error).toMatchObject({ code: 'forbidden' }); // technicians cannot sign off at all
    const closed = await value<{ status: string; signatures: { meaning: string }[] }>(
      phil('counts.signOff', { discrepancyId: id, password: PASSWORDS.phil }),
    );
    expect(closed.status).toBe('closed');
    expect(closed.signatures.map((s) => s.meaning)).toEqual(['explained', 'signed-off']);

    // Whoever explained cannot also sign off (dual control on discrepancies too).
    const over2 = await value<{ discrepancyId: string }>(
      phil('counts.record', { ndc: '0555-0767-02', counted: 89, kind: 'cycle', password: PASSWORDS.phil }),
    );
    await value(
      phil('counts.explain', {
        discrepancyId: over2.discrepancyId,
        explanation: 'Recount found the tablet under the tray.',
        password: PASSWORDS.phil,
      }),
    );
    const own = await phil('counts.signOff', {
      discrepancyId: over2.discrepancyId,
      password: PASSWORDS.phil,
    });
    expect(own.ok || own.error).toMatchObject({ code: 'forbidden', details: { rule: 'dual-control' } });
    await value(cora('counts.signOff', { discrepancyId: over2.discrepancyId, password: PASSWORDS.cora }));

    const short = await value<{ discrepancyId: string; variance: number }>(
      tess('counts.record', {
        ndc: '99990-101-05',
        counted: 4900,
        kind: 'physical',
        password: PASSWORDS.tess,
      }),
    );
    expect(short.variance).toBe(-40);
    const escalated = await value<{ status: string; form106DraftId: string }>(
      cora('counts.escalate', {
        discrepancyId: short.discrepancyId,
        lossType: 'other',
        discoveredOn: '2026-03-31',
        policeNotified: false,
        description: 'Forty tablets unaccounted for after physical count.',
        password: PASSWORDS.cora,
      }),
    );
    expect(escalated).toMatchObject({ status: 'escalated', form106DraftId: short.discrepancyId });
    const drafts = await value<{
      drafts: { source: string; lines: { ndc: string; quantityLost: number }[] }[];
    }>(cora('counts.form106Drafts'));
    expect(drafts.drafts).toContainEqual(
      expect.objectContaining({
        source: 'discrepancy',
        lines: [expect.objectContaining({ ndc: '99990-101-05', quantityLost: 40 })],
      }),
    );
  }, 60_000);

  it('seals the initial inventory as one ledger entry, enforcing 1304.11(e), and shows when the next is due', async () => {
    const phil = await signIn(core, 'phil', 'phil');
    expect(await value(phil('counts.nextDue'))).toMatchObject({ state: 'initial-missing' });
    const base = {
      kind: 'initial',
      date: '2026-03-31',
      timing: 'close',
      time: '18:00',
      countedBy: [{ username: 'tess', password: PASSWORDS.tess }, { username: 'phil' }],
      password: PASSWORDS.phil,
    };
    const broken = await phil('counts.sealInventory', {
      ...base,
      lines: [
        { ndc: '0555-0767-02', fullContainers: 0, opened: [{ quantity: 90, measure: 'estimated' }] },
        { ndc: '99990-101-05', fullContainers: 0, opened: [{ quantity: 4900, measure: 'estimated' }] },
      ],
    });
    expect(broken.ok || broken.error).toMatchObject({
      code: 'rule-violation',
      details: {
        rule: 'inventory-count-rules',
        problems: [
          expect.objectContaining({ rule: 'exact-count-schedule-ii' }),
          expect.objectContaining({ rule: 'exact-count-over-1000' }),
        ],
      },
    });
    const sealed = await value<{
      ledgerSeq: number;
      lines: { ndc: string; total: number; expected: number }[];
      signature: { meaning: string };
    }>(
      phil('counts.sealInventory', {
        ...base,
        lines: [
          { ndc: '0555-0767-02', fullContainers: 0, opened: [{ quantity: 90, measure: 'exact' }] },
          { ndc: '99990-101-05', fullContainers: 0, opened: [{ quantity: 4900, measure: 'exact' }] },
          { ndc: '99990-404-16', fullContainers: 0, opened: [{ quantity: 470, measure: 'estimated' }] },
        ],
      }),
    );
    expect(sealed.signature.meaning).toBe('sealed');
    expect(sealed.lines.map((l) => [l.ndc, l.total, l.expected])).toEqual([
      ['0555-0767-02', 90, 90],
      ['99990-101-05', 4900, 4940],
      ['99990-404-16', 470, 470.5],
    ]);
    const entries = await entriesOf(phil, ['counts.inventory-sealed']);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.seq).toBe(sealed.ledgerSeq);
    expect(await value(phil('counts.nextDue'))).toMatchObject({
      state: 'ok',
      dueBy: '2028-03-31',
      lastInventory: { kind: 'initial' },
    });
    const twice = await phil('counts.sealInventory', { ...base, lines: [] });
    expect(twice.ok || twice.error).toMatchObject({ code: 'conflict', details: { rule: 'initial-exists' } });
  }, 60_000);

  it('rebuilds every projection from the ledger and finds it equal to the live one', async () => {
    const ava = await signIn(core, 'ava', 'ava');
    const check = await value<{ ok: boolean; entries: number; differences: string[] }>(
      ava('inventory.verifyProjections'),
    );
    console.log(
      `projection rebuild: ${check.entries} ledger entries replayed, differences: ${check.differences.length}`,
    );
    expect(check).toMatchObject({ ok: true, differences: [] });
    const pending = await value<{ pending: unknown[] }>(caller(core, 'ava')('approvals.pending'));
    expect(pending.pending).toEqual([]);
  });
});
