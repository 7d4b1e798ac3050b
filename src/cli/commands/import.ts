import path from 'node:path';
import { importFile, type ImportResult } from '../../core/ingest/pipeline';
import { FORMATS, type IngestFormat } from '../../core/model/records';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { cliActor, describeResult, fileReport, withCliTrace } from './import-common';

/** `custodia import FILE...`: each file all-or-nothing; exit 1 when anything went to quarantine. */
export const importCommand: Command = {
  name: 'import',
  summary:
    'Import partner files (EPCIS XML/JSON, X12 856, T3 or FSMA CSV) into the ledger; rejected files go to quarantine',
  usage:
    'import FILE... [--data DIR] [--json] [--partner ID] [--mapping ID] [--format epcis-xml|epcis-json|x12-856|csv-t3|csv-fsma]',
  options: {
    ...dataOption,
    json: { type: 'boolean' },
    partner: { type: 'string' },
    mapping: { type: 'string' },
    format: { type: 'string' },
  },
  positionals: [1, 1000],
  async run(args, io) {
    const format = stringOption(args, 'format');
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format is one of ${FORMATS.join(', ')}`);
    const int = (name: string) => {
      const v = stringOption(args, name);
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v)) throw new UsageError(`--${name} is a number`);
      return Number(v);
    };
    const partnerId = int('partner');
    const mappingId = int('mapping');
    const results: ImportResult[] = await withCliTrace(args, async (ctx) => {
      const out: ImportResult[] = [];
      for (const file of args.positionals) {
        const result = await importFile(
          ctx,
          {
            source: { path: path.resolve(file) },
            name: path.basename(file),
            origin: 'cli',
            ...(partnerId !== undefined ? { partnerId } : {}),
            ...(mappingId !== undefined ? { mappingId } : {}),
            ...(format !== undefined ? { format: format as IngestFormat } : {}),
          },
          { actor: cliActor() },
        );
        out.push(result);
        if (args.values.json !== true) io.out(describeResult(result));
      }
      return out;
    });
    if (args.values.json === true) io.out(JSON.stringify(results.map(fileReport), null, 2));
    return results.some((r) => r.quarantined > 0) ? 1 : 0;
  },
};
