import { z } from 'zod';
import { procedure } from '../contract';
import { dateSchema } from './inventory';

/*
 * Schedule I/II orders: DEA Form 222 (paper) and CSOS (digitally signed electronic orders),
 * 21 CFR part 1305. "inbound" orders are this registrant's purchases; "outbound" are orders another
 * registrant sent us as their supplier (a reverse distributor's 222 for a return, a transfer to
 * another pharmacy).
 */

export const ORDER_FORMS = ['dea-222', 'csos'] as const;
export const ORDER_DIRECTIONS = ['inbound', 'outbound'] as const;
export const ORDER_ENDINGS = ['cancelled', 'voided', 'unaccepted'] as const;
export const ORDER_EXCEPTION_KINDS = [
  'order-void',
  'order-cancelled',
  'order-unaccepted',
  'order-expired',
  'over-order',
] as const;
export const ORDER_STATUSES = [
  'open',
  'partial',
  'filled',
  'expired',
  'cancelled',
  'voided',
  'unaccepted',
] as const;

const partySchema = z
  .object({
    name: z.string().trim().min(1).max(160),
    /** Checked by its check digit. */
    deaNumber: z.string().trim().length(9),
    /** 21 CFR 1305.21(b)(4) and 1304.22(c): the other registrant's complete address. */
    address: z.string().trim().min(5).max(300),
  })
  .strict();

const lineInputSchema = z
  .object({
    ndc: z.string().min(1).max(20),
    /** Commercial containers ordered on this line (1305.12(b)). */
    packages: z.number().int().min(1).max(100_000),
    /** Units in one container; the product master's package size when absent. */
    packageSize: z.number().positive().max(1_000_000).optional(),
  })
  .strict();

export const orderInputSchema = z
  .object({
    direction: z.enum(ORDER_DIRECTIONS).default('inbound'),
    form: z.enum(ORDER_FORMS),
    /** The 222's serial (9 characters) or the CSOS tracking number (26X000123, 1305.21(b)(1)). */
    number: z.string().trim().min(1).max(20),
    /** The date the purchaser signed (executed) the order: the 60-day clock starts here. */
    signedOn: dateSchema,
    /** Inbound: who we order from. Outbound: absent (we are the supplier). */
    supplier: partySchema.optional(),
    /** Outbound: the registrant who ordered from us. Inbound: absent (we are the purchaser). */
    purchaser: partySchema.optional(),
    lines: z.array(lineInputSchema).min(1).max(100),
    /** CSOS: the signer's certificate subject (DN) and the SHA-256 of the signed order as received. */
    csos: z
      .object({
        signerSubject: z.string().trim().min(3).max(500),
        signedHash: z
          .string()
          .trim()
          .regex(/^[0-9a-fA-F]{64}$/, 'the SHA-256 of the signed order, 64 hexadecimal characters'),
      })
      .strict()
      .optional(),
    note: z.string().max(500).optional(),
  })
  .strict();
export type OrderInput = z.input<typeof orderInputSchema>;

const partyView = z.object({ name: z.string(), deaNumber: z.string(), address: z.string() });

const fillView = z.object({
  seq: z.number().int(),
  containers: z.number().int(),
  shippedOn: z.string(),
  receivedOn: z.string().nullable(),
  lot: z.string().nullable(),
  /** False when it arrived against a void, cancelled or expired order: recorded, not a fill of it. */
  counted: z.boolean(),
  inventoryTransactionId: z.string().nullable(),
  recordedBy: z.string(),
});

export const orderExceptionSchema = z.object({
  id: z.number().int(),
  orderId: z.number().int(),
  orderNumber: z.string(),
  fillSeq: z.number().int(),
  kind: z.enum(ORDER_EXCEPTION_KINDS),
  advice: z.string(),
  detail: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'resolved']),
  resolution: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});

export const orderViewSchema = z.object({
  id: z.number().int(),
  direction: z.enum(ORDER_DIRECTIONS),
  form: z.enum(ORDER_FORMS),
  number: z.string(),
  signedOn: z.string(),
  /** The last day a shipment may leave the supplier: 60 days after execution (1305.13(b), 1305.22(e)). */
  deadline: z.string(),
  daysLeft: z.number().int(),
  status: z.enum(ORDER_STATUSES),
  supplier: partyView,
  purchaser: partyView,
  csos: z.object({ signerSubject: z.string(), signedHash: z.string() }).nullable(),
  note: z.string().nullable(),
  recordedBy: z.string(),
  recordedSeq: z.number().int(),
  lines: z.array(
    z.object({
      line: z.number().int(),
      ndc: z.string(),
      productName: z.string(),
      strength: z.string().nullable(),
      dosageForm: z.string().nullable(),
      packages: z.number().int(),
      packageSize: z.number(),
      unit: z.string(),
      filled: z.number().int(),
      remaining: z.number().int(),
      status: z.enum(['open', 'partial', 'filled', 'expired', 'cancelled', 'voided', 'unaccepted']),
      fills: z.array(fillView),
    }),
  ),
  endings: z.array(
    z.object({
      seq: z.number().int(),
      action: z.enum(ORDER_ENDINGS),
      line: z.number().int().nullable(),
      on: z.string(),
      reason: z.string(),
      recordedBy: z.string(),
    }),
  ),
  exceptions: z.array(orderExceptionSchema),
});
export type OrderView = z.infer<typeof orderViewSchema>;

const id = z.object({ id: z.number().int().positive() }).strict();

/** Containers shipped against an order line: what both the purchaser's receipt and the supplier's shipment record. */
const fillInputSchema = z.object({
  id: z.number().int().positive(),
  line: z.number().int().min(1),
  containers: z.number().int().min(1).max(100_000),
  /** The date the supplier shipped (its packing slip or CSOS record): where the 60 days are counted to. */
  shippedOn: dateSchema,
  lot: z.string().min(1).max(20).optional(),
  /** The signed controlled-substance transaction (inventory.record) for these containers. */
  inventoryTransactionId: z.uuid().optional(),
});

export const ordersProcedures = {
  'orders.list': procedure({
    summary:
      'Schedule II orders (DEA Form 222, CSOS), newest first: open and partially filled ones with their 60-day deadline, or all of a period.',
    permission: 'inventory.read',
    input: z
      .object({
        scope: z.enum(['open', 'all']).default('open'),
        direction: z.enum(ORDER_DIRECTIONS).optional(),
        from: dateSchema.optional(),
        to: dateSchema.optional(),
      })
      .strict()
      .optional(),
    output: z.object({ orders: z.array(orderViewSchema) }),
  }),
  'orders.get': procedure({
    summary: 'One order: its lines, each shipment or receipt against them, cancellations and exceptions.',
    permission: 'inventory.read',
    input: id,
    output: orderViewSchema,
  }),
  'orders.record': procedure({
    summary:
      'Records a signed DEA Form 222 or CSOS order (ours to a supplier, or another registrant’s to us).',
    permission: 'inventory.write',
    input: orderInputSchema,
    output: orderViewSchema,
  }),
  'orders.receive': procedure({
    summary:
      'Records containers received against a line of one of our orders (1305.13(e), 1305.22(g)). A receipt against a void, cancelled or expired order is recorded and opens an exception.',
    permission: 'receiving.write',
    input: fillInputSchema.extend({ receivedOn: dateSchema }).strict(),
    output: z.object({ order: orderViewSchema, exception: orderExceptionSchema.nullable() }),
  }),
  'orders.ship': procedure({
    summary:
      'Records containers we shipped against a line of another registrant’s order to us (1305.13(b), 1305.22(d)); refused after the 60 days.',
    permission: 'inventory.write',
    input: fillInputSchema.strict(),
    output: orderViewSchema,
  }),
  'orders.end': procedure({
    summary:
      'Cancels (purchaser, 1305.19), voids (supplier, 1305.19/1305.28) or records as unaccepted (defective, 1305.15/1305.25) an order or one line, with the reason.',
    permission: 'inventory.write',
    input: z
      .object({
        id: z.number().int().positive(),
        action: z.enum(ORDER_ENDINGS),
        /** One line only; the whole order when absent (an unaccepted order is always whole). */
        line: z.number().int().min(1).optional(),
        on: dateSchema,
        reason: z.string().trim().min(5).max(1000),
      })
      .strict(),
    output: orderViewSchema,
  }),
  'orders.exceptions': procedure({
    summary: 'Receipts against void, cancelled or expired orders, for a pharmacist to resolve.',
    permission: 'inventory.read',
    input: z
      .object({ status: z.enum(['open', 'resolved']).optional() })
      .strict()
      .optional(),
    output: z.object({ exceptions: z.array(orderExceptionSchema) }),
  }),
  'orders.resolveException': procedure({
    summary: 'A pharmacist says how a receipt against a void, cancelled or expired order was resolved.',
    permission: 'inventory.approve',
    input: z
      .object({ id: z.number().int().positive(), resolution: z.string().trim().min(5).max(1000) })
      .strict(),
    output: orderExceptionSchema,
  }),
};
