import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createCore } from '../src/core/app';
import type { Result } from '../src/core/api/errors';
import { silentLog } from '../src/core/platform/log';
import { signIn, staffPharmacy, TEST_SCRYPT } from '../test/inventory/helpers';
import {
  DOCUMENT_TAIL,
  documentHead,
  events as ev,
  sgtin,
  sscc,
  withCheck,
  type SynthProduct,
  SAMPLE_PRODUCT,
} from '../test/support/synthetic';
import { createMemorySecretStore } from '../src/core/secrets/memory-store';
import { openEncryptedDatabase } from '../src/core/store/database';
import type { Report } from './report';

/**
 * Issue 5's figures, each measured in its own child process so peak RSS belongs to that work:
 * - end-to-end import of a generated N-event EPCIS 2.0 XML file (default 1M; CUSTODIA_BENCH_INGEST_EVENTS)
 *   into the encrypted ledger (parse, validate, hash, rules, one ledger entry per event, projections,
 *   sealed identifiers), in events/s, against plain SQLCipher inserts of one row per event (the event's
 *   text) in one transaction, in the same run; goal >= 0.3 of the baseline and peak RSS < 400 MB;
 * - trace of one serial (history plus containment) at that size: p50 / p95 latency; goal p95 < 20 ms;
 * - while that import runs, in the same process and through the router as a signed-in pharmacist:
 *   trace.lookup every 100 ms (p95; goal < 50 ms, issue 16) and a receiving scan every second
 *   (the longest wait; goal 2 s).
 */
const MAKER = withCheck('030001111111');
const SELLER = withCheck('039999999999');
const PHARMACY = withCheck('061414100000');
const PRODUCT: SynthProduct = SAMPLE_PRODUCT;

/** Event i of the generated file: per 10 events, 8 commissionings, 1 packing into a pallet, 1 shipment. */
function eventXml(i: number, prefix = 'S'): string {
  const group = Math.floor(i / 10);
  const time = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const k = i % 10;
  const serial = (j: number) => sgtin(PRODUCT.gtin, `${prefix}${group * 8 + j}`);
  const pallet = sscc(
    withCheck(`${prefix === 'S' ? '0030001' : '0030002'}${String(group).padStart(10, '0')}`),
  );
  if (k < 8)
    return ev.commission([serial(k)], {
      time,
      location: MAKER,
      lot: `L${Math.floor(group / 1000)}`,
      expiry: '2028-12-31',
    });
  if (k === 8) return ev.pack(pallet, [0, 1, 2, 3, 4, 5, 6, 7].map(serial), { time, location: MAKER });
  return ev.ship([pallet], {
    time,
    seller: SELLER,
    buyer: PHARMACY,
    shipTo: PHARMACY,
    location: SELLER,
    po: `PO-${group}`,
  });
}

function writeFile(file: string, count: number, prefix = 'S'): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, documentHead({ products: [PRODUCT] }));
    let chunk: string[] = [];
    for (let i = 0; i < count; i++) {
      chunk.push(eventXml(i, prefix));
      if (chunk.length === 5000) {
        fs.writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    fs.writeSync(fd, chunk.join('\n') + '\n' + DOCUMENT_TAIL);
  } finally {
    fs.closeSync(fd);
  }
}

export async function run(report: Report): Promise<void> {
  const count = Number(process.env.CUSTODIA_BENCH_INGEST_EVENTS ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-bench-ingest-'));
  try {
    const file = path.join(dir, 'events.xml');
    writeFile(file, count);
    const mb = fs.statSync(file).size / 1e6;
    const base = child('baseline', dir, file, count);
    const baseRate = count / (base.ms / 1000);
    report({
      figure: 'baseline-sqlcipher-insert',
      value: Math.round(baseRate),
      unit: 'events/s',
      peakRssMB: base.rssMB,
      events: count,
      note: 'one INSERT per event (its XML text) in one transaction, SQLCipher v4',
    });
    const r = child('import', dir, file, count);
    const rate = r.imported / (r.ms / 1000);
    report({
      figure: 'import-end-to-end',
      value: Math.round(rate),
      unit: 'events/s',
      baseline: Math.round(baseRate),
      ratio: +(rate / baseRate).toFixed(3),
      goal: '>= 0.3 of the baseline, peak RSS < 400 MB',
      withinGoal: rate / baseRate >= 0.3 && r.rssMB < 400,
      peakRssMB: r.rssMB,
      seconds: +(r.ms / 1000).toFixed(1),
      // Reading, checking and applying every record (one pass), then the commit: tree, checkpoint, COMMIT.
      readAndApplySeconds: +(r.readMs / 1000).toFixed(1),
      commitSeconds: +((r.ms - r.readMs) / 1000).toFixed(1),
      // CPU time of the importing process (both threads): how much work, whatever else the machine ran.
      cpuSeconds: +(r.cpuMs / 1000).toFixed(1),
      baselineCpuSeconds: +(base.cpuMs / 1000).toFixed(1),
      fileMB: +mb.toFixed(1),
      events: count,
      imported: r.imported,
      status: r.status,
    });
    report({
      figure: 'trace-during-import',
      value: +r.duringP95.toFixed(2),
      unit: 'ms p95',
      p50: +r.duringP50.toFixed(2),
      max: +r.duringMax.toFixed(2),
      goal: 'p95 < 50 ms, through the router, signed in, while the file imports',
      withinGoal: r.duringP95 < 50,
      samples: r.duringSamples,
      events: count,
    });
    report({
      figure: 'scan-wait-during-import',
      value: +(r.scanMaxMs / 1000).toFixed(2),
      unit: 's longest',
      goal: '<= 2 s (one transaction per file: a scan waits for the file to commit)',
      withinGoal: r.scanMaxMs <= 2000,
      scans: r.scans,
      events: count,
    });
    report({
      figure: 'trace-one-serial',
      value: +r.p50.toFixed(2),
      unit: 'ms p50',
      p95: +r.p95.toFixed(2),
      goal: 'p95 < 20 ms',
      withinGoal: r.p95 < 20,
      samples: r.samples,
      events: count,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface ChildResult {
  ms: number;
  cpuMs: number;
  readMs: number;
  rssMB: number;
  imported: number;
  status: string;
  p50: number;
  p95: number;
  samples: number;
  duringP50: number;
  duringP95: number;
  duringMax: number;
  duringSamples: number;
  scanMaxMs: number;
  scans: number;
}

/**
 * The children run this file bundled into plain JavaScript (esbuild, which tsx brings), with the
 * reading thread's bundle beside it, as the app runs its own bundle: compiled through tsx's loader
 * instead, the same code costs ~80 MB more resident memory, which is tsx's and not the import's.
 */
function bundledSelf(self: string): string {
  const esbuild = createRequire(import.meta.url)('esbuild') as {
    buildSync(options: object): { outputFiles: { contents: Uint8Array }[] };
  };
  const build = (entry: string, format: 'esm' | 'cjs') =>
    esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format,
      write: false,
      logLevel: 'silent',
      external: ['better-sqlite3-multiple-ciphers', 'keytar', 'esbuild', 'tsx'],
      ...(format === 'esm'
        ? {
            banner: {
              js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
            },
          }
        : {}),
    }).outputFiles[0]!.contents;
  const main = build(self, 'esm');
  const worker = build(path.resolve(path.dirname(self), '../src/core/ingest/read-worker.ts'), 'cjs');
  const name = crypto.createHash('sha256').update(main).update(worker).digest('hex').slice(0, 16);
  const dir = path.resolve(path.dirname(self), '../node_modules/.cache/custodia', `bench-ingest-${name}`);
  const file = path.join(dir, 'bench-ingest.mjs');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    // read-thread.ts looks for read-worker.cjs next to the bundle it runs in.
    fs.writeFileSync(path.join(dir, 'read-worker.cjs'), worker);
    fs.writeFileSync(`${file}.${process.pid}.tmp`, main);
    fs.renameSync(`${file}.${process.pid}.tmp`, file);
  }
  return file;
}

let bundled: string | undefined;

function child(mode: 'import' | 'baseline', dir: string, file: string, count: number): ChildResult {
  const self = fileURLToPath(import.meta.url);
  bundled ??= bundledSelf(self);
  const out = execFileSync(
    process.execPath,
    [
      // CUSTODIA_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the children.
      ...(process.env.CUSTODIA_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
      bundled,
      '--ingest-worker',
      mode,
      dir,
      file,
      String(count),
    ],
    {
      cwd: path.resolve(path.dirname(self), '..'),
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      // The child's stderr (CUSTODIA_BENCH_MEMORY's samples, a failure) shows with the figures.
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

async function worker(mode: string, dir: string, file: string, count: number): Promise<void> {
  if (mode === 'baseline') {
    const db = openEncryptedDatabase(path.join(dir, 'baseline.db'), {
      key: crypto.randomBytes(32),
      create: true,
    });
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT');
    const insert = db.prepare('INSERT INTO events (body) VALUES (?)');
    const started = performance.now();
    const cpu0 = cpuMs();
    db.transaction(() => {
      for (let i = 0; i < count; i++) insert.run(eventXml(i));
    })();
    const ms = performance.now() - started;
    const cpu = cpuMs() - cpu0;
    db.close();
    emit({
      ms,
      cpuMs: cpu,
      readMs: 0,
      rssMB: rss(),
      imported: count,
      status: 'baseline',
      p50: 0,
      p95: 0,
      samples: 0,
      duringP50: 0,
      duringP95: 0,
      duringMax: 0,
      duringSamples: 0,
      scanMaxMs: 0,
      scans: 0,
    });
    return;
  }
  const core = createCore({
    version: 'bench',
    dataDir: path.join(dir, 'data'),
    log: silentLog,
    secrets: createMemorySecretStore(),
    scryptCost: TEST_SCRYPT,
  });
  await staffPharmacy(core);
  const phil = await signIn(core, 'bench-phil', 'phil');
  const call = async <T>(method: string, input?: unknown): Promise<T> => {
    const r = await phil(method, input);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
  // The import itself as the CLI sends it (a path on this machine), as the same person.
  let committingAt = 0;
  const cli = (method: string, input: unknown): Promise<Result<unknown>> =>
    core.router.call(
      {
        transport: 'cli',
        principal: core.sessions.slot('bench-phil').get(),
        // Reading and applying ends where the commit begins (tree, checkpoint, COMMIT).
        emit: (e) => {
          if (e.topic === 'job.progress' && e.label.startsWith('Committing') && committingAt === 0)
            committingAt = performance.now();
        },
      },
      method,
      input,
    );
  await call('partners.save', { name: 'Pharmacy', role: 'self', authorized: true, glns: [PHARMACY] });
  await call('partners.save', { name: 'Seller', role: 'wholesaler', authorized: true, glns: [SELLER] });
  // What the pharmacy already holds when the big file arrives: a small file traced during the import.
  const small = path.join(dir, 'earlier.xml');
  writeFile(small, 1000, 'E');
  expectImported(await cli('ingest.import', { files: [{ path: small }] }));
  const session = (await call<{ sessionId: number }>('receiving.openSession', {})).sessionId;
  const memo = (at: string) => {
    if (process.env.CUSTODIA_BENCH_MEMORY === undefined) return;
    const m = process.memoryUsage();
    process.stderr.write(
      `${at}: rss ${Math.round(m.rss / 1e6)} heap ${Math.round(m.heapUsed / 1e6)} ext ${Math.round(m.external / 1e6)} ab ${Math.round(m.arrayBuffers / 1e6)}\n`,
    );
  };
  memo('ready');
  const memoTimer = setInterval(() => memo('importing'), 3000);

  let importing = true;
  const during: number[] = [];
  const scanWaits: number[] = [];
  const traceLoop = (async () => {
    for (let s = 0; importing; s++) {
      const q = sgtin(PRODUCT.gtin, `E${s % 800}`);
      const t0 = performance.now();
      const r = await call<{ found: boolean }>('trace.lookup', { query: q });
      if (importing) during.push(performance.now() - t0);
      if (!r.found) throw new Error('a serial of the earlier file was not found during the import');
      await sleep(100);
    }
  })();
  const scanLoop = (async () => {
    await sleep(1000);
    for (let s = 0; importing; s++) {
      const t0 = performance.now();
      await call('receiving.scan', {
        sessionId: session,
        scan: `]C100${withCheck(`0030003${String(s).padStart(10, '0')}`)}`,
      });
      scanWaits.push(performance.now() - t0);
      await sleep(1000);
    }
  })();

  committingAt = 0;
  const started = performance.now();
  const cpu0 = cpuMs();
  const answer = await cli('ingest.import', { files: [{ path: file }] });
  const ms = performance.now() - started;
  const cpu = cpuMs() - cpu0;
  importing = false;
  clearInterval(memoTimer);
  memo('imported');
  await Promise.all([traceLoop, scanLoop]);
  const result = expectImported(answer);
  const readMs = committingAt === 0 ? ms : committingAt - started;

  const samples: number[] = [];
  const groups = Math.floor(count / 10);
  for (let s = 0; s < 300 && groups > 0; s++) {
    const group = Math.floor((((s * 7919) % 1000) / 1000) * groups);
    const q = sgtin(PRODUCT.gtin, `S${group * 8 + (s % 8)}`);
    const t0 = performance.now();
    const r = await call<{ found: boolean }>('trace.lookup', { query: q });
    samples.push(performance.now() - t0);
    if (!r.found) throw new Error('a traced serial was not found');
  }
  await core.close();
  emit({
    ms,
    cpuMs: cpu,
    readMs,
    rssMB: rss(),
    imported: result.imported,
    status: result.status,
    p50: pct(samples, 0.5),
    p95: pct(samples, 0.95),
    samples: samples.length,
    duringP50: pct(during, 0.5),
    duringP95: pct(during, 0.95),
    duringMax: pct(during, 1),
    duringSamples: during.length,
    scanMaxMs: pct(scanWaits, 1),
    scans: scanWaits.length,
  });
}

function expectImported(r: Result<unknown>): { imported: number; status: string } {
  if (!r.ok) throw new Error(`ingest.import: ${JSON.stringify(r.error)}`);
  const one = (r.value as { results: { imported: number; status: string }[] }).results[0]!;
  if (one.status !== 'imported') throw new Error(`the bench file was ${one.status}`);
  return one;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function pct(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
const emit = (r: ChildResult) => process.stdout.write(JSON.stringify(r) + '\n');

const at = process.argv.indexOf('--ingest-worker');
if (at >= 0) {
  const [mode, dir, file, count] = process.argv.slice(at + 1) as [string, string, string, string];
  await worker(mode, dir, file, Number(count));
}
