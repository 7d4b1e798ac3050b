import { z } from 'zod';
import { FSMA_CTE_NAMES } from '../api/procedures/partners';
import type { EpcisEvent, LocationMasterData, ProductMasterData, Sbdh } from '../epcis/model';
import type { RuleFinding } from './findings';

/*
 * What every format normalizes to before anything touches the database: EPCIS events (canonical
 * model), DSCSA transactions (transaction information + statement, from X12 856 or T3 sheets) and
 * FSMA 204 key-data-element records. One file gives one header and records in file order.
 */

export const FORMATS = ['epcis-xml', 'epcis-json', 'x12-856', 'csv-t3', 'csv-fsma'] as const;
export type IngestFormat = (typeof FORMATS)[number];

export const partySchema = z.object({
  name: z.string().optional(),
  gln: z.string().optional(),
  address: z.string().optional(),
});
export type Party = z.infer<typeof partySchema>;

export const transactionLineSchema = z.object({
  gtin: z.string().optional(),
  ndc: z.string().optional(),
  name: z.string().optional(),
  strength: z.string().optional(),
  dosageForm: z.string().optional(),
  containerSize: z.string().optional(),
  quantity: z.number().int().nonnegative(),
  lot: z.string().optional(),
  expiry: z.string().optional(),
  serials: z.array(z.string()).optional(),
  sscc: z.string().optional(),
});
export type TransactionLine = z.infer<typeof transactionLineSchema>;

/** DSCSA transaction information (§581(26)) and statement (§581(27)) for one transfer. */
export const dscsaTransactionSchema = z.object({
  reference: z.string(),
  po: z.string().optional(),
  invoice: z.string().optional(),
  transactionDate: z.string().optional(),
  shipDate: z.string().optional(),
  seller: partySchema,
  buyer: partySchema,
  shipFrom: partySchema.optional(),
  shipTo: partySchema.optional(),
  statement: z.object({ affirmed: z.boolean(), text: z.string().optional() }),
  lines: z.array(transactionLineSchema),
});
export type DscsaTransaction = z.infer<typeof dscsaTransactionSchema>;

export type FsmaCte = (typeof FSMA_CTE_NAMES)[number];

export const fsmaRecordSchema = z.object({
  cte: z.enum(FSMA_CTE_NAMES),
  /** KDE key -> value, e.g. "tlc", "quantity", "recipient.businessName" (see formats/fsma/kdes.ts). */
  kdes: z.record(z.string(), z.string()),
  /** Transformation inputs (1.1350(a)(1)): one entry per input lot. */
  inputs: z.array(z.record(z.string(), z.string())).optional(),
});
export type FsmaRecord = z.infer<typeof fsmaRecordSchema>;

/**
 * The spreadsheet row(s) an FSMA record was read from, exactly as received: every column of the
 * sheet (the template's, a partner's own, Reference Document Type2/Number2 …) and the raw cells of
 * each row (a transformation has one row per input lot). Kept beside the record, never in it: the
 * record's hash (its identity, so a file is recognised as already imported) is the record's alone.
 */
export const fsmaReceivedSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
});
export type FsmaReceived = z.infer<typeof fsmaReceivedSchema>;

export type IngestRecord =
  | { kind: 'epcis-event'; index: number; position: string; event: EpcisEvent; hash: string }
  | {
      kind: 'dscsa-transaction';
      index: number;
      position: string;
      transaction: DscsaTransaction;
      hash: string;
    }
  | {
      kind: 'fsma-record';
      index: number;
      position: string;
      record: FsmaRecord;
      hash: string;
      /** The row(s) as received, when the record came from a spreadsheet. */
      received?: FsmaReceived;
    };

/** Document-level data: what the ledger keeps about the file besides its records. */
export interface IngestHeader {
  readonly format: IngestFormat;
  readonly sbdh?: Sbdh;
  readonly sender?: string;
  readonly receiver?: string;
  readonly statement?: { affirmed: boolean; text?: string };
  readonly products: ProductMasterData[];
  readonly locations: LocationMasterData[];
  readonly notes: string[];
}

/** A record the reader already refused (bad shape, bad check digit): it quarantines the file. */
export interface ReadFailure {
  readonly index: number | null;
  readonly findings: RuleFinding[];
}
