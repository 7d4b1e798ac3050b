import { ApiError } from '../api/errors';
import type { orderInputSchema, OrderView } from '../api/procedures/orders';
import type { z } from 'zod';
import { parseDeaNumber } from '../identifiers';
import { checkOrderNumber, ruleViolation, transactionRow } from '../inventory';
import type { Attempt, Workspace, WriteTx } from '../ledger/workspace';
import { requireProduct } from '../products';
import { readRegistrant } from '../registrant/registrant';
import {
  LIVE,
  nextExceptionId,
  nextOrderId,
  ORDER_ENTRY,
  ORDER_VALID_DAYS,
  orderExceptions,
  orderNumberTaken,
  orderView,
  type ExceptionKind,
  type OrderException,
  type RecordedOrder,
} from './store';

type OrderInput = z.output<typeof orderInputSchema>;
type Party = { name: string; deaNumber: string; address: string };

/**
 * Numbered lines on the single-sheet DEA Form 222 (84 FR 51368, 2019); CSOS orders have no such limit.
 * Unconfirmed: 20 is the printed form's count as pharmacies describe it; neither the rule's text nor a
 * specimen of the form was in our sources. One line here changes it.
 */
const FORM_222_LINES = 20;

const attempt = (procedure: string, actor: string, subject: Attempt['subject'] = {}): Attempt => ({
  area: 'orders',
  procedure,
  actor,
  subject,
});

function checkParty(party: Party, role: string): Party {
  const dea = parseDeaNumber(party.deaNumber);
  if (!dea.ok)
    throw ruleViolation('dea-number', `The ${role}'s DEA number is not valid: ${dea.error.message}.`, {
      field: role,
    });
  return { name: party.name.trim(), deaNumber: dea.value.value, address: party.address.trim() };
}

function today(ws: { now(): number }): string {
  return new Date(ws.now()).toISOString().slice(0, 10);
}

function notInFuture(date: string, what: string, now: string): void {
  if (date > now)
    throw ruleViolation('future-date', `The ${what} ${date} is in the future; record the actual date.`);
}

function requireOrder(tx: WriteTx, id: number, nowMs: number): OrderView {
  const order = orderView(tx.db, id, LIVE(nowMs));
  if (order === null) throw new ApiError('not-found', `There is no Schedule II order ${id}.`);
  return order;
}

/** Records a signed order: ours to a supplier (inbound) or another registrant's to us (outbound). */
export async function recordOrder(ws: Workspace, input: OrderInput, actor: string): Promise<OrderView> {
  return ws.guarded(attempt('orders.record', actor, { number: input.number }), (tx) => {
    const db = tx.db;
    const registrant = readRegistrant(db);
    if (registrant === null)
      throw new ApiError('conflict', 'Set up the registrant first: an order names our DEA registration.');
    const a = registrant.address;
    const us: Party = {
      name: registrant.name,
      deaNumber: registrant.deaNumber,
      address: [a.line1, a.line2, `${a.city}, ${a.state} ${a.zip}`].filter(Boolean).join(', '),
    };
    const other = input.direction === 'inbound' ? input.supplier : input.purchaser;
    const otherRole = input.direction === 'inbound' ? 'supplier' : 'purchaser';
    if (other === undefined)
      throw new ApiError(
        'invalid-input',
        input.direction === 'inbound'
          ? 'Name the supplier (name, DEA number, address) the order is sent to.'
          : 'Name the registrant who ordered from us (name, DEA number, address).',
        { field: otherRole },
      );
    const party = checkParty(other, otherRole);
    const number = checkOrderNumber(input.form, input.number, input.signedOn);
    if (!number.ok)
      throw ruleViolation(number.error.rule, `The order number is not valid: ${number.error.message}.`, {
        field: 'number',
      });
    notInFuture(input.signedOn, 'date signed', today(ws));
    if (input.form === 'csos' && input.csos === undefined)
      throw ruleViolation(
        'csos-signature',
        "A CSOS order keeps the signer's certificate subject and the hash of the signed order (21 CFR 1305.21, 1311).",
        { field: 'csos' },
      );
    if (input.form === 'dea-222' && input.csos !== undefined)
      throw new ApiError('invalid-input', 'A paper DEA Form 222 has no digital signature to record.');
    if (input.form === 'dea-222' && input.lines.length > FORM_222_LINES)
      throw ruleViolation(
        'form-222-lines',
        `A DEA Form 222 has ${FORM_222_LINES} lines; use another form for the rest.`,
      );
    if (orderNumberTaken(db, input.direction, input.form, number.value))
      throw new ApiError(
        'conflict',
        `Order ${number.value} is already recorded; an order number is used once (1305.11, 1305.21).`,
        { rule: 'order-number-used', field: 'number' },
      );
    const lines = input.lines.map((l, i) => {
      const product = requireProduct(db, l.ndc);
      // 1305.03: a 222 orders Schedule I/II only; a CSOS order may carry III-V items too (1305.21(a)).
      if (
        product.schedule === null ||
        (input.form === 'dea-222' && !['CI', 'CII'].includes(product.schedule))
      )
        throw ruleViolation(
          'order-schedule',
          `Line ${i + 1}: ${product.name} (${product.ndc}) is ${product.schedule === null ? 'not a controlled substance' : `Schedule ${product.schedule.slice(1)}`}; a DEA Form 222 orders Schedule I and II substances.`,
          { line: i + 1 },
        );
      const packageSize = l.packageSize ?? product.packageSize;
      if (packageSize === null || packageSize === undefined)
        throw ruleViolation(
          'package-size',
          `Line ${i + 1}: give the package size of ${product.name}; the product master has none.`,
          { line: i + 1 },
        );
      return {
        line: i + 1,
        ndc: product.ndc,
        productName: product.name,
        strength: product.strength,
        dosageForm: product.dosageForm,
        packages: l.packages,
        packageSize,
        unit: product.unit,
      };
    });
    const order: RecordedOrder = {
      id: nextOrderId(db),
      direction: input.direction,
      form: input.form,
      number: number.value,
      signedOn: input.signedOn,
      supplier: input.direction === 'inbound' ? party : us,
      purchaser: input.direction === 'inbound' ? us : party,
      csos:
        input.csos !== undefined
          ? { signerSubject: input.csos.signerSubject, signedHash: input.csos.signedHash.toLowerCase() }
          : null,
      note: input.note?.trim() || null,
      lines,
    };
    tx.record(ORDER_ENTRY.recorded, actor, { order });
    return orderView(db, order.id, LIVE(tx.time))!;
  });
}

export interface FillInput {
  readonly id: number;
  readonly line: number;
  readonly containers: number;
  readonly shippedOn: string;
  readonly receivedOn?: string;
  readonly lot?: string;
  readonly inventoryTransactionId?: string;
}

/**
 * Containers shipped or received against an order line. We as supplier (outbound) may not ship on
 * a void, cancelled or expired order, nor more than ordered: refused. We as purchaser (inbound)
 * record every receipt, since the drug is on hand (21 CFR 1304.21(a)); one that the order does not
 * cover is recorded outside it and opens an exception a pharmacist resolves.
 */
export async function recordFill(
  ws: Workspace,
  direction: 'inbound' | 'outbound',
  input: FillInput,
  actor: string,
): Promise<{ order: OrderView; exception: OrderException | null }> {
  const procedure = direction === 'inbound' ? 'orders.receive' : 'orders.ship';
  return ws.guarded(attempt(procedure, actor, { order: input.id, line: input.line }), (tx) => {
    const order = requireOrder(tx, input.id, tx.time);
    if (order.direction !== direction)
      throw new ApiError(
        'conflict',
        direction === 'inbound'
          ? `Order ${order.number} was sent to us by ${order.purchaser.name}: record what we ship against it.`
          : `Order ${order.number} is ours to ${order.supplier.name}: record what we receive against it.`,
      );
    const line = order.lines.find((l) => l.line === input.line);
    if (line === undefined)
      throw new ApiError('not-found', `Order ${order.number} has no line ${input.line}.`, { field: 'line' });
    const now = today(ws);
    if (input.shippedOn < order.signedOn)
      throw ruleViolation(
        'shipped-before-signed',
        `The shipment date ${input.shippedOn} is before the order was signed (${order.signedOn}).`,
        { field: 'shippedOn' },
      );
    notInFuture(input.shippedOn, 'shipment date', now);
    if (input.receivedOn !== undefined) {
      notInFuture(input.receivedOn, 'date received', now);
      if (input.receivedOn < input.shippedOn)
        throw ruleViolation(
          'received-before-shipped',
          `The date received ${input.receivedOn} is before the shipment date ${input.shippedOn}.`,
          { field: 'receivedOn' },
        );
    }
    if (input.inventoryTransactionId !== undefined) {
      const cs = transactionRow(tx.db, input.inventoryTransactionId);
      // Into our stock on our order (a receipt, a transfer in); out of it on an order to us (a return, a transfer out).
      const way = direction === 'inbound' ? 1 : -1;
      if (cs === undefined || cs.ndc !== line.ndc || cs.direction !== way || cs.kind === 'adjustment')
        throw ruleViolation(
          'inventory-link',
          `The controlled-substance record ${input.inventoryTransactionId} is not a ${direction === 'inbound' ? 'receipt' : 'return or transfer'} of ${line.productName} (${line.ndc}).`,
        );
    }
    const problem = fillProblem(order, line, input);
    if (problem !== null && direction === 'outbound')
      throw ruleViolation(problem.rule, problem.message, { field: problem.field });
    const fill = tx.record(ORDER_ENTRY.filled, actor, {
      order: order.id,
      number: order.number,
      line: line.line,
      ndc: line.ndc,
      containers: input.containers,
      shippedOn: input.shippedOn,
      receivedOn: input.receivedOn ?? null,
      lot: input.lot ?? null,
      counted: problem === null,
      inventoryTransactionId: input.inventoryTransactionId ?? null,
    });
    let exception: OrderException | null = null;
    if (problem !== null) {
      const id = nextExceptionId(tx.db);
      tx.record(ORDER_ENTRY.exceptionOpened, actor, {
        exception: id,
        order: order.id,
        fillSeq: fill.seq,
        kind: problem.kind,
        detail: {
          number: order.number,
          line: line.line,
          ndc: line.ndc,
          product: line.productName,
          containers: input.containers,
          shippedOn: input.shippedOn,
          receivedOn: input.receivedOn ?? null,
          reason: problem.message,
        },
      });
      exception = orderExceptions(tx.db, LIVE(tx.time), { id })[0]!;
    }
    return { order: orderView(tx.db, order.id, LIVE(tx.time))!, exception };
  });
}

/** Why this shipment is not a fill the order allows, or null when it is one. */
function fillProblem(
  order: OrderView,
  line: OrderView['lines'][number],
  input: FillInput,
): { kind: ExceptionKind; rule: string; message: string; field: string } | null {
  const ending =
    order.endings.find((e) => e.line === null) ?? order.endings.find((e) => e.line === line.line);
  if (ending !== undefined) {
    const kind: ExceptionKind =
      ending.action === 'voided'
        ? 'order-void'
        : ending.action === 'cancelled'
          ? 'order-cancelled'
          : 'order-unaccepted';
    return {
      kind,
      rule: `order-${ending.action}`,
      message: `Order ${order.number}${ending.line !== null ? ` line ${ending.line}` : ''} was ${ending.action} on ${ending.on} (${ending.reason}).`,
      field: 'line',
    };
  }
  if (input.shippedOn > order.deadline)
    return {
      kind: 'order-expired',
      rule: 'partial-fill-60-days',
      message: `Order ${order.number} was signed on ${order.signedOn}; a shipment against it must leave by ${order.deadline} (${ORDER_VALID_DAYS} days, 21 CFR ${order.form === 'csos' ? '1305.22(e)' : '1305.13(b)'}), not ${input.shippedOn}.`,
      field: 'shippedOn',
    };
  if (line.filled + input.containers > line.packages)
    return {
      kind: 'over-order',
      rule: 'over-order',
      message: `Line ${line.line} ordered ${line.packages} container(s) of ${line.productName}; ${line.filled} already ${order.direction === 'inbound' ? 'received' : 'shipped'}, so ${input.containers} more is ${line.filled + input.containers - line.packages} too many.`,
      field: 'containers',
    };
  return null;
}

/** Cancels (purchaser), voids (supplier) or records as unaccepted (supplier refused) an order or a line. */
export async function endOrder(
  ws: Workspace,
  input: {
    id: number;
    action: 'cancelled' | 'voided' | 'unaccepted';
    line?: number;
    on: string;
    reason: string;
  },
  actor: string,
): Promise<OrderView> {
  return ws.guarded(attempt('orders.end', actor, { order: input.id, action: input.action }), (tx) => {
    const order = requireOrder(tx, input.id, tx.time);
    notInFuture(input.on, 'date', today(ws));
    if (input.on < order.signedOn)
      throw ruleViolation('ended-before-signed', `The date ${input.on} is before the order was signed.`, {
        field: 'on',
      });
    if (input.action === 'unaccepted' && input.line !== undefined)
      throw new ApiError(
        'invalid-input',
        'A supplier accepts or refuses the whole order (1305.15, 1305.25); cancel or void a single line instead.',
        { field: 'line' },
      );
    const whole = order.endings.find((e) => e.line === null);
    if (whole !== undefined)
      throw new ApiError('conflict', `Order ${order.number} was already ${whole.action} on ${whole.on}.`);
    if (input.line !== undefined) {
      const line = order.lines.find((l) => l.line === input.line);
      if (line === undefined)
        throw new ApiError('not-found', `Order ${order.number} has no line ${input.line}.`, {
          field: 'line',
        });
      if (line.status !== 'open' && line.status !== 'partial')
        throw new ApiError(
          'conflict',
          `Line ${line.line} of order ${order.number} is already ${line.status}.`,
        );
    }
    const type =
      input.action === 'cancelled'
        ? ORDER_ENTRY.cancelled
        : input.action === 'voided'
          ? ORDER_ENTRY.voided
          : ORDER_ENTRY.unaccepted;
    tx.record(type, actor, {
      order: order.id,
      number: order.number,
      line: input.line ?? null,
      on: input.on,
      reason: input.reason.trim(),
    });
    return orderView(tx.db, order.id, LIVE(tx.time))!;
  });
}

/** A pharmacist says how a receipt outside its order was resolved. */
export async function resolveOrderException(
  ws: Workspace,
  id: number,
  resolution: string,
  actor: string,
): Promise<OrderException> {
  return ws.guarded(attempt('orders.resolveException', actor, { exception: id }), (tx) => {
    const found = orderExceptions(tx.db, LIVE(tx.time), { id })[0];
    if (found === undefined) throw new ApiError('not-found', `There is no order exception ${id}.`);
    if (found.status !== 'open') throw new ApiError('conflict', `Order exception ${id} is already resolved.`);
    tx.record(ORDER_ENTRY.exceptionResolved, actor, { exception: id, resolution: resolution.trim() });
    return orderExceptions(tx.db, LIVE(tx.time), { id })[0]!;
  });
}
