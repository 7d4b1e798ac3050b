import { ApiError } from '../../api/errors';
import { parseDeaNumber } from '../../identifiers';
import {
  ARCOS_ACTIONS,
  ARCOS_ASSOCIATE_LITERALS,
  ARCOS_RECORD_WIDTH,
  ARCOS_TRANSACTION_CODES,
  ARCOS_UNIT_CODES,
  ASSOCIATE_REQUIRED_CODES,
  ORDER_FORM_CODES,
  QUANTITY_OPTIONAL_CODES,
  type ArcosField,
  type ArcosFieldKey,
  type ArcosLayout,
} from './arcos-layout';

/*
 * One ARCOS transaction record: its thirteen values, written by the layout table's positions
 * (arcos-layout.ts) and checked before any file is written. A record that fails names its
 * transaction (the ledger sequence number, which is also its Transaction Identifier) and the field,
 * and the whole file is refused: DEA's transaction edit (Handbook §7.3) would reject the record, and
 * a file with a hole in it is worse than none.
 */

/** The values of one record, unpadded, as the fields hold them (the date already in the layout's form). */
export type ArcosValues = Record<ArcosFieldKey, string>;

export interface ArcosProblem {
  readonly field: ArcosFieldKey;
  readonly fieldNo: number;
  readonly fieldName: string;
  readonly message: string;
}

/** What the validator knows beyond the values: the product's schedule (order forms for I/II). */
export interface ArcosRecordContext {
  readonly schedule?: string | null;
}

/** Writes one field's value at its width: numbers right-justified zero-filled, text left-justified. */
function fieldText(field: ArcosField, value: string): string {
  if (value === '') return field.empty.repeat(field.length);
  if (value.length > field.length) {
    throw new Error(`${field.name} "${value}" is longer than its ${field.length} positions`);
  }
  return field.kind === 'numeric' ? value.padStart(field.length, '0') : value.padEnd(field.length, ' ');
}

/** The record's 80 characters, field by field from the layout table. */
export function formatArcosRecord(layout: ArcosLayout, values: ArcosValues): string {
  const text = layout.fields.map((f) => fieldText(f, values[f.key])).join('');
  if (text.length !== ARCOS_RECORD_WIDTH) {
    throw new Error(
      `the ${layout.choice} layout writes ${text.length} characters, not ${ARCOS_RECORD_WIDTH}`,
    );
  }
  return text;
}

/** The values read back from a record by the layout's positions (trailing blanks trimmed). */
export function parseArcosRecord(layout: ArcosLayout, record: string): ArcosValues {
  const out = {} as Record<ArcosFieldKey, string>;
  for (const f of layout.fields) out[f.key] = record.slice(f.start - 1, f.start - 1 + f.length).trimEnd();
  return out;
}

const digits = (n: number) => new RegExp(`^\\d{1,${n}}$`);

function validDate(layout: ArcosLayout, text: string): boolean {
  const field = layout.fields.find((f) => f.key === 'transactionDate')!;
  if (!new RegExp(`^\\d{${field.length}}$`).test(text)) return false;
  const month = Number(text.slice(0, 2));
  const day = Number(text.slice(2, 4));
  // A six-digit year is read in the century it must be in for a record of ours (20YY).
  const year = field.length === 6 ? 2000 + Number(text.slice(4, 6)) : Number(text.slice(4, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Every problem of one record (empty when it may be written). */
export function validateArcosRecord(
  layout: ArcosLayout,
  v: ArcosValues,
  context: ArcosRecordContext = {},
): ArcosProblem[] {
  const problems: ArcosProblem[] = [];
  const fail = (key: ArcosFieldKey, message: string) => {
    const field = layout.fields.find((f) => f.key === key)!;
    problems.push({ field: key, fieldNo: field.no, fieldName: field.name, message });
  };
  const reporter = parseDeaNumber(v.reportingRegistrant);
  if (!reporter.ok)
    fail(
      'reportingRegistrant',
      `the DEA number ${v.reportingRegistrant} is not valid: ${reporter.error.message}`,
    );
  const code = v.transactionCode;
  if (!(code in ARCOS_TRANSACTION_CODES))
    fail('transactionCode', `"${code}" is not an ARCOS transaction code`);
  if (!(v.actionIndicator in ARCOS_ACTIONS))
    fail('actionIndicator', `"${v.actionIndicator}" is not an action indicator (blank, D, A or I)`);
  // 11 digits (5-4-2 without hyphens), or a bulk product: labeler and product code then "**".
  if (!/^\d{11}$/.test(v.ndc) && !/^\d{9}\*\*$/.test(v.ndc))
    fail('ndc', `"${v.ndc}" is not an 11-digit NDC, nor 9 digits and "**" for a bulk product`);
  if (v.quantity === '') {
    if (!QUANTITY_OPTIONAL_CODES.has(code))
      fail('quantity', 'the quantity is required for this transaction code');
  } else if (!digits(8).test(v.quantity) || Number(v.quantity) === 0) {
    fail(
      'quantity',
      `"${v.quantity}" is not a whole quantity of 1 to 99999999 (no decimals, Handbook §5.11.2)`,
    );
  }
  if (!(v.unit in ARCOS_UNIT_CODES)) fail('unit', `"${v.unit}" is not an ARCOS unit code (blank, D, K, 1-6)`);
  const associate = v.associateRegistrant;
  if (associate === '') {
    if (ASSOCIATE_REQUIRED_CODES.has(code))
      fail('associateRegistrant', "the trading partner's DEA number is required for this transaction code");
  } else if (!(ARCOS_ASSOCIATE_LITERALS as readonly string[]).includes(associate)) {
    const dea = parseDeaNumber(associate);
    if (!dea.ok)
      fail('associateRegistrant', `the DEA number ${associate} is not valid: ${dea.error.message}`);
  }
  const scheduleII = context.schedule === 'CI' || context.schedule === 'CII';
  if (v.orderFormNumber === '') {
    if (scheduleII && ORDER_FORM_CODES.has(code))
      fail('orderFormNumber', 'Schedule I/II needs the DEA Form 222 or CSOS order number (Appendix 1)');
  } else if (!/^[A-Z0-9]{1,9}$/.test(v.orderFormNumber)) {
    fail(
      'orderFormNumber',
      `"${v.orderFormNumber}" is not an order form number of up to 9 letters and digits`,
    );
  }
  if (!validDate(layout, v.transactionDate))
    fail('transactionDate', `"${v.transactionDate}" is not a date in the layout's form`);
  if (v.correctionNumber !== '' && !/^\d{1,8}$/.test(v.correctionNumber))
    fail('correctionNumber', `"${v.correctionNumber}" is not a correction number`);
  if (v.strength === '') {
    // A bulk raw material weighed or measured (unit 1-6) needs its strength (Appendix 1 note O; Appendix 5).
    if (v.ndc.endsWith('**') && /^[1-6]$/.test(v.unit))
      fail('strength', 'a bulk product reported by weight or volume needs its strength (Appendix 5)');
  } else if (!/^\d{4}$/.test(v.strength)) {
    fail('strength', `"${v.strength}" is not four digits`);
  }
  if (!digits(10).test(v.transactionId) || Number(v.transactionId) === 0)
    fail('transactionId', `"${v.transactionId}" is not a transaction identifier of 1 to 10 digits`);
  if (v.documentIdentifier === '') fail('documentIdentifier', 'the document identifier is required');
  // Any other value too long for its positions (one problem per field).
  for (const f of layout.fields) {
    if (v[f.key].length > f.length && !problems.some((p) => p.field === f.key))
      fail(f.key, `"${v[f.key]}" is longer than its ${f.length} positions`);
  }
  return problems;
}

/** One record to write, with the words that name it in an error. */
export interface ArcosRecordInput {
  readonly values: ArcosValues;
  /** "transaction 123 (receipt of Oxycodone HCl 5 mg, 2026-01-08)". */
  readonly label: string;
  readonly context?: ArcosRecordContext;
  /** Problems found before the values could be written (a quantity that is no whole number of packages). */
  readonly problems?: readonly ArcosProblem[];
}

/**
 * Validates every record, then writes them all; when any fails, nothing is written and the error
 * names each failing record's transaction and field (the first in the message, all in details).
 */
export function writeArcosRecords(layout: ArcosLayout, records: readonly ArcosRecordInput[]): string[] {
  const failures = records.flatMap((r) =>
    [
      ...(r.problems ?? []),
      // A field found wrong before it could be written is named once.
      ...validateArcosRecord(layout, r.values, r.context).filter(
        (p) => !r.problems?.some((q) => q.field === p.field),
      ),
    ].map((p) => ({
      transactionId: r.values.transactionId,
      record: r.label,
      field: p.field,
      fieldNo: p.fieldNo,
      fieldName: p.fieldName,
      problem: p.message,
    })),
  );
  const first = failures[0];
  if (first !== undefined) {
    throw new ApiError(
      'invalid-input',
      `The ARCOS file was not written: ${first.record}, field ${first.fieldNo} ${first.fieldName}: ${first.problem}.` +
        (failures.length > 1 ? ` ${failures.length - 1} more problem(s) are listed in the details.` : ''),
      { rule: 'arcos-record', failures },
    );
  }
  return records.map((r) => formatArcosRecord(layout, r.values));
}
