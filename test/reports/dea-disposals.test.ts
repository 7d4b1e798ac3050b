import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import { form106Deadlines } from '../../src/core/disposals';
import { caller, makeCore, PASSWORDS, signIn, tempDir, testClock, value } from '../inventory/helpers';

/*
 * A month of Schedule II–V activity at one pharmacy, recorded through the router as the pages do:
 * receipts (Schedule II approved by a second person), dispensing by prescription number, a theft
 * discovered on Friday 4 September 2026 (Labor Day is Monday the 7th), a destruction of three NDCs
 * witnessed by two people, and the biennial count. The four DEA reports it produces are read back
 * field by field: PDF through pdftotext -layout, CSV parsed, XLSX through exceljs.
 */

const clock = testClock(Date.parse('2026-08-10T14:00:00Z'));
let dir: string;
let core: Core;
type Call = Awaited<ReturnType<typeof signIn>>;
let admin: Call;
let tess: Call;
let phil: Call;
let cora: Call;

const SUPPLIER = {
  name: 'Keystone Wholesale Drug',
  deaNumber: 'PW1234563',
  address: '200 Commerce Way, Harrisburg, PA 17101',
};

const PRODUCTS = [
  // DEA's Form 41 example product, written as the form writes it.
  {
    ndc: '16590-598-60',
    name: 'Kadian',
    strength: '60mg',
    dosageForm: 'Capsules',
    packageSize: 60,
    unit: 'capsule',
    schedule: 'CII',
  },
  {
    ndc: '0555-0767-02',
    name: 'Adderall',
    strength: '5mg',
    dosageForm: 'Tablet',
    packageSize: 100,
    unit: 'tablet',
    schedule: 'CII',
  },
  {
    ndc: '0591-3555-01',
    name: 'Testosterone Cypionate',
    strength: '200 mg/mL',
    dosageForm: 'Injection',
    packageSize: 10,
    unit: 'mL',
    schedule: 'CIII',
  },
  {
    ndc: '0093-0058-01',
    name: 'Alprazolam',
    strength: '0.5 mg',
    dosageForm: 'Tablet',
    packageSize: 1000,
    unit: 'tablet',
    schedule: 'CIV',
  },
  {
    ndc: '0071-1013-68',
    name: 'Lyrica',
    strength: '75 mg',
    dosageForm: 'Capsule',
    packageSize: 90,
    unit: 'capsule',
    schedule: 'CV',
  },
] as const;

/** Moves the clock to the day (15:00 UTC); sessions lock after idle minutes, so each person signs in again. */
async function at(date: string): Promise<void> {
  const target = Date.parse(`${date}T15:00:00Z`);
  if (target > clock.now()) clock.advance(target - clock.now());
  tess = await signIn(core, 'tess', 'tess');
  phil = await signIn(core, 'phil', 'phil');
  cora = await signIn(core, 'cora', 'cora');
}

async function record(call: Call, who: keyof typeof PASSWORDS, transaction: Record<string, unknown>) {
  return value<{ id: string; status: string; subjectHash: string }>(
    call('inventory.record', { transaction, password: PASSWORDS[who] }),
  );
}

async function approve(tx: { id: string; subjectHash: string; status: string }) {
  if (tx.status !== 'pending') return;
  await value(
    cora('approvals.approve', {
      transactionId: tx.id,
      subjectHash: tx.subjectHash,
      password: PASSWORDS.cora,
    }),
  );
}

async function receive(ndc: string, containers: number, size: number, date: string, order?: string) {
  await at(date);
  const tx = await record(tess, 'tess', {
    kind: 'receipt',
    ndc,
    quantity: containers * size,
    containers,
    date,
    supplier: SUPPLIER,
    ...(order ? { order: { kind: 'dea-222', number: order } } : {}),
  });
  await approve(tx);
}

async function dispense(ndc: string, quantity: number, date: string, rx: string) {
  await at(date);
  await approve(
    await record(tess, 'tess', { kind: 'dispense', ndc, quantity, date, prescriptionNumber: rx }),
  );
}

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** RFC 4180 CSV into blocks by their name line (the renderer's layout: name, header, rows, blank). */
function csvBlocks(file: string): Map<string, string[][]> {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      records.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  const blocks = new Map<string, string[][]>();
  let current: string[][] | null = null;
  for (const r of records) {
    if (r.length === 1 && r[0] === '') current = null;
    else if (current === null) blocks.set(r[0]!, (current = []));
    else current.push(r);
  }
  return blocks;
}

async function generate(kind: string, format: 'pdf' | 'csv' | 'xlsx', params: Record<string, string>) {
  const file = await value<{ path: string; fileName: string }>(
    phil('reports.generate', { kind, format, params }),
  );
  // To look at what the test read: CUSTODIA_REPORTS_OUT=/some/folder keeps a copy of each file.
  const out = process.env.CUSTODIA_REPORTS_OUT;
  if (out) fs.copyFileSync(file.path, `${out}/${file.fileName}`);
  return file;
}

let incidentId: string;
let destructionId: string;
let inventoryId: string;

beforeAll(async () => {
  dir = tempDir('custodia-dea-disposals-');
  core = makeCore(dir, clock);
  const setup = caller(core, 'setup');
  await value(
    setup('setup.initialize', {
      registrant: {
        name: 'Main Street Pharmacy',
        address: { line1: '1 Main Street', city: 'Springfield', state: 'IL', zip: '62701' },
        phone: '217-555-0100',
        deaNumber: 'AB1234563',
        stateLicense: 'IL-054-000123',
        glns: [],
        businessType: 'pharmacy',
      },
      administrator: { username: 'admin', displayName: 'Ada Admin', password: PASSWORDS.admin },
    }),
  );
  admin = setup;
  for (const [username, displayName, roles] of [
    ['tess', 'Tess Technician', ['technician']],
    ['phil', 'Phil Pharmacist', ['pharmacist']],
    ['cora', 'Cora Compliance', ['compliance-officer']],
    ['paula', 'Paula Pharmacist', ['pharmacist']],
  ] as const) {
    await value(admin('users.create', { username, displayName, roles, password: PASSWORDS[username] }));
  }
  for (const p of PRODUCTS) await value(admin('products.add', p));
  tess = await signIn(core, 'tess', 'tess');
  phil = await signIn(core, 'phil', 'phil');
  cora = await signIn(core, 'cora', 'cora');

  await receive('16590-598-60', 7, 60, '2026-08-10', '261234567');
  await receive('0555-0767-02', 3, 100, '2026-08-10', '261234568');
  await receive('0591-3555-01', 4, 10, '2026-08-11');
  await receive('0093-0058-01', 2, 1000, '2026-08-11');
  await receive('0071-1013-68', 5, 90, '2026-08-12');
  let rx = 700100;
  for (const [i, date] of [
    '2026-08-13',
    '2026-08-17',
    '2026-08-20',
    '2026-08-24',
    '2026-08-27',
    '2026-09-01',
  ].entries()) {
    await dispense('16590-598-60', 30, date, `RX${rx++}`);
    await dispense('0555-0767-02', 20 + i, date, `RX${rx++}`);
    await dispense('0093-0058-01', 60, date, `RX${rx++}`);
    await dispense('0071-1013-68', 30, date, `RX${rx++}`);
    if (i % 2 === 0) await dispense('0591-3555-01', 2.5, date, `RX${rx++}`);
  }
}, 180_000);

afterAll(async () => {
  await core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('DEA Form 106 deadlines (one business day; 45 calendar days)', () => {
  it('counts from the discovery with the federal holidays of the shared calendar', () => {
    // A Friday: notice on Monday.
    expect(form106Deadlines('2026-08-14')).toEqual({ noticeDueBy: '2026-08-17', fileBy: '2026-09-28' });
    // The Friday before Labor Day (Monday 7 September 2026): notice on Tuesday.
    expect(form106Deadlines('2026-09-04')).toEqual({ noticeDueBy: '2026-09-08', fileBy: '2026-10-19' });
    // The day before Thanksgiving: notice on Friday.
    expect(form106Deadlines('2026-11-25').noticeDueBy).toBe('2026-11-27');
    // Year end: Thursday 31 December 2026, New Year's Day a Friday: notice on Monday 4 January.
    expect(form106Deadlines('2026-12-31')).toEqual({ noticeDueBy: '2027-01-04', fileBy: '2027-02-14' });
    // New Year's Day 2028 is a Saturday, observed Friday 31 December 2027: from Thursday the 30th, Monday.
    expect(form106Deadlines('2027-12-30').noticeDueBy).toBe('2028-01-03');
    // Christmas 2027 (Saturday) observed on Friday the 24th.
    expect(form106Deadlines('2027-12-23').noticeDueBy).toBe('2027-12-27');
  });
});

describe('a month of Schedule II–V activity produces the four DEA reports', () => {
  it('records a theft discovered on the Friday before Labor Day, with its notice and filing', async () => {
    await at('2026-09-04');
    const incident = await value<{
      id: string;
      noticeDueBy: string;
      fileBy: string;
      lines: { ndc: string; status: string }[];
    }>(
      tess('disposals.reportIncident', {
        lossType: 'break-in-burglary',
        discoveredOn: '2026-09-04',
        lossFrom: '2026-09-03',
        lossTo: '2026-09-04',
        description:
          'Rear door forced overnight; the Schedule II safe was intact, the open shelf was emptied.',
        policeNotified: true,
        policeDepartment: 'Springfield Police Department',
        policePhone: '217-555-0199',
        policeReportNumber: 'SPD-26-18844',
        purchaseValue: 412.5,
        stolenOrderForms: ['261234569'],
        securityMeasures: 'Door replaced with a steel door; motion sensor added to the back room.',
        priorIncidents24Months: 0,
        registrantCounty: 'Sangamon',
        lines: [
          { ndc: '16590-598-60', quantity: 20 },
          { ndc: '0093-0058-01', quantity: 100 },
          { ndc: '0591-3555-01', quantity: 5 },
        ],
        password: PASSWORDS.tess,
      }),
    );
    incidentId = incident.id;
    expect(incident).toMatchObject({ noticeDueBy: '2026-09-08', fileBy: '2026-10-19' });
    expect(incident.lines.map((l) => [l.ndc, l.status])).toEqual([
      ['16590-598-60', 'pending'],
      ['0093-0058-01', 'posted'],
      ['0591-3555-01', 'posted'],
    ]);
    // The Schedule II line waits for a second person, as a single theft/loss would.
    const pending = await value<{
      pending: { id: string; subjectHash: string; status: string; details: Record<string, unknown> }[];
    }>(cora('approvals.pending'));
    const line = pending.pending.find((p) => p.details.incidentId === incidentId)!;
    expect(line.details).toMatchObject({ line: 1, lossType: 'break-in-burglary' });
    await approve(line);
    await at('2026-09-08');
    await value(
      phil('disposals.recordNotice', {
        incidentId,
        notifiedOn: '2026-09-08',
        office: 'DEA Chicago Field Division',
        how: 'email to the diversion group',
        password: PASSWORDS.phil,
      }),
    );
    await at('2026-09-09');
    const filed = await value<{ notice: { late: boolean }; filing: { late: boolean } }>(
      phil('disposals.recordFiling', {
        incidentId,
        filedOn: '2026-09-09',
        confirmation: 'TLR-2026-0912345',
        password: PASSWORDS.phil,
      }),
    );
    expect(filed).toMatchObject({ notice: { late: false }, filing: { late: false } });
    // The incident's lines are not Form 106 drafts of their own.
    const drafts = await value<{ drafts: unknown[] }>(phil('counts.form106Drafts'));
    expect(drafts.drafts).toEqual([]);
  }, 60_000);

  it('refuses a destruction with one witness, the same person twice, or a total that does not add up', async () => {
    await at('2026-09-09');
    const base = {
      date: '2026-09-09',
      method: 'Denatured on site with an Rx Destroyer kit',
      place: { name: 'Main Street Pharmacy', address: '1 Main Street, Springfield, IL 62701' },
      lines: [{ ndc: '0071-1013-68', fullPackages: 0, partialCount: 10, quantity: 10 }],
      password: PASSWORDS.phil,
    };
    const one = await phil('disposals.recordDestruction', {
      ...base,
      witnesses: [{ username: 'tess', password: PASSWORDS.tess }],
    });
    expect(one.ok ? null : one.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'two-witnesses' },
    });
    const twice = await phil('disposals.recordDestruction', {
      ...base,
      witnesses: [
        { username: 'tess', password: PASSWORDS.tess },
        { username: 'tess', password: PASSWORDS.tess },
      ],
    });
    expect(twice.ok ? null : twice.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'two-witnesses' },
    });
    const badCount = await phil('disposals.recordDestruction', {
      ...base,
      lines: [{ ndc: '16590-598-60', fullPackages: 2, partialCount: 0, quantity: 100 }],
      witnesses: [
        { username: 'tess', password: PASSWORDS.tess },
        { username: 'paula', password: PASSWORDS.paula },
      ],
    });
    expect(badCount.ok ? null : badCount.error).toMatchObject({ details: { rule: 'form41-count' } });
    expect(badCount.ok ? '' : badCount.error.message).toContain('make 120 capsule, not 100');
    // Each refusal is recorded; nothing left the inventory.
    const refused = await value<{ entries: { type: string }[] }>(
      phil('ledger.entries', { types: ['disposals.refused'], limit: 10 }),
    );
    expect(refused.entries).toHaveLength(3);
  }, 60_000);

  it('records a destruction of three NDCs witnessed by two people who sign the declaration', async () => {
    await at('2026-09-09');
    const d = await value<{
      id: string;
      lines: { ndc: string; status: string }[];
      signatures: { meaning: string; printedName: string; subjectHash: string }[];
      declaration: string;
    }>(
      phil('disposals.recordDestruction', {
        date: '2026-09-09',
        method: 'Denatured on site with an Rx Destroyer kit',
        place: { name: 'Main Street Pharmacy', address: '1 Main Street, Springfield, IL 62701' },
        lines: [
          { ndc: '16590-598-60', fullPackages: 2, partialCount: 0, quantity: 120 },
          { ndc: '0555-0767-02', batch: 'AD4471', fullPackages: 0, partialCount: 83, quantity: 83 },
          { ndc: '0071-1013-68', fullPackages: 1, partialCount: 12, quantity: 102 },
        ],
        witnesses: [
          { username: 'tess', password: PASSWORDS.tess },
          { username: 'paula', password: PASSWORDS.paula },
        ],
        password: PASSWORDS.phil,
      }),
    );
    destructionId = d.id;
    expect(d.declaration).toContain('I declare under penalty of perjury, pursuant to 18 U.S.C. 1001');
    const witnessed = d.signatures.filter((s) => s.meaning === 'witnessed');
    expect(witnessed.map((s) => s.printedName).sort()).toEqual(['Paula Pharmacist', 'Tess Technician']);
    // Both witnesses signed the same subject as the recorder: the one holding the declaration.
    expect(new Set(d.signatures.map((s) => s.subjectHash)).size).toBe(1);
    expect(d.lines.map((l) => l.status)).toEqual(['pending', 'pending', 'posted']);
    const pending = await value<{
      pending: { id: string; subjectHash: string; status: string; details: Record<string, unknown> }[];
    }>(cora('approvals.pending'));
    for (const p of pending.pending.filter((x) => x.details.destructionId === destructionId))
      await approve(p);
  }, 60_000);

  it('refuses to seal an inventory that leaves out an NDC with a balance, then seals the biennial count signed by each counter', async () => {
    await at('2026-09-10');
    const balances = await value<{ balances: { ndc: string; onHand: number; packageSize: number }[] }>(
      phil('inventory.balances'),
    );
    const lineOf = (ndc: string) => {
      const b = balances.balances.find((x) => x.ndc === ndc)!;
      const full = Math.floor(b.onHand / b.packageSize);
      const rest = Math.round((b.onHand - full * b.packageSize) * 1000) / 1000;
      const exact = ndc.startsWith('16590') || ndc.startsWith('0555') || ndc.startsWith('0093');
      return {
        ndc,
        fullContainers: full,
        opened: rest > 0 ? [{ quantity: rest, measure: exact ? 'exact' : 'estimated' }] : [],
      };
    };
    const base = {
      kind: 'biennial',
      date: '2026-09-10',
      timing: 'close',
      time: '19:00',
      countedBy: [{ username: 'tess', password: PASSWORDS.tess }, { username: 'phil' }],
      password: PASSWORDS.phil,
    };
    const incomplete = await phil('counts.sealInventory', {
      ...base,
      lines: PRODUCTS.filter((p) => p.schedule !== 'CV').map((p) => lineOf(p.ndc)),
    });
    expect(incomplete.ok ? null : incomplete.error).toMatchObject({
      code: 'rule-violation',
      details: { rule: 'inventory-incomplete', missing: ['0071-1013-68'] },
    });
    const unsigned = await phil('counts.sealInventory', {
      ...base,
      countedBy: [{ username: 'tess' }],
      lines: PRODUCTS.map((p) => lineOf(p.ndc)),
    });
    expect(unsigned.ok ? null : unsigned.error).toMatchObject({ details: { rule: 'counter-signature' } });
    const sealed = await value<{
      id: string;
      countedBy: string[];
      lines: { ndc: string; unit: string; total: number; expected: number }[];
      counterSignatures: { printedName: string; meaning: string }[];
    }>(phil('counts.sealInventory', { ...base, lines: PRODUCTS.map((p) => lineOf(p.ndc)) }));
    inventoryId = sealed.id;
    expect(sealed.countedBy).toEqual(['Tess Technician', 'Phil Pharmacist']);
    expect(sealed.counterSignatures.map((s) => [s.printedName, s.meaning])).toEqual([
      ['Tess Technician', 'counted'],
      ['Phil Pharmacist', 'counted'],
    ]);
    expect(sealed.lines.map((l) => [l.ndc, l.unit, l.total === l.expected])).toEqual(
      PRODUCTS.map((p) => [p.ndc, p.unit, true]),
    );
  }, 60_000);

  it('dea-106: the worksheet section by section, with the deadlines', async () => {
    const text = pdfText((await generate('dea-106', 'pdf', { id: incidentId })).path);
    expect(text).toContain('DEA Form 106 worksheet');
    expect(text).toMatch(/Discovered\s+Friday 2026-09-04/);
    expect(text).toMatch(/Written notice to DEA due by\s+Tuesday 2026-09-08/);
    expect(text).toMatch(/Notice given\s+on time \(2026-09-08\): DEA Chicago Field Division/);
    expect(text).toMatch(/Form 106 due by\s+Monday 2026-10-19/);
    expect(text).toMatch(/Form 106 filed\s+on time \(2026-09-09\); TLR confirmation TLR-2026-0912345/);
    expect(text).toContain('Section 1 — Authentication and Report Selection');
    expect(text).toMatch(/DEA registration number\s+AB1234563/);
    expect(text).toMatch(/County\s+Sangamon/);
    expect(text).toMatch(/Registrant telephone\s+217-555-0100/);
    expect(text).toContain('Section 2 — Theft/Loss Details');
    expect(text).toMatch(/Type of theft or loss\s+BREAK-IN\/BURGLARY/);
    expect(text).toMatch(/between 2026-09-03 and 2026-09-04/);
    expect(text).toMatch(/Value \(purchase cost\)\s+\$412\.50/);
    expect(text).toMatch(/Police report number\s+SPD-26-18844/);
    expect(text).toMatch(/Police telephone\s+217-555-0199/);
    expect(text).toMatch(/Order form serial numbers\s+261234569/);
    expect(text).toContain('Door replaced with a steel door');
    expect(text).toMatch(/16590-598-60\s+Kadian\s+60mg\s+Capsules\s+Schedule II\s+60\s+20\s+UNIT/);
    expect(text).toMatch(
      /0591-3555-01\s+Testosterone\s+200 mg\/mL\s+Injection\s+Schedule III\s+10\s+5\s+MILLILITER/,
    );

    const csv = csvBlocks((await generate('dea-106', 'csv', { id: incidentId })).path);
    expect(csv.get('Substances')).toEqual([
      [
        'NDC',
        'Product',
        'Strength',
        'Dosage form',
        'Schedule',
        'Quantity per package',
        'Quantity lost',
        'Unit of measure',
        'Lot',
        'Inventory',
      ],
      ['16590-598-60', 'Kadian', '60mg', 'Capsules', 'Schedule II', '60', '20', 'UNIT', '', 'posted'],
      ['0093-0058-01', 'Alprazolam', '0.5 mg', 'Tablet', 'Schedule IV', '1000', '100', 'UNIT', '', 'posted'],
      [
        '0591-3555-01',
        'Testosterone Cypionate',
        '200 mg/mL',
        'Injection',
        'Schedule III',
        '10',
        '5',
        'MILLILITER',
        '',
        'posted',
      ],
    ]);
  }, 60_000);

  it('dea-41: the sections of the form, with DEA’s Kadian row exactly as the form has it', async () => {
    const text = pdfText((await generate('dea-41', 'pdf', { id: destructionId })).path);
    expect(text).toContain('Registrant Record of Controlled Substances Destroyed');
    for (const heading of [
      'A. Registrant information',
      'B. Item destroyed — (1) Inventory',
      'B. Item destroyed — (2) Collected Substances',
      'C. Method of destruction',
      'D. Witnesses',
    ])
      expect(text).toContain(heading);
    expect(text).toMatch(/16590-598-60\s+N\/A\s+Kadian\s+60mg\s+Capsules\s+60\s+2\s+0\s+120 Capsules/);
    expect(text).toMatch(/0555-0767-02\s+AD4471\s+Adderall\s+5mg\s+Tablet\s+100\s+0\s+83\s+83 Tablets/);
    expect(text).toMatch(/Method of Destruction\s+Denatured on site with an Rx Destroyer kit/);
    expect(text).toMatch(/First\s+Tess Technician\s+Signed electronically 2026-09-09/);
    expect(text).toMatch(/Second\s+Paula Pharmacist\s+Signed electronically 2026-09-09/);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'pursuant to 18 U.S.C. 1001, that I personally witnessed the destruction',
    );

    const wbFile = (await generate('dea-41', 'xlsx', { id: destructionId })).path;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(wbFile);
    const sheet = wb.getWorksheet('B1 Inventory')!;
    const rowValues = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(rowValues(1)).toEqual([
      'National Drug Code or DEA Controlled Substances Code Number',
      'Batch Number',
      'Name of Substance',
      'Strength',
      'Form',
      'Pkg. Qty.',
      'Number of Full Pkgs.',
      'Partial Pkg. Count',
      'Total Destroyed',
    ]);
    expect(rowValues(2)).toEqual([
      '16590-598-60',
      'N/A',
      'Kadian',
      '60mg',
      'Capsules',
      60,
      2,
      0,
      '120 Capsules',
    ]);
    expect(rowValues(4)).toEqual([
      '0071-1013-68',
      'N/A',
      'Lyrica',
      '75 mg',
      'Capsule',
      90,
      1,
      12,
      '102 Capsules',
    ]);
  }, 60_000);

  it('biennial-inventory: by schedule, exact or estimated, date, close of business, who counted', async () => {
    const text = pdfText((await generate('biennial-inventory', 'pdf', {})).path);
    expect(text).toContain('Biennial inventory of controlled substances');
    expect(text).toMatch(/Taken as of\s+Close of business \(19:00\)/);
    expect(text).toMatch(/Counted by\s+Tess Technician, Phil Pharmacist/);
    expect(text).toContain('21 CFR 1304.11(e)');
    expect(text).not.toMatch(/1304\.11\(e\)\(\d\)/);
    for (const s of ['Schedule II', 'Schedule III', 'Schedule IV', 'Schedule V']) expect(text).toContain(s);

    const csv = csvBlocks((await generate('biennial-inventory', 'csv', { id: inventoryId })).path);
    const byNdc = (sheet: string) =>
      new Map(
        csv
          .get(sheet)!
          .slice(1)
          .map((r) => [r[0], r]),
      );
    const kadian = byNdc('Schedule II').get('16590-598-60')!;
    const balances = await value<{ balances: { ndc: string; onHand: number }[] }>(phil('inventory.balances'));
    const onHand = (ndc: string) => String(balances.balances.find((b) => b.ndc === ndc)!.onHand);
    // 7 × 60 received, 6 × 30 dispensed, 20 stolen, 120 destroyed: 100 left, one full bottle and 40.
    expect(kadian).toEqual([
      '16590-598-60',
      'Kadian 60mg Capsules',
      '60',
      'capsule',
      '1',
      '40',
      'Exact',
      '100',
      '100',
      '0',
      '',
    ]);
    const testosterone = byNdc('Schedule III').get('0591-3555-01')!;
    expect(testosterone.slice(2, 10)).toEqual([
      '10',
      'mL',
      '2',
      '7.5',
      'Estimated',
      onHand('0591-3555-01'),
      onHand('0591-3555-01'),
      '0',
    ]);
    // Alprazolam: an opened container of 1,000 tablets is not "more than 1,000": counted exactly here anyway.
    expect(byNdc('Schedule IV').get('0093-0058-01')!.slice(4, 8)).toEqual([
      '1',
      '540',
      'Exact',
      onHand('0093-0058-01'),
    ]);
    expect(byNdc('Schedule V').get('0071-1013-68')!.slice(6, 8)).toEqual([
      'Estimated',
      onHand('0071-1013-68'),
    ]);
    const signatures = csv
      .get('Signatures')!
      .slice(1)
      .map((r) => [r[0], r[1]]);
    expect(signatures).toEqual(
      expect.arrayContaining([
        ['Tess Technician', 'counted'],
        ['Phil Pharmacist', 'counted'],
        ['Phil Pharmacist', 'sealed'],
      ]),
    );
  }, 60_000);

  it('cs-log: receiving and dispensing by schedule and NDC, running balances ending at the perpetual inventory', async () => {
    const balances = await value<{ balances: { ndc: string; onHand: number }[] }>(phil('inventory.balances'));
    const csv = csvBlocks((await generate('cs-log', 'csv', { from: '2026-08-01' })).path);
    const summary = csv.get('Balances')!;
    expect(summary[0]).toEqual([
      'Schedule',
      'NDC',
      'Product',
      'Unit',
      'Opening',
      'Received',
      'Dispensed',
      'Other in',
      'Other out',
      'Closing',
    ]);
    for (const b of balances.balances) {
      const row = summary.find((r) => r[1] === b.ndc)!;
      expect(Number(row[9])).toBe(b.onHand);
    }
    expect(summary.find((r) => r[1] === '16590-598-60')).toEqual([
      'Schedule II',
      '16590-598-60',
      'Kadian 60mg',
      'capsule',
      '0',
      '420',
      '180',
      '0',
      '140',
      '100',
    ]);
    // Schedule II is a log of its own; each NDC's last running balance is its perpetual inventory.
    const cii = csv.get('Schedule II log')!;
    expect(cii[0]!.slice(0, 8)).toEqual([
      'NDC',
      'Date',
      'Transaction',
      'Received',
      'Dispensed',
      'Other',
      'Balance',
      'Prescription / supplier / reference',
    ]);
    const kadian = cii.filter((r) => r[0] === '16590-598-60');
    expect(kadian[0]!.slice(1, 8)).toEqual([
      '2026-08-10',
      'Received',
      '420',
      '',
      '',
      '420',
      'Keystone Wholesale Drug, 200 Commerce Way, Harrisburg, PA 17101, DEA PW1234563, order 261234567',
    ]);
    expect(kadian[1]!.slice(1, 8)).toEqual(['2026-08-13', 'Dispensed', '', '30', '', '390', 'Rx RX700100']);
    expect(kadian.at(-1)![6]).toBe('100');
    for (const schedule of ['Schedule III log', 'Schedule IV log', 'Schedule V log']) {
      for (const b of balances.balances) {
        const rows = csv.get(schedule)!.filter((r) => r[0] === b.ndc);
        if (rows.length > 0) expect(Number(rows.at(-1)![6])).toBe(b.onHand);
      }
    }
    const pdf = pdfText(
      (await generate('cs-log', 'pdf', { from: '2026-09-01', to: '2026-09-30', product: '0093-0058-01' }))
        .path,
    );
    expect(pdf.replace(/\s+/g, ' ')).toContain(
      'the patient’s name and address stay in the dispensing (pharmacy management) system',
    );
    expect(pdf).toMatch(/0093-0058-01\s+2026-09-01\s+Dispensed\s+60\s+1640\s+Rx RX7001/);
    const xlsx = new ExcelJS.Workbook();
    await xlsx.xlsx.readFile((await generate('cs-log', 'xlsx', { from: '2026-08-01' })).path);
    expect(xlsx.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining([
        'Balances',
        'Schedule II log',
        'Schedule III log',
        'Schedule IV log',
        'Schedule V log',
      ]),
    );
    const ws = xlsx.getWorksheet('Schedule IV log')!;
    expect(ws.getRow(2).getCell(4).value).toBe(2000);
  }, 60_000);

  it('dea-106 from a single theft/loss draft: what it recorded, and what the form still asks', async () => {
    await at('2026-09-11');
    const single = await record(tess, 'tess', {
      kind: 'theft-loss',
      ndc: '0071-1013-68',
      quantity: 8,
      date: '2026-09-11',
      lossType: 'customer-theft',
      discoveredOn: '2026-09-11',
      policeNotified: false,
      description: 'A bottle taken from the pickup counter.',
    });
    const text = pdfText((await generate('dea-106', 'pdf', { id: single.id })).path);
    expect(text).toMatch(/Discovered\s+Friday 2026-09-11/);
    expect(text).toMatch(/Written notice to DEA due by\s+Monday 2026-09-14/);
    expect(text).toMatch(/Type of theft or loss\s+CUSTOMER THEFT \(OR NON EMPLOYEE\)/);
    expect(text).toMatch(/Value \(purchase cost\)\s+not recorded/);
    expect(text).toContain('Prepared from a single theft/loss');
    expect(text).toMatch(/0071-1013-68\s+Lyrica\s+75 mg\s+Capsule\s+Schedule V\s+90\s+8\s+UNIT\s+posted/);
  }, 60_000);

  it('the projections rebuilt from the ledger equal the live ones', async () => {
    const check = await value<{ ok: boolean; differences: string[] }>(phil('inventory.verifyProjections'));
    expect(check).toMatchObject({ ok: true, differences: [] });
  });
});
