import { ApiError } from '../../api/errors';
import {
  arcosStateOf,
  transactionsBefore,
  type ArcosProduct,
  type ArcosState,
  type ArcosSubmission,
  type ArcosTransactionRow,
} from '../../arcos';
import type { ReportSource } from '../kind';
import { arcosLayout, ARCOS_RECORD_WIDTH, type ArcosLayout } from './arcos-layout';
import {
  parseArcosRecord,
  writeArcosRecords,
  type ArcosProblem,
  type ArcosRecordInput,
  type ArcosValues,
} from './arcos-record';

/*
 * The ARCOS file of one period, from the ledger as of the report's checkpoint: every posted
 * transaction of a reportable product becomes one record whose Transaction Identifier is the
 * transaction's ledger sequence number, so a later correction reuses it. What was already
 * submitted (arcos.submitted entries) decides the action indicator (Handbook, Summary of Reporting
 * Changes [V]: "A" adjust, "D" delete, "I" insert late; corrections go in the regular report):
 *   - dated in the period, never submitted                         → blank (new)
 *   - submitted before, now different (a correction was posted)   → A, or D when corrected to zero
 *   - dated before the period, never submitted, and a file covering its date was submitted → I
 *   - dated before the period, its own period not yet submitted  → waits for that period's file
 * A period already marked submitted gives back exactly the file that was submitted.
 */

export type ArcosFrequency = 'quarterly' | 'monthly';

export interface ArcosPeriod {
  /** "2026-Q1" or "2026-03". */
  readonly id: string;
  readonly frequency: ArcosFrequency;
  /** First and last day, ISO. */
  readonly from: string;
  readonly to: string;
}

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad2 = (n: number) => String(n).padStart(2, '0');

export function parseArcosPeriod(text: string): ArcosPeriod | null {
  const q = /^(\d{4})-Q([1-4])$/i.exec(text.trim());
  if (q) {
    const year = Number(q[1]);
    const first = (Number(q[2]) - 1) * 3 + 1;
    return {
      id: `${year}-Q${q[2]}`,
      frequency: 'quarterly',
      from: `${year}-${pad2(first)}-01`,
      to: `${year}-${pad2(first + 2)}-${pad2(lastDay(year, first + 2))}`,
    };
  }
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    return {
      id: `${year}-${m[2]}`,
      frequency: 'monthly',
      from: `${year}-${m[2]}-01`,
      to: `${year}-${m[2]}-${pad2(lastDay(year, month))}`,
    };
  }
  return null;
}

/** ARCOS code of each kind of inventory transaction (Appendix 1 [V]); kinds not here are not reported. */
function transactionCode(kind: string, direction: number): string | null {
  switch (kind) {
    case 'receipt':
      return 'P';
    case 'transfer':
      return direction > 0 ? 'P' : 'S';
    // Returned to the supplier: a disposition to another registrant [P: the handbook's wording for it not read].
    case 'return':
      return 'S';
    case 'theft-loss':
      return 'T';
    case 'destruction':
      return 'Y';
    default:
      return null; // dispensing and adjustments: not ARCOS transactions (adjustments correct others)
  }
}

const KIND_WORDS: Record<string, string> = {
  receipt: 'receipt',
  transfer: 'transfer',
  return: 'return to supplier',
  'theft-loss': 'theft or loss',
  destruction: 'destruction',
  dispense: 'dispensing',
  adjustment: 'adjustment',
};

/** Unit codes of weights and volumes, and the next smaller unit a fraction converts to (§5.11.3.1). */
const MEASURES: Record<string, { code: string; smaller?: string }> = {
  mcg: { code: '1' },
  ug: { code: '1' },
  µg: { code: '1' },
  mg: { code: '2', smaller: '1' },
  g: { code: '3', smaller: '2' },
  gram: { code: '3', smaller: '2' },
  kg: { code: '4', smaller: '3' },
  ml: { code: '5' },
  l: { code: '6', smaller: '5' },
};

interface Subject {
  readonly details: Record<string, unknown>;
  readonly product: {
    readonly name: string;
    readonly strength: string;
    readonly unit: string;
    readonly packageSize: number | null;
  };
}

export interface ArcosLine {
  readonly transactionSeq: number;
  readonly transactionId: string;
  readonly kind: string;
  readonly drug: string;
  readonly productNdc: string;
  readonly date: string;
  readonly values: ArcosValues;
  readonly record: string;
}

export interface ArcosFile {
  readonly layout: ArcosLayout;
  readonly period: ArcosPeriod;
  readonly registrantDea: string;
  readonly documentIdentifier: string | null;
  readonly control: string;
  readonly lines: readonly ArcosLine[];
  /** Transactions dated before the period whose own period has no submitted file yet. */
  readonly waiting: readonly { seq: number; kind: string; drug: string; date: string }[];
  /** Posted transactions not reported, by kind (dispensing, adjustments, products not reportable). */
  readonly notReported: Readonly<Record<string, number>>;
  /** Present when this period was marked submitted: the file is that file. */
  readonly submitted: ArcosSubmission | null;
  /** The control record then the transaction records. */
  readonly text: readonly string[];
}

function quantityOf(
  t: ArcosTransactionRow,
  arcos: ArcosProduct,
  unit: string,
): { quantity: string; unit: string } | ArcosProblem {
  const problem = (message: string): ArcosProblem => ({
    field: 'quantity',
    fieldNo: 5,
    fieldName: 'Quantity',
    message,
  });
  const measure = MEASURES[unit.toLowerCase()];
  if (arcos.bulk && measure !== undefined) {
    if (t.qty_milli % 1000 === 0) return { quantity: String(t.qty_milli / 1000), unit: measure.code };
    if (measure.smaller === undefined)
      return problem(
        `${t.qty_milli / 1000} ${unit} has a fraction and there is no smaller ARCOS unit to report it in`,
      );
    return { quantity: String(t.qty_milli), unit: measure.smaller };
  }
  if (arcos.bulk) {
    if (t.qty_milli % 1000 !== 0)
      return problem(`${t.qty_milli / 1000} ${unit} is not a whole number of dosage units`);
    return { quantity: String(t.qty_milli / 1000), unit: '' };
  }
  const size = arcos.packageSize;
  if (size === null) return problem('the product has no package size, and ARCOS counts packages');
  const perPackage = Math.round(size * 1000);
  if (t.qty_milli % perPackage !== 0) {
    return problem(
      `${t.qty_milli / 1000} (${unit}) is not a whole number of packages of ${size}: ARCOS counts packages, and how a partial package is coded in Strength is not confirmed`,
    );
  }
  return { quantity: String(t.qty_milli / perPackage), unit: '' };
}

function partyDea(details: Record<string, unknown>): string {
  const party = (details.supplier ?? details.counterparty) as { deaNumber?: string } | undefined;
  return party?.deaNumber ?? '';
}

function isPostedAt(t: ArcosTransactionRow, source: ReportSource): boolean {
  return t.status === 'posted' && (t.decided_seq === null || source.covers(t.decided_seq));
}

/** The ARCOS state as of the report's checkpoint (a replay of arcos.* entries). */
export function arcosStateAt(source: ReportSource): ArcosState {
  return arcosStateOf(source.entries(['arcos.']));
}

export function buildArcosFile(
  source: ReportSource,
  period: ArcosPeriod,
  layout: ArcosLayout = arcosLayout(),
): ArcosFile {
  const registrant = source.registrant;
  if (registrant === null)
    throw new ApiError('not-found', 'Set up the registrant first: the ARCOS file names its DEA number.');
  const state = arcosStateAt(source);
  const frequency = state.settings?.frequency ?? 'quarterly';
  if (period.frequency !== frequency) {
    throw new ApiError(
      'invalid-input',
      frequency === 'quarterly'
        ? `ARCOS is reported quarterly here: ask for a quarter (2026-Q1). Monthly reporting needs DEA's written authorization (Handbook §2.4), then record it in the ARCOS settings.`
        : `ARCOS is reported monthly here: ask for a month (2026-03).`,
      { rule: 'arcos-frequency' },
    );
  }
  const documentIdentifier = state.settings?.documentIdentifier ?? null;
  const periodEnd = `${period.to.slice(5, 7)}${period.to.slice(8, 10)}${period.to.slice(0, 4)}`;
  const control =
    `${registrant.deaNumber.padEnd(9, ' ')}*${periodEnd}${frequency === 'quarterly' ? 'Q' : 'M'}`.padEnd(
      ARCOS_RECORD_WIDTH,
      ' ',
    );
  const submitted = state.submissions.find((s) => s.period === period.id) ?? null;

  const recorded = transactionsBefore(source.db, source.size);
  const rows = recorded.filter((t) => isPostedAt(t, source));
  // Schedule II waiting for the second person: not in the file until approved (then late, if need be).
  const awaitingApproval = recorded.filter(
    (t) =>
      !isPostedAt(t, source) &&
      t.status !== 'rejected' &&
      t.date <= period.to &&
      state.products.get(t.ndc)?.reportable === true,
  ).length;
  const subjects = new Map(rows.map((t) => [t.seq, JSON.parse(t.subject) as Subject]));
  const byId = new Map(rows.map((t) => [t.id, t]));
  if (submitted !== null) {
    // The period went to DEA: its file is the one submitted, byte for byte.
    return {
      layout,
      period,
      registrantDea: registrant.deaNumber,
      documentIdentifier,
      control: submitted.lines[0] ?? control,
      lines: submitted.records.map((r) => {
        const values = parseArcosRecord(layout, r.record);
        const t = rows.find((row) => row.seq === r.transactionSeq);
        const subject = t ? subjects.get(t.seq) : undefined;
        return {
          transactionSeq: r.transactionSeq,
          transactionId: String(r.transactionSeq),
          kind: t?.kind ?? '',
          drug: subject ? `${subject.product.name} ${subject.product.strength}`.trim() : '',
          productNdc: t?.ndc ?? '',
          date: t?.date ?? '',
          values,
          record: r.record,
        };
      }),
      waiting: [],
      notReported: {},
      submitted,
      text: submitted.lines,
    };
  }
  // Corrections: adjustments naming the transaction they correct, applied to its quantity.
  const corrected = new Map<number, number>();
  for (const t of rows) {
    const target =
      t.kind === 'adjustment'
        ? byId.get(subjects.get(t.seq)!.details.correctsTransactionId as string)
        : undefined;
    if (target === undefined) continue;
    const before = corrected.get(target.seq) ?? target.qty_milli;
    corrected.set(target.seq, before + t.direction * t.qty_milli * target.direction);
  }
  // The latest record DEA has of each transaction, and which periods DEA has a file for.
  const lastSubmitted = new Map<number, string>();
  for (const s of state.submissions) for (const r of s.records) lastSubmitted.set(r.transactionSeq, r.record);
  const coveredBySubmission = (date: string) =>
    state.submissions.some((s) => {
      const p = parseArcosPeriod(s.period);
      return p !== null && p.from <= date && date <= p.to;
    });
  const actionAt = layout.fields.find((f) => f.key === 'actionIndicator')!.start - 1;
  const withoutAction = (record: string) => `${record.slice(0, actionAt)} ${record.slice(actionAt + 1)}`;

  const inputs: (ArcosRecordInput & { line: Omit<ArcosLine, 'values' | 'record'> })[] = [];
  const waiting: ArcosFile['waiting'][number][] = [];
  const notReported: Record<string, number> = {};
  const skip = (why: string) => (notReported[why] = (notReported[why] ?? 0) + 1);
  if (awaitingApproval > 0) notReported['waiting for a second person to approve'] = awaitingApproval;
  for (const t of rows) {
    const subject = subjects.get(t.seq)!;
    const arcos = state.products.get(t.ndc);
    const code = transactionCode(t.kind, t.direction);
    if (arcos === undefined || !arcos.reportable) {
      skip('product not ARCOS-reportable');
      continue;
    }
    if (code === null) {
      skip(KIND_WORDS[t.kind] ?? t.kind);
      continue;
    }
    if (t.date > period.to) continue;
    const drug = `${subject.product.name} ${subject.product.strength}`.trim();
    const previous = lastSubmitted.get(t.seq);
    const quantity = corrected.get(t.seq) ?? t.qty_milli;
    const label = `transaction ${t.seq} (${KIND_WORDS[t.kind] ?? t.kind} of ${drug}, NDC ${t.ndc}, ${t.date})`;
    const line = {
      transactionSeq: t.seq,
      transactionId: String(t.seq),
      kind: t.kind,
      drug,
      productNdc: t.ndc,
      date: t.date,
    };
    if (previous !== undefined && quantity === 0) {
      // Corrected to nothing: delete the record DEA has.
      inputs.push({
        values: { ...parseArcosRecord(layout, previous), actionIndicator: 'D' },
        label,
        context: { schedule: t.schedule },
        line,
      });
      continue;
    }
    if (quantity === 0) {
      skip('corrected to nothing before it was reported');
      continue;
    }
    if (previous === undefined && t.date < period.from) {
      if (!coveredBySubmission(t.date)) {
        waiting.push({ seq: t.seq, kind: KIND_WORDS[t.kind] ?? t.kind, drug, date: t.date });
        continue;
      }
    }
    const q = quantityOf({ ...t, qty_milli: quantity }, arcos, subject.product.unit);
    const ndc11 = t.ndc
      .split('-')
      .map((part, i) => part.padStart([5, 4, 2][i]!, '0'))
      .join('');
    const values: ArcosValues = {
      reportingRegistrant: registrant.deaNumber,
      transactionCode: code,
      actionIndicator: previous !== undefined ? 'A' : t.date < period.from ? 'I' : '',
      ndc: arcos.bulk ? `${ndc11.slice(0, 9)}**` : ndc11,
      quantity: 'quantity' in q ? q.quantity : '',
      unit: 'quantity' in q ? q.unit : '',
      associateRegistrant: state.associates.get(t.seq) ?? partyDea(subject.details),
      orderFormNumber: (
        (subject.details.order as { number?: string } | undefined)?.number ?? ''
      ).toUpperCase(),
      transactionDate: layout.date(t.date),
      correctionNumber: '',
      strength: arcos.bulk ? (arcos.strength ?? '') : '',
      transactionId: String(t.seq),
      documentIdentifier: documentIdentifier ?? layout.defaultDocumentIdentifier?.(code) ?? '',
    };
    inputs.push({
      values,
      label,
      context: { schedule: t.schedule },
      ...('quantity' in q ? {} : { problems: [q] }),
      line,
    });
  }
  const written = writeArcosRecords(layout, inputs);
  const lines: ArcosLine[] = [];
  inputs.forEach((input, i) => {
    const record = written[i]!;
    const previous = lastSubmitted.get(input.line.transactionSeq);
    // Submitted and unchanged since: DEA has it already.
    if (
      input.values.actionIndicator === 'A' &&
      previous !== undefined &&
      withoutAction(record) === withoutAction(previous)
    )
      return;
    lines.push({ ...input.line, values: input.values, record });
  });

  return {
    layout,
    period,
    registrantDea: registrant.deaNumber,
    documentIdentifier,
    control,
    lines,
    waiting,
    notReported,
    submitted: null,
    text: [control, ...lines.map((l) => l.record)],
  };
}
