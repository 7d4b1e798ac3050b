import { z } from 'zod';
import { procedure } from '../contract';
import { importResultSchema, ruleFindingSchema } from './ingest';

const statusSchema = z.enum(['open', 'reprocessed', 'closed']);

const summarySchema = z.object({
  id: z.number().int(),
  kind: z.enum(['file', 'event']),
  fileName: z.string(),
  fileHash: z.string(),
  format: z.string(),
  source: z.string(),
  size: z.number().int(),
  records: z.number().int(),
  reasonCount: z.number().int(),
  rules: z.array(z.string()),
  suspect: z.boolean(),
  status: statusSchema,
  openedMs: z.number().int(),
  attempts: z.number().int(),
  partnerId: z.number().int().nullable(),
});

/**
 * An electronic signature on a closure (21 CFR 11.50, 11.70): who (user id and printed name), what it
 * means in words ("closed quarantine item: <reason>"), when, and the SHA-256 of the RFC 8785 bytes
 * of exactly the subject signed. The password that authenticated it is never part of it.
 */
export const closureSignatureSchema = z.object({
  userId: z.string(),
  printedName: z.string(),
  meaning: z.string(),
  signedAt: z.iso.datetime(),
  subjectHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ClosureSignature = z.infer<typeof closureSignatureSchema>;

/** The signer re-enters their own password; it is checked like a sign-in (wrong ones count toward lockout). */
export const signingPasswordSchema = z.string().min(1).max(1024);

const detailSchema = summarySchema.extend({
  reasons: z.array(ruleFindingSchema),
  resolution: z
    .object({
      importedFile: z.number().int().optional(),
      reason: z.string().optional(),
      closedBy: z.string().optional(),
      closedMs: z.number().int().optional(),
      signature: closureSignatureSchema.optional(),
    })
    .nullable(),
});

export const quarantineProcedures = {
  'quarantine.list': procedure({
    summary: 'Quarantined files and events, newest first, by status.',
    permission: 'ledger.read',
    input: z
      .object({
        status: statusSchema.optional(),
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().nonnegative().default(0),
      })
      .strict()
      .optional(),
    output: z.object({ items: z.array(summarySchema), total: z.number().int() }),
  }),
  'quarantine.show': procedure({
    summary: 'One quarantined item with every reason (rule, record, position, field).',
    permission: 'ledger.read',
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: detailSchema,
  }),
  'quarantine.raw': procedure({
    summary:
      'The raw bytes as received, base64 (up to 5.5 MiB; larger items: custodia quarantine show ID --raw FILE).',
    permission: 'ledger.read',
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: z.object({ name: z.string(), base64: z.string() }),
  }),
  'quarantine.reprocess': procedure({
    summary:
      'Imports the quarantined bytes again after master data was fixed; closes the item when it imports.',
    permission: 'import.write',
    input: z
      .object({
        id: z.number().int().positive(),
        jobId: z.string().min(1).max(100).optional(),
        /** For a CSV that arrived without its partner: the partner and saved column mapping to read it with. */
        partnerId: z.number().int().positive().optional(),
        mappingId: z.number().int().positive().optional(),
      })
      .strict(),
    output: importResultSchema,
  }),
  'quarantine.close': procedure({
    summary:
      'Closes an item without importing it: the signed-in person signs the reason electronically by re-entering their password.',
    permission: 'import.write',
    input: z
      .object({
        id: z.number().int().positive(),
        reason: z.string().trim().min(5).max(2000),
        password: signingPasswordSchema,
      })
      .strict(),
    output: detailSchema,
  }),
};
