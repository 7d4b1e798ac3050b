import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { importFile } from '../ingest';
import type { Workspace } from '../ledger/workspace';
import { checkVersions, getEpcis, nextLink, PartnerHttpError, type PartnerLink } from './partner-http';
import { withRetries, type RetryPolicy } from './retry';
import { commitPage, pageCommitted, syncState, type Endpoint } from './store';
import type { TlsDetails } from './transport';

/*
 * Pull: GET {base}/events with GE_recordTime, orderBy=recordTime, orderDirection=ASC, perPage and
 * the partner's filter, following `Link: <…>; rel="next"` (nextPageToken) until there is none
 * (EPCIS 2.0 REST bindings, openapi.yaml: /events GET, components Link, PerPage, NextPageToken).
 *
 * Each page goes through the import pipeline like a dropped file (same validation, quarantine and
 * event-hash idempotency), as a document rebuilt from the page's header and events only, so its
 * bytes, and so its file hash, depend on the events and not on the partner's creationDate. The
 * cursor moves in the transaction that commits the page (the import's inCommit hook), on the
 * quarantine path too; the next pass re-reads `overlap` before the cursor, so events that share a
 * record time across a page boundary, or that a partner commits late, are never skipped, and the
 * duplicates that overlap brings are absorbed by the event hash.
 */

export interface PullResult {
  readonly pages: number;
  readonly events: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly quarantined: number;
  readonly tls: TlsDetails | null;
  readonly epcisVersion: string | null;
  readonly cbvVersion: string | null;
}

export interface PullOptions {
  readonly actor: string;
  readonly retry: RetryPolicy;
  readonly signal?: AbortSignal;
  readonly onPage?: (pages: number, events: number) => void;
}

/** The default filter: shipping events whose destination owning party is one of the partner's GLNs we receive at. */
export function defaultQuery(ourGlns: readonly string[]): Record<string, string> {
  return {
    eventType: 'ObjectEvent',
    EQ_bizStep: 'shipping',
    // EPCIS 2.0 §8.2.7.1 EQ_destination_type: the destination list entry of that type; CBV 2.0 §7.5 owning_party.
    EQ_destination_owning_party: ourGlns.map((g) => `https://id.gs1.org/417/${g}`).join('|'),
  };
}

/** The first page's URL: from the cursor less the overlap, oldest first. */
export function firstPageUrl(
  base: string,
  cursor: string | null,
  endpoint: Pick<Endpoint, 'overlapMs' | 'perPage' | 'query'>,
  ourGlns: readonly string[],
): string {
  const url = new URL(`${base.replace(/\/+$/, '')}/events`);
  const filter = Object.keys(endpoint.query).length > 0 ? endpoint.query : defaultQuery(ourGlns);
  for (const [k, v] of Object.entries(filter)) url.searchParams.set(k, v);
  if (cursor !== null)
    url.searchParams.set('GE_recordTime', new Date(Date.parse(cursor) - endpoint.overlapMs).toISOString());
  url.searchParams.set('orderBy', 'recordTime');
  url.searchParams.set('orderDirection', 'ASC');
  url.searchParams.set('perPage', String(endpoint.perPage));
  return url.toString();
}

interface Page {
  readonly header: unknown;
  readonly context: unknown;
  readonly events: Record<string, unknown>[];
  readonly next: string | null;
}

function readPage(link: PartnerLink, body: Buffer, url: string, headers: IncomingHttpHeaders): Page {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw new PartnerHttpError(502, `${link.name} answered a page that is not valid JSON.`, null, null);
  }
  const d = doc as {
    '@context'?: unknown;
    type?: unknown;
    epcisHeader?: unknown;
    epcisBody?: { queryResults?: { resultsBody?: { eventList?: unknown } }; eventList?: unknown };
  };
  const list = d.epcisBody?.queryResults?.resultsBody?.eventList ?? d.epcisBody?.eventList;
  if (!Array.isArray(list) || list.some((e) => typeof e !== 'object' || e === null || Array.isArray(e)))
    throw new PartnerHttpError(
      502,
      `${link.name} answered a page that is not an EPCIS query document (no event list).`,
      null,
      null,
    );
  return {
    header: d.epcisHeader,
    context: d['@context'],
    events: list as Record<string, unknown>[],
    next: nextLink({ headers }, url),
  };
}

const recordTimeOf = (e: Record<string, unknown>): number | null => {
  const t = typeof e.recordTime === 'string' ? Date.parse(e.recordTime) : NaN;
  return Number.isNaN(t) ? null : t;
};

/** The page as a document whose bytes depend only on its header and events. */
export function pageDocument(page: Pick<Page, 'header' | 'context' | 'events'>): {
  bytes: Buffer;
  lastRecordTime: string | null;
} {
  let last: number | null = null;
  for (const e of page.events) {
    const t = recordTimeOf(e);
    if (t !== null && (last === null || t > last)) last = t;
  }
  const lastRecordTime = last === null ? null : new Date(last).toISOString();
  const doc = {
    '@context': page.context ?? ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    // Deterministic: the page's last record time stands for when the partner created it.
    creationDate: lastRecordTime ?? '1970-01-01T00:00:00.000Z',
    ...(page.header !== undefined ? { epcisHeader: page.header } : {}),
    epcisBody: { eventList: page.events },
  };
  return { bytes: Buffer.from(JSON.stringify(doc), 'utf8'), lastRecordTime };
}

/** A page's identity: partner, the query without its paging token, and each event's content hash. */
export function pageKey(partnerId: number, url: string, events: readonly Record<string, unknown>[]): Buffer {
  const q = new URL(url);
  q.searchParams.delete('nextPageToken');
  const h = crypto.createHash('sha256').update(`${partnerId}\n${q.pathname}\n`);
  for (const e of events) h.update(crypto.createHash('sha256').update(JSON.stringify(e)).digest());
  return h.digest();
}

/** Pulls every page after the cursor into the ledger. Throws on a failure that outlived its retries. */
export async function pull(
  ws: Workspace,
  link: PartnerLink,
  endpoint: Endpoint,
  ourGlns: readonly string[],
  options: PullOptions,
): Promise<PullResult> {
  if (link.epcisUrl === null) throw new Error('no EPCIS address');
  const tally = { pages: 0, events: 0, imported: 0, duplicates: 0, quarantined: 0 };
  let tls: TlsDetails | null = null;
  let versions: { epcis: string | null; cbv: string | null } | undefined;
  let url = firstPageUrl(link.epcisUrl, syncState(ws.db, link.partnerId).cursor, endpoint, ourGlns);
  let restarts = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    let answer;
    try {
      answer = await withRetries(options.retry, () => getEpcis(link, url, options.signal), options.signal);
    } catch (error) {
      // An expired or unknown nextPageToken (the standard lets a server invalidate it): start again
      // from the cursor, which already holds every page committed so far.
      const tokenRefused =
        error instanceof PartnerHttpError &&
        !error.retryable &&
        error.status !== 401 &&
        error.status !== 403 &&
        new URL(url).searchParams.has('nextPageToken');
      if (tokenRefused && restarts < 3) {
        restarts++;
        url = firstPageUrl(link.epcisUrl, syncState(ws.db, link.partnerId).cursor, endpoint, ourGlns);
        continue;
      }
      throw error;
    }
    tls ??= answer.tls;
    versions = checkVersions(link, answer);
    const contentType = String(answer.headers['content-type'] ?? '');
    if (!/application\/(ld\+)?json/.test(contentType))
      throw new PartnerHttpError(
        406,
        `${link.name} answered in ${contentType.split(';')[0] || 'an unnamed format'}, not JSON.`,
        null,
        null,
      );
    const page = readPage(link, answer.body, url, answer.headers);
    if (page.events.length > 0) {
      await commit(ws, link, url, page, options.actor, tally);
      tally.pages++;
      tally.events += page.events.length;
      options.onPage?.(tally.pages, tally.events);
    }
    if (page.next === null || page.events.length === 0) break;
    url = page.next;
  }
  return { ...tally, tls, epcisVersion: versions?.epcis ?? null, cbvVersion: versions?.cbv ?? null };
}

async function commit(
  ws: Workspace,
  link: PartnerLink,
  url: string,
  page: Page,
  actor: string,
  tally: { imported: number; duplicates: number; quarantined: number },
): Promise<void> {
  const key = pageKey(link.partnerId, url, page.events);
  if (pageCommitted(ws.db, link.partnerId, key)) {
    tally.duplicates += page.events.length;
    return;
  }
  const { bytes, lastRecordTime } = pageDocument(page);
  const fileHash = crypto.createHash('sha256').update(bytes).digest();
  const result = await importFile(
    ws,
    {
      source: { bytes },
      name: `${link.name} EPCIS pull, up to ${lastRecordTime ?? 'no record time'}`,
      origin: `sync:${link.name}`.slice(0, 200),
      partnerId: link.partnerId,
      format: 'epcis-json',
    },
    {
      actor,
      inCommit: (tx) => {
        // Imported or quarantined, the cursor commits with the page: never past an uncommitted page.
        // (A quarantined page's row says so once the quarantine item has its number, below.)
        commitPage(tx.db, {
          partnerId: link.partnerId,
          pageKey: key,
          fileHash,
          events: page.events.length,
          outcome: 'imported',
          lastRecordTime,
          nowMs: tx.time,
        });
      },
    },
  );
  if (result.status === 'already-imported') {
    // The same page committed before (a crash between its commit and here is impossible; a second
    // pass over the overlap is not): the cursor and the page's row catch up on their own.
    await ws.write((tx) =>
      commitPage(tx.db, {
        partnerId: link.partnerId,
        pageKey: key,
        fileHash,
        events: page.events.length,
        outcome: 'already-imported',
        lastRecordTime,
        nowMs: tx.time,
      }),
    );
  } else if (result.status === 'quarantined' && result.quarantineId !== undefined) {
    await ws.write((tx) =>
      tx.db
        .prepare(
          "UPDATE sync_pages SET outcome = 'quarantined', quarantine_id = ? WHERE partner_id = ? AND page_key = ?",
        )
        .run(result.quarantineId!, link.partnerId, key),
    );
  } else if (result.status === 'cancelled') {
    throw new DOMException('cancelled', 'AbortError');
  }
  tally.imported += result.imported + result.pending;
  tally.duplicates += result.duplicates;
  tally.quarantined += result.quarantined;
}
