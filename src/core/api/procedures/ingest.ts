import { z } from 'zod';
import { procedure } from '../contract';

/**
 * Files sent inside the call travel base64: 5.5 MiB of bytes is 7.3 MiB of base64, under the host's
 * 8 MiB body limit with room for the rest of the call. Larger files go through the host's streaming
 * upload (PUT /uploads, up to 2 GiB) and are named here by the id it returned.
 */
export const MAX_UPLOAD_BYTES = 5.5 * 1024 * 1024;

export const ingestFormatSchema = z.enum(['epcis-xml', 'epcis-json', 'x12-856', 'csv-t3', 'csv-fsma']);

export const ruleFindingSchema = z.object({
  rule: z.string(),
  message: z.string(),
  record: z.number().int().nullable(),
  position: z.string().optional(),
  field: z.string().optional(),
  suspect: z.boolean().optional(),
});

export const importResultSchema = z.object({
  file: z.string(),
  format: ingestFormatSchema,
  status: z.enum(['imported', 'already-imported', 'quarantined', 'cancelled']),
  events: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  pending: z.number().int(),
  quarantined: z.number().int(),
  quarantineId: z.number().int().optional(),
  reasons: z.array(ruleFindingSchema),
  resolved: z.number().int(),
  fileHash: z.string(),
});

const fileSchema = z.union([
  /** A file the core can read itself (Electron main, CLI). */
  z.object({ path: z.string().min(1).max(4096) }).strict(),
  /** The file's bytes (headless host upload), base64, up to MAX_UPLOAD_BYTES. */
  z
    .object({ name: z.string().min(1).max(255), base64: z.base64().max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4) })
    .strict(),
  /** A file streamed to the headless host first (PUT /uploads): the id it answered, and the file's name. */
  z
    .object({
      upload: z
        .string()
        .min(16)
        .max(64)
        .regex(/^[A-Za-z0-9_-]+$/, 'an upload id as PUT /uploads returned it'),
      name: z.string().min(1).max(255),
    })
    .strict(),
]);

export const ingestProcedures = {
  'ingest.import': procedure({
    summary:
      'Imports partner files (EPCIS XML/JSON, X12 856, CSV): each file all-or-nothing; rejected files go to quarantine with every reason. Progress as job.progress events under jobId; ingest.cancel stops it.',
    permission: 'import.write',
    input: z
      .object({
        jobId: z.string().min(1).max(100).optional(),
        files: z.array(fileSchema).min(1).max(50),
        partnerId: z.number().int().positive().optional(),
        mappingId: z.number().int().positive().optional(),
        format: ingestFormatSchema.optional(),
      })
      .strict(),
    output: z.object({ results: z.array(importResultSchema) }),
  }),
  'ingest.cancel': procedure({
    summary: 'Cancels a running import by its jobId; the file leaves no trace but a cancellation entry.',
    permission: 'import.write',
    input: z.object({ jobId: z.string().min(1).max(100) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'ingest.files': procedure({
    summary: 'Imported files, newest first.',
    permission: 'ledger.read',
    input: z
      .object({
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().nonnegative().default(0),
      })
      .strict()
      .optional(),
    output: z.object({
      files: z.array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          format: z.string(),
          fileHash: z.string(),
          records: z.number().int(),
          imported: z.number().int(),
          duplicates: z.number().int(),
          pending: z.number().int(),
          importedMs: z.number().int(),
          ledgerSeq: z.number().int(),
        }),
      ),
      total: z.number().int(),
    }),
  }),
  'ingest.pending': procedure({
    summary:
      'Events waiting for a predecessor (out-of-order arrival): which file, which record, what they wait for. They apply by themselves when it arrives.',
    permission: 'ledger.read',
    input: z
      .object({ limit: z.number().int().min(1).max(500).default(100) })
      .strict()
      .optional(),
    output: z.object({
      pending: z.array(
        z.object({
          file: z.string(),
          record: z.number().int(),
          eventType: z.string(),
          bizStep: z.string().nullable(),
          reason: z.string(),
          sinceMs: z.number().int(),
        }),
      ),
      total: z.number().int(),
    }),
  }),
  'ingest.running': procedure({
    summary:
      'The import holding the ledger now, if any: which file, how far, and about how long until it commits. A file commits whole, so a write (a receiving scan, an approval) waits that long; reads do not wait.',
    permission: 'ledger.read',
    input: z.object({}).strict().optional(),
    output: z.object({
      imports: z.array(
        z.object({
          file: z.string(),
          phase: z.enum(['reading', 'committing']),
          records: z.number().int(),
          bytesRead: z.number().int(),
          size: z.number().int(),
          elapsedSeconds: z.number().int(),
          secondsLeft: z.number().int().nullable(),
        }),
      ),
    }),
  }),
  'ingest.expirePending': procedure({
    summary:
      'Sends events that have waited longer than the given days for their predecessor to quarantine (rule pending-expired).',
    permission: 'import.write',
    input: z.object({ days: z.number().int().min(1).max(365) }).strict(),
    output: z.object({ expired: z.number().int() }),
  }),
};
