import { z } from 'zod';
import { procedure } from '../contract';
import { partnerRoleSchema } from './partners';
import { closureSignatureSchema, signingPasswordSchema } from './quarantine';

/*
 * Partner sync: a trading partner's EPCIS 2.0 REST endpoint (pull and capture) and its
 * verification service (GS1 Lightweight Messaging), the outbox of outgoing requests, and the
 * background pulls. Changing a partner, syncing, sending and verifying need import.write (each
 * brings records into the ledger or sends ours out, as an import does); reading the state needs
 * ledger.read. A partner's secret travels in partners.saveSync's input once, to the keychain; it is
 * never returned, recorded or logged.
 */

const url = z.string().trim().min(1).max(2000);
const pem = z
  .string()
  .max(20_000)
  .regex(/-----BEGIN [A-Z ]+-----/, 'a PEM file (-----BEGIN …)');

export const syncPartnerInputSchema = z
  .object({
    partnerId: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(200),
    role: partnerRoleSchema.default('wholesaler'),
    glns: z
      .array(z.string().regex(/^\d{13}$/, 'a GLN is 13 digits'))
      .min(1)
      .max(50),
    address: z.string().max(500).optional(),
    authorized: z.boolean().default(false),
    licence: z.string().trim().max(300).optional(),
    licenceChecked: z.string().trim().max(300).optional(),
    licenceExpires: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    epcisUrl: url.optional(),
    verifyUrl: url.optional(),
    auth: z.enum(['none', 'bearer', 'basic', 'oauth2']).default('none'),
    tokenUrl: url.optional(),
    clientId: z.string().trim().max(300).optional(),
    caPem: pem.optional(),
    pinnedSha256: z
      .string()
      .regex(/^[0-9a-fA-F:]{64,95}$/)
      .optional(),
    clientCertPem: pem.optional(),
    perPage: z.number().int().min(1).max(10_000).optional(),
    intervalMinutes: z.number().int().min(1).max(1440).optional(),
    /** The bearer token, basic password or OAuth2 client secret: stored in the keychain, never returned. */
    secret: z.string().min(1).max(2000).optional(),
    /** The client certificate's private key (PEM): stored in the keychain, never returned. */
    clientKey: pem.optional(),
  })
  .strict();

const tlsSchema = z
  .object({
    protocol: z.string().nullable(),
    subject: z.string().nullable(),
    issuer: z.string().nullable(),
    validToMs: z.number().nullable(),
  })
  .nullable();

const partnerSyncSchema = z.object({
  partnerId: z.number().int(),
  name: z.string(),
  glns: z.array(z.string()),
  epcisUrl: z.string().nullable(),
  verifyUrl: z.string().nullable(),
  auth: z.enum(['none', 'bearer', 'basic', 'oauth2']),
  hasClientCertificate: z.boolean(),
  hasCa: z.boolean(),
  pinned: z.boolean(),
  licence: z.string().nullable(),
  licenceExpires: z.string().nullable(),
  status: z.enum(['never', 'ok', 'failing', 'open-circuit']),
  message: z.string(),
  cursor: z.string().nullable(),
  lastSuccessMs: z.number().nullable(),
  lastAttemptMs: z.number().nullable(),
  tls: tlsSchema,
  epcisVersion: z.string().nullable(),
  waiting: z.number().int(),
  failed: z.number().int(),
  dead: z.number().int(),
  warnings: z.array(z.string()),
  syncing: z.boolean(),
});

const outboxItemSchema = z.object({
  id: z.number().int(),
  partnerId: z.number().int(),
  kind: z.enum(['capture', 'verify']),
  name: z.string(),
  state: z.enum(['queued', 'posted', 'polling', 'delivered', 'failed', 'dead', 'dismissed', 'split']),
  events: z.number().int(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  enqueuedBy: z.string(),
  enqueuedMs: z.number(),
  outcomeMs: z.number().nullable(),
});

const verificationSchema = z.object({
  id: z.number().int(),
  gtin: z.string(),
  lot: z.string(),
  expiry: z.string(),
  context: z.string(),
  corrUuid: z.string(),
  status: z.enum(['verified', 'not-verified', 'no-answer-yet', 'dead']),
  failureReason: z.string().nullable(),
  additionalInfo: z.string().nullable(),
  responderGln: z.string().nullable(),
  answeredMs: z.number().nullable(),
});

const passSchema = z.object({
  partnerId: z.number().int(),
  partner: z.string(),
  ok: z.boolean(),
  message: z.string(),
  events: z.number().int(),
  imported: z.number().int(),
  quarantined: z.number().int(),
  delivered: z.number().int(),
  dead: z.number().int(),
  waiting: z.number().int(),
});

export const syncProcedures = {
  'sync.overview': procedure({
    summary:
      'Trading partners with sync endpoints: connection state, TLS certificate, last pull, items waiting, failed and dead-lettered, and the recent outgoing items.',
    permission: 'ledger.read',
    input: z.object({}).strict().optional(),
    output: z.object({
      partners: z.array(partnerSyncSchema),
      outbox: z.array(outboxItemSchema),
      jobId: z.string().nullable(),
    }),
  }),
  'sync.savePartner': procedure({
    summary:
      "Adds or changes a trading partner with its EPCIS and verification endpoints and how it authenticates; the secret and client key go to this computer's keychain.",
    permission: 'import.write',
    input: syncPartnerInputSchema,
    output: z.object({ partnerId: z.number().int() }),
  }),
  'sync.test': procedure({
    summary:
      "Tests a partner's connection: TLS and certificate, EPCIS and CBV versions, OPTIONS /capture, LMS connectivity.",
    permission: 'import.write',
    input: z.object({ partnerId: z.number().int().positive() }).strict(),
    output: z.object({
      partner: z.string(),
      ok: z.boolean(),
      checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
      tls: tlsSchema,
    }),
  }),
  'sync.run': procedure({
    summary: 'Sync now: pulls every new page from the partner (or all partners), then delivers the outbox.',
    permission: 'import.write',
    input: z.object({ partnerId: z.number().int().positive().optional() }).strict().optional(),
    output: z.object({ jobId: z.string(), results: z.array(passSchema) }),
  }),
  'sync.cancel': procedure({
    summary: 'Cancels the running sync pass; what was committed stays, the rest waits for the next pass.',
    permission: 'import.write',
    input: z.object({}).strict().optional(),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'sync.retry': procedure({
    summary: 'Sends a dead-lettered item again (its attempts start over).',
    permission: 'import.write',
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: z.object({ id: z.number().int() }),
  }),
  'sync.dismiss': procedure({
    summary:
      'Dismisses a dead-lettered item without sending it: the signed-in person signs the reason by re-entering their password.',
    permission: 'import.write',
    input: z
      .object({
        id: z.number().int().positive(),
        reason: z.string().trim().min(5).max(2000),
        password: signingPasswordSchema,
      })
      .strict(),
    output: z.object({ id: z.number().int(), signature: closureSignatureSchema }),
  }),
  'sync.send': procedure({
    summary: "Queues an EPCIS 2.0 JSON document for a partner's capture interface.",
    permission: 'import.write',
    input: z
      .object({
        partnerId: z.number().int().positive(),
        name: z.string().trim().min(1).max(200),
        document: z.string().min(2).max(50_000_000),
      })
      .strict(),
    output: z.object({ id: z.number().int() }),
  }),
  'sync.verify': procedure({
    summary:
      "Verifies a scanned package's product identifier with the manufacturer (GS1 Lightweight Messaging); within a second, or 'no answer yet' and asked again in the background.",
    permission: 'import.write',
    input: z
      .object({
        partnerId: z.number().int().positive(),
        scan: z.string().min(1).max(500),
        context: z.enum(['dscsaSaleableReturn', 'dscsaSuspectProduct']).default('dscsaSaleableReturn'),
      })
      .strict(),
    output: verificationSchema,
  }),
};
