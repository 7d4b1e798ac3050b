import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { readRecords, type ReadItem } from '../../src/core/ingest/read';
import { canonicalize } from '../../src/core/ledger/jcs';
import { readRecordsThreaded, THREADED_READ_BYTES } from '../../src/core/ingest/read-thread';
import { events as ev } from '../support/synthetic';
import { freshContext, importText, tempDir } from './helpers';
import { doc, item, MFG, pallet, t } from './world';

/** A file above the threaded-read size: commissionings, packings, and one event that fails its checks. */
function bigFile(): string {
  const events: string[] = [];
  for (let i = 0; i < 4_500; i++) {
    events.push(ev.commission([item(i)], { time: t(0), location: MFG, lot: `L${i % 7}` }));
    if (i % 10 === 9) events.push(ev.pack(pallet(i), [item(i - 1), item(i)], { time: t(1), location: MFG }));
  }
  events.splice(
    1234,
    0,
    ev.commission(['urn:epc:id:sgtin:0300011.012345.BAD%'], { time: t(0), location: MFG }),
  );
  const file = path.join(tempDir(), 'big.xml');
  fs.writeFileSync(file, doc(events));
  expect(fs.statSync(file).size).toBeGreaterThan(THREADED_READ_BYTES);
  return file;
}

async function collect(items: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const i of items) out.push(i);
  return out;
}

describe('reading on a second thread', () => {
  it('yields exactly the items, in the order, that reading on this thread does', async () => {
    const file = bigFile();
    const here = await collect(readRecords({ path: file }, 'epcis-xml', undefined));
    const there = await collect(readRecordsThreaded({ path: file }, 'epcis-xml', undefined));
    expect(there.length).toBe(here.length);
    expect(there.filter((i) => i.type === 'failure').length).toBe(1);
    // Each EPCIS event also comes with its RFC 8785 text, made on the reading thread: the text the
    // ledger entry would have canonicalized on this one.
    const events = there.filter((i) => i.type === 'record' && i.record.kind === 'epcis-event');
    expect(events.length).toBeGreaterThan(4000);
    for (const i of events) {
      if (i.type !== 'record' || i.record.kind !== 'epcis-event') continue;
      expect(i.canonicalEvent).toBe(canonicalize(i.record.event));
    }
    expect(there.map((i) => (i.type === 'record' ? { type: i.type, record: i.record } : i))).toEqual(here);
  });

  it('a thread that cannot start (a packaging or loader problem) reads on this thread instead', async () => {
    const file = bigFile();
    const here = await collect(readRecords({ path: file }, 'epcis-xml', undefined));
    const broken = () => new Worker('throw new Error("cannot load the reader")', { eval: true });
    const there = await collect(
      readRecordsThreaded({ path: file }, 'epcis-xml', undefined, undefined, undefined, broken),
    );
    expect(there).toEqual(here);
  });

  it('passes the reader errors through with their code (a missing file is not-found, not a crash)', async () => {
    const missing = path.join(tempDir(), 'gone.xml');
    await expect(
      collect(readRecordsThreaded({ path: missing }, 'epcis-xml', undefined)),
    ).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('stops when cancelled, and the thread goes away', async () => {
    const file = bigFile();
    const controller = new AbortController();
    let seen = 0;
    await expect(
      (async () => {
        for await (const _ of readRecordsThreaded(
          { path: file },
          'epcis-xml',
          undefined,
          controller.signal,
        )) {
          if (++seen === 300) controller.abort();
        }
      })(),
    ).rejects.toThrow(/abort/i);
    expect(seen).toBe(300);
  });

  it('a large file imports through the thread the same as through a small one: all of it or none', async () => {
    const ctx = await freshContext();
    const text = fs.readFileSync(bigFile(), 'utf8');
    const rejected = await importText(ctx, 'big.xml', text);
    expect(rejected.status).toBe('quarantined');
    expect(rejected.reasons.map((r) => r.record)).toEqual([1234]);
    expect(ctx.db.prepare('SELECT count(*) FROM trace_events').pluck().get()).toBe(0);
    // Without the bad event, every record is applied exactly once.
    const good = text.replace(/<ObjectEvent>(?:(?!<\/ObjectEvent>)[\s\S])*BAD%[\s\S]*?<\/ObjectEvent>/, '');
    const imported = await importText(ctx, 'big-fixed.xml', good);
    expect(imported).toMatchObject({ status: 'imported', imported: 4_950, pending: 0 });
    expect(ctx.db.prepare('SELECT count(*) FROM trace_events').pluck().get()).toBe(4_950);
  });
});
