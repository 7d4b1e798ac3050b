import { describe, expect, it } from 'vitest';
import { events as ev } from '../support/synthetic';
import { ACCESS_ENTRY } from '../../src/core/ledger/access-log';
import { caseOf, doc, item, MFG, t } from '../ingest/world';
import { entriesOf, importThrough, signIn, staffedCore, value } from './helpers';

const SERIALS = 1000;
const serialOf = (uri: string) => uri.split('/').pop()!;

/** A case of 1000 serialized packages: tracing the case opens 1001 sealed identifiers. */
const caseOfThousand = doc([
  ev.commission(
    Array.from({ length: SERIALS }, (_, i) => item(i + 1)),
    { time: t(0), location: MFG, lot: 'L1' },
  ),
  ev.commission([caseOf(1)], { time: t(1), location: MFG, lot: 'L1' }),
  ev.pack(
    caseOf(1),
    Array.from({ length: SERIALS }, (_, i) => item(i + 1)),
    { time: t(2), location: MFG },
  ),
]);

describe('showing sealed identifiers is recorded, once per call', () => {
  it('a 1000-serial trace by a signed-in person leaves exactly one access entry, naming them and the procedure, with no serial in it', async () => {
    const { core, ids } = await staffedCore();
    try {
      const tess = await signIn(core, 'tess-window', 'tess');
      expect((await importThrough(tess, [{ name: 'case.xml', text: caseOfThousand }])).results).toMatchObject(
        [{ status: 'imported' }],
      );
      const before = await entriesOf(tess, [ACCESS_ENTRY]);
      expect(before).toHaveLength(0);

      const phil = await signIn(core, 'phil-window', 'phil');
      const result = await value<{ found: boolean; contents: { identifier: string }[] }>(
        phil('trace.lookup', { query: caseOf(1) }),
      );
      expect(result.found).toBe(true);
      expect(result.contents).toHaveLength(SERIALS);

      const after = await entriesOf(phil, [ACCESS_ENTRY]);
      expect(after).toHaveLength(1);
      const [entry] = after;
      expect(entry).toMatchObject({
        actor: ids.phil,
        payload: { procedure: 'trace.lookup', transport: 'http', identifiers: SERIALS + 1 },
      });
      expect((entry!.payload.records as { trace_ids: number[] }).trace_ids).toHaveLength(1);
      // No serial (nor the case's) anywhere in the entry as hashed.
      const text = JSON.stringify(entry);
      for (const uri of [caseOf(1), item(1), item(500), item(SERIALS)]) {
        expect(text).not.toContain(serialOf(uri));
      }

      // An export is its own showing: one more entry, under its own procedure.
      await value(phil('trace.export', { query: caseOf(1), format: 'csv' }));
      expect((await entriesOf(phil, [ACCESS_ENTRY])).map((e) => e.payload.procedure)).toEqual([
        'trace.lookup',
        'trace.export',
      ]);
    } finally {
      await core.close();
    }
  });

  it('nobody signed in: the API shows nothing and records nothing', async () => {
    const { core } = await staffedCore();
    try {
      const tess = await signIn(core, 'tess-window', 'tess');
      await importThrough(tess, [{ name: 'case.xml', text: caseOfThousand }]);
      const anonymous = await core.router.call(
        { transport: 'http', principal: null, emit: () => {} },
        'trace.lookup',
        { query: caseOf(1) },
      );
      expect(anonymous).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      expect(JSON.stringify(anonymous)).not.toContain(serialOf(item(1)));
      expect(await entriesOf(tess, [ACCESS_ENTRY])).toHaveLength(0);
    } finally {
      await core.close();
    }
  });

  it('the raw bytes of a quarantined file are recorded as shown to the person who fetched them', async () => {
    const { core, ids } = await staffedCore();
    try {
      const tess = await signIn(core, 'tess-window', 'tess');
      const bad = doc([ev.decommission([item(7)], { time: t(0), location: MFG }), 'not xml <']);
      const { results } = await importThrough(tess, [{ name: 'bad.xml', text: bad }]);
      const id = results[0]!.quarantineId!;
      const raw = await value<{ base64: string }>(tess('quarantine.raw', { id }));
      expect(Buffer.from(raw.base64, 'base64').toString()).toBe(bad);
      const entries = await entriesOf(tess, [ACCESS_ENTRY]);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: ids.tess,
        payload: {
          procedure: 'quarantine.raw',
          records: { quarantine_items: [id] },
          rawBytes: Buffer.byteLength(bad),
        },
      });
      expect(JSON.stringify(entries[0])).not.toContain(serialOf(item(7)));
    } finally {
      await core.close();
    }
  });

  it('a ledger entry that holds identifiers in clear is recorded as shown; others are not', async () => {
    const { core, ids } = await staffedCore();
    try {
      const tess = await signIn(core, 'tess-window', 'tess');
      const file = doc([ev.commission([item(42)], { time: t(0), location: MFG, lot: 'L9' })]);
      expect((await importThrough(tess, [{ name: 'one.xml', text: file }])).results).toMatchObject([
        { status: 'imported' },
      ]);
      const list = await value<{ entries: { seq: number; type: string }[] }>(
        tess('ledger.entries', { types: ['ingest.event', 'ledger.genesis'] }),
      );
      const event = list.entries.find((e) => e.type === 'ingest.event')!;
      const genesis = list.entries.find((e) => e.type === 'ledger.genesis')!;

      await value(tess('ledger.entry', { seq: genesis.seq }));
      expect(await entriesOf(tess, [ACCESS_ENTRY])).toHaveLength(0);

      const shown = await value<{ canonicalJson: string }>(tess('ledger.entry', { seq: event.seq }));
      expect(shown.canonicalJson).toContain(serialOf(item(42)));
      const entries = await entriesOf(tess, [ACCESS_ENTRY]);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: ids.tess,
        payload: { procedure: 'ledger.entry', records: { ledger_leaves: [event.seq] }, entries: 1 },
      });
      expect(JSON.stringify(entries[0])).not.toContain(serialOf(item(42)));
    } finally {
      await core.close();
    }
  });
});
