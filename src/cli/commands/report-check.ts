import crypto from 'node:crypto';
import fs from 'node:fs';
import { listGenerations } from '../../core/reports/handlers';
import { dataOption, UsageError, type Command } from '../command';
import { openCliLedger } from './ledger-common';
import { PASSWORD_HINT } from '../person';

/**
 * `custodia report check FILE --data DIR`: which generation (reports.generated entry) this file is,
 * by its SHA-256; exit 1 when it matches none (a changed byte matches none).
 */
export const reportCheckCommand: Command = {
  name: 'report check',
  summary: 'Say which recorded report generation a file is, or that it matches none (exit 1)',
  usage: `report check FILE --data DIR --user NAME [--json]   (${PASSWORD_HINT})`,
  options: { ...dataOption, json: { type: 'boolean' } },
  positionals: [1, 1],
  // Who generated which report, from the ledger: as reports.check shows it.
  access: { kind: 'person', permission: 'ledger.read', procedure: 'reports.check' },
  async run(args, io) {
    const file = args.positionals[0]!;
    const sha256 = fileSha256(file);
    const opened = await openCliLedger(args);
    try {
      const matches = listGenerations(opened.ledger.db).filter((g) => g.sha256 === sha256);
      if (args.values.json === true) io.out(JSON.stringify({ sha256, matches }, null, 2));
      else if (matches.length === 0)
        io.out(`${file} (SHA-256 ${sha256}) matches no report generated in this ledger.`);
      else
        for (const g of matches)
          io.out(
            `${file} is the ${g.kind} report (${g.format}) generated ${g.time} by ${g.personName ?? g.person}, ledger entry ${g.seq}, from checkpoint ${g.checkpointSize} (root ${g.checkpointRoot}); parameters ${JSON.stringify(g.params)}`,
          );
      return matches.length > 0 ? 0 : 1;
    } finally {
      opened.close();
    }
  },
};

/** The SHA-256 (hex) of a file a person names: how a report file is found among the generations. */
export function fileSha256(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
