import { describe, expect, it } from 'vitest';
import { comparableEvent } from '../../src/core/epcis/compare';
import { eventHash } from '../../src/core/epcis/hash';
import { canonicalId } from '../../src/core/epcis/identifier-form';
import type {
  EpcisDocument,
  EpcisEvent,
  EventType,
  Extension,
  SensorElement,
} from '../../src/core/epcis/model';
import { CBV_TERMS, CBV_WEB, GS1_VOC } from '../../src/core/epcis/normalize';
import { writeJsonLd } from '../../src/core/epcis/write-jsonld';
import { writeXml } from '../../src/core/epcis/write-xml';
import { load } from './helpers';

/*
 * Property: a random valid event survives XML -> model -> JSON-LD -> model -> XML -> model with the
 * same event hash (both orders) and the same comparable event. The generator is a small seeded PRNG
 * (mulberry32), so a failure names a seed that reproduces it.
 */

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(readonly rand: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length - 1)]!;
  }
  digits(n: number): string {
    return Array.from({ length: n }, () => this.int(0, 9)).join('');
  }
  text(alphabet: string, lo: number, hi: number): string {
    const chars = Array.from(alphabet); // code points, so no lone surrogate halves
    return Array.from({ length: this.int(lo, hi) }, () => chars[this.int(0, chars.length - 1)]).join('');
  }
  /** Free text with XML/JSON-sensitive characters and non-ASCII, no surrounding white space. */
  value(): string {
    if (this.chance(0.2)) return String(this.int(0, 99999));
    if (this.chance(0.1)) return `${this.int(0, 999)}.${this.digits(this.int(1, 3))}`;
    const core = this.text('abcXYZ019 &<>"\'/:;#%é漢😀-_', 1, 16).trim();
    return core === '' ? 'x' : core;
  }
  time(): string {
    const ms = Date.UTC(2015, 0, 1) + this.int(0, 10 * 365 * 24 * 3600) * 1000;
    const iso = new Date(ms).toISOString().slice(0, 19);
    return `${iso}.${this.digits(3)}${this.chance(0.2) ? this.digits(3) : ''}Z`.replace(
      /(\.\d{3})(\d*?)0+Z$/,
      '$1$2Z',
    );
  }
  offset(): string {
    return `${this.pick(['+', '-'])}${String(this.int(0, 14)).padStart(2, '0')}:${this.pick(['00', '30', '45'])}`;
  }
  gcp(): string {
    return this.pick(['0614141', '4012345', '030001', '952012345678']);
  }
  sgtin(): string {
    const gcp = this.gcp();
    const ref = this.digits(13 - gcp.length);
    return canonicalId(`urn:epc:id:sgtin:${gcp}.${ref}.${this.text('ABCdef0123456789', 1, 12)}`).value;
  }
  sscc(): string {
    const gcp = this.gcp();
    return canonicalId(`urn:epc:id:sscc:${gcp}.${this.digits(17 - gcp.length)}`).value;
  }
  sgln(): string {
    const gcp = this.gcp();
    return canonicalId(
      `urn:epc:id:sgln:${gcp}.${this.digits(12 - gcp.length)}.${this.chance(0.5) ? '0' : this.digits(3)}`,
    ).value;
  }
  pgln(): string {
    const gcp = this.gcp();
    return canonicalId(`urn:epc:id:pgln:${gcp}.${this.digits(12 - gcp.length)}`).value;
  }
  lgtin(): string {
    const gcp = this.gcp();
    return canonicalId(
      `urn:epc:class:lgtin:${gcp}.${this.digits(13 - gcp.length)}.${this.text('LOT0123456789', 1, 10)}`,
    ).value;
  }
  epcs(lo = 0): string[] {
    return Array.from({ length: this.int(lo, 4) }, () => (this.chance(0.7) ? this.sgtin() : this.sscc()));
  }
  quantities(): EpcisEvent['quantityList'] {
    return Array.from({ length: this.int(1, 3) }, () => ({
      epcClass: this.lgtin(),
      ...(this.chance(0.8) ? { quantity: this.int(0, 100000) / this.pick([1, 10, 1000]) } : {}),
      ...(this.chance(0.6) ? { uom: this.pick(['KGM', 'LTR', 'EA', 'MTR']) } : {}),
    }));
  }
  cbv(kind: 'bizStep' | 'disposition' | 'btt' | 'sdt'): string {
    const prefix = { bizStep: 'BizStep-', disposition: 'Disp-', btt: 'BTT-', sdt: 'SDT-' }[kind];
    if (kind !== 'sdt' && this.chance(0.1))
      return `https://example.com/vocab/${kind}/${this.text('abc', 3, 6)}`;
    return CBV_WEB + prefix + this.pick(CBV_TERMS[kind]);
  }
  ns(): string {
    return this.pick([
      'https://ns.example.com/epcis/',
      'http://example.com/ext1/',
      'urn:example:pharma:',
      'http://ns.example.com/noslash',
      'urn:epcglobal:cbv:mda',
    ]);
  }
  name(): string {
    return this.pick(['lot', 'note', 'field', 'deep', 'time', 'qty', 'vendorCode']) + this.text('ABC', 0, 2);
  }
  extension(depth: number, allowAttributes = true): Extension {
    const ns = this.ns();
    const name = this.name();
    if (depth < 3 && this.chance(0.35)) {
      const children = Array.from({ length: this.int(1, 3) }, () =>
        this.extension(depth + 1, allowAttributes),
      );
      return { ns, name, children };
    }
    const x: Extension = { ns, name, value: this.value() };
    if (allowAttributes && this.chance(0.15))
      x.attributes = [{ ns: 'urn:example:attr:', name: 'unit', value: this.pick(['kg', 'g']) }];
    return x;
  }
  extensions(max: number, allowAttributes = true): Extension[] | undefined {
    const n = this.int(0, max);
    return n === 0 ? undefined : Array.from({ length: n }, () => this.extension(0, allowAttributes));
  }
  sensorElement(): SensorElement {
    const element: SensorElement = {
      sensorReport: Array.from({ length: this.int(1, 3) }, () => ({
        type: GS1_VOC + this.pick(['Temperature', 'Humidity', 'AbsoluteHumidity', 'MT-Temperature']),
        ...(this.chance(0.7) ? { value: this.int(-400, 400) / 10 } : {}),
        ...(this.chance(0.3) ? { minValue: this.int(-400, 0) / 10, maxValue: this.int(0, 400) / 10 } : {}),
        ...(this.chance(0.2) ? { booleanValue: this.chance(0.5) } : {}),
        ...(this.chance(0.2) ? { stringValue: this.text('abcXYZ', 1, 8) } : {}),
        ...(this.chance(0.5) ? { uom: this.pick(['CEL', 'A93', 'KGM']) } : {}),
        ...(this.chance(0.3) ? { time: this.time() } : {}),
        ...(this.chance(0.2)
          ? {
              extensions: [
                { ns: 'https://ns.example.com/epcis/', name: 'note', value: this.text('abc', 1, 5) },
              ],
            }
          : {}),
      })),
    };
    if (this.chance(0.6))
      element.sensorMetadata = {
        time: this.time(),
        ...(this.chance(0.5) ? { deviceID: canonicalId('urn:epc:id:giai:4000001.111').value } : {}),
      };
    const ext = this.extensions(2, false);
    if (ext !== undefined) element.extensions = ext;
    return element;
  }

  event(): EpcisEvent {
    const type: EventType = this.pick([
      'ObjectEvent',
      'AggregationEvent',
      'TransactionEvent',
      'TransformationEvent',
      'AssociationEvent',
    ]);
    const e: EpcisEvent = { type, eventTime: this.time(), eventTimeZoneOffset: this.offset() };
    if (this.chance(0.3)) e.recordTime = this.time();
    if (this.chance(0.4)) e.eventID = `urn:uuid:${crypto.randomUUID()}`;
    if (this.chance(0.15)) e.certificationInfo = [`https://cert.example.org/${this.digits(5)}`];
    if (this.chance(0.1)) {
      e.errorDeclaration = {
        declarationTime: this.time(),
        reason: CBV_WEB + 'ER-' + this.pick(CBV_TERMS.er),
        correctiveEventIDs: [`urn:uuid:${crypto.randomUUID()}`],
      };
    }
    const action = this.pick(['ADD', 'OBSERVE', 'DELETE'] as const);
    switch (type) {
      case 'ObjectEvent':
        e.action = action;
        if (this.chance(0.7)) e.epcList = this.epcs();
        if (e.epcList === undefined || this.chance(0.3)) e.quantityList = this.quantities();
        if (action === 'ADD' && this.chance(0.5))
          e.ilmd = this.extensions(3) ?? [{ ns: 'urn:epcglobal:cbv:mda', name: 'lotNumber', value: 'L1' }];
        break;
      case 'AggregationEvent':
      case 'AssociationEvent':
        e.action = action;
        e.parentID = this.sscc();
        e.childEPCs = this.epcs(1);
        if (this.chance(0.3)) e.childQuantityList = this.quantities();
        break;
      case 'TransactionEvent':
        e.action = action;
        e.epcList = this.epcs(1);
        if (this.chance(0.3)) e.parentID = this.sscc();
        break;
      case 'TransformationEvent':
        e.inputEPCList = this.epcs(1);
        e.outputQuantityList = this.quantities();
        if (this.chance(0.3)) e.transformationID = `urn:uuid:${crypto.randomUUID()}`;
        if (this.chance(0.4)) e.ilmd = this.extensions(3);
        break;
    }
    if (this.chance(0.8)) e.bizStep = this.cbv('bizStep');
    if (this.chance(0.6)) e.disposition = this.cbv('disposition');
    if (this.chance(0.2))
      e.persistentDisposition = {
        set: [CBV_WEB + 'Disp-completeness_verified'],
        ...(this.chance(0.5) ? { unset: [CBV_WEB + 'Disp-completeness_inferred'] } : {}),
      };
    if (this.chance(0.7)) {
      const ext = this.extensions(2);
      e.readPoint = ext !== undefined ? { id: this.sgln(), extensions: ext } : { id: this.sgln() };
    }
    if (this.chance(0.5)) e.bizLocation = { id: this.sgln() };
    if (type === 'TransactionEvent' || this.chance(0.4)) {
      e.bizTransactionList = Array.from({ length: this.int(1, 3) }, () =>
        this.chance(0.8)
          ? {
              type: this.cbv('btt'),
              bizTransaction: `urn:epcglobal:cbv:bt:${this.digits(13)}:${this.digits(4)}`,
            }
          : { bizTransaction: `https://po.example.com/${this.digits(6)}` },
      );
    }
    if (this.chance(0.4))
      e.sourceList = [
        { type: this.cbv('sdt'), source: this.pgln() },
        { type: CBV_WEB + 'SDT-location', source: this.sgln() },
      ];
    if (this.chance(0.4)) e.destinationList = [{ type: this.cbv('sdt'), destination: this.pgln() }];
    if (this.chance(0.3))
      e.sensorElementList = Array.from({ length: this.int(1, 2) }, () => this.sensorElement());
    const ext = this.extensions(4);
    if (ext !== undefined) e.extensions = ext;
    return e;
  }
}

const DOC: EpcisDocument = {
  kind: 'capture',
  format: 'xml',
  epcisVersion: '2',
  namespaces: { example: 'https://ns.example.com/epcis/' },
  masterData: [],
  products: [],
  locations: [],
  eventCount: 0,
  creationDate: '2024-01-01T00:00:00.000Z',
};

async function text(chunks: AsyncGenerator<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

async function* from(events: EpcisEvent[]): AsyncGenerator<EpcisEvent> {
  yield* events;
}

describe('property: random events survive XML -> model -> JSON-LD -> model -> XML', () => {
  it('with the same hash, in both orders, and the same comparable event', async () => {
    const seed = Number(process.env.EPCIS_PROPERTY_SEED ?? 20240601);
    const gen = new Gen(mulberry32(seed));
    const events = Array.from({ length: 400 }, () => gen.event());
    const xml1 = await text(writeXml(DOC, from(events)));
    const stageErrors = (m: Awaited<ReturnType<typeof load>>, stage: string) =>
      m.events.flatMap((e) =>
        e.issues
          .filter((x) => x.severity === 'error')
          .map((x) => `${stage} event ${e.index}: ${x.message} :: ${JSON.stringify(events[e.index])}`),
      );
    const m1 = await load(xml1, { inline: true });
    expect(stageErrors(m1, 'XML')).toEqual([]);
    const json = await text(writeJsonLd(m1.document!, from(m1.events.map((e) => e.event!))));
    const m2 = await load(json, { inline: true });
    expect(stageErrors(m2, 'JSON-LD')).toEqual([]);
    const xml2 = await text(writeXml(m2.document!, from(m2.events.map((e) => e.event!))));
    const m3 = await load(xml2, { inline: true });

    let survived = 0;
    for (let i = 0; i < events.length; i++) {
      const stages = [m1, m2, m3].map((m) => m.events[i]!);
      for (const [k, stage] of stages.entries()) {
        const problems = stage.issues.filter((x) => x.severity === 'error').map((x) => x.message);
        expect(problems, `seed ${seed}, event ${i}, stage ${k + 1}: ${JSON.stringify(events[i])}`).toEqual(
          [],
        );
      }
      for (const order of ['published', 'reference'] as const) {
        const original = eventHash(events[i]!, { order }).eventHashId;
        const ids = stages.map((s) => eventHash(s.event!, { order }).eventHashId);
        // the reference order keeps the two spellings of the cbvmda namespace apart (see json-event.ts),
        // so only the published order is required to survive that one JSON-LD round trip
        if (order === 'reference' && JSON.stringify(events[i]).includes('urn:epcglobal:cbv:mda')) continue;
        expect(ids, `seed ${seed}, event ${i} (${order}): ${JSON.stringify(events[i])}`).toEqual([
          original,
          original,
          original,
        ]);
      }
      const want = JSON.stringify(comparableEvent(events[i]!));
      for (const s of stages)
        expect(JSON.stringify(comparableEvent(s.event!)), `seed ${seed}, event ${i}`).toBe(want);
      survived++;
    }
    console.log(
      `property round trips (XML -> JSON-LD -> XML) with unchanged hash: ${survived}/${events.length} (seed ${seed})`,
    );
  });
});
