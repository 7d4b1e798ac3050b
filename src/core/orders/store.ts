import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { OrderView } from '../api/procedures/orders';
import { canonicalize } from '../ledger/jcs';
import type { Entry } from '../ledger/workspace';
import { addDays } from '../inventory';

/** The ledger entries of Schedule I/II orders; the projector below is their only reader. */
export const ORDER_ENTRY = {
  recorded: 'orders.recorded',
  filled: 'orders.filled',
  cancelled: 'orders.cancelled',
  voided: 'orders.voided',
  unaccepted: 'orders.unaccepted',
  exceptionOpened: 'orders.exception-opened',
  exceptionResolved: 'orders.exception-resolved',
} as const;

/**
 * 21 CFR 1305.13(b) (paper) and 1305.22(e) (CSOS): a partial fill's balance may be shipped "within 60
 * days following the date of the order"; no order is valid more than 60 days after its execution.
 * Counted to the supplier's shipment, not to our receipt.
 */
export const ORDER_VALID_DAYS = 60;

export type OrderException = OrderView['exceptions'][number];
export type ExceptionKind = OrderException['kind'];

export const ORDER_EXCEPTION_ADVICE: Record<ExceptionKind, string> = {
  'order-void':
    'Received against an order the supplier voided. The receipt is recorded (21 CFR 1304.21(a)); keep the drug aside and ask the supplier for a new order or a return.',
  'order-cancelled':
    'Received against an order or line we cancelled. The receipt is recorded; keep the drug aside and arrange a return or a new order with the supplier.',
  'order-unaccepted':
    'Received against an order the supplier did not accept. The receipt is recorded; keep the drug aside and ask the supplier how it was shipped.',
  'order-expired':
    'Shipped more than 60 days after the order was signed, when the order was no longer valid (1305.13(b), 1305.22(e)). The receipt is recorded; keep the drug aside and ask the supplier for a new order or a return.',
  'over-order':
    'More containers arrived than the order line asked for. The receipt is recorded; keep the extra aside and arrange a return with the supplier.',
};

/** What a recorded order holds, as the orders.recorded entry carries it. */
export interface RecordedOrder {
  readonly id: number;
  readonly direction: 'inbound' | 'outbound';
  readonly form: 'dea-222' | 'csos';
  readonly number: string;
  readonly signedOn: string;
  readonly supplier: { name: string; deaNumber: string; address: string };
  readonly purchaser: { name: string; deaNumber: string; address: string };
  readonly csos: { signerSubject: string; signedHash: string } | null;
  readonly note: string | null;
  readonly lines: readonly {
    line: number;
    ndc: string;
    productName: string;
    strength: string | null;
    dosageForm: string | null;
    packages: number;
    packageSize: number;
    unit: string;
  }[];
}

/** Applies orders.* entries to the dea_order_* tables; ignores every other type. */
export function projectOrders(db: Database, entry: Entry): void {
  const p = entry.payload;
  switch (entry.type) {
    case ORDER_ENTRY.recorded: {
      const o = p.order as RecordedOrder;
      db.prepare(
        `INSERT INTO dea_orders (id, direction, form, number, signed_on, supplier_name, supplier_dea, supplier_address,
           purchaser_name, purchaser_dea, purchaser_address, signer_subject, signed_hash, note, recorded_seq, recorded_by, recorded_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        o.id,
        o.direction,
        o.form,
        o.number,
        o.signedOn,
        o.supplier.name,
        o.supplier.deaNumber,
        o.supplier.address,
        o.purchaser.name,
        o.purchaser.deaNumber,
        o.purchaser.address,
        o.csos?.signerSubject ?? null,
        o.csos?.signedHash ?? null,
        o.note,
        entry.seq,
        entry.actor,
        entry.time,
      );
      const line = db.prepare(
        `INSERT INTO dea_order_lines (order_id, line, ndc, product_name, strength, dosage_form, packages, package_size, unit)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const l of o.lines)
        line.run(
          o.id,
          l.line,
          l.ndc,
          l.productName,
          l.strength,
          l.dosageForm,
          l.packages,
          l.packageSize,
          l.unit,
        );
      break;
    }
    case ORDER_ENTRY.filled:
      db.prepare(
        `INSERT INTO dea_order_fills (seq, order_id, line, containers, shipped_on, received_on, lot, counted, inventory_transaction, recorded_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        entry.seq,
        p.order as number,
        p.line as number,
        p.containers as number,
        p.shippedOn as string,
        (p.receivedOn as string | null) ?? null,
        (p.lot as string | null) ?? null,
        p.counted === true ? 1 : 0,
        (p.inventoryTransactionId as string | null) ?? null,
        entry.actor,
      );
      break;
    case ORDER_ENTRY.cancelled:
    case ORDER_ENTRY.voided:
    case ORDER_ENTRY.unaccepted:
      db.prepare(
        'INSERT INTO dea_order_events (seq, order_id, line, action, on_date, reason, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        entry.seq,
        p.order as number,
        (p.line as number | null) ?? null,
        entry.type.slice('orders.'.length),
        p.on as string,
        p.reason as string,
        entry.actor,
      );
      break;
    case ORDER_ENTRY.exceptionOpened:
      db.prepare(
        "INSERT INTO dea_order_exceptions (id, order_id, fill_seq, kind, detail, status, opened_seq) VALUES (?, ?, ?, ?, ?, 'open', ?)",
      ).run(
        p.exception as number,
        p.order as number,
        p.fillSeq as number,
        p.kind as string,
        // Canonical JSON: the live write and a replay from the stored leaf give the same text.
        canonicalize(p.detail ?? {}),
        entry.seq,
      );
      break;
    case ORDER_ENTRY.exceptionResolved:
      db.prepare(
        "UPDATE dea_order_exceptions SET status = 'resolved', resolved_seq = ?, resolved_by = ?, resolution = ? WHERE id = ?",
      ).run(entry.seq, entry.actor, p.resolution as string, p.exception as number);
      break;
    default:
      break;
  }
}

/**
 * How the views read: `covers` keeps rows written before a report's checkpoint (every table here
 * is insert-only but the exceptions, whose resolution carries its own seq), `today` is the date the
 * open orders' days are counted to (the clock for the API, the checkpoint's date for a report).
 */
export interface OrderReading {
  readonly covers: (seq: number) => boolean;
  readonly today: string;
}

export const LIVE = (nowMs: number): OrderReading => ({
  covers: () => true,
  today: new Date(nowMs).toISOString().slice(0, 10),
});

interface OrderRow {
  id: number;
  direction: OrderView['direction'];
  form: OrderView['form'];
  number: string;
  signed_on: string;
  supplier_name: string;
  supplier_dea: string;
  supplier_address: string;
  purchaser_name: string;
  purchaser_dea: string;
  purchaser_address: string;
  signer_subject: string | null;
  signed_hash: string | null;
  note: string | null;
  recorded_seq: number;
  recorded_by: string;
}

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/** The last day the supplier may ship against an order signed on `signedOn`. */
export function orderDeadline(signedOn: string): string {
  return addDays(signedOn, ORDER_VALID_DAYS);
}

function personName(db: Database, userId: string): string {
  const name = db.prepare('SELECT display_name FROM users WHERE user_id = ?').pluck().get(userId) as
    string | undefined;
  return name ?? userId;
}

/** One order as every reader shows it, or null when there is none (or the reading does not cover it). */
export function orderView(db: Database, id: number, reading: OrderReading): OrderView | null {
  const row = db.prepare('SELECT * FROM dea_orders WHERE id = ?').get(id) as OrderRow | undefined;
  if (row === undefined || !reading.covers(row.recorded_seq)) return null;
  const deadline = orderDeadline(row.signed_on);
  const expired = reading.today > deadline;
  const endings = (
    db.prepare('SELECT * FROM dea_order_events WHERE order_id = ? ORDER BY seq').all(id) as {
      seq: number;
      line: number | null;
      action: OrderView['endings'][number]['action'];
      on_date: string;
      reason: string;
      recorded_by: string;
    }[]
  )
    .filter((e) => reading.covers(e.seq))
    .map((e) => ({
      seq: e.seq,
      action: e.action,
      line: e.line,
      on: e.on_date,
      reason: e.reason,
      recordedBy: personName(db, e.recorded_by),
    }));
  const whole = endings.find((e) => e.line === null);
  const fills = (
    db.prepare('SELECT * FROM dea_order_fills WHERE order_id = ? ORDER BY seq').all(id) as {
      seq: number;
      line: number;
      containers: number;
      shipped_on: string;
      received_on: string | null;
      lot: string | null;
      counted: number;
      inventory_transaction: string | null;
      recorded_by: string;
    }[]
  ).filter((f) => reading.covers(f.seq));
  const lines = (
    db.prepare('SELECT * FROM dea_order_lines WHERE order_id = ? ORDER BY line').all(id) as {
      line: number;
      ndc: string;
      product_name: string;
      strength: string | null;
      dosage_form: string | null;
      packages: number;
      package_size: number;
      unit: string;
    }[]
  ).map((l) => {
    const own = fills.filter((f) => f.line === l.line);
    const filled = own.filter((f) => f.counted === 1).reduce((n, f) => n + f.containers, 0);
    const ended = whole ?? endings.find((e) => e.line === l.line);
    const status: OrderView['lines'][number]['status'] =
      filled >= l.packages
        ? 'filled'
        : ended !== undefined
          ? ended.action
          : expired
            ? 'expired'
            : filled > 0
              ? 'partial'
              : 'open';
    return {
      line: l.line,
      ndc: l.ndc,
      productName: l.product_name,
      strength: l.strength,
      dosageForm: l.dosage_form,
      packages: l.packages,
      packageSize: l.package_size,
      unit: l.unit,
      filled,
      remaining: status === 'open' || status === 'partial' ? Math.max(0, l.packages - filled) : 0,
      status,
      fills: own.map((f) => ({
        seq: f.seq,
        containers: f.containers,
        shippedOn: f.shipped_on,
        receivedOn: f.received_on,
        lot: f.lot,
        counted: f.counted === 1,
        inventoryTransactionId: f.inventory_transaction,
        recordedBy: personName(db, f.recorded_by),
      })),
    };
  });
  return {
    id: row.id,
    direction: row.direction,
    form: row.form,
    number: row.number,
    signedOn: row.signed_on,
    deadline,
    daysLeft: dayNumber(deadline) - dayNumber(reading.today),
    status: orderStatus(lines, whole?.action, expired),
    supplier: { name: row.supplier_name, deaNumber: row.supplier_dea, address: row.supplier_address },
    purchaser: { name: row.purchaser_name, deaNumber: row.purchaser_dea, address: row.purchaser_address },
    csos:
      row.signer_subject !== null && row.signed_hash !== null
        ? { signerSubject: row.signer_subject, signedHash: row.signed_hash }
        : null,
    note: row.note,
    recordedBy: personName(db, row.recorded_by),
    recordedSeq: row.recorded_seq,
    lines,
    endings,
    exceptions: orderExceptions(db, reading, { orderId: id }),
  };
}

function orderStatus(
  lines: readonly OrderView['lines'][number][],
  whole: OrderView['endings'][number]['action'] | undefined,
  expired: boolean,
): OrderView['status'] {
  if (lines.some((l) => l.status === 'open' || l.status === 'partial'))
    return lines.some((l) => l.filled > 0) ? 'partial' : 'open';
  if (whole !== undefined && lines.some((l) => l.status !== 'filled')) return whole;
  if (expired && lines.some((l) => l.status === 'expired')) return 'expired';
  // Nothing left to ship: filled as far as it goes (a line cancelled or voided is not waited for).
  if (lines.some((l) => l.status === 'filled')) return 'filled';
  const ended = lines[0]!.status;
  return ended === 'open' || ended === 'partial' ? 'open' : ended;
}

/** Order ids, newest signed first, for a period of signing dates or the ones still open. */
export function orderIds(
  db: Database,
  filter: { direction?: 'inbound' | 'outbound'; from?: string; to?: string },
): number[] {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.direction !== undefined) {
    where.push('direction = ?');
    args.push(filter.direction);
  }
  if (filter.from !== undefined) {
    where.push('signed_on >= ?');
    args.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('signed_on <= ?');
    args.push(filter.to);
  }
  return db
    .prepare(
      `SELECT id FROM dea_orders ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY signed_on DESC, id DESC`,
    )
    .pluck()
    .all(...args) as number[];
}

/** The order id of a form's number (a 222 serial or a CSOS tracking number), either direction. */
export function orderIdsByNumber(db: Database, number: string): number[] {
  return db
    .prepare('SELECT id FROM dea_orders WHERE number = ? ORDER BY id')
    .pluck()
    .all(number.trim().toUpperCase()) as number[];
}

export function orderExceptions(
  db: Database,
  reading: OrderReading,
  filter: { orderId?: number; status?: 'open' | 'resolved'; id?: number },
): OrderException[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.orderId !== undefined) {
    where.push('x.order_id = ?');
    args.push(filter.orderId);
  }
  if (filter.id !== undefined) {
    where.push('x.id = ?');
    args.push(filter.id);
  }
  const rows = db
    .prepare(
      `SELECT x.*, o.number FROM dea_order_exceptions x JOIN dea_orders o ON o.id = x.order_id
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY x.id DESC`,
    )
    .all(...args) as {
    id: number;
    order_id: number;
    number: string;
    fill_seq: number;
    kind: ExceptionKind;
    detail: string;
    opened_seq: number;
    resolved_seq: number | null;
    resolved_by: string | null;
    resolution: string | null;
  }[];
  return rows
    .filter((r) => reading.covers(r.opened_seq))
    .map((r) => {
      const resolved = r.resolved_seq !== null && reading.covers(r.resolved_seq);
      return {
        id: r.id,
        orderId: r.order_id,
        orderNumber: r.number,
        fillSeq: r.fill_seq,
        kind: r.kind,
        advice: ORDER_EXCEPTION_ADVICE[r.kind],
        detail: JSON.parse(r.detail) as Record<string, unknown>,
        status: resolved ? ('resolved' as const) : ('open' as const),
        resolution: resolved ? r.resolution : null,
        resolvedBy: resolved && r.resolved_by !== null ? personName(db, r.resolved_by) : null,
      };
    })
    .filter((x) => filter.status === undefined || x.status === filter.status);
}

export function nextOrderId(db: Database): number {
  return ((db.prepare('SELECT max(id) FROM dea_orders').pluck().get() as number | null) ?? 0) + 1;
}

export function nextExceptionId(db: Database): number {
  return ((db.prepare('SELECT max(id) FROM dea_order_exceptions').pluck().get() as number | null) ?? 0) + 1;
}

export function orderNumberTaken(db: Database, direction: string, form: string, number: string): boolean {
  return (
    db
      .prepare('SELECT 1 FROM dea_orders WHERE direction = ? AND form = ? AND number = ?')
      .get(direction, form, number) !== undefined
  );
}
