import { z } from 'zod';
import { procedure } from '../contract';

/*
 * Trading partners (authorized, FD&C Act §582(d)(3)), their GLNs, and the CSV column mappings the
 * mapping editor saves per partner. The mapping schemas live here so the UI validates with the same
 * zod schema the core does (src/core/formats/csv/mapping.ts re-exports them).
 */

export const T3_FIELDS = [
  'reference',
  'po',
  'invoice',
  'transactionDate',
  'shipDate',
  'sellerName',
  'sellerAddress',
  'sellerGln',
  'buyerName',
  'buyerAddress',
  'buyerGln',
  'shipToGln',
  'shipToName',
  'productName',
  'strength',
  'dosageForm',
  'ndc',
  'gtin',
  'containerSize',
  'quantity',
  'lot',
  'expiry',
  'serial',
  'sscc',
  'statement',
] as const;
export type T3Field = (typeof T3_FIELDS)[number];

export const DATE_FORMATS = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'YYYYMMDD'] as const;
export const FSMA_CTE_NAMES = [
  'harvesting',
  'cooling',
  'initial-packing',
  'first-land-based-receiving',
  'shipping',
  'receiving',
  'transformation',
] as const;

const column = z.string().min(1).max(300);

export const t3MappingSchema = z
  .object({
    kind: z.literal('dscsa-t3'),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    dateFormat: z.enum(DATE_FORMATS).default('YYYY-MM-DD'),
    /** Header text of the column for each field (compared without case and surrounding spaces). */
    columns: z.partialRecord(z.enum(T3_FIELDS), column),
    /** Cell values of the statement column that mean "affirmed". */
    statementColumnTrue: z.array(z.string().max(50)).max(20).default(['yes', 'y', 'true', '1', 'x']),
  })
  .strict()
  .refine((m) => m.columns.quantity !== undefined && m.columns.lot !== undefined, {
    message: 'a T3 mapping needs at least the quantity and lot columns',
    path: ['columns'],
  })
  .refine((m) => m.columns.ndc !== undefined || m.columns.gtin !== undefined, {
    message: 'a T3 mapping needs an NDC or a GTIN column',
    path: ['columns'],
  });

export const fsmaMappingSchema = z
  .object({
    kind: z.literal('fsma-kde'),
    cte: z.enum(FSMA_CTE_NAMES),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    dateFormat: z.enum(DATE_FORMATS).default('MM/DD/YYYY'),
    /** KDE key (e.g. "tlc", "recipient.businessName", "input.tlc") -> column header. */
    columns: z.record(z.string().min(1).max(100), column),
  })
  .strict();

export const csvMappingSchema = z.union([t3MappingSchema, fsmaMappingSchema]);

export const partnerRoleSchema = z.enum([
  'self',
  'wholesaler',
  'manufacturer',
  'repackager',
  'dispenser',
  '3pl',
  'other',
]);

/** A trading partner as a person enters it (partners.save). */
export const partnerInputSchema = z
  .object({
    id: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(200),
    role: partnerRoleSchema,
    /** Verified as authorized (licensed wholesaler, registered manufacturer): FD&C Act §582(d)(3). */
    authorized: z.boolean(),
    address: z.string().max(500).optional(),
    glns: z.array(z.string().regex(/^\d{13}$/, 'a GLN is 13 digits')).max(50),
  })
  .strict();

const partnerSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: partnerRoleSchema,
  authorized: z.boolean(),
  address: z.string().optional(),
  glns: z.array(z.string()),
  mappings: z.array(
    z.object({ id: z.number().int(), name: z.string(), kind: z.enum(['dscsa-t3', 'fsma-kde']) }),
  ),
});

export const partnersProcedures = {
  'partners.list': procedure({
    summary:
      'Trading partners (and this pharmacy\'s own locations, role "self") with their GLNs and saved CSV mappings.',
    permission: 'ledger.read',
    input: z.object({}).strict().optional(),
    output: z.object({ partners: z.array(partnerSchema) }),
  }),
  'partners.save': procedure({
    summary:
      'Adds or changes a trading partner; "authorized" records that its licence or registration was checked.',
    permission: 'import.write',
    input: partnerInputSchema,
    output: z.object({ id: z.number().int() }),
  }),
  'partners.saveMapping': procedure({
    summary: "Saves a partner's CSV column mapping (lot-level T3 or FSMA KDE sheet) under a name.",
    permission: 'import.write',
    input: z
      .object({
        partnerId: z.number().int().positive(),
        name: z.string().trim().min(1).max(100),
        mapping: csvMappingSchema,
      })
      .strict(),
    output: z.object({ id: z.number().int() }),
  }),
  'partners.mapping': procedure({
    summary: 'One saved column mapping.',
    permission: 'ledger.read',
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: z.object({ mapping: csvMappingSchema }),
  }),
  'partners.mappingFields': procedure({
    summary:
      'What a mapping can map: T3 fields, and the KDE keys each FSMA 204 CTE requires (with their 21 CFR paragraph).',
    permission: 'ledger.read',
    input: z.object({}).strict().optional(),
    output: z.object({
      t3: z.array(z.enum(T3_FIELDS)),
      fsma: z.record(
        z.string(),
        z.array(
          z.object({ key: z.string(), label: z.string(), cite: z.string(), parts: z.array(z.string()) }),
        ),
      ),
    }),
  }),
};
