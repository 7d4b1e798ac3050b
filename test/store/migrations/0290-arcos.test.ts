import { describe, expect, it } from 'vitest';
import { columns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0290 arcos', () => {
  it('adds the ARCOS tables to a ledger with products and transactions, keeping them', () => {
    const { db, added, rowsBefore } = upgradeTo(290);
    expect(rowsBefore.get('products')?.length).toBeGreaterThan(0);
    expect(added).toEqual({
      tables: [
        'arcos_associates',
        'arcos_products',
        'arcos_settings',
        'arcos_submissions',
        'arcos_submitted_records',
      ],
      indexes: ['arcos_submitted_by_transaction'],
      triggers: [],
    });
    expect(columns(db, 'arcos_products')).toEqual([
      'ndc',
      'reportable',
      'drug_code',
      'narcotic',
      'package_size',
      'bulk',
      'strength',
      'seq',
    ]);

    const rows = seedOwnRows(db, 290);
    expect(rows.get('arcos_products')).toEqual([
      expect.objectContaining({ ndc: '0406-0552-01', drug_code: '9143' }),
    ]);
    expect(rows.get('arcos_submitted_records')).toEqual([
      expect.objectContaining({ submission_seq: 44, transaction_seq: 11, action: '' }),
    ]);

    // A DEA drug code is four digits; one settings row; one file per period; records are 80 characters.
    const product = db.prepare(
      'INSERT INTO arcos_products (ndc, reportable, drug_code, narcotic, package_size, bulk, strength, seq) VALUES (?, 1, ?, 1, 100, 0, NULL, 50)',
    );
    expect(() => product.run('0406-0552-02', '914')).toThrow(/CHECK/);
    expect(() => product.run('0406-0552-03', '91A3')).toThrow(/CHECK/);
    product.run('0406-0552-04', '9150');
    expect(() =>
      db
        .prepare(
          "INSERT INTO arcos_settings (id, frequency, document_identifier, seq) VALUES (2, 'monthly', NULL, 51)",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO arcos_submissions (seq, period, frequency, sha256, file_name, generation_seq, submitted_by, submitted_ms) VALUES (52, '2026-Q1', 'quarterly', 'x', 'f', 1, 'u', 0)",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO arcos_submitted_records (submission_seq, transaction_seq, action, record) VALUES (44, 12, 'A', 'short')",
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
