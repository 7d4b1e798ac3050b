import { z } from 'zod';
import { procedure } from '../contract';
import { passwordSchema } from './auth';
import { LOSS_TYPES, dateSchema, signatureSchema } from './inventory';
import { registrantSchema, scheduleSchema } from './setup';

export const countSchema = z.object({
  id: z.string(),
  ndc: z.string(),
  kind: z.enum(['cycle', 'physical']),
  counted: z.number(),
  expected: z.number(),
  variance: z.number(),
  /** Variance as a percent of the expected balance; null when nothing was expected. */
  variancePercent: z.number().nullable(),
  thresholdPercent: z.number(),
  countedAt: z.iso.datetime(),
  countedBy: z.string(),
  discrepancyId: z.string().nullable(),
});

export const discrepancySchema = z.object({
  id: z.string(),
  countId: z.string(),
  ndc: z.string(),
  schedule: scheduleSchema,
  variance: z.number(),
  status: z.enum(['open', 'explained', 'closed', 'escalated']),
  explanation: z.string().nullable(),
  signatures: z.array(signatureSchema),
  form106DraftId: z.string().nullable(),
});

export const form106DraftSchema = z.object({
  id: z.string(),
  source: z.enum(['discrepancy', 'theft-loss']),
  sourceId: z.string(),
  registrant: registrantSchema.nullable(),
  incident: z.object({
    lossType: z.enum(LOSS_TYPES),
    discoveredOn: z.string(),
    policeNotified: z.boolean(),
    policeDepartment: z.string().nullable(),
    description: z.string(),
  }),
  lines: z.array(
    z.object({
      ndc: z.string(),
      name: z.string(),
      strength: z.string(),
      dosageForm: z.string(),
      packageSize: z.number().nullable(),
      unit: z.string(),
      quantityLost: z.number(),
    }),
  ),
  /** 21 CFR 1301.76(b): written notice within one business day; Form 106 within 45 days (88 FR 40707). */
  fileBy: z.string(),
  createdAt: z.iso.datetime(),
});

/** One line of an initial or biennial inventory (21 CFR 1304.11(e)). */
export const inventoryLineInputSchema = z
  .object({
    ndc: z.string().min(1).max(20),
    /** Unopened commercial containers. */
    fullContainers: z.number().int().min(0).max(1_000_000),
    /** Each opened container's contents, and whether it was counted exactly or estimated. */
    opened: z
      .array(z.object({ quantity: z.number().min(0), measure: z.enum(['exact', 'estimated']) }).strict())
      .max(1000)
      .default([]),
    note: z.string().max(300).optional(),
  })
  .strict();

export const sealedInventorySchema = z.object({
  id: z.string(),
  kind: z.enum(['initial', 'biennial']),
  date: z.string(),
  timing: z.enum(['opening', 'close']),
  time: z.string(),
  countedBy: z.array(z.string()),
  lines: z.array(
    z.object({
      ndc: z.string(),
      name: z.string(),
      strength: z.string(),
      dosageForm: z.string(),
      schedule: scheduleSchema,
      /** The unit every quantity of the line is in (tablet, capsule, mL); absent on inventories sealed before it was kept. */
      unit: z.string().optional(),
      unitsPerContainer: z.number().nullable(),
      fullContainers: z.number(),
      opened: z.array(z.object({ quantity: z.number(), measure: z.enum(['exact', 'estimated']) })),
      total: z.number(),
      expected: z.number(),
    }),
  ),
  ledgerSeq: z.number().int(),
  signature: signatureSchema,
  /** Each counter's signature ("counted") over the same inventory. */
  counterSignatures: z.array(signatureSchema).default([]),
});

export const countsProcedures = {
  'counts.record': procedure({
    summary:
      "Record a cycle or physical count of one NDC; a variance beyond the schedule's threshold opens a discrepancy.",
    permission: 'counts.write',
    input: z
      .object({
        ndc: z.string().min(1).max(20),
        counted: z.number().min(0).max(100_000_000),
        kind: z.enum(['cycle', 'physical']),
        password: passwordSchema,
        note: z.string().max(500).optional(),
      })
      .strict(),
    output: countSchema,
  }),
  'counts.list': procedure({
    summary: 'Counts, newest first.',
    permission: 'inventory.read',
    input: z
      .object({ ndc: z.string().max(20).optional() })
      .strict()
      .optional(),
    output: z.object({ counts: z.array(countSchema) }),
  }),
  'counts.discrepancies': procedure({
    summary: 'Discrepancies and where each stands (open, explained, closed, escalated).',
    permission: 'inventory.read',
    input: z
      .object({ status: z.enum(['open', 'explained', 'closed', 'escalated']).optional() })
      .strict()
      .optional(),
    output: z.object({ discrepancies: z.array(discrepancySchema) }),
  }),
  'counts.explain': procedure({
    summary: 'Explain a discrepancy, signed with your password.',
    permission: 'counts.write',
    input: z
      .object({ discrepancyId: z.uuid(), explanation: z.string().min(5).max(2000), password: passwordSchema })
      .strict(),
    output: discrepancySchema,
  }),
  'counts.signOff': procedure({
    summary:
      'Close an explained discrepancy (pharmacist or compliance officer, not the person who explained it).',
    permission: 'inventory.approve',
    input: z.object({ discrepancyId: z.uuid(), password: passwordSchema }).strict(),
    output: discrepancySchema,
  }),
  'counts.escalate': procedure({
    summary: 'Escalate a discrepancy to a theft or significant loss: prepares the DEA Form 106 data.',
    permission: 'inventory.approve',
    input: z
      .object({
        discrepancyId: z.uuid(),
        lossType: z.enum(LOSS_TYPES),
        discoveredOn: dateSchema,
        policeNotified: z.boolean(),
        policeDepartment: z.string().max(160).optional(),
        description: z.string().min(1).max(2000),
        password: passwordSchema,
      })
      .strict(),
    output: discrepancySchema,
  }),
  'counts.form106Drafts': procedure({
    summary: 'Data for DEA Form 106 worksheets, from escalated discrepancies and recorded thefts or losses.',
    permission: 'inventory.read',
    input: z.object({}).strict().optional(),
    output: z.object({ drafts: z.array(form106DraftSchema) }),
  }),
  'counts.sealInventory': procedure({
    summary:
      'Seal an initial or biennial inventory as one signed ledger entry: exact counts for Schedule II, estimates ' +
      'allowed for opened Schedule III-V containers unless they hold more than 1,000 tablets or capsules.',
    permission: 'inventory.approve',
    input: z
      .object({
        kind: z.enum(['initial', 'biennial']),
        date: dateSchema,
        timing: z.enum(['opening', 'close']),
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
        /**
         * The people who counted, each signing with their own password; the person sealing may be
         * one of them and leave the password out (their sealing password signs for them).
         */
        countedBy: z
          .array(
            z.object({ username: z.string().min(1).max(64), password: passwordSchema.optional() }).strict(),
          )
          .min(1)
          .max(20),
        lines: z.array(inventoryLineInputSchema).max(10_000),
        password: passwordSchema,
      })
      .strict(),
    output: sealedInventorySchema,
  }),
  'counts.inventories': procedure({
    summary: 'Sealed initial and biennial inventories, newest first.',
    permission: 'inventory.read',
    input: z.object({}).strict().optional(),
    output: z.object({ inventories: z.array(sealedInventorySchema) }),
  }),
  'counts.nextDue': procedure({
    summary:
      'When the next biennial inventory is due (21 CFR 1304.11(c)), or that the initial one is missing.',
    permission: 'inventory.read',
    input: z.object({}).strict().optional(),
    output: z.object({
      state: z.enum(['initial-missing', 'ok', 'due-soon', 'overdue']),
      lastInventory: z.object({ kind: z.enum(['initial', 'biennial']), date: z.string() }).nullable(),
      dueBy: z.string().nullable(),
      daysLeft: z.number().int().nullable(),
    }),
  }),
};
