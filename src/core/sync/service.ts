import crypto from 'node:crypto';
import { ApiError } from '../api/errors';
import { parseGln } from '../identifiers';
import type { Workspace, WriteTx } from '../ledger/workspace';
import { savePartner, type PartnerInput } from '../partners';
import { readRegistrant } from '../registrant/registrant';
import type { SecretStore } from '../secrets/secret-store';
import { captureLimits, documentParts, base } from './capture';
import { hasPartnerSecret, partnerLink, storePartnerCredentials } from './credentials';
import { deliverOne, deliverOutbox, type DeliverOptions } from './deliver';
import { checkVersions, epcisHeaders, header, partnerRequest, type AuthKind } from './partner-http';
import { pull } from './pull';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import {
  endpointOfPartner,
  enqueue,
  listEndpoints,
  outboxCounts,
  outboxRow,
  projectEndpoint,
  recordPass,
  SYNC_ENTRY,
  syncState,
  updateOutbox,
  type Endpoint,
  type EndpointSettings,
  type OutboxRow,
} from './store';
import { checkPartnerUrl, TransportError, type TlsDetails } from './transport';
import { askVerification, type VerifyAnswer, type VerifyContext } from './verify';

/** How a pass behaves; tests shorten the waits. */
export interface SyncSettings {
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly captureGraceMs: number;
  readonly pollIntervalMs: number;
  readonly maxPolls: number;
  /** Failed passes in a row before a partner's circuit opens. */
  readonly openCircuitAfter: number;
}

export const DEFAULT_SYNC: SyncSettings = {
  retry: DEFAULT_RETRY,
  timeoutMs: 30_000,
  captureGraceMs: 10 * 60_000,
  pollIntervalMs: 2_000,
  maxPolls: 30,
  openCircuitAfter: 5,
};

export class SyncError extends ApiError {}

export interface SyncDeps {
  readonly ws: Workspace;
  readonly secrets: SecretStore;
  readonly settings: SyncSettings;
}

// ——— partners and their endpoints ———

export interface EndpointInput extends Partial<EndpointSettings> {
  readonly partnerId?: number;
  readonly name: string;
  readonly role?: PartnerInput['role'];
  readonly glns: readonly string[];
  readonly authorized?: boolean;
  readonly address?: string;
}

/** Adds or changes a partner with its sync endpoints; its secrets go to the keychain only. */
export async function saveEndpoint(
  deps: Pick<SyncDeps, 'ws' | 'secrets'>,
  input: EndpointInput,
  credentials: { secret?: string | null; clientKey?: string | null },
  actor: string,
): Promise<number> {
  const { ws } = deps;
  for (const [what, url] of [
    ['EPCIS', input.epcisUrl],
    ['verification', input.verifyUrl],
    ['token', input.tokenUrl],
  ] as const) {
    if (url !== undefined && url !== null) {
      try {
        checkPartnerUrl(url, input.name);
      } catch (error) {
        throw new SyncError('invalid-input', `The ${what} address: ${(error as Error).message}`);
      }
    }
  }
  for (const gln of input.glns) {
    const check = parseGln(gln);
    if (!check.ok) throw new SyncError('invalid-input', `GLN ${gln} is not valid: ${check.error.message}`);
  }
  const auth: AuthKind = input.auth ?? 'none';
  if (auth === 'oauth2' && (input.tokenUrl == null || input.clientId == null))
    throw new SyncError('invalid-input', 'OAuth2 client credentials need a token URL and a client id.');
  if (auth === 'basic' && input.clientId == null)
    throw new SyncError('invalid-input', 'HTTP basic authentication needs a user name (client id).');
  if (input.authorized === true && (input.licence == null || input.licence.trim() === ''))
    throw new SyncError(
      'invalid-input',
      'An authorized trading partner (FD&C Act §582(d)(3)) needs its evidence: the state licence or the DEA/FDA registration checked.',
    );
  if (input.licenceExpires != null && !/^\d{4}-\d{2}-\d{2}$/.test(input.licenceExpires))
    throw new SyncError('invalid-input', 'The licence expiry is a date, YYYY-MM-DD.');
  const existing = input.partnerId !== undefined ? endpointOfPartner(ws.db, input.partnerId) : undefined;
  const partnerId = await savePartner(
    ws,
    {
      ...(input.partnerId !== undefined ? { id: input.partnerId } : {}),
      name: input.name,
      role: input.role ?? 'wholesaler',
      authorized: input.authorized ?? false,
      ...(input.address !== undefined ? { address: input.address } : {}),
      glns: [...input.glns],
    },
    actor,
  );
  const settings: EndpointSettings = {
    epcisUrl: input.epcisUrl ?? existing?.epcisUrl ?? null,
    verifyUrl: input.verifyUrl ?? existing?.verifyUrl ?? null,
    auth,
    tokenUrl: input.tokenUrl ?? null,
    clientId: input.clientId ?? null,
    caPem: input.caPem ?? existing?.caPem ?? null,
    pinnedSha256: input.pinnedSha256 ?? existing?.pinnedSha256 ?? null,
    clientCertPem: input.clientCertPem ?? existing?.clientCertPem ?? null,
    query: input.query ?? existing?.query ?? {},
    perPage: input.perPage ?? existing?.perPage ?? 1000,
    overlapMs: input.overlapMs ?? existing?.overlapMs ?? 300_000,
    intervalMs: input.intervalMs ?? existing?.intervalMs ?? 900_000,
    maxAttempts: input.maxAttempts ?? existing?.maxAttempts ?? 5,
    licence: input.licence ?? null,
    licenceChecked: input.licenceChecked ?? null,
    licenceExpires: input.licenceExpires ?? null,
  };
  // The keychain first: a partner saved without its credential would fail its first pass.
  await storePartnerCredentials(deps.secrets, partnerId, credentials);
  await ws.write((tx) => {
    const [seq] = tx.append([
      {
        type: SYNC_ENTRY.endpointSaved,
        actor,
        // Settings only: the certificates are public, the secrets are in the keychain and not here.
        payload: {
          partner: partnerId,
          ...settings,
          caPem: settings.caPem === null ? null : 'set',
          clientCertPem: settings.clientCertPem === null ? null : 'set',
        },
      },
    ]);
    projectEndpoint(tx.db, partnerId, settings, seq!);
  });
  return partnerId;
}

/** Our own GLNs (the registrant's, and partners with role "self"): the destination the default pull filter asks for. */
export function ourGlns(db: Workspace['db']): string[] {
  const selves = db
    .prepare(
      "SELECT g.gln FROM partner_glns g JOIN trading_partners p ON p.id = g.partner_id WHERE p.role = 'self' ORDER BY g.gln",
    )
    .pluck()
    .all() as string[];
  return [...new Set([...(readRegistrant(db)?.glns ?? []), ...selves])];
}

function endpointOrThrow(ws: Workspace, partnerId: number): Endpoint {
  const e = endpointOfPartner(ws.db, partnerId);
  if (e === undefined) throw new SyncError('not-found', `Trading partner ${partnerId} has no sync settings.`);
  return e;
}

export function findPartnerByName(ws: Workspace, name: string): Endpoint {
  const all = listEndpoints(ws.db);
  const e =
    all.find((x) => x.partnerName === name) ??
    all.find((x) => x.partnerName.toLowerCase() === name.toLowerCase()) ??
    (/^\d+$/.test(name) ? all.find((x) => x.partnerId === Number(name)) : undefined);
  if (e === undefined)
    throw new SyncError(
      'not-found',
      `No trading partner named "${name}" has sync settings${all.length > 0 ? ` (known: ${all.map((x) => x.partnerName).join(', ')})` : ''}.`,
    );
  return e;
}

// ——— a pass ———

export interface PartnerPassResult {
  readonly partnerId: number;
  readonly partner: string;
  readonly ok: boolean;
  readonly message: string;
  readonly pages: number;
  readonly events: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly quarantined: number;
  readonly delivered: number;
  readonly dead: number;
  readonly waiting: number;
  readonly skipped: boolean;
}

export interface PassOptions {
  readonly partnerId?: number;
  readonly actor: string;
  /** A person's "Sync now" or a command: try a partner whose circuit is open too. */
  readonly force: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (label: string, done: number) => void;
}

/** One pass: for each partner, pull until there is no next page, then deliver its outbox. */
export async function syncPass(deps: SyncDeps, options: PassOptions): Promise<PartnerPassResult[]> {
  const { ws } = deps;
  const endpoints = listEndpoints(ws.db).filter(
    (e) => options.partnerId === undefined || e.partnerId === options.partnerId,
  );
  const results: PartnerPassResult[] = [];
  for (const endpoint of endpoints) {
    options.signal?.throwIfAborted();
    results.push(await partnerPass(deps, endpoint, options));
  }
  return results;
}

function describe(error: unknown): string {
  if (error instanceof ApiError || error instanceof TransportError) return error.message;
  if (error instanceof Error && error.name === 'PartnerHttpError') return error.message;
  if (error instanceof Error && ['LedgerError', 'StoreError'].includes(error.name)) return error.message;
  return 'an unexpected failure (the log has its name)';
}

async function partnerPass(
  deps: SyncDeps,
  endpoint: Endpoint,
  options: PassOptions,
): Promise<PartnerPassResult> {
  const { ws, settings } = deps;
  const state = syncState(ws.db, endpoint.partnerId);
  const base = {
    partnerId: endpoint.partnerId,
    partner: endpoint.partnerName,
    pages: 0,
    events: 0,
    imported: 0,
    duplicates: 0,
    quarantined: 0,
    delivered: 0,
    dead: 0,
    waiting: 0,
  };
  if (!options.force && state.circuitOpenUntilMs !== null && state.circuitOpenUntilMs > ws.now()) {
    return {
      ...base,
      ok: false,
      skipped: true,
      message: `Paused after ${state.failures} failed syncs; next try ${new Date(state.circuitOpenUntilMs).toISOString()}.`,
    };
  }
  const link = await partnerLink(deps.secrets, endpoint, settings.timeoutMs);
  let tls: TlsDetails | null = null;
  let versions: { epcisVersion: string | null; cbvVersion: string | null } = {
    epcisVersion: null,
    cbvVersion: null,
  };
  const tally = { ...base };
  const problems: string[] = [];
  if (link.epcisUrl !== null) {
    try {
      const r = await pull(ws, link, endpoint, ourGlns(ws.db), {
        actor: options.actor,
        retry: settings.retry,
        ...(options.signal ? { signal: options.signal } : {}),
        onPage: (pages, events) => options.onProgress?.(`${endpoint.partnerName}: page ${pages}`, events),
      });
      Object.assign(tally, {
        pages: r.pages,
        events: r.events,
        imported: r.imported,
        duplicates: r.duplicates,
        quarantined: r.quarantined,
      });
      tls = r.tls;
      versions = { epcisVersion: r.epcisVersion, cbvVersion: r.cbvVersion };
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      problems.push(`pull: ${describe(error)}`);
    }
  }
  try {
    const d = await deliverOutbox(ws, link, deliverOptions(deps, endpoint, options));
    Object.assign(tally, d);
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    problems.push(`outbox: ${describe(error)}`);
  }
  const ok = problems.length === 0;
  const message = ok
    ? `${tally.imported} new event(s) from ${tally.pages} page(s)${tally.duplicates > 0 ? `, ${tally.duplicates} already recorded` : ''}${tally.quarantined > 0 ? `, ${tally.quarantined} page(s) to quarantine` : ''}; ${tally.delivered} sent, ${tally.waiting} waiting, ${tally.dead} dead letter(s).`
    : problems.join(' ');
  await ws.write((tx) =>
    recordPass(tx.db, endpoint.partnerId, {
      ok,
      message,
      nowMs: tx.time,
      tls,
      ...versions,
      openAfter: settings.openCircuitAfter,
    }),
  );
  return { ...tally, ok, message, skipped: false };
}

function deliverOptions(deps: SyncDeps, endpoint: Endpoint, options: PassOptions): DeliverOptions {
  const { ws, settings } = deps;
  return {
    actor: options.actor,
    retry: settings.retry,
    now: () => ws.now(),
    captureGraceMs: settings.captureGraceMs,
    pollIntervalMs: settings.pollIntervalMs,
    maxPolls: settings.maxPolls,
    maxAttempts: endpoint.maxAttempts,
    ...(options.signal ? { signal: options.signal } : {}),
    verification: {
      openSerial: (row) => openSerial(ws, row),
      record: (row, answer) => (tx) => recordAnswer(tx, row, answer),
    },
  };
}

// ——— capture ———

/** Queues an EPCIS JSON document for a partner's capture interface. */
export async function enqueueCapture(
  ws: Workspace,
  partnerId: number,
  bytes: Buffer,
  name: string,
  actor: string,
): Promise<number> {
  const endpoint = endpointOrThrow(ws, partnerId);
  if (endpoint.epcisUrl === null)
    throw new SyncError('invalid-input', `${endpoint.partnerName} has no EPCIS address to send to.`);
  let parts;
  try {
    parts = documentParts(bytes);
  } catch (error) {
    throw new SyncError(
      'invalid-input',
      `${name} is not an EPCIS 2.0 JSON document with events (${error instanceof SyntaxError ? 'not JSON' : (error as Error).message}).`,
    );
  }
  const body = Buffer.from(
    JSON.stringify({
      '@context': parts.context ?? ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date(ws.now()).toISOString(),
      ...(parts.header !== undefined ? { epcisHeader: parts.header } : {}),
      epcisBody: { eventList: parts.events },
    }),
  );
  return ws.write((tx) =>
    enqueue(tx, {
      partnerId,
      kind: 'capture',
      name: name.slice(0, 200),
      body,
      eventIds: parts.events.map((e) => e.eventID as string),
      actor,
    }),
  );
}

// ——— verification ———

const serialAt = (corrUuid: string) => ({
  table: 'sync_verifications',
  column: 'serial_sealed',
  rowId: corrUuid,
});

function openSerial(ws: Workspace, row: OutboxRow): string {
  const sealed = ws.db
    .prepare('SELECT serial_sealed FROM sync_verifications WHERE outbox_id = ?')
    .pluck()
    .get(row.id) as Buffer;
  return ws.sealer.openText(sealed, serialAt(row.corrUuid!));
}

function recordAnswer(tx: WriteTx, row: OutboxRow, answer: VerifyAnswer): void {
  tx.db
    .prepare(
      'UPDATE sync_verifications SET verified = ?, failure_reason = ?, additional_info = ?, responder_gln = ?, answered_ms = ? WHERE outbox_id = ?',
    )
    .run(
      answer.verified ? 1 : 0,
      answer.failureReason,
      answer.additionalInfo,
      answer.responderGln,
      tx.time,
      row.id,
    );
}

export interface VerificationView {
  readonly id: number;
  readonly partnerId: number;
  readonly gtin: string;
  readonly lot: string;
  readonly expiry: string;
  readonly context: string;
  readonly corrUuid: string;
  /** 'verified' | 'not-verified' only on an answer; never shown as verified without one. */
  readonly status: 'verified' | 'not-verified' | 'no-answer-yet' | 'dead';
  readonly failureReason: string | null;
  readonly additionalInfo: string | null;
  readonly responderGln: string | null;
  readonly answeredMs: number | null;
  readonly lastError: string | null;
}

export function verificationView(ws: Pick<Workspace, 'db'>, id: number): VerificationView | undefined {
  const r = ws.db
    .prepare(
      `SELECT v.*, o.state, o.last_error FROM sync_verifications v JOIN sync_outbox o ON o.id = v.outbox_id WHERE v.outbox_id = ?`,
    )
    .get(id) as
    | {
        outbox_id: number;
        partner_id: number;
        gtin: string;
        lot: string;
        expiry: string;
        context: string;
        corr_uuid: string;
        verified: number | null;
        failure_reason: string | null;
        additional_info: string | null;
        responder_gln: string | null;
        answered_ms: number | null;
        state: string;
        last_error: string | null;
      }
    | undefined;
  if (r === undefined) return undefined;
  return {
    id: r.outbox_id,
    partnerId: r.partner_id,
    gtin: r.gtin,
    lot: r.lot,
    expiry: r.expiry,
    context: r.context,
    corrUuid: r.corr_uuid,
    status:
      r.verified === 1
        ? 'verified'
        : r.verified === 0
          ? 'not-verified'
          : r.state === 'dead'
            ? 'dead'
            : 'no-answer-yet',
    failureReason: r.failure_reason,
    additionalInfo: r.additional_info,
    responderGln: r.responder_gln,
    answeredMs: r.answered_ms,
    lastError: r.last_error,
  };
}

/**
 * Queues a verification and asks at once within `budgetMs` (the UI's one second): the answer if it
 * came, else "no answer yet", and the outbox asks again with the same corrUUID in the background.
 */
export async function requestVerification(
  deps: SyncDeps,
  input: {
    partnerId: number;
    gtin: string;
    lot: string;
    expiry: string;
    serial: string;
    context: VerifyContext;
    actor: string;
    budgetMs: number;
  },
): Promise<VerificationView> {
  const { ws } = deps;
  const endpoint = endpointOrThrow(ws, input.partnerId);
  if (endpoint.verifyUrl === null)
    throw new SyncError('invalid-input', `${endpoint.partnerName} has no verification service address.`);
  const requesterGln = ourGlns(ws.db)[0];
  if (requesterGln === undefined)
    throw new SyncError(
      'invalid-input',
      'Add this pharmacy\'s own GLN (a partner with role "self") before verifying: the request names who asks.',
    );
  const corrUuid = crypto.randomUUID();
  const id = await ws.write((tx) => {
    const outboxId = enqueue(tx, {
      partnerId: input.partnerId,
      kind: 'verify',
      name: `Verify GTIN ${input.gtin} lot ${input.lot}`,
      body: Buffer.from(
        JSON.stringify({
          gtin: input.gtin,
          lot: input.lot,
          expiry: input.expiry,
          context: input.context,
          requesterGln,
        }),
      ),
      eventIds: [],
      corrUuid,
      actor: input.actor,
    });
    tx.db
      .prepare(
        'INSERT INTO sync_verifications (outbox_id, partner_id, gtin, lot, expiry, serial_sealed, context, corr_uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        outboxId,
        input.partnerId,
        input.gtin,
        input.lot,
        input.expiry,
        ws.sealer.seal(input.serial, serialAt(corrUuid)),
        input.context,
        corrUuid,
      );
    return outboxId;
  });
  const link = await partnerLink(deps.secrets, endpoint, input.budgetMs);
  await deliverOne(ws, link, id, {
    ...deliverOptions(deps, endpoint, { actor: input.actor, force: true }),
    timeoutMs: input.budgetMs,
  });
  return verificationView(ws, id)!;
}

// ——— a person's decisions on a failed item ———

export async function dismissItem(
  ws: Workspace,
  id: number,
  decision: { reason: string; signature: Record<string, unknown> },
  actor: string,
): Promise<void> {
  await ws.write((tx) => {
    const row = outboxRow(tx.db, id);
    if (row === undefined) throw new SyncError('not-found', `There is no outgoing item ${id}.`);
    if (row.state !== 'dead' && row.state !== 'failed')
      throw new SyncError('conflict', `Item ${id} is ${row.state}; only a dead letter can be dismissed.`);
    const [seq] = tx.append([
      {
        type: SYNC_ENTRY.dismissed,
        actor,
        payload: {
          outbox: id,
          partner: row.partnerId,
          name: row.name,
          reason: decision.reason,
          signature: decision.signature,
        },
      },
    ]);
    tx.db
      .prepare("UPDATE sync_outbox SET state = 'dismissed', outcome_seq = ?, outcome_ms = ? WHERE id = ?")
      .run(seq!, tx.time, id);
  });
}

export async function retryItem(ws: Workspace, id: number, actor: string): Promise<void> {
  await ws.write((tx) => {
    const row = outboxRow(tx.db, id);
    if (row === undefined) throw new SyncError('not-found', `There is no outgoing item ${id}.`);
    if (row.state !== 'dead')
      throw new SyncError('conflict', `Item ${id} is ${row.state}; only a dead letter can be retried.`);
    tx.append([
      { type: SYNC_ENTRY.requeued, actor, payload: { outbox: id, partner: row.partnerId, name: row.name } },
    ]);
    updateOutbox(tx.db, id, {
      state: 'queued',
      attempts: 0,
      nextAttemptMs: 0,
      lastError: null,
      postedMs: null,
    });
  });
}

// ——— test connection ———

export interface ConnectionReport {
  readonly partner: string;
  readonly ok: boolean;
  readonly checks: { name: string; ok: boolean; detail: string }[];
  readonly tls: TlsDetails | null;
}

/** TLS and EPCIS versions, the certificate, OPTIONS /capture, and the LMS connectivity check. */
export async function testConnection(deps: SyncDeps, partnerId: number): Promise<ConnectionReport> {
  const endpoint = endpointOrThrow(deps.ws, partnerId);
  const link = await partnerLink(deps.secrets, endpoint, deps.settings.timeoutMs);
  const checks: ConnectionReport['checks'] = [];
  let tls: TlsDetails | null = null;
  if (endpoint.auth !== 'none' && !(await hasPartnerSecret(deps.secrets, partnerId)))
    checks.push({
      name: 'credential',
      ok: false,
      detail: "No credential for this partner in this computer's keychain.",
    });
  if (link.epcisUrl !== null) {
    try {
      const answer = await partnerRequest(link, {
        method: 'OPTIONS',
        url: `${base(link)}/events`,
        headers: epcisHeaders(),
        expect: [200, 204],
      });
      tls = answer.tls;
      const v = checkVersions(link, answer);
      checks.push({
        name: 'epcis',
        ok: true,
        detail: `EPCIS ${v.epcis ?? 'version not stated'}, CBV ${v.cbv ?? 'version not stated'}${header(answer, 'gs1-epcis-max') ? `, up to ${header(answer, 'gs1-epcis-max')}` : ''}.`,
      });
      const limits = await captureLimits(link);
      checks.push({
        name: 'capture',
        ok: true,
        detail: `Capture accepts ${limits.events ?? 'any number of'} events${limits.bytes !== null ? ` and ${limits.bytes} bytes` : ''} per document (Allow: ${limits.allow ?? 'not stated'}).`,
      });
    } catch (error) {
      checks.push({ name: 'epcis', ok: false, detail: describe(error) });
    }
  }
  if (link.verifyUrl !== null) {
    try {
      // LMS 1.1 connectivity check: a request with context checkConnectivity, answered without a lookup.
      const answer = await askVerification(link, {
        gtin: '00000000000000',
        lot: '0',
        expiry: '000101',
        serial: '0',
        context: 'checkConnectivity' as VerifyContext,
        requesterGln: ourGlns(deps.ws.db)[0] ?? '0000000000000',
        corrUuid: crypto.randomUUID(),
      });
      checks.push({
        name: 'verification',
        ok: true,
        detail: `Verification service answers${answer.responderGln !== null ? ` (responder GLN ${answer.responderGln})` : ''}.`,
      });
    } catch (error) {
      checks.push({ name: 'verification', ok: false, detail: describe(error) });
    }
  }
  if (tls?.validToMs != null && tls.validToMs - deps.ws.now() < 30 * 86_400_000)
    checks.push({
      name: 'certificate',
      ok: tls.validToMs > deps.ws.now(),
      detail: `The server certificate (${tls.subject ?? 'no subject'}) expires ${new Date(tls.validToMs).toISOString().slice(0, 10)}.`,
    });
  await deps.ws.write((tx) =>
    recordPass(tx.db, partnerId, {
      ok: checks.every((c) => c.ok),
      message: checks.map((c) => c.detail).join(' '),
      nowMs: tx.time,
      tls,
      openAfter: Number.MAX_SAFE_INTEGER,
    }),
  );
  return { partner: endpoint.partnerName, ok: checks.length > 0 && checks.every((c) => c.ok), checks, tls };
}

// ——— what the page and `sync status` show ———

export interface PartnerSyncView {
  readonly partnerId: number;
  readonly name: string;
  readonly glns: readonly string[];
  readonly epcisUrl: string | null;
  readonly verifyUrl: string | null;
  readonly auth: AuthKind;
  readonly hasClientCertificate: boolean;
  readonly hasCa: boolean;
  readonly pinned: boolean;
  readonly licence: string | null;
  readonly licenceExpires: string | null;
  readonly state: ReturnType<typeof syncState>;
  readonly waiting: number;
  readonly failed: number;
  readonly dead: number;
  readonly warnings: string[];
}

export function syncOverview(ws: Pick<Workspace, 'db' | 'now'>): PartnerSyncView[] {
  const now = ws.now();
  const soon = (ms: number | null) => ms !== null && ms - now < 30 * 86_400_000;
  return listEndpoints(ws.db).map((e) => {
    const state = syncState(ws.db, e.partnerId);
    const warnings: string[] = [];
    const certTo = state.tls?.validToMs ?? null;
    if (soon(certTo))
      warnings.push(
        certTo! < now
          ? `The partner's server certificate expired on ${new Date(certTo!).toISOString().slice(0, 10)}.`
          : `The partner's server certificate expires on ${new Date(certTo!).toISOString().slice(0, 10)}.`,
      );
    const licenceTo = e.licenceExpires !== null ? Date.parse(`${e.licenceExpires}T23:59:59Z`) : null;
    if (soon(licenceTo))
      warnings.push(
        licenceTo! < now
          ? `The licence recorded for this partner expired on ${e.licenceExpires}: check it again (§582(d)(3)).`
          : `The licence recorded for this partner expires on ${e.licenceExpires}: check its renewal (§582(d)(3)).`,
      );
    return {
      partnerId: e.partnerId,
      name: e.partnerName,
      glns: e.partnerGlns,
      epcisUrl: e.epcisUrl,
      verifyUrl: e.verifyUrl,
      auth: e.auth,
      hasClientCertificate: e.clientCertPem !== null,
      hasCa: e.caPem !== null,
      pinned: e.pinnedSha256 !== null,
      licence: e.licence,
      licenceExpires: e.licenceExpires,
      state,
      ...outboxCounts(ws.db, e.partnerId),
      warnings,
    };
  });
}
