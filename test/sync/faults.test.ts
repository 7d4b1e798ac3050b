import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger, workspaceFor } from '../../src/core/ledger/open';
import { verifyLedger } from '../../src/core/ledger/verify';
import { projections } from '../../src/core/projections';
import { savePartner } from '../../src/core/partners';
import { enqueueCapture, saveEndpoint } from '../../src/core/sync';
import { requireKeyring } from '../secrets/keyring';
import { makeTestCerts, type TestCerts } from '../support/partner-sim/certs';
import { shippingEvents, startPartnerSim, type PartnerSim } from '../support/partner-sim/server';
import { GTIN, OUR_GLN, SELLER_GLN } from './helpers';

requireKeyring();

const CLI = path.join(import.meta.dirname, '..', '..', 'src', 'cli', 'index.ts');
const SERVED = 600;
const CAPTURED = 40;
const START = Date.UTC(2026, 2, 1, 8, 0);

let certs: TestCerts;
let root: string;
beforeAll(() => {
  certs = makeTestCerts();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-sync-faults-'));
});
afterAll(() => {
  certs.remove();
  fs.rmSync(root, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** `custodia sync run` as its own process; `killWhen` decides, per simulator request, to SIGKILL it. */
function syncRun(
  dataDir: string,
  sim: PartnerSim,
  killWhen?: (method: string, path: string) => boolean,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'sync', 'run', '--data', dataDir, '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          CUSTODIA_SYNC_TIMEOUT_MS: '800',
          CUSTODIA_SYNC_RETRY_BASE_MS: '5',
          CUSTODIA_SYNC_RETRY_CAP_MS: '50',
          CUSTODIA_SYNC_ATTEMPTS: '10',
          CUSTODIA_SYNC_CAPTURE_GRACE_MS: '700',
          CUSTODIA_SYNC_POLL_MS: '100',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    sim.onRequest =
      killWhen === undefined
        ? null
        : (method, p) => {
            if (!killed && killWhen(method, p)) {
              killed = true;
              // The answer is on its way: the client is reading it or committing what it read.
              setTimeout(() => child.kill('SIGKILL'), 5);
            }
          };
    child.on('error', reject);
    child.on('exit', (code) => {
      sim.onRequest = null;
      resolve({ code, killed, stdout, stderr });
    });
  });
}

async function inspect(dataDir: string, sim: PartnerSim) {
  const opened = await openLedger({ dataDir, createIfMissing: false });
  try {
    const db = opened.ledger.db;
    const verdict = await verifyLedger(opened.ledger);
    const cursor = db.prepare('SELECT cursor_record_time FROM sync_state').pluck().get() as string | null;
    const times = new Set(db.prepare('SELECT event_time_ms FROM trace_events').pluck().all() as number[]);
    const events = db.prepare('SELECT count(*) FROM trace_events').pluck().get() as number;
    // The cursor never passes an uncommitted page: every served event recorded before it is in the ledger.
    const servedBefore = sim.events.filter(
      (e) =>
        cursor !== null &&
        Date.parse(e.recordTime) < Date.parse(cursor) &&
        e.bizStep === 'shipping' &&
        JSON.stringify(e.destinationList).includes(OUR_GLN),
    );
    const missingBeforeCursor = servedBefore.filter(
      (e) => !times.has(Date.parse(e.eventTime as string)),
    ).length;
    return { verdict: verdict.status, cursor, events, missingBeforeCursor };
  } finally {
    opened.close();
  }
}

describe('partner sync under faults, killed twice', () => {
  it('30% faults, SIGKILL during a page commit and after a capture POST: exactly once in the ledger and at the partner', async () => {
    const seed = Number(process.env.SYNC_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`partner sync fault test seed: ${seed} (SYNC_FAULT_SEED=${seed} repeats it)`);
    const sim = await startPartnerSim({
      tls: { server: certs.server },
      auth: 'bearer:fault-test-token-7f3a',
      seed,
      faultRate: 0.3,
      captureLimit: 10,
      jobMs: 300,
      jobPolls: 2,
      tokenTtlMs: 5_000,
    });
    try {
      sim.serve(
        shippingEvents(SERVED, {
          gtin: GTIN,
          sellerGln: SELLER_GLN,
          ourGln: OUR_GLN,
          startMs: START,
          perTime: 3,
        }),
      );
      const dataDir = path.join(root, 'pharmacy');
      const opened = await openLedger({ dataDir, createIfMissing: true });
      try {
        const ws = workspaceFor(opened, projections);
        await savePartner(
          ws,
          { name: 'Main Street Pharmacy', role: 'self', authorized: true, glns: [OUR_GLN] },
          'u-1',
        );
        const partnerId = await saveEndpoint(
          { ws, secrets: opened.installation.secrets },
          {
            name: 'Keystone Wholesale',
            glns: [SELLER_GLN],
            authorized: true,
            licence: 'PA WD-1234',
            epcisUrl: sim.url,
            auth: 'bearer',
            caPem: certs.ca.cert,
            perPage: 50,
            overlapMs: 2_000,
          },
          { secret: 'fault-test-token-7f3a' },
          'u-1',
        );
        const ours = shippingEvents(CAPTURED, {
          gtin: GTIN,
          sellerGln: OUR_GLN,
          ourGln: SELLER_GLN,
          startMs: START,
          prefix: 'OUT',
        });
        await enqueueCapture(
          ws,
          partnerId,
          Buffer.from(
            JSON.stringify({
              '@context': [],
              type: 'EPCISDocument',
              schemaVersion: '2.0',
              creationDate: '2026-03-01T00:00:00Z',
              epcisBody: { eventList: ours },
            }),
          ),
          'outbound shipment',
          'u-1',
        );
      } finally {
        opened.close();
      }

      // Kill 1: while the third page's answer is read and committed.
      let pages = 0;
      const first = await syncRun(dataDir, sim, (m, p) => m === 'GET' && p === '/events' && ++pages === 3);
      expect(first.killed, first.stderr).toBe(true);
      const afterFirst = await inspect(dataDir, sim);
      expect(afterFirst).toMatchObject({ verdict: 'consistent', missingBeforeCursor: 0 });

      // Kill 2: right after the partner accepted a capture (its Location never stored).
      const second = await syncRun(dataDir, sim, (m, p) => m === 'POST' && p === '/capture');
      const afterSecond = await inspect(dataDir, sim);
      expect(afterSecond).toMatchObject({ verdict: 'consistent', missingBeforeCursor: 0 });
      // The pull of the second run may finish its pages first; the kill comes at its first capture POST.
      expect(second.killed, second.stderr).toBe(true);

      // Then passes until every item has a durable outcome (exit 0), faults still on.
      let last: Run | undefined;
      let runs = 0;
      for (let i = 0; i < 15; i++) {
        runs++;
        last = await syncRun(dataDir, sim);
        expect([0, 1]).toContain(last.code);
        if (last.code === 0) break;
        await new Promise((r) => setTimeout(r, 400));
      }
      expect(last?.code, `${last?.stdout}\n${last?.stderr}`).toBe(0);
      const final = await inspect(dataDir, sim);
      const faults = sim.log.filter((l) => l.fault !== undefined).length;
      console.log(
        `seed ${seed}: ${sim.log.length} requests, ${faults} faulted; ${runs} more pass(es) after two kills; cursor after kill 1 ${afterFirst.cursor}`,
      );
      expect(final).toMatchObject({ verdict: 'consistent', events: SERVED, missingBeforeCursor: 0 });
      // Every captured event stored by the partner exactly once.
      expect(sim.stored.size).toBe(CAPTURED);
      expect([...sim.stored.values()].every((n) => n === 1)).toBe(true);
      // Faults did happen, of several kinds.
      expect(new Set(sim.log.filter((l) => l.fault).map((l) => l.fault)).size).toBeGreaterThanOrEqual(4);
      // No secret in any output.
      for (const out of [first, second, last!])
        expect(out.stdout + out.stderr).not.toContain('fault-test-token-7f3a');
    } finally {
      await sim.close();
    }
  }, 240_000);
});
