import type { Contract, OutputOf } from '../../../core/api';
import { formatDateTime } from '../../forms/format';

type Result = OutputOf<Contract['trace.lookup']>;
type Event = Result['history'][number];

/** CBV vocabulary URNs by their last word (urn:epcglobal:cbv:bizstep:shipping → shipping). */
export const word = (v: string | null) => (v ? (v.split(/[:/#]/).pop() ?? v) : '');

/** A party or location as a person knows it: the saved partner's name, else the GLN, else the value. */
export type PlaceName = (value: string | null) => {
  name: string | null;
  gln: string | null;
  raw: string | null;
};

export function placeNames(places: Result['places']): PlaceName {
  const byValue = new Map(places.map((p) => [p.value, p]));
  return (value) => {
    if (value === null) return { name: null, gln: null, raw: null };
    const p = byValue.get(value);
    return { name: p?.name ?? null, gln: p?.gln ?? null, raw: value };
  };
}

/** The name alone, for a sentence ("shipped by Keystone to Main Street Pharmacy"). */
export function said(place: ReturnType<PlaceName>): string | null {
  return place.name ?? (place.gln !== null ? `GLN ${place.gln}` : place.raw);
}

/** CBV 2.0 dispositions in a pharmacist's words. */
const DISPOSITION: Record<string, string> = {
  active: 'active, saleable',
  in_progress: 'in transit or being handled',
  in_transit: 'in transit',
  sellable_accessible: 'on the shelf, saleable',
  sellable_not_accessible: 'saleable, not on the shelf',
  non_sellable_other: 'not saleable',
  container_closed: 'sealed in its container',
  encoded: 'label printed',
  inactive: 'inactive',
  destroyed: 'destroyed',
  dispensed: 'dispensed',
  expired: 'expired',
  recalled: 'recalled',
  returned: 'returned',
  stolen: 'reported stolen',
  damaged: 'damaged',
  no_pedigree_match: 'no matching transaction data',
  partially_dispensed: 'partly dispensed',
};

export function dispositionWords(v: string | null): string {
  const w = word(v);
  return DISPOSITION[w] ?? w.replace(/_/g, ' ');
}

/**
 * What happened, in plain words: "packed into a case", "shipped by Keystone to Main Street
 * Pharmacy", "the manufacturer decommissioned this serial on 1 March 2026". The EPCIS event itself
 * stays one click away (the Raw event under each line).
 */
export function describeEvent(e: Event, place: PlaceName): string {
  const step = word(e.bizStep);
  const from = said(place(e.source));
  const to = said(place(e.destination));
  const at = said(place(e.location));
  const on = formatDateTime(e.time, 'day');
  const who = from ?? at;
  const inside = e.role === 'in container' ? 'its case or tote was ' : '';
  switch (step) {
    case 'commissioning':
      return `serial assigned and labelled${who ? ` by ${who}` : ''} on ${on}`;
    case 'packing':
      return e.role === 'parent' || e.role === 'epc/parent'
        ? 'packed with its contents'
        : 'packed into a case or tote';
    case 'unpacking':
      return e.role === 'parent' || e.role === 'epc/parent' ? 'unpacked' : 'taken out of its case or tote';
    case 'shipping':
      return `${inside}shipped${from ? ` by ${from}` : at ? ` from ${at}` : ''}${to ? ` to ${to}` : ''} on ${on}`;
    case 'receiving':
      return `${inside}received${to ? ` by ${to}` : at ? ` at ${at}` : ''} on ${on}`;
    case 'decommissioning':
      return `${who ? `${who} ` : 'the owner '}decommissioned this serial on ${on}: it must not be in commerce`;
    case 'destroying':
      return `destroyed${at ? ` at ${at}` : ''} on ${on}`;
    case 'dispensing':
      return `dispensed${at ? ` at ${at}` : ''} on ${on}`;
    case 'storing':
      return `put into storage${at ? ` at ${at}` : ''}`;
    case 'inspecting':
      return `inspected${at ? ` at ${at}` : ''}`;
    case 'holding':
      return `put on hold${at ? ` at ${at}` : ''}`;
    case 'returning':
      return `returned${to ? ` to ${to}` : ''} on ${on}`;
    case 'void_shipping':
      return 'a shipment was cancelled';
    case '':
      return e.type === 'AggregationEvent'
        ? e.action === 'DELETE'
          ? 'taken out of its case or tote'
          : 'packed into a case or tote'
        : `${e.type} ${e.action ?? ''}`.trim();
    default:
      return `${inside}${step.replace(/_/g, ' ')}${at ? ` at ${at}` : ''}`;
  }
}
