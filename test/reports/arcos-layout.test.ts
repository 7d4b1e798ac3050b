import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/api/errors';
import {
  ARCOS_LAYOUT_CHOICE,
  ARCOS_RECORD_WIDTH,
  arcosLayout,
  type ArcosLayoutChoice,
} from '../../src/core/reports/kinds/arcos-layout';
import {
  formatArcosRecord,
  parseArcosRecord,
  validateArcosRecord,
  writeArcosRecords,
  type ArcosValues,
} from '../../src/core/reports/kinds/arcos-record';

const CHOICES: ArcosLayoutChoice[] = ['handbook-1997', 'post-y2k-generator'];

/**
 * DEA's worked record, ARCOS Registrant Handbook §5.11.3.1 ("Automated Report", fields 1–13), as
 * DEA prints the values: a sale of 417.29 g of a bulk product reported as 417290 mg (unit 2).
 * http://www.deadiversion.usdoj.gov/arcos/handbook/section5/5b.htm
 */
const DEA_WORKED: ArcosValues = {
  reportingRegistrant: 'PP1234567',
  transactionCode: 'S',
  actionIndicator: '',
  ndc: '001790062**',
  quantity: '00417290',
  unit: '2',
  associateRegistrant: 'AB1234567',
  orderFormNumber: '940590027',
  transactionDate: '012194',
  correctionNumber: '',
  strength: '1000',
  transactionId: '000000001',
  documentIdentifier: 'E25',
};

/**
 * The same record written out by hand from the handbook's widths: 9+1+1+11+8+1+9+9, the six-digit
 * date (§5.1), an 8-position correction number left blank, strength, the transaction identifier
 * zero-filled to 10, and the three-character document identifier.
 */
const DEA_WORKED_RECORD = 'PP1234567S 001790062**004172902AB1234567940590027012194        10000000000001E25';

/** A record of ours that passes every check (DEA numbers with valid check digits). */
function good(overrides: Partial<ArcosValues> = {}): ArcosValues {
  return {
    reportingRegistrant: 'AB1234563',
    transactionCode: 'S',
    actionIndicator: '',
    ndc: '16590059860',
    quantity: '2',
    unit: '',
    associateRegistrant: 'PW1234563',
    orderFormNumber: '26X000123',
    transactionDate: '021026',
    correctionNumber: '',
    strength: '',
    transactionId: '42',
    documentIdentifier: 'A01',
    ...overrides,
  };
}

function readCsvLayout() {
  const text = fs.readFileSync(
    path.join(import.meta.dirname, '..', 'fixtures', 'arcos', 'arcos-transaction-record-layout.csv'),
    'utf8',
  );
  const [, ...rows] = text.trim().split('\n');
  return rows.map((row) => {
    const cells = row.split(',');
    return { no: Number(cells[0]), length: Number(cells[2]), start: Number(cells[3]), end: Number(cells[4]) };
  });
}

describe('ARCOS record layout (one table)', () => {
  it('files follow the handbook unless the one line says otherwise', () => {
    expect(ARCOS_LAYOUT_CHOICE).toBe('handbook-1997');
  });

  for (const choice of CHOICES) {
    it(`${choice}: fields 1-13 tile positions 1-80 without gap or overlap`, () => {
      const layout = arcosLayout(choice);
      expect(layout.fields.map((f) => f.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
      let next = 1;
      for (const f of layout.fields) {
        expect(f.start, `${f.name} starts where the previous field ends`).toBe(next);
        next = f.start + f.length;
      }
      expect(next - 1).toBe(ARCOS_RECORD_WIDTH);
    });

    it(`${choice}: a record is exactly 80 characters and every value sits at the table's positions`, () => {
      const layout = arcosLayout(choice);
      const values = good({
        transactionDate: layout.date('2026-02-10'),
        documentIdentifier: layout.defaultDocumentIdentifier?.('S') ?? 'A01',
      });
      const record = formatArcosRecord(layout, values);
      expect(record).toHaveLength(80);
      for (const f of layout.fields) {
        const slice = record.slice(f.start - 1, f.start - 1 + f.length);
        const value = values[f.key];
        const expected =
          value === ''
            ? f.empty.repeat(f.length)
            : f.kind === 'numeric'
              ? value.padStart(f.length, '0')
              : value.padEnd(f.length, ' ');
        expect(slice, `field ${f.no} ${f.name} at ${f.start}`).toBe(expected);
      }
      expect(parseArcosRecord(layout, record)).toEqual({
        ...values,
        quantity: '00000002',
        transactionId: '0000000042',
        strength: layout.fields.find((f) => f.key === 'strength')!.empty === '0' ? '0000' : '',
      });
    });
  }

  it("the handbook setting reproduces DEA's worked record byte for byte", () => {
    const record = formatArcosRecord(arcosLayout('handbook-1997'), DEA_WORKED);
    expect(record).toBe(DEA_WORKED_RECORD);
    expect(Buffer.byteLength(record, 'ascii')).toBe(80);
    // Read back by the table's positions: DEA's values again (the identifier zero-filled to its 10).
    expect(parseArcosRecord(arcosLayout('handbook-1997'), record)).toEqual({
      ...DEA_WORKED,
      transactionId: '0000000001',
    });
  });

  it("DEA's worked record carries illustrative DEA numbers whose check digits fail (so ours are checked, not copied)", () => {
    const problems = validateArcosRecord(arcosLayout('handbook-1997'), DEA_WORKED);
    expect(problems.map((p) => [p.fieldNo, p.field])).toEqual([
      [1, 'reportingRegistrant'],
      [7, 'associateRegistrant'],
    ]);
    expect(problems[0]!.message).toMatch(/check digit/);
  });

  it('the post-Y2K choice is the corpus CSV layout, position for position; the handbook differs only in fields 9-13', () => {
    const csv = readCsvLayout();
    const generator = arcosLayout('post-y2k-generator').fields;
    for (const row of csv) {
      const f = generator.find((g) => g.no === row.no)!;
      expect([f.start, f.length, f.start + f.length - 1], `field ${row.no}`).toEqual([
        row.start,
        row.length,
        row.end,
      ]);
    }
    const handbook = arcosLayout('handbook-1997').fields;
    const differing = handbook.filter(
      (f, i) => f.start !== generator[i]!.start || f.length !== generator[i]!.length,
    );
    expect(differing.map((f) => f.no)).toEqual([9, 10, 11, 12, 13]);
    // Only the date (6 vs 8) and the document identifier (3 vs 1) change width; 10-12 only move.
    expect(handbook.filter((f, i) => f.length !== generator[i]!.length).map((f) => [f.no, f.length])).toEqual(
      [
        [9, 6],
        [13, 3],
      ],
    );
  });

  it('writes the date as each choice has it', () => {
    expect(arcosLayout('handbook-1997').date('2026-02-10')).toBe('021026');
    expect(arcosLayout('post-y2k-generator').date('2026-02-10')).toBe('02102026');
  });
});

describe('ARCOS record validation', () => {
  const layout = arcosLayout('handbook-1997');
  const named = (
    values: ArcosValues,
    label = 'transaction 42 (transfer of Kadian 60 mg, NDC 16590-598-60, 2026-02-10)',
  ) => ({
    values,
    label,
    context: { schedule: 'CII' },
  });

  function refusal(records: ReturnType<typeof named>[]): ApiError {
    try {
      writeArcosRecords(layout, records);
    } catch (error) {
      return error as ApiError;
    }
    throw new Error('the file was written');
  }

  it('writes a valid record, and a bulk NDC ending "**" weighed in mg with its strength', () => {
    const lines = writeArcosRecords(layout, [
      named(good()),
      named(
        good({ ndc: '001790062**', quantity: '417290', unit: '2', strength: '1000', transactionId: '43' }),
      ),
    ]);
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.length === 80)).toBe(true);
    expect(lines[1]!.slice(11, 22)).toBe('001790062**');
  });

  it('refuses a bad DEA check digit, naming the transaction and the field, and writes nothing', () => {
    const error = refusal([
      named(good({ transactionId: '41' }), 'transaction 41 (receipt)'),
      named(good({ associateRegistrant: 'PW1234567' })),
    ]);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('transaction 42 (transfer of Kadian 60 mg');
    expect(error.message).toContain('field 7 Associate Registrant Number');
    expect(error.message).toMatch(/check digit/);
    expect(error.details).toMatchObject({
      rule: 'arcos-record',
      failures: [{ transactionId: '42', field: 'associateRegistrant', fieldNo: 7 }],
    });
  });

  it('refuses an NDC that is not 11 digits nor 9 digits and "**", naming the record', () => {
    for (const ndc of ['1659059860', '16590-598-60', '0017900621*', '00179006***', '1659005986A']) {
      const error = refusal([named(good({ ndc }))]);
      expect(error.message).toContain('transaction 42');
      expect(error.message).toContain('field 4 National Drug Code');
      expect(error.details).toMatchObject({ failures: [{ field: 'ndc' }] });
    }
  });

  it('refuses unknown transaction codes, unit codes and action indicators, and a Schedule II sale without its order form', () => {
    const fields = (v: Partial<ArcosValues>) =>
      validateArcosRecord(layout, good(v), { schedule: 'CII' }).map((p) => p.field);
    expect(fields({ transactionCode: 'Z' })).toEqual(['transactionCode']);
    expect(fields({ unit: '7' })).toEqual(['unit']);
    expect(fields({ unit: 'D' })).toEqual([]);
    expect(fields({ actionIndicator: 'X' })).toEqual(['actionIndicator']);
    expect(fields({ orderFormNumber: '' })).toEqual(['orderFormNumber']);
    expect(fields({ quantity: '0' })).toEqual(['quantity']);
    expect(fields({ quantity: '1.5' })).toEqual(['quantity']);
    expect(fields({ associateRegistrant: '' })).toEqual(['associateRegistrant']);
    expect(fields({ associateRegistrant: 'MILITARY' })).toEqual([]);
    expect(fields({ transactionDate: '023026' })).toEqual(['transactionDate']);
    expect(fields({ ndc: '001790062**', unit: '2', strength: '' })).toEqual(['strength']);
    expect(fields({ documentIdentifier: '' })).toEqual(['documentIdentifier']);
  });
});
