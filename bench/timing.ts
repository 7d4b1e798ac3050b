import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Snapshot } from '../src/core/ledger/snapshot';
import { buildReport, renderReport, type ReportRequest } from '../src/core/reports/engine';

/*
 * How the report benches time their figures (not a suite: it has no run()). A report is timed
 * from the snapshot to the finished file; its baseline is a plain read of the same rows.
 */

export type ReadSnapshot = <T>(fn: (snapshot: Snapshot) => T) => T;
export type BuiltReport = ReturnType<typeof buildReport>;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Rows of every table of a report's document. */
export function tableRows(built: BuiltReport): number {
  return built.stamped.document.sections.reduce((n, s) => n + (s.table?.rows.length ?? 0), 0);
}

/** A report from the snapshot to the finished file: the median of `repeat` runs. */
export async function timeReport(
  read: ReadSnapshot,
  request: ReportRequest,
  rowsOf: (built: BuiltReport) => number = tableRows,
  repeat = 5,
): Promise<{ ms: number; rows: number; bytes: number }> {
  const times: number[] = [];
  let rows = 0;
  let bytes = 0;
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    const built = read((s) => buildReport(s, request));
    const file = await renderReport(built, request.format);
    times.push(performance.now() - started);
    rows = rowsOf(built);
    bytes = file.length;
  }
  return { ms: median(times), rows, bytes };
}

/** A plain read in the same snapshot reader, returning its row count: the median of 5 runs. */
export function timeRead(read: ReadSnapshot, fn: (db: Database) => number): { ms: number; rows: number } {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    rows = read((s) => fn(s.db));
    times.push(performance.now() - started);
  }
  return { ms: median(times), rows };
}
