import type { DscsaTransaction, TransactionLine } from '../../model/records';
import { finding, type RuleFinding } from '../../model/findings';
import { parseDate, resolveColumns, type T3Field, type T3Mapping } from './mapping';
import type { CsvRow } from './parse';

/**
 * Lot-level T3 spreadsheet rows -> DSCSA transactions: rows with the same reference (or invoice,
 * or PO), seller and buyer form one transaction; each row is a line. Bad cells become findings that
 * name the row and the column.
 */
export function t3Transactions(
  rows: readonly CsvRow[],
  mapping: T3Mapping,
): {
  transactions: { transaction: DscsaTransaction; line: number; index: number }[];
  findings: RuleFinding[];
} {
  const findings: RuleFinding[] = [];
  const [header, ...data] = rows;
  if (header === undefined) {
    return { transactions: [], findings: [finding('csv-mapping', 'the spreadsheet is empty', null)] };
  }
  const { index, missing } = resolveColumns(header.fields, mapping.columns);
  if (missing.length > 0) {
    return {
      transactions: [],
      findings: [
        finding(
          'csv-mapping',
          `the sheet has no column named ${missing.map((m) => `"${m}"`).join(', ')}; edit the partner's column mapping or check the file`,
          null,
          { position: `line ${header.line}` },
        ),
      ],
    };
  }
  const groups = new Map<string, { transaction: DscsaTransaction; line: number; index: number }>();
  data.forEach((row, i) => {
    const cell = (f: T3Field): string | undefined => {
      const at = index.get(f);
      const v = at === undefined ? undefined : row.fields[at]?.trim();
      return v === '' ? undefined : v;
    };
    const at = `line ${row.line}`;
    const date = (f: T3Field): string | undefined => {
      const v = cell(f);
      if (v === undefined) return undefined;
      const d = parseDate(v, mapping.dateFormat);
      if (d === undefined) {
        findings.push(
          finding('csv-mapping', `${f} "${v}" is not a ${mapping.dateFormat} date`, i, {
            position: at,
            field: f,
          }),
        );
      }
      return d;
    };
    const quantityText = cell('quantity') ?? '';
    const quantity = Number(quantityText.replace(/,/g, ''));
    if (!Number.isInteger(quantity) || quantity < 0) {
      findings.push(
        finding(
          'dscsa-transaction-information',
          `quantity "${quantityText}" is not a whole number of containers (§581(26)(E))`,
          i,
          {
            position: at,
            field: 'quantity',
          },
        ),
      );
    }
    const line: TransactionLine = { quantity: Number.isInteger(quantity) && quantity >= 0 ? quantity : 0 };
    const set = <K extends keyof TransactionLine>(k: K, v: TransactionLine[K] | undefined) => {
      if (v !== undefined) line[k] = v;
    };
    set('name', cell('productName'));
    set('strength', cell('strength'));
    set('dosageForm', cell('dosageForm'));
    set('ndc', cell('ndc'));
    set('gtin', cell('gtin')?.padStart(14, '0'));
    set('containerSize', cell('containerSize'));
    set('lot', cell('lot'));
    set('expiry', date('expiry'));
    const serial = cell('serial');
    if (serial !== undefined) line.serials = [serial];
    set('sscc', cell('sscc'));
    const reference = cell('reference') ?? cell('invoice') ?? cell('po') ?? `row-${row.line}`;
    const key = [
      reference,
      cell('sellerName') ?? cell('sellerGln'),
      cell('buyerName') ?? cell('buyerGln'),
    ].join('\u0000');
    const existing = groups.get(key);
    if (existing !== undefined) {
      existing.transaction.lines.push(line);
      return;
    }
    const statementCell = cell('statement');
    const affirmed =
      statementCell !== undefined &&
      (mapping.statementColumnTrue.includes(statementCell.toLowerCase()) ||
        /581\s*\(27\)/.test(statementCell));
    const transaction: DscsaTransaction = {
      reference,
      seller: compact({ name: cell('sellerName'), gln: cell('sellerGln'), address: cell('sellerAddress') }),
      buyer: compact({ name: cell('buyerName'), gln: cell('buyerGln'), address: cell('buyerAddress') }),
      statement: {
        affirmed,
        ...(statementCell !== undefined && statementCell.length > 20 ? { text: statementCell } : {}),
      },
      lines: [line],
    };
    const shipTo = compact({ gln: cell('shipToGln'), name: cell('shipToName') });
    if (Object.keys(shipTo).length > 0) transaction.shipTo = shipTo;
    const po = cell('po');
    if (po !== undefined) transaction.po = po;
    const invoice = cell('invoice');
    if (invoice !== undefined) transaction.invoice = invoice;
    const td = date('transactionDate');
    if (td !== undefined) transaction.transactionDate = td;
    const sd = date('shipDate');
    if (sd !== undefined) transaction.shipDate = sd;
    groups.set(key, { transaction, line: row.line, index: i });
  });
  return { transactions: [...groups.values()], findings };
}

function compact<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: string;
  };
}
