import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/errors';
import type { CallContext } from '../api/router';
import type { FieldSealer } from '../sealing/field-sealer';
import type { SealContext } from '../sealing/sealed-format';
import type { EntryInput } from './ledger';
import type { Workspace } from './workspace';

/**
 * Who saw sealed identifiers, when, through which procedure: one ledger entry per call that opened
 * any (a 1000-serial trace is one entry), naming the records by their row ids and counting the
 * values opened. Never the identifiers themselves: the log must not become a copy of what sealing
 * protects.
 */
export const ACCESS_ENTRY = 'access.identifiers-shown';

/** What a call disclosed, in terms that name no serial. */
export interface Disclosure {
  /** The records whose identifiers were shown: {trace_ids: [12]}, {investigations: [3]}, {quarantine_items: [7]}. */
  readonly records: Record<string, readonly number[]>;
  /** How many sealed values were opened (0 for raw bytes, which are not sealed field by field). */
  readonly identifiers: number;
  /** Raw partner bytes returned as received (they hold serials in clear). */
  readonly rawBytes?: number;
  /** Ledger entries returned whole (imported events and receiving records hold identifiers in clear). */
  readonly entries?: number;
}

/** A sealer that counts what it opens and remembers which rows, for one call. */
export interface CountingSealer {
  readonly sealer: FieldSealer;
  /** Values opened so far, and the row ids per table they came from. */
  opened(): { count: number; rows: Map<string, Set<number>> };
}

export function countingSealer(inner: FieldSealer): CountingSealer {
  let count = 0;
  const rows = new Map<string, Set<number>>();
  const note = (at: SealContext) => {
    count++;
    let set = rows.get(at.table);
    if (set === undefined) rows.set(at.table, (set = new Set()));
    if (typeof at.rowId === 'number') set.add(at.rowId);
  };
  return {
    sealer: {
      seal: (value, at) => inner.seal(value, at),
      openText(sealed, at) {
        const text = inner.openText(sealed, at);
        note(at);
        return text;
      },
      openBytes(sealed, at) {
        const bytes = inner.openBytes(sealed, at);
        note(at);
        return bytes;
      },
      keyVersionOf: (sealed) => inner.keyVersionOf(sealed),
      needsResealing: (sealed) => inner.needsResealing(sealed),
      blindIndex: (domain, value, options) => inner.blindIndex(domain, value, options),
    },
    opened: () => ({ count, rows }),
  };
}

/** The person a disclosure is recorded under; nobody signed in means nothing is shown. */
export function viewerOf(call: CallContext): { userId: string } {
  if (call.principal === null) {
    throw new ApiError(
      'unauthenticated',
      'Sign in first: sealed identifiers are shown only to a signed-in person, and each showing is recorded.',
    );
  }
  return { userId: call.principal.userId };
}

/** The access entry of one disclosure: what was shown and how, never the values themselves. */
export function accessEntry(
  viewer: { userId: string },
  via: { procedure: string; transport: string },
  disclosure: Disclosure,
  time?: number,
): EntryInput {
  const records: Record<string, number[]> = {};
  for (const [table, ids] of Object.entries(disclosure.records)) {
    if (ids.length > 0) records[table] = [...ids].sort((a, b) => a - b);
  }
  return {
    type: ACCESS_ENTRY,
    actor: viewer.userId,
    ...(time !== undefined ? { time } : {}),
    payload: {
      // The line the ledger table shows.
      summary: `${
        disclosure.rawBytes !== undefined
          ? `${disclosure.rawBytes} raw bytes as received`
          : disclosure.entries !== undefined
            ? `${disclosure.entries} ledger entr${disclosure.entries === 1 ? 'y' : 'ies'} with identifiers in clear`
            : `${disclosure.identifiers} sealed identifier(s)`
      } shown through ${via.procedure} (${via.transport}) of ${Object.entries(records)
        .map(([table, ids]) => `${table} ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ' …' : ''}`)
        .join('; ')}`,
      procedure: via.procedure,
      transport: via.transport,
      records,
      identifiers: disclosure.identifiers,
      ...(disclosure.rawBytes !== undefined ? { rawBytes: disclosure.rawBytes } : {}),
      ...(disclosure.entries !== undefined ? { entries: disclosure.entries } : {}),
    },
  };
}

/**
 * Where an access entry goes: the workspace (appended at once, in its own write), or a sink that
 * may hold it durably until the writer is free (LedgerService.recordAccess, for snapshot reads).
 */
export type AccessSink =
  Pick<Workspace, 'write'> | { readonly recordAccess: (entry: EntryInput) => Promise<void> };

/**
 * Records the access entry. Called after the read and before the answer leaves the core: when the
 * entry can be neither appended nor held durably, the identifiers are not returned.
 */
export async function recordDisclosure(
  sink: AccessSink,
  viewer: { userId: string },
  via: { procedure: string; transport: string },
  disclosure: Disclosure,
): Promise<void> {
  if ('recordAccess' in sink) {
    await sink.recordAccess(accessEntry(viewer, via, disclosure));
    return;
  }
  await sink.write((tx) => tx.append([accessEntry(viewer, via, disclosure, tx.time)]));
}

/**
 * Runs a read that may open sealed identifiers for a person: refuses when nobody is signed in,
 * counts what the read opens, and records one access entry when it disclosed anything (describe
 * returns null when nothing was shown, e.g. a lookup that found nothing).
 */
export async function disclosing<C extends { readonly sealer: FieldSealer } & AccessSink, T>(
  ctx: C,
  call: CallContext,
  procedure: string,
  read: (ctx: C) => T | Promise<T>,
  describe: (result: T, opened: ReturnType<CountingSealer['opened']>) => Disclosure | null,
): Promise<T> {
  const viewer = viewerOf(call);
  const counting = countingSealer(ctx.sealer);
  const result = await read({ ...ctx, sealer: counting.sealer });
  const disclosure = describe(result, counting.opened());
  if (disclosure !== null && (disclosure.identifiers > 0 || (disclosure.rawBytes ?? 0) > 0)) {
    await recordDisclosure(ctx, viewer, { procedure, transport: call.transport }, disclosure);
  }
  return result;
}

/** One access entry waiting in the outbox; its name orders it (time, then a counter). */
export interface HeldAccess {
  readonly name: string;
  readonly entry: EntryInput;
}

/** The journal's size when made: room for a few thousand entries without its size changing. */
const JOURNAL_BYTES = 512 * 1024;

/**
 * Access entries of reads that ran while a long write (an import) held the ledger: each is written
 * durably (one line of a journal under <dataDir>/access-pending, then fdatasync) before the answer
 * is returned, and appended by the ledger service as soon as the writer is free. The entry carries
 * the time of the read. Lines hold row ids and counts, never an identifier (see above).
 *
 * The journal is made once at its full size and written in place, so a line's fdatasync changes no
 * file size and no directory: on ext4 an fsync that must commit metadata also waits for every
 * other file's dirty data (the import's WAL, gigabytes), which made a trace wait for the import
 * after all. The ledger remembers the name of the last entry it appended (ledger_state
 * 'access-outbox'), in the same transaction, so a crash between that commit and the journal's
 * clearing never appends an entry twice.
 */
export class AccessOutbox {
  private last = '';
  private counter = 0;
  /** Where the next line goes; null until the journal was read. */
  private end: number | null = null;

  constructor(readonly dir: string) {}

  private get file(): string {
    return path.join(this.dir, 'journal');
  }

  /**
   * Writes the entry durably and returns its name: one write and one fdatasync, synchronous on
   * purpose. Done through libuv's pool instead, each of the steps would wait for the import's next
   * turn of the event loop, and the answer with it; this way a read pays the disk's flush alone.
   */
  hold(entry: EntryInput): string {
    const name = this.nextName(entry.time ?? Date.now());
    const line = Buffer.from(`${JSON.stringify({ name, entry })}\n`, 'utf8');
    const fd = this.openJournal();
    try {
      const at = this.end ?? this.scanEnd(fs.readFileSync(fd));
      fs.writeSync(fd, line, 0, line.length, at);
      fs.fdatasyncSync(fd);
      this.end = at + line.length;
    } finally {
      fs.closeSync(fd);
    }
    return name;
  }

  /** Every held entry, oldest first (a torn last line is one whose answer was never returned). */
  held(): HeldAccess[] {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.file);
    } catch {
      return [];
    }
    const text = bytes.subarray(0, this.scanEnd(bytes)).toString('utf8');
    const out: HeldAccess[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        out.push(JSON.parse(line) as HeldAccess);
      } catch {
        // Torn by a crash while it was written: its read never answered.
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * After the ledger committed these entries: the journal is cleared when they are all it holds;
   * otherwise (a read held another meanwhile) it stays, and the next drain skips what the ledger
   * already names.
   */
  remove(names: readonly string[]): void {
    const done = new Set(names);
    if (this.held().some((h) => !done.has(h.name))) return;
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r+');
    } catch {
      return;
    }
    try {
      const used = this.scanEnd(fs.readFileSync(fd));
      fs.writeSync(fd, Buffer.alloc(used), 0, used, 0);
      fs.fdatasyncSync(fd);
      this.end = 0;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The journal, made at its full size (and its folder synced) the first time. */
  private openJournal(): number {
    try {
      return fs.openSync(this.file, 'r+');
    } catch {
      fs.mkdirSync(this.dir, { recursive: true });
      const partial = `${this.file}.partial`;
      const made = fs.openSync(partial, 'w', 0o600);
      try {
        fs.writeSync(made, Buffer.alloc(JOURNAL_BYTES), 0, JOURNAL_BYTES, 0);
        fs.fsyncSync(made);
      } finally {
        fs.closeSync(made);
      }
      fs.renameSync(partial, this.file);
      const folder = fs.openSync(this.dir, 'r');
      try {
        fs.fsyncSync(folder);
      } finally {
        fs.closeSync(folder);
      }
      this.end = 0;
      return fs.openSync(this.file, 'r+');
    }
  }

  /** The first unused byte: lines end at the first NUL of the zero-filled journal. */
  private scanEnd(bytes: Buffer): number {
    const at = bytes.indexOf(0);
    return at < 0 ? bytes.length : at;
  }

  /** Time first (16 digits of ms), then a counter: names sort in the order the reads happened. */
  private nextName(time: number): string {
    const candidate = `${String(Math.max(0, Math.trunc(time))).padStart(16, '0')}-${String(this.counter++ % 1e6).padStart(6, '0')}`;
    this.last = candidate > this.last ? candidate : `${this.last}+`;
    return this.last;
  }
}

/** The ledger_state row that names the last outbox file appended. */
export const ACCESS_OUTBOX_STATE = 'access-outbox';
