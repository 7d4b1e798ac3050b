/**
 * Demo data a newcomer can load: one small pharmacy's month (March 2026) of DSCSA data from three
 * wholesalers, in the formats they really send: EPCIS 2.0 XML with totes (SSCCs), an X12 856 ship
 * notice, and a lot-level T3 spreadsheet. It contains, on purpose, one over-shipment, one missing T3
 * (a tote that arrives with no data), and one suspect serial (decommissioned, then shipped again).
 *
 *   npx tsx scripts/generate-demo.ts     writes resources/demo/ (deterministic)
 *
 * Custodia loads it (src/core/demo): "Explore with demo data" on the first-run screen,
 * `bash scripts/start.sh --demo`, or `npx --no custodia demo load --data DIR`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { DemoPerson } from '../src/core/demo';
import type { PartnerInput } from '../src/core/partners';
import type { Registrant } from '../src/core/api/procedures/setup';
import {
  drugGtin,
  epcisDocument,
  events as ev,
  sgtin,
  sscc,
  withCheck,
  type SynthLocation,
  type SynthProduct,
} from '../test/support/synthetic';

const OUT = path.join(import.meta.dirname, '..', 'resources', 'demo');
const GS = '\u001d';

const PHARMACY = withCheck('061414100000');
const KEYSTONE = withCheck('081234500000');
const RIVERSIDE = withCheck('082345600000');
const SUMMIT = withCheck('083456700000');
const MAKER = withCheck('030001111111');

const LOCATIONS: SynthLocation[] = [
  {
    gln: PHARMACY,
    name: 'Main Street Pharmacy',
    street: '1 Main Street',
    city: 'Springfield',
    state: 'IL',
    zip: '62701',
  },
  {
    gln: KEYSTONE,
    name: 'Keystone Drug Wholesale',
    street: '400 Distribution Way',
    city: 'Columbus',
    state: 'OH',
    zip: '43215',
  },
  {
    gln: RIVERSIDE,
    name: 'Riverside Pharma Distributors',
    street: '77 River Road',
    city: 'St. Louis',
    state: 'MO',
    zip: '63101',
  },
  {
    gln: MAKER,
    name: 'GS1 Pharma LLC',
    street: '1 Biopharm Ct',
    city: 'Thousand Oaks',
    state: 'CA',
    zip: '91320',
  },
];

const PARTNERS: PartnerInput[] = [
  {
    name: 'Main Street Pharmacy',
    role: 'self',
    authorized: true,
    address: '1 Main Street, Springfield, IL 62701',
    glns: [PHARMACY],
  },
  {
    name: 'Keystone Drug Wholesale',
    role: 'wholesaler',
    authorized: true,
    address: '400 Distribution Way, Columbus, OH 43215',
    glns: [KEYSTONE],
  },
  {
    name: 'Riverside Pharma Distributors',
    role: 'wholesaler',
    authorized: true,
    address: '77 River Road, St. Louis, MO 63101',
    glns: [RIVERSIDE],
  },
  {
    name: 'Summit Specialty Supply',
    role: 'wholesaler',
    authorized: true,
    address: '9 Summit Ave, Denver, CO 80202',
    glns: [SUMMIT],
  },
  { name: 'GS1 Pharma LLC', role: 'manufacturer', authorized: true, glns: [MAKER] },
];

/** The demo pharmacy as DEA would know it (the loader marks it demo; the DEA number is fictional). */
const REGISTRANT: Registrant = {
  name: 'Main Street Pharmacy',
  address: { line1: '1 Main Street', city: 'Springfield', state: 'IL', zip: '62701' },
  phone: '(217) 555-0100',
  deaNumber: 'BM1234563',
  stateLicense: 'IL-054-012345',
  glns: [PHARMACY],
  businessType: 'pharmacy',
};

/** One person per role; their passwords are shown on the screen and in README.md (demo only). */
const PEOPLE: DemoPerson[] = [
  {
    username: 'paula',
    displayName: 'Paula Reyes, PharmD',
    roles: ['pharmacist'],
    password: 'demo pharmacist march',
  },
  { username: 'tom', displayName: 'Tom Nguyen', roles: ['technician'], password: 'demo technician march' },
  {
    username: 'carmen',
    displayName: 'Carmen Ortiz',
    roles: ['compliance-officer'],
    password: 'demo compliance march',
  },
  { username: 'otto', displayName: 'Otto Becker', roles: ['auditor'], password: 'demo auditor march' },
  {
    username: 'alice',
    displayName: 'Alice Park',
    roles: ['administrator'],
    password: 'demo administrator march',
  },
];

const product = (
  ndc: string,
  name: string,
  strength: string,
  form: string,
  container: string,
): SynthProduct => ({
  gtin: drugGtin(ndc.replace(/-/g, '')),
  ndc,
  name,
  strength,
  form,
  container,
  manufacturer: 'GS1 Pharma LLC',
});
const PRODUCTS = [
  product('0001-0123-45', 'Epcistra', '100 mg', 'TABLET', '100 tablets'),
  product('0001-0456-10', 'Lisinopril', '10 mg', 'TABLET', '90 tablets'),
  product('0001-0789-30', 'Atorvastatin', '20 mg', 'TABLET', '30 tablets'),
  product('0001-0321-60', 'Metformin ER', '500 mg', 'TABLET, EXTENDED RELEASE', '60 tablets'),
  product('0001-0654-05', 'Amoxicillin', '250 mg/5 mL', 'POWDER FOR SUSPENSION', '100 mL'),
];

/** A small deterministic generator (mulberry32), so the committed files never change by accident. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Package {
  product: SynthProduct;
  serial: string;
  lot: string;
  expiry: string;
}

const at = (day: number, hour: number) => new Date(Date.UTC(2026, 2, day, hour, 0)).toISOString();
const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
const wedge = (p: Package) => `]d201${p.product.gtin}17${yymmdd(p.expiry)}10${p.lot}${GS}21${p.serial}`;
const ssccScan = (value: string) => `]C100${value}`;

export function generate(): Map<string, string> {
  const files = new Map<string, string>();
  const scans: { day: string; shipment: string; scan: string; expect: string }[] = [];
  const random = rng(20260301);
  let serialNo = 100_000;
  let toteNo = 1;
  const pack = (p: SynthProduct, lot: string, expiry: string): Package => ({
    product: p,
    serial: `S${serialNo++}`,
    lot,
    expiry,
  });
  const tote = () => withCheck(`0081234500${String(toteNo++).padStart(7, '0')}`);

  // The suspect serial: commissioned, then destroyed by the manufacturer (recorded in week 1's data).
  const destroyed = pack(PRODUCTS[0]!, 'EP2601', '2028-01-31');

  // Keystone: a weekly EPCIS file, two totes per week, manufacturer events included (GS1 US practice).
  for (const [week, day] of [2, 9, 16, 23].entries()) {
    const eventsXml: string[] = [];
    const totes: { sscc: string; packages: Package[] }[] = [];
    for (let t = 0; t < 2; t++) {
      const packages = Array.from({ length: 4 + Math.floor(random() * 5) }, () => {
        const p = PRODUCTS[Math.floor(random() * PRODUCTS.length)]!;
        return pack(
          p,
          `${p.name.slice(0, 2).toUpperCase()}26${String(week + 1).padStart(2, '0')}`,
          '2028-06-30',
        );
      });
      totes.push({ sscc: tote(), packages });
    }
    const all = totes.flatMap((x) => x.packages);
    const byLot = new Map<string, Package[]>();
    for (const p of week === 0 ? [...all, destroyed] : all)
      byLot.set(`${p.product.gtin}|${p.lot}`, [...(byLot.get(`${p.product.gtin}|${p.lot}`) ?? []), p]);
    for (const list of byLot.values()) {
      eventsXml.push(
        ev.commission(
          list.map((p) => sgtin(p.product.gtin, p.serial)),
          { time: at(day - 1, 8), location: MAKER, lot: list[0]!.lot, expiry: list[0]!.expiry },
        ),
      );
    }
    if (week === 0)
      eventsXml.push(
        ev.decommission([sgtin(destroyed.product.gtin, destroyed.serial)], {
          time: at(day - 1, 9),
          location: MAKER,
        }),
      );
    for (const [i, x] of totes.entries()) {
      eventsXml.push(
        ev.pack(
          sscc(x.sscc),
          x.packages.map((p) => sgtin(p.product.gtin, p.serial)),
          { time: at(day, 6 + i), location: KEYSTONE },
        ),
      );
    }
    // Week 4's second tote travels with no data at all: the "missing T3".
    const shipped = week === 3 ? totes.slice(0, 1) : totes;
    eventsXml.push(
      ev.ship(
        shipped.map((x) => sscc(x.sscc)),
        {
          time: at(day, 9),
          seller: KEYSTONE,
          buyer: PHARMACY,
          shipTo: PHARMACY,
          location: KEYSTONE,
          po: `MSP-${day}`,
          desadv: `KDW-ASN-${1000 + week}`,
        },
      ),
    );
    const name = `2026-03-${String(day).padStart(2, '0')}-keystone-epcis.xml`;
    files.set(
      `files/${name}`,
      epcisDocument(eventsXml, { products: PRODUCTS, locations: LOCATIONS, created: at(day, 10) }),
    );
    for (const x of totes) {
      scans.push({
        day: `2026-03-${day}`,
        shipment: `KDW-ASN-${1000 + week}`,
        scan: ssccScan(x.sscc),
        expect:
          week === 3 && x === totes[1]
            ? 'missing T3: this tote came without transaction data (no-data-received when scanned outside a shipment, product-without-data inside KDW-ASN-1003)'
            : `accepted (${x.packages.length} packages)`,
      });
    }
  }

  // Riverside: an EPCIS shipment that ships the destroyed serial again (suspect: it is quarantined on import).
  const riverside = [pack(PRODUCTS[1]!, 'LI2611', '2027-11-30'), pack(PRODUCTS[1]!, 'LI2611', '2027-11-30')];
  files.set(
    'files/2026-03-18-riverside-epcis.xml',
    epcisDocument(
      [
        ev.commission(
          riverside.map((p) => sgtin(p.product.gtin, p.serial)),
          { time: at(17, 8), location: MAKER, lot: 'LI2611', expiry: '2027-11-30' },
        ),
        ev.ship(
          [...riverside, destroyed].map((p) => sgtin(p.product.gtin, p.serial)),
          {
            time: at(18, 9),
            seller: RIVERSIDE,
            buyer: PHARMACY,
            shipTo: PHARMACY,
            location: RIVERSIDE,
            po: 'MSP-18',
            desadv: 'RPD-2231',
          },
        ),
      ],
      { products: PRODUCTS, locations: LOCATIONS, created: at(18, 10) },
    ),
  );
  scans.push({
    day: '2026-03-19',
    shipment: 'RPD-2231',
    scan: wedge(destroyed),
    expect: 'suspect (this serial was destroyed by its manufacturer on 2026-03-01)',
  });

  // Riverside also sends X12 856 ship notices (lot level).
  const asn = (id: string, day: number, p: SynthProduct, lot: string, qty: number) =>
    [
      `ISA*00*          *00*          *ZZ*RIVERSIDE      *ZZ*MAINSTREETRX   *2603${String(day).padStart(2, '0')}*0900*^*00501*0000${id.slice(-5)}*0*P*>`,
      `GS*SH*RIVERSIDE*MAINSTREETRX*202603${String(day).padStart(2, '0')}*0900*${id.slice(-4)}*X*005010`,
      'ST*856*0001',
      `BSN*00*${id}*202603${String(day).padStart(2, '0')}*0900`,
      'HL*1**S',
      `DTM*011*202603${String(day).padStart(2, '0')}`,
      `N1*SE*Riverside Pharma Distributors*UL*${RIVERSIDE}`,
      'N3*77 River Road',
      'N4*St. Louis*MO*63101',
      `N1*ST*Main Street Pharmacy*UL*${PHARMACY}`,
      'N3*1 Main Street',
      'N4*Springfield*IL*62701',
      `N1*BY*Main Street Pharmacy*UL*${PHARMACY}`,
      'YNQ**Y***Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).',
      'HL*2*1*O',
      `PRF*MSP-${day}***202603${String(day - 1).padStart(2, '0')}`,
      `REF*IV*RPD-INV-${id.slice(-4)}`,
      'HL*3*2*I',
      `LIN**N4*${p.ndc}*UK*${p.gtin}*LT*${lot}`,
      `SN1**${qty}*UN`,
      `PID*F****${p.name} ${p.strength}`,
      'DTM*036*20271231',
      'SE*20*0001',
      `GE*1*${id.slice(-4)}`,
      `IEA*1*0000${id.slice(-5)}`,
    ].join('~\n') + '~\n';
  files.set('files/2026-03-10-riverside-856.x12', asn('RPD-22105', 10, PRODUCTS[2]!, 'AT2603', 3));
  files.set('files/2026-03-24-riverside-856.x12', asn('RPD-22298', 24, PRODUCTS[3]!, 'ME2604', 2));
  for (let i = 0; i < 3; i++)
    scans.push({
      day: '2026-03-10',
      shipment: 'RPD-22105',
      scan: wedge({ product: PRODUCTS[2]!, serial: `R${7000 + i}`, lot: 'AT2603', expiry: '2027-12-31' }),
      expect: 'accepted',
    });

  // Summit: a lot-level T3 spreadsheet; the second line lists 2 units, 3 arrive (over-shipment).
  const header =
    'Invoice,Transaction Date,Ship Date,Seller,Seller Address,Seller GLN,Buyer,Buyer Address,Ship To GLN,Product,Strength,Dosage Form,NDC,GTIN,Container Size,Quantity,Lot,Expiry,TS';
  const row = (inv: string, p: SynthProduct, qty: number, lot: string) =>
    [
      inv,
      '2026-03-12',
      '2026-03-12',
      'Summit Specialty Supply',
      '9 Summit Ave Denver CO 80202',
      SUMMIT,
      'Main Street Pharmacy',
      '1 Main Street Springfield IL 62701',
      PHARMACY,
      p.name,
      p.strength,
      `"${p.form}"`,
      p.ndc,
      p.gtin,
      p.container,
      qty,
      lot,
      '2027-09-30',
      'Y',
    ].join(',');
  files.set(
    'files/2026-03-12-summit-t3.csv',
    [header, row('SSS-4410', PRODUCTS[4]!, 4, 'AM2602'), row('SSS-4411', PRODUCTS[0]!, 2, 'EP2605')].join(
      '\r\n',
    ) + '\r\n',
  );
  for (let i = 0; i < 3; i++) {
    scans.push({
      day: '2026-03-13',
      shipment: 'SSS-4411',
      scan: wedge({ product: PRODUCTS[0]!, serial: `T${8800 + i}`, lot: 'EP2605', expiry: '2027-09-30' }),
      expect: i < 2 ? 'accepted' : 'over-shipment (the T3 lists 2 units)',
    });
  }
  files.set(
    'mappings.json',
    JSON.stringify(
      {
        'Summit Specialty Supply': {
          name: 'Summit weekly T3',
          mapping: {
            kind: 'dscsa-t3',
            dateFormat: 'YYYY-MM-DD',
            columns: {
              invoice: 'Invoice',
              transactionDate: 'Transaction Date',
              shipDate: 'Ship Date',
              sellerName: 'Seller',
              sellerAddress: 'Seller Address',
              sellerGln: 'Seller GLN',
              buyerName: 'Buyer',
              buyerAddress: 'Buyer Address',
              shipToGln: 'Ship To GLN',
              productName: 'Product',
              strength: 'Strength',
              dosageForm: 'Dosage Form',
              ndc: 'NDC',
              gtin: 'GTIN',
              containerSize: 'Container Size',
              quantity: 'Quantity',
              lot: 'Lot',
              expiry: 'Expiry',
              statement: 'TS',
            },
          },
        },
      },
      null,
      2,
    ) + '\n',
  );
  files.set('partners.json', JSON.stringify(PARTNERS, null, 2) + '\n');
  files.set(
    'registrant.json',
    JSON.stringify({ title: 'Main Street Pharmacy, March 2026', registrant: REGISTRANT }, null, 2) + '\n',
  );
  files.set('people.json', JSON.stringify(PEOPLE, null, 2) + '\n');
  files.set('scans.json', JSON.stringify(scans, null, 2) + '\n');
  return files;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
const { values } = invokedDirectly
  ? parseArgs({ options: { load: { type: 'boolean' }, data: { type: 'string' } } })
  : { values: {} as { load?: boolean; data?: string } };
if (!invokedDirectly) {
  // imported by a test: nothing to do
} else if (values.load === true) {
  console.error(
    `Loading moved into Custodia itself: npx --no custodia demo load --data ${values.data ?? 'DIR'}`,
  );
  process.exitCode = 2;
} else {
  fs.rmSync(path.join(OUT, 'files'), { recursive: true, force: true });
  fs.mkdirSync(path.join(OUT, 'files'), { recursive: true });
  const files = generate();
  for (const [name, content] of files) fs.writeFileSync(path.join(OUT, name), content);
  console.log(`wrote ${files.size} files to ${OUT}`);
}
