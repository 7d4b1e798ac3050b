import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../api/errors';
import { decodeLeaf } from '../ledger/leaf';
import type { Ledger, LedgerWriter } from '../ledger/ledger';

/** One ledger entry as the projections see it. */
export interface Entry {
  readonly seq: number;
  readonly type: string;
  readonly time: number;
  readonly actor: string;
  readonly payload: Record<string, unknown>;
}

/** Applies one entry to the projection tables; the only code that writes them. */
export type Projector = (db: Database, entry: Entry) => void;

/**
 * Where people, products, inventory, approvals and counts write: every change is a ledger entry,
 * appended in the same transaction as the projection rows it produces, and the projection is
 * produced from the entry alone by {@link Projector}, so a rebuild from the ledger yields the
 * same rows (rebuild.ts checks exactly that).
 */
export interface Workspace {
  readonly ledger: Ledger;
  readonly db: Database;
  now(): number;
  /**
   * Runs fn in one ledger transaction. fn validates against the projections and records entries;
   * a throw rolls back every entry and row of this call.
   */
  write<T>(fn: (tx: WorkspaceTx) => T): Promise<T>;
  /**
   * Like {@link write}, but an {@link ApiError} refusal (forbidden, conflict, rule-violation,
   * unauthenticated) is recorded as its own `<area>.refused` entry after the rollback, then rethrown,
   * so every refused attempt leaves a trace while changing nothing else.
   */
  guarded<T>(attempt: Attempt, fn: (tx: WorkspaceTx) => T): Promise<T>;
  /** Records a refusal decided outside a write (e.g. a wrong password before anything was read). */
  refuse(attempt: Attempt, error: ApiError): Promise<never>;
}

export interface Attempt {
  /** Entry type prefix: "inventory", "approvals", "counts", "users", "setup" … */
  readonly area: string;
  readonly procedure: string;
  readonly actor: string;
  /** Identifies what was attempted (a transaction id …); never a password or patient data. */
  readonly subject?: Record<string, string | number | null>;
}

export interface WorkspaceTx {
  readonly db: Database;
  /** The time every entry of this call carries (integer ms). */
  readonly time: number;
  /** Appends one entry and projects it; returns the entry. */
  record(type: string, actor: string, payload: Record<string, unknown>): Entry;
}

const REFUSAL_CODES = new Set(['forbidden', 'conflict', 'rule-violation', 'unauthenticated', 'not-found']);

export function createWorkspace(ledger: Ledger, project: Projector, now: () => number = Date.now): Workspace {
  const run = <T>(fn: (tx: WorkspaceTx) => T): Promise<T> => {
    const time = now();
    return ledger
      .write((writer: LedgerWriter) =>
        fn({
          db: writer.db,
          time,
          record(type, actor, payload) {
            const [seq] = writer.append([{ type, actor, payload, time }]);
            const entry: Entry = { seq: seq!, type, time, actor, payload };
            project(writer.db, entry);
            return entry;
          },
        }),
      )
      .then((result) => result.value);
  };
  const refuse = async (attempt: Attempt, error: ApiError): Promise<never> => {
    await run((tx) =>
      tx.record(`${attempt.area}.refused`, attempt.actor, {
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
    ledger,
    db: ledger.db,
    now,
    write: run,
    refuse,
    async guarded(attempt, fn) {
      try {
        return await run(fn);
      } catch (error) {
        if (error instanceof ApiError && REFUSAL_CODES.has(error.code)) return refuse(attempt, error);
        throw error;
      }
    },
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
    for (const row of rows) {
      const envelope = decodeLeaf(row.leaf);
      yield {
        seq: envelope.seq,
        type: envelope.type,
        time: envelope.time,
        actor: envelope.actor,
        payload: (envelope.payload ?? {}) as Record<string, unknown>,
      };
    }
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.seq;
  }
}
