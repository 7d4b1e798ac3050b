import { canonicalIdentifierResult } from '../identifiers';

/**
 * The model's one identifier form (see model.ts): canonical GS1 Digital Link on https://id.gs1.org.
 * The conversions, and which values count as GS1 keys (EPC URNs of GS1 schemes, web URIs with a GS1 key
 * in the path, numeric or by Digital Link 1.x short name), belong to src/core/identifiers; this file
 * only keeps the failure next to the value.
 */
export interface CanonicalId {
  value: string;
  /** Why the value could not be canonicalised although it claims to be a GS1 key. */
  error?: string;
}

const cache = new Map<string, CanonicalId>();

export function canonicalId(raw: string): CanonicalId {
  const text = raw.trim();
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const result = compute(text);
  // Locations, classes and parties repeat; serialized EPCs do not. A small cache that stops growing
  // keeps the repeats cheap without churning on millions of unique serials.
  if (cache.size < 4096) cache.set(text, result);
  return result;
}

function compute(text: string): CanonicalId {
  // Strict URN reading: raw characters the TDS wants escaped are reported, not guessed at.
  const result = canonicalIdentifierResult(text);
  return result.ok ? { value: result.value } : { value: text, error: result.error.message };
}

/** True when the value is in the model's canonical Digital Link form. */
export function isDigitalLink(value: string): boolean {
  return value.startsWith('https://id.gs1.org/');
}
