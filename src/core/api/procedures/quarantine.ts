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

const detailSchema = summarySchema.extend({
  reasons: z.array(ruleFindingSchema),
  resolution: z
    .object({
      importedFile: z.number().int().optional(),
      reason: z.string().optional(),
      closedBy: z.string().optional(),
      closedMs: z.number().int().optional(),
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
    summary: 'Closes an item without importing it, with the reason the signed-in person signs.',
    permission: 'import.write',
    input: z.object({ id: z.number().int().positive(), reason: z.string().trim().min(5).max(2000) }).strict(),
    output: detailSchema,
  }),
};
