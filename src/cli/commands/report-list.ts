import { REPORT_KINDS } from '../../core/reports/registry';
import type { Command } from '../command';

/** `custodia report list`: the report kinds, their formats and parameters. No data folder needed. */
export const reportListCommand: Command = {
  name: 'report list',
  summary: 'List the report kinds, their formats and parameters',
  usage: 'report list [--json]',
  options: { json: { type: 'boolean' } },
  access: { kind: 'none' },
  run(args, io) {
    const kinds = REPORT_KINDS.map((k) => ({
      id: k.id,
      family: k.family,
      title: k.title,
      summary: k.summary,
      formats: [...k.formats],
      parameters: k.fields.map((f) => f.field),
    }));
    if (args.values.json === true) io.out(JSON.stringify({ kinds }, null, 2));
    else
      for (const k of kinds) {
        io.out(`${k.id}  ${k.title}`);
        io.out(`  ${k.summary}`);
        io.out(
          `  formats: ${k.formats.join(', ')}; parameters: ${k.parameters.map((p) => `--${p}`).join(' ')}`,
        );
      }
    return Promise.resolve(0);
  },
};
