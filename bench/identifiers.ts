import { canonicalIdentifier, epcUrnToDigitalLink, gs1CheckDigit } from '../src/core/identifiers';
import type { Report } from './report';

/**
 * EPC URN -> canonical GS1 Digital Link, the conversion every EPCIS event pays for each EPC, location and
 * party (issue 4; issue 5's import throughput). The input is a DSCSA-shaped mix: per 20 identifiers,
 * 14 unique sgtin serials, 2 unique SSCCs, 3 sgln locations and 1 lgtin class drawn from a few hundred
 * repeating values (locations and lots repeat in real files; serials and SSCCs do not).
 *
 * Baseline, measured in the same run: `new URL(dl)` of each expected Digital Link, i.e. the cost of
 * parsing the output once with Node's built-in WHATWG URL parser (ada, native). It is the plainest
 * standard operation on the same data that a caller without this module would pay anyway, so a ratio
 * near or above 1 means the conversion costs no more than reading its result. A string concatenation
 * of the precomputed output is also reported (`concatPerSecond`) as the floor: it does no validation.
 */
export async function run(report: Report): Promise<void> {
  const count = Number(process.env.CUSTODIA_BENCH_IDENTIFIERS ?? 200_000);
  const { urns, dls, parts } = dscsaMix(count);
  // Every conversion must be right before its speed means anything.
  for (let i = 0; i < urns.length; i++) {
    const r = epcUrnToDigitalLink(urns[i] as string);
    if (!r.ok || r.value !== dls[i])
      throw new Error(`bench input ${i} converts wrongly: ${JSON.stringify(r)}`);
  }
  const [convert, parseUrl, concat] = fastest([
    () => {
      let n = 0;
      for (const urn of urns) n += (epcUrnToDigitalLink(urn) as { value: string }).value.length;
      return n;
    },
    () => {
      let n = 0;
      for (const dl of dls) n += new URL(dl).pathname.length;
      return n;
    },
    () => {
      let n = 0;
      for (const [a, b, c] of parts) n += ('https://id.gs1.org/' + a + '/' + b + c).length;
      return n;
    },
  ]) as [number, number, number];
  const rate = urns.length / (convert / 1000);
  const baseline = urns.length / (parseUrl / 1000);
  report({
    figure: 'epc-urn-to-digital-link',
    value: Math.round(rate),
    unit: 'conversions/s',
    baseline: Math.round(baseline),
    ratio: +(rate / baseline).toFixed(3),
    microsecondsPerCall: +((convert * 1000) / urns.length).toFixed(3),
    concatPerSecond: Math.round(urns.length / (concat / 1000)),
    identifiers: urns.length,
    mix: '70% sgtin (unique), 10% sscc (unique), 15% sgln, 5% lgtin class (repeating)',
    note: 'baseline: new URL() of the same Digital Links (Node WHATWG parser); best of 5 interleaved rounds',
  });

  // Digital Links as partners send them (other domain, extra qualifiers and attributes, short names).
  const links = dls.map((dl, i) =>
    i % 4 === 0
      ? dl.replace('https://id.gs1.org/01/', 'https://example.com/gtin/').replace('/21/', '/ser/') +
        '?17=271231'
      : dl.replace('https://id.gs1.org', 'https://example.com/shop'),
  );
  const [canonical, parseLinks, again, parseCanonical] = fastest([
    () => {
      let n = 0;
      for (const dl of links) n += canonicalIdentifier(dl).length;
      return n;
    },
    () => {
      let n = 0;
      for (const dl of links) n += new URL(dl).pathname.length;
      return n;
    },
    () => {
      let n = 0;
      for (const dl of dls) n += canonicalIdentifier(dl).length;
      return n;
    },
    () => {
      let n = 0;
      for (const dl of dls) n += new URL(dl).pathname.length;
      return n;
    },
  ]) as [number, number, number, number];
  const canonicalRate = links.length / (canonical / 1000);
  const linkBaseline = links.length / (parseLinks / 1000);
  report({
    figure: 'digital-link-canonical',
    value: Math.round(canonicalRate),
    unit: 'conversions/s',
    baseline: Math.round(linkBaseline),
    ratio: +(canonicalRate / linkBaseline).toFixed(3),
    microsecondsPerCall: +((canonical * 1000) / links.length).toFixed(3),
    identifiers: links.length,
    note: 'canonicalIdentifier of non-canonical Digital Links (1 in 4 with /gtin/ /ser/ short names); baseline new URL() of the same input',
  });
  // The CBV 2.0 event hash re-canonicalises identifiers the model already holds as canonical DLs.
  const againRate = dls.length / (again / 1000);
  const canonicalBaseline = dls.length / (parseCanonical / 1000);
  report({
    figure: 'digital-link-already-canonical',
    value: Math.round(againRate),
    unit: 'conversions/s',
    baseline: Math.round(canonicalBaseline),
    ratio: +(againRate / canonicalBaseline).toFixed(3),
    microsecondsPerCall: +((again * 1000) / dls.length).toFixed(3),
    identifiers: dls.length,
    note: 'canonicalIdentifier of the canonical Digital Links of the same mix; baseline new URL() of the same input',
  });
}

/**
 * Milliseconds of the fastest of 5 rounds of each piece of work (after one warm-up). The pieces take
 * turns within each round, so a busy machine slows the conversion and its baseline alike.
 */
function fastest(works: (() => number)[]): number[] {
  let sink = 0;
  for (const work of works) sink += work();
  const best = works.map(() => Infinity);
  for (let round = 0; round < 5; round++) {
    works.forEach((work, i) => {
      const start = process.hrtime.bigint();
      sink += work();
      best[i] = Math.min(best[i] as number, Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  if (sink < 0) throw new Error('unreachable');
  return best;
}

function dscsaMix(count: number): { urns: string[]; dls: string[]; parts: [string, string, string][] } {
  const urns: string[] = [];
  const dls: string[] = [];
  const parts: [string, string, string][] = [];
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  const gcps = ['0614141', '030001', '0300011', '4012345'];
  for (let i = 0; i < count; i++) {
    const gcp = gcps[i % gcps.length] as string;
    const ref = pad((i * 7919) % 10 ** (12 - gcp.length), 12 - gcp.length);
    const slot = i % 20;
    if (slot < 14) {
      const indicator = i % 5 === 0 ? '1' : '0';
      const item = pad((i * 31) % 10 ** (12 - gcp.length), 12 - gcp.length);
      const serial = `${(i * 2654435761) % 1e10}`.padStart(10, '0') + (i % 3 === 0 ? 'AB' : '');
      const body = indicator + gcp + item;
      urns.push(`urn:epc:id:sgtin:${gcp}.${indicator}${item}.${serial}`);
      const gtin = body + gs1CheckDigit(body);
      dls.push(`https://id.gs1.org/01/${gtin}/21/${serial}`);
      parts.push(['01', gtin, `/21/${serial}`]);
    } else if (slot < 16) {
      const ext = pad(i % 10 ** (16 - gcp.length), 16 - gcp.length);
      urns.push(`urn:epc:id:sscc:${gcp}.${(i % 10) + ''}${ext}`);
      const body = `${i % 10}${gcp}${ext}`;
      const sscc = body + gs1CheckDigit(body);
      dls.push(`https://id.gs1.org/00/${sscc}`);
      parts.push(['00', sscc, '']);
    } else if (slot < 19) {
      const loc = pad(i % 97, 12 - gcp.length);
      const ext = i % 3 === 0 ? `${i % 5}` : '0';
      urns.push(`urn:epc:id:sgln:${gcp}.${loc}.${ext}`);
      const gln = gcp + loc + gs1CheckDigit(gcp + loc);
      const tail = ext === '0' ? '' : `/254/${ext}`;
      dls.push(`https://id.gs1.org/414/${gln}${tail}`);
      parts.push(['414', gln, tail]);
    } else {
      const lot = `L${i % 211}`;
      urns.push(`urn:epc:class:lgtin:${gcp}.0${ref}.${lot}`);
      const body = `0${gcp}${ref}`;
      const gtin = body + gs1CheckDigit(body);
      dls.push(`https://id.gs1.org/01/${gtin}/10/${lot}`);
      parts.push(['01', gtin, `/10/${lot}`]);
    }
  }
  return { urns, dls, parts };
}
