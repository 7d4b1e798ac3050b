import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/app';
import type { AppEvent } from '../../src/core/api/events';
import type { Result } from '../../src/core/api/errors';
import type { Principal } from '../../src/core/api/principal';
import type { OutputOf, Contract } from '../../src/core/api';
import { events as ev } from '../support/synthetic';
import { silentLog } from '../../src/core/platform/log';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { addFolder, folderProblem, withTimeout } from '../../src/core/folders/store';
import { FolderWatcher } from '../../src/core/folders/watcher';
import { Jobs } from '../../src/core/platform/jobs';
import type { LedgerService } from '../../src/core/ledger/service';
import { freshContext, tempDir } from './helpers';
import { doc, item, MFG, PHARMACY, t, WEEKLY_T3_MAPPING, WHOLESALER } from './world';

/*
 * Watched import folders through the API, on real temporary folders and a real encrypted ledger.
 * The clock the core is given is real time plus an offset the test moves: file modification times
 * come from the file system, so "a minute later" is the clock moving, not a sleep.
 */

const TESS: Principal = {
  userId: 'u-tess',
  username: 'tess',
  displayName: 'Tess Technician',
  roles: ['technician'],
};
const AVA: Principal = { userId: 'u-ava', username: 'ava', displayName: 'Ava Auditor', roles: ['auditor'] };
const ADA: Principal = {
  userId: 'u-ada',
  username: 'ada',
  displayName: 'Ada Admin',
  roles: ['administrator'],
};

type Folder = OutputOf<Contract['folders.list']>['folders'][number];
type ScanOut = OutputOf<Contract['folders.scan']>;

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

function world(
  folderWatch: Parameters<typeof createCore>[0]['folderWatch'] = { timer: false },
  place = { dataDir: tempDir(), secrets: createMemorySecretStore() },
) {
  let offset = 0;
  const seen: AppEvent[] = [];
  const core = createCore({
    version: 'test',
    dataDir: place.dataDir,
    log: silentLog,
    secrets: place.secrets,
    now: () => Date.now() + offset,
    folderWatch: { settleMs: 5_000, oldAfterMs: 120_000, ...folderWatch },
  });
  cores.push(core);
  core.events.subscribe((e) => seen.push(e));
  // Only an administrator adds a watched folder (issue 18); Tess does the rest.
  const personFor = (method: string) => (method === 'folders.add' ? ADA : TESS);
  const call = (
    method: string,
    input?: unknown,
    who: Principal = personFor(method),
  ): Promise<Result<unknown>> =>
    core.router.call({ transport: 'http', principal: who, emit: core.events.emit }, method, input);
  async function ok<T>(method: string, input?: unknown, who: Principal = personFor(method)): Promise<T> {
    const r = await call(method, input, who);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  }
  return {
    core,
    place,
    seen,
    call,
    ok,
    advance: (ms: number) => void (offset += ms),
    list: async () => (await ok<{ folders: Folder[] }>('folders.list', {})).folders,
    scan: (id?: number) => ok<ScanOut>('folders.scan', id === undefined ? {} : { id }),
    ledgerSize: async () => (await ok<{ size: number }>('ledger.status', {})).size,
    entries: async (types: string[]) =>
      (
        await ok<{ entries: { seq: number; time: number; type: string; actor: string }[] }>(
          'ledger.entries',
          {
            types,
            limit: 100,
          },
        )
      ).entries,
    entryJson: async (seq: number) =>
      JSON.parse((await ok<{ canonicalJson: string }>('ledger.entry', { seq })).canonicalJson) as {
        payload: Record<string, unknown>;
      },
  };
}

/** A file whose last change was long ago: complete on its first sighting. */
function dropOld(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  const past = new Date(Date.now() - 10 * 60_000);
  fs.utimesSync(file, past, past);
  return file;
}

const goodDoc = (n: number) => doc([ev.commission([item(n)], { time: t(0), location: MFG, lot: `L${n}` })]);

/** Rejected by the rules: a sale shipped without its transaction statement. */
const badDoc = (n: number) =>
  doc(
    [
      ev.commission([item(n)], { time: t(0), location: MFG, lot: 'L1' }),
      ev.ship([item(n)], {
        time: t(5),
        seller: WHOLESALER,
        buyer: PHARMACY,
        shipTo: PHARMACY,
        po: `PO-${n}`,
      }),
    ],
    { statement: false },
  );

describe('watched folders', () => {
  it('imports a dropped file once, as the person who scanned, with origin folder:<name>; an unchanged file is not read again', async () => {
    const w = world();
    const dir = tempDir('custodia-watched-');
    const added = await w.ok<Folder>('folders.add', { path: `${dir}${path.sep}`, name: 'Portal' });
    expect(added).toMatchObject({ name: 'Portal', path: dir, status: 'waiting', addedBy: 'u-ada' });
    const [addEntry] = await w.entries(['folders.added']);
    expect(addEntry).toMatchObject({ actor: 'u-ada', time: added.addedMs });
    // Not a technician: a folder reads whatever this workstation can read, unattended.
    const byTess = await w.call('folders.add', { path: dir, name: 'Elsewhere' }, TESS);
    expect(byTess).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await w.entryJson(addEntry!.seq)).payload).toMatchObject({
      id: added.id,
      name: 'Portal',
      path: dir,
    });

    const file = dropOld(dir, 'asn-1.xml', goodDoc(1));
    // Other files in the folder are not partner files: ignored.
    fs.writeFileSync(path.join(dir, 'readme.pdf'), 'not a partner file');
    fs.writeFileSync(path.join(dir, 'asn-2.xml.crdownload'), goodDoc(2).slice(0, 100));
    fs.mkdirSync(path.join(dir, 'archive'));
    // Created, not yet filled: left alone rather than quarantined as an empty file.
    dropOld(dir, 'asn-3.xml', '');

    const first = await w.scan();
    expect(first.results).toEqual([
      expect.objectContaining({ folderId: added.id, status: 'ok', imported: 1, quarantined: 0, waiting: 0 }),
    ]);
    const files = await w.ok<{ files: { name: string }[]; total: number }>('ingest.files', {});
    expect(files).toMatchObject({ total: 1, files: [{ name: 'asn-1.xml' }] });
    const [fileEntry] = await w.entries(['ingest.file']);
    expect(fileEntry!.actor).toBe('u-tess');
    expect((await w.entryJson(fileEntry!.seq)).payload).toMatchObject({
      name: 'asn-1.xml',
      source: 'folder:Portal',
    });
    expect(w.seen.some((e) => e.topic === 'job.progress' && e.jobId === first.jobId)).toBe(true);
    expect(w.seen.at(-1)).toMatchObject({ topic: 'job.finished', jobId: first.jobId, ok: true });

    // Same name, same size, same modification time, other bytes: remembered as seen, so not hashed or read.
    const size = await w.ledgerSize();
    const { mtime } = fs.statSync(file);
    const other = goodDoc(2);
    expect(other.length).toBe(fs.statSync(file).size);
    fs.writeFileSync(file, other);
    fs.utimesSync(file, mtime, mtime);
    w.advance(60_000);
    expect((await w.scan()).results[0]).toMatchObject({ imported: 0, alreadyImported: 0, waiting: 0 });
    expect(await w.ledgerSize()).toBe(size);

    const [listed] = await w.list();
    expect(listed).toMatchObject({
      status: 'ok',
      scanning: false,
      files: { imported: 1, quarantined: 0, waiting: 0 },
      recent: [{ name: 'asn-1.xml', outcome: 'imported' }],
    });
    expect(listed!.lastScanMs).toBeGreaterThan(Date.now() + 30_000);
    // The partner's file is where it was.
    expect(fs.readdirSync(dir).sort()).toEqual([
      'archive',
      'asn-1.xml',
      'asn-2.xml.crdownload',
      'asn-3.xml',
      'readme.pdf',
    ]);
  });

  it('does not import a file that is still growing until it has kept its size and time between two scans', async () => {
    const w = world();
    const dir = tempDir('custodia-watched-');
    const { id } = await w.ok<Folder>('folders.add', { path: dir });
    const whole = goodDoc(3);
    const file = path.join(dir, 'growing.xml');
    fs.writeFileSync(file, whole.slice(0, 200));

    expect((await w.scan(id)).results[0]).toMatchObject({ imported: 0, quarantined: 0, waiting: 1 });
    w.advance(2_000);
    fs.appendFileSync(file, whole.slice(200, 400));
    expect((await w.scan(id)).results[0]).toMatchObject({ imported: 0, quarantined: 0, waiting: 1 });
    // Unchanged, but not for long enough yet.
    w.advance(2_000);
    expect((await w.scan(id)).results[0]).toMatchObject({ imported: 0, waiting: 1 });
    fs.appendFileSync(file, whole.slice(400));
    w.advance(2_000);
    expect((await w.scan(id)).results[0]).toMatchObject({ imported: 0, waiting: 1 });
    expect((await w.list())[0]).toMatchObject({ files: { waiting: 1, imported: 0 } });
    w.advance(6_000);
    expect((await w.scan(id)).results[0]).toMatchObject({ imported: 1, quarantined: 0, waiting: 0 });
    expect(await w.ok('quarantine.list', {})).toMatchObject({ total: 0 });

    // One that goes away before it settles (the download was abandoned) is no longer counted as waiting.
    fs.writeFileSync(path.join(dir, 'abandoned.xml'), whole.slice(0, 300));
    expect((await w.scan(id)).results[0]).toMatchObject({ waiting: 1 });
    fs.rmSync(path.join(dir, 'abandoned.xml'));
    expect((await w.scan(id)).results[0]).toMatchObject({ waiting: 0 });
    expect((await w.list())[0]).toMatchObject({ files: { waiting: 0, imported: 1 } });
  });

  it('sends a bad file to quarantine with its reasons once, and again only when it changes', async () => {
    const w = world();
    const dir = tempDir('custodia-watched-');
    const { id } = await w.ok<Folder>('folders.add', { path: dir, name: 'Wholesaler drop' });
    const file = dropOld(dir, 'bad.xml', badDoc(7));
    expect((await w.scan()).results[0]).toMatchObject({ quarantined: 1, imported: 0 });
    const list = await w.ok<{
      items: { id: number; source: string; attempts: number; reasonCount: number }[];
    }>('quarantine.list', {});
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ source: 'folder:Wholesaler drop', attempts: 0 });
    expect(list.items[0]!.reasonCount).toBeGreaterThan(0);
    const [folder] = await w.list();
    expect(folder!.recent[0]).toMatchObject({
      name: 'bad.xml',
      outcome: 'quarantined',
      quarantineId: list.items[0]!.id,
    });
    expect(folder!.recent[0]!.message).toMatch(/^Rejected: /);

    // Scans later (the timer's, and a person's "Scan now") leave it alone: no new attempt, no new entry.
    const size = await w.ledgerSize();
    for (let i = 0; i < 3; i++) {
      w.advance(30_000);
      expect((await w.scan(id)).results[0]).toMatchObject({ quarantined: 0, imported: 0, failed: 0 });
    }
    expect(await w.ledgerSize()).toBe(size);
    expect(await w.ok('quarantine.list', {})).toMatchObject({ total: 1, items: [{ attempts: 0 }] });

    // The partner sends a corrected file under the same name: it is read again and imported.
    fs.writeFileSync(file, goodDoc(8));
    const past = new Date(Date.now() - 5 * 60_000);
    fs.utimesSync(file, past, past);
    expect((await w.scan(id)).results[0]).toMatchObject({ imported: 1, quarantined: 0 });
    expect((await w.list())[0]).toMatchObject({ files: { imported: 1, quarantined: 0 } });
  });

  it('a removed folder is no longer scanned, and its removal is recorded with who removed it', async () => {
    const w = world();
    const dir = tempDir('custodia-watched-');
    const { id } = await w.ok<Folder>('folders.add', { path: dir });
    expect(await w.ok('folders.remove', { id })).toEqual({ removed: true });
    const [removed] = await w.entries(['folders.removed']);
    expect(removed).toMatchObject({ actor: 'u-tess' });
    expect((await w.entryJson(removed!.seq)).payload).toEqual({ id, name: path.basename(dir), path: dir });
    dropOld(dir, 'late.xml', goodDoc(9));
    expect((await w.scan()).results).toEqual([]);
    expect(await w.ok('ingest.files', {})).toMatchObject({ total: 0 });
    expect(await w.list()).toEqual([]);
    expect(await w.call('folders.remove', { id })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await w.call('folders.scan', { id })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // Watched again later, the file is taken then.
    await w.ok('folders.add', { path: dir });
    expect((await w.scan()).results[0]).toMatchObject({ imported: 1 });
  });

  it('a folder that went away shows as missing with what to do, without failing the scan of the others', async () => {
    const w = world();
    const gone = tempDir('custodia-watched-');
    const here = tempDir('custodia-watched-');
    const missing = await w.ok<Folder>('folders.add', { path: gone, name: 'A share' });
    await w.ok<Folder>('folders.add', { path: here, name: 'B local' });
    fs.rmSync(gone, { recursive: true });
    dropOld(here, 'ok.xml', goodDoc(10));
    const { results } = await w.scan();
    expect(results).toEqual([
      expect.objectContaining({ folderId: missing.id, status: 'missing', imported: 0 }),
      expect.objectContaining({ name: 'B local', status: 'ok', imported: 1 }),
    ]);
    const [a] = await w.list();
    expect(a).toMatchObject({ status: 'missing' });
    expect(a!.message).toContain(gone);
    expect(a!.message).toMatch(/Reconnect the share or recreate the folder/);
    // Back again: the next scan says so.
    fs.mkdirSync(gone);
    expect((await w.scan(missing.id)).results[0]).toMatchObject({ status: 'ok' });
  });

  it('refuses paths that cannot be watched, each with what to do', async () => {
    const w = world();
    const dir = tempDir('custodia-watched-');
    const file = path.join(dir, 'a.xml');
    fs.writeFileSync(file, 'x');
    const refused = async (input: unknown) => {
      const r = await w.call('folders.add', input);
      if (r.ok) throw new Error(`accepted ${JSON.stringify(input)}`);
      return r.error;
    };
    expect(await refused({ path: 'relative/inbox' })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/not a full path/),
    });
    expect(await refused({ path: path.join(dir, 'nope') })).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/There is no folder/),
    });
    expect(await refused({ path: file })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/is a file/),
    });
    const dataDir = w.core.services.dataDir;
    fs.mkdirSync(path.join(dataDir, '..inbox'));
    expect(await refused({ path: path.join(dataDir, '..inbox') })).toMatchObject({ code: 'invalid-input' });
    expect(await refused({ path: dataDir })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/data folder/),
    });
    expect(await refused({ path: dir, partnerId: 99 })).toMatchObject({ code: 'not-found' });
    await w.ok('folders.add', { path: dir });
    expect(await refused({ path: path.join(dir, '..', path.basename(dir)), name: 'Other' })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already watched/),
    });
    expect(await w.list()).toHaveLength(1);
  });

  it('only an administrator adds a watched folder, only people who may import scan; each refusal is recorded', async () => {
    const w = world();
    const dir = tempDir('custodia-watched-');
    for (const who of [AVA, TESS]) {
      expect(await w.call('folders.add', { path: dir }, who)).toMatchObject({
        ok: false,
        error: { code: 'forbidden', details: { permission: 'settings.manage' } },
      });
    }
    for (const who of [AVA, ADA]) {
      expect(await w.call('folders.scan', {}, who)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    const anonymous = await w.core.router.call(
      { transport: 'http', principal: null, emit: () => {} },
      'folders.list',
      {},
    );
    expect(anonymous).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await w.list()).toEqual([]);
    // The auditor reads the list.
    expect(await w.call('folders.list', {}, AVA)).toMatchObject({ ok: true, value: { folders: [] } });
    const refusals = await w.entries(['access.refused']);
    expect(refusals.map((e) => e.actor).sort()).toEqual(['u-ada', 'u-ava', 'u-ava', 'u-tess']);
    const oldest = refusals.reduce((a, b) => (a.seq < b.seq ? a : b));
    expect((await w.entryJson(oldest.seq)).payload).toMatchObject({
      procedure: 'folders.add',
      rule: 'permission',
    });
  });

  it('the timer imports new files as "system" once the ledger is open, and stops when the core closes', async () => {
    const w = world({ timer: true, intervalMs: 40, settleMs: 0, oldAfterMs: 120_000 });
    const dir = tempDir('custodia-watched-');
    await w.ok<Folder>('folders.add', { path: dir });
    dropOld(dir, 'timed.xml', goodDoc(11));
    await expect.poll(async () => (await w.list())[0]?.files.imported, { timeout: 5_000 }).toBe(1);
    const [fileEntry] = await w.entries(['ingest.file']);
    expect(fileEntry!.actor).toBe('system');
    expect(w.seen.filter((e) => e.topic === 'job.finished')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Watched folders: 1 file\(s\) imported/) }),
    ]);
    // Ticks that find nothing new say nothing: a window reloading on news would keep its session awake.
    await new Promise((r) => setTimeout(r, 300));
    expect(w.seen.filter((e) => e.topic === 'job.finished')).toHaveLength(1);
    await w.core.close();
    cores.splice(cores.indexOf(w.core), 1);
    // Closed: a file dropped now stays unread (the timer is gone; nothing throws into the process).
    dropOld(dir, 'after-close.xml', goodDoc(12));
    await new Promise((r) => setTimeout(r, 300));
    const again = world({ timer: false }, w.place);
    expect(await again.ok('ingest.files', {})).toMatchObject({ total: 1, files: [{ name: 'timed.xml' }] });
  });

  it('a ledger that refuses writes stops the scan with a status saying why; nothing is thrown, and the files wait', async () => {
    const ctx = await freshContext();
    const dir = tempDir('custodia-watched-');
    const id = await addFolder(ctx, { path: dir }, 'u-tess');
    dropOld(dir, 'waits.xml', goodDoc(20));
    const service = { current: ctx.ledger, use: (fn: (ws: typeof ctx) => unknown) => fn(ctx) };
    const watcher = new FolderWatcher({
      service: service as unknown as LedgerService,
      jobs: new Jobs(),
      emit: () => {},
      log: silentLog,
      now: Date.now,
      options: { timer: false },
    });
    ctx.ledger.block('the tree kept in memory no longer matches the last signed checkpoint');
    const { results } = await watcher.scan({ actor: 'u-tess', retryFailed: true });
    expect(results).toEqual([expect.objectContaining({ folderId: id, status: 'error', imported: 0 })]);
    expect(results[0]!.message).toMatch(
      /^The last scan stopped: .*no longer matches.*The files wait in the folder/,
    );
    expect(watcher.unrecordedProblem(id)).toBe(results[0]!.message);
    expect(ctx.db.prepare('SELECT count(*) FROM ingest_files').pluck().get()).toBe(0);
    await watcher.close();
  });

  it('a folder that does not answer (a hung share) is reported unreachable rather than waited for', async () => {
    const hung = new Promise<never>(() => {});
    const error = await withTimeout(hung, 20).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ETIMEDOUT' });
    expect(folderProblem(error, '/mnt/partner')).toEqual({
      status: 'unreachable',
      message: expect.stringMatching(
        /^\/mnt\/partner did not answer within 20 seconds: .*the next scan tries again\.$/,
      ),
    });
  });

  it('a scan waits for a long import transaction open elsewhere, then records its files', async () => {
    const ctx = await freshContext();
    const dir = tempDir('custodia-watched-');
    const id = await addFolder(ctx, { path: dir }, 'u-tess');
    dropOld(dir, 'after-upload.xml', goodDoc(30));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const upload = ctx.ledger.transactAcrossAwaits(() => held);
    const watcher = new FolderWatcher({
      service: {
        current: ctx.ledger,
        use: (fn: (ws: typeof ctx) => unknown) => fn(ctx),
      } as unknown as LedgerService,
      jobs: new Jobs(),
      emit: () => {},
      log: silentLog,
      now: Date.now,
      options: { timer: false },
    });
    const scanning = watcher.scan({ actor: 'u-tess', retryFailed: false });
    await new Promise((r) => setTimeout(r, 50));
    release();
    await upload;
    const { results } = await scanning;
    expect(results).toEqual([expect.objectContaining({ folderId: id, status: 'ok', imported: 1 })]);
    await watcher.close();
  });

  it("reads a partner's CSV sheets with the folder's partner and column mapping", async () => {
    const w = world();
    // Our own GLN first: without one a drug's change of ownership is held for review (issue 18).
    await w.ok('partners.save', {
      name: 'Main Street Pharmacy',
      role: 'self',
      authorized: true,
      glns: [PHARMACY],
    });
    const { id: partnerId } = await w.ok<{ id: number }>('partners.save', {
      name: 'Big Wholesaler',
      role: 'wholesaler',
      authorized: true,
      glns: [WHOLESALER],
    });
    const { id: mappingId } = await w.ok<{ id: number }>('partners.saveMapping', {
      partnerId,
      name: 'weekly',
      mapping: WEEKLY_T3_MAPPING,
    });
    const dir = tempDir('custodia-watched-');
    const other = tempDir('custodia-watched-');
    // A mapping belongs to its partner.
    expect(await w.call('folders.add', { path: other, partnerId: 99, mappingId })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    const folder = await w.ok<Folder>('folders.add', { path: dir, name: 'Big weekly', partnerId, mappingId });
    expect(folder).toMatchObject({ partnerId, partnerName: 'Big Wholesaler', mappingId });
    const sheet = [
      'Invoice;Date;Seller;Buyer;Product;NDC;Qty;Lot;TS',
      'INV-7;2026-03-02;Big Wholesaler;Main Street Pharmacy;Lisinopril 10 mg;0002-1234-56;4;LOT-9;yes',
    ].join('\n');
    dropOld(dir, 'weekly.csv', sheet);
    expect((await w.scan(folder.id)).results[0]).toMatchObject({ imported: 1, quarantined: 0 });
    const [fileEntry] = await w.entries(['ingest.file']);
    expect((await w.entryJson(fileEntry!.seq)).payload).toMatchObject({
      name: 'weekly.csv',
      format: 'csv-t3',
      source: 'folder:Big weekly',
      partner: partnerId,
    });
  });
});
