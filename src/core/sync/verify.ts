import { partnerRequest, PartnerHttpError, type PartnerLink } from './partner-http';

/*
 * Verification of a product identifier (GS1 Lightweight Messaging Standard for Verification of
 * Product Identifiers, 1.0.2/1.1.0, with the GS1 US DSCSA guideline): the request is a GET on a
 * Digital-Link-shaped path with the convenience names deployed verification routers answer,
 *   {verify}/verify/gtin/{gtin}/lot/{lot}/ser/{serial}?exp=YYMMDD&linkType=verificationService
 *     &context=dscsaSaleableReturn&reqGLN={our GLN}&corrUUID={uuid}
 * and the answer is JSON: verificationTimestamp, responderGLN, corrUUID and data.verified,
 * data.verificationFailureReason, data.additionalInfo.
 *
 * Who must verify: a dispenser investigating suspect product verifies at least 3 packages or 10%
 * of it (FD&C Act §582(d)(4)(A)(ii)(II)); a wholesale distributor verifies a saleable return
 * before reselling it (§582(c)(4)(D)). The request carries the same corrUUID on every retry, so a
 * router that answered once answers the same question, and the answer is recorded once.
 */

export type VerifyContext = 'dscsaSaleableReturn' | 'dscsaSuspectProduct';

export interface VerifyRequest {
  readonly gtin: string;
  readonly lot: string;
  /** YYYY-MM-DD or YYMMDD. */
  readonly expiry: string;
  readonly serial: string;
  readonly context: VerifyContext;
  readonly requesterGln: string;
  readonly corrUuid: string;
}

export interface VerifyAnswer {
  readonly verified: boolean;
  readonly failureReason: string | null;
  readonly additionalInfo: string | null;
  readonly responderGln: string | null;
  readonly timestamp: string | null;
}

/** YYMMDD, as AI (17) and the LMS `exp` parameter write a date. */
export function lmsDate(expiry: string): string {
  const iso = /^(\d{2})(\d{2})-(\d{2})-(\d{2})$/.exec(expiry);
  if (iso !== null) return `${iso[2]}${iso[3]}${iso[4]}`;
  if (/^\d{6}$/.test(expiry)) return expiry;
  throw new Error('an expiry date is YYYY-MM-DD or YYMMDD');
}

export function verifyUrl(base: string, r: VerifyRequest): string {
  const path = `/verify/gtin/${encodeURIComponent(r.gtin)}/lot/${encodeURIComponent(r.lot)}/ser/${encodeURIComponent(r.serial)}`;
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  url.searchParams.set('exp', lmsDate(r.expiry));
  url.searchParams.set('linkType', 'verificationService');
  url.searchParams.set('context', r.context);
  url.searchParams.set('reqGLN', r.requesterGln);
  url.searchParams.set('corrUUID', r.corrUuid);
  return url.toString();
}

export async function askVerification(
  link: PartnerLink,
  r: VerifyRequest,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<VerifyAnswer> {
  if (link.verifyUrl === null) throw new Error('no verification address');
  const answer = await partnerRequest(link, {
    method: 'GET',
    url: verifyUrl(link.verifyUrl, r),
    headers: { Accept: 'application/json' },
    expect: [200],
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return readAnswer(link, answer.body, r.corrUuid);
}

export function readAnswer(link: Pick<PartnerLink, 'name'>, body: Buffer, corrUuid: string): VerifyAnswer {
  let doc: {
    verificationTimestamp?: unknown;
    responderGLN?: unknown;
    corrUUID?: unknown;
    data?: { verified?: unknown; verificationFailureReason?: unknown; additionalInfo?: unknown };
  };
  try {
    doc = JSON.parse(body.toString('utf8')) as typeof doc;
  } catch {
    throw new PartnerHttpError(
      502,
      `${link.name}'s verification service answered something that is not JSON.`,
      null,
      null,
    );
  }
  if (typeof doc.data?.verified !== 'boolean')
    throw new PartnerHttpError(502, `${link.name}'s verification answer has no data.verified.`, null, null);
  if (typeof doc.corrUUID === 'string' && doc.corrUUID !== corrUuid)
    throw new PartnerHttpError(
      502,
      `${link.name}'s verification answer is for another request (corrUUID).`,
      null,
      null,
    );
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v.slice(0, 200) : null);
  return {
    verified: doc.data.verified,
    failureReason: doc.data.verified ? null : (text(doc.data.verificationFailureReason) ?? 'unspecified'),
    additionalInfo: text(doc.data.additionalInfo),
    responderGln:
      typeof doc.responderGLN === 'string' && /^\d{13}$/.test(doc.responderGLN) ? doc.responderGLN : null,
    timestamp: text(doc.verificationTimestamp),
  };
}
