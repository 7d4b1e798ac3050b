import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/formats/csv/parse';
import { FDA_TEMPLATE_TABS } from '../../src/core/formats/fsma/template-headers';
import { importFile } from '../../src/core/ingest/pipeline';
import { canonicalBytes } from '../../src/core/ledger/jcs';
import { FIXTURES as INGEST_FIXTURES } from '../ingest/helpers';
import { FIXTURES, generate, reportContext } from './helpers';

/*
 * The FSMA 204 sortable spreadsheet: FDA's template headers word for word and in order, and FDA's
 * public sample receiving and shipping rows imported and exported again, every cell round-tripping
 * in CSV and in XLSX (read back with exceljs, cell types compared: a ZIP like 02345 and the lot
 * codes stay text).
 */

const SAMPLES = {
  Shipping: 'fda-fsma204-sortable-spreadsheet-sample-shipping.csv',
  Receiving: 'fda-fsma204-sortable-spreadsheet-sample-receiving.csv',
} as const;

function sample(tab: keyof typeof SAMPLES): string[][] {
  return parseCsv(fs.readFileSync(path.join(INGEST_FIXTURES, SAMPLES[tab]), 'utf8')).map((r) => r.fields);
}

async function importedSamples() {
  const ctx = await reportContext();
  for (const name of Object.values(SAMPLES)) {
    const r = await importFile(
      ctx,
      { source: { path: path.join(INGEST_FIXTURES, name) }, name, origin: 'test' },
      { actor: 'test' },
    );
    expect(r.status, name).toBe('imported');
  }
  return ctx;
}

/** The CSV's blocks: a line naming the part, then its header and rows, up to an empty line. */
function blocks(csv: Buffer): Map<string, string[][]> {
  expect(csv.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 BOM').toBe(true);
  const text = csv.toString('utf8').slice(1);
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
  const out = new Map<string, string[][]>();
  // No cell of these rows holds a line break, so an empty line is a block boundary.
  for (const block of text.split('\r\n\r\n')) {
    const [title, ...rows] = parseCsv(block).map((r) => r.fields);
    out.set(title![0]!, rows);
  }
  return out;
}

describe('FSMA 204 sortable spreadsheet', () => {
  it("has FDA's template headers word for word and in order (generated module = fixture)", () => {
    const fixture = parseCsv(
      fs.readFileSync(path.join(FIXTURES, 'fda-fsma204-sortable-spreadsheet-template-headers.csv'), 'utf8'),
    )
      .slice(1)
      .map((r) => r.fields);
    const tabs = [...new Set(fixture.map((r) => r[0]!))];
    expect(FDA_TEMPLATE_TABS.map((t) => t.tab)).toEqual(tabs);
    let headers = 0;
    for (const t of FDA_TEMPLATE_TABS) {
      const expected = fixture.filter((r) => r[0] === t.tab).sort((a, b) => Number(a[2]) - Number(b[2]));
      expect(t.headers, t.tab).toEqual(expected.map((r) => r[3]));
      headers += t.headers.length;
    }
    expect(headers).toBe(fixture.length);
    expect(headers).toBe(370);
  });

  it('keeps each imported row identity (record hash) as before: the row as received rides beside the record', async () => {
    const ctx = await importedSamples();
    const rows = ctx.db
      .prepare(
        'SELECT r.record_hash AS hash, l.leaf FROM fsma_records r JOIN ledger_leaves l ON l.seq = r.ledger_seq ORDER BY r.id',
      )
      .all() as { hash: Buffer; leaf: Buffer }[];
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      const payload = (JSON.parse(row.leaf.toString('utf8')) as { payload: Record<string, unknown> }).payload;
      expect(payload.received).toBeDefined();
      const hash = crypto.createHash('sha256').update(canonicalBytes(payload.record)).digest();
      expect(hash.equals(row.hash)).toBe(true);
    }
    // Pinned from before rows were kept: files imported then are still recognised as already imported.
    expect(rows[0]!.hash.toString('hex')).toBe(FIRST_SHIPPING_RECORD_HASH);
  });

  it('round-trips the FDA sample rows cell by cell through CSV (RFC 4180, CRLF, BOM)', async () => {
    const ctx = await importedSamples();
    const csv = await generate(ctx, { kind: 'fsma-204', format: 'csv', params: { from: '2020-01-01' } });
    const parts = blocks(csv);
    expect([...parts.keys()]).toEqual(['Shipping', 'Receiving', 'About these records']);
    for (const tab of ['Shipping', 'Receiving'] as const) {
      const template = FDA_TEMPLATE_TABS.find((t) => t.tab === tab)!.headers;
      const [header, ...rows] = parts.get(tab)!;
      expect(header).toEqual(template);
      const expected = sample(tab).slice(1);
      // Report rows are in date order; compare as sets of whole rows, cell by cell.
      const key = (r: string[]) => JSON.stringify(r);
      expect(rows.map(key).sort()).toEqual(expected.map(key).sort());
    }
    const about = new Map(parts.get('About these records')!.map((r) => [r[0], r[1]]));
    expect(about.get('Report kind')).toBe('fsma-204');
    expect(about.get('Ledger checkpoint tree size')).toMatch(/^\d+$/);
    expect(about.get('How to check')).toContain('custodia audit verify');
  });

  it('round-trips through XLSX read back with exceljs: headers, cells and cell types; first row frozen', async () => {
    const ctx = await importedSamples();
    const xlsx = await generate(ctx, {
      kind: 'fsma-204',
      format: 'xlsx',
      params: { tlc: 'UPC:614141025251 LOT:BHMXB23309' },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Shipping', 'About these records']);
    const ws = wb.getWorksheet('Shipping')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const template = FDA_TEMPLATE_TABS.find((t) => t.tab === 'Shipping')!.headers;
    const values = (r: number) => (ws.getRow(r).values as unknown[]).slice(1);
    expect(values(1)).toEqual(template);
    const expected = sample('Shipping').find((r) => r[0] === 'UPC:614141025251 LOT:BHMXB23309')!;
    expect(ws.rowCount).toBe(2);
    const cells = values(2);
    let compared = 0;
    template.forEach((h, i) => {
      const got = cells[i];
      const want = expected[i]!;
      if (want === '') expect(got ?? null, h).toBeNull();
      else if (/^quantity/i.test(h)) expect(got, h).toBe(Number(want));
      else {
        expect(typeof got, h).toBe('string');
        expect(got, h).toBe(want);
      }
      compared++;
    });
    expect(compared).toBe(36);
    // A ZIP with a leading zero and the lot code stay text.
    const zip = template.indexOf(
      'Location Description for the Immediate Subsequent Recipient (other than a transporter) - ZIP or Postal Code',
    );
    expect(ws.getRow(2).getCell(zip + 1).value).toBe('02345');
    expect(ws.getRow(2).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(ws.getColumn(1).width).toBeGreaterThan(10);
  });

  it('says when nothing matched: an empty spreadsheet that says so, not a failure', async () => {
    const ctx = await importedSamples();
    const csv = (
      await generate(ctx, { kind: 'fsma-204', format: 'csv', params: { tlc: 'NO SUCH LOT' } })
    ).toString();
    expect(csv).toContain('Nothing in the ledger matched what was asked.');
  });
});

const FIRST_SHIPPING_RECORD_HASH = '2af6bf2501577e5ceb4d63d107687024ced2efb59d73842b93117b0c440af46c';
