import { canonicalNamespace } from './json-event';
import type { EpcisEvent, Extension } from './model';

/**
 * The event with everything that carries no meaning made uniform, for "is this the same event?"
 * checks (XML vs JSON twins, re-imports): sibling user extensions sorted (their order is not
 * significant, CBV 2.0 §8.9 sorts them too), the two CBV master-data namespace spellings unified,
 * and fields that describe the record rather than the event (eventID, recordTime) left out.
 * The model itself keeps document order, so writers can reproduce what the partner sent.
 */
export function comparableEvent(event: Partial<EpcisEvent>): unknown {
  return normalize(event, '');
}

export function sameEvent(a: Partial<EpcisEvent>, b: Partial<EpcisEvent>): boolean {
  return JSON.stringify(comparableEvent(a)) === JSON.stringify(comparableEvent(b));
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** XML attributes on an extension element are the JSON binding's child keys; xsi:* is schema typing. */
function foldAttributes(x: Extension): Extension {
  const attributes = (x.attributes ?? []).filter((a) => a.ns !== XSI);
  const { attributes: _dropped, value, ...rest } = x;
  if (attributes.length === 0) return value === undefined ? rest : { ...rest, value };
  const children = [
    ...(x.children ?? []),
    ...attributes.map((a) => ({ ns: a.ns, name: a.name, value: a.value })),
  ];
  return { ...rest, ...(value !== undefined && value !== '' ? { value } : {}), children };
}

function normalize(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    // an empty extension element (<x/>) says nothing more than an absent one (JSON twins omit it)
    const folded = isExtensionKey(key) ? value.map((v) => foldAttributes(v as Extension)) : value;
    const kept = folded.filter((v) => !(isExtensionKey(key) && isEmptyLeaf(v)));
    const items = kept.map((v) => normalize(v, key));
    if (isExtensionKey(key) || key === 'attributes') {
      return items.sort((x, y) => cmp(JSON.stringify(x), JSON.stringify(y)));
    }
    return items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (key === '' && (k === 'eventID' || k === 'recordTime')) continue;
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      out[k] = k === 'ns' && typeof v === 'string' ? canonicalNamespace(v) : normalize(v, k);
    }
    return out;
  }
  return value;
}

function isExtensionKey(key: string): boolean {
  return key === 'extensions' || key === 'children' || key === 'ilmd';
}

function isEmptyLeaf(v: unknown): boolean {
  const x = v as Extension;
  return (
    x !== null &&
    typeof x === 'object' &&
    x.children === undefined &&
    (x.value === undefined || x.value === '') &&
    x.attributes === undefined
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { Extension };
