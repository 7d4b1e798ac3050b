import { z } from 'zod';
import { procedure } from '../contract';
import { passwordSchema } from './auth';
import { LOSS_TYPES, dateSchema, quantitySchema, signatureSchema } from './inventory';
import { scheduleSchema } from './setup';

/*
 * "Other disposal" of controlled substances (21 CFR 1304.22(c) with (a)(2)(iv)): a theft or
 * significant loss reported on DEA Form 106 (21 CFR 1301.76(b), 1301.74(c)), and a destruction
 * recorded on DEA Form 41 (21 CFR 1304.21(e), 1317.95(d)). Each groups several NDCs; each line
 * also leaves the perpetual inventory as an inventory transaction, with the same dual control.
 */

const lineText = z.string().trim().min(1);
const phoneSchema = z.string().trim().min(7).max(40);

/** What Form 106 asks of a lost-in-transit incident (Pharmacist's Manual, Appendix I, block 14). */
const inTransitSchema = z
  .object({
    carrier: lineText.max(160),
    consignee: lineText.max(160),
    /** The supplier who shipped it and its DEA number (blocks 14b, 14c). */
    supplierName: z.string().trim().max(160).optional(),
    supplierDeaNumber: z.string().trim().length(9).optional(),
    /** Earlier losses with this carrier (block 14f). */
    priorLossesWithCarrier: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

export const incidentLineInputSchema = z
  .object({
    ndc: z.string().min(1).max(20),
    lot: z.string().min(1).max(20).optional(),
    /** In the product's unit (tablets, capsules, mL). */
    quantity: quantitySchema,
  })
  .strict();

export const reportIncidentInputSchema = z
  .object({
    id: z.uuid().optional(),
    lossType: z.enum(LOSS_TYPES),
    discoveredOn: dateSchema,
    /** When it happened, where known; a pilferage over time gives its first and last day (block 17). */
    lossFrom: dateSchema.optional(),
    lossTo: dateSchema.optional(),
    description: lineText.max(2000),
    policeNotified: z.boolean(),
    policeDepartment: z.string().trim().max(160).optional(),
    policePhone: phoneSchema.optional(),
    policeReportNumber: z.string().trim().max(60).optional(),
    /** What the registrant paid for what was taken, in US dollars (block 12: not the retail value). */
    purchaseValue: z.number().min(0).max(100_000_000),
    inTransit: inTransitSchema.optional(),
    /** Serials of DEA Forms 222 taken with the drugs. */
    stolenOrderForms: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9]{1,20}$/),
      )
      .max(50)
      .default([]),
    securityMeasures: lineText.max(2000),
    /** Thefts or losses in the past 24 months, not counting this one (block 9). */
    priorIncidents24Months: z.number().int().min(0).max(1000),
    registrantCounty: lineText.max(80),
    /** The registrant's phone as the form asks for it; the setup's phone when absent. */
    registrantPhone: phoneSchema.optional(),
    lines: z.array(incidentLineInputSchema).min(1).max(50),
  })
  .strict();

/** What a Form 106 or Form 41 line shows of its product (from the product master). */
const lineProductFields = {
  name: z.string(),
  strength: z.string(),
  dosageForm: z.string(),
  schedule: scheduleSchema,
  packageSize: z.number().nullable(),
  unit: z.string(),
};
/** The line's inventory transaction: its quantity and whether it waits for a second person. */
const lineTransactionFields = {
  quantity: z.number(),
  status: z.enum(['pending', 'posted', 'rejected']),
};

export const incidentLineSchema = z.object({
  transactionId: z.string(),
  ndc: z.string(),
  lot: z.string().nullable(),
  ...lineProductFields,
  ...lineTransactionFields,
});

export const incidentSchema = z.object({
  id: z.string(),
  lossType: z.enum(LOSS_TYPES),
  discoveredOn: z.string(),
  lossFrom: z.string().nullable(),
  lossTo: z.string().nullable(),
  description: z.string(),
  policeNotified: z.boolean(),
  policeDepartment: z.string().nullable(),
  policePhone: z.string().nullable(),
  policeReportNumber: z.string().nullable(),
  purchaseValue: z.number(),
  inTransit: inTransitSchema.nullable(),
  stolenOrderForms: z.array(z.string()),
  securityMeasures: z.string(),
  priorIncidents24Months: z.number().int(),
  registrantCounty: z.string(),
  registrantPhone: z.string().nullable(),
  lines: z.array(incidentLineSchema),
  /** 21 CFR 1301.76(b) / 1301.74(c): written notice to the DEA Field Division Office within one business day. */
  noticeDueBy: z.string(),
  /** Form 106 filed electronically within 45 calendar days of discovery (88 FR 40707). */
  fileBy: z.string(),
  notice: z
    .object({ notifiedOn: z.string(), office: z.string(), how: z.string(), late: z.boolean() })
    .nullable(),
  filing: z.object({ filedOn: z.string(), confirmation: z.string(), late: z.boolean() }).nullable(),
  signatures: z.array(signatureSchema),
  ledgerSeq: z.number().int(),
});
export type IncidentView = z.infer<typeof incidentSchema>;

/** The declaration of Form 41 section D, printed above each witness signature. */
export const FORM_41_DECLARATION =
  'I declare under penalty of perjury, pursuant to 18 U.S.C. 1001, that I personally witnessed the destruction ' +
  'of the above-described controlled substances to a non-retrievable state and that all of the above is true and correct.';

export const destructionLineInputSchema = z
  .object({
    ndc: z.string().min(1).max(20),
    /** Batch or lot number; "N/A" on the form when none. */
    batch: z.string().trim().min(1).max(20).optional(),
    fullPackages: z.number().int().min(0).max(100_000),
    /** Units left in an opened package. */
    partialCount: z.number().min(0).max(100_000_000),
    /** Total destroyed, in the product's unit: full packages × package quantity + partial count. */
    quantity: quantitySchema,
  })
  .strict();

const placeSchema = z
  .object({
    name: lineText.max(160),
    address: lineText.max(300),
  })
  .strict();

export const recordDestructionInputSchema = z
  .object({
    id: z.uuid().optional(),
    date: dateSchema,
    method: lineText.max(200),
    place: placeSchema,
    lines: z.array(destructionLineInputSchema).min(1).max(100),
    /** The two employees who witnessed it, each re-entering their own password (21 CFR 1304.21(e)). */
    witnesses: z
      .array(z.object({ username: z.string().min(1).max(64), password: passwordSchema }).strict())
      .min(1)
      .max(2),
  })
  .strict();

export const destructionSchema = z.object({
  id: z.string(),
  date: z.string(),
  method: z.string(),
  place: placeSchema,
  lines: z.array(
    z.object({
      transactionId: z.string(),
      ndc: z.string(),
      batch: z.string().nullable(),
      ...lineProductFields,
      fullPackages: z.number(),
      partialCount: z.number(),
      ...lineTransactionFields,
    }),
  ),
  declaration: z.string(),
  witnesses: z.array(z.object({ userId: z.string(), printedName: z.string() })),
  signatures: z.array(signatureSchema),
  ledgerSeq: z.number().int(),
});
export type DestructionView = z.infer<typeof destructionSchema>;

export const disposalsProcedures = {
  'disposals.reportIncident': procedure({
    summary:
      'Record a theft or significant loss for DEA Form 106: the incident and its lines (several NDCs), signed with ' +
      'your password. Each line leaves inventory as a theft/loss; Schedule II lines wait for a second person.',
    permission: 'inventory.write',
    input: reportIncidentInputSchema.extend({ password: passwordSchema }).strict(),
    output: incidentSchema,
  }),
  'disposals.recordNotice': procedure({
    summary:
      'Record the written notice to the DEA Field Division Office (due within one business day of discovery).',
    permission: 'inventory.approve',
    input: z
      .object({
        incidentId: z.uuid(),
        notifiedOn: dateSchema,
        office: lineText.max(160),
        how: lineText.max(160),
        password: passwordSchema,
      })
      .strict(),
    output: incidentSchema,
  }),
  'disposals.recordFiling': procedure({
    summary: 'Record that Form 106 was filed in DEA Theft/Loss Reporting, with the confirmation it gave.',
    permission: 'inventory.approve',
    input: z
      .object({
        incidentId: z.uuid(),
        filedOn: dateSchema,
        confirmation: lineText.max(60),
        password: passwordSchema,
      })
      .strict(),
    output: incidentSchema,
  }),
  'disposals.incidents': procedure({
    summary: 'Theft and loss incidents (Form 106), newest first, with their deadlines.',
    permission: 'inventory.read',
    input: z.object({}).strict().optional(),
    output: z.object({ incidents: z.array(incidentSchema) }),
  }),
  'disposals.recordDestruction': procedure({
    summary:
      'Record a destruction for DEA Form 41: lines (full packages and partial count), place, method, and two ' +
      'different employees who witness it and sign the declaration. Schedule II lines wait for a second person.',
    permission: 'inventory.write',
    input: recordDestructionInputSchema.extend({ password: passwordSchema }).strict(),
    output: destructionSchema,
  }),
  'disposals.destructions': procedure({
    summary: 'Destructions recorded for Form 41, newest first.',
    permission: 'inventory.read',
    input: z.object({}).strict().optional(),
    output: z.object({ destructions: z.array(destructionSchema) }),
  }),
};
