import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';

/*
 * The one way Custodia talks to a partner's server: node:https with TLS 1.2 at least and certificate
 * verification always on (DSCSA data is protected health-adjacent trade data; an unverified channel
 * would let anyone on the path inject events into the ledger). A partner may add its own CA, pin its
 * server certificate (SHA-256 of the DER) and ask for a client certificate (mutual TLS). Plain
 * http:// is refused except to 127.0.0.1, which only tests use.
 *
 * Nothing here logs, and no error message carries a header value, a body or a secret: an error
 * names the partner, the host and, for TLS, the certificate by subject and expiry.
 */

export interface TlsSettings {
  /** PEM of the partner's CA, added to the system roots (not replacing them). */
  readonly ca?: string;
  /** Hex SHA-256 of the server certificate's DER; any other certificate is refused. */
  readonly pinnedSha256?: string;
  /** PEM of our client certificate and its private key (the key comes from the keychain). */
  readonly clientCert?: string;
  readonly clientKey?: string;
}

export interface TlsDetails {
  readonly protocol: string | null;
  readonly subject: string | null;
  readonly issuer: string | null;
  readonly validToMs: number | null;
  readonly sha256: string | null;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly tls: TlsDetails | null;
}

export type TransportFailureKind =
  | 'refused-url'
  | 'tls'
  | 'certificate-expired'
  | 'certificate-untrusted'
  | 'certificate-pin'
  | 'client-certificate'
  | 'timeout'
  | 'reset'
  | 'unreachable'
  | 'too-large';

/** A request that got no HTTP answer. Retryable unless it is about the URL or a certificate. */
export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }

  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'reset' || this.kind === 'unreachable';
  }
}

export interface RequestSpec {
  /** The partner's name, for error messages. */
  readonly partner: string;
  readonly method: 'GET' | 'POST' | 'OPTIONS';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer;
  readonly tls?: TlsSettings;
  /** Whole-request time limit (connect, send, answer). Default 30 s. */
  readonly timeoutMs?: number;
  /** Answers larger than this are refused (default 256 MiB). */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

/** Refuses a URL that is not https (or http to 127.0.0.1), and says why in words. */
export function checkPartnerUrl(url: string, partner: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TransportError('refused-url', `${partner}: "${url}" is not a web address.`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new TransportError(
      'refused-url',
      `${partner}: the address must not carry a user name or password; use the partner's authentication settings.`,
    );
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1') return parsed;
  throw new TransportError(
    'refused-url',
    `${partner}: only https:// addresses are allowed (partner data must travel encrypted and authenticated).`,
  );
}

const certName = (name: Record<string, string | string[]> | undefined): string | null => {
  if (name === undefined) return null;
  const parts = Object.entries(name).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`);
  return parts.length === 0 ? null : parts.join(', ');
};

function tlsDetailsOf(socket: TLSSocket): TlsDetails {
  const cert = socket.getPeerCertificate();
  const has = cert !== null && cert !== undefined && Object.keys(cert).length > 0;
  return {
    protocol: socket.getProtocol() ?? null,
    subject: has ? certName(cert.subject as unknown as Record<string, string>) : null,
    issuer: has ? certName(cert.issuer as unknown as Record<string, string>) : null,
    validToMs: has ? Date.parse(cert.valid_to) : null,
    sha256: has ? crypto.createHash('sha256').update(cert.raw).digest('hex') : null,
  };
}

/** A TLS failure in words, naming the partner and (when known) the certificate. */
function tlsFailure(error: NodeJS.ErrnoException, partner: string, host: string): TransportError {
  const code = error.code ?? '';
  if (code === 'CERT_HAS_EXPIRED')
    return new TransportError(
      'certificate-expired',
      `${partner}: the server certificate of ${host} has expired; the partner must renew it.`,
    );
  if (
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    code === 'CERT_SIGNATURE_FAILURE'
  )
    return new TransportError(
      'certificate-untrusted',
      `${partner}: the server certificate of ${host} is not signed by a trusted authority (nor by the partner's CA, if one is set).`,
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new TransportError(
      'certificate-untrusted',
      `${partner}: the server certificate is not for ${host}.`,
    );
  if (code === 'CERT_PIN_MISMATCH')
    return new TransportError(
      'certificate-pin',
      `${partner}: the server certificate of ${host} is not the pinned one (it may have been renewed; check with the partner before changing the pin).`,
    );
  if (/^ERR_SSL_(TLSV1\d?|SSLV3)_ALERT/.test(code))
    return new TransportError(
      'client-certificate',
      `${partner}: ${host} refused the connection during the TLS handshake (our client certificate is missing, expired or not trusted by the partner).`,
    );
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))
    return new TransportError('tls', `${partner}: the secure connection to ${host} failed (${code}).`);
  return new TransportError('tls', `${partner}: the secure connection to ${host} failed.`);
}

function networkFailure(error: NodeJS.ErrnoException, partner: string, host: string): TransportError {
  const code = error.code ?? '';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE')
    return new TransportError('reset', `${partner}: ${host} closed the connection before answering in full.`);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'EAI_AGAIN')
    return new TransportError('unreachable', `${partner}: ${host} could not be reached (${code}).`);
  if (/CERT|SSL|TLS|SIGNATURE|ISSUER/.test(code)) return tlsFailure(error, partner, host);
  return new TransportError('reset', `${partner}: the connection to ${host} failed (${code || 'unknown'}).`);
}

/** One HTTP request, all or nothing: the whole answer, or a TransportError. */
export function request(spec: RequestSpec): Promise<HttpAnswer> {
  let url: URL;
  try {
    url = checkPartnerUrl(spec.url, spec.partner);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  const host = url.host;
  const timeoutMs = spec.timeoutMs ?? 30_000;
  const maxBytes = spec.maxBytes ?? 256 * 1024 * 1024;
  const secure = url.protocol === 'https:';
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    let peer: TlsDetails | null = null;
    const finish = (error: TransportError | null, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      if (error !== null) {
        req.destroy();
        reject(error);
      } else resolve(answer!);
    };
    const options: https.RequestOptions = {
      method: spec.method,
      headers: {
        ...(spec.headers ?? {}),
        ...(spec.body !== undefined ? { 'Content-Length': String(spec.body.length) } : {}),
      },
      agent: false,
    };
    if (secure) {
      Object.assign(options, {
        minVersion: 'TLSv1.2',
        rejectUnauthorized: true,
        ...(spec.tls?.ca !== undefined ? { ca: [...tls.rootCertificates, spec.tls.ca] } : {}),
        ...(spec.tls?.clientCert !== undefined ? { cert: spec.tls.clientCert } : {}),
        ...(spec.tls?.clientKey !== undefined ? { key: spec.tls.clientKey } : {}),
        checkServerIdentity: (hostname: string, cert: PeerCertificate) => {
          const standard = tls.checkServerIdentity(hostname, cert);
          if (standard !== undefined) return standard;
          const pin = spec.tls?.pinnedSha256;
          if (pin !== undefined) {
            const actual = crypto.createHash('sha256').update(cert.raw).digest('hex');
            if (actual !== pin.toLowerCase().replace(/[^0-9a-f]/g, '')) {
              return Object.assign(new Error('certificate pin mismatch'), { code: 'CERT_PIN_MISMATCH' });
            }
          }
          return undefined;
        },
      } satisfies https.RequestOptions);
    }
    const req = (secure ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes)
          finish(new TransportError('too-large', `${spec.partner}: the answer from ${host} is too large.`));
        else chunks.push(chunk);
      });
      res.on('aborted', () => finish(networkFailure({ code: 'ECONNRESET' } as never, spec.partner, host)));
      res.on('error', (error: NodeJS.ErrnoException) => finish(networkFailure(error, spec.partner, host)));
      res.on('end', () => {
        if (!res.complete) {
          finish(networkFailure({ code: 'ECONNRESET' } as never, spec.partner, host));
          return;
        }
        finish(null, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          tls: peer,
        });
      });
    });
    if (secure) {
      req.on('socket', (socket) => {
        socket.on('secureConnect', () => {
          peer = tlsDetailsOf(socket as TLSSocket);
        });
      });
    }
    req.on('error', (error: NodeJS.ErrnoException) => finish(networkFailure(error, spec.partner, host)));
    const timer = setTimeout(
      () =>
        finish(
          new TransportError(
            'timeout',
            `${spec.partner}: ${host} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
          ),
        ),
      timeoutMs,
    );
    const onAbort = () =>
      finish(new TransportError('timeout', `${spec.partner}: the request was cancelled.`));
    if (spec.signal?.aborted === true) onAbort();
    spec.signal?.addEventListener('abort', onAbort);
    if (spec.body !== undefined) req.end(spec.body);
    else req.end();
  });
}

/** Just the TLS handshake: the certificate and protocol a partner's server presents (Test connection). */
export async function probeTls(spec: Omit<RequestSpec, 'method'>): Promise<TlsDetails> {
  const answer = await request({ ...spec, method: 'OPTIONS' });
  return answer.tls ?? { protocol: null, subject: null, issuer: null, validToMs: null, sha256: null };
}
