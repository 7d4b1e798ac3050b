import crypto from 'node:crypto';
import {
  epcisHeaders,
  getEpcis,
  header,
  nextLink,
  PartnerHttpError,
  partnerRequest,
  type PartnerLink,
} from './partner-http';

/*
 * Capture (EPCIS 2.0 REST bindings, openapi.yaml /capture and /capture/{captureID}): a document is
 * POSTed to {base}/capture and answered 202 with a Location; the capture job is polled until
 * `running` is false. Custodia sends `GS1-Capture-Error-Behaviour: rollback` (the standard's
 * default, "all or nothing"): a job that failed stored none of its events, so sending the same
 * events again can never store one twice, and what a partner holds is always whole documents.
 *
 * The limits come from OPTIONS {base}/capture (GS1-EPCIS-Capture-Limit events,
 * GS1-EPCIS-Capture-File-Size-Limit bytes); a 413 halves the part again.
 */

export const CAPTURE_ERROR_BEHAVIOUR = 'rollback';

export interface CaptureLimits {
  readonly events: number | null;
  readonly bytes: number | null;
}

export async function captureLimits(
  link: PartnerLink,
  signal?: AbortSignal,
): Promise<CaptureLimits & { allow: string | null }> {
  const answer = await partnerRequest(link, {
    method: 'OPTIONS',
    url: `${base(link)}/capture`,
    headers: epcisHeaders(),
    expect: [200, 204],
    ...(signal ? { signal } : {}),
  });
  const int = (name: string) => {
    const v = header(answer, name);
    return v !== null && /^\d+$/.test(v.trim()) && Number(v) > 0 ? Number(v) : null;
  };
  return {
    events: int('gs1-epcis-capture-limit'),
    bytes: int('gs1-epcis-capture-file-size-limit'),
    allow: header(answer, 'allow'),
  };
}

export const base = (link: PartnerLink) => (link.epcisUrl ?? '').replace(/\/+$/, '');

export interface EpcisDocumentParts {
  readonly context: unknown;
  readonly header: unknown;
  readonly events: Record<string, unknown>[];
}

/** Reads a JSON EPCIS document into its parts; each event gets a stable eventID if it had none. */
export function documentParts(bytes: Buffer): EpcisDocumentParts {
  const doc = JSON.parse(bytes.toString('utf8')) as {
    '@context'?: unknown;
    epcisHeader?: unknown;
    epcisBody?: { eventList?: unknown; queryResults?: { resultsBody?: { eventList?: unknown } } };
  };
  const list = doc.epcisBody?.eventList ?? doc.epcisBody?.queryResults?.resultsBody?.eventList;
  if (!Array.isArray(list) || list.length === 0) throw new Error('the document holds no events');
  const events = (list as Record<string, unknown>[]).map((e) =>
    typeof e.eventID === 'string' && e.eventID !== ''
      ? e
      : // A stable id from the event's content (an RFC 6920 ni: URI, as EPCIS 2.0 §7.3.4 allows):
        // the same event sent again carries the same id, so the partner and we can find it.
        {
          eventID: `ni:///sha-256;${crypto.createHash('sha256').update(JSON.stringify(e)).digest('hex')}?ver=CBV2.0`,
          ...e,
        },
  );
  return { context: doc['@context'], header: doc.epcisHeader, events };
}

export function documentBytes(parts: EpcisDocumentParts, createdMs: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      '@context': parts.context ?? ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date(createdMs).toISOString(),
      ...(parts.header !== undefined ? { epcisHeader: parts.header } : {}),
      epcisBody: { eventList: parts.events },
    }),
    'utf8',
  );
}

/** Splits a document's events into parts within the partner's limits. */
export function splitParts(
  parts: EpcisDocumentParts,
  limits: CaptureLimits,
  createdMs: number,
): EpcisDocumentParts[] {
  const maxEvents = limits.events ?? Infinity;
  const out: EpcisDocumentParts[] = [];
  let current: Record<string, unknown>[] = [];
  const fits = (events: Record<string, unknown>[]) =>
    events.length <= maxEvents &&
    (limits.bytes === null || documentBytes({ ...parts, events }, createdMs).length <= limits.bytes);
  for (const e of parts.events) {
    if (current.length > 0 && !fits([...current, e])) {
      out.push({ ...parts, events: current });
      current = [];
    }
    current.push(e);
  }
  if (current.length > 0) out.push({ ...parts, events: current });
  return out;
}

export async function postCapture(link: PartnerLink, body: Buffer, signal?: AbortSignal): Promise<string> {
  const answer = await partnerRequest(link, {
    method: 'POST',
    url: `${base(link)}/capture`,
    headers: epcisHeaders({
      'Content-Type': 'application/ld+json',
      'GS1-Capture-Error-Behaviour': CAPTURE_ERROR_BEHAVIOUR,
    }),
    body,
    expect: [202],
    ...(signal ? { signal } : {}),
  });
  const location = header(answer, 'location');
  if (location === null)
    throw new PartnerHttpError(
      502,
      `${link.name} accepted the capture but gave no Location to follow it.`,
      null,
      null,
    );
  return new URL(location, `${base(link)}/capture`).toString();
}

export interface CaptureJob {
  readonly running: boolean;
  readonly success: boolean;
  readonly errors: string[];
}

export async function pollCapture(link: PartnerLink, url: string, signal?: AbortSignal): Promise<CaptureJob> {
  const answer = await getEpcis(link, url, signal);
  let job: { running?: unknown; success?: unknown; errors?: unknown };
  try {
    job = JSON.parse(answer.body.toString('utf8')) as typeof job;
  } catch {
    throw new PartnerHttpError(
      502,
      `${link.name} answered a capture job that is not valid JSON.`,
      null,
      null,
    );
  }
  if (typeof job.running !== 'boolean' || typeof job.success !== 'boolean')
    throw new PartnerHttpError(
      502,
      `${link.name} answered a capture job without running/success.`,
      null,
      null,
    );
  const errors = Array.isArray(job.errors)
    ? job.errors
        .slice(0, 20)
        .map((e) =>
          typeof e === 'string'
            ? e.slice(0, 200)
            : typeof (e as { title?: unknown }).title === 'string'
              ? String((e as { title: string }).title).slice(0, 200)
              : 'an error',
        )
    : [];
  return { running: job.running, success: job.success, errors };
}

/** The URL query length kept under common server limits (8 KiB request lines): ids per request. */
const EVENT_ID_QUERY_CHARS = 6_000;

/**
 * Which of these event ids the partner already stores: GET {base}/events?EQ_eventID=a|b|… in
 * chunks short enough for a URL (openapi.yaml EQ_eventID, pipe-delimited).
 */
export async function storedEventIds(
  link: PartnerLink,
  eventIds: readonly string[],
  signal?: AbortSignal,
): Promise<Set<string>> {
  const found = new Set<string>();
  let chunk: string[] = [];
  const ask = async () => {
    if (chunk.length === 0) return;
    let url: string | null =
      `${base(link)}/events?${new URLSearchParams({ EQ_eventID: chunk.join('|'), perPage: String(chunk.length) }).toString()}`;
    while (url !== null) {
      const answer = await getEpcis(link, url, signal);
      const doc = JSON.parse(answer.body.toString('utf8')) as {
        epcisBody?: { queryResults?: { resultsBody?: { eventList?: { eventID?: unknown }[] } } };
      };
      for (const e of doc.epcisBody?.queryResults?.resultsBody?.eventList ?? [])
        if (typeof e.eventID === 'string') found.add(e.eventID);
      url = nextLink(answer, url);
    }
    chunk = [];
  };
  let length = 0;
  for (const id of eventIds) {
    const cost = encodeURIComponent(id).length + 3;
    if (length + cost > EVENT_ID_QUERY_CHARS) {
      await ask();
      length = 0;
    }
    chunk.push(id);
    length += cost;
  }
  await ask();
  return found;
}
