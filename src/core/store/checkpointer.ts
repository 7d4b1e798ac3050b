import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * WAL checkpoints on a second connection, in a worker thread. SQLite's automatic checkpoint runs
 * inside the COMMIT of whichever write crosses 1000 pages, on the thread that committed: after a
 * large import that is the whole import's WAL copied into ledger.db (a million events: ~20 s with
 * the event loop stopped). Here the committing connection never checkpoints; after each commit the
 * worker runs a PASSIVE checkpoint, which waits for nobody and blocks nobody. Committed data is
 * durable in the WAL either way (synchronous = FULL); this only moves the copy off the app's thread.
 *
 * Until the worker has opened the database, and if it ever fails, the automatic checkpoint stays
 * (or comes back) on: never a WAL that grows without bound.
 */
export interface Checkpointer {
  /** A commit happened: checkpoint soon (one at a time; a nudge during one asks for another). */
  nudge(): void;
  /** Checkpoints everything on the calling connection (before it closes) and stops the worker. */
  close(): void;
}

const AUTO_PAGES = 1000;

// `__name` is what esbuild's keepNames (tsx, vitest) wraps inner functions in.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma('key = "x\\'' + Buffer.from(workerData.key).toString('hex') + '\\'"');
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
  db.pragma('busy_timeout = 5000');
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ failed: String(error && error.code || 'open') });
  Atomics.store(new Int32Array(workerData.closed), 0, 1);
  process.exit(1);
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    const closed = new Int32Array(workerData.closed);
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    process.exit(0);
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ done: true });
  } catch (error) {
    parentPort.postMessage({ done: true, error: String(error && error.code || 'checkpoint') });
  }
});
`;

export function startCheckpointer(db: Database.Database, file: string, key: Uint8Array): Checkpointer {
  let worker: Worker | null = null;
  let ready = false;
  let running = false;
  let again = false;
  // Set by the worker once its connection is closed: close() waits on it instead of terminating the
  // worker, because terminating a thread that is inside a SQLite call aborts the whole process
  // (better-sqlite3 cannot build the error object in a terminating isolate: "FATAL ERROR:
  // v8::ToLocalChecked Empty MaybeLocal", seen in CI when a ledger closed while the worker opened).
  const closed = new SharedArrayBuffer(4);
  const fallBack = () => {
    ready = false;
    worker = null;
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_PAGES}`);
  };
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: {
        module: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'),
        file,
        key: Uint8Array.from(key),
        closed,
      },
    });
    worker.unref();
    worker.on('message', (message: { ready?: true; failed?: string; done?: true; error?: string }) => {
      if (message.ready && db.open) {
        ready = true;
        db.pragma('wal_autocheckpoint = 0');
      } else if (message.done) {
        running = false;
        if (message.error !== undefined) fallBack();
        else if (again) request();
      }
    });
    worker.on('error', fallBack);
    worker.on('exit', () => {
      Atomics.store(new Int32Array(closed), 0, 1);
      if (ready) fallBack();
    });
  } catch {
    worker = null;
  }
  const request = () => {
    if (!ready || worker === null) return;
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = true;
    worker.postMessage('checkpoint');
  };
  return {
    nudge: request,
    close() {
      const w = worker;
      worker = null;
      ready = false;
      if (w !== null) {
        w.postMessage('close');
        // A worker still opening reads the message once it is open; one that failed has exited.
        Atomics.wait(new Int32Array(closed), 0, 0, 5000);
      }
      // The closing connection copies what is left itself, so ledger.db is whole once closed. A
      // checkpoint the worker is still running makes ours busy (SQLite does not wait for that
      // lock), so retry briefly.
      if (db.open) {
        for (let attempt = 0; attempt < 250; attempt++) {
          let busy: number;
          try {
            busy = (db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]?.busy ?? 0;
          } catch {
            busy = 1;
          }
          if (busy === 0) break;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        }
      }
    },
  };
}
