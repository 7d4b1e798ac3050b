import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/api/errors';
import type { Core } from '../../src/core/app';
import { ACCESS_ENTRY, AccessOutbox } from '../../src/core/ledger/access-log';
import { entriesOf, signIn, staffedCore } from '../quarantine/helpers';
import {
  DOCUMENT_TAIL,
  documentHead,
  events as ev,
  SAMPLE_PRODUCT,
  sgtin,
  withCheck,
} from '../support/synthetic';

/*
 * Issue 16, reads never wait for an import: trace.lookup answers from the last commit while a
 * large import holds its transaction open, and the access entry of what it showed is held durably
 * and appended once the import has committed. A receiving scan, a person's write, waits for the
 * file to commit (one transaction per file: the bound is the rest of the import) and then succeeds.
 */

const MAKER = withCheck('030001111111');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function file(name: string, events: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-read-during-'));
  dirs.push(dir);
  const at = path.join(dir, name);
  fs.writeFileSync(
    at,
    documentHead({ products: [SAMPLE_PRODUCT] }) + events.join('\n') + '\n' + DOCUMENT_TAIL,
  );
  return at;
}

const time = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
const serial = (prefix: string, i: number) => sgtin(SAMPLE_PRODUCT.gtin, `${prefix}${i}`);

/** Imports through the router as the CLI does (a path); `onProgress` sees the records read so far. */
function importPath(core: Core, at: string, onProgress: (done: number) => void = () => {}) {
  return core.router.call(
    {
      transport: 'cli',
      principal: core.sessions.slot('phil-window').get(),
      emit: (e) => {
        if (e.topic === 'job.progress' && typeof e.done === 'number') onProgress(e.done);
      },
    },
    'ingest.import',
    { files: [{ path: at }] },
  ) as Promise<Result<{ results: { status: string; imported: number }[] }>>;
}

describe('reads and scans during an uncommitted import', () => {
  it('a trace answers at once with the state before the import; its access entry is appended after it', async () => {
    const { core } = await staffedCore();
    const phil = await signIn(core, 'phil-window', 'phil');
    const call = async <T>(method: string, input?: unknown): Promise<T> => {
      const r = await phil(method, input);
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
      return r.value as T;
    };
    try {
      // Before: serial A0 commissioned.
      const first = await importPath(
        core,
        file('a.xml', [
          ev.commission([serial('A', 0)], {
            time: time(0),
            location: MAKER,
            lot: 'L1',
            expiry: '2028-12-31',
          }),
        ]),
      );
      expect(first.ok && first.value.results[0]!.status).toBe('imported');

      // The import: many commissionings, then A0 decommissioned (what the trace must not see yet).
      const many = Array.from({ length: 6000 }, (_, i) =>
        ev.commission([serial('B', i)], {
          time: time(10 + i),
          location: MAKER,
          lot: 'L2',
          expiry: '2028-12-31',
        }),
      );
      many.push(ev.decommission([serial('A', 0)], { time: time(10_000), location: MAKER }));
      const big = file('b.xml', many);

      let traced: Promise<{
        answer: { found: boolean; state: { state: string } | null };
        ms: number;
        held: number;
      }> | null = null;
      let importDone = false;
      const outbox = path.join(core.services.dataDir, 'access-pending');
      const imported = importPath(core, big, (done) => {
        if (done < 2000 || traced !== null) return;
        // The import has read 2000 records and holds its transaction open.
        traced = (async () => {
          const t0 = performance.now();
          const answer = await call<{ found: boolean; state: { state: string } | null }>('trace.lookup', {
            query: serial('A', 0),
          });
          const ms = performance.now() - t0;
          expect(importDone).toBe(false);
          const held = new AccessOutbox(outbox).held().length;
          return { answer, ms, held };
        })();
      }).then((r) => {
        importDone = true;
        return r;
      });
      const result = await imported;
      expect(result.ok && result.value.results[0]!.status).toBe('imported');
      expect(traced).not.toBeNull();
      const during = await traced!;
      // The state before the import, answered without waiting for it, its access entry held on disk.
      expect(during.answer.found).toBe(true);
      expect(during.answer.state?.state).toBe('commissioned');
      expect(during.ms).toBeLessThan(1000);
      expect(during.held).toBe(1);

      // After the commit: the held entry is appended (after the import's entries) and the outbox is empty.
      let access = await entriesOf(phil, [ACCESS_ENTRY]);
      // The drain runs as soon as the import's write ends; a listing a moment later shows it.
      for (let i = 0; i < 50 && !access.some((e) => e.payload.procedure === 'trace.lookup'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        access = await entriesOf(phil, [ACCESS_ENTRY]);
      }
      const files = await call<{ files: { ledgerSeq: number; name: string }[] }>('ingest.files', {});
      const bigFile = files.files.find((f) => f.name === 'b.xml')!;
      const heldEntry = access.find((e) => e.payload.procedure === 'trace.lookup');
      expect(heldEntry).toBeDefined();
      expect(heldEntry!.seq).toBeGreaterThan(bigFile.ledgerSeq + 6000);
      // The journal is cleared once the append committed.
      for (let i = 0; i < 50 && new AccessOutbox(outbox).held().length > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(new AccessOutbox(outbox).held()).toEqual([]);
      const after = await call<{ state: { state: string } | null }>('trace.lookup', {
        query: serial('A', 0),
      });
      expect(after.state?.state).toBe('decommissioned');
    } finally {
      await core.close();
    }
  });

  it('a receiving scan waits for the file to commit, told which file and how long, then is recorded at once (the bound: the rest of the import)', async () => {
    const { core } = await staffedCore();
    const phil = await signIn(core, 'phil-window', 'phil');
    const call = async <T>(method: string, input?: unknown): Promise<T> => {
      const r = await phil(method, input);
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
      return r.value as T;
    };
    try {
      const session = (await call<{ sessionId: number }>('receiving.openSession', {})).sessionId;
      const many = Array.from({ length: 8000 }, (_, i) =>
        ev.commission([serial('C', i)], { time: time(i), location: MAKER, lot: 'L3', expiry: '2028-12-31' }),
      );
      type Running = {
        imports: {
          file: string;
          phase: string;
          records: number;
          bytesRead: number;
          size: number;
          secondsLeft: number | null;
        }[];
      };
      let scanned: Promise<{ at: number; exception: { kind: string } | null }> | null = null;
      // What the scan station tells the person while the scan waits (ingest.running), asked as it waits.
      let told: Promise<{ running: Running; ms: number }> | null = null;
      let toldLater: Promise<Running> | null = null;
      let importedAt = 0;
      const result = await importPath(core, file('c.xml', many), (done) => {
        if (done >= 6000 && toldLater === null) toldLater = call<Running>('ingest.running', {});
        if (done < 2000 || scanned !== null) return;
        scanned = call<{ exception: { kind: string } | null }>('receiving.scan', {
          sessionId: session,
          scan: `]C100${withCheck('00300039999999999')}`,
        }).then((r) => ({ ...r, at: performance.now() }));
        const t0 = performance.now();
        told = call<Running>('ingest.running', {}).then((running) => ({
          running,
          ms: performance.now() - t0,
        }));
      });
      importedAt = performance.now();
      expect(result.ok && result.value.results[0]!.status).toBe('imported');
      // Asked while the file held the writer, answered without waiting for it: which file, how far.
      const asked = await told!;
      expect(asked.ms).toBeLessThan(1000);
      expect(asked.running.imports).toHaveLength(1);
      const during = asked.running.imports[0]!;
      expect(during).toMatchObject({ file: 'c.xml', phase: 'reading' });
      expect(during.records).toBeGreaterThanOrEqual(2000);
      expect(during.bytesRead).toBeGreaterThan(0);
      expect(during.bytesRead).toBeLessThanOrEqual(during.size);
      // Three quarters in, the rate so far gives the time left (the page says "recorded in about N s").
      const later = (await toldLater!).imports[0]!;
      expect(later.records).toBeGreaterThanOrEqual(6000);
      expect(later.secondsLeft).toBeGreaterThanOrEqual(1);
      // Once committed, nothing holds the writer.
      expect((await call<Running>('ingest.running', {})).imports).toEqual([]);
      const scan = await scanned!;
      // One transaction per file: the scan is written after the commit, not before, and right after it.
      // (The scan may answer a moment before the import's own answer, which ends after the commit.)
      expect(scan.at).toBeGreaterThanOrEqual(importedAt - 200);
      expect(scan.at - importedAt).toBeLessThan(2000);
      expect(scan.exception?.kind).toBe('no-data-received');
    } finally {
      await core.close();
    }
  });
});
