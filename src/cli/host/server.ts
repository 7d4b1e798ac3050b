import crypto from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { Core } from '../../core/app';
import { ApiError, type ErrorCode } from '../../core/api/errors';
import type { AppEvent, EventSink } from '../../core/api/events';
import { rolesGrant, type Permission } from '../../core/api/permissions';
import type { Principal } from '../../core/api/principal';
import type { SessionSlot } from '../../core/api/router';
import { uploadStaging, UploadTooLarge } from '../../core/ingest/uploads';
import { resolveStatic } from './static-files';
import {
  SECURITY_HEADERS,
  hostAllowed,
  originAllowed,
  randomToken,
  readCookie,
  sameSecret,
} from './security';

export interface HostOptions {
  readonly core: Core;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Fixed token for tests that need one; normally random per launch. */
  readonly token?: string;
  /** A lower cap on one streamed upload than the core's 2 GiB (tests). */
  readonly maxUploadBytes?: number;
}

export interface Host {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const TOKEN_COOKIE = 'custodia_token';
const SESSION_COOKIE = 'custodia_session';
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** The streamed upload's file name, percent-encoded UTF-8 (headers are Latin-1). */
const UPLOAD_NAME_HEADER = 'x-custodia-file-name';
/** How long a one-time download id stays good: long enough for the browser to follow the redirect. */
const DOWNLOAD_ID_MS = 60_000;

/** An open event stream and the session (if any) that opened it. */
interface EventStream {
  readonly sessionId: string | null;
  readonly slot: SessionSlot;
}

/** After refusing an upload, how long the rest of its body is read and dropped before hanging up. */
const REFUSED_UPLOAD_GRACE_MS = 2000;

/** How a refused upload's error code reads as an HTTP status (the JSON body says the rest). */
const UPLOAD_STATUS: Partial<Record<ErrorCode, number>> = {
  unauthenticated: 401,
  forbidden: 403,
  'invalid-input': 400,
  conflict: 507,
  cancelled: 400,
};

const callSchema = z.object({ method: z.string().min(1).max(200), input: z.unknown().optional() }).strict();

/**
 * The headless host: the built renderer and the API router over HTTP, on loopback only. Every
 * request must carry the per-launch token (cookie set from the printed URL, or a Bearer header),
 * come with our own Host header, and not come from another origin. No CORS, ever.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomToken();
  const sessions = new Map<string, Principal | null>();
  const streams = new Map<ServerResponse, EventStream>();
  /** One-time download ids: random, bound to the session that asked, good once and briefly. */
  const downloads = new Map<string, { file: string; sessionId: string; untilMs: number }>();
  // Created now, so leftovers of a stopped host are removed at start.
  uploadStaging(options.core.services.dataDir);
  let port = options.port;

  // Events of the whole workstation (a ledger alarm, a watched folder's import) reach every page where
  // a person is signed in and the session is not locked; a page nobody is signed in on gets nothing.
  const unsubscribe = options.core.events.subscribe((event: AppEvent) => sendEvent(event, () => true));

  function sendEvent(event: AppEvent, to: (stream: EventStream) => boolean): void {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const [res, stream] of streams) if (to(stream) && stream.slot.peek() !== null) res.write(frame);
  }

  /** A call's own events (its job's progress and result) go only to the session that made it, while signed in. */
  function sessionEvents(sessionId: string | null): EventSink {
    return (event) => {
      if (sessionId !== null) sendEvent(event, (stream) => stream.sessionId === sessionId);
    };
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, port)) return send(res, 421, 'text/plain', 'Refused: unexpected Host header.');
    if (!originAllowed(req, port)) return send(res, 403, 'text/plain', 'Refused: cross-origin request.');
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);

    // The printed URL carries the token once; trade it for cookies and drop it from the address bar.
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && url.pathname === '/' && queryToken !== null) {
      if (!sameSecret(queryToken, token)) return unauthorized(res);
      const sessionId = crypto.randomBytes(18).toString('base64url');
      sessions.set(sessionId, null);
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        Location: '/',
        'Set-Cookie': [
          `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          `${SESSION_COOKIE}=${sessionId}; HttpOnly; SameSite=Strict; Path=/`,
        ],
      });
      return void res.end();
    }

    const bearer = req.headers.authorization?.match(/^Bearer (\S+)$/)?.[1];
    if (!sameSecret(readCookie(req, TOKEN_COOKIE) ?? bearer, token)) return unauthorized(res);

    if (url.pathname === '/api/call') {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'Use POST.');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, 'text/plain', 'Send application/json.');
      }
      const body = await readBody(req);
      if (body === null) return send(res, 413, 'text/plain', 'Request too large.');
      let parsed: z.infer<typeof callSchema>;
      try {
        parsed = callSchema.parse(JSON.parse(body.toString('utf8')));
      } catch {
        return sendJson(res, 400, {
          ok: false,
          error: {
            code: 'invalid-input',
            message: 'The request body must be {"method": string, "input": any}.',
          },
        });
      }
      const session = sessionSlot(req);
      const result = await options.core.router.call(
        { transport: 'http', principal: null, emit: sessionEvents(issuedSession(req)), session },
        parsed.method,
        parsed.input,
      );
      return sendJson(res, 200, result);
    }

    if (url.pathname === '/uploads') {
      if (req.method !== 'PUT') return send(res, 405, 'text/plain', 'Use PUT.');
      if (!(req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
        return send(res, 415, 'text/plain', 'Send the file as application/octet-stream.');
      }
      return receiveUpload(req, res);
    }

    if (url.pathname === '/api/events') {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.set(res, { sessionId: issuedSession(req), slot: sessionSlot(req) });
      req.on('close', () => streams.delete(res));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'Method not allowed.');
    if (url.pathname.startsWith('/exports/once/'))
      return sendDownload(req, res, url.pathname.slice('/exports/once/'.length));
    if (url.pathname.startsWith('/exports/'))
      return offerExport(req, res, url.pathname.slice('/exports/'.length));
    const found = resolveStatic(options.rendererDir, url.pathname);
    if (found === null) {
      return send(res, 404, 'text/plain', 'Not found. Was the renderer built (npm run build)?');
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': found.type });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(found.file).pipe(res);
  }

  /**
   * Audit bundles and reports written under <data>/exports (staff names, prescription numbers):
   * only for a person signed in on this page, not locked, who holds the permission that made the
   * file; they are sent on to a random one-time id, so the address that serves the bytes cannot be
   * guessed from a file name or used twice.
   */
  function offerExport(req: IncomingMessage, res: ServerResponse, encodedName: string): void {
    const sessionId = issuedSession(req);
    const principal = sessionId === null ? null : sessionSlot(req).peek();
    if (principal === null) return send(res, 401, 'text/plain', 'Sign in to download exports.');
    const exportsDir = path.join(options.core.services.dataDir, 'exports');
    const found = resolveStatic(exportsDir, '/' + encodedName, { fallback: false });
    if (found === null) return send(res, 404, 'text/plain', 'No such export.');
    if (!rolesGrant(principal.roles, exportPermission(path.basename(found.file))))
      return send(res, 403, 'text/plain', 'Your roles do not allow this download.');
    const now = Date.now();
    for (const [id, grant] of downloads) if (grant.untilMs < now) downloads.delete(id);
    const id = crypto.randomBytes(24).toString('base64url');
    downloads.set(id, { file: found.file, sessionId: sessionId!, untilMs: now + DOWNLOAD_ID_MS });
    res.writeHead(303, { ...SECURITY_HEADERS, Location: `/exports/once/${id}`, 'Cache-Control': 'no-store' });
    res.end();
  }

  function sendDownload(req: IncomingMessage, res: ServerResponse, id: string): void {
    const grant = downloads.get(id);
    downloads.delete(id);
    const sessionId = issuedSession(req);
    if (
      grant === undefined ||
      grant.untilMs < Date.now() ||
      grant.sessionId !== sessionId ||
      sessionSlot(req).peek() === null
    )
      return send(res, 404, 'text/plain', 'This download link was used already or has expired.');
    sendFile(res, grant.file);
  }

  function sendFile(res: ServerResponse, file: string): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Cache-Control': 'no-store',
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${path.basename(file).replace(/[^\w.-]/g, '_')}"`,
    });
    fs.createReadStream(file).pipe(res);
  }

  /**
   * PUT /uploads: the body is one partner file, streamed by the core to a staging file (it checks
   * who is signed in on this session and whether they may import). Answers {ok, value: {upload,
   * name, size}}; ingest.import then names the file by that id.
   */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const length = req.headers['content-length'];
    const rawName = req.headers[UPLOAD_NAME_HEADER];
    let name: string | undefined;
    try {
      name = typeof rawName === 'string' ? decodeURIComponent(rawName) : undefined;
    } catch {
      name = undefined; // not percent-encoded UTF-8: the core refuses a missing name
    }
    try {
      // The staging of the ledger shown now: a workstation may have switched to the demo.
      const staged = await uploadStaging(options.core.services.dataDir).receive(
        sessionSlot(req).get(),
        name,
        req,
        {
          ...(length !== undefined ? { declared: Number(length) } : {}),
          ...(options.maxUploadBytes !== undefined ? { limit: options.maxUploadBytes } : {}),
        },
      );
      return sendJson(res, 200, { ok: true, value: staged });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const status = error instanceof UploadTooLarge ? 413 : (UPLOAD_STATUS[error.code] ?? 500);
      // The rest of the body is read and dropped for a moment, so the client is not reset before
      // it reads this answer; then a connection still sending is closed: a refused file is never
      // read to its end.
      req.on('error', () => {});
      req.resume();
      res.once('finish', () =>
        setTimeout(() => {
          if (!req.complete) req.socket.destroy();
        }, REFUSED_UPLOAD_GRACE_MS).unref(),
      );
      return sendJson(res, status, { ok: false, error: error.toValue() });
    }
  }

  /** The session id this host issued that the request carries, or null (a script with only the token). */
  function issuedSession(req: IncomingMessage): string | null {
    const id = readCookie(req, SESSION_COOKIE);
    return id !== undefined && sessions.has(id) ? id : null;
  }

  function sessionSlot(req: IncomingMessage): SessionSlot {
    const id = readCookie(req, SESSION_COOKIE);
    // Only a session id this host issued (from the token URL) names a session; the core keeps who
    // is signed in on it and locks it after inactivity.
    if (id !== undefined && sessions.has(id)) return options.core.sessions.slot(`http:${id}`);
    // Script clients (Bearer, no session cookie) get a session that lasts one request.
    let oneShot: Principal | null = null;
    return { get: () => oneShot, peek: () => oneShot, set: (principal) => (oneShot = principal) };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const stream of streams.keys()) stream.end();
      // Open pages hold keep-alive sockets and reconnect their event stream; without dropping them,
      // close() would wait for the browser to go away first.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The permission that makes an export: audit bundles by audit.export, every other file is a report. */
function exportPermission(name: string): Permission {
  return name.startsWith('custodia-audit-') ? 'audit.export' : 'reports.generate';
}

function unauthorized(res: ServerResponse): void {
  send(
    res,
    401,
    'text/plain; charset=utf-8',
    "Unauthorized: open the full URL that `custodia serve` printed (it carries this launch's token).",
  );
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
