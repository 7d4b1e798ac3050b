import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventHash } from '../../src/core/epcis/hash';
import { readValidated } from '../../src/core/epcis/pipeline';
import { fileSource } from '../../src/core/epcis/text-source';
import { buildReport, renderReport, type ReportRequest } from '../../src/core/reports/engine';
import { runCaptured } from '../cli/run';
import { tempDir } from '../ingest/helpers';
import { DEMO, generate, loadDemo, reportContext } from './helpers';

/*
 * The DSCSA T3 worked for a lot of the demo month: the PDF read back with pdftotext -layout and
 * checked field by field (page 1 kept as a PNG under test-results/reports), the EPCIS forms through
 * the validator with every event hashing to the hash the ledger stored at import, --at after more
 * writes to the same lot, and a report asked for during an uncommitted write.
 */

const ARTIFACTS = path.join(import.meta.dirname, '..', '..', 'test-results', 'reports');
const EP2601: ReportRequest = {
  kind: 'dscsa-t3',
  format: 'pdf',
  params: { gtin: '00300010123455', lot: 'EP2601' },
};

function pdfText(bytes: Buffer): string {
  const dir = tempDir('custodia-t3-pdf-');
  const file = path.join(dir, 'r.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** The value printed beside a label in the PDF's two-column field layout (first line). */
function field(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(label));
  expect(line, label).toBeDefined();
  return line!.slice(line!.indexOf(label) + label.length).trim();
}

async function demo() {
  const ctx = await reportContext();
  const statuses = await loadDemo(ctx);
  expect(Object.values(statuses).filter((s) => s === 'imported')).toHaveLength(7);
  return ctx;
}

describe('DSCSA T3', () => {
  it('for lot EP2601 of the demo month: the PDF, field by field', async () => {
    const ctx = await demo();
    const pdf = await generate(ctx, EP2601);
    const text = pdfText(pdf);
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const size = ctx.read((s) => s.checkpoint!.size);
    const root = ctx.read((s) => s.checkpoint!.root.toString('hex'));
    pages.forEach((page, i) => {
      // The registrant block on every page; the checkpoint and the page number in every footer.
      expect(page).toContain('Main Street Pharmacy');
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page).toContain(`Ledger checkpoint: tree size ${size}`);
      expect(page).toContain(`Root hash ${root}`);
      expect(page).toContain('custodia audit verify');
    });
    expect(text).toContain('DSCSA transaction information, history and statement');
    expect(field(text, 'GTIN ')).toBe('00300010123455');
    expect(field(text, 'Lot ')).toBe('EP2601');
    expect(field(text, 'Transactions found')).toBe('1');
    expect(field(text, 'Transferred by (seller)')).toBe(
      'Keystone Drug Wholesale, 400 Distribution Way, Columbus, OH 43215, GLN',
    );
    expect(text).toMatch(/\n\s+0812345000009\n/);
    expect(field(text, 'Transferred to (buyer)')).toMatch(
      /^Main Street Pharmacy, 1 Main Street, Springfield, IL 62701/,
    );
    expect(field(text, 'Transaction date')).toBe('2026-03-02');
    expect(field(text, 'Reference (PO, invoice or ASN)')).toBe(
      'urn:epcglobal:cbv:bt:0812345000009:KDW-ASN-1000',
    );
    expect(field(text, 'Received as')).toBe('2026-03-02-keystone-epcis.xml');
    expect(field(text, 'Transaction statement, as')).toBe(
      'Affirmed by the seller: "Seller has complied with each applicable subsection of',
    );
    // Transaction information: name, strength and form, NDC, GTIN, container size, count, lot.
    const ti = text.split('\n').find((l) => l.trimStart().startsWith('Epcistra'))!;
    expect(ti.trim().split(/\s{2,}/)).toEqual([
      'Epcistra',
      '100 mg, TABLET',
      '0001-0123-45',
      '00300010123455',
      '100 tablets',
      '2',
      'EP2601',
      '2028-06-30',
    ]);
    // Package-level identifiers (§582(g)(1)(B)) and the tote they came in.
    const packages = text.split('\n').filter((l) => /\(01\)00300010123455\(21\)/.test(l));
    expect(packages).toHaveLength(2);
    for (const p of packages) expect(p).toMatch(/\(00\)\d{18}/);
    // No history: every transaction is after 27 Nov 2023 (§582(k)(1)).
    expect(text).toContain('No transaction history: FD&C Act §582(k)(1)');
    // The statement in the words of §581(27), (A) to (G).
    for (const item of ['(A) is authorized', '(D) did not knowingly ship', '(G) did not knowingly alter'])
      expect(text).toContain(item);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'dscsa-t3-EP2601.pdf'), pdf);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      path.join(ARTIFACTS, 'dscsa-t3-EP2601.pdf'),
      path.join(ARTIFACTS, 'dscsa-t3-EP2601-page1'),
    ]);
    expect(fs.statSync(path.join(ARTIFACTS, 'dscsa-t3-EP2601-page1.png')).size).toBeGreaterThan(10_000);
  }, 60_000);

  it('EPCIS JSON-LD and XML: valid, with master data and the statement, every event hashing to its stored hash', async () => {
    const ctx = await demo();
    const stored = new Set(
      (
        ctx.db
          .prepare(
            `SELECT DISTINCT lower(hex(e.event_hash)) AS h FROM trace_event_ids x JOIN trace_events e ON e.id = x.event_id
             WHERE x.trace_id IN (SELECT id FROM trace_ids WHERE gtin = '00300010123455' AND lot = 'EP2601')`,
          )
          .all() as { h: string }[]
      ).map((r) => r.h),
    );
    expect(stored.size).toBeGreaterThan(0);
    const everyStored = new Set(
      (ctx.db.prepare('SELECT lower(hex(event_hash)) AS h FROM trace_events').all() as { h: string }[]).map(
        (r) => r.h,
      ),
    );
    const dir = tempDir('custodia-t3-epcis-');
    for (const format of ['jsonld', 'xml'] as const) {
      const file = path.join(dir, `t3.${format}`);
      fs.writeFileSync(file, await generate(ctx, { ...EP2601, format }));
      const validated = await runCaptured(['epcis', 'validate', file, '--json']);
      const report = JSON.parse(validated.stdout) as { valid: boolean; events: number };
      expect(report, format).toMatchObject({ valid: true });
      const hashes: string[] = [];
      let statement = false;
      let products = 0;
      for await (const item of readValidated(fileSource(file))) {
        if (item.type === 'document') {
          statement = (item.document.headerExtensions ?? []).some(
            (x) => x.name === 'dscsaTransactionStatement',
          );
          products = item.document.products.length;
        } else hashes.push(/([0-9a-f]{64})/.exec(eventHash(item.event!).eventHashId)![1]!);
      }
      expect(statement, format).toBe(true);
      expect(products, format).toBeGreaterThan(0);
      expect(hashes.length, format).toBe(report.events);
      // Every exported event is one the ledger stored, unchanged (its hash is the stored hash) …
      for (const h of hashes) expect(everyStored.has(h), `${format} event ${h}`).toBe(true);
      // … and every event of the lot's packages is there (the totes' events besides).
      for (const h of stored) expect(hashes, `${format} lot event ${h}`).toContain(h);
      expect(hashes.length).toBeGreaterThan(stored.size);
    }
  }, 60_000);

  it('a lot that arrived as EPCIS and as a T3 sheet: both transactions, each seller as received', async () => {
    const ctx = await demo();
    const text = pdfText(
      await generate(ctx, {
        kind: 'dscsa-t3',
        format: 'pdf',
        params: { gtin: '00300010654058', lot: 'AM2602' },
      }),
    );
    expect(field(text, 'Transactions found')).toBe('2');
    expect(text).toContain('Transaction 1 of 2: from Keystone Drug Wholesale');
    expect(text).toContain('Transaction 2 of 2: from Summit Specialty Supply');
    expect(text).toContain('2026-03-12-summit-t3.csv');
    expect(text).toMatch(
      /Amoxicillin\s+250 mg\/5 mL,\s+0001-0654-05\s+00300010654058\s+100 mL\s+4\s+AM2602\s+2027-09-30/,
    );
  }, 60_000);

  it('--at SIZE after more writes to the same lot gives the first file again; a report during an open write shows the last commit', async () => {
    const ctx = await reportContext();
    // Load the demo up to the 9th: lot AM2602 has arrived once, from Keystone.
    const all = fs.readdirSync(path.join(DEMO, 'files')).sort();
    const statuses = await loadDemo(ctx, (name) => name < '2026-03-10');
    expect(Object.keys(statuses)).toHaveLength(2);
    const request: ReportRequest = {
      kind: 'dscsa-t3',
      format: 'pdf',
      params: { gtin: '00300010654058', lot: 'AM2602' },
    };
    const first = await generate(ctx, request);
    const size = ctx.read((s) => s.checkpoint!.size);

    // A write held open (as a large import holds its transaction): the report sees the last commit.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const open = ctx.writeAcrossAwaits(async (tx) => {
      tx.record('test.pending-import', 'test', { note: 'uncommitted' });
      await gate;
    });
    await new Promise((r) => setTimeout(r, 20));
    const during = ctx.read((s) => buildReport(s, request));
    expect(during.stamped.stamp.size).toBe(size);
    expect((await renderReport(during, 'pdf')).equals(first)).toBe(true);
    release();
    await open;

    // The rest of the month: Summit's T3 sheet brings AM2602 again.
    await loadDemo(ctx, (name) => name >= '2026-03-10', false);
    expect(all.length).toBeGreaterThan(2);
    const latest = await generate(ctx, request);
    expect(latest.equals(first)).toBe(false);
    expect(pdfText(latest)).toContain('Transaction 2 of 2: from Summit Specialty Supply');
    const again = await generate(ctx, { ...request, at: size });
    expect(again.equals(first)).toBe(true);
  }, 60_000);

  it('an unknown serial is a report that says it is empty', async () => {
    const ctx = await demo();
    const text = pdfText(
      await generate(ctx, {
        kind: 'dscsa-t3',
        format: 'pdf',
        params: { gtin: '00300010123455', serial: 'NOPE' },
      }),
    );
    expect(text).toContain('This report is empty');
  }, 60_000);
});

describe('DSCSA T3 for a shipment', () => {
  it('that came as an X12 856: its lines in the PDF, and in EPCIS the shipping event its data describes', async () => {
    const ctx = await demo();
    const params = { id: 'RPD-22105' };
    const text = pdfText(await generate(ctx, { kind: 'dscsa-t3', format: 'pdf', params }));
    expect(field(text, 'Shipment reference')).toBe('RPD-22105');
    expect(field(text, 'Transactions found')).toBe('1');
    expect(text).toContain('Transaction 1 of 1: from Riverside Pharma Distributors');
    expect(text).toContain('2026-03-10-riverside-856.x12');
    expect(text).toMatch(/Atorvastatin 20 mg.*0001-0789-30\s+00300010789309.*\s3\s+AT2603\s+2027-12-31/);
    const dir = tempDir('custodia-t3-x12-');
    const file = path.join(dir, 't3.xml');
    fs.writeFileSync(file, await generate(ctx, { kind: 'dscsa-t3', format: 'xml', params }));
    const validated = JSON.parse((await runCaptured(['epcis', 'validate', file, '--json'])).stdout) as {
      valid: boolean;
      events: number;
    };
    expect(validated).toMatchObject({ valid: true, events: 1 });
    const events = [];
    for await (const item of readValidated(fileSource(file)))
      if (item.type === 'event') events.push(item.event!);
    expect(events[0]).toMatchObject({
      type: 'ObjectEvent',
      eventTime: '2026-03-10T00:00:00.000Z',
      bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
      quantityList: [{ epcClass: 'https://id.gs1.org/01/00300010789309/10/AT2603', quantity: 3 }],
      bizTransactionList: [
        {
          type: 'https://ref.gs1.org/cbv/BTT-desadv',
          bizTransaction: 'urn:epcglobal:cbv:bt:0823456000000:RPD-22105',
        },
      ],
      sourceList: [
        { type: 'https://ref.gs1.org/cbv/SDT-owning_party', source: 'https://id.gs1.org/414/0823456000000' },
      ],
    });
  }, 60_000);

  it('that came as EPCIS with totes: every package inside, and the events that moved them', async () => {
    const ctx = await demo();
    const params = { id: 'urn:epcglobal:cbv:bt:0812345000009:KDW-ASN-1000' };
    const text = pdfText(await generate(ctx, { kind: 'dscsa-t3', format: 'pdf', params }));
    expect(field(text, 'Transactions found')).toBe('1');
    expect(text).toContain('Epcistra');
    const json = JSON.parse(
      (await generate(ctx, { kind: 'dscsa-t3', format: 'jsonld', params })).toString(),
    ) as {
      epcisBody: { eventList: { bizStep?: string }[] };
    };
    const steps = json.epcisBody.eventList.map((e) => e.bizStep);
    expect(steps).toContain('shipping');
    expect(steps).toContain('commissioning');
    expect(steps).toContain('packing');
  }, 60_000);
});
