import type { FsmaReceived, FsmaRecord } from '../../model/records';
import { finding, type RuleFinding } from '../../model/findings';
import { parseDate, resolveColumns, type FsmaMapping } from './mapping';
import type { CsvRow } from './parse';

const DATE_KEYS = /(^|\.)(date|receiveDate|harvestDate|coolingDate)$/;

/**
 * FSMA KDE sheet rows -> records of one CTE, each with the row(s) it was read from as received
 * (every column, mapped or not, so the record can be given back whole). Transformation sheets carry one input lot per row
 * (columns "input.tlc", "input.product.name", "input.quantity", "input.quantityUnit"); rows with the
 * same output TLC are one transformation with several inputs.
 */
export function fsmaRecords(
  rows: readonly CsvRow[],
  mapping: FsmaMapping,
): { records: { record: FsmaRecord; line: number; received: FsmaReceived }[]; findings: RuleFinding[] } {
  const [header, ...data] = rows;
  if (header === undefined)
    return { records: [], findings: [finding('csv-mapping', 'the spreadsheet is empty', null)] };
  const { index, missing } = resolveColumns(header.fields, mapping.columns);
  if (missing.length > 0) {
    return {
      records: [],
      findings: [
        finding(
          'csv-mapping',
          `the sheet has no column named ${missing.map((m) => `"${m}"`).join(', ')}; edit the column mapping`,
          null,
          {
            position: `line ${header.line}`,
          },
        ),
      ],
    };
  }
  const findings: RuleFinding[] = [];
  const out: { record: FsmaRecord; line: number; received: FsmaReceived }[] = [];
  const transformations = new Map<string, { record: FsmaRecord; received: FsmaReceived }>();
  const columns = [...header.fields];
  data.forEach((row, i) => {
    const kdes: Record<string, string> = {};
    const inputs: Record<string, string> = {};
    for (const [key, at] of index) {
      let value = row.fields[at]?.trim() ?? '';
      if (value === '') continue;
      if (DATE_KEYS.test(key)) {
        const d = parseDate(value, mapping.dateFormat);
        if (d === undefined) {
          findings.push(
            finding('fsma-kde', `${key} "${value}" is not a ${mapping.dateFormat} date`, i, {
              position: `line ${row.line}`,
              field: key,
            }),
          );
          continue;
        }
        value = d;
      }
      if (key.startsWith('input.')) inputs[key.slice(6)] = value;
      else kdes[key] = value;
    }
    if (mapping.cte === 'transformation') {
      const tlc = kdes.tlc ?? `row-${row.line}`;
      const existing = transformations.get(tlc);
      if (existing !== undefined) {
        existing.record.inputs!.push(inputs);
        existing.received.rows.push([...row.fields]);
        return;
      }
      const record: FsmaRecord = {
        cte: 'transformation',
        kdes,
        inputs: Object.keys(inputs).length > 0 ? [inputs] : [],
      };
      const received = { columns, rows: [[...row.fields]] };
      transformations.set(tlc, { record, received });
      out.push({ record, line: row.line, received });
      return;
    }
    out.push({
      record: { cte: mapping.cte, kdes },
      line: row.line,
      received: { columns, rows: [[...row.fields]] },
    });
  });
  return { records: out, findings };
}
