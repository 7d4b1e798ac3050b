import type { Migration } from './migration';

/**
 * Import at wholesaler scale (issue 16): an index costs every imported event one more B-tree
 * insert, so the tables an import writes keep only the indexes a query uses
 * (test/ingest/indexes.test.ts holds each to a query by EXPLAIN QUERY PLAN).
 * - `trace_events_by_file` (file_id, file_index): no query reads events by file; pending and
 *   expired events reach their file through trace_events.file_id from the event's own row.
 * - `shipments_by_ship_to` (ship_to, status): no query selects shipments by where they were sent;
 *   receiving lists them by status or id, and a scan finds its shipment through its items.
 */
export const migration: Migration = {
  version: 340,
  name: 'import-indexes',
  up(db) {
    db.exec('DROP INDEX IF EXISTS trace_events_by_file; DROP INDEX IF EXISTS shipments_by_ship_to;');
  },
};
