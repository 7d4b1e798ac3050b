import type { Workspace } from '../ledger/workspace';
import {
  captureLimits,
  documentBytes,
  documentParts,
  pollCapture,
  postCapture,
  splitParts,
  storedEventIds,
  type CaptureLimits,
} from './capture';
import { PartnerHttpError, type PartnerLink } from './partner-http';
import { backoffMs, isRetryable, sleep, withRetries, type RetryPolicy } from './retry';
import { enqueue, finish, openOutbox, outboxRow, updateOutbox, type OutboxRow } from './store';
import { askVerification, type VerifyAnswer, type VerifyContext } from './verify';

/*
 * The outbox: every outgoing capture and verification is a row written in a ledger transaction
 * (with its sync.enqueued entry) before anything is sent. A pass delivers a partner's rows one at a
 * time, oldest first. What is known before a request goes out is written first, so a crash leaves
 * each row in a state that says what to do next:
 *
 *   queued ──POST──▶ posted ──202 Location──▶ polling ──running=false──▶ delivered | dead
 *
 * A row found `posted` (a crash, a timeout or a 5xx after the POST: did the partner take it?) is
 * uncertain. Once the partner's capture job can no longer be running (`captureGraceMs` after the
 * POST), Custodia asks GET {base}/events?EQ_eventID=… which of its events the partner stores: all
 * of them, and the row is delivered; none, and it is posted again; some (only possible if the
 * partner ignored rollback), and only the missing ones are posted. So the partner stores each event
 * once. Attempt counters and next-attempt times are plain updates, not ledger entries.
 */

export interface DeliverOptions {
  readonly actor: string;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  /** How long after a POST its capture job can no longer be running (the uncertain check waits for it). */
  readonly captureGraceMs: number;
  readonly pollIntervalMs: number;
  /** Polls of a running job within one pass; the next pass polls again. */
  readonly maxPolls: number;
  readonly maxAttempts: number;
  readonly signal?: AbortSignal;
  readonly verification: {
    readonly openSerial: (row: OutboxRow) => string;
    readonly record: (
      row: OutboxRow,
      answer: VerifyAnswer,
    ) => (tx: Parameters<Parameters<Workspace['write']>[0]>[0]) => void;
  };
}

export interface DeliverTally {
  delivered: number;
  dead: number;
  waiting: number;
}

export async function deliverOutbox(
  ws: Workspace,
  link: PartnerLink,
  options: DeliverOptions,
): Promise<DeliverTally> {
  const tally: DeliverTally = { delivered: 0, dead: 0, waiting: 0 };
  let limits: CaptureLimits | null = null;
  const seen = new Set<number>();
  for (;;) {
    options.signal?.throwIfAborted();
    const row = openOutbox(ws.db, link.partnerId).find((r) => !seen.has(r.id));
    if (row === undefined) break;
    seen.add(row.id);
    if (row.nextAttemptMs > options.now()) {
      tally.waiting++;
      continue;
    }
    try {
      const outcome =
        row.kind === 'capture'
          ? await deliverCapture(
              ws,
              link,
              row,
              options,
              async () =>
                (limits ??= await withRetries(
                  options.retry,
                  () => captureLimits(link, options.signal),
                  options.signal,
                )),
            )
          : await deliverVerification(ws, link, row, options);
      tally[outcome]++;
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      const outcome = await noteFailure(ws, row.id, error, options);
      tally[outcome]++;
    }
  }
  return tally;
}

type Outcome = 'delivered' | 'dead' | 'waiting';

async function deliverCapture(
  ws: Workspace,
  link: PartnerLink,
  start: OutboxRow,
  options: DeliverOptions,
  limitsOf: () => Promise<CaptureLimits>,
): Promise<Outcome> {
  let row = start;
  if (row.state === 'posted') {
    if (row.postedMs !== null && options.now() < row.postedMs + options.captureGraceMs) {
      await ws.write((tx) =>
        updateOutbox(tx.db, row.id, { nextAttemptMs: row.postedMs! + options.captureGraceMs }),
      );
      return 'waiting';
    }
    const stored = await withRetries(
      options.retry,
      () => storedEventIds(link, row.eventIds, options.signal),
      options.signal,
    );
    const missing = row.eventIds.filter((id) => !stored.has(id));
    if (missing.length === 0) {
      await ws.write((tx) =>
        finish(tx, row, 'delivered', options.actor, { events: row.eventIds.length, found: 'by eventID' }),
      );
      return 'delivered';
    }
    const parts = documentParts(row.body);
    const body =
      missing.length === row.eventIds.length
        ? row.body
        : documentBytes(
            { ...parts, events: parts.events.filter((e) => missing.includes(e.eventID as string)) },
            options.now(),
          );
    await ws.write((tx) =>
      updateOutbox(tx.db, row.id, { state: 'queued', body, eventIds: missing, postedMs: null }),
    );
    row = outboxRow(ws.db, row.id)!;
  }
  if (row.state === 'queued') {
    const limits = await limitsOf();
    const parts = documentParts(row.body);
    const pieces = splitParts(parts, limits, options.now());
    if (pieces.length > 1) {
      await split(
        ws,
        row,
        pieces.map((p) => documentBytes(p, options.now())),
        options.actor,
      );
      return 'waiting';
    }
    await ws.write((tx) =>
      updateOutbox(tx.db, row.id, { state: 'posted', postedMs: options.now(), attempts: row.attempts + 1 }),
    );
    let location: string;
    try {
      location = await postCapture(link, row.body, options.signal);
    } catch (error) {
      if (error instanceof PartnerHttpError && error.status === 413 && row.eventIds.length > 1) {
        // Refused as too large: nothing stored. Halve it.
        const half = Math.ceil(parts.events.length / 2);
        await split(
          ws,
          row,
          [parts.events.slice(0, half), parts.events.slice(half)].map((events) =>
            documentBytes({ ...parts, events }, options.now()),
          ),
          options.actor,
        );
        return 'waiting';
      }
      if (error instanceof PartnerHttpError && !error.retryable) {
        // The partner refused the request as such: it stored nothing, so the row is not uncertain.
        await ws.write((tx) => updateOutbox(tx.db, row.id, { state: 'queued', postedMs: null }));
      }
      throw error;
    }
    await ws.write((tx) => updateOutbox(tx.db, row.id, { state: 'polling', captureUrl: location }));
    row = outboxRow(ws.db, row.id)!;
  }
  // polling
  for (let poll = 0; poll < options.maxPolls; poll++) {
    const job = await withRetries(
      options.retry,
      () => pollCapture(link, row.captureUrl!, options.signal),
      options.signal,
    );
    if (!job.running) {
      if (job.success) {
        await ws.write((tx) => finish(tx, row, 'delivered', options.actor, { events: row.eventIds.length }));
        return 'delivered';
      }
      // rollback: the job stored none of the events; its errors are about the data, and sending the
      // same document again would fail the same way. A person decides (retry or dismiss).
      await ws.write((tx) => {
        updateOutbox(tx.db, row.id, {
          lastError: `${link.name} rejected the document: ${job.errors.join('; ') || 'no reason given'}`,
        });
        finish(tx, row, 'dead', options.actor, { errors: job.errors });
      });
      return 'dead';
    }
    await sleep(options.pollIntervalMs, options.signal);
  }
  await ws.write((tx) =>
    updateOutbox(tx.db, row.id, { nextAttemptMs: options.now() + options.pollIntervalMs }),
  );
  return 'waiting';
}

async function split(ws: Workspace, row: OutboxRow, bodies: Buffer[], actor: string): Promise<void> {
  await ws.write((tx) => {
    bodies.forEach((body, i) => {
      const parts = documentParts(body);
      enqueue(tx, {
        partnerId: row.partnerId,
        kind: 'capture',
        name: `${row.name} (part ${i + 1} of ${bodies.length})`,
        body,
        eventIds: parts.events.map((e) => e.eventID as string),
        parentId: row.id,
        actor,
      });
    });
    updateOutbox(tx.db, row.id, { state: 'split' });
  });
}

async function deliverVerification(
  ws: Workspace,
  link: PartnerLink,
  row: OutboxRow,
  options: DeliverOptions & { timeoutMs?: number },
): Promise<Outcome> {
  const request = JSON.parse(row.body.toString('utf8')) as {
    gtin: string;
    lot: string;
    expiry: string;
    context: VerifyContext;
    requesterGln: string;
  };
  await ws.write((tx) =>
    updateOutbox(tx.db, row.id, { attempts: row.attempts + 1, postedMs: options.now() }),
  );
  const answer = await askVerification(
    link,
    { ...request, serial: options.verification.openSerial(row), corrUuid: row.corrUuid! },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    },
  );
  await ws.write((tx) => {
    options.verification.record(row, answer)(tx);
    finish(tx, row, 'delivered', options.actor, {
      verified: answer.verified,
      failureReason: answer.failureReason,
      additionalInfo: answer.additionalInfo,
      responderGln: answer.responderGln,
      corrUuid: row.corrUuid,
    });
  });
  return 'delivered';
}

/** One row now, with a time budget (the verification screen's one second). */
export async function deliverOne(
  ws: Workspace,
  link: PartnerLink,
  id: number,
  options: DeliverOptions & { timeoutMs: number },
): Promise<Outcome> {
  const row = outboxRow(ws.db, id);
  if (row === undefined || row.kind !== 'verify' || row.state !== 'queued') return 'waiting';
  try {
    return await deliverVerification(ws, link, row, options);
  } catch (error) {
    return noteFailure(ws, id, error, options);
  }
}

/** A failed attempt: retry later (backoff, Retry-After), or a dead letter once attempts run out. */
async function noteFailure(
  ws: Workspace,
  id: number,
  error: unknown,
  options: DeliverOptions,
): Promise<Outcome> {
  const row = outboxRow(ws.db, id)!;
  const message = error instanceof Error ? error.message : 'unknown failure';
  const attempts = row.state === 'posted' || row.kind === 'verify' ? row.attempts : row.attempts + 1;
  const retryable = isRetryable(error);
  if (!retryable && attempts >= options.maxAttempts && row.state !== 'posted' && row.state !== 'polling') {
    await ws.write((tx) => {
      updateOutbox(tx.db, id, { attempts, lastError: message });
      finish(tx, row, 'dead', options.actor, {
        reason: message,
        ...(error instanceof PartnerHttpError ? { status: error.status } : {}),
      });
    });
    return 'dead';
  }
  const wait = backoffMs({ ...options.retry, capMs: Math.max(options.retry.capMs, 60_000) }, attempts, error);
  await ws.write((tx) =>
    updateOutbox(tx.db, id, { attempts, lastError: message, nextAttemptMs: options.now() + wait }),
  );
  return 'waiting';
}
