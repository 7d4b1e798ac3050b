import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { WriteTx } from '../ledger/workspace';
import type { AuthKind } from './partner-http';
import type { TlsDetails } from './transport';

/*
 * The SQL of partner sync's tables (migration 0300). Endpoint settings are the projection of
 * sync.endpoint-saved entries; the cursor, TLS details, attempt counters and the circuit breaker are
 * operational state written without a ledger entry (a 30% fault rate must not flood the ledger);
 * enqueue, final outcome and dismissal of an outgoing request are ledger entries.
 */

export const SYNC_ENTRY = {
  endpointSaved: 'sync.endpoint-saved',
  enqueued: 'sync.enqueued',
  delivered: 'sync.delivered',
  deadLettered: 'sync.dead-lettered',
  dismissed: 'sync.dismissed',
  requeued: 'sync.requeued',
  verified: 'sync.verification-answered',
} as const;

export interface EndpointSettings {
  readonly epcisUrl: string | null;
  readonly verifyUrl: string | null;
  readonly auth: AuthKind;
  readonly tokenUrl: string | null;
  readonly clientId: string | null;
  readonly caPem: string | null;
  readonly pinnedSha256: string | null;
  readonly clientCertPem: string | null;
  /** Extra EPCIS query parameters (name → value), replacing the default destination filter. */
  readonly query: Record<string, string>;
  readonly perPage: number;
  readonly overlapMs: number;
  readonly intervalMs: number;
  readonly maxAttempts: number;
  /** §582(d)(3) evidence of an authorized trading partner: licence or registration, where checked, expiry. */
  readonly licence: string | null;
  readonly licenceChecked: string | null;
  readonly licenceExpires: string | null;
}

export interface Endpoint extends EndpointSettings {
  readonly partnerId: number;
  readonly partnerName: string;
  readonly partnerGlns: readonly string[];
}

interface EndpointRow {
  partner_id: number;
  name: string;
  epcis_url: string | null;
  verify_url: string | null;
  auth: AuthKind;
  token_url: string | null;
  client_id: string | null;
  ca_pem: string | null;
  pinned_sha256: string | null;
  client_cert_pem: string | null;
  query: string;
  per_page: number;
  overlap_ms: number;
  interval_ms: number;
  max_attempts: number;
  licence: string | null;
  licence_checked: string | null;
  licence_expires: string | null;
}

const ENDPOINT_SELECT = `SELECT e.*, p.name FROM sync_endpoints e JOIN trading_partners p ON p.id = e.partner_id`;

function endpointOf(db: Database, r: EndpointRow): Endpoint {
  return {
    partnerId: r.partner_id,
    partnerName: r.name,
    partnerGlns: db
      .prepare('SELECT gln FROM partner_glns WHERE partner_id = ? ORDER BY gln')
      .pluck()
      .all(r.partner_id) as string[],
    epcisUrl: r.epcis_url,
    verifyUrl: r.verify_url,
    auth: r.auth,
    tokenUrl: r.token_url,
    clientId: r.client_id,
    caPem: r.ca_pem,
    pinnedSha256: r.pinned_sha256,
    clientCertPem: r.client_cert_pem,
    query: JSON.parse(r.query) as Record<string, string>,
    perPage: r.per_page,
    overlapMs: r.overlap_ms,
    intervalMs: r.interval_ms,
    maxAttempts: r.max_attempts,
    licence: r.licence,
    licenceChecked: r.licence_checked,
    licenceExpires: r.licence_expires,
  };
}

export function listEndpoints(db: Database): Endpoint[] {
  return (db.prepare(`${ENDPOINT_SELECT} ORDER BY p.name`).all() as EndpointRow[]).map((r) =>
    endpointOf(db, r),
  );
}

export function endpointOfPartner(db: Database, partnerId: number): Endpoint | undefined {
  const row = db.prepare(`${ENDPOINT_SELECT} WHERE e.partner_id = ?`).get(partnerId) as
    EndpointRow | undefined;
  return row === undefined ? undefined : endpointOf(db, row);
}

/** The projection of a sync.endpoint-saved entry. */
export function projectEndpoint(db: Database, partnerId: number, s: EndpointSettings, seq: number): void {
  db.prepare(
    `INSERT INTO sync_endpoints (partner_id, epcis_url, verify_url, auth, token_url, client_id, ca_pem, pinned_sha256, client_cert_pem, query, per_page, overlap_ms, interval_ms, max_attempts, licence, licence_checked, licence_expires, saved_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (partner_id) DO UPDATE SET epcis_url = excluded.epcis_url, verify_url = excluded.verify_url, auth = excluded.auth,
       token_url = excluded.token_url, client_id = excluded.client_id, ca_pem = excluded.ca_pem, pinned_sha256 = excluded.pinned_sha256,
       client_cert_pem = excluded.client_cert_pem, query = excluded.query, per_page = excluded.per_page, overlap_ms = excluded.overlap_ms,
       interval_ms = excluded.interval_ms, max_attempts = excluded.max_attempts, licence = excluded.licence,
       licence_checked = excluded.licence_checked, licence_expires = excluded.licence_expires, saved_seq = excluded.saved_seq`,
  ).run(
    partnerId,
    s.epcisUrl,
    s.verifyUrl,
    s.auth,
    s.tokenUrl,
    s.clientId,
    s.caPem,
    s.pinnedSha256,
    s.clientCertPem,
    JSON.stringify(s.query),
    s.perPage,
    s.overlapMs,
    s.intervalMs,
    s.maxAttempts,
    s.licence,
    s.licenceChecked,
    s.licenceExpires,
    seq,
  );
  db.prepare('INSERT INTO sync_state (partner_id) VALUES (?) ON CONFLICT (partner_id) DO NOTHING').run(
    partnerId,
  );
}

export type SyncStatus = 'never' | 'ok' | 'failing' | 'open-circuit';

export interface SyncState {
  readonly cursor: string | null;
  readonly lastAttemptMs: number | null;
  readonly lastSuccessMs: number | null;
  readonly status: SyncStatus;
  readonly message: string;
  readonly failures: number;
  readonly circuitOpenUntilMs: number | null;
  readonly tls: TlsDetails | null;
  readonly epcisVersion: string | null;
  readonly cbvVersion: string | null;
}

export function syncState(db: Database, partnerId: number): SyncState {
  const r = db.prepare('SELECT * FROM sync_state WHERE partner_id = ?').get(partnerId) as
    | {
        cursor_record_time: string | null;
        last_attempt_ms: number | null;
        last_success_ms: number | null;
        status: SyncStatus;
        status_message: string;
        failures: number;
        circuit_open_until_ms: number | null;
        tls_protocol: string | null;
        cert_subject: string | null;
        cert_issuer: string | null;
        cert_valid_to_ms: number | null;
        epcis_version: string | null;
        cbv_version: string | null;
      }
    | undefined;
  if (r === undefined)
    return {
      cursor: null,
      lastAttemptMs: null,
      lastSuccessMs: null,
      status: 'never',
      message: 'Not synced yet.',
      failures: 0,
      circuitOpenUntilMs: null,
      tls: null,
      epcisVersion: null,
      cbvVersion: null,
    };
  return {
    cursor: r.cursor_record_time,
    lastAttemptMs: r.last_attempt_ms,
    lastSuccessMs: r.last_success_ms,
    status: r.status,
    message: r.status_message,
    failures: r.failures,
    circuitOpenUntilMs: r.circuit_open_until_ms,
    tls:
      r.tls_protocol === null && r.cert_subject === null
        ? null
        : {
            protocol: r.tls_protocol,
            subject: r.cert_subject,
            issuer: r.cert_issuer,
            validToMs: r.cert_valid_to_ms,
            sha256: null,
          },
    epcisVersion: r.epcis_version,
    cbvVersion: r.cbv_version,
  };
}

/**
 * Moves the pull cursor forward (never back) to the last record time of a committed page, and
 * remembers the page by its identity. Called inside the transaction that commits the page.
 */
export function commitPage(
  db: Database,
  page: {
    partnerId: number;
    pageKey: Buffer;
    fileHash: Buffer;
    events: number;
    outcome: 'imported' | 'already-imported' | 'quarantined';
    quarantineId?: number;
    lastRecordTime: string | null;
    nowMs: number;
  },
): void {
  db.prepare(
    `INSERT INTO sync_pages (partner_id, page_key, file_hash, events, outcome, quarantine_id, last_record_time, committed_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (partner_id, page_key) DO NOTHING`,
  ).run(
    page.partnerId,
    page.pageKey,
    page.fileHash,
    page.events,
    page.outcome,
    page.quarantineId ?? null,
    page.lastRecordTime,
    page.nowMs,
  );
  if (page.lastRecordTime === null) return;
  db.prepare('INSERT INTO sync_state (partner_id) VALUES (?) ON CONFLICT (partner_id) DO NOTHING').run(
    page.partnerId,
  );
  const current = db
    .prepare('SELECT cursor_record_time FROM sync_state WHERE partner_id = ?')
    .pluck()
    .get(page.partnerId) as string | null;
  if (current === null || Date.parse(page.lastRecordTime) > Date.parse(current)) {
    db.prepare('UPDATE sync_state SET cursor_record_time = ? WHERE partner_id = ?').run(
      page.lastRecordTime,
      page.partnerId,
    );
  }
}

export function pageCommitted(db: Database, partnerId: number, pageKey: Buffer): boolean {
  return (
    db.prepare('SELECT 1 FROM sync_pages WHERE partner_id = ? AND page_key = ?').get(partnerId, pageKey) !==
    undefined
  );
}

/** Records a pass's outcome for a partner: status, TLS details, versions, and the circuit breaker. */
export function recordPass(
  db: Database,
  partnerId: number,
  r: {
    ok: boolean;
    message: string;
    nowMs: number;
    tls?: TlsDetails | null;
    epcisVersion?: string | null;
    cbvVersion?: string | null;
    /** Consecutive failures after which the circuit opens. */
    openAfter: number;
  },
): void {
  db.prepare('INSERT INTO sync_state (partner_id) VALUES (?) ON CONFLICT (partner_id) DO NOTHING').run(
    partnerId,
  );
  const before = syncState(db, partnerId);
  const failures = r.ok ? 0 : before.failures + 1;
  // The breaker opens after `openAfter` failed passes in a row and stays open for a doubling
  // time (1 min, 2, 4 … at most 1 h): a partner that is down is not hammered every interval.
  const open = !r.ok && failures >= r.openAfter;
  const openUntil = open ? r.nowMs + Math.min(3_600_000, 60_000 * 2 ** (failures - r.openAfter)) : null;
  db.prepare(
    `UPDATE sync_state SET last_attempt_ms = ?, last_success_ms = CASE WHEN ? THEN ? ELSE last_success_ms END,
       status = ?, status_message = ?, failures = ?, circuit_open_until_ms = ?,
       tls_protocol = coalesce(?, tls_protocol), cert_subject = coalesce(?, cert_subject), cert_issuer = coalesce(?, cert_issuer),
       cert_valid_to_ms = coalesce(?, cert_valid_to_ms), epcis_version = coalesce(?, epcis_version), cbv_version = coalesce(?, cbv_version)
     WHERE partner_id = ?`,
  ).run(
    r.nowMs,
    r.ok ? 1 : 0,
    r.nowMs,
    r.ok ? 'ok' : open ? 'open-circuit' : 'failing',
    r.message.slice(0, 500),
    failures,
    openUntil,
    r.tls?.protocol ?? null,
    r.tls?.subject ?? null,
    r.tls?.issuer ?? null,
    r.tls?.validToMs ?? null,
    r.epcisVersion ?? null,
    r.cbvVersion ?? null,
    partnerId,
  );
}

// ——— the outbox ———

export type OutboxState =
  'queued' | 'posted' | 'polling' | 'delivered' | 'failed' | 'dead' | 'dismissed' | 'split';
export type OutboxKind = 'capture' | 'verify';

export interface OutboxRow {
  readonly id: number;
  readonly partnerId: number;
  readonly kind: OutboxKind;
  readonly name: string;
  readonly state: OutboxState;
  readonly body: Buffer;
  readonly eventIds: string[];
  readonly corrUuid: string | null;
  readonly parentId: number | null;
  readonly attempts: number;
  readonly nextAttemptMs: number;
  readonly postedMs: number | null;
  readonly captureUrl: string | null;
  readonly lastError: string | null;
  readonly enqueuedBy: string;
  readonly enqueuedMs: number;
  readonly outcomeMs: number | null;
}

interface OutboxDbRow {
  id: number;
  partner_id: number;
  kind: OutboxKind;
  name: string;
  state: OutboxState;
  body: Buffer;
  event_ids: string;
  corr_uuid: string | null;
  parent_id: number | null;
  attempts: number;
  next_attempt_ms: number;
  posted_ms: number | null;
  capture_url: string | null;
  last_error: string | null;
  enqueued_by: string;
  enqueued_ms: number;
  outcome_ms: number | null;
}

const outboxOf = (r: OutboxDbRow): OutboxRow => ({
  id: r.id,
  partnerId: r.partner_id,
  kind: r.kind,
  name: r.name,
  state: r.state,
  body: r.body,
  eventIds: JSON.parse(r.event_ids) as string[],
  corrUuid: r.corr_uuid,
  parentId: r.parent_id,
  attempts: r.attempts,
  nextAttemptMs: r.next_attempt_ms,
  postedMs: r.posted_ms,
  captureUrl: r.capture_url,
  lastError: r.last_error,
  enqueuedBy: r.enqueued_by,
  enqueuedMs: r.enqueued_ms,
  outcomeMs: r.outcome_ms,
});

/** Not yet at a final outcome: the work a pass has left for a partner. */
export const OPEN_STATES: readonly OutboxState[] = ['queued', 'posted', 'polling', 'failed'];

export function openOutbox(db: Database, partnerId: number): OutboxRow[] {
  return (
    db
      .prepare(
        `SELECT * FROM sync_outbox WHERE partner_id = ? AND state IN ('queued', 'posted', 'polling', 'failed') ORDER BY id`,
      )
      .all(partnerId) as OutboxDbRow[]
  ).map(outboxOf);
}

export function outboxRow(db: Database, id: number): OutboxRow | undefined {
  const r = db.prepare('SELECT * FROM sync_outbox WHERE id = ?').get(id) as OutboxDbRow | undefined;
  return r === undefined ? undefined : outboxOf(r);
}

export function listOutbox(db: Database, limit = 200): OutboxRow[] {
  return (
    db
      .prepare(`SELECT * FROM sync_outbox WHERE state != 'split' ORDER BY id DESC LIMIT ?`)
      .all(limit) as OutboxDbRow[]
  ).map(outboxOf);
}

export function outboxCounts(
  db: Database,
  partnerId: number,
): { waiting: number; failed: number; dead: number } {
  const rows = db
    .prepare('SELECT state, count(*) AS n FROM sync_outbox WHERE partner_id = ? GROUP BY state')
    .all(partnerId) as { state: OutboxState; n: number }[];
  const n = (states: OutboxState[]) =>
    rows.filter((r) => states.includes(r.state)).reduce((a, r) => a + r.n, 0);
  return { waiting: n(['queued', 'posted', 'polling']), failed: n(['failed']), dead: n(['dead']) };
}

/** Writes an outgoing request as a row and its sync.enqueued entry, in one transaction. */
export function enqueue(
  tx: WriteTx,
  item: {
    partnerId: number;
    kind: OutboxKind;
    name: string;
    body: Buffer;
    eventIds: readonly string[];
    corrUuid?: string;
    parentId?: number;
    actor: string;
  },
): number {
  const id = ((tx.db.prepare('SELECT max(id) FROM sync_outbox').pluck().get() as number | null) ?? 0) + 1;
  const [seq] = tx.append([
    {
      type: SYNC_ENTRY.enqueued,
      actor: item.actor,
      payload: {
        outbox: id,
        partner: item.partnerId,
        kind: item.kind,
        name: item.name,
        events: item.eventIds.length,
        ...(item.parentId !== undefined ? { parent: item.parentId } : {}),
      },
    },
  ]);
  tx.db
    .prepare(
      `INSERT INTO sync_outbox (id, partner_id, kind, name, body, event_ids, corr_uuid, parent_id, enqueued_by, enqueued_seq, enqueued_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      item.partnerId,
      item.kind,
      item.name,
      item.body,
      JSON.stringify(item.eventIds),
      item.corrUuid ?? null,
      item.parentId ?? null,
      item.actor,
      seq!,
      tx.time,
    );
  return id;
}

/** Operational progress of a row (no ledger entry): attempts, the next try, where the job is. */
export function updateOutbox(
  db: Database,
  id: number,
  change: Partial<{
    state: OutboxState;
    attempts: number;
    nextAttemptMs: number;
    postedMs: number | null;
    captureUrl: string | null;
    lastError: string | null;
    body: Buffer;
    eventIds: readonly string[];
  }>,
): void {
  const cols: Record<string, unknown> = {
    state: change.state,
    attempts: change.attempts,
    next_attempt_ms: change.nextAttemptMs,
    posted_ms: change.postedMs,
    capture_url: change.captureUrl,
    last_error: change.lastError === undefined ? undefined : (change.lastError?.slice(0, 500) ?? null),
    body: change.body,
    event_ids: change.eventIds === undefined ? undefined : JSON.stringify(change.eventIds),
  };
  const set = Object.entries(cols).filter(([, v]) => v !== undefined);
  if (set.length === 0) return;
  db.prepare(`UPDATE sync_outbox SET ${set.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`).run(
    ...set.map(([, v]) => v),
    id,
  );
}

/** A final outcome: the row's state and its ledger entry, in one transaction. */
export function finish(
  tx: WriteTx,
  row: Pick<OutboxRow, 'id' | 'partnerId' | 'kind' | 'name'>,
  outcome: 'delivered' | 'dead',
  actor: string,
  detail: Record<string, unknown>,
): number {
  const [seq] = tx.append([
    {
      type: outcome === 'delivered' ? SYNC_ENTRY.delivered : SYNC_ENTRY.deadLettered,
      actor,
      payload: { outbox: row.id, partner: row.partnerId, kind: row.kind, name: row.name, ...detail },
    },
  ]);
  tx.db
    .prepare('UPDATE sync_outbox SET state = ?, outcome_seq = ?, outcome_ms = ? WHERE id = ?')
    .run(outcome, seq!, tx.time, row.id);
  return seq!;
}
