import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/errors';
import type { EventSink } from '../api/events';
import { INSTALLATION_FILE } from '../installation/installation-file';
import type { Log } from '../platform/log';
import { SealingError } from '../sealing/sealing-error';
import { SecretStoreError, type SecretStore } from '../secrets/secret-store';
import { StoreError } from '../store/errors';
import { LedgerError, type Ledger } from './ledger';
import { openLedger, workspaceFor, type OpenLedger } from './open';
import { SigningKeysError } from './signing-keys';
import { backupFolder, backupLedger, lastBackupMs } from './backup';
import { freeBytes, LOW_SPACE_BYTES } from './damage';
import { verifyLedger } from './verify';
import { readSnapshot, type Snapshot } from './snapshot';
import {
  ACCESS_OUTBOX_STATE,
  AccessOutbox,
  disclosing,
  type CountingSealer,
  type Disclosure,
} from './access-log';
import type { CallContext } from '../api/router';
import type { EntryInput } from './ledger';
import type { ProjectionSet, Workspace } from './workspace';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAINTENANCE_MS = 60 * 60 * 1000;

const errorName = (error: unknown) => (error instanceof Error ? error.name : 'unknown');

/** What the status bar and `system.health` say about the ledger. */
export type LedgerState = 'not-created' | 'closed' | 'open' | 'alarm' | 'unavailable';

export interface LedgerServiceOptions {
  readonly dataDir: string;
  readonly appVersion: string;
  readonly log: Log;
  readonly emit: EventSink;
  /** Every feature's projections, composed by the app (src/core/projections.ts). */
  readonly projections: Pick<ProjectionSet, 'project' | 'prefixes'>;
  /** The clock entries are stamped with; tests inject one. */
  readonly now?: () => number;
  /** Default: the OS keychain. */
  readonly secrets?: SecretStore;
}

interface Opened extends OpenLedger {
  readonly workspace: Workspace;
}

/**
 * The app's one handle on the ledger. It opens the installation lazily on first use, so
 * `system.health` and the window come up at once, runs the incremental verification in the
 * background after opening, and answers status without touching the disk more than a stat.
 */
export class LedgerService {
  private opening: Promise<Opened> | null = null;
  private opened: Opened | null = null;
  private failure: string | null = null;
  private verifyAlarm: string | null = null;
  private readonly outbox: AccessOutbox;
  private draining: Promise<void> | null = null;
  private maintenance: NodeJS.Timeout | null = null;
  private lastCheckMs = 0;
  private lowSpace: string | null = null;

  constructor(private readonly options: LedgerServiceOptions) {
    this.outbox = new AccessOutbox(path.join(options.dataDir, 'access-pending'));
  }

  status(): { state: LedgerState; message: string } {
    if (this.failure !== null) return { state: 'unavailable', message: this.failure };
    if (this.opened !== null) {
      const ledger = this.opened.ledger;
      const alarms = ledger.alarms().length;
      if (ledger.blocked !== null) return { state: 'alarm', message: ledger.standingAlarm ?? ledger.blocked };
      if (this.verifyAlarm !== null) return { state: 'alarm', message: this.verifyAlarm };
      if (alarms > 0) return { state: 'alarm', message: ledger.alarms()[alarms - 1]!.message };
      return {
        state: 'open',
        message: `The ledger is open: ${ledger.size} records.${this.lowSpace === null ? '' : ` ${this.lowSpace}`}`,
      };
    }
    return this.exists()
      ? { state: 'closed', message: 'The ledger exists and opens on first use.' }
      : { state: 'not-created', message: 'No ledger yet: it is created on first use.' };
  }

  /** The installation's data folder. */
  get dataDir(): string {
    return this.options.dataDir;
  }

  /** The clock entries are stamped with. */
  now(): number {
    return (this.options.now ?? Date.now)();
  }

  exists(): boolean {
    return fs.existsSync(path.join(this.options.dataDir, INSTALLATION_FILE));
  }

  get current(): Ledger | null {
    return this.opened?.ledger ?? null;
  }

  /** The open ledger's workspace, without opening it (a timer must not create a ledger). */
  get currentWorkspace(): Workspace | null {
    return this.opened?.workspace ?? null;
  }

  /** Like {@link use}, with the installation too (its keychain entries, for the recovery kit). */
  async useOpened<T>(fn: (opened: Opened) => Promise<T> | T): Promise<T> {
    const opened = await this.open();
    // A large import keeps its transaction open across awaits: wait for it rather than read its
    // uncommitted rows (or, for a write, fail on the open transaction).
    await opened.ledger.idle();
    try {
      return await fn(opened);
    } catch (error) {
      throw toApiError(error);
    }
  }

  /**
   * Runs fn on a snapshot of the last committed state (ledger/snapshot.ts), on the read-only
   * connection: it does not wait for a write in progress, an import included.
   */
  async read<T>(fn: (snapshot: Snapshot) => T): Promise<T> {
    const opened = await this.open();
    try {
      return readSnapshot(opened.installation.reader(), opened.workspace, fn);
    } catch (error) {
      throw toApiError(error);
    }
  }

  /**
   * A snapshot read that may open sealed identifiers for a person (ledger/access-log.ts): the answer
   * comes from the last commit without waiting for a write in progress, and its access entry is
   * recorded through {@link recordAccess} before the answer is returned.
   */
  async readDisclosing<T>(
    call: CallContext,
    procedure: string,
    read: (snapshot: Snapshot) => T,
    describe: (result: T, opened: ReturnType<CountingSealer['opened']>) => Disclosure | null,
  ): Promise<T> {
    const opened = await this.open();
    try {
      return await disclosing(
        { sealer: opened.workspace.sealer, recordAccess: (entry) => this.recordAccess(entry) },
        call,
        procedure,
        (c) =>
          readSnapshot(
            opened.installation.reader(),
            { sealer: c.sealer, dataDir: opened.workspace.dataDir },
            read,
          ),
        describe,
      );
    } catch (error) {
      throw toApiError(error);
    }
  }

  /**
   * Records an access entry without holding the answer back for a long write: appended at once when
   * the writer is free; while an import holds it, kept durably in the outbox (fsynced before this
   * resolves) and appended as soon as the write ends. Never lost: an entry the ledger could not take
   * (an alarm, a crash) stays in the outbox and is appended on the next open or the next drain.
   */
  async recordAccess(entry: EntryInput): Promise<void> {
    const opened = await this.open();
    const ws = opened.workspace;
    const time = ws.now();
    if (!opened.ledger.busy && this.outbox.held().length === 0) {
      await ws.write((tx) => tx.append([{ ...entry, time }]));
      return;
    }
    this.outbox.hold({ ...entry, time });
    void this.drainAccess();
  }

  /** Appends the held access entries once the writer is free; one drain at a time. */
  drainAccess(): Promise<void> {
    this.draining ??= (async () => {
      try {
        // Entries held while this drain ran are taken by its next round.
        for (;;) {
          const opened = this.opened;
          if (opened === null) return;
          await opened.ledger.idle();
          const held = this.outbox.held();
          if (held.length === 0) return;
          await opened.workspace.write((tx) => {
            const done = tx.db
              .prepare('SELECT value FROM ledger_state WHERE name = ?')
              .pluck()
              .get(ACCESS_OUTBOX_STATE) as Buffer | undefined;
            const after = done?.toString('utf8') ?? '';
            // Files at or before the last appended name were committed before a crash left them.
            const fresh = held.filter((h) => h.name > after);
            if (fresh.length > 0) tx.append(fresh.map((h) => h.entry));
            tx.db
              .prepare(
                'INSERT INTO ledger_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
              )
              .run(ACCESS_OUTBOX_STATE, Buffer.from(held[held.length - 1]!.name, 'utf8'));
          });
          this.outbox.remove(held.map((h) => h.name));
        }
      } catch (error) {
        // Kept in the outbox: the next drain (next disclosure or next open) appends it.
        this.options.log.warn('held access entries could not be appended yet', {
          error: error instanceof Error ? error.name : 'unknown',
        });
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  /** Runs fn on the workspace of the open ledger, opening (and on first use creating) it; errors become ApiErrors. */
  use<T>(fn: (workspace: Workspace) => Promise<T> | T): Promise<T> {
    return this.useOpened((opened) => fn(opened.workspace));
  }

  private async open(): Promise<Opened> {
    if (this.opened !== null) return this.opened;
    if (this.opening === null) {
      this.opening = openLedger({
        dataDir: this.options.dataDir,
        createIfMissing: true,
        appVersion: this.options.appVersion,
        ...(this.options.now ? { now: this.options.now } : {}),
        afterLongWrite: () => void this.backupIfDue(true),
        ...(this.options.secrets ? { secrets: this.options.secrets } : {}),
      }).then((opened) => ({
        ...opened,
        workspace: workspaceFor(opened, this.options.projections, this.options.now),
      }));
    }
    try {
      const opened = await this.opening;
      this.opened = opened;
      this.failure = null;
      this.lastCheckMs = this.now();
      // Writes wait for it: what was added since the last verification is read before anything new.
      opened.ledger.holdWritesUntil(this.backgroundCheck(opened.ledger));
      this.checkSpace();
      this.maintenance ??= setInterval(() => void this.maintain(), MAINTENANCE_MS);
      this.maintenance.unref();
      // Access entries held when the app last stopped are appended now.
      void this.drainAccess();
      return opened;
    } catch (error) {
      this.opening = null;
      const apiError = toApiError(error);
      this.failure = apiError instanceof Error ? apiError.message : 'The ledger could not be opened.';
      throw apiError;
    }
  }

  /**
   * Hourly while the app or serve runs (issue 17 scope 7): a heartbeat checkpoint and an
   * incremental verification once a day, and a backup into the chosen folder when a day has passed.
   */
  async maintain(): Promise<void> {
    const opened = this.opened;
    if (opened === null || opened.ledger.blocked !== null) return;
    try {
      await opened.ledger.heartbeatIfDue();
      if (this.now() - this.lastCheckMs >= DAY_MS) {
        this.lastCheckMs = this.now();
        await this.backgroundCheck(opened.ledger);
      }
      await this.backupIfDue(false);
      this.checkSpace();
    } catch (error) {
      this.options.log.warn('daily ledger upkeep failed', { error: errorName(error) });
    }
  }

  /** Warns before free space runs out (a full disk refuses every write until space is freed). */
  private checkSpace(): void {
    const free = freeBytes(this.options.dataDir);
    this.lowSpace =
      free !== null && free < LOW_SPACE_BYTES
        ? `Only ${Math.floor(free / (1024 * 1024))} MB are free on the disk holding ${this.options.dataDir}: ` +
          'free space there soon, or imports and other work will be refused.'
        : null;
    if (this.lowSpace !== null)
      this.options.emit({ topic: 'ledger.alarm', kind: 'disk-space', message: this.lowSpace });
  }

  /** A backup into the chosen folder after an import, or when the newest is a day old. */
  async backupIfDue(afterImport: boolean): Promise<void> {
    const opened = this.opened;
    const folder = backupFolder(this.options.dataDir);
    if (opened === null || folder === null) return;
    const last = lastBackupMs(folder);
    if (!afterImport && last !== null && this.now() - last < DAY_MS) return;
    try {
      const result = await backupLedger(opened.ledger, folder, this.now());
      this.options.log.info('ledger backed up', { records: result.size });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'the backup failed';
      this.options.log.warn('ledger backup failed', { error: errorName(error) });
      this.options.emit({ topic: 'ledger.alarm', kind: 'backup', message: `No backup was made: ${message}` });
    }
  }

  /** At start, verify the records added since the last verified checkpoint (issue scope 7). */
  private async backgroundCheck(ledger: Ledger): Promise<void> {
    try {
      const verdict = await verifyLedger(ledger, { incremental: true });
      if (this.opened?.ledger !== ledger) return;
      this.noteVerdict(verdict.status, verdict.message);
      if (verdict.status !== 'consistent') {
        this.options.emit({ topic: 'ledger.alarm', kind: 'verification', message: verdict.message });
      }
    } catch (error) {
      // Closed while it ran (a CLI call, serve stopping): the check ends with the connection.
      if (this.opened?.ledger !== ledger || !ledger.db.open) return;
      this.options.log.warn('background ledger verification failed', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }

  /**
   * A verification's result: an inconsistent ledger is a standing alarm (read-only until restored);
   * an unknown one is shown; a consistent run clears only what a verification raised.
   */
  noteVerdict(status: string, message: string): void {
    this.verifyAlarm = status === 'consistent' ? null : message;
    if (status === 'inconsistent') this.opened?.ledger.block(message, 'integrity');
  }

  close(): void {
    if (this.maintenance !== null) clearInterval(this.maintenance);
    this.maintenance = null;
    this.opened?.close();
    this.opened = null;
    this.opening = null;
  }
}

/**
 * The one mapping of core errors to the API's codes, for every procedure that runs on the ledger:
 * storage, keychain and sealing errors keep their specific kind in details.kind so the UI can
 * explain it (wrong key, corrupted, newer than app, locked …); a feature's own refusals are
 * already ApiErrors. Anything else passes through, and the router reports it as internal.
 * Messages never hold secrets.
 */
export function toApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreError) {
    const code =
      error.kind === 'keychain-unavailable'
        ? 'keychain-unavailable'
        : error.kind === 'corrupted'
          ? 'integrity-alarm'
          : 'ledger-unavailable';
    return new ApiError(code, error.message, { kind: error.kind });
  }
  if (error instanceof SecretStoreError || error instanceof SigningKeysError) {
    return new ApiError('keychain-unavailable', error.message, {
      ...(error instanceof SecretStoreError ? { kind: error.kind } : {}),
    });
  }
  if (error instanceof SealingError) {
    return new ApiError(error.kind === 'tampered' ? 'integrity-alarm' : 'ledger-unavailable', error.message, {
      kind: error.kind,
    });
  }
  if (error instanceof LedgerError) {
    return new ApiError(
      error.kind === 'integrity-alarm' || error.kind === 'damaged' ? 'integrity-alarm' : 'ledger-unavailable',
      error.message,
      { kind: error.kind },
    );
  }
  if (error instanceof Error && error.name === 'ZodError')
    return new ApiError('invalid-input', error.message);
  return error;
}
