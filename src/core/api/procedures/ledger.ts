import { z } from 'zod';
import { procedure } from '../contract';
import { ledgerStateSchema } from './system';

const alarmSchema = z.object({
  kind: z.string(),
  seq: z.number().int().nullable(),
  time: z.number().int(),
  message: z.string(),
});

const verdictSchema = z.object({
  status: z.enum(['consistent', 'inconsistent', 'unknown']),
  /** The plain-language result, e.g. "inconsistent (first bad record 12, because …)". */
  message: z.string(),
  firstBadSeq: z.number().int().nullable(),
  lastBadSeq: z.number().int().nullable(),
  records: z.number().int().nullable(),
});

const backupsSchema = z.object({
  folder: z.string().nullable(),
  backups: z.array(z.object({ file: z.string(), records: z.number().int(), madeMs: z.number() })),
});

export const ledgerProcedures = {
  'ledger.status': procedure({
    summary:
      'State of the ledger (not-created, closed, open, alarm, unavailable), its size, latest checkpoint and alarms.',
    permission: 'public',
    input: z.object({}).strict().optional(),
    output: z.object({
      state: ledgerStateSchema,
      message: z.string(),
      size: z.number().int().nullable(),
      origin: z.string().nullable(),
      checkpoint: z.string().nullable(),
      alarms: z.array(alarmSchema),
    }),
  }),
  'ledger.entries': procedure({
    summary: 'A page of ledger entries, newest first, filtered by type and time range.',
    permission: 'ledger.read',
    input: z
      .object({
        /** Exact types, or a category as its prefix with the dot ("inventory." for every inventory entry). */
        types: z.array(z.string().max(100)).max(50).optional(),
        fromMs: z.number().int().optional(),
        toMs: z.number().int().optional(),
        /** Entries before this seq (the previous page's nextBeforeSeq). */
        beforeSeq: z.number().int().nonnegative().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.object({
      entries: z.array(
        z.object({
          seq: z.number().int(),
          time: z.number().int(),
          type: z.string(),
          actor: z.string(),
          summary: z.string(),
        }),
      ),
      total: z.number().int(),
      nextBeforeSeq: z.number().int().nullable(),
    }),
  }),
  'ledger.entry': procedure({
    summary:
      'One entry: its canonical JSON exactly as hashed, and its inclusion proof in the latest checkpoint.',
    permission: 'ledger.read',
    input: z.object({ seq: z.number().int().nonnegative() }).strict(),
    output: z.object({
      seq: z.number().int(),
      time: z.number().int(),
      type: z.string(),
      actor: z.string(),
      canonicalJson: z.string(),
      leafHash: z.string(),
      proof: z.object({ treeSize: z.number().int(), root: z.string(), path: z.array(z.string()) }),
      checkpoint: z.string(),
    }),
  }),
  'ledger.verify': procedure({
    summary: 'Verify the whole ledger; progress comes as job.progress events under jobId.',
    permission: 'ledger.verify',
    input: z
      .object({ jobId: z.string().max(100).optional() })
      .strict()
      .optional(),
    output: verdictSchema.extend({ jobId: z.string() }),
  }),
  'ledger.checkpoint': procedure({
    summary: 'The current signed checkpoint (C2SP signed note) to hand to a trading partner or an auditor.',
    permission: 'ledger.read',
    input: z.object({}).strict().optional(),
    output: z.object({ note: z.string(), size: z.number().int(), root: z.string(), verifierKey: z.string() }),
  }),
  'audit.export': procedure({
    summary: "Write an audit bundle into the data folder's exports folder and return its path.",
    permission: 'audit.export',
    input: z
      .object({ fromMs: z.number().int().optional(), toMs: z.number().int().optional() })
      .strict()
      .optional(),
    output: z.object({
      path: z.string(),
      first: z.number().int(),
      end: z.number().int(),
      checkpoints: z.number().int(),
      verifierKey: z.string(),
      /** The integrity alarm it was taken under (nothing appended; the bundle says so too), or null. */
      alarm: z.string().nullable(),
    }),
  }),
  'ledger.backups': procedure({
    summary:
      'Where backups go (after each import and daily) and the newest ones, with the records each holds.',
    permission: 'settings.manage',
    input: z.object({}).strict().optional(),
    output: backupsSchema,
  }),
  'ledger.backup': procedure({
    summary:
      'Back up the ledger now (encrypted, with its signed checkpoint); a folder given here is remembered for the next ones.',
    permission: 'settings.manage',
    input: z
      .object({ folder: z.string().min(1).max(1024).optional() })
      .strict()
      .optional(),
    output: backupsSchema,
  }),
};
