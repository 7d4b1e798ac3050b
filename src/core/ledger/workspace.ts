import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../api/errors';
import type { FieldSealer } from '../sealing/field-sealer';
import { decodeLeaf } from './leaf';
import type { EntryInput, LeafBatch, Ledger, SignedCheckpoint } from './ledger';

/** One ledger entry as the projections and readers see it. */
export interface Entry {
  readonly seq: number;
  readonly type: string;
  readonly time: number;
  readonly actor: string;
  readonly payload: Record<string, unknown>;
}

/**
 * Applies one entry to the projection tables it owns and ignores every other type. The app
 * composes every feature's projector into one (src/core/projections.ts) and gives it to the
 * workspace, so a rebuild from the ledger yields the same rows as the live writes.
 */
export type Projector = (db: Database, entry: Entry) => void;

/**
 * The projections rebuilt from the ledger alone: the projector, the entry types it reads (by
 * prefix), and every table it writes with the order that makes a dump comparable. The app composes
 * the set (src/core/projections.ts); ledger/replay.ts verifies and rebuilds it.
 */
export interface ProjectionSet {
  readonly project: Projector;
  readonly prefixes: readonly string[];
  readonly tables: Readonly<Record<string, string>>;
}

/** What a refused attempt is recorded as (`<area>.refused`), never a password or patient data. */
export interface Attempt {
  /** Entry type prefix: "inventory", "approvals", "counts", "users", "setup" … */
  readonly area: string;
  readonly procedure: string;
  readonly actor: string;
  /** Identifies what was attempted (a transaction id …). */
  readonly subject?: Record<string, string | number | null>;
}

/**
 * One write transaction, as the code inside it sees it. Every entry names who wrote it (a user id,
 * or a system actor such as "system" or "import"); projection rows go on `db`, in the same
 * transaction, so the entry and what it produced commit together or not at all.
 */
export interface WriteTx {
  /** The same connection, inside the same transaction. */
  readonly db: Database;
  /** The time every entry recorded through {@link record} carries (integer ms). */
  readonly time: number;
  /** Appends one entry at {@link time} and projects it; returns the entry. */
  record(type: string, actor: string, payload: Record<string, unknown>): Entry;
  /** Appends entries in order (one multi-row insert), projects each, and returns their seqs. */
  append(entries: readonly EntryInput[]): number[];
  /**
   * Appends one entry and returns its seq at once; its leaf row goes in with the next batch, always
   * before the transaction commits. Call {@link flush} before reading ledger_leaves inside it.
   */
  appendLater(entry: EntryInput): number;
  /** Writes the leaf rows {@link appendLater} holds. */
  flush(): void;
  /** The seq the next appended entry will get. */
  peekSeq(): number;
}

export interface WriteOptions {
  /** Sign a checkpoint even when nothing was appended. */
  readonly forceCheckpoint?: boolean;
}

/**
 * The open ledger as every feature sees it, and the one way to write it: every append (leaf,
 * Merkle frontier, signed checkpoint, projection rows) goes through {@link write} or
 * {@link writeAcrossAwaits}, which run one ledger transaction each. A standing integrity alarm
 * refuses them all here (refuseUnderAlarm, and Ledger.preflight beneath it), whoever calls.
 */
export interface Workspace {
  /** For reads; projection writes happen only inside a write callback, on its tx.db. */
  readonly db: Database;
  /** Size, checkpoints, verifiers and alarms; its raw transactions are this module's alone. */
  readonly ledger: Ledger;
  /** Seals and opens identifiers field by field (keys of this installation). */
  readonly sealer: FieldSealer;
  /** The installation's data folder (exports, spills, uploads). */
  readonly dataDir: string;
  now(): number;
  /** Runs fn in one ledger transaction; a throw rolls back every entry and row of this call. */
  write<T>(fn: (tx: WriteTx) => T, options?: WriteOptions): Promise<T>;
  /**
   * One transaction that stays open across awaits (a large import commits as it reads while the
   * event loop keeps serving progress and cancel). Other writes wait for it.
   */
  writeAcrossAwaits<T>(fn: (tx: WriteTx) => Promise<T>, options?: WriteOptions): Promise<T>;
  /**
   * Like {@link write}, but an {@link ApiError} refusal (forbidden, conflict, rule-violation,
   * unauthenticated, not-found) is recorded as its own `<area>.refused` entry after the rollback,
   * then rethrown, so every refused attempt leaves a trace while changing nothing else.
   */
  guarded<T>(attempt: Attempt, fn: (tx: WriteTx) => T): Promise<T>;
  /** Records a refusal decided outside a write (e.g. a wrong password before anything was read). */
  refuse(attempt: Attempt, error: ApiError): Promise<never>;
  /**
   * Records one entry and signs a checkpoint for it at once (ledger-anchors §8 C.8): an export or a
   * report ends at a signed head that says when it was made.
   */
  checkpoint(entry: EntryInput): Promise<SignedCheckpoint>;
}

export interface WorkspaceParts {
  readonly ledger: Ledger;
  readonly sealer: FieldSealer;
  readonly dataDir: string;
  readonly projections: Pick<ProjectionSet, 'project' | 'prefixes'>;
  readonly now?: () => number;
}

/**
 * The one door a standing alarm holds (issue 17 scope 1): after a rollback, truncation, damage or
 * a failed verification nothing is appended, whoever asks, and the person is told why and how on.
 */
function refuseUnderAlarm(ledger: Ledger): void {
  const alarm = ledger.standingAlarm;
  if (ledger.blocked !== null && alarm !== null) {
    throw new ApiError('integrity-alarm', `Nothing can be recorded: ${alarm}`, { kind: 'alarm' });
  }
}

/**
 * Records an entry that must not stop the act it records while an alarm stands: a sign-in,
 * unlock or sign-out, so people still reach the pages that say what happened and the ways on.
 * Under the alarm nothing is appended (the ledger is read-only); any other failure is thrown.
 */
export async function recordUnlessReadOnly<T>(ws: Workspace, fn: (tx: WriteTx) => T): Promise<T | null> {
  try {
    return await ws.write(fn);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'integrity-alarm' && error.details?.kind === 'alarm')
      return null;
    throw error;
  }
}

const REFUSAL_CODES = new Set(['forbidden', 'conflict', 'rule-violation', 'unauthenticated', 'not-found']);

/** The workspace over an open ledger; one per open ledger (ledger/service.ts keeps it). */
export function createWorkspace(parts: WorkspaceParts): Workspace {
  const { ledger } = parts;
  const { project, prefixes } = parts.projections;
  const now = parts.now ?? Date.now;
  // Most entries of an import are of types no projector reads: decide once per type, not per entry.
  const projected = new Map<string, boolean>();
  const isProjected = (type: string): boolean => {
    let yes = projected.get(type);
    if (yes === undefined) projected.set(type, (yes = prefixes.some((prefix) => type.startsWith(prefix))));
    return yes;
  };
  const tx = (batch: LeafBatch, time: number): WriteTx => {
    const projectEntry = (entry: EntryInput, seq: number): void => {
      if (!isProjected(entry.type)) return;
      project(batch.db, {
        seq,
        type: entry.type,
        time: entry.time ?? time,
        actor: entry.actor,
        payload: (entry.payload ?? {}) as Record<string, unknown>,
      });
    };
    return {
      db: batch.db,
      time,
      record(type, actor, payload) {
        const [seq] = batch.append([{ type, actor, payload, time }]);
        const entry: Entry = { seq: seq!, type, time, actor, payload };
        if (isProjected(type)) project(batch.db, entry);
        return entry;
      },
      append(entries) {
        const seqs = batch.append(entries);
        entries.forEach((entry, i) => projectEntry(entry, seqs[i]!));
        return seqs;
      },
      appendLater(entry) {
        const seq = batch.appendLater(entry);
        projectEntry(entry, seq);
        return seq;
      },
      flush: () => batch.flush(),
      peekSeq: () => batch.peekSeq(),
    };
  };
  const write = async <T>(fn: (tx: WriteTx) => T, options: WriteOptions = {}): Promise<T> => {
    refuseUnderAlarm(ledger);
    const time = now();
    return ledger.transact((batch) => fn(tx(batch, time)), options).then((result) => result.value);
  };
  const refuse = async (attempt: Attempt, error: ApiError): Promise<never> => {
    await write((t) =>
      t.record(`${attempt.area}.refused`, attempt.actor, {
        procedure: attempt.procedure,
        code: error.code,
        rule: typeof error.details?.rule === 'string' ? error.details.rule : null,
        message: error.message,
        subject: attempt.subject ?? null,
      }),
    );
    throw error;
  };
  return {
    db: ledger.db,
    ledger,
    sealer: parts.sealer,
    dataDir: parts.dataDir,
    now,
    write,
    async writeAcrossAwaits(fn, options = {}) {
      refuseUnderAlarm(ledger);
      const time = now();
      const result = await ledger.transactAcrossAwaits((batch) => fn(tx(batch, time)), options);
      return result.value;
    },
    refuse,
    async guarded(attempt, fn) {
      try {
        return await write(fn);
      } catch (error) {
        if (error instanceof ApiError && REFUSAL_CODES.has(error.code)) return refuse(attempt, error);
        throw error;
      }
    },
    async checkpoint(entry) {
      refuseUnderAlarm(ledger);
      return ledger.transactCheckpoint(entry);
    },
  };
}

/** A stored leaf as the entry it records. */
export function entryOf(leaf: Buffer): Entry {
  const envelope = decodeLeaf(leaf);
  return {
    seq: envelope.seq,
    type: envelope.type,
    time: envelope.time,
    actor: envelope.actor,
    payload: (envelope.payload ?? {}) as Record<string, unknown>,
  };
}

/**
 * Every entry whose type starts with one of the prefixes ("users." …), in ledger order. Read in
 * pages, so the caller may write to the same connection between entries (better-sqlite3 refuses
 * statements while an iterator is open) without holding the whole ledger in memory.
 */
export function* readEntries(db: Database, prefixes: readonly string[], pageSize = 2000): Generator<Entry> {
  const where = prefixes.map(() => 'type GLOB ?').join(' OR ');
  const page = db.prepare(
    `SELECT seq, leaf FROM ledger_leaves WHERE seq > ? AND (${where}) ORDER BY seq LIMIT ?`,
  );
  const globs = prefixes.map((p) => `${p}*`);
  let after = -1;
  for (;;) {
    const rows = page.all(after, ...globs, pageSize) as { seq: number; leaf: Buffer }[];
    for (const row of rows) yield entryOf(row.leaf);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.seq;
  }
}
