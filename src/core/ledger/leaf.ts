import { canonicalBytes, canonicalize, isCanonical, parseStrict } from './jcs';

/**
 * A ledger leaf is the RFC 8785 canonical JSON of this envelope, stored byte for byte as hashed
 * (ledger-anchors.md §8 A.2). `version` lets a five-year-old export stay verifiable after the
 * format moves on; `time` is integer milliseconds since the epoch because float or nanosecond
 * times do not survive a round trip through storage (§8 A.4).
 */
export const LEAF_VERSION = 1;

export interface LeafEnvelope {
  readonly version: typeof LEAF_VERSION;
  /** 0-based position in the log, equal to the leaf index in the Merkle tree. */
  readonly seq: number;
  /** What happened, as dotted lowercase words: "ledger.genesis", "receiving.shipment-received". */
  readonly type: string;
  readonly time: number;
  /** Who did it: a user id, or "system" for Custodia itself. */
  readonly actor: string;
  readonly payload: unknown;
}

export const ENTRY_TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

export class LeafError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeafError';
  }
}

export function encodeLeaf(envelope: LeafEnvelope): Buffer {
  if (envelope.version !== LEAF_VERSION)
    throw new LeafError(`leaf version ${envelope.version} is not written`);
  if (!Number.isSafeInteger(envelope.seq) || envelope.seq < 0)
    throw new LeafError('seq is a non-negative integer');
  if (!Number.isSafeInteger(envelope.time)) throw new LeafError('time is integer milliseconds since 1970');
  if (!ENTRY_TYPE_PATTERN.test(envelope.type))
    throw new LeafError(`entry type "${envelope.type}" is not dotted words`);
  if (typeof envelope.actor !== 'string' || envelope.actor.length === 0 || envelope.actor.length > 200) {
    throw new LeafError('actor is a non-empty string');
  }
  const fields = {
    actor: envelope.actor,
    payload: envelope.payload === undefined ? null : envelope.payload,
    seq: envelope.seq,
    time: envelope.time,
    type: envelope.type,
    version: envelope.version,
  };
  // The members are fixed and listed above in canonical order (RFC 8785 s3.2.3), so the text is
  // assembled around the canonical values: the same bytes as canonicalizing `fields` (tested), a
  // third of the work. On any refusal the whole object is canonicalized for the error's path.
  try {
    return Buffer.from(
      `{"actor":${canonicalize(fields.actor)},"payload":${canonicalize(fields.payload)},"seq":${fields.seq},` +
        `"time":${fields.time},"type":${canonicalize(fields.type)},"version":${fields.version}}`,
      'utf8',
    );
  } catch {
    return canonicalBytes(fields);
  }
}

/** Decodes and checks a stored leaf; the reason says what is wrong with it. */
export function decodeLeaf(bytes: Uint8Array): LeafEnvelope {
  let value: unknown;
  try {
    value = parseStrict(bytes);
  } catch (error) {
    throw new LeafError(`its bytes are not valid JSON (${(error as Error).message})`);
  }
  if (!isCanonical(bytes)) throw new LeafError('its bytes are not in RFC 8785 canonical form');
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new LeafError('it is not a JSON object');
  const keys = Object.keys(v).sort().join(',');
  if (keys !== 'actor,payload,seq,time,type,version') throw new LeafError(`it has the fields ${keys}`);
  if (v.version !== LEAF_VERSION) throw new LeafError(`its version ${String(v.version)} is unknown`);
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 0) throw new LeafError('its seq is not an index');
  if (!Number.isSafeInteger(v.time)) throw new LeafError('its time is not integer milliseconds');
  if (typeof v.type !== 'string' || !ENTRY_TYPE_PATTERN.test(v.type))
    throw new LeafError('its type is not valid');
  if (typeof v.actor !== 'string' || v.actor.length === 0) throw new LeafError('its actor is not valid');
  return v as unknown as LeafEnvelope;
}

const SEQ_MARK = Buffer.from(',"seq":');

/**
 * The top-level seq of a canonical leaf without parsing it. Canonical key order puts "seq" after
 * "payload" and before "time", "type" and "version", whose values hold no bare `,"seq":`, so the
 * last occurrence is the envelope's. Used by the verifiers' fast pass to name the exact record
 * that was moved, inserted or deleted; null when the leaf is not shaped like one of ours.
 */
export function leafSeqHint(bytes: Buffer): number | null {
  const at = bytes.lastIndexOf(SEQ_MARK);
  if (at < 0) return null;
  let n = 0;
  let i = at + SEQ_MARK.length;
  const start = i;
  for (; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
  }
  if (i === start || (bytes[start] === 0x30 && i - start > 1) || bytes[i] !== 0x2c) return null;
  return n;
}
