import type { ReportedIssue } from '../../core/epcis/issues';
import { readValidated, whereIs } from '../../core/epcis/pipeline';
import type { Command } from '../command';
import { explainReadError, limitOptions, limitsFrom, limitUsage, openInput } from './epcis-options';

/**
 * `custodia epcis validate FILE [--tolerant] [--json]`: schema and CBV checks per event, with the
 * position of each problem (XML line, JSON pointer). Exit 0 when every event is valid, 1 otherwise.
 */
export const epcisValidateCommand: Command = {
  name: 'epcis validate',
  summary:
    'Check an EPCIS file (1.2/2.0 XML, 2.0 JSON-LD) event by event; non-zero exit when any event is invalid',
  usage: `epcis validate FILE [--tolerant] [--json] ${limitUsage}`,
  options: { tolerant: { type: 'boolean' }, json: { type: 'boolean' }, ...limitOptions },
  access: { kind: 'none' },
  positionals: [1, 1],
  async run(args, io) {
    const file = args.positionals[0]!;
    const tolerant = args.values.tolerant === true;
    const json = args.values.json === true;
    const source = openInput(file);
    let events = 0;
    let invalid = 0;
    let documentErrors = 0;
    let toleratedCount = 0;
    let errorCount = 0;
    // --json keeps at most this many issues, so a million bad events cannot exhaust memory
    const MAX_REPORTED = 10_000;
    let omitted = 0;
    const report: { index: number | null; where: string; severity: string; code: string; message: string }[] =
      [];
    const note = (index: number | null, issues: ReportedIssue[], position: Parameters<typeof whereIs>[0]) => {
      for (const i of issues) {
        const where = whereIs(i.position ?? position, i.field);
        if (i.severity === 'tolerated') toleratedCount++;
        else errorCount++;
        if (report.length < MAX_REPORTED)
          report.push({ index, where, severity: i.severity, code: i.code, message: i.message });
        else omitted++;
        if (!json) {
          const who = index === null ? 'document' : `event ${index}`;
          (i.severity === 'error' ? io.err : io.out)(
            `${i.severity === 'error' ? 'ERROR' : 'tolerated'} ${who} at ${where}: ${i.message}`,
          );
        }
      }
    };
    try {
      for await (const item of readValidated(source, { tolerant, limits: limitsFrom(args) })) {
        if (item.type === 'document') {
          documentErrors += item.issues.filter((i) => i.severity === 'error').length;
          note(null, item.issues, undefined);
        } else {
          events++;
          if (item.event === undefined) invalid++;
          note(item.index, item.issues, item.position);
        }
      }
    } catch (error) {
      explainReadError(error, file);
    }
    const ok = invalid === 0 && documentErrors === 0;
    if (json) {
      io.out(
        JSON.stringify(
          {
            file,
            valid: ok,
            events,
            invalidEvents: invalid,
            documentErrors,
            tolerant,
            issues: report,
            omittedIssues: omitted,
          },
          null,
          2,
        ),
      );
    } else {
      const tail = toleratedCount > 0 ? `; tolerated ${toleratedCount} deviation(s) from the schema` : '';
      io.out(
        `${file}: ${events} event(s), ${invalid} invalid${documentErrors > 0 ? `, ${documentErrors} document error(s)` : ''}${tail}`,
      );
      if (!ok && !tolerant && errorCount > 0) {
        io.out(
          'Some problems may be deviations real partners send (field order, unqualified query results); --tolerant accepts those and lists them.',
        );
      }
    }
    return ok ? 0 : 1;
  },
};
