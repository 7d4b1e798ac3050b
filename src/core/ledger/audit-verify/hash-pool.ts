import { Worker } from 'node:worker_threads';
import { hashLeafBlock, sha256Latin1, type BlockJob, type BlockResult } from './leaf-block';

/**
 * Worker threads that run {@link hashLeafBlock}. The workers are `eval` workers built from the
 * kernel's own source, so they need no separate file (nothing to copy into the Electron bundle,
 * no TypeScript loader) and they run exactly the code the single-threaded path runs. With no
 * workers, or if none can start, jobs run on the calling thread: slower, never different. A job's
 * bytes are transferred to the worker, so a failed job cannot be retried here: the caller falls back
 * to its one-leaf-at-a-time replay. Always close() the pool (the workers keep the process alive).
 */
export interface HashPool {
  /** Worker threads that started (0: jobs run on the calling thread). */
  readonly threads: number;
  run(job: BlockJob): Promise<BlockResult>;
  close(): Promise<void>;
}

// `__name` is what esbuild's keepNames (tsx, vitest) wraps inner functions in.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const __name = (f) => f;
const hash = typeof crypto.hash === 'function'
  ? (data) => crypto.hash('sha256', data, 'latin1')
  : (data) => crypto.createHash('sha256').update(data).digest('latin1');
const hashLeafBlock = (${hashLeafBlock.toString()});
parentPort.on('message', ({ id, job }) => {
  try {
    parentPort.postMessage({ id, result: hashLeafBlock(hash, job) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;

interface Slot {
  readonly worker: Worker;
  busy: number;
}

export function createHashPool(workers: number): HashPool {
  const slots: Slot[] = [];
  const waiting = new Map<number, { resolve: (r: BlockResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let broken: Error | null = null;
  for (let i = 0; i < workers; i++) {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    } catch {
      break;
    }
    const slot: Slot = { worker, busy: 0 };
    worker.on('message', (message: { id: number; result?: BlockResult; error?: string }) => {
      slot.busy--;
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(`hash worker failed: ${message.error}`));
      else pending?.resolve(message.result!);
    });
    worker.on('error', (error) => {
      broken = error;
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
    });
    slots.push(slot);
  }
  return {
    threads: slots.length,
    run(job) {
      if (broken !== null || slots.length === 0) return Promise.resolve(hashLeafBlock(sha256Latin1, job));
      const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      slot.busy++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const bytes = job.bytes;
        // Hand the block over without a copy when it owns its whole ArrayBuffer (not a pool slice).
        const transfer =
          bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !isShared(bytes.buffer)
            ? [bytes.buffer as ArrayBuffer]
            : [];
        slot.worker.postMessage({ id, job }, transfer);
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

function isShared(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
}
