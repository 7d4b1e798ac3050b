import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvMappingSchema } from '../../src/core/formats/csv/mapping';
import { parseCsv } from '../../src/core/formats/csv/parse';
import { KDES, TRANSFORMATION_INPUT_KDES } from '../../src/core/formats/fsma/kdes';
import { parseShipNotices } from '../../src/core/formats/x12/ship-notice';
import { savePartner, saveMapping } from '../../src/core/partners/store';
import { trace } from '../../src/core/trace/query';
import { FIXTURES, freshContext, importText } from './helpers';
import { PHARMACY, WEEKLY_T3_MAPPING, WHOLESALER } from './world';

const GTIN = '00300010123455';

/** An 856 in the HDMA DSCSA layout: shipment, order, pack (SSCC), item (NDC, lot, expiry, quantity). */
function asn(opts: { statement?: boolean; gtin?: string; id?: string } = {}): string {
  const seg = [
    'ISA*00*          *00*          *ZZ*WHOLESALER     *ZZ*PHARMACY       *260302*0930*^*00501*000000101*0*P*>',
    'GS*SH*WHOLESALER*PHARMACY*20260302*0930*101*X*005010',
    'ST*856*0001',
    `BSN*00*${opts.id ?? 'ASN-7001'}*20260302*0930`,
    'HL*1**S',
    'DTM*011*20260302',
    `N1*SF*Big Wholesaler DC*UL*${WHOLESALER}`,
    'N3*10 Depot Road',
    'N4*Louisville*KY*40218',
    `N1*SE*Big Wholesaler*UL*${WHOLESALER}`,
    `N1*ST*Main Street Pharmacy*UL*${PHARMACY}`,
    'N3*1 Main Street',
    'N4*Springfield*IL*62701',
    `N1*BY*Main Street Pharmacy*UL*${PHARMACY}`,
    ...(opts.statement === false
      ? []
      : ['YNQ**Y***Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).']),
    'HL*2*1*O',
    'PRF*PO-5501***20260301',
    'REF*IV*INV-9001',
    'HL*3*2*P',
    'MAN*GM*00003000112345678903',
    'HL*4*3*I',
    `LIN**N4*00001-0123-45*UK*${opts.gtin ?? GTIN}*LT*A123`,
    'SN1**12*UN',
    'PID*F****Epcistra 100 mg tablets',
    'PO4**500*EA',
    'DTM*036*20280331',
    'CTT*4',
    'SE*25*0001',
    'GE*1*101',
    'IEA*1*000000101',
  ];
  return seg.join('~\n') + '~\n';
}

describe('X12 856 ship notices', () => {
  it('reads the DSCSA transaction information and statement', () => {
    const { transactions } = parseShipNotices(asn());
    expect(transactions).toHaveLength(1);
    expect(transactions[0]!.transaction).toMatchObject({
      reference: 'ASN-7001',
      po: 'PO-5501',
      invoice: 'INV-9001',
      transactionDate: '2026-03-02',
      seller: { name: 'Big Wholesaler', gln: WHOLESALER },
      shipTo: { gln: PHARMACY, address: '1 Main Street, Springfield IL 62701' },
      statement: { affirmed: true },
      lines: [
        {
          ndc: '00001-0123-45',
          gtin: GTIN,
          lot: 'A123',
          quantity: 12,
          expiry: '2028-03-31',
          sscc: '003000112345678903',
          name: 'Epcistra 100 mg tablets',
        },
      ],
    });
  });

  it('imports an 856 to us from an authorized partner; without the statement, or with a bad GTIN, it is quarantined', async () => {
    const ctx = await freshContext();
    await savePartner(
      ctx,
      { name: 'Main Street Pharmacy', role: 'self', authorized: true, glns: [PHARMACY] },
      't',
    );
    await savePartner(
      ctx,
      { name: 'Big Wholesaler', role: 'wholesaler', authorized: true, glns: [WHOLESALER] },
      't',
    );
    const first = await importText(ctx, 'asn.856', asn());
    expect(first.reasons).toEqual([]);
    expect(first).toMatchObject({ status: 'imported', format: 'x12-856', imported: 1 });
    const noTs = await importText(ctx, 'asn-no-ts.856', asn({ statement: false, id: 'ASN-7002' }));
    expect(noTs.reasons.map((r) => r.rule)).toEqual(['dscsa-transaction-statement']);
    const badGtin = await importText(ctx, 'asn-bad.856', asn({ gtin: '00300010123456', id: 'ASN-7003' }));
    expect(badGtin.reasons.map((r) => r.rule)).toEqual(['check-digit']);
    expect(badGtin.reasons[0]!.position).toBe('segment 16');
    const lot = trace(ctx, `${GTIN} + A123`);
    expect(lot.transactions).toHaveLength(1);
    const broken = await importText(ctx, 'broken.856', 'ISA*00*too short~');
    expect(broken.reasons[0]!.rule).toBe('file-format');
  });
});

describe('FSMA 204 key data elements', () => {
  it('the KDE checks cover every paragraph of 21 CFR 1.1325-1.1350 in the corpus table for the seven CTEs', () => {
    const rows = parseCsv(fs.readFileSync(path.join(FIXTURES, 'fsma204-kde-by-cte.csv'), 'utf8')).slice(1);
    const ours = [...Object.values(KDES).flat(), ...TRANSFORMATION_INPUT_KDES].flatMap((s) => expand(s.cite));
    const relevant = rows.filter((r) => !/sprouts|not subject/.test(r.fields[0]!));
    const missing = relevant
      .map((r) => `${r.fields[1]!.replace(/\(a\)$|\(b\)\(1\)$|\(a\)\(1\)$/, (m) => m)}${r.fields[2]}`)
      .filter((cite) => !ours.some((o) => covers(o, cite)));
    expect(missing).toEqual([]);
    console.log(`FSMA KDE paragraphs covered: ${relevant.length}/${relevant.length}`);
    // Exact count, so a missing or emptied corpus table cannot pass with nothing checked.
    expect({ rows: rows.length, relevant: relevant.length }).toEqual({ rows: 87, relevant: 63 });
  });

  it("imports FDA's sample Shipping and Receiving sheets; a record missing KDEs is refused naming the paragraph", async () => {
    const ctx = await freshContext();
    for (const tab of ['shipping', 'receiving']) {
      const bytes = fs.readFileSync(
        path.join(FIXTURES, `fda-fsma204-sortable-spreadsheet-sample-${tab}.csv`),
      );
      expect(await importText(ctx, `${tab}.csv`, bytes)).toMatchObject({
        status: 'imported',
        format: 'csv-fsma',
        imported: 4,
      });
    }
    const shipping = fs
      .readFileSync(path.join(FIXTURES, 'fda-fsma204-sortable-spreadsheet-sample-shipping.csv'), 'utf8')
      .split(/\r?\n/);
    const header = parseCsv(shipping[0]!)[0]!.fields;
    const row = parseCsv(shipping[2]!)[0]!.fields;
    row[header.indexOf('Shipping Date (mm/dd/yyyy)')] = '';
    row[
      header.indexOf(
        'Location Description for the Immediate Subsequent Recipient (other than a transporter) - Phone Number',
      )
    ] = '';
    const sheet = [shipping[0], row.map((c) => `"${c}"`).join(',')].join('\n');
    const r = await importText(ctx, 'incomplete.csv', sheet);
    expect(r.status).toBe('quarantined');
    expect(r.reasons.map((x) => x.message.match(/1\.1340\(a\)\(\d\)/)?.[0]).sort()).toEqual([
      '1.1340(a)(4)',
      '1.1340(a)(6)',
    ]);
    const traced = trace(ctx, 'UPC:614141025251 LOT:BHMXB23309');
    expect(traced).toMatchObject({ kind: 'tlc', found: true });
    expect(traced.fsma!.forward).toEqual(['shipped to BigStore #2345 on 2026-11-05']);
  });

  it('a saved FSMA mapping reads a transformation sheet; lot trace goes one step back and forward', async () => {
    const ctx = await freshContext();
    const partner = await savePartner(
      ctx,
      { name: 'Fresh Kitchen', role: 'other', authorized: true, glns: [] },
      't',
    );
    const columns: Record<string, string> = {
      'input.tlc': 'Input TLC',
      'input.product.name': 'Input product',
      'input.quantity': 'Input qty',
      'input.quantityUnit': 'Input unit',
      tlc: 'New TLC',
      'tlcSource.businessName': 'Kitchen',
      'tlcSource.phone': 'Phone',
      'tlcSource.address': 'Street',
      'tlcSource.city': 'City',
      'tlcSource.state': 'State',
      'tlcSource.zip': 'ZIP',
      date: 'Completed',
      'product.name': 'Product',
      'product.packagingSize': 'Pack size',
      'product.packagingStyle': 'Pack style',
      quantity: 'Qty',
      quantityUnit: 'Unit',
      refDocType: 'Doc type',
      refDocNumber: 'Doc no',
    };
    const mappingId = await saveMapping(
      ctx,
      partner,
      'salads',
      { kind: 'fsma-kde', cte: 'transformation', columns },
      't',
    );
    const head = Object.values(columns).join(',');
    const common =
      'SALAD-0301,Fresh Kitchen,+1 555 0100,1 Market St,Springfield,IL,62701,03/01/2026,Garden salad,12 oz,clamshell,200,each,Batch log,B-301';
    const sheet = [head, `LETTUCE-22,Romaine,40,lb,${common}`, `CUKE-9,Cucumber,10,lb,${common}`].join('\n');
    const r = await importText(ctx, 'salads.csv', sheet, { partnerId: partner, mappingId });
    expect(r).toMatchObject({ status: 'imported', imported: 1 });
    expect(trace(ctx, 'SALAD-0301').fsma!.back.sort()).toEqual([
      'lot CUKE-9 (transformed into this lot)',
      'lot LETTUCE-22 (transformed into this lot)',
    ]);
    expect(trace(ctx, 'LETTUCE-22').fsma?.forward ?? []).toEqual([]);
    expect(csvMappingSchema.safeParse({ kind: 'dscsa-t3', columns: { lot: 'Lot' } }).success).toBe(false);
  });
});

/** "1.1325(a)(1)(v)-(vi)" -> ["1.1325(a)(1)(v)", "1.1325(a)(1)(vi)"]. */
function expand(cite: string): string[] {
  const m = /^(.*)\(([a-z]+|\d+)\)-\(([a-z]+|\d+)\)$/.exec(cite);
  if (m === null) return [cite];
  return [`${m[1]}(${m[2]})`, `${m[1]}(${m[3]})`];
}

/** Our cite covers a table paragraph when they name the same paragraph (the table writes 1.1335 + "(a)"). */
function covers(ours: string, table: string): boolean {
  return ours === table || ours.startsWith(table) || table.startsWith(ours);
}

describe('a T3 sheet that arrives without its partner', () => {
  it('is quarantined for want of a mapping, then reprocessed with the partner and mapping chosen', async () => {
    const { showQuarantine } = await import('../../src/core/quarantine/service');
    const { reprocessQuarantine } = await import('../../src/core/ingest/reprocess');
    const ctx = await freshContext();
    const sheet = [
      'Invoice;Date;Seller;Buyer;Product;NDC;Qty;Lot;TS',
      `INV-1;2026-03-02;Big Wholesaler;Main Street Pharmacy;Lisinopril 10 mg;0002-1234-56;4;LOT-9;yes`,
    ].join('\n');
    const first = await importText(ctx, 'weekly.csv', sheet);
    expect(first.reasons.map((r) => r.rule)).toEqual(['csv-mapping']);
    const partner = await savePartner(
      ctx,
      { name: 'Big Wholesaler', role: 'wholesaler', authorized: true, glns: [WHOLESALER] },
      't',
    );
    const mappingId = await saveMapping(ctx, partner, 'weekly', WEEKLY_T3_MAPPING, 't');
    const again = await reprocessQuarantine(ctx, first.quarantineId!, 't', { partnerId: partner, mappingId });
    expect(again).toMatchObject({ status: 'imported', format: 'csv-t3', imported: 1 });
    expect(showQuarantine(ctx, first.quarantineId!).status).toBe('reprocessed');
    expect(ctx.db.prepare('SELECT reference, statement FROM shipments').get()).toEqual({
      reference: 'INV-1',
      statement: 1,
    });
  });
});
