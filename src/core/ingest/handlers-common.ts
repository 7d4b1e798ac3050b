import { ApiError } from '../api/errors';
import type { CallContext } from '../api/router';
import type { LedgerService } from '../ledger/service';
import { QuarantineError } from '../quarantine/service';
import { ReceivingError } from '../receiving/service';
import { traceContext, type TraceContext } from './context';
import { PartnerError } from './partners';

/** Runs fn with the trace context of the open ledger; this area's errors become ApiErrors. */
export async function withTrace<T>(
  service: LedgerService,
  fn: (ctx: TraceContext) => Promise<T> | T,
): Promise<T> {
  try {
    return await service.use((ledger) => fn(traceContext(ledger)));
  } catch (error) {
    throw toApiError(error);
  }
}

export function toApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof QuarantineError || error instanceof ReceivingError) {
    return new ApiError(error.kind === 'invalid' ? 'invalid-input' : error.kind, error.message);
  }
  if (error instanceof PartnerError)
    return new ApiError('rule-violation', error.message, { rule: 'trading-partner' });
  if (error instanceof Error && error.name === 'ZodError')
    return new ApiError('invalid-input', error.message);
  return error;
}

export function actorOf(ctx: CallContext): { id: string; displayName: string } {
  return ctx.principal === null
    ? { id: 'system', displayName: 'Custodia' }
    : { id: ctx.principal.userId, displayName: ctx.principal.displayName };
}

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
