import { request, type HttpAnswer, type TlsDetails, type TlsSettings } from './transport';

/*
 * A partner's HTTP door: its authentication on every request and the answers read as the EPCIS 2.0
 * REST bindings (openapi.yaml) and RFC 7807 describe them. The standard leaves authentication to
 * the deployment; Custodia offers none, a bearer token, HTTP basic (RFC 7617) and OAuth 2.0 client
 * credentials (RFC 6749 §4.4; the token is cached in memory only, and fetched again on a 401).
 */

export type AuthKind = 'none' | 'bearer' | 'basic' | 'oauth2';

/** Everything needed to talk to one partner; `secret` comes from the keychain, never the database. */
export interface PartnerLink {
  readonly partnerId: number;
  readonly name: string;
  readonly epcisUrl: string | null;
  readonly verifyUrl: string | null;
  readonly auth: AuthKind;
  readonly tokenUrl: string | null;
  /** The OAuth2 client id, or the HTTP basic user name. */
  readonly clientId: string | null;
  readonly secret: string | null;
  readonly tls: TlsSettings;
  readonly timeoutMs: number;
}

/** An HTTP answer that is not a success: the status, the problem's title (RFC 7807) and Retry-After. */
export class PartnerHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs: number | null,
    readonly problemType: string | null,
  ) {
    super(message);
    this.name = 'PartnerHttpError';
  }

  /** 5xx, 408 and 429 are worth another try; 400/401/403/406/413/415 … are not, as they stand. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

/** The version headers every EPCIS request carries (openapi.yaml components/parameters). */
export const EPCIS_VERSION = '2.0.0';
export const CBV_VERSION = '2.0.0';

const oauthTokens = new Map<number, { token: string; expiresMs: number }>();

/** Forgets a partner's cached OAuth2 token (its settings or secret changed). */
export function forgetToken(partnerId: number): void {
  oauthTokens.delete(partnerId);
}

async function oauthToken(link: PartnerLink, fresh: boolean, signal?: AbortSignal): Promise<string> {
  const cached = oauthTokens.get(link.partnerId);
  if (!fresh && cached !== undefined && cached.expiresMs > Date.now() + 10_000) return cached.token;
  if (link.tokenUrl === null || link.clientId === null || link.secret === null)
    throw new PartnerHttpError(
      401,
      `${link.name}: OAuth2 needs a token URL, a client id and a client secret.`,
      null,
      null,
    );
  const body = new URLSearchParams({ grant_type: 'client_credentials' }).toString();
  const answer = await request({
    partner: link.name,
    method: 'POST',
    url: link.tokenUrl,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      Authorization: basic(link.clientId, link.secret),
    },
    body: Buffer.from(body),
    tls: link.tls,
    timeoutMs: link.timeoutMs,
    ...(signal ? { signal } : {}),
  });
  if (answer.status !== 200)
    throw new PartnerHttpError(
      answer.status === 400 ? 401 : answer.status,
      `${link.name}: the token service refused the client credentials (HTTP ${answer.status}).`,
      retryAfter(answer),
      null,
    );
  let parsed: { access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(answer.body.toString('utf8')) as typeof parsed;
  } catch {
    throw new PartnerHttpError(
      502,
      `${link.name}: the token service answered something that is not JSON.`,
      null,
      null,
    );
  }
  if (typeof parsed.access_token !== 'string')
    throw new PartnerHttpError(502, `${link.name}: the token service gave no access token.`, null, null);
  const ttl = typeof parsed.expires_in === 'number' ? parsed.expires_in * 1000 : 300_000;
  oauthTokens.set(link.partnerId, { token: parsed.access_token, expiresMs: Date.now() + ttl });
  return parsed.access_token;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

async function authorization(
  link: PartnerLink,
  fresh: boolean,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  switch (link.auth) {
    case 'none':
      return {};
    case 'bearer':
      if (link.secret === null) throw missingSecret(link);
      return { Authorization: `Bearer ${link.secret}` };
    case 'basic':
      if (link.secret === null || link.clientId === null) throw missingSecret(link);
      return { Authorization: basic(link.clientId, link.secret) };
    case 'oauth2':
      return { Authorization: `Bearer ${await oauthToken(link, fresh, signal)}` };
  }
}

const missingSecret = (link: PartnerLink) =>
  new PartnerHttpError(
    401,
    `${link.name}: no credential is stored in this computer's keychain for this partner; enter it again on the Partners page.`,
    null,
    null,
  );

/** Retry-After in milliseconds (delta-seconds or an HTTP date, RFC 9110 §10.2.3), or null. */
export function retryAfter(answer: Pick<HttpAnswer, 'headers'>): number | null {
  const value = answer.headers['retry-after'];
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export interface PartnerAnswer extends HttpAnswer {
  readonly tls: TlsDetails | null;
}

/**
 * One authenticated request. A 401 with OAuth2 fetches a new token and tries once more; any other
 * status outside `expect` is a PartnerHttpError carrying the problem's title (never its body).
 */
export async function partnerRequest(
  link: PartnerLink,
  spec: {
    method: 'GET' | 'POST' | 'OPTIONS';
    url: string;
    headers?: Record<string, string>;
    body?: Buffer;
    expect: readonly number[];
    signal?: AbortSignal;
    timeoutMs?: number;
  },
): Promise<PartnerAnswer> {
  for (let attempt = 0; ; attempt++) {
    const auth = await authorization(link, attempt > 0, spec.signal);
    const answer = await request({
      partner: link.name,
      method: spec.method,
      url: spec.url,
      headers: { ...(spec.headers ?? {}), ...auth },
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      tls: link.tls,
      timeoutMs: spec.timeoutMs ?? link.timeoutMs,
      ...(spec.signal ? { signal: spec.signal } : {}),
    });
    if (answer.status === 401 && link.auth === 'oauth2' && attempt === 0) continue;
    if (spec.expect.includes(answer.status)) return answer;
    throw httpError(link, answer);
  }
}

function httpError(link: PartnerLink, answer: HttpAnswer): PartnerHttpError {
  let title: string | null = null;
  let type: string | null = null;
  const contentType = String(answer.headers['content-type'] ?? '');
  if (contentType.includes('json')) {
    try {
      const problem = JSON.parse(answer.body.toString('utf8')) as { title?: unknown; type?: unknown };
      if (typeof problem.title === 'string') title = problem.title.slice(0, 200);
      if (typeof problem.type === 'string') type = problem.type.slice(0, 200);
    } catch {
      // not a problem document: the status says enough
    }
  }
  const what: Record<number, string> = {
    400: 'refused the request as invalid',
    401: 'did not accept our credentials',
    403: 'does not allow us this',
    404: 'does not know this resource',
    406: 'cannot answer in JSON',
    413: 'found the request too large',
    415: 'does not accept this content type',
    429: 'asks us to slow down',
    503: 'is unavailable for now',
  };
  const words =
    what[answer.status] ?? (answer.status >= 500 ? 'had an internal error' : 'refused the request');
  return new PartnerHttpError(
    answer.status,
    `${link.name} ${words} (HTTP ${answer.status}${title !== null ? `: ${title}` : ''}).`,
    retryAfter(answer),
    type,
  );
}

/** The EPCIS request headers of the REST bindings: versions sent on every call. */
export function epcisHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    Accept: 'application/ld+json, application/json;q=0.9, application/problem+json;q=0.5',
    'GS1-EPCIS-Version': EPCIS_VERSION,
    'GS1-CBV-Version': CBV_VERSION,
    ...extra,
  };
}

/** A GET of the partner's EPCIS interface (events, a capture job) with the bindings' headers. */
export function getEpcis(link: PartnerLink, url: string, signal?: AbortSignal): Promise<PartnerAnswer> {
  return partnerRequest(link, {
    method: 'GET',
    url,
    headers: epcisHeaders(),
    expect: [200],
    ...(signal ? { signal } : {}),
  });
}

/** Refuses an answer that declares an EPCIS or CBV major version other than 2. */
export function checkVersions(
  link: PartnerLink,
  answer: HttpAnswer,
): { epcis: string | null; cbv: string | null } {
  const epcis = header(answer, 'gs1-epcis-version');
  const cbv = header(answer, 'gs1-cbv-version');
  if (epcis !== null && !/^2(\.|$)/.test(epcis))
    throw new PartnerHttpError(
      406,
      `${link.name} answers in EPCIS ${epcis.slice(0, 20)}; Custodia reads EPCIS 2.0.`,
      null,
      null,
    );
  if (cbv !== null && !/^2(\.|$)/.test(cbv))
    throw new PartnerHttpError(
      406,
      `${link.name} answers in CBV ${cbv.slice(0, 20)}; Custodia reads CBV 2.0.`,
      null,
      null,
    );
  return { epcis, cbv };
}

export function header(answer: Pick<HttpAnswer, 'headers'>, name: string): string | null {
  const v = answer.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

/** The URL of `Link: <…>; rel="next"` (RFC 8288), resolved against the request's URL. */
export function nextLink(answer: Pick<HttpAnswer, 'headers'>, base: string): string | null {
  const value = header(answer, 'link');
  if (value === null) return null;
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m === null) continue;
    if (/\brel\s*=\s*"?next"?/i.test(m[2]!)) return new URL(m[1]!, base).toString();
  }
  return null;
}
