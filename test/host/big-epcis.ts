import fs from 'node:fs';
import {
  DOCUMENT_TAIL,
  documentHead,
  events as ev,
  sgtin,
  sscc,
  withCheck,
  type SynthProduct,
  SAMPLE_PRODUCT,
} from '../support/synthetic';

/*
 * A large, valid EPCIS 2.0 XML file generated on the fly (never committed): the same shape as the
 * import benchmark (bench/ingest.ts) without shipments, so it imports without any trading partner
 * on record. Per 9 events: 8 serials commissioned at the maker, then packed onto one pallet.
 */
const MAKER = withCheck('030001111111');
export const PRODUCT: SynthProduct = SAMPLE_PRODUCT;

function eventXml(i: number, run: string): string {
  const group = Math.floor(i / 9);
  const k = i % 9;
  const time = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const serial = (j: number) => sgtin(PRODUCT.gtin, `${run}${group * 8 + j}`);
  if (k < 8) {
    return ev.commission([serial(k)], {
      time,
      location: MAKER,
      lot: `L${run}${group % 50}`,
      expiry: '2028-12-31',
    });
  }
  const pallet = sscc(withCheck(`00${run.padStart(5, '0').slice(-5)}${String(group).padStart(10, '0')}`));
  return ev.pack(pallet, [0, 1, 2, 3, 4, 5, 6, 7].map(serial), { time, location: MAKER });
}

/**
 * Writes a file of at least `minBytes`, in whole groups of events. `run` (digits) keeps the serials
 * and pallets of two files apart, so both can be imported into one ledger.
 */
export function writeBigEpcis(file: string, minBytes: number, run = '1'): { bytes: number; events: number } {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let events = 0;
  try {
    const write = (text: string) => (bytes += fs.writeSync(fd, text));
    write(documentHead({ products: [PRODUCT] }));
    while (bytes + DOCUMENT_TAIL.length < minBytes || events % 9 !== 0) {
      const chunk: string[] = [];
      for (let n = 0; n < 900; n++) chunk.push(eventXml(events++, run));
      write(chunk.join('\n') + '\n');
    }
    write(DOCUMENT_TAIL);
  } finally {
    fs.closeSync(fd);
  }
  return { bytes, events };
}
