import { describe, expect, it } from 'vitest';
import { upgradeTo } from './upgrade';

describe('migration 0340 import-indexes', () => {
  it('drops the indexes no query used, keeping every row and every other index', () => {
    // The tables whose schema changes (an index less each); their rows are compared below.
    const { db, added, rowsBefore } = upgradeTo(340, { transforms: ['trace_events', 'shipments'] });
    expect(added).toEqual({ tables: [], indexes: [], triggers: [] });
    const indexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trace_events'")
      .pluck()
      .all();
    expect(indexes).not.toContain('trace_events_by_file');
    // The event's own unique hash index stays: duplicates are found by it.
    expect(indexes).toEqual(['sqlite_autoindex_trace_events_1']);
    expect(db.prepare('SELECT * FROM trace_events ORDER BY id').all()).toEqual(
      rowsBefore.get('trace_events'),
    );
    const shipmentIndexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'shipments' ORDER BY name")
      .pluck()
      .all();
    expect(shipmentIndexes).toEqual(['shipments_by_reference', 'sqlite_autoindex_shipments_1']);
    expect(db.prepare('SELECT * FROM shipments ORDER BY id').all()).toEqual(rowsBefore.get('shipments'));
  });
});
