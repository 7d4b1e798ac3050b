import fs from 'node:fs';
import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { LEDGER_FILE } from '../installation/installation-file';
import { SECRET_NAMES } from '../secrets/names';
import type { SecretStore } from '../secrets/secret-store';
import { beginImmediate, commit, transaction } from '../store/database';
import { ledgerOrigin, openCheckpoint, signCheckpoint, type Checkpoint } from './checkpoint';
import { hashLeafBlock, sha256Latin1 } from './audit-verify/leaf-block';
import { encodeLeaf, LEAF_VERSION } from './leaf';
import { damageMessage, nameStorageFailure } from './damage';
import { leafRunReader } from './leaf-runs';
import { LedgerError } from './ledger-error';
import {
  EMPTY_ROOT,
  Frontier,
  frontierAt,
  inclusionProof,
  leafHash,
  nodeHash,
  type PerfectSubtree,
} from './merkle';
import { generateSigner, parseVerifierKey, type NoteSigner, type NoteVerifier } from './note';
import { checkAgainstCopy } from './rollback';
import { activeSigners, loadSigningKeys, storeSigningKeys, type SigningKeys } from './signing-keys';

export { LedgerError } from './ledger-error';

/** Perfect subtrees at or above this level are stored, so a proof reads at most 2^8 - 1 leaves. */
export const STORED_NODE_LEVEL = 8;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Records re-read per block when recomputing the tree before signing (bounds memory per batch). */
const RECOMPUTE_BLOCK = 16_384;
/** Rows per multi-row INSERT when appending a batch. */
const LEAF_ROWS = 25;

/** What the ledger needs from an open installation (see installation/installation.ts). */
export interface LedgerHost {
  readonly db: Database;
  readonly secrets: SecretStore;
  readonly installId: string;
  /** The data folder, named in damage and full-disk messages. */
  readonly dataDir?: string;
  /** Told after each committed write (the installation checkpoints the WAL off this thread). */
  afterCommit?(): void;
}

export interface LedgerOptions {
  readonly now?: () => number;
  /** Who the log belongs to, named in its origin; fixed when the ledger is created. */
  readonly registrant?: string;
  readonly appVersion?: string;
  /** A checkpoint is signed at least this often, as a heartbeat entry, when the ledger is opened. */
  readonly heartbeatMs?: number;
  /**
   * A second, read-only connection while the app or serve holds the ledger (issue 17 scope 7):
   * it checks and verifies, and never writes, signs or touches the keychain copy.
   */
  readonly readOnly?: boolean;
  /** Told after a long write (an import) commits: the service backs up then. */
  readonly afterLongWrite?: () => void;
}

export interface EntryInput {
  readonly type: string;
  readonly actor: string;
  readonly payload: unknown;
  /** Integer ms; defaults to now. */
  readonly time?: number;
}

export interface LeafBatch {
  /** The same connection, inside the same transaction: write projections here. */
  readonly db: Database;
  /** Appends entries in order and returns their seqs. */
  append(entries: readonly EntryInput[]): number[];
  /**
   * Appends one entry and returns its seq at once; its row is written with the next batch (a
   * multi-row INSERT), by the next append() or flush(), and always before the callback's
   * transaction commits. Call flush() before reading ledger_leaves inside the callback.
   */
  appendLater(entry: EntryInput): number;
  /** Writes the rows appendLater() holds. */
  flush(): void;
  /** The seq the next appended entry will get. */
  peekSeq(): number;
}

export interface SignedCheckpoint {
  readonly size: number;
  readonly root: Buffer;
  readonly note: string;
  readonly signedMs: number;
}

export interface Alarm {
  /** 'rollback', 'truncation', 'damage', 'copy-missing', 'integrity' (verification), 'fork-refused'. */
  readonly kind: string;
  readonly seq: number | null;
  readonly time: number;
  readonly message: string;
}

/**
 * What a person can do while an alarm stands (issue 17 scope 1): the ledger stays read-only until a
 * backup as new as the last signed checkpoint is restored, or the loss is accepted under a new log.
 */
export const ALARM_WAYS_ON =
  'The ledger is read-only until this is resolved: restore the latest backup ("custodia backup restore FILE"), ' +
  'or have two people accept the loss and start a new log; an audit export still works and says it was taken under this alarm.';

/** Entry types the ledger itself writes. */
export const LEDGER_ENTRY = {
  genesis: 'ledger.genesis',
  heartbeat: 'ledger.heartbeat',
  rollbackDetected: 'ledger.rollback-detected',
  checkpointCopyMissing: 'ledger.checkpoint-copy-missing',
  keyRotation: 'ledger.key-rotation',
  alarmsAcknowledged: 'ledger.alarms-acknowledged',
} as const;

/**
 * The append-only ledger of one installation: leaves in SQLite, an RFC 9162 tree whose frontier
 * is persisted with every batch (append is O(log n)), a C2SP checkpoint signed in the same
 * transaction as each batch, and a copy of the latest checkpoint in the keychain.
 */
export class Ledger {
  private frontier = Frontier.empty();
  private latest: SignedCheckpoint | null = null;
  private keys!: SigningKeys;
  private originValue = '';
  private blockedReason: string | null = null;
  private alarmList: Alarm[] = [];
  private copyDirty = false;
  /**
   * The last checkpoint this key is known to have signed, outside the database: the keychain copy
   * as checked at open, then each checkpoint signed here. Nothing is signed or copied that does
   * not extend it (no fork, ever: a partner holding an older checkpoint would see two histories).
   */
  private anchor: { size: number; root: Buffer } | null = null;
  private copyFlight: Promise<void> | null = null;
  /** Writes wait for this first: the verification of what was added since the last one (issue 17 scope 2). */
  private writeGate: Promise<unknown> = Promise.resolve();
  /** Set while a {@link transactAcrossAwaits} transaction is open. */
  private longWrite: Promise<void> | null = null;
  private readonly now: () => number;
  private readonly stmts: ReturnType<typeof prepare>;
  private readonly readRun: ReturnType<typeof leafRunReader>;

  private constructor(
    readonly host: LedgerHost,
    private readonly options: LedgerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.stmts = prepare(host.db);
    this.readRun = leafRunReader(host.db);
  }

  /**
   * Opens the ledger, creating it on first use (signing key, genesis entry, first checkpoint).
   * Then checks the database against the checkpoint copy in the keychain, records any rollback
   * as an entry and an alarm, and signs a heartbeat if the last checkpoint is older than a day.
   */
  static async open(host: LedgerHost, options: LedgerOptions = {}): Promise<Ledger> {
    const ledger = new Ledger(host, options);
    try {
      await ledger.init();
    } catch (error) {
      throw nameStorageFailure(error, host.dataDir ?? '.');
    }
    return ledger;
  }

  get origin(): string {
    return this.originValue;
  }

  get size(): number {
    return this.frontier.size;
  }

  get db(): Database {
    return this.host.db;
  }

  /** The latest signed checkpoint (C2SP signed note text and what it says). */
  latestCheckpoint(): SignedCheckpoint {
    if (this.latest === null) throw new LedgerError('not-created', 'The ledger has no checkpoint yet.');
    return this.latest;
  }

  /** The keys whose signatures this installation accepts: its own, current and past. */
  verifiers(): NoteVerifier[] {
    const own = [this.keys.current, ...(this.keys.previous ? [this.keys.previous] : [])];
    const stored = (this.stmts.allKeys.all() as { vkey: string }[]).map((row) => parseVerifierKey(row.vkey));
    const all = new Map<string, NoteVerifier>();
    for (const v of [...own, ...stored]) all.set(v.vkey, v);
    return [...all.values()];
  }

  /** Only the keys held in the keychain: what a database copy cannot plant. */
  keychainVerifiers(): NoteVerifier[] {
    return [this.keys.current, ...(this.keys.previous ? [this.keys.previous] : [])];
  }

  signingKeys(): SigningKeys {
    return this.keys;
  }

  alarms(): readonly Alarm[] {
    return this.alarmList;
  }

  /** Why writes are refused (the database disagrees with itself), or null. */
  get blocked(): string | null {
    return this.blockedReason;
  }

  /**
   * Runs fn in one BEGIN IMMEDIATE transaction; entries appended through the writer and the
   * caller's projection writes commit together with a new signed checkpoint, or not at all.
   * Before signing, the new root is recomputed from the leaf bytes as stored, starting from the
   * frontier of the last verified checkpoint (the Yeti 2022 lesson, ledger-anchors §8 B.6).
   */
  transactSync<T>(
    fn: (writer: LeafBatch) => T,
    options: { forceCheckpoint?: boolean } = {},
  ): {
    value: T;
    checkpoint: SignedCheckpoint | null;
  } {
    this.preflight();
    const start = this.frontier.size;
    const now = this.now();
    let result: { value: T; frontier: Frontier | null; checkpoint: SignedCheckpoint | null };
    try {
      result = transaction(this.host.db, () => {
        const batch = this.openBatch(start, now);
        const value = fn(batch.writer);
        return { value, ...this.closeBatch(start, batch.end(), now, options.forceCheckpoint === true) };
      });
    } catch (error) {
      throw this.storageFailure(error);
    }
    this.host.afterCommit?.();
    return { value: result.value, checkpoint: this.adopt(result) };
  }

  /** {@link transactSync} once no long write is open, then the keychain copy of the new checkpoint. */
  async transact<T>(
    fn: (writer: LeafBatch) => T,
    options: { forceCheckpoint?: boolean } = {},
  ): Promise<{ value: T; checkpoint: SignedCheckpoint | null }> {
    // Checked again after each wait: a long write may have begun between idle() resolving and now.
    do {
      await this.writeGate;
      await this.idle();
      await this.checkCopyUnmoved();
    } while (this.longWrite !== null);
    const result = this.transactSync(fn, options);
    if (result.checkpoint !== null) await this.syncCheckpointCopy();
    return result;
  }

  /**
   * One transaction that stays open across awaits: a large import commits as it reads, and the
   * event loop keeps serving progress, cancellation and calls that do not touch the database.
   * Other writes wait for it ({@link transact} and {@link idle}); callers that read the database
   * should await {@link idle} too (the ledger service does), or they would see its uncommitted rows.
   */
  async transactAcrossAwaits<T>(
    fn: (writer: LeafBatch) => Promise<T>,
    options: { forceCheckpoint?: boolean } = {},
  ): Promise<{ value: T; checkpoint: SignedCheckpoint | null }> {
    do {
      await this.writeGate;
      await this.idle();
      await this.checkCopyUnmoved();
    } while (this.longWrite !== null);
    this.preflight();
    let release!: () => void;
    this.longWrite = new Promise<void>((resolve) => (release = resolve));
    const db = this.host.db;
    try {
      const start = this.frontier.size;
      const now = this.now();
      beginImmediate(db);
      let value: T;
      let result: { frontier: Frontier | null; checkpoint: SignedCheckpoint | null };
      try {
        const batch = this.openBatch(start, now);
        value = await fn(batch.writer);
        result = this.closeBatch(start, batch.end(), now, options.forceCheckpoint === true);
        commit(db);
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw this.storageFailure(error);
      }
      this.host.afterCommit?.();
      const checkpoint = this.adopt(result);
      if (checkpoint !== null) await this.syncCheckpointCopy();
      return { value, checkpoint };
    } finally {
      this.longWrite = null;
      release();
      this.options.afterLongWrite?.();
    }
  }

  /**
   * Before signing anything: the keychain copy must still be one this ledger extends. If another
   * copy of this database (same key) moved it meanwhile, signing here would give the key two
   * histories (a fork); the write is refused and the ledger turns read-only instead.
   */
  private async checkCopyUnmoved(): Promise<void> {
    // A read-only connection lags the writer by design; its preflight refuses the write anyway.
    if (this.readOnly || this.blockedReason !== null || this.latest === null) return;
    const held = await this.host.secrets.get(SECRET_NAMES.ledgerCheckpoint);
    if (held === this.latest.note) return;
    const finding = checkAgainstCopy(this, held);
    if (finding !== null) this.block(finding.message, finding.kind === 'behind' ? 'rollback' : finding.kind);
  }

  /**
   * Holds every write until check settles (the background verification after opening): a damaged
   * or inconsistent file found there blocks the ledger before anything is written to it.
   */
  holdWritesUntil(check: Promise<unknown>): void {
    this.writeGate = check.catch(() => undefined);
  }

  /** Whether a {@link transactAcrossAwaits} transaction (an import) holds the writer now. */
  get busy(): boolean {
    return this.longWrite !== null;
  }

  /** Resolves when no {@link transactAcrossAwaits} transaction is open. */
  async idle(): Promise<void> {
    while (this.longWrite !== null) await this.longWrite;
  }

  private preflight(): void {
    if (this.readOnly) throw new LedgerError('misuse', 'this is a read-only connection to the ledger');
    if (this.blockedReason !== null) throw new LedgerError('integrity-alarm', this.blockedReason);
    if (this.anchor !== null && this.frontier.size < this.anchor.size) {
      this.block(
        `the ledger holds ${this.frontier.size} records but this key signed ${this.anchor.size}: nothing smaller is signed`,
        'rollback',
      );
      throw new LedgerError('integrity-alarm', this.blockedReason!);
    }
    if (this.host.db.inTransaction) {
      throw new LedgerError(
        'misuse',
        'ledger writes must start their own transaction: do projection writes inside the write callback',
      );
    }
    if (this.latest !== null && !this.frontier.root().equals(this.latest.root)) {
      this.block('the tree kept in memory no longer matches the last signed checkpoint');
      throw new LedgerError('integrity-alarm', this.blockedReason!);
    }
  }

  /** The writer of one transaction's batch, from record `start`; end() writes what it holds and says where it stopped. */
  private openBatch(start: number, now: number): { writer: LeafBatch; end(): number } {
    let next = start;
    let later: unknown[] = [];
    const row = (entry: EntryInput, seq: number): unknown[] => {
      const time = entry.time ?? now;
      const leaf = encodeLeaf({
        version: LEAF_VERSION,
        seq,
        type: entry.type,
        time,
        actor: entry.actor,
        payload: entry.payload,
      });
      return [seq, entry.type, time, leaf];
    };
    const flush = () => {
      if (later.length === 0) return;
      this.insertLeaves(later);
      later = [];
    };
    const writer: LeafBatch = {
      db: this.host.db,
      append: (entries) => {
        flush();
        // Encode all first: an entry that cannot be encoded leaves no partial run behind.
        const rows: unknown[] = [];
        const seqs = entries.map((entry, i) => {
          rows.push(...row(entry, next + i));
          return next + i;
        });
        this.insertLeaves(rows);
        next += entries.length;
        return seqs;
      },
      appendLater: (entry) => {
        const seq = next;
        later.push(...row(entry, seq));
        next++;
        if (later.length >= 4 * LEAF_ROWS) flush();
        return seq;
      },
      flush,
      peekSeq: () => next,
    };
    return {
      writer,
      end: () => {
        flush();
        return next;
      },
    };
  }

  /** Inside the transaction: the tree recomputed from the stored bytes, and its signed checkpoint. */
  private closeBatch(
    start: number,
    end: number,
    now: number,
    force: boolean,
  ): { frontier: Frontier | null; checkpoint: SignedCheckpoint | null } {
    if (end === start && !force) return { frontier: null, checkpoint: null };
    const frontier = this.recomputeFrom(start, end);
    if (this.anchor !== null && frontier.size < this.anchor.size) {
      throw new LedgerError(
        'integrity-alarm',
        'refused to sign a checkpoint smaller than one this key signed',
      );
    }
    return { frontier, checkpoint: this.signAndStore(frontier, now) };
  }

  /** A damaged file turns the ledger read-only at once; a full disk says where and how much. */
  private storageFailure(error: unknown): unknown {
    const named = nameStorageFailure(error, this.host.dataDir ?? '.', this.walBytes());
    if (named instanceof LedgerError && named.kind === 'damaged') this.block(named.message, 'damage');
    return named;
  }

  /** What a write has in flight: the journal not yet folded into the file (what a full disk could not take). */
  private walBytes(): number {
    try {
      return fs.statSync(path.join(this.host.dataDir ?? '.', `${LEDGER_FILE}-wal`)).size;
    } catch {
      return 0;
    }
  }

  /** After the commit: the new tree and checkpoint become the ledger's. */
  private adopt(result: {
    frontier: Frontier | null;
    checkpoint: SignedCheckpoint | null;
  }): SignedCheckpoint | null {
    if (result.frontier !== null && result.checkpoint !== null) {
      this.frontier = result.frontier;
      this.latest = result.checkpoint;
      this.anchor = { size: result.checkpoint.size, root: result.checkpoint.root };
    }
    return result.checkpoint;
  }

  /** Appends entries in one transaction: the ledger's own entries, and its tests. */
  transactEntries(
    entries: readonly EntryInput[],
  ): Promise<{ value: number[]; checkpoint: SignedCheckpoint | null }> {
    return this.transact((writer) => writer.append(entries));
  }

  /**
   * A fresh checkpoint for an export or report (ledger-anchors §8 C.8): it records the event as an
   * entry, so the checkpoint is new and says when it was made.
   */
  async transactCheckpoint(event: EntryInput): Promise<SignedCheckpoint> {
    const { checkpoint } = await this.transact((writer) => writer.append([event]));
    return checkpoint!;
  }

  /** Writes the latest checkpoint to the keychain; concurrent calls share one write of the newest. */
  syncCheckpointCopy(): Promise<void> {
    if (this.readOnly) return Promise.resolve();
    this.copyDirty = true;
    if (this.copyFlight === null) {
      this.copyFlight = (async () => {
        try {
          while (this.copyDirty) {
            this.copyDirty = false;
            const latest = this.latestCheckpoint();
            // The copy is the rollback witness: it is only ever replaced by a checkpoint that
            // extends it (checked on what the keychain holds now, not on what this process believes).
            const held = await this.host.secrets.get(SECRET_NAMES.ledgerCheckpoint);
            if (held !== null && held !== latest.note) {
              const refusal = checkAgainstCopy(this, held);
              if (refusal !== null) {
                this.block(`the keychain's checkpoint copy was kept: ${refusal.message}`, 'fork-refused');
                throw new LedgerError('integrity-alarm', this.blockedReason!);
              }
            }
            await this.host.secrets.set(SECRET_NAMES.ledgerCheckpoint, latest.note);
          }
        } finally {
          this.copyFlight = null;
        }
      })();
    }
    return this.copyFlight;
  }

  /** Root of the first `size` leaves, from stored subtrees and leaves. */
  rootAt(size: number): Buffer {
    if (size === 0) return EMPTY_ROOT;
    return frontierAt(this.perfect, size).root();
  }

  inclusionProof(seq: number, size: number): Buffer[] {
    return inclusionProof(this.perfect, seq, size);
  }

  /** Stored perfect subtree roots for levels >= 8, and hashes of at most 128 leaves below that. */
  readonly perfect: PerfectSubtree = (level, index) => {
    if (level >= STORED_NODE_LEVEL) {
      const row = this.stmts.getNode.get(level, index) as { hash: Buffer } | undefined;
      if (row !== undefined) return row.hash;
      return nodeHash(this.perfect(level - 1, 2 * index), this.perfect(level - 1, 2 * index + 1));
    }
    const width = 2 ** level;
    const leaves = this.stmts.leafRange.all(index * width, (index + 1) * width) as Buffer[];
    if (leaves.length !== width) {
      throw new LedgerError(
        'integrity-alarm',
        `records ${index * width}..${(index + 1) * width - 1} are missing`,
      );
    }
    const f = Frontier.empty();
    for (const leaf of leaves) f.push(leafHash(leaf));
    return f.root();
  };

  /** Leaf bytes of one record, exactly as stored and hashed. */
  leaf(seq: number): Buffer | undefined {
    return (this.stmts.leafRange.all(seq, seq + 1) as Buffer[])[0];
  }

  /**
   * A checkpoint at least daily (at open, and hourly while the app or serve runs): a partner or
   * witness holding one learns the log's state even on a day nothing else was recorded.
   */
  async heartbeatIfDue(): Promise<boolean> {
    if (this.blockedReason !== null || this.latest === null) return false;
    if (this.now() - this.latest.signedMs < (this.options.heartbeatMs ?? DAY_MS)) return false;
    await this.transactEntries([
      { type: LEDGER_ENTRY.heartbeat, actor: 'system', payload: { reason: 'daily' } },
    ]);
    return true;
  }

  /** Records a person's acknowledgement of the current alarms; they stay in the ledger. */
  async acknowledgeAlarms(actor: string, note: string): Promise<void> {
    await this.transactEntries([
      { type: LEDGER_ENTRY.alarmsAcknowledged, actor, payload: { note, alarms: this.alarmList.length } },
    ]);
    this.alarmList = [];
  }

  /**
   * A standing alarm: every write is refused from now on (the workspace says why), nothing is
   * signed and the keychain copy is left alone. It is found again at each open from the database
   * and the keychain, so it needs no entry (an entry would mean signing the tree it doubts).
   */
  block(reason: string, kind = 'integrity'): void {
    if (this.blockedReason !== null) return;
    this.blockedReason = reason;
    this.alarmList = [...this.alarmList, { kind, seq: null, time: this.now(), message: reason }];
  }

  /** The standing alarm's text and what to do, or null: what verification, status and export report. */
  get standingAlarm(): string | null {
    if (this.blockedReason !== null) return `${this.blockedReason} ${ALARM_WAYS_ON}`;
    const last = this.alarmList[this.alarmList.length - 1];
    return last === undefined ? null : last.message;
  }

  replaceSigningKeys(keys: SigningKeys): void {
    this.keys = keys;
  }

  // ---------------------------------------------------------------------------------------------

  get readOnly(): boolean {
    return this.options.readOnly === true;
  }

  private async init(): Promise<void> {
    const db = this.host.db;
    const keys = await loadSigningKeys(this.host.secrets);
    // The keychain copy before the database, and the database in one read transaction: on a second
    // connection the app may commit (and then copy) meanwhile, and the copy must never look ahead.
    const copy = await this.host.secrets.get(SECRET_NAMES.ledgerCheckpoint);
    if (this.readOnly) db.exec('BEGIN');
    try {
      await this.load(keys, copy);
    } finally {
      if (this.readOnly && db.inTransaction) db.exec('COMMIT');
    }
    if (this.blockedReason === null && !this.readOnly) {
      await this.syncCheckpointCopy();
      await this.retireOverlapKey();
      await this.heartbeatIfDue();
    }
  }

  /**
   * SQLite's own page check of the ledger's small tables at open (checkpoints, tree nodes, keys,
   * state: milliseconds even for a million records); the leaves, the bulk, are read by the
   * verification that runs after opening, before the first write.
   */
  private checkPages(): void {
    for (const table of ['ledger_state', 'ledger_keys', 'ledger_checkpoints', 'ledger_nodes']) {
      const result = this.host.db.pragma(`quick_check(${table})`, { simple: true });
      if (result !== 'ok') {
        this.block(damageMessage(this.host.dataDir ?? '.'), 'damage');
        return;
      }
    }
  }

  private async load(keys: SigningKeys | null, copy: string | null): Promise<void> {
    const originRow = this.stmts.getState.get('origin') as { value: Buffer } | undefined;
    const leafCount = this.leafCount();
    if (originRow === undefined && leafCount === 0) {
      if (this.readOnly) throw new LedgerError('not-created', 'There is no ledger yet.');
      await this.create(keys);
      return;
    }
    if (originRow === undefined) {
      throw new LedgerError('damaged', 'The ledger has records but no origin: the database is damaged.');
    }
    this.originValue = originRow.value.toString('utf8');
    if (keys === null) {
      throw new LedgerError(
        'keys-missing',
        'The checkpoint signing key is not in this computer\'s keychain. Restore the recovery kit ("custodia keys restore KIT --data DIR").',
      );
    }
    this.keys = keys;
    this.alarmList = this.loadAlarms();
    this.checkPages();
    if (this.blockedReason === null) this.loadHead(leafCount);
    if (this.blockedReason === null) {
      const finding = checkAgainstCopy(this, copy);
      // Only the genesis record and no copy: creation stopped between its commit and the keychain write.
      if (finding !== null && !(finding.kind === 'copy-missing' && this.frontier.size <= 1)) {
        this.block(finding.message, finding.kind === 'behind' ? 'rollback' : finding.kind);
        return;
      }
      if (copy !== null && finding === null) {
        const kept = openCheckpoint(copy, this.keychainVerifiers());
        if (kept.ok) this.anchor = { size: kept.checkpoint.size, root: kept.checkpoint.root };
      }
    }
  }

  private async create(existing: SigningKeys | null): Promise<void> {
    this.originValue = ledgerOrigin(this.options.registrant ?? 'pharmacy', this.host.installId);
    // A key may exist from a creation interrupted after the keychain write: reuse it.
    const keys = existing ?? { current: generateSigner(this.originValue) };
    if (existing === null) await storeSigningKeys(this.host.secrets, keys);
    this.keys = keys;
    await this.transact((writer) => {
      this.stmts.setState.run('origin', Buffer.from(this.originValue, 'utf8'));
      this.stmts.insertKey.run(keys.current.vkey, 0, null, this.now());
      return writer.append([
        {
          type: LEDGER_ENTRY.genesis,
          actor: 'system',
          payload: {
            origin: this.originValue,
            installId: this.host.installId,
            checkpointKey: keys.current.vkey,
            app: `custodia ${this.options.appVersion ?? 'unknown'}`,
          },
        },
      ]);
    });
  }

  private leafCount(): number {
    const row = this.stmts.maxSeq.get() as { n: number | null };
    return row.n === null ? 0 : row.n + 1;
  }

  private loadHead(leafCount: number): void {
    const row = this.stmts.latestCheckpoint.get() as
      { size: number; root: Buffer; note: string; signed_ms: number } | undefined;
    const frontierRow = this.stmts.getState.get('frontier') as { value: Buffer } | undefined;
    if (row === undefined || frontierRow === undefined) {
      this.block('the ledger has records but no signed checkpoint or tree state: the database is damaged');
      return;
    }
    this.latest = { size: row.size, root: row.root, note: row.note, signedMs: row.signed_ms };
    try {
      this.frontier = Frontier.decode(frontierRow.value);
    } catch {
      this.block('the stored tree state is damaged');
      return;
    }
    // The keychain's keys, not the database's: a database cannot vouch for itself.
    const opened = openCheckpoint(row.note, this.keychainVerifiers());
    if (!opened.ok || opened.checkpoint.size !== row.size || !opened.checkpoint.root.equals(row.root)) {
      this.block(
        `the latest checkpoint in the database does not verify (${opened.ok ? 'it disagrees with its row' : opened.message})`,
      );
    } else if (this.frontier.size !== row.size || !this.frontier.root().equals(row.root)) {
      this.block(
        `the stored tree state (size ${this.frontier.size}) disagrees with the latest checkpoint (size ${row.size})`,
      );
    } else if (leafCount !== row.size) {
      this.block(
        leafCount < row.size
          ? `the latest checkpoint covers ${row.size} records but only ${leafCount} are stored: records were removed (records ${leafCount}..${row.size - 1} are gone)`
          : `${leafCount - row.size} records after the latest checkpoint were added without a checkpoint`,
        'truncation',
      );
    }
  }

  private loadAlarms(): Alarm[] {
    const rows = this.stmts.alarmEntries.all(
      LEDGER_ENTRY.rollbackDetected,
      LEDGER_ENTRY.alarmsAcknowledged,
    ) as {
      seq: number;
      type: string;
      time_ms: number;
      leaf: Buffer;
    }[];
    let alarms: Alarm[] = [];
    for (const row of rows) {
      if (row.type === LEDGER_ENTRY.alarmsAcknowledged) {
        alarms = [];
        continue;
      }
      const payload = (JSON.parse(row.leaf.toString('utf8')) as { payload: { message?: string } }).payload;
      alarms.push({
        kind: 'rollback',
        seq: row.seq,
        time: row.time_ms,
        message: payload.message ?? 'rollback detected',
      });
    }
    return alarms;
  }

  /** After a rotation's overlap the old private key is destroyed; its public key stays in ledger_keys. */
  private async retireOverlapKey(): Promise<void> {
    if (this.keys.previous && (this.keys.overlapUntilMs ?? 0) <= this.now()) {
      const keys = { current: this.keys.current };
      await storeSigningKeys(this.host.secrets, keys);
      this.keys = keys;
    }
  }

  /** Inserts (seq, type, time, leaf) rows, LEAF_ROWS per statement where it can (fewer calls into SQLite). */
  private insertLeaves(rows: readonly unknown[]): void {
    const whole = rows.length - (rows.length % (4 * LEAF_ROWS));
    for (let i = 0; i < whole; i += 4 * LEAF_ROWS)
      this.stmts.insertLeaves.run(rows.slice(i, i + 4 * LEAF_ROWS));
    for (let i = whole; i < rows.length; i += 4) this.stmts.insertLeaf.run(rows.slice(i, i + 4));
  }

  /**
   * The tree after records start..end-1, hashed from the bytes as stored (read back a bounded
   * block at a time, so a million-record import does not hold every leaf in memory twice) by the
   * same kernel verification uses; subtrees of level >= 8 completed on the way are stored for proofs.
   */
  private recomputeFrom(start: number, end: number): Frontier {
    let stack = this.frontier.subtrees.map((h) => h.toString('latin1'));
    for (let from = start; from < end; from += RECOMPUTE_BLOCK) {
      const to = Math.min(end, from + RECOMPUTE_BLOCK);
      const run = this.readRun(from, to);
      if (run === null) {
        throw new LedgerError('integrity-alarm', `records ${from}..${to - 1} were not all stored in order`);
      }
      const result = hashLeafBlock(sha256Latin1, {
        first: from,
        bytes: run.bytes,
        bounds: run.bounds,
        count: to - from,
        origin: 0,
        stack,
        snapshots: [],
        nodeLevel: STORED_NODE_LEVEL,
      });
      if (result.malformed || result.misplaced >= 0) {
        throw new LedgerError(
          'integrity-alarm',
          `record ${result.misplaced >= 0 ? result.misplaced : from} was not stored as written`,
        );
      }
      const nodes = result.nodes;
      for (let i = 0; i < nodes.length; i += 3) {
        this.stmts.insertNode.run(nodes[i], nodes[i + 1], Buffer.from(nodes[i + 2] as string, 'latin1'));
      }
      stack = result.stack;
    }
    if (end <= start) return this.frontier.clone();
    return Frontier.of(
      end,
      stack.map((h) => Buffer.from(h, 'latin1')),
    );
  }

  private signAndStore(frontier: Frontier, now: number): SignedCheckpoint {
    const checkpoint: Checkpoint = { origin: this.originValue, size: frontier.size, root: frontier.root() };
    const note = signCheckpoint(checkpoint, this.signers(now));
    this.stmts.insertCheckpoint.run(checkpoint.size, checkpoint.root, note, now);
    this.stmts.setState.run('frontier', frontier.encode());
    return { size: checkpoint.size, root: checkpoint.root, note, signedMs: now };
  }

  private signers(now: number): NoteSigner[] {
    return activeSigners(this.keys, now);
  }
}

function prepare(db: Database) {
  const s = (sql: string): Statement => db.prepare(sql);
  return {
    insertLeaf: s('INSERT INTO ledger_leaves (seq, type, time_ms, leaf) VALUES (?, ?, ?, ?)'),
    insertLeaves: s(
      `INSERT INTO ledger_leaves (seq, type, time_ms, leaf) VALUES ${Array(LEAF_ROWS).fill('(?, ?, ?, ?)').join(', ')}`,
    ),
    leafRange: s('SELECT leaf FROM ledger_leaves WHERE seq >= ? AND seq < ? ORDER BY seq').pluck(),
    maxSeq: s('SELECT max(seq) AS n FROM ledger_leaves'),
    insertNode: s('INSERT OR IGNORE INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)'),
    getNode: s('SELECT hash FROM ledger_nodes WHERE level = ? AND idx = ?'),
    insertCheckpoint: s('INSERT INTO ledger_checkpoints (size, root, note, signed_ms) VALUES (?, ?, ?, ?)'),
    latestCheckpoint: s(
      'SELECT size, root, note, signed_ms FROM ledger_checkpoints ORDER BY id DESC LIMIT 1',
    ),
    getState: s('SELECT value FROM ledger_state WHERE name = ?'),
    setState: s(
      'INSERT INTO ledger_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ),
    insertKey: s(
      'INSERT INTO ledger_keys (vkey, valid_from_size, rotation_note, added_ms) VALUES (?, ?, ?, ?)',
    ),
    allKeys: s('SELECT vkey FROM ledger_keys ORDER BY valid_from_size'),
    alarmEntries: s('SELECT seq, type, time_ms, leaf FROM ledger_leaves WHERE type IN (?, ?) ORDER BY seq'),
  };
}
