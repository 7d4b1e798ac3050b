import type { EventSink } from '../api/events';
import type { LedgerService } from '../ledger/service';
import type { Jobs } from '../platform/jobs';
import type { Log } from '../platform/log';
import { DEFAULT_SYNC, syncPass, type PartnerPassResult, type SyncSettings } from './service';
import { listEndpoints, openOutbox, syncState } from './store';

export interface SyncRunnerDeps {
  readonly service: LedgerService;
  readonly jobs: Jobs;
  readonly emit: EventSink;
  readonly log: Log;
  readonly settings?: SyncSettings;
  /** How often the timer looks for a partner whose interval has passed; default 60 s. false: no timer. */
  readonly tickMs?: number | false;
}

/**
 * Pulls and delivers in the background, in the process that holds the ledger, like the folder
 * watcher: one pass at a time (the ledger has one writer), on a timer for partners whose interval
 * has passed and when a person asks ("Sync now"), with progress events and cancel by job id. The
 * timer never opens the ledger (opening needs the keychain and a person signing in).
 */
export class SyncRunner {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private currentJob: string | null = null;
  private readonly running = new Set<number>();
  private closed = false;
  private passes = 0;
  readonly settings: SyncSettings;

  constructor(private readonly deps: SyncRunnerDeps) {
    this.settings = deps.settings ?? DEFAULT_SYNC;
    if (deps.tickMs !== false) this.schedule(deps.tickMs ?? 60_000);
  }

  isRunning(partnerId: number): boolean {
    return this.running.has(partnerId);
  }

  get jobId(): string | null {
    return this.currentJob;
  }

  /** A pass after any pass already running. */
  run(request: { partnerId?: number; actor: string; force: boolean; due?: number[] }): Promise<{
    jobId: string;
    results: PartnerPassResult[];
  }> {
    const run = this.chain.then(() => this.pass(request));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Cancels the running pass (what it committed stays); false when none runs. */
  cancel(): boolean {
    return this.currentJob !== null && this.deps.jobs.cancel(this.currentJob);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.currentJob !== null) this.deps.jobs.cancel(this.currentJob);
    await this.chain;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.tick(delayMs), delayMs);
    this.timer.unref();
  }

  private async tick(delayMs: number): Promise<void> {
    this.timer = null;
    try {
      const ws = this.deps.service.currentWorkspace;
      if (ws !== null && ws.ledger.blocked === null) {
        const now = ws.now();
        const due = listEndpoints(ws.db)
          .filter((e) => {
            const s = syncState(ws.db, e.partnerId);
            // Its interval has passed, or an outgoing item (a verification that got no answer within
            // the person's second, a capture job) is due again before that.
            const due =
              s.lastAttemptMs === null ||
              now - s.lastAttemptMs >= e.intervalMs ||
              openOutbox(ws.db, e.partnerId).some((o) => o.nextAttemptMs <= now);
            return due && (s.circuitOpenUntilMs === null || s.circuitOpenUntilMs <= now);
          })
          .map((e) => e.partnerId);
        for (const partnerId of due) await this.run({ partnerId, actor: 'system', force: false });
      }
    } catch (error) {
      this.deps.log.warn('partner sync pass failed', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    } finally {
      this.schedule(delayMs);
    }
  }

  private async pass(request: { partnerId?: number; actor: string; force: boolean }): Promise<{
    jobId: string;
    results: PartnerPassResult[];
  }> {
    const jobId = `partner-sync-${++this.passes}-${Date.now().toString(36)}`;
    if (this.closed) return { jobId, results: [] };
    return this.deps.service.useOpened(async (opened) => {
      const job = this.deps.jobs.start(jobId);
      this.currentJob = job.id;
      if (request.partnerId !== undefined) this.running.add(request.partnerId);
      else for (const e of listEndpoints(opened.workspace.db)) this.running.add(e.partnerId);
      try {
        const results = await syncPass(
          { ws: opened.workspace, secrets: opened.installation.secrets, settings: this.settings },
          {
            ...(request.partnerId !== undefined ? { partnerId: request.partnerId } : {}),
            actor: request.actor,
            force: request.force,
            signal: job.signal,
            onProgress: (label, done) =>
              this.deps.emit({ topic: 'job.progress', jobId, label, done, total: null }),
          },
        );
        this.deps.emit({
          topic: 'job.finished',
          jobId,
          ok: results.every((r) => r.ok),
          message: results.map((r) => `${r.partner}: ${r.message}`).join(' ') || 'No partner to sync.',
        });
        return { jobId, results };
      } catch (error) {
        if (job.signal.aborted) {
          this.deps.emit({
            topic: 'job.finished',
            jobId,
            ok: false,
            message: 'Sync cancelled; what was committed stays, the rest waits for the next pass.',
          });
          return { jobId, results: [] };
        }
        throw error;
      } finally {
        this.running.clear();
        this.currentJob = null;
        job.done();
      }
    });
  }
}
