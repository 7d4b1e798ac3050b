import fs from 'node:fs';
import path from 'node:path';
import { importFile, type ImportResult } from '../../core/ingest/pipeline';
import { FORMATS, type IngestFormat } from '../../core/model/records';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { describeResult, fileReport, withCliWorkspace } from './import-common';

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
  // The machine's owner brings files in, as a watched folder does: recorded as the operating-system user.
  access: { kind: 'machine-owner' },
  async run(args, io, caller) {
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
    // Every file is checked before the ledger is opened (or created): a typo costs nothing.
    for (const file of args.positionals) checkReadable(file);
    const results: ImportResult[] = await withCliWorkspace(
      args,
      async (ctx) => {
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
            { actor: caller.actor },
          );
          out.push(result);
          if (args.values.json !== true) io.out(describeResult(result));
        }
        return out;
      },
      { create: true },
    );
    if (args.values.json === true) io.out(JSON.stringify(results.map(fileReport), null, 2));
    return results.some((r) => r.quarantined > 0) ? 1 : 0;
  },
};

/** A file the import cannot read, named in words with what to do (never a raw ENOENT). */
function checkReadable(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `${file} does not exist: check the name and the folder (the path is relative to ${process.cwd()}).`
        : `${file} cannot be opened (${code ?? 'error'}): check that it is yours to read.`,
    );
  }
  if (stat.isDirectory())
    throw new UsageError(`${file} is a folder: name the files in it (or watch it from the Import page).`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new UsageError(`${file} is not readable by you: ask its owner, or copy it somewhere you can read.`);
  }
}
