import fs from 'node:fs';
import path from 'node:path';
import type { OutputOf } from '../../core/api/contract';
import type { reportsProcedures } from '../../core/api/procedures/reports';
import { REPORT_FIELDS, REPORT_FORMATS, type ReportFormat } from '../../core/reports/kind';
import { dataOption, stringOption, UsageError, type Command, type ParsedArgs } from '../command';
import { openCliCore } from '../core-for-cli';
import { personOf, PASSWORD_HINT } from '../person';

type Generated = OutputOf<(typeof reportsProcedures)['reports.generate']>;

const fieldOptions = Object.fromEntries(REPORT_FIELDS.map((f) => [f, { type: 'string' as const }]));

/**
 * `custodia report KIND … --format F --out FILE`: generates a report through the router (the same
 * permission check and reports.generated ledger entry as the page), then copies the file the core
 * wrote to exports/ to --out. Prints the file, its SHA-256 and the checkpoint it came from.
 */
export const reportCommand: Command = {
  name: 'report',
  summary: 'Generate a report (custodia report list shows the kinds), stamped with its ledger checkpoint',
  usage:
    'report KIND --data DIR --user NAME [--at SIZE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--gtin GTIN] [--lot LOT] [--serial SERIAL] [--tlc CODE] [--product TEXT] [--id ID] --format pdf|csv|xlsx|jsonld|xml|txt --out FILE [--json]   (' +
    PASSWORD_HINT +
    ')',
  options: {
    ...dataOption,
    at: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    ...fieldOptions,
  },
  positionals: [1, 1],
  // A report records who generated it, with reports.generate as the page's.
  access: { kind: 'person', permission: 'reports.generate', procedure: 'reports.generate' },
  checkArgs(args) {
    const format = stringOption(args, 'format');
    if (format === undefined || !(REPORT_FORMATS as readonly string[]).includes(format))
      throw new UsageError(`give --format, one of ${REPORT_FORMATS.join(', ')}`);
    if (stringOption(args, 'out') === undefined)
      throw new UsageError('give --out FILE: where to write the report');
    atOf(args);
  },
  async run(args, io, caller) {
    const kind = args.positionals[0]!;
    const format = stringOption(args, 'format')!;
    const out = stringOption(args, 'out')!;
    const at = atOf(args);
    const params: Record<string, string> = {};
    for (const f of REPORT_FIELDS) {
      const v = stringOption(args, f);
      if (v !== undefined) params[f] = v;
    }
    const core = openCliCore(args);
    try {
      const { principal } = personOf(caller);
      const result = await core.router.call(
        { transport: 'cli', principal, emit: () => {} },
        'reports.generate',
        { kind, format: format as ReportFormat, params, ...(at !== undefined ? { at } : {}) },
      );
      if (!result.ok) {
        if (args.values.json === true) io.out(JSON.stringify(result, null, 2));
        else io.err(`custodia report: ${result.error.message}`);
        return 1;
      }
      const value = result.value as Generated;
      const target = path.resolve(out);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(value.path, target);
      if (args.values.json === true) {
        io.out(JSON.stringify({ ...value, out: target }, null, 2));
      } else {
        io.out(`Wrote ${target}${value.empty ? ' (empty: nothing matched)' : ''}`);
        io.out(`SHA-256 ${value.sha256}`);
        io.out(
          `Checkpoint: tree size ${value.stamp.size}, root ${value.stamp.rootBase64}, signed by ${value.stamp.keyIds.join(', ')}`,
        );
        io.out(`Recorded as ledger entry ${value.generation.seq} (reports.generated)`);
      }
      return 0;
    } finally {
      await core.close();
    }
  },
};

/** --at: a checkpoint tree size. */
function atOf(args: ParsedArgs): number | undefined {
  const atText = stringOption(args, 'at');
  const at = atText === undefined ? undefined : Number(atText);
  if (at !== undefined && !(Number.isSafeInteger(at) && at > 0))
    throw new UsageError('--at is a checkpoint tree size: a whole number above 0');
  return at;
}
