import { z } from 'zod';
import { procedure } from '../contract';

/*
 * Records requests: FDA, another Federal or State official, or a trading partner asks for the
 * records of some products, lots or traceability lot codes, and the deadline runs (FSMA 204:
 * 24 hours, 21 CFR 1.1455(c)(3); DSCSA: one business day, at most 48 hours, for a manufacturer or
 * wholesaler, two business days for a dispenser, FD&C Act §582(b)(1)(B), (c)(1)(C), (d)(1)(D)).
 */

export const requestRegimeSchema = z.enum(['fsma-204', 'dscsa']);
export const dscsaRespondentSchema = z.enum(['manufacturer', 'wholesaler', 'dispenser']);
export const requesterKindSchema = z.enum(['fda', 'federal', 'state', 'partner']);
export const requestChannelSchema = z.enum(['phone', 'email', 'in-person', 'letter', 'portal']);

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1).max(max);
const list = z.array(text(80)).max(200).default([]);

/** What was asked for. At least one of the lists or the date range says which records. */
export const requestedSchema = z
  .object({
    products: list,
    lots: list,
    tlcs: list,
    serials: list,
    from: day.optional(),
    to: day.optional(),
    note: z.string().trim().max(4000).optional(),
  })
  .strict();

export const requestAnswerSchema = z.object({
  seq: z.number().int(),
  reportSeq: z.number().int(),
  kind: z.string().nullable(),
  format: z.string().nullable(),
  sha256: z.string().nullable(),
  sentMs: z.number().int(),
  sentTo: z.string(),
  note: z.string().nullable(),
  by: z.string(),
});

export const recordsRequestSchema = z.object({
  id: z.number().int(),
  regime: requestRegimeSchema,
  respondent: dscsaRespondentSchema.nullable(),
  requesterKind: requesterKindSchema,
  requester: z.string(),
  contact: z.string().nullable(),
  channel: requestChannelSchema,
  receivedMs: z.number().int(),
  timeZone: z.string(),
  asked: z.object({
    products: z.array(z.string()),
    lots: z.array(z.string()),
    tlcs: z.array(z.string()),
    serials: z.array(z.string()),
    from: z.string().optional(),
    to: z.string().optional(),
    note: z.string().optional(),
  }),
  statutoryDueMs: z.number().int(),
  dueMs: z.number().int(),
  basis: z.string(),
  agreed: z.boolean(),
  status: z.enum(['open', 'answered', 'withdrawn']),
  /** Null while open; true when the first answer was sent by the deadline. */
  answeredInTime: z.boolean().nullable(),
  recordedBy: z.string(),
  recordedSeq: z.number().int(),
  withdrawnReason: z.string().nullable(),
  answers: z.array(requestAnswerSchema),
});

/** A generated report (a `reports.generated` ledger entry) a request can be answered with. */
export const answerableReportSchema = z.object({
  seq: z.number().int(),
  time: z.number().int(),
  actor: z.string(),
  kind: z.string().nullable(),
  format: z.string().nullable(),
  sha256: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()),
});

const id = z.object({ id: z.number().int().positive() }).strict();

export const requestsProcedures = {
  'requests.list': procedure({
    summary: 'Records requests (FDA, officials, trading partners), open ones first by deadline.',
    permission: 'ledger.read',
    input: z
      .object({ status: z.enum(['open', 'answered', 'withdrawn']).optional() })
      .strict()
      .optional(),
    output: z.object({ requests: z.array(recordsRequestSchema) }),
  }),
  'requests.get': procedure({
    summary: 'One records request, with its deadline, its basis and the reports sent in answer.',
    permission: 'ledger.read',
    input: id,
    output: recordsRequestSchema,
  }),
  'requests.record': procedure({
    summary:
      'Records a request as received: when, from whom, what was asked; the deadline is counted from the receipt (business days count US federal holidays).',
    permission: 'requests.write',
    input: z
      .object({
        regime: requestRegimeSchema,
        respondent: dscsaRespondentSchema.optional(),
        requesterKind: requesterKindSchema,
        requester: text(200),
        contact: z.string().trim().max(400).optional(),
        channel: requestChannelSchema,
        receivedMs: z.number().int().positive(),
        /** IANA zone where it was received (the workstation's): business days are counted there. */
        timeZone: text(64),
        asked: requestedSchema,
      })
      .strict(),
    output: recordsRequestSchema,
  }),
  'requests.agreeDeadline': procedure({
    summary:
      'Records another time agreed with FDA (21 CFR 1.1455(c)(3)) or determined by FDA (FD&C Act §582): it replaces the computed deadline.',
    permission: 'requests.write',
    input: z
      .object({
        id: z.number().int().positive(),
        dueMs: z.number().int().positive(),
        note: text(1000),
      })
      .strict(),
    output: recordsRequestSchema,
  }),
  'requests.answer': procedure({
    summary:
      'Records a generated report (its reports.generated ledger entry) as sent in answer to the request.',
    permission: 'requests.write',
    input: z
      .object({
        id: z.number().int().positive(),
        reportSeq: z.number().int().nonnegative(),
        sentMs: z.number().int().positive().optional(),
        sentTo: text(400),
        note: z.string().trim().max(2000).optional(),
      })
      .strict(),
    output: recordsRequestSchema,
  }),
  'requests.withdraw': procedure({
    summary: 'Records that the requester withdrew the request (the deadline stops).',
    permission: 'requests.write',
    input: z.object({ id: z.number().int().positive(), reason: text(1000) }).strict(),
    output: recordsRequestSchema,
  }),
  'requests.reports': procedure({
    summary:
      'Generated reports (reports.generated entries), newest first, that a request can be answered with.',
    permission: 'ledger.read',
    input: z
      .object({ limit: z.number().int().min(1).max(200).default(50) })
      .strict()
      .optional(),
    output: z.object({ reports: z.array(answerableReportSchema) }),
  }),
};
