import type { Action, EventType } from '../epcis/model';
import { isInstance, type TraceIdKind } from '../model/trace-id';
import { finding, type RuleFinding } from '../model/findings';

/*
 * The serial life cycle of DSCSA product (CBV 2.0 §7 business steps and dispositions, as the GS1 US
 * DSCSA guideline uses them):
 *
 *   commissioned -> aggregated -> shipped -> received -> dispensed | decommissioned | destroyed
 *
 * Pure: it reads the current state through StateReader and answers with effects for the caller to
 * apply in its transaction. An event is accepted, rejected (each finding names its rule), or pending
 * when a predecessor it needs has not arrived yet (out-of-order delivery is normal between partners,
 * so such events wait and are evaluated again when the predecessor comes, instead of being refused).
 */

export const SERIAL_STATES = [
  'commissioned',
  'aggregated',
  'shipped',
  'received',
  'dispensed',
  'decommissioned',
  'destroyed',
] as const;
export type SerialStateName = (typeof SERIAL_STATES)[number];

/** States after which a serial must not move again: any activity is a suspect-product signal. */
export const FINAL_STATES: ReadonlySet<SerialStateName> = new Set([
  'dispensed',
  'decommissioned',
  'destroyed',
]);

export interface SerialView {
  readonly state: SerialStateName;
  readonly parentId: number | null;
  readonly lastEventMs: number;
}

export interface StateReader {
  serial(id: number): SerialView | undefined;
  /** Current direct children of a container. */
  children(parentId: number): number[];
}

export interface TraceRef {
  readonly id: number;
  readonly kind: TraceIdKind;
  /** Where in the event, e.g. "epcList/3" (never the serial itself). */
  readonly field: string;
  readonly gtin?: string;
}

export interface LifecycleEvent {
  readonly index: number;
  readonly position?: string;
  readonly type: EventType;
  readonly action?: Action;
  /** CBV term without its URI, e.g. "shipping". */
  readonly bizStep?: string;
  readonly disposition?: string;
  readonly timeMs: number;
  readonly epcs: readonly TraceRef[];
  readonly parent?: TraceRef;
  readonly children: readonly TraceRef[];
  readonly inputs: readonly TraceRef[];
  readonly outputs: readonly TraceRef[];
}

export type Effect =
  | {
      readonly op: 'create';
      readonly id: number;
      readonly state: SerialStateName;
      readonly implicit?: boolean;
    }
  | { readonly op: 'state'; readonly id: number; readonly state: SerialStateName; readonly cascade: boolean }
  | { readonly op: 'pack'; readonly parent: number; readonly child: number }
  | { readonly op: 'unpack'; readonly parent: number; readonly child: number };

export interface Wait {
  readonly id: number;
  readonly why: string;
}

export interface Verdict {
  readonly outcome: 'accept' | 'reject' | 'pending';
  readonly findings: RuleFinding[];
  readonly waits: Wait[];
  readonly effects: Effect[];
}

/** The business step's target state; dispositions decide when the step is not one of these. */
const STEP_TARGET: Record<string, SerialStateName> = {
  shipping: 'shipped',
  departing: 'shipped',
  receiving: 'received',
  arriving: 'received',
  accepting: 'received',
  dispensing: 'dispensed',
  retail_selling: 'dispensed',
  decommissioning: 'decommissioned',
  destroying: 'destroyed',
};
const DISPOSITION_TARGET: Record<string, SerialStateName> = {
  in_transit: 'shipped',
  dispensed: 'dispensed',
  inactive: 'decommissioned',
  destroyed: 'destroyed',
};

export function evaluateEvent(ev: LifecycleEvent, st: StateReader): Verdict {
  const findings: RuleFinding[] = [];
  const waits: Wait[] = [];
  const effects: Effect[] = [];
  const at = { ...(ev.position !== undefined ? { position: ev.position } : {}) };
  const step = ev.bizStep ?? ev.type;
  const what = (ref: TraceRef) =>
    `the ${ref.kind === 'sscc' ? 'SSCC' : `serial of GTIN ${ref.gtin ?? '?'}`} in ${ref.field}`;

  /** The serial's state when it exists and may still move; records a wait or a finding otherwise. */
  const live = (ref: TraceRef, waitingFor: string): SerialView | undefined => {
    const s = st.serial(ref.id);
    if (s === undefined) {
      waits.push({ id: ref.id, why: `${what(ref)} is not known yet: waiting for ${waitingFor}` });
      return undefined;
    }
    if (FINAL_STATES.has(s.state)) {
      findings.push(
        finding(
          'decommissioned-activity',
          `${what(ref)} was already ${s.state}, yet this ${step} event moves it again. Treat the product as suspect: quarantine it and investigate.`,
          ev.index,
          { ...at, field: ref.field, suspect: true },
        ),
      );
      return undefined;
    }
    return s;
  };
  /** An event older than the serial's latest applied event is history: recorded, state unchanged. */
  const historical = (s: SerialView) => ev.timeMs < s.lastEventMs;

  const commission = (ref: TraceRef) => {
    const s = st.serial(ref.id);
    if (s !== undefined) {
      findings.push(
        finding(
          'double-commissioning',
          `${what(ref)} was already commissioned (it is ${s.state}); a serial number is commissioned once. Ask the sender whether this is a duplicate or a reused serial.`,
          ev.index,
          { ...at, field: ref.field, suspect: FINAL_STATES.has(s.state) },
        ),
      );
    } else effects.push({ op: 'create', id: ref.id, state: 'commissioned' });
  };

  const epcs = ev.epcs.filter((r) => isInstance(r.kind));
  switch (ev.type) {
    case 'ObjectEvent': {
      if (ev.action === 'ADD') {
        for (const ref of epcs) commission(ref);
        break;
      }
      const target =
        ev.action === 'DELETE'
          ? 'decommissioned'
          : (STEP_TARGET[ev.bizStep ?? ''] ?? DISPOSITION_TARGET[ev.disposition ?? '']);
      for (const ref of epcs) {
        const s = live(ref, 'its commissioning event');
        if (s === undefined || target === undefined || historical(s)) continue;
        if (target === 'received' && (s.state === 'commissioned' || s.state === 'aggregated')) {
          waits.push({
            id: ref.id,
            why: `${what(ref)} is received before it was shipped: waiting for the shipping event`,
          });
          continue;
        }
        if (target === 'dispensed' && s.state === 'shipped') {
          findings.push(
            finding(
              'lifecycle-transition',
              `${what(ref)} is dispensed while still in transit; it must be received first.`,
              ev.index,
              {
                ...at,
                field: ref.field,
              },
            ),
          );
          continue;
        }
        effects.push({
          op: 'state',
          id: ref.id,
          state: target,
          cascade: target === 'shipped' || target === 'received',
        });
      }
      break;
    }
    case 'AggregationEvent': {
      const parent = ev.parent;
      if (parent === undefined || !isInstance(parent.kind)) break;
      const children = ev.children.filter((r) => isInstance(r.kind));
      if (ev.action === 'ADD') {
        const ps = st.serial(parent.id);
        if (ps === undefined) {
          // Pallets and totes are often labelled with an SSCC nobody commissions in EPCIS.
          if (parent.kind === 'sscc')
            effects.push({ op: 'create', id: parent.id, state: 'commissioned', implicit: true });
          else
            waits.push({
              id: parent.id,
              why: `${what(parent)} (the parent) is not known yet: waiting for its commissioning event`,
            });
        } else if (FINAL_STATES.has(ps.state)) {
          live(parent, '');
        }
        for (const child of children) {
          const cs = st.serial(child.id);
          if (cs === undefined) {
            waits.push({
              id: child.id,
              why: `${what(child)} is packed before it exists (rule aggregation-child-missing): waiting for its commissioning event`,
            });
            continue;
          }
          if (FINAL_STATES.has(cs.state)) {
            live(child, '');
            continue;
          }
          if (cs.parentId !== null && cs.parentId !== parent.id) {
            findings.push(
              finding(
                'aggregation-two-parents',
                `${what(child)} is already packed in another container; it must be unpacked (AggregationEvent DELETE) before it is packed again.`,
                ev.index,
                { ...at, field: child.field },
              ),
            );
            continue;
          }
          if (cs.parentId === null && !historical(cs))
            effects.push({ op: 'pack', parent: parent.id, child: child.id });
        }
      } else if (ev.action === 'DELETE') {
        const ps = live(parent, 'the event that packed it');
        if (ps === undefined) break;
        const targets =
          children.length > 0
            ? children
            : st
                .children(parent.id)
                .map((id, i) => ({ id, kind: 'sgtin' as const, field: `childEPCs/${i}` }));
        for (const child of targets) {
          const cs = st.serial(child.id);
          if (cs === undefined || cs.parentId !== parent.id) {
            if (cs !== undefined && historical(cs)) continue;
            findings.push(
              finding(
                'aggregation-not-in-parent',
                `${what(child)} is not in this parent, so it cannot be unpacked from it.`,
                ev.index,
                { ...at, field: child.field },
              ),
            );
            continue;
          }
          effects.push({ op: 'unpack', parent: parent.id, child: child.id });
        }
      } else {
        for (const child of children) live(child, 'its commissioning event');
      }
      break;
    }
    case 'TransformationEvent': {
      for (const ref of ev.inputs.filter((r) => isInstance(r.kind))) {
        const s = live(ref, 'its commissioning event');
        if (s !== undefined && !historical(s))
          effects.push({ op: 'state', id: ref.id, state: 'decommissioned', cascade: false });
      }
      for (const ref of ev.outputs.filter((r) => isInstance(r.kind))) commission(ref);
      break;
    }
    default:
      // TransactionEvent and AssociationEvent do not move a serial through its life cycle.
      break;
  }
  const outcome = findings.length > 0 ? 'reject' : waits.length > 0 ? 'pending' : 'accept';
  return { outcome, findings, waits, effects: outcome === 'accept' ? effects : [] };
}
