import path from 'node:path';
import { workspaceFor } from '../../core/ledger/open';
import { projections } from '../../core/projections';
import { exportBundle } from '../../core/ledger/bundle';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { cliCommand } from '../invocation';
import { openCliLedger } from './ledger-common';
import { personOf, PASSWORD_HINT } from '../person';

/** `custodia audit export`: one self-contained, versioned file an auditor verifies offline. */
export const auditExportCommand: Command = {
  name: 'audit export',
  summary: 'Write an audit bundle (records, checkpoints, proofs, keys) for offline verification',
  usage: `audit export --out FILE --user NAME [--from DATE] [--to DATE] [--data DIR]   (${PASSWORD_HINT})`,
  options: {
    ...dataOption,
    out: { type: 'string', short: 'o' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  // An audit bundle holds every record (staff names, prescription numbers): as audit.export does.
  access: { kind: 'person', permission: 'audit.export', procedure: 'audit.export' },
  checkArgs(args) {
    if (stringOption(args, 'out') === undefined) throw new UsageError('--out FILE is required');
    const fromMs = parseDate(stringOption(args, 'from'), 'start');
    const toMs = parseDate(stringOption(args, 'to'), 'end');
    if (fromMs !== undefined && toMs !== undefined && toMs < fromMs)
      throw new UsageError('--to is before --from');
  },
  async run(args, io, caller) {
    const out = stringOption(args, 'out')!;
    const fromMs = parseDate(stringOption(args, 'from'), 'start');
    const toMs = parseDate(stringOption(args, 'to'), 'end');
    const opened = await openCliLedger(args);
    try {
      const result = await exportBundle(workspaceFor(opened, projections), path.resolve(out), {
        actor: personOf(caller).actor,
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(toMs !== undefined ? { toMs } : {}),
      });
      io.out(
        `Wrote ${result.file}: records ${result.first}..${result.end - 1}, ${result.checkpoints} checkpoints.`,
      );
      if (result.alarm !== null)
        io.out(`Taken under an integrity alarm (nothing was recorded; the bundle says so): ${result.alarm}`);
      io.out(
        `Verify with: ${cliCommand(io.env)} audit verify ${result.file} --trusted-key ${opened.ledger.signingKeys().current.vkey}`,
      );
      return 0;
    } finally {
      opened.close();
    }
  },
};

/** YYYY-MM-DD (UTC; a --to date includes its whole day) or a full ISO 8601 time. */
export function parseDate(text: string | undefined, edge: 'start' | 'end'): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(ms)) throw new UsageError(`"${text}" is not a date (YYYY-MM-DD)`);
    return edge === 'start' ? ms : ms + 24 * 60 * 60 * 1000 - 1;
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new UsageError(`"${text}" is not a date (YYYY-MM-DD or ISO 8601 time)`);
  }
  return ms;
}
