import { workspaceFor } from '../../core/ledger/open';
import type { Workspace } from '../../core/ledger/workspace';
import { projections } from '../../core/projections';
import type { ImportResult } from '../../core/ingest/pipeline';
import type { ParsedArgs } from '../command';
import { openCliLedger } from './ledger-common';
import { cliCommand } from '../invocation';

/** Runs fn on the workspace of the ledger in --data (created there only when `create` says so). */
export async function withCliWorkspace<T>(
  args: ParsedArgs,
  fn: (ctx: Workspace) => Promise<T>,
  options: { create?: boolean } = {},
): Promise<T> {
  const opened = await openCliLedger(args, options);
  try {
    return await fn(workspaceFor(opened, projections));
  } finally {
    opened.close();
  }
}

/** The per-file line the issue asks for: {file, format, events, imported, duplicates, pending, quarantined, reasons}. */
export function fileReport(r: ImportResult) {
  return {
    file: r.file,
    format: r.format,
    status: r.status,
    events: r.events,
    imported: r.imported,
    duplicates: r.duplicates,
    pending: r.pending,
    quarantined: r.quarantined,
    reasons: r.reasons.map((f) => ({
      rule: f.rule,
      record: f.record,
      ...(f.position !== undefined ? { position: f.position } : {}),
      ...(f.field !== undefined ? { field: f.field } : {}),
      message: f.message,
    })),
    ...(r.quarantineId !== undefined ? { quarantineId: r.quarantineId } : {}),
  };
}

export function describeResult(r: ImportResult): string {
  const head =
    r.status === 'imported'
      ? `${r.file}: imported (${r.format}) — ${r.events} records, ${r.imported} new, ${r.duplicates} duplicates, ${r.pending} pending${r.resolved > 0 ? `, ${r.resolved} earlier pending resolved` : ''}`
      : r.status === 'already-imported'
        ? `${r.file}: already imported, nothing changed`
        : r.status === 'cancelled'
          ? `${r.file}: cancelled, nothing imported`
          : `${r.file}: QUARANTINED (item ${r.quarantineId}) — ${r.events} records, nothing imported; ${r.reasons.length} reason(s):`;
  const reasons = r.reasons
    .slice(0, 20)
    .map(
      (f) =>
        `  - [${f.rule}] record ${f.record ?? '(file)'}${f.position ? ` at ${f.position}` : ''}${f.field ? ` (${f.field})` : ''}: ${f.message}`,
    );
  if (r.reasons.length > 20)
    reasons.push(`  … and ${r.reasons.length - 20} more (${cliCommand()} quarantine show ${r.quarantineId})`);
  return [head, ...reasons].join('\n');
}
