import { z } from 'zod';
import { procedure } from '../contract';
import { scheduleSchema } from './setup';

export const productSchema = z.object({
  /** The package NDC in its hyphenated 10-digit form (the source of truth, reg-formats.md §6.3). */
  ndc: z.string(),
  /** The same NDC in the 11-digit 5-4-2 form billing systems use. */
  ndc11: z.string(),
  name: z.string(),
  strength: z.string(),
  dosageForm: z.string(),
  /** Units (tablets, capsules, mL …) in one commercial container; null when not known. */
  packageSize: z.number().positive().nullable(),
  /** The unit packageSize and every quantity of this product is counted in, e.g. "tablet", "mL". */
  unit: z.string(),
  /** DEA schedule; null means not a controlled substance (no perpetual inventory is kept). */
  schedule: scheduleSchema.nullable(),
  source: z.enum(['manual', 'fda-ndc-directory']),
});
export type Product = z.infer<typeof productSchema>;

export const productsProcedures = {
  'products.list': procedure({
    summary: 'The product master: search by NDC or name, optionally controlled substances only.',
    permission: 'inventory.read',
    input: z
      .object({
        query: z.string().max(100).optional(),
        controlledOnly: z.boolean().optional(),
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict()
      .optional(),
    output: z.object({ products: z.array(productSchema), total: z.number().int() }),
  }),
  'products.get': procedure({
    summary: 'One product by NDC (any of its written forms).',
    permission: 'inventory.read',
    input: z.object({ ndc: z.string().min(1).max(20) }).strict(),
    output: productSchema,
  }),
  'products.fromPartnerFiles': procedure({
    summary:
      'Drugs that arrived in partner files (their master data: NDC, name, strength, form) and are not in the product list yet: a person confirms each, with its DEA schedule.',
    permission: 'inventory.read',
    input: z.object({}).strict().optional(),
    output: z.object({
      products: z.array(
        z.object({
          gtin: z.string(),
          ndc: z.string().nullable(),
          name: z.string().nullable(),
          strength: z.string().nullable(),
          dosageForm: z.string().nullable(),
          manufacturer: z.string().nullable(),
        }),
      ),
    }),
  }),
  'products.add': procedure({
    summary:
      'Add a product by its package NDC with name, strength, dosage form, package size and DEA schedule.',
    permission: 'products.manage',
    input: z
      .object({
        ndc: z.string().min(1).max(20),
        name: z.string().min(1).max(200),
        strength: z.string().max(100),
        dosageForm: z.string().min(1).max(100),
        packageSize: z.number().positive().max(1_000_000).nullable(),
        unit: z.string().min(1).max(40),
        schedule: scheduleSchema.nullable(),
      })
      .strict(),
    output: productSchema,
  }),
  'products.importNdcDirectory': procedure({
    summary:
      "Load products from FDA's NDC directory files (product.txt, tab-separated with a DEASCHEDULE column; " +
      'package.txt for package NDCs and sizes). Existing NDCs are kept, not overwritten.',
    permission: 'products.manage',
    input: z
      .object({
        productTxt: z.string().min(1).max(8_000_000),
        packageTxt: z.string().max(8_000_000).optional(),
        scheduledOnly: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      added: z.number().int(),
      alreadyPresent: z.number().int(),
      skipped: z.array(z.object({ line: z.number().int(), file: z.string(), reason: z.string() })),
    }),
  }),
};
