import { z } from 'zod';
import { procedure } from '../contract';
import { passwordSchema } from './auth';
import { scheduleSchema } from './setup';

/** Units of the product (tablets, capsules, mL …); at most three decimals, so 2.5 mL is fine. */
export const quantitySchema = z
  .number()
  .positive()
  .max(100_000_000)
  .refine((q) => Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6, 'at most three decimals');

/** The actual date of the event (21 CFR 1304.21(d)), not the date it was typed in. */
export const dateSchema = z.iso.date();

const partySchema = z
  .object({
    name: z.string().min(1).max(160),
    /** Checked by its check digit. */
    deaNumber: z.string().min(9).max(9),
    address: z.string().max(300).optional(),
  })
  .strict();

/**
 * The DEA order behind a Schedule I/II distribution (21 CFR 1305.03): the serial of a DEA Form 222
 * or the CSOS order's tracking number ("26X000123": 2-digit year + X + 6 characters, 1305.21(b)).
 */
export const orderRefSchema = z
  .object({
    kind: z.enum(['dea-222', 'csos']),
    number: z.string().min(1).max(20),
    line: z.number().int().min(1).max(99).optional(),
  })
  .strict();

const common = {
  /** Optional id chosen by the caller so a resubmitted form is recognised, never applied twice. */
  id: z.uuid().optional(),
  ndc: z.string().min(1).max(20),
  lot: z.string().min(1).max(20).optional(),
  quantity: quantitySchema,
  date: dateSchema,
  note: z.string().max(500).optional(),
};

export const LOSS_TYPES = [
  'break-in-burglary',
  'customer-theft',
  'disaster',
  'employee-theft',
  'hijacking-of-transport',
  'loss-in-transit',
  'packaging-discrepancy',
  'robbery',
  'other',
] as const;

export const transactionInputSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('receipt'),
      ...common,
      supplier: partySchema,
      /** Commercial containers received on this line (21 CFR 1305.13 / 1305.22). */
      containers: z.number().int().min(1).max(100_000),
      order: orderRefSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('dispense'),
      ...common,
      /** The prescription number only: no patient data is stored (the PHI boundary). */
      prescriptionNumber: z.string().regex(/^[A-Za-z0-9-]{1,30}$/, 'letters, digits and "-" only'),
    })
    .strict(),
  z
    .object({ kind: z.literal('return'), ...common, supplier: partySchema, order: orderRefSchema.optional() })
    .strict(),
  z
    .object({
      kind: z.literal('transfer'),
      ...common,
      direction: z.enum(['in', 'out']),
      counterparty: partySchema,
      order: orderRefSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('destruction'),
      ...common,
      method: z.string().min(1).max(200),
      location: z.string().max(200).optional(),
      /** Two employees who witness it (21 CFR 1317.95(d)), each re-entering their own password here. */
      witnesses: z
        .array(z.object({ username: z.string().min(1).max(64), password: passwordSchema }).strict())
        .length(2),
    })
    .strict(),
  z
    .object({
      kind: z.literal('theft-loss'),
      ...common,
      lossType: z.enum(LOSS_TYPES),
      discoveredOn: dateSchema,
      policeNotified: z.boolean(),
      policeDepartment: z.string().max(160).optional(),
      description: z.string().min(1).max(2000),
    })
    .strict(),
  z
    .object({
      kind: z.literal('adjustment'),
      ...common,
      direction: z.enum(['in', 'out']),
      reason: z.string().min(5).max(1000),
      correctsTransactionId: z.uuid().optional(),
    })
    .strict(),
]);
export type TransactionInput = z.infer<typeof transactionInputSchema>;
export const TRANSACTION_KINDS = [
  'receipt',
  'dispense',
  'return',
  'transfer',
  'destruction',
  'theft-loss',
  'adjustment',
] as const;

export const SIGNATURE_MEANINGS = [
  'initiated',
  'approved',
  'witnessed',
  'rejected',
  'explained',
  'signed-off',
  'counted',
  'escalated',
  'sealed',
  'submitted',
] as const;

/** A 21 CFR Part 11 style electronic signature: who (printed name), when, what it means, over what. */
export const signatureSchema = z.object({
  userId: z.string(),
  printedName: z.string(),
  meaning: z.enum(SIGNATURE_MEANINGS),
  signedAt: z.iso.datetime(),
  /** SHA-256 (hex) of the RFC 8785 canonical bytes of exactly what was signed. */
  subjectHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Signature = z.infer<typeof signatureSchema>;

export const transactionSchema = z.object({
  id: z.string(),
  kind: z.enum(TRANSACTION_KINDS),
  ndc: z.string(),
  lot: z.string().nullable(),
  schedule: scheduleSchema,
  quantity: z.number(),
  /** +1 adds to the balance, -1 takes from it. */
  direction: z.union([z.literal(1), z.literal(-1)]),
  status: z.enum(['pending', 'posted', 'rejected']),
  date: z.string(),
  /** Everything recorded about the transaction, as initiated (what approvers sign). */
  details: z.record(z.string(), z.unknown()),
  subjectHash: z.string(),
  signatures: z.array(signatureSchema),
  rejectionReason: z.string().nullable(),
  ledgerSeq: z.number().int(),
});
export type TransactionView = z.infer<typeof transactionSchema>;

export const balanceSchema = z.object({
  ndc: z.string(),
  name: z.string(),
  strength: z.string(),
  dosageForm: z.string(),
  unit: z.string(),
  packageSize: z.number().nullable(),
  schedule: scheduleSchema,
  onHand: z.number(),
  /** Outflows waiting for a second person (not yet taken from onHand). */
  pendingOut: z.number(),
  /** Net quantity per lot, where transactions named a lot. */
  lots: z.array(z.object({ lot: z.string(), quantity: z.number() })),
  lastCount: z
    .object({ countedAt: z.iso.datetime(), counted: z.number(), expected: z.number(), variance: z.number() })
    .nullable(),
});

export const inventoryProcedures = {
  'inventory.balances': procedure({
    summary: 'Perpetual inventory per NDC (and lot where known) for Schedules II-V, with the last count.',
    permission: 'inventory.read',
    input: z
      .object({ ndc: z.string().max(20).optional(), schedule: scheduleSchema.optional() })
      .strict()
      .optional(),
    output: z.object({ balances: z.array(balanceSchema) }),
  }),
  'inventory.transactions': procedure({
    summary: 'Controlled-substance transactions, newest first, with their signatures.',
    permission: 'inventory.read',
    input: z
      .object({
        ndc: z.string().max(20).optional(),
        status: z.enum(['pending', 'posted', 'rejected']).optional(),
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict()
      .optional(),
    output: z.object({ transactions: z.array(transactionSchema), total: z.number().int() }),
  }),
  'inventory.record': procedure({
    summary:
      'Record a controlled-substance transaction, signed with your password (meaning "initiated"). Schedule II ' +
      'waits for a second person; others post at once. A balance never goes negative.',
    permission: 'inventory.write',
    input: z.object({ transaction: transactionInputSchema, password: passwordSchema }).strict(),
    output: transactionSchema,
  }),
  'inventory.correct': procedure({
    summary:
      'Correct a posted transaction by a new signed adjustment (the original is never edited): give the ' +
      'quantity it should have had and why.',
    permission: 'inventory.write',
    input: z
      .object({
        transactionId: z.uuid(),
        correctQuantity: z.number().min(0).max(100_000_000),
        reason: z.string().min(5).max(1000),
        password: passwordSchema,
      })
      .strict(),
    output: transactionSchema,
  }),
  'inventory.verifyProjections': procedure({
    summary:
      'Rebuild inventory, approvals and counts from the ledger and compare with the live tables; a difference is ' +
      'an integrity alarm.',
    permission: 'ledger.verify',
    input: z.object({}).strict().optional(),
    output: z.object({ ok: z.boolean(), entries: z.number().int(), differences: z.array(z.string()) }),
  }),
};
