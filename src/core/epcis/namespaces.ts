import type { EpcisEvent, Extension } from './model';

/** Prefixes the EPCIS JSON-LD context already defines (they must not be redeclared differently). */
export const RESERVED_PREFIXES = new Set([
  'epcis',
  'cbv',
  'cbvmda',
  'gs1',
  'rdf',
  'rdfs',
  'owl',
  'xsd',
  'dcterms',
  'vtype',
  'xml',
  'xmlns',
  'xsi',
  'sbdh',
  'epcisq',
  'id',
  'type',
]);

/**
 * Assigns one prefix per extension namespace for a writer: the prefix the source document used when
 * it is free, otherwise ns1, ns2, ... Writers call `prefixFor` while streaming and declare new
 * prefixes where they first occur.
 */
export class PrefixAllocator {
  private readonly byNs = new Map<string, string>();
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(
    declared: Record<string, string>,
    private readonly fixed: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const [ns, prefix] of fixed) {
      this.byNs.set(ns, prefix);
      this.used.add(prefix);
    }
    for (const [prefix, ns] of Object.entries(declared)) {
      if (RESERVED_PREFIXES.has(prefix) || this.byNs.has(ns) || this.used.has(prefix)) continue;
      if (!/^[A-Za-z_][-A-Za-z0-9_.]*$/.test(prefix)) continue;
      this.byNs.set(ns, prefix);
      this.used.add(prefix);
    }
  }

  /** The prefix for ns, and whether it was newly created (so the caller must declare it). */
  prefixFor(ns: string): { prefix: string; created: boolean } {
    const known = this.byNs.get(ns);
    if (known !== undefined) return { prefix: known, created: false };
    let prefix: string;
    do prefix = `ns${++this.counter}`;
    while (this.used.has(prefix));
    this.byNs.set(ns, prefix);
    this.used.add(prefix);
    return { prefix, created: true };
  }

  /** Every namespace declared so far as prefix -> IRI (for a document-level declaration). */
  declarations(): [string, string][] {
    return [...this.byNs].filter(([ns]) => !this.fixed.has(ns)).map(([ns, prefix]) => [prefix, ns]);
  }
}

/** Every extension namespace an event uses (elements and attributes, nested). */
export function eventNamespaces(e: EpcisEvent): Set<string> {
  const out = new Set<string>();
  const visit = (list: Extension[] | undefined) => {
    for (const x of list ?? []) {
      if (x.ns !== '') out.add(x.ns);
      for (const a of x.attributes ?? []) if (a.ns !== '') out.add(a.ns);
      visit(x.children);
    }
  };
  visit(e.extensions);
  visit(e.ilmd);
  visit(e.readPoint?.extensions);
  visit(e.bizLocation?.extensions);
  visit(e.errorDeclaration?.extensions);
  for (const s of e.sensorElementList ?? []) {
    visit(s.extensions);
    visit(s.sensorMetadata?.extensions);
    for (const r of s.sensorReport) visit(r.extensions);
  }
  return out;
}
