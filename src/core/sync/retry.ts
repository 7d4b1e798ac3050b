import { PartnerHttpError } from './partner-http';
import { TransportError } from './transport';

/*
 * Retries with exponential backoff and full jitter (a random wait between 0 and base·2^n, capped),
 * so many workstations that lost the same partner do not come back in step. A 429 or 503 with
 * Retry-After (RFC 9110 §10.2.3, RFC 6585 §4) waits what the partner asked, up to the cap of a
 * Retry-After we accept; within one pass a longer wait is a failure, and the outbox's next
 * attempt time keeps it.
 */

export interface RetryPolicy {
  /** Tries of one request within a pass (the first included). */
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  /** The longest Retry-After waited for within a pass. */
  readonly maxRetryAfterMs: number;
  readonly random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseMs: 500,
  capMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export function isRetryable(error: unknown): boolean {
  return (
    (error instanceof TransportError && error.retryable) ||
    (error instanceof PartnerHttpError && error.retryable)
  );
}

/** The wait before try n+1 (n counts from 0): Retry-After when given, else full jitter. */
export function backoffMs(policy: RetryPolicy, n: number, error?: unknown): number {
  if (
    error instanceof PartnerHttpError &&
    error.retryAfterMs !== null &&
    (error.status === 429 || error.status === 503)
  )
    return Math.min(error.retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** n);
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs fn until it succeeds, fails with something not worth retrying, or runs out of tries. */
export async function withRetries<T>(
  policy: RetryPolicy,
  fn: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || n + 1 >= policy.attempts) throw error;
      if (
        error instanceof PartnerHttpError &&
        error.retryAfterMs !== null &&
        error.retryAfterMs > policy.maxRetryAfterMs
      )
        throw error;
      await sleep(backoffMs(policy, n, error), signal);
    }
  }
}
