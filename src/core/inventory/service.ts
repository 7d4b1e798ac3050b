import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../api/errors';
import type { Principal } from '../api/principal';
import type { TransactionInput, TransactionView } from '../api/procedures/inventory';
import { type AuthService, signature, subjectHash, type UserRecord } from '../auth';
import type { Attempt, WriteTx } from '../ledger/workspace';
import { parseDeaNumber } from '../identifiers';
import { requireProduct, isScheduleII } from '../products';
import { checkOrderNumber } from './order-number';
import {
  balanceMilli,
  INVENTORY_ENTRY,
  lotBalanceMilli,
  pendingOutMilli,
  transactionRow,
  transactionView,
} from './projection';
import { toMilli } from './quantity';
import { directionOf, type TransactionSubject } from './subject';

export function ruleViolation(
  rule: string,
  message: string,
  details: Record<string, unknown> = {},
): ApiError {
  return new ApiError('rule-violation', message, { rule, ...details });
}

/** Employees who may witness: anyone with a role that works with stock (auditors are outsiders). */
const EMPLOYEE_ROLES = new Set(['technician', 'pharmacist', 'compliance-officer', 'administrator']);

/**
 * Recording controlled-substance transactions. Every one is signed by its initiator (password
 * re-entered, 21 CFR 11.200); Schedule I/II wait for a second person (approvals/service.ts), the
 * rest post at once. A balance can never go negative, and nothing recorded is ever edited: a
 * correction is a new signed adjustment that names what it corrects.
 */
export class InventoryService {
  constructor(private readonly auth: AuthService) {}

  async record(principal: Principal, input: TransactionInput, password: string): Promise<TransactionView> {
    const ws = await this.auth.workspace();
    const id = input.id ?? crypto.randomUUID();
    const attempt: Attempt = {
      area: 'inventory',
      procedure: 'inventory.record',
      actor: principal.userId,
      subject: { transactionId: id, kind: input.kind, ndc: input.ndc },
    };
    const signer = await this.auth.authenticateSigner(ws, { userId: principal.userId }, password, attempt);
    const witnesses: UserRecord[] = [];
    if (input.kind === 'destruction') {
      for (const w of input.witnesses) {
        witnesses.push(await this.auth.authenticateSigner(ws, { username: w.username }, w.password, attempt));
      }
    }
    return ws.guarded(attempt, (tx) => recordTransaction(tx, { id, input, signer, witnesses }));
  }

  async correct(
    principal: Principal,
    input: { transactionId: string; correctQuantity: number; reason: string },
    password: string,
  ): Promise<TransactionView> {
    const ws = await this.auth.workspace();
    const original = transactionRow(ws.db, input.transactionId);
    if (original === undefined) {
      throw new ApiError('not-found', `There is no transaction ${input.transactionId} to correct.`);
    }
    if (original.status !== 'posted') {
      await ws.refuse(
        {
          area: 'inventory',
          procedure: 'inventory.correct',
          actor: principal.userId,
          subject: { transactionId: input.transactionId },
        },
        new ApiError(
          'conflict',
          `Transaction ${input.transactionId} is ${original.status}, not posted: ` +
            (original.status === 'pending'
              ? 'reject it and record it again instead.'
              : 'it never changed the inventory.'),
          { rule: 'correct-posted-only' },
        ),
      );
    }
    const effect = (toMilli(input.correctQuantity) - original.qty_milli) * original.direction;
    const adjustment: TransactionInput = {
      kind: 'adjustment',
      ndc: original.ndc,
      ...(original.lot !== null ? { lot: original.lot } : {}),
      quantity: Math.abs(effect) / 1000,
      date: new Date(ws.now()).toISOString().slice(0, 10),
      direction: effect > 0 ? 'in' : 'out',
      reason: input.reason,
      correctsTransactionId: input.transactionId,
    };
    if (effect === 0) {
      await ws.refuse(
        {
          area: 'inventory',
          procedure: 'inventory.correct',
          actor: principal.userId,
          subject: { transactionId: input.transactionId },
        },
        ruleViolation(
          'nothing-to-correct',
          'The corrected quantity equals the recorded one; nothing to correct.',
        ),
      );
    }
    return this.record(principal, adjustment, password);
  }
}

/** A transaction as another feature records it inside its own write: witnesses already authenticated. */
export type PostedInput = TransactionInput extends infer T
  ? T extends { kind: 'destruction' }
    ? Omit<T, 'witnesses'>
    : T
  : never;

/**
 * Records one controlled-substance transaction inside a write: checks it, signs it (initiated, and
 * witnessed by each witness) and appends its entry. Schedule I/II wait for a second person. A Form
 * 106 incident or a Form 41 destruction records each of its lines through here, naming itself in
 * `extra` (merged into the signed details), so a line follows exactly the rules of a single one.
 */
export function recordTransaction(
  tx: WriteTx,
  t: {
    id: string;
    input: PostedInput | TransactionInput;
    signer: UserRecord;
    witnesses?: readonly UserRecord[];
    extra?: Record<string, unknown>;
  },
): TransactionView {
  const witnesses = t.witnesses ?? [];
  const subject = buildSubject(tx.db, t.id, t.input, t.signer, witnesses, tx.time, t.extra ?? {});
  const hash = subjectHash(subject);
  const status = isScheduleII(subject.schedule) ? 'pending' : 'posted';
  const signatures = [
    signature(t.signer, 'initiated', hash, tx.time),
    ...witnesses.map((w) => signature(w, 'witnessed', hash, tx.time)),
  ];
  tx.record(INVENTORY_ENTRY.recorded, t.signer.userId, {
    transaction: subject,
    subjectHash: hash,
    status,
    signatures,
  });
  return transactionView(tx.db, t.id)!;
}

/** Two different employees who handle stock, as a destruction's witnesses (21 CFR 1317.95(d), 1304.21(e)). */
export function checkWitnesses(witnesses: readonly UserRecord[]): void {
  const [a, b] = witnesses;
  if (a === undefined || b === undefined || a.userId === b.userId) {
    throw ruleViolation(
      'two-witnesses',
      'Destruction needs two different employees as witnesses (21 CFR 1317.95(d), 1304.21(e)).',
    );
  }
  for (const w of witnesses) {
    if (!w.roles.some((r) => EMPLOYEE_ROLES.has(r))) {
      throw ruleViolation(
        'witness-employee',
        `${w.displayName} is not an employee who handles stock and cannot witness.`,
      );
    }
  }
}

function checkParty(
  party: { deaNumber: string; address?: string },
  role: string,
  received: 'received-from' | 'other' = 'other',
): string {
  const dea = parseDeaNumber(party.deaNumber);
  if (!dea.ok)
    throw ruleViolation('dea-number', `The ${role}'s DEA number is not valid: ${dea.error.message}.`);
  // 21 CFR 1304.22(c): each receipt records "the name, address, and registration number of the
  // person from whom the containers were received".
  if (received === 'received-from' && (party.address ?? '').trim() === '') {
    throw ruleViolation(
      'party-address',
      `Enter the ${role}'s address: a record of controlled substances received keeps the name, address and DEA number of whoever sent them (21 CFR 1304.22(c)).`,
    );
  }
  return dea.value.value;
}

function checkOrder(
  input: { order?: { kind: 'dea-222' | 'csos'; number: string; line?: number } },
  schedule: string,
  what: string,
) {
  if (input.order === undefined) {
    if (schedule === 'CI' || schedule === 'CII') {
      throw ruleViolation(
        'dea-order-required',
        `A Schedule I/II ${what} needs the DEA Form 222 serial or CSOS order number (21 CFR 1305.03).`,
      );
    }
    return undefined;
  }
  const checked = checkOrderNumber(input.order.kind, input.order.number);
  if (!checked.ok)
    throw ruleViolation(checked.error.rule, `The order number is not valid: ${checked.error.message}.`);
  return { ...input.order, number: checked.value };
}

/** Validates the input against the projections and returns the subject to sign; throws a refusal. */
function buildSubject(
  db: Database,
  id: string,
  input: PostedInput | TransactionInput,
  signer: UserRecord,
  witnesses: readonly UserRecord[],
  nowMs: number,
  extra: Record<string, unknown>,
): TransactionSubject {
  const existing = transactionRow(db, id);
  if (existing !== undefined) {
    if (existing.status === 'posted') {
      throw ruleViolation(
        'posted-entry-immutable',
        `Transaction ${id} is already posted and can never be edited. Record a correction (inventory.correct) instead.`,
        { transactionId: id },
      );
    }
    throw new ApiError(
      'conflict',
      `Transaction ${id} was already recorded (${existing.status}); it is not recorded twice.`,
      {
        rule: 'already-recorded',
        transactionId: id,
      },
    );
  }
  const product = requireProduct(db, input.ndc);
  if (product.schedule === null) {
    throw ruleViolation(
      'not-controlled',
      `${product.name} (${product.ndc}) has no DEA schedule, so it is not a controlled substance and has no perpetual inventory here.`,
    );
  }
  const schedule = product.schedule;
  const today = new Date(nowMs).toISOString().slice(0, 10);
  if (input.date > today)
    throw ruleViolation(
      'future-date',
      `The date ${input.date} is in the future; record the actual date (21 CFR 1304.21(d)).`,
    );
  const { id: _id, ndc: _ndc, lot: _lot, quantity: _q, date: _date, kind: _kind, ...rest } = input;
  const details: Record<string, unknown> = { ...rest, ...extra };
  switch (input.kind) {
    case 'receipt': {
      details.supplier = {
        ...input.supplier,
        deaNumber: checkParty(input.supplier, 'supplier', 'received-from'),
      };
      const order = checkOrder(input, schedule, 'receipt');
      if (order) details.order = order;
      if (
        product.packageSize !== null &&
        toMilli(input.containers * product.packageSize) !== toMilli(input.quantity)
      ) {
        throw ruleViolation(
          'receipt-containers',
          `${input.containers} container(s) of ${product.packageSize} ${product.unit} make ${input.containers * product.packageSize}, not ${input.quantity}.`,
        );
      }
      break;
    }
    case 'return': {
      details.supplier = { ...input.supplier, deaNumber: checkParty(input.supplier, 'supplier') };
      const order = checkOrder(input, schedule, 'return to supplier');
      if (order) details.order = order;
      break;
    }
    case 'transfer': {
      details.counterparty = {
        ...input.counterparty,
        deaNumber: checkParty(
          input.counterparty,
          'other registrant',
          input.direction === 'in' ? 'received-from' : 'other',
        ),
      };
      const order = checkOrder(input, schedule, 'transfer');
      if (order) details.order = order;
      break;
    }
    case 'destruction': {
      checkWitnesses(witnesses);
      details.witnesses = witnesses.map((w) => ({ userId: w.userId, printedName: w.displayName }));
      break;
    }
    case 'adjustment': {
      if (input.correctsTransactionId !== undefined) {
        const target = transactionRow(db, input.correctsTransactionId);
        if (target === undefined || target.status !== 'posted' || target.ndc !== product.ndc) {
          throw ruleViolation(
            'correction-target',
            'A correction must name a posted transaction of the same NDC.',
          );
        }
      }
      break;
    }
    default:
      break;
  }
  const direction = directionOf(input);
  if (direction === -1) {
    const available = balanceMilli(db, product.ndc) - pendingOutMilli(db, product.ndc);
    if (toMilli(input.quantity) > available) {
      throw ruleViolation(
        'non-negative-balance',
        `This would take ${input.quantity} ${product.unit} of ${product.name} (${product.ndc}) but only ${available / 1000} ` +
          'are on hand (after outflows waiting for approval). A balance can never go negative: record the receipt first, or count and explain the difference.',
        { ndc: product.ndc, available: available / 1000 },
      );
    }
    if (input.lot !== undefined) {
      const lot = lotBalanceMilli(db, product.ndc, input.lot);
      if (lot !== null && toMilli(input.quantity) > lot) {
        throw ruleViolation(
          'non-negative-balance',
          `Lot ${input.lot} of ${product.ndc} has only ${lot / 1000} on hand.`,
          {
            ndc: product.ndc,
            lot: input.lot,
          },
        );
      }
    }
  }
  return {
    type: 'custodia.cs-transaction/v1',
    id,
    kind: input.kind,
    ndc: product.ndc,
    lot: input.lot ?? null,
    schedule,
    quantity: input.quantity,
    direction,
    date: input.date,
    details,
    product: {
      name: product.name,
      strength: product.strength,
      dosageForm: product.dosageForm,
      packageSize: product.packageSize,
      unit: product.unit,
    },
    initiatedBy: { userId: signer.userId, printedName: signer.displayName },
    initiatedAt: new Date(nowMs).toISOString(),
  };
}
