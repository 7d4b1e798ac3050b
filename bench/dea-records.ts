import type { Database } from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLedger, workspaceFor } from '../src/core/ledger/open';
import { readSnapshot } from '../src/core/ledger/snapshot';
import { projections } from '../src/core/projections';
import type { ReportRequest } from '../src/core/reports/engine';
import { createMemorySecretStore } from '../src/core/secrets/memory-store';
import { REGISTRANT } from '../test/inventory/helpers';
import type { Report } from './report';
import { tableRows, timeRead, timeReport } from './timing';

/**
 * Issue 14's figures: the biennial inventory of P controlled products (default 2,000;
 * CUSTODIA_BENCH_DEA_PRODUCTS) and the controlled-substance log of a busy pharmacy's year, T
 * transactions (default 200k; CUSTODIA_BENCH_DEA_TX), each from the snapshot to the finished file
 * (median of 5) against a raw SELECT of the same rows in the same run. Goal: under 1 s each. The
 * ledger is written the one way (Workspace.write / tx.record) with the real projectors.
 */

const SCHEDULES = ['CII', 'CIII', 'CIV', 'CV'] as const;
const SIGNATURE = {
  userId: 'bench',
  printedName: 'Bench Pharmacist',
  meaning: 'initiated',
  signedAt: '2026-01-02T15:00:00.000Z',
  subjectHash: '0'.repeat(64),
};

const ndcOf = (i: number) => `6${String(i).padStart(4, '0')}-100-01`;

export async function run(report: Report): Promise<void> {
  const productCount = Number(process.env.CUSTODIA_BENCH_DEA_PRODUCTS ?? 2000);
  const txCount = Number(process.env.CUSTODIA_BENCH_DEA_TX ?? 200_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-bench-dea-'));
  const dataDir = path.join(dir, 'data');
  const opened = await openLedger({ dataDir, secrets: createMemorySecretStore(), createIfMissing: true });
  try {
    const ws = workspaceFor(opened, projections);
    const products = Array.from({ length: productCount }, (_, i) => ({
      ndc: ndcOf(i),
      ndc11: `6${String(i).padStart(4, '0')}-0100-01`,
      name: `Product ${i}`,
      strength: `${5 + (i % 20)} mg`,
      dosageForm: 'tablet',
      packageSize: 100,
      unit: 'tablet',
      schedule: SCHEDULES[i % SCHEDULES.length]!,
      source: 'manual',
    }));
    await ws.write((tx) => {
      tx.record('registrant.recorded', 'bench', { registrant: REGISTRANT });
      tx.record('products.imported', 'bench', { products });
    });

    // A year: each product received first (10% of the transactions), then dispensed in turn.
    const started = performance.now();
    const receipts = Math.max(productCount, Math.round(txCount * 0.1));
    const perReceipt = Math.ceil(((txCount - receipts) * 30) / receipts / 100) * 100 + 100;
    const transaction = (n: number) => {
      const receipt = n < receipts;
      const p = products[n % productCount]!;
      const day = new Date(Date.UTC(2026, 0, 1) + Math.floor((n / txCount) * 364) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      return {
        type: 'custodia.cs-transaction/v1',
        id: `tx-${n}`,
        kind: receipt ? 'receipt' : 'dispense',
        ndc: p.ndc,
        lot: null,
        schedule: p.schedule,
        quantity: receipt ? perReceipt : 30,
        direction: receipt ? 1 : -1,
        date: day,
        details: receipt
          ? {
              supplier: {
                name: 'Keystone Wholesale Drug',
                deaNumber: 'PW1234563',
                address: '200 Commerce Way',
              },
              containers: perReceipt / 100,
            }
          : { prescriptionNumber: `RX${n}` },
        product: {
          name: p.name,
          strength: p.strength,
          dosageForm: p.dosageForm,
          packageSize: 100,
          unit: 'tablet',
        },
        initiatedBy: { userId: 'bench', printedName: 'Bench Pharmacist' },
        initiatedAt: `${day}T15:00:00.000Z`,
      };
    };
    for (let from = 0; from < txCount; from += 10_000) {
      await ws.write((tx) => {
        for (let n = from; n < Math.min(txCount, from + 10_000); n++)
          tx.record('inventory.transaction-recorded', 'bench', {
            transaction: transaction(n),
            subjectHash: SIGNATURE.subjectHash,
            status: 'posted',
            signatures: [SIGNATURE],
          });
      });
    }
    const writeSeconds = (performance.now() - started) / 1000;
    const balances = opened.installation.db
      .prepare('SELECT p.ndc, b.qty_milli FROM products p JOIN inv_balances b ON b.ndc = p.ndc')
      .all() as { ndc: string; qty_milli: number }[];
    await ws.write((tx) => {
      tx.record('counts.inventory-sealed', 'bench', {
        inventory: {
          id: 'bench-inventory',
          kind: 'biennial',
          date: '2026-12-31',
          timing: 'close',
          time: '19:00',
          countedBy: ['Bench Pharmacist'],
          registrant: REGISTRANT,
          lines: balances.map((b) => {
            const p = products[Number(b.ndc.slice(1, 5))]!;
            const total = b.qty_milli / 1000;
            const full = Math.floor(total / 100);
            return {
              ndc: b.ndc,
              name: p.name,
              strength: p.strength,
              dosageForm: p.dosageForm,
              schedule: p.schedule,
              unit: p.unit,
              unitsPerContainer: 100,
              fullContainers: full,
              opened:
                total - full * 100 > 0
                  ? [{ quantity: total - full * 100, measure: p.schedule === 'CII' ? 'exact' : 'estimated' }]
                  : [],
              total,
              expected: total,
            };
          }),
        },
        signature: { ...SIGNATURE, meaning: 'sealed' },
        counterSignatures: [{ ...SIGNATURE, meaning: 'counted' }],
      });
    });
    report({
      figure: 'ledger',
      value: opened.ledger.size,
      unit: 'entries',
      products: productCount,
      transactions: txCount,
      writeSeconds: +writeSeconds.toFixed(1),
      note: 'the ledger the figures below are measured on (transactions written through Workspace.write)',
    });

    const reader = opened.installation.reader();
    const read = <T>(fn: Parameters<typeof readSnapshot<T>>[2]) =>
      readSnapshot(reader, { sealer: ws.sealer, dataDir }, fn);
    const measure = (request: ReportRequest, repeat = 5) => timeReport(read, request, tableRows, repeat);
    const baseline = (fn: (db: Database) => number) => timeRead(read, fn);

    const inventoryBase = baseline(
      (db) =>
        (
          JSON.parse(
            (
              db.prepare('SELECT record FROM sealed_inventories WHERE id = ?').get('bench-inventory') as {
                record: string;
              }
            ).record,
          ) as { lines: unknown[] }
        ).lines.length,
    );
    for (const format of ['pdf', 'csv', 'xlsx'] as const) {
      const r = await measure({ kind: 'biennial-inventory', format, params: {} });
      report({
        figure: `biennial-inventory-${format}`,
        value: +r.ms.toFixed(1),
        unit: 'ms median',
        rows: r.rows,
        bytes: r.bytes,
        baseline: +inventoryBase.ms.toFixed(2),
        baselineRows: inventoryBase.rows,
        ratio: +(r.ms / inventoryBase.ms).toFixed(1),
        goal: '< 1000 ms',
        withinGoal: r.ms < 1000,
        note: 'snapshot to finished file; baseline: SELECT of the sealed inventory and its lines (JSON.parse)',
      });
    }
    const logBase = baseline(
      (db) =>
        db.prepare("SELECT * FROM inv_transactions WHERE status = 'posted' ORDER BY schedule, ndc, seq").all()
          .length,
    );
    for (const format of ['csv', 'xlsx'] as const) {
      // XLSX (exceljs) of 200k rows takes tens of seconds: measured once, not five times.
      const repeat = format === 'csv' ? 5 : 1;
      const r = await measure({ kind: 'cs-log', format, params: {} }, repeat);
      report({
        figure: `cs-log-year-${format}`,
        value: +r.ms.toFixed(1),
        unit: repeat === 5 ? 'ms median' : 'ms (one run)',
        rowsPerSecond: Math.round(r.rows / (r.ms / 1000)),
        rows: r.rows,
        bytes: r.bytes,
        baseline: +logBase.ms.toFixed(2),
        baselineRows: logBase.rows,
        ratio: +(r.ms / logBase.ms).toFixed(1),
        goal: '< 1000 ms',
        withinGoal: r.ms < 1000,
        note: 'snapshot to finished file; baseline: SELECT * of the same posted transactions in the same order',
      });
    }
    // A year's log of every NDC is a spreadsheet; on paper an inspector asks for one drug's year.
    const oneNdc = ndcOf(0);
    const oneBase = baseline(
      (db) =>
        db
          .prepare("SELECT * FROM inv_transactions WHERE status = 'posted' AND ndc = ? ORDER BY seq")
          .all(oneNdc).length,
    );
    const pdf = await measure({ kind: 'cs-log', format: 'pdf', params: { product: oneNdc } });
    report({
      figure: 'cs-log-one-ndc-year-pdf',
      value: +pdf.ms.toFixed(1),
      unit: 'ms median',
      rows: pdf.rows,
      bytes: pdf.bytes,
      baseline: +oneBase.ms.toFixed(2),
      baselineRows: oneBase.rows,
      ratio: +(pdf.ms / oneBase.ms).toFixed(1),
      goal: '< 1000 ms',
      withinGoal: pdf.ms < 1000,
      note: 'one NDC’s year as PDF; baseline: SELECT * of its posted transactions',
    });
  } finally {
    opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
