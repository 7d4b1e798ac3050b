import { parentPort } from 'node:worker_threads';
import type { CsvMapping } from '../formats/csv/mapping';
import { canonicalize } from '../ledger/jcs';
import { readRecords, type IngestSource, type ReadItem, type ReadProgress } from './read';
import type { IngestFormat } from '../model/records';

/*
 * The reading thread of a large import (read-thread.ts starts it): parses, normalizes and hashes
 * the file's records and posts them in order, in batches, while the main thread checks and applies
 * the ones before. At most MAX_IN_FLIGHT batches wait unacknowledged, so a fast parser cannot fill
 * the memory of a slower commit.
 */

export interface ReadJob {
  readonly source: IngestSource;
  readonly format: IngestFormat;
  readonly mapping: CsvMapping | undefined;
}

export type ReadMessage =
  /** `bytes`: how much of the file was read when the batch was posted. */
  | { readonly items: ReadItem[]; readonly bytes: number }
  | { readonly done: true }
  | { readonly error: { name: string; message: string; code?: string; path?: string } };

// Small batches, few in flight: records that wait on the importing thread outlive its young
// generation and are promoted to its old heap, and that garbage, not the records themselves, set
// the import's peak memory (8 x 256 let the main heap swing by ~140 MB between full collections).
// 4 x 32 still keeps the reading thread ahead of the importing one.
const BATCH = 32;
const MAX_IN_FLIGHT = 4;

const port = parentPort;
if (port !== null) {
  let inFlight = 0;
  let resume: (() => void) | null = null;
  const progress: ReadProgress = { bytes: 0 };
  port.on('message', (message: { ack?: number; job?: ReadJob }) => {
    if (message.ack !== undefined) {
      inFlight -= message.ack;
      resume?.();
    }
    if (message.job !== undefined) void run(message.job);
  });

  const post = async (items: ReadItem[]) => {
    port.postMessage({ items, bytes: progress.bytes } satisfies ReadMessage);
    inFlight++;
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (resume = r));
    resume = null;
  };

  const run = async (job: ReadJob) => {
    try {
      let batch: ReadItem[] = [];
      for await (const item of readRecords(job.source, job.format, job.mapping, undefined, progress)) {
        // The event's canonical text is made here, on the thread that is ahead (see ReadItem).
        if (item.type === 'record' && item.record.kind === 'epcis-event')
          batch.push({ ...item, canonicalEvent: canonicalize(item.record.event) });
        else batch.push(item);
        if (batch.length >= BATCH || item.type === 'header') {
          await post(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await post(batch);
      port.postMessage({ done: true } satisfies ReadMessage);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      port.postMessage({
        error: {
          name: e?.name ?? 'Error',
          message: e?.message ?? String(error),
          ...(e?.code !== undefined ? { code: e.code } : {}),
          ...(e?.path !== undefined ? { path: e.path } : {}),
        },
      } satisfies ReadMessage);
    }
  };
}
