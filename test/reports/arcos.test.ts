import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import { arcosLayout } from '../../src/core/reports/kinds/arcos-layout';
import { runCaptured } from '../cli/run';
import type { caller } from '../inventory/helpers';
import {
  entriesOf,
  makeCore,
  PASSWORDS,
  signIn,
  staffPharmacy,
  SUPPLIER,
  tempDir,
  testClock,
  value,
} from '../inventory/helpers';

/*
 * The ARCOS file from a ledger, through the router and the CLI: reportable products with their DEA
 * drug code, Schedule II receipts and sales with order numbers, the file for a quarter checked
 * position by position from the layout table, marked submitted (signed), then a correction of a
 * submitted receipt (action A, same transaction identifier), a transaction recorded late for the
 * submitted quarter (action I), a quantity that is no whole number of packages refused with its
 * transaction and field named and nothing written, and the PDF summary read back.
 */

const clock = testClock(Date.parse('2026-02-05T09:00:00Z'));
let dir: string;
let core: Core;
type Call = ReturnType<typeof caller>;
let admin: Call;
let cora: Call;
let phil: Call;

const KADIAN = '16590-598-60'; // 60 capsules a package, Schedule II
const ELM = { name: 'Elm Street Pharmacy', deaNumber: 'BE1234563' };
const layout = arcosLayout();

type Tx = { id: string; subjectHash: string; ledgerSeq: number; status: string };
type Gen = { path: string; sha256: string; generation: { seq: number } };

/** Records a transaction as Cora and, for Schedule II, has Phil approve it. */
async function record(transaction: Record<string, unknown>): Promise<Tx> {
  return approved(await value<Tx>(cora('inventory.record', { transaction, password: PASSWORDS.cora })));
}

/** Cora corrects a posted transaction to the quantity it should have had; Phil approves Schedule II. */
async function correct(tx: Tx, correctQuantity: number, reason: string): Promise<Tx> {
  return approved(
    await value<Tx>(
      cora('inventory.correct', { transactionId: tx.id, correctQuantity, reason, password: PASSWORDS.cora }),
    ),
  );
}

async function approved(tx: Tx): Promise<Tx> {
  if (tx.status !== 'pending') return tx;
  return value<Tx>(
    phil('approvals.approve', {
      transactionId: tx.id,
      subjectHash: tx.subjectHash,
      password: PASSWORDS.phil,
    }),
  );
}

async function generate(id: string, format = 'txt'): Promise<Gen> {
  return value<Gen>(phil('reports.generate', { kind: 'arcos', format, params: { id } }));
}

function linesOf(file: string): string[] {
  const text = fs.readFileSync(file, 'ascii');
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n');
}

/** A record's fields, sliced by the layout table's positions. */
function fields(record: string): Record<string, string> {
  return Object.fromEntries(
    layout.fields.map((f) => [f.key, record.slice(f.start - 1, f.start - 1 + f.length)]),
  );
}

const tid = (seq: number) => String(seq).padStart(10, '0');

let receipt: Tx;
let sale: Tx;
let voided: Tx;
let april: Tx;
let q1: Gen;

beforeAll(async () => {
  dir = tempDir('custodia-arcos-');
  core = makeCore(dir, clock);
  await staffPharmacy(core);
  admin = await signIn(core, 'admin', 'admin');
  cora = await signIn(core, 'cora', 'cora');
  phil = await signIn(core, 'phil', 'phil');
  await value(admin('arcos.setSettings', { frequency: 'quarterly', documentIdentifier: 'A01' }));
  await value(
    admin('arcos.setProduct', {
      ndc: KADIAN,
      reportable: true,
      drugCode: '9300',
      narcotic: true,
      packageSize: null,
    }),
  );
  receipt = await record({
    kind: 'receipt',
    ndc: KADIAN,
    quantity: 120,
    containers: 2,
    date: '2026-02-03',
    supplier: SUPPLIER,
    order: { kind: 'csos', number: '26X000123' },
  });
  sale = await record({
    kind: 'transfer',
    direction: 'out',
    ndc: KADIAN,
    quantity: 60,
    date: '2026-02-04',
    counterparty: ELM,
    order: { kind: 'csos', number: '26X000124' },
  });
  voided = await record({
    kind: 'transfer',
    direction: 'out',
    ndc: KADIAN,
    quantity: 60,
    date: '2026-02-05',
    counterparty: ELM,
    order: { kind: 'csos', number: '26X000129' },
  });
  // Alprazolam (Schedule IV) is not marked reportable: it stays out of the file.
  await record({
    kind: 'receipt',
    ndc: '0093-0058-01',
    quantity: 1000,
    containers: 1,
    date: '2026-02-04',
    supplier: SUPPLIER,
  });
}, 120_000);

afterAll(async () => {
  await core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the ARCOS file of a quarter', () => {
  it("is the control record and one 80-character record per reportable transaction, at the layout's positions", async () => {
    q1 = await generate('2026-Q1');
    const lines = linesOf(q1.path);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toHaveLength(80);
    expect(lines[0]).toBe('AB1234563*03312026Q'.padEnd(80, ' '));
    expect(fields(lines[1]!)).toEqual({
      reportingRegistrant: 'AB1234563',
      transactionCode: 'P',
      actionIndicator: ' ',
      ndc: '16590059860',
      quantity: '00000002',
      unit: ' ',
      associateRegistrant: 'PW1234563',
      orderFormNumber: '26X000123',
      transactionDate: '020326',
      correctionNumber: ' '.repeat(8),
      strength: ' '.repeat(4),
      transactionId: tid(receipt.ledgerSeq),
      documentIdentifier: 'A01',
    });
    expect(fields(lines[2]!)).toMatchObject({
      transactionCode: 'S',
      quantity: '00000001',
      associateRegistrant: 'BE1234563',
      orderFormNumber: '26X000124',
      transactionDate: '020426',
      transactionId: tid(sale.ledgerSeq),
    });
    expect(fields(lines[3]!)).toMatchObject({ transactionCode: 'S', transactionId: tid(voided.ledgerSeq) });
  });

  it('refuses a month while reporting is quarterly (DEA authorizes monthly in writing)', async () => {
    const r = await phil('reports.preview', { kind: 'arcos', format: 'txt', params: { id: '2026-02' } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.details).toMatchObject({ rule: 'arcos-frequency' });
  });

  it('is marked submitted once, signed, and given back byte for byte when asked again', async () => {
    const marked = await value<{ period: string; records: number; submittedBy: string; seq: number }>(
      cora('arcos.markSubmitted', {
        sha256: q1.sha256,
        confirmation: 'DEA-UPLOAD-0001',
        password: PASSWORDS.cora,
      }),
    );
    expect(marked).toMatchObject({ period: '2026-Q1', records: 3, submittedBy: 'Cora Compliance' });
    const [entry] = (await entriesOf(cora, ['arcos.submitted'])).filter((e) => e.seq === marked.seq);
    expect(entry!.payload).toMatchObject({
      period: '2026-Q1',
      sha256: q1.sha256,
      records: [
        { transactionSeq: receipt.ledgerSeq, action: '' },
        { transactionSeq: sale.ledgerSeq, action: '' },
        { transactionSeq: voided.ledgerSeq, action: '' },
      ],
      signature: { printedName: 'Cora Compliance', meaning: 'submitted' },
    });
    const again = await cora('arcos.markSubmitted', { sha256: q1.sha256, password: PASSWORDS.cora });
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.details).toMatchObject({ rule: 'arcos-submitted-once' });
    const wrongPassword = await cora('arcos.markSubmitted', {
      sha256: q1.sha256,
      password: 'not my password at all',
    });
    expect(!wrongPassword.ok && wrongPassword.error.code).toBe('forbidden');

    const regenerated = await generate('2026-Q1');
    expect(regenerated.sha256).toBe(q1.sha256);
  });

  it('carries a correction of a submitted receipt as A with the same identifier, and a late one as I', async () => {
    clock.advance(65 * 86_400_000); // 11 April 2026
    // Sessions end with inactivity: sign in again.
    cora = await signIn(core, 'cora', 'cora');
    phil = await signIn(core, 'phil', 'phil');
    await correct(receipt, 180, 'Three containers arrived, not two; the packing slip was misread.');
    // The third February sale never happened: corrected to nothing.
    await correct(voided, 0, 'Entered twice; this sale did not happen.');
    const late = await record({
      kind: 'transfer',
      direction: 'out',
      ndc: KADIAN,
      quantity: 60,
      date: '2026-03-30',
      counterparty: ELM,
      order: { kind: 'csos', number: '26X000125' },
    });
    april = await record({
      kind: 'receipt',
      ndc: KADIAN,
      quantity: 60,
      containers: 1,
      date: '2026-04-08',
      supplier: SUPPLIER,
      order: { kind: 'csos', number: '26X000126' },
    });
    const lines = linesOf((await generate('2026-Q2')).path);
    expect(lines[0]).toBe('AB1234563*06302026Q'.padEnd(80, ' '));
    const records = lines.slice(1).map(fields);
    expect(records.map((r) => [r.transactionId, r.actionIndicator, r.quantity, r.transactionDate])).toEqual([
      [tid(receipt.ledgerSeq), 'A', '00000003', '020326'],
      [tid(voided.ledgerSeq), 'D', '00000001', '020526'],
      [tid(late.ledgerSeq), 'I', '00000001', '033026'],
      [tid(april.ledgerSeq), ' ', '00000001', '040826'],
    ]);
    // The unchanged sale of February is not repeated.
    expect(records.some((r) => r.transactionId === tid(sale.ledgerSeq))).toBe(false);
  });

  it('takes the associate value DEA allows where a transaction has none, and refuses a DEA number that fails its check digit', async () => {
    const bad = await cora('arcos.setAssociate', {
      transactionId: april.id,
      associate: 'PW1234567',
      reason: 'Keyed from the invoice',
    });
    expect(!bad.ok && bad.error.details).toMatchObject({ rule: 'dea-number' });
    await value(
      cora('arcos.setAssociate', {
        transactionId: april.id,
        associate: 'UNKNOWN',
        reason: 'The supplier on the invoice is not a registrant we can name',
      }),
    );
    const lines = linesOf((await generate('2026-Q2')).path);
    const record = lines.map(fields).find((r) => r.transactionId === tid(april.ledgerSeq))!;
    expect(record.associateRegistrant).toBe('UNKNOWN  ');
  });

  it('summarizes the file in a PDF for the page', async () => {
    // A Schedule II receipt still waiting for its second person is not in the file, and the PDF says so.
    const pending = await value<Tx>(
      cora('inventory.record', {
        transaction: {
          kind: 'receipt',
          ndc: KADIAN,
          quantity: 60,
          containers: 1,
          date: '2026-04-10',
          supplier: SUPPLIER,
          order: { kind: 'csos', number: '26X000128' },
        },
        password: PASSWORDS.cora,
      }),
    );
    expect(pending.status).toBe('pending');
    const pdf = await generate('2026-Q2', 'pdf');
    const text = execFileSync('pdftotext', ['-layout', pdf.path, '-'], { encoding: 'utf8' });
    expect(text).toContain('ARCOS transaction report');
    expect(text).toContain('2026-Q2');
    expect(text).toMatch(/4 transaction record\(s\): 1 new, 1 adjusted, 1 deleted, 1 reported late/);
    expect(text).toContain('A adjust');
    expect(text).toContain('I insert');
    expect(text).toContain('FLAG');
    expect(text).toContain('Kadian');
    expect(text).toMatch(/Transaction Identifier\s+68-77/);
    expect(text).toMatch(/waiting for a second person to\s+1 transaction\(s\)/);
  });

  it('refuses a quantity that is no whole number of packages, naming the transaction and field, and writes nothing', async () => {
    const partial = await record({
      kind: 'transfer',
      direction: 'out',
      ndc: KADIAN,
      quantity: 30,
      date: '2026-04-09',
      counterparty: ELM,
      order: { kind: 'csos', number: '26X000127' },
    });
    const exports = path.join(dir, 'exports');
    const filesBefore = fs.readdirSync(exports).sort();
    const generatedBefore = (await entriesOf(phil, ['reports.generated'])).length;
    const r = await phil('reports.generate', { kind: 'arcos', format: 'txt', params: { id: '2026-Q2' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid-input');
    expect(r.error.message).toContain(`transaction ${partial.ledgerSeq} (transfer of Kadian 60 mg`);
    expect(r.error.message).toContain('field 5 Quantity');
    expect(r.error.details).toMatchObject({
      rule: 'arcos-record',
      failures: [{ transactionId: String(partial.ledgerSeq), field: 'quantity' }],
    });
    expect(fs.readdirSync(exports).sort()).toEqual(filesBefore);
    expect(await entriesOf(phil, ['reports.generated'])).toHaveLength(generatedBefore);
  });

  it('lists the submission in the ARCOS overview', async () => {
    const overview = await value<{
      settings: unknown;
      products: { ndc: string; packageSize: number }[];
      submissions: { period: string; records: number }[];
    }>(phil('arcos.overview'));
    expect(overview.settings).toEqual({ frequency: 'quarterly', documentIdentifier: 'A01' });
    expect(overview.products).toEqual([
      expect.objectContaining({ ndc: KADIAN, packageSize: 60, drugCode: '9300' }),
    ]);
    expect(overview.submissions).toEqual([expect.objectContaining({ period: '2026-Q1', records: 3 })]);
    // The ARCOS tables rebuild from the ledger alone, equal to the live ones.
    const verified = await value<{ ok: boolean; differences: string[] }>(phil('inventory.verifyProjections'));
    expect(verified).toMatchObject({ ok: true, differences: [] });
  });
});

describe('custodia report arcos and custodia arcos submitted', () => {
  it('writes the fixed-width file and marks it submitted, signed', async () => {
    await core.close();
    const out = path.join(dir, 'out', 'arcos-2026-Q3.txt');
    const asPhil = { env: { ...process.env, CUSTODIA_PASSWORD: PASSWORDS.phil } };
    const made = await runCaptured(
      [
        'report',
        'arcos',
        '--data',
        dir,
        '--user',
        'phil',
        '--id',
        '2026-Q3',
        '--format',
        'txt',
        '--out',
        out,
      ],
      asPhil,
    );
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(out)).digest('hex');
    expect(made.stdout).toContain(`SHA-256 ${sha256}`);
    expect(linesOf(out)[0]).toBe('AB1234563*09302026Q'.padEnd(80, ' '));

    const asCora = { env: { ...process.env, CUSTODIA_PASSWORD: PASSWORDS.cora } };
    const marked = await runCaptured(
      ['arcos', 'submitted', out, '--data', dir, '--user', 'cora', '--confirmation', 'DEA-UPLOAD-0003'],
      asCora,
    );
    expect(marked.stderr).toBe('');
    expect(marked.code).toBe(0);
    expect(marked.stdout).toContain('ARCOS 2026-Q3');
    expect(marked.stdout).toContain('signed by Cora Compliance');
    const twice = await runCaptured(['arcos', 'submitted', out, '--data', dir, '--user', 'cora'], asCora);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already marked submitted');
  });
});
