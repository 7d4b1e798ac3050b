import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Pem } from './certs';

/*
 * A trading partner's servers, for tests: a real HTTPS (or, for a few tests, plain HTTP) server on
 * 127.0.0.1 that answers the EPCIS 2.0 REST bindings (openapi.yaml: GET /events with the query
 * parameters, Link rel="next" paging with nextPageToken and GS1-Next-Page-Token-Expires, OPTIONS
 * /events and /capture with the capture limits, POST /capture → 202 Location, GET
 * /capture/{captureID} with jobs that stay running for a few polls, RFC 7807 problem bodies), the
 * GS1 US Lightweight Messaging verification request, and an OAuth2 token endpoint.
 *
 * Faults are seeded (mulberry32), so a failing run can be repeated from its printed seed: 5xx, 429
 * and 503 with Retry-After, a request that is never answered (timeout), a connection reset halfway
 * through the body, malformed JSON, slow answers. Events may share a record time across a page
 * boundary, and paging tokens expire.
 */

export type Fault = 'http500' | 'http503' | 'http429' | 'timeout' | 'reset' | 'malformed' | 'slow';
export const ALL_FAULTS: readonly Fault[] = [
  'http500',
  'http503',
  'http429',
  'timeout',
  'reset',
  'malformed',
  'slow',
];

export interface SimOptions {
  readonly tls?: { readonly server: Pem; readonly ca?: string; readonly requireClientCert?: boolean };
  /** 'bearer:TOKEN', 'basic:USER:PASSWORD', 'oauth2:CLIENT:SECRET', or none. */
  readonly auth?: string;
  readonly seed?: number;
  /** Share of requests (0..1) that meet a fault. */
  readonly faultRate?: number;
  readonly faults?: readonly Fault[];
  readonly tokenTtlMs?: number;
  readonly captureLimit?: number;
  readonly captureFileSizeLimit?: number;
  /** Polls a capture job answers running before it finishes (or jobMs, whichever comes first). */
  readonly jobPolls?: number;
  readonly jobMs?: number;
  readonly retryAfterSeconds?: number;
  readonly slowMs?: number;
  readonly responderGln?: string;
  /** The epcisHeader of query answers (default: the GS1 US DSCSA transaction statement only). */
  readonly header?: Record<string, unknown>;
  /** Verification lookups that take this long (by serial). */
  readonly slowSerials?: Readonly<Record<string, number>>;
}

export interface SimEvent extends Record<string, unknown> {
  readonly eventID: string;
  readonly recordTime: string;
}

export interface KnownPackage {
  readonly gtin: string;
  readonly lot: string;
  readonly expiry: string; // YYMMDD
  readonly serial: string;
  readonly additionalInfo?: string;
}

interface Job {
  id: string;
  events: SimEvent[];
  polls: number;
  createdMs: number;
  running: boolean;
  success: boolean;
  errors: { type: string; title: string }[];
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROBLEM = 'application/problem+json';

export class PartnerSim {
  readonly events: SimEvent[] = [];
  /** How many times each captured event was stored: exactly-once means every count is 1. */
  readonly stored = new Map<string, number>();
  readonly jobs = new Map<string, Job>();
  readonly packages: KnownPackage[] = [];
  /** Every request's method and path (without the query), for assertions. */
  readonly log: {
    method: string;
    path: string;
    status: number;
    fault?: Fault;
    headers: http.IncomingHttpHeaders;
  }[] = [];
  private readonly tokens = new Map<string, { params: URLSearchParams; offset: number; expiresMs: number }>();
  private readonly oauthTokens = new Set<string>();
  private readonly random: () => number;
  private server!: http.Server;
  url = '';
  faultRate: number;
  /** Told of each request as its answer starts (a test kills its client at a chosen moment). */
  onRequest: ((method: string, path: string) => void) | null = null;
  seed: number;

  constructor(private readonly options: SimOptions = {}) {
    this.seed = options.seed ?? 1;
    this.random = mulberry32(this.seed);
    this.faultRate = options.faultRate ?? 0;
  }

  async start(): Promise<this> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls
      ? https.createServer(
          {
            cert: this.options.tls.server.cert,
            key: this.options.tls.server.key,
            minVersion: 'TLSv1.2',
            ...(this.options.tls.ca !== undefined ? { ca: this.options.tls.ca } : {}),
            requestCert: this.options.tls.requireClientCert === true,
            rejectUnauthorized: this.options.tls.requireClientCert === true,
          },
          handler,
        )
      : http.createServer(handler);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds events a partner serves (its shipments to us), with their record times. */
  serve(events: readonly SimEvent[]): void {
    this.events.push(...events);
    this.events.sort((a, b) => Date.parse(a.recordTime) - Date.parse(b.recordTime));
  }

  private pickFault(): Fault | undefined {
    if (this.faultRate <= 0 || this.random() >= this.faultRate) return undefined;
    const faults = this.options.faults ?? ALL_FAULTS;
    return faults[Math.floor(this.random() * faults.length)];
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const entry: (typeof this.log)[number] = {
      method: req.method ?? '',
      path: url.pathname,
      status: 0,
      headers: req.headers,
    };
    this.log.push(entry);
    const send = (status: number, headers: Record<string, string>, payload: string | Buffer = '') => {
      entry.status = status;
      this.onRequest?.(entry.method, entry.path);
      res.writeHead(status, headers);
      res.end(payload);
    };
    const problem = (status: number, type: string, title: string, extra: Record<string, string> = {}) =>
      send(status, { 'Content-Type': PROBLEM, ...extra }, JSON.stringify({ type, title, status }));

    if (url.pathname === '/token' && req.method === 'POST') return this.token(req, body, send, problem);
    if (!this.authorized(req)) return problem(401, 'epcisException:SecurityException', 'Unauthorized');

    const fault = url.pathname === '/token' ? undefined : this.pickFault();
    if (fault !== undefined) {
      entry.fault = fault;
      switch (fault) {
        case 'http500':
          return problem(500, 'epcisException:ImplementationException', 'Internal error');
        case 'http503':
          return problem(503, 'epcisException:ImplementationException', 'Unavailable', {
            'Retry-After': String(this.options.retryAfterSeconds ?? 0),
          });
        case 'http429':
          return problem(429, 'epcisException:ImplementationException', 'Too many requests', {
            'Retry-After': String(this.options.retryAfterSeconds ?? 0),
          });
        case 'timeout':
          entry.status = -1;
          return; // never answered: the client's time limit ends it
        case 'slow':
          await new Promise((r) => setTimeout(r, this.options.slowMs ?? 150));
          break;
        case 'reset':
        case 'malformed':
          break;
      }
    }
    const respond = (status: number, headers: Record<string, string>, payload: string) => {
      if (fault === 'reset') {
        // Headers and half the body, then the connection drops (no body: it drops before the headers,
        // after the request was acted on, so a capture job exists whose Location never arrives).
        entry.status = -2;
        if (payload === '') {
          res.socket?.destroy();
          return;
        }
        res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) });
        res.write(payload.slice(0, Math.floor(payload.length / 2)));
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      if (fault === 'malformed' && headers['Content-Type']?.includes('json') === true) {
        return send(status, headers, payload.slice(0, Math.max(1, Math.floor(payload.length / 3))));
      }
      send(status, headers, payload);
    };

    try {
      if (url.pathname === '/events' && req.method === 'OPTIONS')
        return send(204, { ...this.versions(), Allow: 'OPTIONS, GET' });
      if (url.pathname === '/capture' && req.method === 'OPTIONS')
        return send(204, {
          ...this.versions(),
          Allow: 'OPTIONS, POST, GET',
          'GS1-Capture-Error-Behaviour': 'rollback',
          ...(this.options.captureLimit !== undefined
            ? { 'GS1-EPCIS-Capture-Limit': String(this.options.captureLimit) }
            : {}),
          ...(this.options.captureFileSizeLimit !== undefined
            ? { 'GS1-EPCIS-Capture-File-Size-Limit': String(this.options.captureFileSizeLimit) }
            : {}),
        });
      if (url.pathname === '/events' && req.method === 'GET') return this.query(url, respond, problem);
      if (url.pathname === '/capture' && req.method === 'POST')
        return this.capture(req, body, respond, problem);
      const job = /^\/capture\/([\w-]+)$/.exec(url.pathname);
      if (job !== null && req.method === 'GET') return this.job(job[1]!, respond, problem);
      const verify = /^\/verify\/gtin\/(\d{14})\/lot\/([^/]+)\/ser\/([^/]+)$/.exec(url.pathname);
      if (verify !== null && req.method === 'GET')
        return await this.verify(verify.slice(1).map(decodeURIComponent), url.searchParams, respond, problem);
      return problem(404, 'epcisException:NoSuchResourceException', 'Not found');
    } catch {
      return problem(500, 'epcisException:ImplementationException', 'Internal error');
    }
  }

  private versions(): Record<string, string> {
    return {
      'GS1-EPCIS-Version': '2.0.0',
      'GS1-CBV-Version': '2.0.0',
      'GS1-EPCIS-Min': '2.0.0',
      'GS1-EPCIS-Max': '2.0.0',
    };
  }

  private authorized(req: http.IncomingMessage): boolean {
    const auth = this.options.auth;
    if (auth === undefined) return true;
    const given = req.headers.authorization ?? '';
    const [kind, a, b] = auth.split(':');
    if (kind === 'bearer') return given === `Bearer ${a}`;
    if (kind === 'basic') return given === `Basic ${Buffer.from(`${a}:${b}`).toString('base64')}`;
    if (kind === 'oauth2') return given.startsWith('Bearer ') && this.oauthTokens.has(given.slice(7));
    return false;
  }

  private token(
    req: http.IncomingMessage,
    body: Buffer,
    send: (s: number, h: Record<string, string>, p?: string) => void,
    problem: (s: number, t: string, title: string) => void,
  ): void {
    const [, client, secret] = (this.options.auth ?? '').split(':');
    const ok =
      req.headers.authorization === `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}` &&
      new URLSearchParams(body.toString()).get('grant_type') === 'client_credentials';
    if (!ok) return problem(401, 'invalid_client', 'invalid client');
    const token = crypto.randomBytes(16).toString('hex');
    this.oauthTokens.add(token);
    send(
      200,
      { 'Content-Type': 'application/json' },
      JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 300 }),
    );
  }

  /** Forgets every OAuth2 token issued (the next call gets a 401 and must fetch another). */
  revokeTokens(): void {
    this.oauthTokens.clear();
  }

  private matches(e: SimEvent, q: URLSearchParams): boolean {
    const ge = q.get('GE_recordTime');
    if (ge !== null && Date.parse(e.recordTime) < Date.parse(ge)) return false;
    const lt = q.get('LT_recordTime');
    if (lt !== null && Date.parse(e.recordTime) >= Date.parse(lt)) return false;
    const type = q.get('eventType');
    if (type !== null && !type.split('|').includes(e.type as string)) return false;
    const step = q.get('EQ_bizStep');
    if (step !== null && !step.split('|').includes(e.bizStep as string)) return false;
    const ids = q.get('EQ_eventID');
    if (ids !== null && !ids.split('|').includes(e.eventID)) return false;
    for (const [k, v] of q) {
      const m = /^EQ_destination_(.+)$/.exec(k);
      if (m === null) continue;
      const list = (e.destinationList as { type: string; destination: string }[] | undefined) ?? [];
      if (!list.some((d) => d.type === m[1] && v.split('|').includes(d.destination))) return false;
    }
    return true;
  }

  private query(
    url: URL,
    respond: (s: number, h: Record<string, string>, p: string) => void,
    problem: (s: number, t: string, title: string) => void,
  ): void {
    const token = url.searchParams.get('nextPageToken');
    let params = url.searchParams;
    let offset = 0;
    if (token !== null) {
      const t = this.tokens.get(token);
      if (t === undefined || t.expiresMs < Date.now())
        return problem(
          400,
          'epcisException:QueryParameterException',
          'nextPageToken has expired or is unknown',
        );
      params = t.params;
      offset = t.offset;
    }
    if (params.get('orderBy') !== null && params.get('orderBy') !== 'recordTime')
      return problem(400, 'epcisException:QueryParameterException', 'orderBy');
    const perPage = Math.min(Number(params.get('perPage') ?? '30') || 30, 10_000);
    const all = this.events.filter((e) => this.matches(e, params));
    if (params.get('orderDirection') === 'DESC') all.reverse();
    const page = all.slice(offset, offset + perPage);
    const headers: Record<string, string> = {
      ...this.versions(),
      // Both media types the bindings allow, in turn.
      'Content-Type': offset % 2 === 0 ? 'application/ld+json' : 'application/json',
    };
    if (offset + perPage < all.length) {
      const next = crypto.randomBytes(12).toString('hex');
      const expiresMs = Date.now() + (this.options.tokenTtlMs ?? 60_000);
      this.tokens.set(next, { params, offset: offset + perPage, expiresMs });
      headers.Link = `</events?perPage=${perPage}&nextPageToken=${next}>; rel="next"`;
      headers['GS1-Next-Page-Token-Expires'] = new Date(expiresMs).toISOString();
    }
    respond(
      200,
      headers,
      JSON.stringify({
        '@context': [
          'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
          { gs1ushc: 'http://epcis.gs1us.org/hc/ns' },
        ],
        type: 'EPCISQueryDocument',
        schemaVersion: '2.0',
        // A new creationDate on every answer: the same page fetched twice differs in its bytes.
        creationDate: new Date().toISOString(),
        epcisHeader: this.options.header ?? {
          'gs1ushc:dscsaTransactionStatement': {
            'gs1ushc:affirmTransactionStatement': 'true',
            'gs1ushc:legalNotice':
              'Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).',
          },
        },
        epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: page } } },
      }),
    );
  }

  private capture(
    req: http.IncomingMessage,
    body: Buffer,
    respond: (s: number, h: Record<string, string>, p: string) => void,
    problem: (s: number, t: string, title: string) => void,
  ): void {
    const type = String(req.headers['content-type'] ?? '');
    if (!/application\/(ld\+)?json/.test(type))
      return problem(415, 'epcisException:UnsupportedMediaType', 'Unsupported media type');
    const behaviour = String(req.headers['gs1-capture-error-behaviour'] ?? 'rollback');
    if (behaviour !== 'rollback')
      return problem(400, 'epcisException:ValidationException', 'only rollback is offered');
    if (this.options.captureFileSizeLimit !== undefined && body.length > this.options.captureFileSizeLimit)
      return problem(413, 'epcisException:CaptureLimitExceededException', 'Payload too large');
    let doc: { epcisBody?: { eventList?: SimEvent[] } };
    try {
      doc = JSON.parse(body.toString('utf8')) as typeof doc;
    } catch {
      return problem(400, 'epcisException:ValidationException', 'Not JSON');
    }
    const events = doc.epcisBody?.eventList;
    if (!Array.isArray(events)) return problem(400, 'epcisException:ValidationException', 'No event list');
    if (this.options.captureLimit !== undefined && events.length > this.options.captureLimit)
      return problem(413, 'epcisException:CaptureLimitExceededException', 'Too many events');
    const id = crypto.randomUUID();
    const errors = events
      .filter((e) => typeof e.type !== 'string' || typeof e.eventTime !== 'string')
      .map(() => ({
        type: 'epcisException:ValidationException',
        title: 'an event lacks its type or eventTime',
      }));
    const job: Job = {
      id,
      events,
      polls: 0,
      createdMs: Date.now(),
      running: true,
      success: errors.length === 0,
      errors,
    };
    this.jobs.set(id, job);
    setTimeout(() => this.finishJob(job), this.options.jobMs ?? 300).unref();
    respond(202, { ...this.versions(), Location: `/capture/${id}`, 'Content-Type': 'application/json' }, '');
  }

  private finishJob(job: Job): void {
    if (!job.running) return;
    job.running = false;
    if (!job.success) return; // rollback: nothing stored
    const now = Date.now();
    for (const [i, e] of job.events.entries()) {
      this.stored.set(e.eventID, (this.stored.get(e.eventID) ?? 0) + 1);
      this.events.push({ ...e, recordTime: new Date(now + i).toISOString() });
    }
  }

  private job(
    id: string,
    respond: (s: number, h: Record<string, string>, p: string) => void,
    problem: (s: number, t: string, title: string) => void,
  ): void {
    const job = this.jobs.get(id);
    if (job === undefined)
      return problem(404, 'epcisException:NoSuchResourceException', 'No such capture job');
    job.polls++;
    if (job.polls > (this.options.jobPolls ?? 2)) this.finishJob(job);
    respond(
      200,
      { ...this.versions(), 'Content-Type': 'application/json' },
      JSON.stringify({
        captureID: job.id,
        createdAt: new Date(job.createdMs).toISOString(),
        running: job.running,
        success: job.success,
        captureErrorBehaviour: 'rollback',
        errors: job.running ? [] : job.errors,
      }),
    );
  }

  private async verify(
    [gtin, lot, serial]: string[],
    q: URLSearchParams,
    respond: (s: number, h: Record<string, string>, p: string) => void,
    problem: (s: number, t: string, title: string) => void,
  ): Promise<void> {
    for (const p of ['linkType', 'context', 'reqGLN', 'corrUUID'])
      if (q.get(p) === null) return problem(400, 'about:blank', `missing ${p}`);
    const slow = this.options.slowSerials?.[serial!];
    if (slow !== undefined) await new Promise((r) => setTimeout(r, slow));
    const context = q.get('context');
    const exp = q.get('exp');
    let data: Record<string, unknown>;
    if (context === 'checkConnectivity') data = { verified: true };
    else {
      const byGtin = this.packages.filter((p) => p.gtin === gtin);
      const exact = byGtin.find((p) => p.serial === serial && p.lot === lot && p.expiry === exp);
      if (exact !== undefined)
        data = {
          verified: true,
          ...(exact.additionalInfo !== undefined ? { additionalInfo: exact.additionalInfo } : {}),
        };
      else {
        const reason =
          byGtin.length === 0
            ? 'No_match_GTIN'
            : !byGtin.some((p) => p.serial === serial)
              ? 'No_match_GTIN_Serial'
              : !byGtin.some((p) => p.serial === serial && p.lot === lot)
                ? 'No_match_GTIN_Serial_Lot'
                : 'No_match_GTIN_Serial_Lot_Expiry';
        data = { verified: false, verificationFailureReason: reason };
      }
    }
    respond(
      200,
      { 'Content-Type': 'application/json' },
      JSON.stringify({
        verificationTimestamp: new Date().toISOString(),
        responderGLN: this.options.responderGln ?? '0300011111116',
        corrUUID: q.get('corrUUID'),
        data,
      }),
    );
  }
}

export async function startPartnerSim(options: SimOptions = {}): Promise<PartnerSim> {
  return new PartnerSim(options).start();
}

/** Shipping events to `ourGln` from `sellerGln`; `perTime` events share each record time. */
export function shippingEvents(
  n: number,
  o: { gtin: string; sellerGln: string; ourGln: string; startMs: number; perTime?: number; prefix?: string },
): SimEvent[] {
  const perTime = o.perTime ?? 1;
  return Array.from({ length: n }, (_, i) => {
    const recordMs = o.startMs + Math.floor(i / perTime) * 1000;
    return {
      type: 'ObjectEvent',
      eventID: `urn:uuid:${crypto
        .createHash('sha256')
        .update(`${o.prefix ?? 'e'}-${i}`)
        .digest('hex')
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5')}`,
      eventTime: new Date(o.startMs - 3_600_000 + i * 1000).toISOString(),
      eventTimeZoneOffset: '+00:00',
      recordTime: new Date(recordMs).toISOString(),
      epcList: [`https://id.gs1.org/01/${o.gtin}/21/${o.prefix ?? 'S'}${String(i).padStart(7, '0')}`],
      action: 'OBSERVE',
      bizStep: 'shipping',
      disposition: 'in_transit',
      readPoint: { id: `https://id.gs1.org/414/${o.sellerGln}` },
      sourceList: [{ type: 'owning_party', source: `https://id.gs1.org/417/${o.sellerGln}` }],
      destinationList: [{ type: 'owning_party', destination: `https://id.gs1.org/417/${o.ourGln}` }],
    };
  });
}
