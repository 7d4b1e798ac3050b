import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFile } from '../src/core/ingest/pipeline';
import { openLedger, workspaceFor } from '../src/core/ledger/open';
import { readSnapshot } from '../src/core/ledger/snapshot';
import { savePartner } from '../src/core/partners/store';
import { projections } from '../src/core/projections';
import type { ReportRequest } from '../src/core/reports/engine';
import { createMemorySecretStore } from '../src/core/secrets/memory-store';
import {
  DOCUMENT_TAIL,
  documentHead,
  events as ev,
  sgtin,
  sscc,
  withCheck,
  SAMPLE_PRODUCT,
} from '../test/support/synthetic';
import type { Report } from './report';
import { timeRead, timeReport, type BuiltReport } from './timing';

/**
 * Issue 13's figures over a ledger of N EPCIS events (default 1M; CUSTODIA_BENCH_REPORTS_EVENTS) and
 * M FSMA 204 receiving records (default 20k, 5 per traceability lot code; CUSTODIA_BENCH_REPORTS_FSMA):
 * - the DSCSA T3 of one lot (24 packages in 3 totes: its commissioning, packing and shipping events,
 *   the transaction, package identifiers opened from their seals) as PDF and as EPCIS JSON-LD;
 * - the FSMA 204 sortable spreadsheet of one traceability lot code as XLSX and CSV;
 * each from the snapshot to the finished file (median of 5), in rows/s, against a raw indexed SELECT
 * of the same rows in the same run. Goal: under 1 s each.
 */
const MAKER = withCheck('030001111111');
const SELLER = withCheck('039999999999');
const PHARMACY = withCheck('061414100000');
const PRODUCT = SAMPLE_PRODUCT;
const GROUPS_PER_LOT = 3;

/** Event i: per 10 events, 8 commissionings of one lot, 1 packing into a tote, 1 shipment of it. */
function eventXml(i: number): string {
  const group = Math.floor(i / 10);
  const time = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const k = i % 10;
  const serial = (j: number) => sgtin(PRODUCT.gtin, `R${group * 8 + j}`);
  const tote = sscc(withCheck(`0030003${String(group).padStart(10, '0')}`));
  if (k < 8)
    return ev.commission([serial(k)], {
      time,
      location: MAKER,
      lot: lotOf(group),
      expiry: '2028-12-31',
    });
  if (k === 8) return ev.pack(tote, [0, 1, 2, 3, 4, 5, 6, 7].map(serial), { time, location: MAKER });
  return ev.ship([tote], {
    time,
    seller: SELLER,
    buyer: PHARMACY,
    shipTo: PHARMACY,
    location: SELLER,
    po: `PO-${Math.floor(group / GROUPS_PER_LOT)}`,
  });
}

function lotOf(group: number): string {
  return `B${Math.floor(group / GROUPS_PER_LOT)}`;
}

function writeEpcis(file: string, count: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, documentHead({ products: [PRODUCT] }));
    let chunk: string[] = [];
    for (let i = 0; i < count; i++) {
      chunk.push(eventXml(i));
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

/** FDA's receiving template: the sample file's header and its first row, varied per row. */
function writeFsma(file: string, sample: string, rows: number): void {
  const [header, first] = sample.split(/\r?\n/) as [string, string];
  const template = first.split(',');
  const out = [header];
  for (let i = 0; i < rows; i++) {
    const row = [...template];
    row[0] = `TLC-${Math.floor(i / 5)}`;
    row[1] = String(10 + (i % 7));
    row[23] = `0${1 + (i % 9)}/1${i % 10}/2026`;
    row[33] = `ASN-${i}`;
    out.push(row.join(','));
  }
  fs.writeFileSync(file, out.join('\r\n') + '\r\n');
}

export async function run(report: Report): Promise<void> {
  const count = Number(process.env.CUSTODIA_BENCH_REPORTS_EVENTS ?? 1_000_000);
  const fsmaRows = Number(process.env.CUSTODIA_BENCH_REPORTS_FSMA ?? 20_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-bench-reports-'));
  const dataDir = path.join(dir, 'data');
  const opened = await openLedger({ dataDir, secrets: createMemorySecretStore(), createIfMissing: true });
  try {
    const ws = workspaceFor(opened, projections);
    await savePartner(ws, { name: 'Pharmacy', role: 'self', authorized: true, glns: [PHARMACY] }, 'bench');
    await savePartner(ws, { name: 'Seller', role: 'wholesaler', authorized: true, glns: [SELLER] }, 'bench');
    const epcis = path.join(dir, 'events.xml');
    writeEpcis(epcis, count);
    const started = performance.now();
    const imported = await importFile(
      ws,
      { source: { path: epcis }, name: 'events.xml', origin: 'bench' },
      { actor: 'bench' },
    );
    if (imported.status !== 'imported') throw new Error(`the generated file was ${imported.status}`);
    const importSeconds = (performance.now() - started) / 1000;
    const sample = fs.readFileSync(
      path.join(
        import.meta.dirname,
        '..',
        'test',
        'fixtures',
        'ingest',
        'fda-fsma204-sortable-spreadsheet-sample-receiving.csv',
      ),
      'utf8',
    );
    const fsma = path.join(dir, 'fsma.csv');
    writeFsma(fsma, sample, fsmaRows);
    const fsmaImported = await importFile(
      ws,
      { source: { path: fsma }, name: 'fsma.csv', origin: 'bench' },
      { actor: 'bench' },
    );
    if (fsmaImported.status !== 'imported')
      throw new Error(
        `the FSMA file was ${fsmaImported.status}: ${JSON.stringify(fsmaImported).slice(0, 600)}`,
      );
    report({
      figure: 'ledger',
      value: opened.ledger.size,
      unit: 'entries',
      events: count,
      fsmaRecords: fsmaRows,
      importSeconds: +importSeconds.toFixed(1),
      note: 'the ledger the report figures below are measured on',
    });

    const reader = opened.installation.reader();
    const read = <T>(fn: Parameters<typeof readSnapshot<T>>[2]) =>
      readSnapshot(reader, { sealer: ws.sealer, dataDir }, fn);
    const lot = lotOf(Math.floor(count / 10 / 2));
    const tlc = `TLC-${Math.floor(fsmaRows / 5 / 2)}`;

    const measure = (request: ReportRequest, rowsOf: (built: BuiltReport) => number) =>
      timeReport(read, request, rowsOf);
    const baseline = (sql: string, ...args: unknown[]) =>
      timeRead(read, (db) => db.prepare(sql).all(...args).length);

    const t3Rows = (b: BuiltReport) =>
      b.stamped.document.sections.reduce((n, s) => n + (s.table?.rows.length ?? 0), 0) +
      (b.stamped.document.epcis?.events.length ?? 0);
    const t3Base = baseline(
      `SELECT e.* FROM trace_ids t JOIN trace_event_ids x ON x.trace_id = t.id JOIN trace_events e ON e.id = x.event_id
       WHERE t.gtin = ? AND t.lot = ?`,
      PRODUCT.gtin,
      lot,
    );
    for (const format of ['pdf', 'jsonld'] as const) {
      const r = await measure({ kind: 'dscsa-t3', format, params: { gtin: PRODUCT.gtin, lot } }, t3Rows);
      report({
        figure: `t3-one-lot-${format}`,
        value: +r.ms.toFixed(1),
        unit: 'ms median',
        rowsPerSecond: Math.round(r.rows / (r.ms / 1000)),
        rows: r.rows,
        bytes: r.bytes,
        baseline: +t3Base.ms.toFixed(2),
        baselineRows: t3Base.rows,
        ratio: +(r.ms / t3Base.ms).toFixed(1),
        goal: '< 1000 ms',
        withinGoal: r.ms < 1000,
        events: count,
        note: 'snapshot to finished file; baseline: indexed SELECT of the lot’s events by GTIN + lot',
      });
    }
    const fsmaBase = baseline('SELECT * FROM fsma_records WHERE tlc = ?', tlc);
    for (const format of ['xlsx', 'csv'] as const) {
      const r = await measure({ kind: 'fsma-204', format, params: { tlc } }, (b) =>
        b.stamped.document.sections.reduce((n, s) => n + (s.table?.rows.length ?? 0), 0),
      );
      report({
        figure: `fsma-one-tlc-${format}`,
        value: +r.ms.toFixed(1),
        unit: 'ms median',
        rowsPerSecond: Math.round(r.rows / (r.ms / 1000)),
        rows: r.rows,
        bytes: r.bytes,
        baseline: +fsmaBase.ms.toFixed(2),
        baselineRows: fsmaBase.rows,
        ratio: +(r.ms / fsmaBase.ms).toFixed(1),
        goal: '< 1000 ms',
        withinGoal: r.ms < 1000,
        events: count,
        note: 'snapshot to finished file; baseline: indexed SELECT of the TLC’s fsma_records rows',
      });
    }
  } finally {
    opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
