import { z } from 'zod';
import { ApiError } from '../../api/errors';
import type { OrderView } from '../../api/procedures/orders';
import { ORDER_VALID_DAYS, orderIds, orderIdsByNumber, orderView, type OrderReading } from '../../orders';
import type { ReportDocument, ReportFieldValue, ReportSection } from '../document';
import { defineKind, type ReportSource } from '../kind';

/*
 * The Schedule I/II order records (DEA Form 222 and CSOS) for a period or for one order, as an
 * inspector asks for them: kept apart from every other record (21 CFR 1305.17, 1305.27), each order
 * with its lines, what was received (or, as supplier, shipped) against each line and when
 * (1305.13(e), 1305.22(g)), the partial fills still open with the last day the supplier may ship
 * (60 days from execution, 1305.13(b), 1305.22(e)), and the unaccepted, cancelled and void orders
 * with their reasons (1305.15, 1305.19, 1305.25, 1305.28). Read from the orders projection filtered
 * to the report's checkpoint (every table insert-only; exceptions carry their resolution's seq).
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const paramsSchema = z
  .object({
    from: z.string().regex(DATE, 'Dates are YYYY-MM-DD.').optional(),
    to: z.string().regex(DATE, 'Dates are YYYY-MM-DD.').optional(),
    id: z.string().trim().min(1).max(20).optional(),
  })
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, {
    message: 'The date range ends before it starts.',
  });
type Params = z.infer<typeof paramsSchema>;

const FORM = { 'dea-222': 'DEA Form 222', csos: 'CSOS' } as const;
const STATUS: Record<OrderView['status'], string> = {
  open: 'Open',
  partial: 'Partially filled',
  filled: 'Filled',
  expired: 'Expired (60 days)',
  cancelled: 'Cancelled',
  voided: 'Void',
  unaccepted: 'Unaccepted',
};
const ENDING: Record<OrderView['endings'][number]['action'], string> = {
  cancelled: 'Cancelled by the purchaser',
  voided: 'Voided by the supplier',
  unaccepted: 'Unaccepted (defective) by the supplier',
};
const EXCEPTION: Record<OrderView['exceptions'][number]['kind'], string> = {
  'order-void': 'Received against a void order',
  'order-cancelled': 'Received against a cancelled order or line',
  'order-unaccepted': 'Received against an unaccepted order',
  'order-expired': 'Shipped after the 60 days',
  'over-order': 'More containers than ordered',
};

const drug = (l: OrderView['lines'][number]) =>
  [l.productName, l.strength, l.dosageForm].filter((s) => s !== null && s !== '').join(' ');

/** The orders a report covers: one by its form number, or those with anything dated in the period. */
function selectOrders(source: ReportSource, params: Params, reading: OrderReading): OrderView[] {
  if (params.id !== undefined) {
    const byNumber = orderIdsByNumber(source.db, params.id);
    const ids = byNumber.length > 0 ? byNumber : /^\d{1,6}$/.test(params.id) ? [Number(params.id)] : [];
    const orders = ids.map((id) => orderView(source.db, id, reading)).filter((o) => o !== null);
    if (orders.length === 0)
      throw new ApiError('not-found', `There is no Schedule II order ${params.id} in these records.`);
    return orders;
  }
  const inPeriod = (date: string | null) =>
    date !== null &&
    (params.from === undefined || date >= params.from) &&
    (params.to === undefined || date <= params.to);
  return orderIds(source.db, {})
    .map((id) => orderView(source.db, id, reading))
    .filter((o) => o !== null)
    .filter(
      (o) =>
        inPeriod(o.signedOn) ||
        o.lines.some((l) => l.fills.some((f) => inPeriod(f.shippedOn) || inPeriod(f.receivedOn))) ||
        o.endings.some((e) => inPeriod(e.on)),
    )
    .sort((a, b) => a.signedOn.localeCompare(b.signedOn) || a.id - b.id);
}

/** The document for the selected orders (pure: the same orders and date give the same document). */
export function dea222Document(orders: readonly OrderView[], asOf: string, params: Params): ReportDocument {
  const parameters: ReportFieldValue[] = [
    ...(params.id !== undefined ? [{ label: 'Order', value: params.id }] : []),
    ...(params.from !== undefined ? [{ label: 'From', value: params.from }] : []),
    ...(params.to !== undefined ? [{ label: 'To', value: params.to }] : []),
    { label: 'Deadlines counted to', value: asOf },
  ];
  const lines = orders.flatMap((o) => o.lines.map((l) => ({ o, l })));
  const open = lines.filter(({ l }) => l.status === 'open' || l.status === 'partial');
  const sections: ReportSection[] = [
    {
      heading: 'About these records',
      paragraphs: [
        'Schedule I and II order records, kept apart from all other records (21 CFR 1305.17 for DEA Form 222, 1305.27 for CSOS electronic orders), for two years.',
        `A partial fill's balance may be shipped within ${ORDER_VALID_DAYS} days of the date the purchaser signed the order; no order is valid after that (21 CFR 1305.13(b), 1305.22(e)). "Ship by" is that last day, counted to the supplier's shipment, not to our receipt.`,
        'A receipt against a void, cancelled, unaccepted or expired order is still recorded, as every receipt must be (21 CFR 1304.21(a)), but it does not fill the order: it is listed under exceptions until a pharmacist resolves it.',
      ],
    },
    {
      heading: 'Orders',
      sheet: 'Orders',
      table: {
        columns: [
          { header: 'Order number', type: 'text', width: 12 },
          { header: 'Form', type: 'text', width: 11 },
          { header: 'We are', type: 'text', width: 10 },
          { header: 'Date signed', type: 'date', width: 11 },
          { header: 'Ship by', type: 'date', width: 11 },
          { header: 'Lines', type: 'number', width: 6 },
          { header: 'Status', type: 'text', width: 16 },
        ],
        rows: orders.map((o) => [
          o.number,
          FORM[o.form],
          o.direction === 'inbound' ? 'Purchaser' : 'Supplier',
          o.signedOn,
          o.deadline,
          o.lines.length,
          STATUS[o.status],
        ]),
      },
      emptyText: 'No Schedule II order matches.',
    },
    {
      heading: 'Suppliers and purchasers',
      sheet: 'Parties',
      paragraphs: [
        "The supplier's name, address and DEA registration number on every receipt (21 CFR 1304.22(c), 1305.21(b)).",
      ],
      table: {
        columns: [
          { header: 'Order number', type: 'text', width: 12 },
          { header: 'Role', type: 'text', width: 10 },
          { header: 'Name', type: 'text', width: 24 },
          { header: 'DEA number', type: 'text', width: 11 },
          { header: 'Address', type: 'text', width: 40 },
        ],
        rows: orders.flatMap((o) => [
          [o.number, 'Supplier', o.supplier.name, o.supplier.deaNumber, o.supplier.address],
          [o.number, 'Purchaser', o.purchaser.name, o.purchaser.deaNumber, o.purchaser.address],
        ]),
      },
      emptyText: 'No order.',
    },
    {
      heading: 'Order lines',
      sheet: 'Lines',
      table: {
        columns: [
          { header: 'Order number', type: 'text', width: 12 },
          { header: 'Line', type: 'number', width: 5 },
          { header: 'NDC', type: 'text', width: 13 },
          { header: 'Drug', type: 'text', width: 28 },
          { header: 'Packages ordered', type: 'number', width: 9 },
          { header: 'Package size', type: 'text', width: 12 },
          { header: 'Containers filled', type: 'number', width: 11 },
          { header: 'Status', type: 'text', width: 14 },
        ],
        rows: lines.map(({ o, l }) => [
          o.number,
          l.line,
          l.ndc,
          drug(l),
          l.packages,
          `${l.packageSize} ${l.unit}`,
          l.filled,
          STATUS[l.status],
        ]),
      },
      emptyText: 'No order line.',
    },
    {
      heading: 'Received and shipped against each line',
      sheet: 'Receipts',
      paragraphs: [
        'Containers and the date each shipment was received (purchaser, 1305.13(e), 1305.22(g)) or shipped (supplier, 1305.13(b), 1305.22(d)).',
      ],
      table: {
        columns: [
          { header: 'Order number', type: 'text', width: 12 },
          { header: 'Line', type: 'number', width: 5 },
          { header: 'NDC', type: 'text', width: 13 },
          { header: 'Containers', type: 'number', width: 11 },
          { header: 'Date shipped', type: 'date', width: 11 },
          { header: 'Date received', type: 'date', width: 11 },
          { header: 'Lot', type: 'text', width: 10 },
          { header: 'Fills the order', type: 'text', width: 10 },
          { header: 'Recorded by', type: 'text', width: 16 },
        ],
        rows: lines.flatMap(({ o, l }) =>
          l.fills.map((f) => [
            o.number,
            l.line,
            l.ndc,
            f.containers,
            f.shippedOn,
            f.receivedOn ?? '',
            f.lot ?? '',
            f.counted ? 'Yes' : 'No (exception)',
            f.recordedBy,
          ]),
        ),
      },
      emptyText: 'Nothing received or shipped against these orders.',
    },
    {
      heading: 'Open orders and partial fills',
      sheet: 'Open',
      table: {
        columns: [
          { header: 'Order number', type: 'text', width: 12 },
          { header: 'Line', type: 'number', width: 5 },
          { header: 'Drug', type: 'text', width: 28 },
          { header: 'Ordered', type: 'number', width: 8 },
          { header: 'Filled', type: 'number', width: 8 },
          { header: 'Still to come', type: 'number', width: 8 },
          { header: 'Ship by', type: 'date', width: 11 },
          { header: 'Days left', type: 'number', width: 7 },
        ],
        rows: open.map(({ o, l }) => [
          o.number,
          l.line,
          drug(l),
          l.packages,
          l.filled,
          l.remaining,
          o.deadline,
          o.daysLeft,
        ]),
      },
      emptyText: 'No order is waiting for a shipment.',
    },
    {
      heading: 'Unaccepted, cancelled and void orders',
      sheet: 'Cancelled and void',
      paragraphs: [
        'An unaccepted or defective order is kept with the supplier’s statement (1305.15, 1305.25); cancellations and voids of an order or a line, with the reason (1305.19, 1305.28).',
      ],
      table: {
        columns: [
          { header: 'Order number', type: 'text', width: 12 },
          { header: 'Line', type: 'text', width: 6 },
          { header: 'What', type: 'text', width: 22 },
          { header: 'Date', type: 'date', width: 11 },
          { header: 'Reason', type: 'text', width: 34 },
          { header: 'Recorded by', type: 'text', width: 16 },
        ],
        rows: orders.flatMap((o) =>
          o.endings.map((e) => [
            o.number,
            e.line === null ? 'All' : String(e.line),
            ENDING[e.action],
            e.on,
            e.reason,
            e.recordedBy,
          ]),
        ),
      },
      emptyText: 'No order or line was cancelled, voided or left unaccepted.',
    },
    {
      heading: 'Receipts outside an order (exceptions)',
      sheet: 'Exceptions',
      table: {
        columns: [
          { header: 'No.', type: 'number', width: 5 },
          { header: 'Order number', type: 'text', width: 12 },
          { header: 'Line', type: 'number', width: 5 },
          { header: 'What happened', type: 'text', width: 26 },
          { header: 'Status', type: 'text', width: 9 },
          { header: 'Resolution', type: 'text', width: 34 },
        ],
        rows: orders.flatMap((o) =>
          [...o.exceptions]
            .sort((a, b) => a.id - b.id)
            .map((x) => [
              x.id,
              o.number,
              typeof x.detail.line === 'number' ? x.detail.line : null,
              EXCEPTION[x.kind],
              x.status === 'open' ? 'Open' : 'Resolved',
              x.resolution === null ? '' : `${x.resolution} (${x.resolvedBy ?? ''})`,
            ]),
        ),
      },
      emptyText: 'No receipt arrived outside its order.',
    },
    {
      heading: 'CSOS signatures',
      sheet: 'CSOS',
      paragraphs: [
        "Each electronic order as signed: the signer's certificate subject and the SHA-256 of the signed order as received (21 CFR 1305.21, part 1311).",
      ],
      table: {
        columns: [
          { header: 'Order number', type: 'text', width: 12 },
          { header: "Signer's certificate subject", type: 'text', width: 36 },
          { header: 'SHA-256 of the signed order', type: 'text', width: 40 },
        ],
        rows: orders
          .filter((o) => o.csos !== null)
          .map((o) => [o.number, o.csos!.signerSubject, o.csos!.signedHash]),
      },
      emptyText: 'No CSOS order.',
    },
  ];
  return {
    title: 'Schedule II order records (DEA Form 222 and CSOS)',
    subtitle:
      params.id !== undefined
        ? `Order ${params.id}`
        : params.from !== undefined || params.to !== undefined
          ? `${params.from ?? 'the first order'} to ${params.to ?? asOf}`
          : 'Every order',
    parameters,
    sections,
    empty: orders.length === 0,
    disclosedSerials: 0,
  };
}

export const dea222Kind = defineKind({
  id: 'dea-222',
  family: 'DEA',
  title: 'Schedule II order records (DEA Form 222, CSOS)',
  summary:
    'Every Schedule II order of a period or one order: its lines, what was received against each and when, open partial fills with their 60-day deadline, and unaccepted, cancelled and void orders.',
  formats: ['pdf', 'csv', 'xlsx'],
  fields: [
    { field: 'from', label: 'From', hint: 'First day of the period (YYYY-MM-DD).' },
    { field: 'to', label: 'To', hint: 'Last day of the period (YYYY-MM-DD).' },
    { field: 'id', label: 'Order number', hint: 'One order: its DEA Form 222 serial or CSOS number.' },
  ],
  params: paramsSchema,
  build(source: ReportSource, params: Params) {
    const asOf = new Date(source.time).toISOString().slice(0, 10);
    const reading: OrderReading = { covers: (seq) => source.covers(seq), today: asOf };
    return dea222Document(selectOrders(source, params, reading), asOf, params);
  },
});
