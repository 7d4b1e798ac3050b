import { z } from 'zod';
import { procedure } from '../contract';
import { passwordSchema } from './auth';

/*
 * ARCOS (21 CFR 1304.33): what a distributor's transaction file needs beyond the perpetual
 * inventory: which products are reportable and their DEA drug code, the reporting frequency and
 * document identifier, the associate value DEA allows where a transaction has no trading-partner
 * DEA number, and which files went to DEA (so a later correction carries its action indicator).
 */

export const ARCOS_ASSOCIATE_VALUES = [
  'OFFICER',
  'CIVILDEF',
  'VESSELS',
  'NATIVE',
  'MILITARY',
  'UNKNOWN',
] as const;

export const arcosProductSchema = z
  .object({
    /** The package NDC as the product master has it (10-digit hyphenated or 11-digit). */
    ndc: z.string().min(1).max(20),
    /** Reported to ARCOS (Schedules I, II, narcotic III, GHB and the selected psychotropics, 1304.33(c)). */
    reportable: z.boolean(),
    /** The DEA Controlled Substance Code Number, four digits (21 CFR 1308.11–1308.15), e.g. 9143 oxycodone. */
    drugCode: z
      .string()
      .regex(/^\d{4}$/, 'the DEA drug code is four digits, as 21 CFR 1308 lists it (9143 for oxycodone)')
      .nullable(),
    narcotic: z.boolean(),
    /** Dosage units (or measure) in one package as ARCOS counts it; the product master's when absent. */
    packageSize: z.number().positive().max(10_000_000).nullable(),
    /** A bulk product: the NDC is reported as labeler and product code followed by "**" (Appendix 5). */
    bulk: z.boolean().default(false),
    /** The strength ARCOS expects for a bulk product (four digits, as DEA's example "1000"). */
    strength: z
      .string()
      .regex(/^\d{4}$/, 'four digits')
      .nullable()
      .default(null),
  })
  .strict();
export type ArcosProductInput = z.infer<typeof arcosProductSchema>;

export const arcosSettingsSchema = z
  .object({
    /** Quarterly unless DEA authorized monthly in writing (Handbook §2.4; 1304.33(b)). */
    frequency: z.enum(['quarterly', 'monthly']),
    /** The Document Identifier this reporter writes in field 13 (Handbook §5.19); null: the layout's default. */
    documentIdentifier: z
      .string()
      .regex(/^[A-Z0-9]{1,3}$/, 'one to three capital letters or digits')
      .nullable(),
  })
  .strict();
export type ArcosSettings = z.infer<typeof arcosSettingsSchema>;

const submissionSchema = z.object({
  seq: z.number().int(),
  period: z.string(),
  frequency: z.enum(['quarterly', 'monthly']),
  sha256: z.string(),
  fileName: z.string(),
  records: z.number().int(),
  corrections: z.number().int(),
  submittedBy: z.string(),
  submittedAt: z.string(),
  confirmation: z.string().nullable(),
});

export const arcosProcedures = {
  'arcos.overview': procedure({
    summary:
      'ARCOS reporting: the settings, the products marked reportable, and the files marked submitted to DEA.',
    permission: 'inventory.read',
    input: z.object({}).strict().optional(),
    output: z.object({
      settings: arcosSettingsSchema.nullable(),
      products: z.array(
        arcosProductSchema.extend({ name: z.string(), unit: z.string(), schedule: z.string().nullable() }),
      ),
      submissions: z.array(submissionSchema),
    }),
  }),
  'arcos.setProduct': procedure({
    summary:
      'Record whether a product is ARCOS-reportable, its DEA drug code, narcotic or not, and package size.',
    permission: 'products.manage',
    input: arcosProductSchema,
    output: arcosProductSchema,
  }),
  'arcos.setSettings': procedure({
    summary: 'Record the ARCOS reporting frequency and document identifier.',
    permission: 'settings.manage',
    input: arcosSettingsSchema,
    output: arcosSettingsSchema,
  }),
  'arcos.setAssociate': procedure({
    summary:
      'For one transaction with no trading-partner DEA number, the value ARCOS takes instead (OFFICER, CIVILDEF, VESSELS, NATIVE, MILITARY, UNKNOWN) or a DEA number, with why.',
    permission: 'inventory.write',
    input: z
      .object({
        transactionId: z.uuid(),
        associate: z.union([z.enum(ARCOS_ASSOCIATE_VALUES), z.string().regex(/^[A-Z]{2}\d{7}$/)]),
        reason: z.string().min(5).max(500),
      })
      .strict(),
    output: z.object({ transactionSeq: z.number().int(), associate: z.string() }),
  }),
  'arcos.markSubmitted': procedure({
    summary:
      'Mark an ARCOS file (by its SHA-256, as generated here) submitted to DEA, signed with your password: its records are then corrected, not repeated, in later files.',
    permission: 'inventory.approve',
    input: z
      .object({
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        /** DEA's confirmation or upload number, when it gave one. */
        confirmation: z.string().trim().min(1).max(100).optional(),
        password: passwordSchema,
      })
      .strict(),
    output: submissionSchema,
  }),
};
