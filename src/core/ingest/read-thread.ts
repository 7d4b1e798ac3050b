import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CsvMapping } from '../formats/csv/mapping';
import { readRecords, type IngestSource, type ReadItem, type ReadProgress } from './read';
import type { ReadJob, ReadMessage } from './read-worker';
import type { IngestFormat } from '../model/records';

/** Files at least this large are parsed on a second thread; smaller ones do not repay starting it. */
export const THREADED_READ_BYTES = 2 * 1024 * 1024;

/**
 * {@link readRecords} on a worker thread: the same items in the same order, parsed while the caller
 * applies earlier ones (an import uses both cores). Where no worker can start, the file is read
 * on this thread instead: slower, never different.
 */
export async function* readRecordsThreaded(
  source: IngestSource,
  format: IngestFormat,
  mapping: CsvMapping | undefined,
  signal?: AbortSignal,
  progress?: ReadProgress,
  start: () => Worker | null = startReadWorker,
): AsyncGenerator<ReadItem> {
  const worker = start();
  if (worker === null) {
    yield* readRecords(source, format, mapping, signal, progress);
    return;
  }
  // What the worker's code posts, or that the thread itself failed or ended.
  const inbox: (ReadMessage | { stopped: string })[] = [];
  let wake: (() => void) | null = null;
  const deliver = (message: ReadMessage | { stopped: string }) => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', deliver);
  worker.on('error', (error) => deliver({ stopped: error.name }));
  worker.on('exit', (code) => deliver({ stopped: `exit code ${code}` }));
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  let heard = false;
  try {
    worker.postMessage({ job: { source, format, mapping } satisfies ReadJob });
    for (;;) {
      while (inbox.length === 0) {
        signal?.throwIfAborted();
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      signal?.throwIfAborted();
      const message = inbox.shift()!;
      if ('stopped' in message) {
        if (!heard) {
          // The thread died before its code said anything (a loader or packaging problem, not
          // the file's): read the file on this thread instead.
          yield* readRecords(source, format, mapping, signal, progress);
          return;
        }
        throw new Error(`the reading thread stopped unexpectedly (${message.stopped})`);
      }
      heard = true;
      if ('items' in message) {
        // Acknowledged before it is applied: the worker parses the next batches meanwhile.
        worker.postMessage({ ack: 1 });
        if (progress !== undefined) progress.bytes = message.bytes;
        for (const item of message.items) {
          signal?.throwIfAborted();
          yield item;
        }
      } else if ('done' in message) return;
      else throw rebuild(message.error);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    void worker.terminate();
  }
}

function rebuild(e: { name: string; message: string; code?: string; path?: string }): Error {
  const error = Object.assign(new Error(e.message), {
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.path !== undefined ? { path: e.path } : {}),
  });
  error.name = e.name;
  return error;
}

/**
 * The reading thread's young generation (V8 semi-spaces): parsing makes short-lived garbage fast,
 * and V8's default young generation let the thread's heap swing by ~40 MB between collections; a
 * smaller one costs the thread a little more collecting, where it has time to spare (it waits for
 * the importing thread about a third of the time), and keeps the import's resident memory down
 * (issue 16: peak RSS < 400 MB at a million events; 369 -> 354 MB peak at 150k events, in a run that also capped
 * the old generation).
 */
const READER_LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 8 } };

/**
 * The worker script: next to the built bundle (read-worker.cjs, electron-vite's second main entry),
 * or the TypeScript source run through tsx's loader (CLI, tests, bench). Null when neither exists.
 */
function startReadWorker(): Worker | null {
  try {
    const here = fileURLToPath(import.meta.url);
    const built = here.replace(/[^/\\]+$/, 'read-worker.cjs');
    if (fs.existsSync(built)) return new Worker(built, READER_LIMITS);
    const source = here.replace(/[^/\\]+$/, 'read-worker.ts');
    if (!here.endsWith('.ts') || !fs.existsSync(source)) return null;
    const bundle = bundledFromSource(source);
    if (bundle !== null) return new Worker(bundle, READER_LIMITS);
    // tsx's ESM entry (its exports map sends require() to the CommonJS one, which cannot register).
    const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
    const tsx = path.join(path.dirname(tsxPackage), 'dist', 'esm', 'api', 'index.mjs');
    const boot = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((api) => { api.register(); return import(${JSON.stringify(pathToFileURL(source).href)}); })`;
    return new Worker(boot, { eval: true, ...READER_LIMITS });
  } catch {
    return null;
  }
}

let bundled: string | null | undefined;

/**
 * Running from source (the CLI, tests, the benchmark): the worker bundled once per process with
 * esbuild (which tsx brings) into plain JavaScript under node_modules/.cache, named by its content.
 * A worker that loads TypeScript through tsx's loader instead compiles every module again in its
 * own thread: seconds to start and ~150 MB more memory. Null when esbuild is not there.
 */
function bundledFromSource(source: string): string | null {
  if (bundled !== undefined) return bundled;
  bundled = null;
  try {
    const esbuild = createRequire(import.meta.url)('esbuild') as {
      buildSync(options: object): { outputFiles: { contents: Uint8Array }[] };
    };
    const out = esbuild.buildSync({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
    });
    const text = out.outputFiles[0]!.contents;
    const root = path.resolve(path.dirname(source), '..', '..', '..');
    const dir = path.join(root, 'node_modules', '.cache', 'custodia');
    const file = path.join(
      dir,
      `read-worker-${crypto.createHash('sha256').update(text).digest('hex').slice(0, 16)}.cjs`,
    );
    if (!fs.existsSync(file)) {
      fs.mkdirSync(dir, { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(partial, text);
      fs.renameSync(partial, file);
    }
    bundled = file;
  } catch {
    bundled = null;
  }
  return bundled;
}
