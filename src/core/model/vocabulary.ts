import type { EpcisEvent } from '../epcis/model';

/** "https://ref.gs1.org/cbv/BizStep-shipping" -> "shipping" (CBV 2.0 web vocabulary, model.ts). */
export function cbvTerm(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  const m = /^https:\/\/ref\.gs1\.org\/cbv\/[A-Za-z]+-(.+)$/.exec(uri);
  return m !== null ? m[1] : uri;
}

/** GLN of a canonical party/location identifier (https://id.gs1.org/414/<gln>[/254/<ext>]). */
export function glnOf(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const m = /^https:\/\/id\.gs1\.org\/(?:414|417)\/(\d{13})/.exec(id);
  return m !== null ? m[1] : undefined;
}

export function partyOf(
  event: EpcisEvent,
  list: 'source' | 'destination',
  type: 'owning_party' | 'location',
): string | undefined {
  const entries = list === 'source' ? event.sourceList : event.destinationList;
  const found = entries?.find((e) => cbvTerm(e.type) === type);
  if (found === undefined) return undefined;
  return 'source' in found ? found.source : found.destination;
}

/** ILMD lot and expiry (CBV master data attributes lotNumber and itemExpirationDate). */
export function ilmdValue(event: EpcisEvent, name: 'lotNumber' | 'itemExpirationDate'): string | undefined {
  return event.ilmd?.find((x) => x.name === name)?.value?.trim();
}

/** A DSCSA product: a GTIN that carries an NDC ("03" after the indicator digit, GS1 US guideline). */
export function isDrugGtin(gtin: string | undefined): boolean {
  return gtin !== undefined && gtin.length === 14 && gtin.slice(1, 3) === '03';
}

export function bizTransactionRef(event: EpcisEvent): string | undefined {
  const list = event.bizTransactionList ?? [];
  const pick =
    list.find((b) => cbvTerm(b.type) === 'desadv') ??
    list.find((b) => cbvTerm(b.type) === 'inv') ??
    list.find((b) => cbvTerm(b.type) === 'po') ??
    list[0];
  return pick?.bizTransaction;
}
