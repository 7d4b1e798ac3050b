import { z } from 'zod';
import { procedure } from '../contract';

const historySchema = z.object({
  id: z.number().int(),
  type: z.string(),
  time: z.string(),
  action: z.string().nullable(),
  bizStep: z.string().nullable(),
  disposition: z.string().nullable(),
  location: z.string().nullable(),
  source: z.string().nullable(),
  destination: z.string().nullable(),
  ledgerSeq: z.number().int(),
  file: z.string(),
  role: z.string(),
  declaredError: z.string().nullable(),
  pending: z.boolean(),
});

interface ContentNode {
  identifier: string;
  kind: string;
  gtin: string | null;
  product: string | null;
  ndc: string | null;
  lot: string | null;
  state: string;
  children: ContentNode[];
}
const contentSchema: z.ZodType<ContentNode> = z.lazy(() =>
  z.object({
    identifier: z.string(),
    kind: z.string(),
    gtin: z.string().nullable(),
    product: z.string().nullable(),
    ndc: z.string().nullable(),
    lot: z.string().nullable(),
    state: z.string(),
    children: z.array(contentSchema),
  }),
);

export const traceResultSchema = z.object({
  query: z.string(),
  kind: z.enum(['serial', 'sscc', 'lot', 'tlc', 'ndc', 'unknown']),
  identifier: z.string(),
  found: z.boolean(),
  state: z
    .object({
      state: z.string(),
      disposition: z.string().nullable(),
      owner: z.string().nullable(),
      location: z.string().nullable(),
      expiry: z.string().nullable(),
      suspect: z.boolean(),
      quarantined: z.boolean(),
    })
    .nullable(),
  product: z
    .object({
      gtin: z.string(),
      ndc: z.string().nullable(),
      name: z.string().nullable(),
      strength: z.string().nullable(),
      dosageForm: z.string().nullable(),
      lot: z.string().nullable(),
    })
    .nullable(),
  history: z.array(historySchema),
  containers: z.array(z.string()),
  contents: z.array(contentSchema),
  contentsTruncated: z.boolean(),
  partners: z.array(
    z.object({
      gln: z.string(),
      name: z.string().nullable(),
      role: z.string().nullable(),
      authorized: z.boolean().nullable(),
    }),
  ),
  transactions: z.array(
    z.object({
      id: z.number().int(),
      seller: z.string().nullable(),
      sellerName: z.string().nullable(),
      buyer: z.string().nullable(),
      shipTo: z.string().nullable(),
      shipToName: z.string().nullable(),
      transactionDate: z.string().nullable(),
      shipDate: z.string().nullable(),
      reference: z.string().nullable(),
      statement: z.boolean(),
      statementText: z.string().nullable(),
      status: z.string(),
    }),
  ),
  lot: z.object({ gtin: z.string(), lot: z.string(), serials: z.number().int() }).nullable(),
  fsma: z
    .object({
      records: z.array(
        z.object({
          id: z.number().int(),
          cte: z.string(),
          tlc: z.string(),
          date: z.string().nullable(),
          product: z.string().nullable(),
          quantity: z.string().nullable(),
          fromName: z.string().nullable(),
          toName: z.string().nullable(),
          kdes: z.record(z.string(), z.string()),
        }),
      ),
      back: z.array(z.string()),
      forward: z.array(z.string()),
    })
    .nullable(),
  /** An NDC (10 or 11 digits, any layout): the products it names, their lots and shipments. */
  ndc: z
    .object({
      candidates: z.array(z.object({ ndc10: z.string(), ndc11: z.string(), configuration: z.string() })),
      products: z.array(
        z.object({
          gtin: z.string(),
          ndc: z.string().nullable(),
          name: z.string().nullable(),
          strength: z.string().nullable(),
          dosageForm: z.string().nullable(),
          lots: z.array(
            z.object({
              lot: z.string(),
              expiry: z.string().nullable(),
              serials: z.number().int(),
              shipments: z.array(
                z.object({
                  id: z.number().int(),
                  reference: z.string().nullable(),
                  seller: z.string().nullable(),
                  date: z.string().nullable(),
                  quantity: z.number().int(),
                }),
              ),
            }),
          ),
        }),
      ),
    })
    .nullable(),
  serial: z.string().nullable(),
  /** Only lot-level information was found for this serial (no package-level transaction data). */
  lotLevelOnly: z.boolean(),
  places: z.array(z.object({ value: z.string(), gln: z.string().nullable(), name: z.string().nullable() })),
});

export const traceProcedures = {
  'trace.lookup': procedure({
    summary:
      'History of a serial (scan, element string, Digital Link or EPC URN), SSCC, GTIN + lot, NDC (10 or 11 digits, any layout) or FSMA traceability lot code: events in order, containment tree, partners, transaction data received.',
    permission: 'ledger.read',
    input: z.object({ query: z.string().trim().min(1).max(500) }).strict(),
    output: traceResultSchema,
  }),
  'trace.export': procedure({
    summary: 'The same history as a file to save: JSON (everything) or CSV (one row per event).',
    permission: 'ledger.read',
    input: z.object({ query: z.string().trim().min(1).max(500), format: z.enum(['json', 'csv']) }).strict(),
    output: z.object({ filename: z.string(), mediaType: z.string(), content: z.string() }),
  }),
  'trace.rebuild': procedure({
    summary:
      'Drops and rebuilds the traceability projections from the ledger (replaying every file through the same rules) and lists any table that differed: a difference is an integrity alarm.',
    permission: 'ledger.verify',
    input: z.object({}).strict().optional(),
    output: z.object({ entries: z.number().int(), differences: z.array(z.string()) }),
  }),
};
