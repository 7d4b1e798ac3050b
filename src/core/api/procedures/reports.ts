import { z } from 'zod';
import { procedure } from '../contract';

/*
 * Reports: the kinds on offer, a preview, a generation (recorded in the ledger as
 * reports.generated before the file is handed over), the history of generations, and the check
 * that names which generation a file is.
 */

export const REPORT_FORMAT_VALUES = ['pdf', 'csv', 'xlsx', 'jsonld', 'xml', 'txt'] as const;
const format = z.enum(REPORT_FORMAT_VALUES);

const text = z.string().trim().max(200).optional();
export const reportParamsSchema = z
  .object({
    from: text,
    to: text,
    gtin: text,
    lot: text,
    serial: text,
    tlc: text,
    product: text,
    id: text,
  })
  .strict();

const requestSchema = z
  .object({
    kind: z.string().min(1).max(40),
    format,
    params: reportParamsSchema,
    /** An earlier checkpoint of this ledger (its tree size); the newest when absent. */
    at: z.number().int().positive().optional(),
  })
  .strict();

const stampSchema = z.object({
  size: z.number().int(),
  rootHex: z.string(),
  rootBase64: z.string(),
  keyIds: z.array(z.string()),
  origin: z.string(),
  time: z.string(),
  howToCheck: z.string(),
});

const cell = z.union([z.string(), z.number(), z.null()]);

export const reportGenerationSchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  person: z.string(),
  personName: z.string().nullable(),
  kind: z.string(),
  format,
  params: z.record(z.string(), z.string()),
  checkpointSize: z.number().int(),
  checkpointRoot: z.string(),
  sha256: z.string(),
  fileName: z.string(),
  bytes: z.number().int(),
});
export type ReportGeneration = z.infer<typeof reportGenerationSchema>;

export const reportsProcedures = {
  'reports.kinds': procedure({
    summary: 'The report kinds: what each is for, its formats and the parameters it takes.',
    permission: 'auth.session',
    input: z.object({}).strict().optional(),
    output: z.object({
      kinds: z.array(
        z.object({
          id: z.string(),
          family: z.string(),
          title: z.string(),
          summary: z.string(),
          formats: z.array(format),
          fields: z.array(
            z.object({
              field: z.string(),
              label: z.string(),
              hint: z.string().optional(),
              required: z.boolean().optional(),
            }),
          ),
        }),
      ),
      checkpoint: z.object({ size: z.number().int() }).nullable(),
    }),
  }),
  'reports.preview': procedure({
    summary:
      'The report as it would be generated now (or at an earlier checkpoint): its fields and the first rows of each table. Records who saw any serials.',
    permission: 'reports.generate',
    input: requestSchema,
    output: z.object({
      kind: z.string(),
      title: z.string(),
      subtitle: z.string().nullable(),
      registrant: z.object({ name: z.string(), lines: z.array(z.string()) }),
      parameters: z.array(z.object({ label: z.string(), value: z.string() })),
      empty: z.boolean(),
      stamp: stampSchema,
      sections: z.array(
        z.object({
          heading: z.string(),
          paragraphs: z.array(z.string()),
          fields: z.array(z.object({ label: z.string(), value: z.string() })),
          table: z
            .object({
              columns: z.array(z.object({ header: z.string(), type: z.string() })),
              rows: z.array(z.array(cell)),
              total: z.number().int(),
            })
            .nullable(),
          emptyText: z.string().nullable(),
        }),
      ),
    }),
  }),
  'reports.generate': procedure({
    summary:
      "Generate a report file into the data folder's exports folder; the reports.generated ledger entry (kind, parameters, checkpoint, SHA-256) commits before the file is handed over.",
    permission: 'reports.generate',
    input: requestSchema,
    output: z.object({
      path: z.string(),
      fileName: z.string(),
      mediaType: z.string(),
      sha256: z.string(),
      bytes: z.number().int(),
      empty: z.boolean(),
      stamp: stampSchema,
      generation: reportGenerationSchema,
    }),
  }),
  'reports.history': procedure({
    summary:
      'Every report generated, newest first, from the ledger: who, when, what, checkpoint and SHA-256.',
    permission: 'ledger.read',
    input: z
      .object({ limit: z.number().int().min(1).max(1000).optional() })
      .strict()
      .optional(),
    output: z.object({ generations: z.array(reportGenerationSchema), total: z.number().int() }),
  }),
  'reports.check': procedure({
    summary: 'Which generation a report file is, by its SHA-256 (the page hashes a dropped file), or none.',
    permission: 'ledger.read',
    input: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex') }).strict(),
    output: z.object({ matches: z.array(reportGenerationSchema) }),
  }),
};
