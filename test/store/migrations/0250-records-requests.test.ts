import { describe, expect, it } from 'vitest';
import { columns, indexColumns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0250 records-requests', () => {
  it('upgrades a ledger made before records requests, keeping what it held', () => {
    const { db, added, rowsBefore } = upgradeTo(250);
    expect(rowsBefore.get('watched_folders')).toHaveLength(1);
    expect(added).toEqual({
      tables: ['records_request_answers', 'records_requests'],
      indexes: ['records_requests_by_status'],
      triggers: [],
    });
    expect(columns(db, 'records_requests')).toEqual([
      'id',
      'regime',
      'requester_kind',
      'received_ms',
      'recorded',
      'due_ms',
      'basis',
      'agreed_note',
      'status',
      'withdrawn_reason',
      'recorded_by',
      'recorded_seq',
    ]);
    expect(columns(db, 'records_request_answers')).toEqual([
      'request_id',
      'seq',
      'report_seq',
      'sent_ms',
      'sent_to',
      'answer',
      'answered_by',
    ]);
    expect(indexColumns(db, 'records_requests_by_status')).toEqual(['status', 'due_ms']);

    const rows = seedOwnRows(db, 250);
    expect(rows.get('records_requests')).toEqual([
      expect.objectContaining({ id: 1, regime: 'dscsa', requester_kind: 'fda', status: 'answered' }),
    ]);

    const insert = db.prepare(
      "INSERT INTO records_requests (id, regime, requester_kind, received_ms, recorded, due_ms, basis, status, recorded_by, recorded_seq) VALUES (?, ?, ?, 0, '{}', 0, 'b', ?, 'u', 1)",
    );
    insert.run(2, 'fsma-204', 'partner', 'open');
    // Only the known regimes, requesters and statuses.
    expect(() => insert.run(3, 'dea', 'fda', 'open')).toThrow(/CHECK/);
    expect(() => insert.run(3, 'dscsa', 'press', 'open')).toThrow(/CHECK/);
    expect(() => insert.run(3, 'dscsa', 'fda', 'late')).toThrow(/CHECK/);
    // An answer belongs to a request that exists, once per ledger entry.
    const answer = db.prepare(
      "INSERT INTO records_request_answers (request_id, seq, report_seq, sent_ms, sent_to, answer, answered_by) VALUES (?, ?, 5, 0, 'x', '{}', 'u')",
    );
    answer.run(2, 40);
    expect(() => answer.run(2, 40)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => answer.run(9, 41)).toThrow(/FOREIGN KEY/);
    // STRICT: a deadline is an integer, never text.
    expect(() => db.prepare("UPDATE records_requests SET due_ms = 'tomorrow' WHERE id = 2").run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
  });
});
