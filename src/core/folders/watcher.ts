import type { EventSink } from '../api/events';
import type { LedgerService } from '../ledger/service';
import type { Log } from '../platform/log';
import type { Workspace } from '../ledger/workspace';
import { folderRow, folderRows, type FolderRow } from './store';
import { ScanAborted, scanFolder, type FolderScanResult, type ScanTiming } from './scan';
import type { Jobs } from '../platform/jobs';

export interface FolderWatchOptions {
  /** Time between scans of every watched folder; default 30 s. Polling, because fs.watch misses changes on network shares. */
  readonly intervalMs?: number;
  /** See ScanTiming; defaults 5 s and 2 min. */
  readonly settleMs?: number;
  readonly oldAfterMs?: number;
  /** false: no timer (scans only when asked). */
  readonly timer?: boolean;
}

export interface ScanRequest {
  /** One folder, or every folder. */
  readonly folderId?: number;
  /** Who the imports are recorded as. */
  readonly actor: string;
  readonly retryFailed: boolean;
  /** Set by the timer: the ledger already open (never opened for it), and no news when nothing changed. */
  readonly fromTimer?: { readonly workspace: Workspace };
}

export const DEFAULT_FOLDER_WATCH = { intervalMs: 30_000, settleMs: 5_000, oldAfterMs: 120_000 } as const;

export interface FolderWatcherDeps {
  readonly service: LedgerService;
  readonly jobs: Jobs;
  readonly emit: EventSink;
  readonly log: Log;
  readonly now: () => number;
  readonly options?: FolderWatchOptions;
}

/**
 * Scans the watched folders on a timer, in the process that holds the ledger. Scans run one at a
 * time, one file at a time (the ledger has one writer), whether the timer or a person asked for
 * them. The timer never opens the ledger: until someone has opened it (signing in does), there is
 * nothing to import into, and opening needs the keychain. A scan error never escapes the timer:
 * each becomes the folder's status, or a log line without paths or file names (a person's scan
 * gets the same statuses, and an error only when the ledger itself cannot be opened).
 */
export class FolderWatcher {
  readonly intervalMs: number;
  private readonly timing: ScanTiming;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private currentJob: string | null = null;
  private readonly scanning = new Set<number>();
  /** A problem that could not be written to the database (the ledger refused): shown until the next scan. */
  private readonly unrecorded = new Map<number, string>();
  private closed = false;
  private passes = 0;
  private readonly timerOn: boolean;

  constructor(private readonly deps: FolderWatcherDeps) {
    const o = deps.options ?? {};
    this.intervalMs = o.intervalMs ?? DEFAULT_FOLDER_WATCH.intervalMs;
    this.timing = {
      settleMs: o.settleMs ?? DEFAULT_FOLDER_WATCH.settleMs,
      oldAfterMs: o.oldAfterMs ?? DEFAULT_FOLDER_WATCH.oldAfterMs,
    };
    this.timerOn = o.timer !== false;
    if (this.timerOn) this.schedule(this.intervalMs);
  }

  isScanning(id: number): boolean {
    return this.scanning.has(id);
  }

  /** The message of a scan failure the database could not record, if any. */
  unrecordedProblem(id: number): string | undefined {
    return this.unrecorded.get(id);
  }

  /**
   * Scans one folder (or all) after any scan already running. A person's scan is recorded as theirs
   * and tries failed files again; the timer's is recorded as "system".
   */
  scan(request: ScanRequest): Promise<{ jobId: string; results: FolderScanResult[]; waiting: number }> {
    const run = this.chain.then(() => this.pass(request));
    this.chain = run.catch(() => undefined);
    // A file seen still changing is looked at again as soon as it can have settled, whoever scanned.
    void run
      .then(({ waiting }) => {
        if (waiting > 0 && this.timerOn) this.schedule(Math.min(this.intervalMs, this.timing.settleMs + 250));
      })
      .catch(() => undefined);
    return run;
  }

  /** Stops the timer, cancels a running scan and waits for it: call before the ledger closes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.currentJob !== null) this.deps.jobs.cancel(this.currentJob);
    await this.chain;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    // A CLI run that creates a core must not be kept alive by the watch.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    let next = this.intervalMs;
    try {
      const workspace = this.deps.service.currentWorkspace;
      if (workspace !== null && workspace.ledger.blocked === null) {
        const { waiting } = await this.scan({
          actor: 'system',
          retryFailed: false,
          fromTimer: { workspace },
        });
        if (waiting > 0) next = Math.min(this.intervalMs, this.timing.settleMs + 250);
      }
    } catch (error) {
      this.deps.log.warn('watched folder scan failed', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    } finally {
      this.schedule(next);
    }
  }

  private async pass(
    request: ScanRequest,
  ): Promise<{ jobId: string; results: FolderScanResult[]; waiting: number }> {
    const jobId = `folder-scan-${++this.passes}-${Date.now().toString(36)}`;
    if (this.closed) return { jobId, results: [], waiting: 0 };
    const work = async (ctx: Workspace) => {
      const folders =
        request.folderId === undefined
          ? folderRows(ctx.db)
          : [folderRow(ctx.db, request.folderId)].filter((f): f is FolderRow => f !== undefined);
      if (folders.length === 0) return { jobId, results: [], waiting: 0 };
      const job = this.deps.jobs.start(jobId);
      this.currentJob = job.id;
      const results: FolderScanResult[] = [];
      try {
        for (const folder of folders) {
          if (job.signal.aborted) break;
          results.push(await this.scanOne(ctx, folder, request, job.id, job.signal));
        }
      } finally {
        this.currentJob = null;
        job.done();
      }
      const count = (k: 'imported' | 'quarantined' | 'failed' | 'waiting') =>
        results.reduce((n, r) => n + r[k], 0);
      // The timer says something only when something happened: a window that reloads on news
      // makes calls, and calls count as activity that keeps the session from locking itself.
      const before = new Map(folders.map((f) => [f.id, f.status]));
      const news = results.some(
        (r) =>
          r.imported + r.alreadyImported + r.quarantined + r.failed > 0 ||
          r.status !== before.get(r.folderId),
      );
      if (request.fromTimer === undefined || news) {
        this.deps.emit({
          topic: 'job.finished',
          jobId,
          ok: results.every((r) => r.status === 'ok') && count('quarantined') + count('failed') === 0,
          message: `Watched folders: ${count('imported')} file(s) imported, ${count('quarantined')} sent to quarantine, ${count('failed')} could not be read, ${count('waiting')} still changing.`,
        });
      }
      return { jobId, results, waiting: count('waiting') };
    };
    if (request.fromTimer !== undefined) return work(request.fromTimer.workspace);
    return this.deps.service.use(work);
  }

  private async scanOne(
    ctx: Workspace,
    folder: FolderRow,
    request: ScanRequest,
    jobId: string,
    signal: AbortSignal,
  ): Promise<FolderScanResult> {
    this.scanning.add(folder.id);
    try {
      const result = await scanFolder(ctx, folder, {
        actor: request.actor,
        timing: this.timing,
        signal,
        retryFailed: request.retryFailed,
        onProgress: (label, done) =>
          this.deps.emit({ topic: 'job.progress', jobId, label, done, total: null }),
      });
      this.unrecorded.delete(folder.id);
      return result;
    } catch (error) {
      // The ledger refused (integrity alarm, disk full, closed): the folder says so; nothing is lost,
      // the files stay unhandled and the next scan tries them again.
      const message = `The last scan stopped: ${describeFailure(error)}. The files wait in the folder; the next scan tries again.`;
      this.unrecorded.set(folder.id, message);
      this.deps.log.warn('watched folder scan stopped', {
        folder: folder.id,
        error: error instanceof Error ? error.name : 'unknown',
      });
      return {
        folderId: folder.id,
        name: folder.name,
        status: 'error',
        message,
        imported: 0,
        alreadyImported: 0,
        quarantined: 0,
        failed: 0,
        waiting: 0,
      };
    } finally {
      this.scanning.delete(folder.id);
    }
  }
}

/** Ledger and store errors say what to do; a driver's own message can carry data values, so not those. */
function describeFailure(error: unknown): string {
  const cause = error instanceof ScanAborted ? error.cause : error;
  if (cause instanceof Error && ['LedgerError', 'StoreError', 'ApiError'].includes(cause.name)) {
    return cause.message.replace(/\.$/, '');
  }
  return 'the ledger database refused the write (the log has the error name)';
}
