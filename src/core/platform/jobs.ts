import { ApiError } from '../api/errors';

/** Running jobs by the caller's job id, so ingest.cancel can stop one. */
export class Jobs {
  private readonly running = new Map<string, AbortController>();

  start(jobId: string | undefined): { id: string; signal: AbortSignal; done(): void } {
    const id = jobId ?? `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    if (this.running.has(id)) throw new ApiError('conflict', `A job with id ${id} is already running.`);
    const controller = new AbortController();
    this.running.set(id, controller);
    return { id, signal: controller.signal, done: () => this.running.delete(id) };
  }

  cancel(jobId: string): boolean {
    const c = this.running.get(jobId);
    if (c === undefined) return false;
    c.abort();
    return true;
  }
}
