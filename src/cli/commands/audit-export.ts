import path from 'node:path';
import { workspaceFor } from '../../core/ledger/open';
import { projections } from '../../core/projections';
import { exportBundle } from '../../core/ledger/bundle';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { cliCommand } from '../invocation';
import { openCliLedger } from './ledger-common';

/** `custodia audit export`: one self-contained, versioned file an auditor verifies offline. */
export const auditExportCommand: Command = {
  name: 'audit export',
  summary: 'Write an audit bundle (records, checkpoints, proofs, keys) for offline verification',
  usage: 'audit export --out FILE [--from DATE] [--to DATE] [--data DIR]',
  options: {
    ...dataOption,
    out: { type: 'string', short: 'o' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  async run(args, io) {
    const out = stringOption(args, 'out');
    if (out === undefined) throw new UsageError('--out FILE is required');
    const fromMs = parseDate(stringOption(args, 'from'), 'start');
    const toMs = parseDate(stringOption(args, 'to'), 'end');
    if (fromMs !== undefined && toMs !== undefined && toMs < fromMs)
      throw new UsageError('--to is before --from');
    const opened = await openCliLedger(args);
    try {
      const result = await exportBundle(workspaceFor(opened, projections), path.resolve(out), {
        actor: 'cli',
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(toMs !== undefined ? { toMs } : {}),
      });
      io.out(
        `Wrote ${result.file}: records ${result.first}..${result.end - 1}, ${result.checkpoints} checkpoints.`,
      );
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
