import { z } from 'zod';
import type {
  EpcisDocument,
  EpcisEvent,
  Extension,
  LocationMasterData,
  ProductMasterData,
  Vocabulary,
} from '../../epcis/model';
import { canonicalLgtin, parseTraceId } from '../../model/trace-id';
import type { Cell, ReportFieldValue, ReportSection } from '../document';
import { defineKind, type ReportSource } from '../kind';
import { T3Data, type FileHeader, type ItemRow, type ShipmentRow, type T3Query } from './dscsa-t3-data';

/*
 * DSCSA transaction information, transaction history and transaction statement ("T3") for a lot, a
 * serial or a shipment, as a dispenser hands them over on request (FD&C Act §582(d)(1)(D)): the
 * information and statement *as received from the previous owner*, seller by seller; transaction
 * history only for transactions before 27 November 2023 (§582(k)(1) ended it from that date). The
 * EPCIS forms carry the events exactly as stored at import, so each hashes to the event hash the
 * ledger recorded; shipments that came as X12 856 or a T3 sheet appear in the PDF from their data.
 */

/** §582(k)(1): transaction history is not provided for transactions from this date on. */
export const TH_SUNSET = '2023-11-27';

/** The statement as EPCIS and EDI carry it (GS1 US guideline; gs1ushc:legalNotice). */
export const SHORT_STATEMENT =
  'Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).';

/** FD&C Act §581(27)(A)–(G), the transaction statement in the statute's terms (21 U.S.C. 360eee(27)). */
export const STATEMENT_581_27 = [
  '(A) is authorized as required under the Drug Supply Chain Security Act;',
  '(B) received the product from a person that is authorized as required under the Drug Supply Chain Security Act;',
  '(C) received transaction information and a transaction statement from the prior owner of the product, as required under section 582;',
  '(D) did not knowingly ship a suspect or illegitimate product;',
  '(E) had systems and processes in place to comply with verification requirements under section 582;',
  '(F) did not knowingly provide false transaction information; and',
  '(G) did not knowingly alter the transaction history.',
];

const GS1USHC = 'http://epcis.gs1us.org/hc/ns';

const paramsSchema = z
  .object({
    gtin: z
      .string()
      .regex(/^\d{14}$/, 'The GTIN is the 14 digits of the product code: (01) on the carton.')
      .optional(),
    lot: z.string().max(20, 'A lot number has at most 20 characters.').optional(),
    serial: z.string().max(20, 'A serial number has at most 20 characters.').optional(),
    id: z.string().max(80).optional(),
  })
  .superRefine((p, ctx) => {
    const given = [p.lot, p.serial, p.id].filter((v) => v !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'Give one of: a lot number, a serial number (with its GTIN), or a shipment reference.',
      });
    }
    if (p.serial !== undefined && p.gtin === undefined) {
      ctx.addIssue({ code: 'custom', path: ['gtin'], message: 'A serial number needs its GTIN.' });
    }
  })
  .transform((p): T3Query =>
    p.serial !== undefined
      ? { by: 'serial', gtin: p.gtin!, serial: p.serial }
      : p.lot !== undefined
        ? { by: 'lot', lot: p.lot, ...(p.gtin !== undefined ? { gtin: p.gtin } : {}) }
        : { by: 'shipment', reference: p.id! },
  );

interface Line {
  gtin: string;
  ndc: string;
  name: string;
  strengthAndForm: string;
  container: string;
  lot: string;
  expiry: string;
  containers: number;
}

function partyText(
  name: string | null | undefined,
  address: string | null | undefined,
  gln: string | null,
): string {
  return [name, address, gln !== null ? `GLN ${gln}` : null]
    .filter((s) => s !== null && s !== undefined && s !== '')
    .join(', ');
}

function locationAddress(l: LocationMasterData | undefined): string | null {
  if (l === undefined) return null;
  const parts = [
    l.streetAddressOne,
    l.streetAddressTwo,
    [l.city, [l.state, l.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', '),
    l.countryCode,
  ].filter((s) => s !== undefined && s !== '');
  return parts.length > 0 ? parts.join(', ') : null;
}

function glnOfLocation(id: string): string | null {
  // SGLN Digital Link https://id.gs1.org/414/<gln>[/254/<ext>] or urn:epc:id:sgln:<company>.<loc>.<ext>
  const dl = /^https:\/\/id\.gs1\.org\/41[47]\/(\d{13})/.exec(id);
  if (dl !== null) return dl[1]!;
  return null;
}

function displayIdentifier(canonical: string): string {
  const p = parseTraceId(canonical);
  if (p.kind === 'sgtin') return `(01)${p.gtin}(21)${decodeURIComponent(p.serial!)}`;
  if (p.kind === 'sscc') return `(00)${p.sscc}`;
  return canonical;
}

function productVocabulary(products: readonly ProductMasterData[]): Vocabulary {
  const mda = (name: string, value: string | undefined) =>
    value === undefined ? [] : [{ id: `urn:epcglobal:cbv:mda#${name}`, value }];
  return {
    type: 'urn:epcglobal:epcis:vtype:EPCClass',
    elements: products.map((p) => ({
      id: p.epcClass,
      attributes: [
        ...p.additionalTradeItemIdentifications.flatMap((x) => [
          ...mda('additionalTradeItemIdentification', x.value),
          ...mda('additionalTradeItemIdentificationTypeCode', x.type),
        ]),
        ...mda('regulatedProductName', p.regulatedProductName),
        ...mda('manufacturerOfTradeItemPartyName', p.manufacturerOfTradeItemPartyName),
        ...mda('dosageFormType', p.dosageFormType),
        ...mda('strengthDescription', p.strengthDescription),
        ...mda('netContentDescription', p.netContentDescription),
        ...mda('lotNumber', p.lotNumber),
        ...mda('itemExpirationDate', p.itemExpirationDate),
      ],
    })),
  };
}

function locationVocabulary(locations: readonly LocationMasterData[]): Vocabulary {
  const mda = (name: string, value: string | undefined) =>
    value === undefined ? [] : [{ id: `urn:epcglobal:cbv:mda#${name}`, value }];
  return {
    type: 'urn:epcglobal:epcis:vtype:Location',
    elements: locations.map((l) => ({
      id: l.id,
      attributes: [
        ...mda('name', l.name),
        ...mda('streetAddressOne', l.streetAddressOne),
        ...mda('streetAddressTwo', l.streetAddressTwo),
        ...mda('city', l.city),
        ...mda('state', l.state),
        ...mda('postalCode', l.postalCode),
        ...mda('countryCode', l.countryCode),
      ],
    })),
  };
}

function statementExtension(affirmed: boolean, text: string): Extension {
  return {
    ns: GS1USHC,
    name: 'dscsaTransactionStatement',
    children: [
      { ns: GS1USHC, name: 'affirmTransactionStatement', value: affirmed ? 'true' : 'false' },
      { ns: GS1USHC, name: 'legalNotice', value: text },
    ],
  };
}

const CBV = 'https://ref.gs1.org/cbv/';

/**
 * The shipping event a transaction that came as an X12 856 or a T3 sheet describes: who shipped to
 * whom, when, under which reference, and what (package identifiers, or lot-level quantities).
 */
function eventOfTransaction(
  s: ShipmentRow,
  items: readonly ItemRow[],
  format: string | null,
  open: (id: number) => string,
): EpcisEvent | null {
  const date = s.transactionDate ?? s.shipDate;
  if (date === null || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const epcList: string[] = [];
  const quantityList: { epcClass: string; quantity: number }[] = [];
  for (const i of items) {
    if ((i.kind === 'sgtin' || i.kind === 'sscc') && i.traceId !== null) epcList.push(open(i.traceId));
    else if (i.gtin !== null && i.lot !== null)
      quantityList.push({ epcClass: canonicalLgtin(i.gtin, i.lot), quantity: i.quantity });
  }
  if (epcList.length === 0 && quantityList.length === 0) return null;
  const party = (gln: string | null) =>
    gln !== null && /^\d{13}$/.test(gln) ? `https://id.gs1.org/414/${gln}` : null;
  const seller = party(s.seller);
  const buyer = party(s.buyer);
  const shipTo = party(s.shipTo);
  const reference =
    s.reference === null
      ? null
      : /^urn:|^https?:/.test(s.reference)
        ? s.reference
        : s.seller !== null && /^\d{13}$/.test(s.seller)
          ? `urn:epcglobal:cbv:bt:${s.seller}:${encodeURIComponent(s.reference)}`
          : null;
  return {
    type: 'ObjectEvent',
    eventTime: `${date}T00:00:00.000Z`,
    eventTimeZoneOffset: '+00:00',
    ...(epcList.length > 0 ? { epcList } : {}),
    ...(quantityList.length > 0 ? { quantityList } : {}),
    action: 'OBSERVE',
    bizStep: `${CBV}BizStep-shipping`,
    disposition: `${CBV}Disp-in_transit`,
    ...(reference !== null
      ? {
          bizTransactionList: [
            { type: `${CBV}BTT-${format === 'x12-856' ? 'desadv' : 'inv'}`, bizTransaction: reference },
          ],
        }
      : {}),
    ...(seller !== null ? { sourceList: [{ type: `${CBV}SDT-owning_party`, source: seller }] } : {}),
    ...(buyer !== null || shipTo !== null
      ? {
          destinationList: [
            ...(buyer !== null ? [{ type: `${CBV}SDT-owning_party`, destination: buyer }] : []),
            ...(shipTo !== null ? [{ type: `${CBV}SDT-location`, destination: shipTo }] : []),
          ],
        }
      : {}),
  } as EpcisEvent;
}

function describeQuery(q: T3Query): ReportFieldValue[] {
  if (q.by === 'lot')
    return [
      ...(q.gtin !== undefined ? [{ label: 'GTIN', value: q.gtin }] : []),
      { label: 'Lot', value: q.lot },
    ];
  if (q.by === 'serial')
    return [
      { label: 'GTIN', value: q.gtin },
      { label: 'Serial number', value: q.serial },
    ];
  return [{ label: 'Shipment reference', value: q.reference }];
}

function build(source: ReportSource, query: T3Query) {
  const data = new T3Data(source);
  let itemIds = data.itemIds(query);
  let events: ReturnType<T3Data['events']>;
  let shipments: ShipmentRow[];
  if (query.by === 'shipment') {
    // A shipment: its own lines, the packages inside its totes, and every event that moved them.
    shipments = data.shipments(query, []);
    const lineIds = shipments.flatMap((s) =>
      data.items(s.id).flatMap((i) => (i.traceId !== null ? [i.traceId] : [])),
    );
    itemIds = [...new Set(lineIds.flatMap((id) => [id, ...data.contentsOf(id)]))];
    events = data.events(itemIds);
  } else {
    const containers = data.containersOf(itemIds);
    events = data.events([...itemIds, ...containers]);
    shipments = data.shipments(query, [...itemIds, ...containers]);
  }
  const wanted = new Set(itemIds);
  let disclosed = 0;
  const shownIds = new Set<number>();
  const headers = new Map<number, FileHeader | null>();
  const headerOf = (fileId: number) => {
    if (!headers.has(fileId)) headers.set(fileId, data.fileHeader(fileId));
    return headers.get(fileId) ?? null;
  };

  const sections: ReportSection[] = [];
  const packages: Cell[][] = [];
  const shipmentEvents = new Set<number>();
  const history: Cell[][] = [];

  shipments.forEach((s: ShipmentRow, n) => {
    const header = headerOf(s.fileId);
    const locations = header?.locations ?? [];
    const locByGln = (gln: string | null) =>
      gln === null ? undefined : locations.find((l) => glnOfLocation(l.id) === gln);
    const sellerPartner = s.seller !== null ? data.partner(s.seller) : undefined;
    const seller = partyText(
      s.sellerName ?? sellerPartner?.name ?? locByGln(s.seller)?.name,
      sellerPartner?.address ?? locationAddress(locByGln(s.shipFrom) ?? locByGln(s.seller)),
      s.seller,
    );
    const buyerGln = s.buyer ?? s.shipTo;
    const buyerPartner = buyerGln !== null ? data.partner(buyerGln) : undefined;
    const buyer = partyText(
      s.shipToName ?? buyerPartner?.name ?? source.registrant?.name,
      buyerPartner?.address ?? locationAddress(locByGln(s.shipTo)),
      buyerGln,
    );
    if (s.eventId !== null) shipmentEvents.add(s.eventId);

    // The lines of this transaction that concern what was asked: the lot's or serial's packages,
    // found directly or inside a tote; a shipment reference takes every line.
    const lines = new Map<string, Line>();
    const addLine = (
      item: ItemRow | null,
      gtin: string | null,
      lot: string | null,
      count: number,
      expiry: string | null = null,
    ) => {
      const g = gtin ?? '';
      const product = g !== '' ? data.product(g) : undefined;
      const master = header?.products.find((p) => parseTraceId(p.epcClass).gtin === g);
      const key = `${g}\u0000${lot ?? ''}`;
      const existing = lines.get(key);
      if (existing !== undefined) {
        existing.containers += count;
        return;
      }
      // As received with this transaction first (its line, its file's master data); the product list
      // (updated in place) only when neither says.
      const strength = item?.strength ?? master?.strengthDescription ?? product?.strength ?? '';
      const form = item?.dosageForm ?? master?.dosageFormType ?? product?.dosageForm ?? '';
      lines.set(key, {
        gtin: g,
        ndc: item?.ndc ?? master?.ndc ?? product?.ndc ?? '',
        name: item?.productName ?? master?.regulatedProductName ?? product?.name ?? '',
        strengthAndForm: [strength, form].filter((x) => x !== '').join(', '),
        container: item?.containerSize ?? master?.netContentDescription ?? product?.container ?? '',
        lot: lot ?? '',
        expiry: item?.expiry ?? expiry ?? '',
        containers: count,
      });
    };
    for (const item of data.items(s.id)) {
      const kind = item.kind;
      if (kind === 'sscc' && item.traceId !== null) {
        // A tote: its packages of what was asked (all of them for a shipment reference).
        for (const child of data.contentsOf(item.traceId)) {
          if (query.by !== 'shipment' && !wanted.has(child)) continue;
          const row = data.idRow(child);
          if (row === undefined || row.kind !== 'sgtin') continue;
          addLine(null, row.gtin, row.lot, 1, data.expiryOf(child));
          const serial = displayIdentifier(data.open(child));
          disclosed++;
          shownIds.add(child).add(item.traceId);
          packages.push([n + 1, row.gtin, row.lot, serial, `${displayIdentifier(data.open(item.traceId))}`]);
          disclosed++;
        }
        continue;
      }
      const matches =
        query.by === 'shipment' ||
        (item.traceId !== null && wanted.has(item.traceId)) ||
        (query.by === 'lot' &&
          item.lot === query.lot &&
          (query.gtin === undefined || item.gtin === query.gtin));
      if (!matches) continue;
      addLine(item, item.gtin, item.lot, item.quantity);
      if (kind === 'sgtin' && item.traceId !== null) {
        packages.push([n + 1, item.gtin, item.lot, displayIdentifier(data.open(item.traceId)), '']);
        disclosed++;
        shownIds.add(item.traceId);
      }
    }

    const date = s.transactionDate ?? '';
    const shipDate = s.shipDate !== null && s.shipDate !== s.transactionDate ? s.shipDate : null;
    const statementText = s.statementText ?? (s.statement === 1 ? header?.statement?.text : undefined);
    const fields: ReportFieldValue[] = [
      { label: 'Transferred by (seller)', value: seller || 'Not stated in the data received' },
      { label: 'Transferred to (buyer)', value: buyer || 'Not stated in the data received' },
      { label: 'Transaction date', value: date || 'Not stated in the data received' },
      ...(shipDate !== null ? [{ label: 'Shipment date', value: shipDate }] : []),
      { label: 'Reference (PO, invoice or ASN)', value: s.reference ?? '' },
      { label: 'Received as', value: data.fileName(s.fileId) ?? '' },
      {
        label: 'Transaction statement, as received',
        value:
          s.statement === 1
            ? `Affirmed by the seller: "${statementText ?? SHORT_STATEMENT}"`
            : 'The seller sent no transaction statement with this transaction.',
      },
    ];
    const rows: Cell[][] = [...lines.values()].map((l) => [
      l.name,
      l.strengthAndForm,
      l.ndc,
      l.gtin,
      l.container,
      l.containers,
      l.lot,
      l.expiry,
    ]);
    sections.push({
      heading: `Transaction ${n + 1} of ${shipments.length}: from ${s.sellerName ?? sellerPartner?.name ?? s.seller ?? 'an unnamed seller'}`,
      sheet: `Transaction ${n + 1}`,
      fields,
    });
    sections.push({
      heading: `Transaction information ${n + 1}`,
      sheet: `TI ${n + 1}`,
      table: {
        columns: [
          { header: 'Product name', type: 'text', width: 18 },
          { header: 'Strength and dosage form', type: 'text', width: 16 },
          { header: 'NDC', type: 'text', width: 12 },
          { header: 'GTIN', type: 'text', width: 15 },
          { header: 'Container size', type: 'text', width: 12 },
          { header: 'Number of containers', type: 'number', width: 11 },
          { header: 'Lot', type: 'text', width: 10 },
          { header: 'Expiry', type: 'text', width: 10 },
        ],
        rows,
      },
      emptyText: 'The transaction lists no line for what was asked.',
    });
    if (date !== '' && date < TH_SUNSET) {
      for (const l of lines.values()) history.push([date, seller, buyer, l.name, l.ndc, l.lot, l.containers]);
    }
  });

  sections.push({
    heading: 'Product identifiers (package level)',
    sheet: 'Packages',
    paragraphs: [
      'Since 27 November 2023 transaction information includes the product identifier of each package (FD&C Act §582(g)(1)(B)).',
    ],
    table: {
      columns: [
        { header: 'Transaction', type: 'number', width: 10 },
        { header: 'GTIN', type: 'text', width: 15 },
        { header: 'Lot', type: 'text', width: 10 },
        { header: 'Product identifier', type: 'text', width: 34 },
        { header: 'Received in (tote or case)', type: 'text', width: 24 },
      ],
      rows: packages,
    },
    emptyText: 'No package-level identifiers were received for these transactions (lot-level data).',
  });

  sections.push({
    heading: 'Transaction history',
    sheet: 'History',
    paragraphs: [
      history.length > 0
        ? 'Transaction history is given for the transactions above that took place before 27 November 2023.'
        : 'No transaction history: FD&C Act §582(k)(1) ended the provision and receipt of transaction history for transactions from 27 November 2023, and none of these took place before that date.',
    ],
    ...(history.length > 0
      ? {
          table: {
            columns: [
              { header: 'Transaction date', type: 'date' as const, width: 10 },
              { header: 'Seller', type: 'text' as const, width: 24 },
              { header: 'Buyer', type: 'text' as const, width: 24 },
              { header: 'Product', type: 'text' as const, width: 14 },
              { header: 'NDC', type: 'text' as const, width: 12 },
              { header: 'Lot', type: 'text' as const, width: 10 },
              { header: 'Containers', type: 'number' as const, width: 8 },
            ],
            rows: history,
          },
        }
      : {}),
  });

  sections.push({
    heading: 'Transaction statement',
    paragraphs: [
      'Each seller above made its transaction statement when it transferred ownership; it is reproduced as received. In the terms of FD&C Act §581(27), the entity transferring ownership in a transaction:',
      ...STATEMENT_581_27,
      `Electronic data interchange and EPCIS carry it in the short form "${SHORT_STATEMENT}"`,
    ],
  });

  // EPCIS: the events as stored (so each hashes to its recorded hash), the files' master data, and
  // the statement as received (affirmed only when every transaction's seller affirmed it).
  const exported: { event: EpcisEvent; order: number }[] = [];
  for (const e of events) {
    const stored = data.storedEvent(e.ledgerSeq);
    if (stored !== null) exported.push({ event: stored.event, order: e.timeMs });
  }
  // Transactions that came as an X12 856 or a T3 sheet: the shipping event their data describes.
  for (const s of shipments) {
    if (s.eventId !== null) continue;
    const event = eventOfTransaction(s, data.items(s.id), data.fileFormat(s.fileId), (id) => {
      disclosed++;
      shownIds.add(id);
      return data.open(id);
    });
    if (event !== null) exported.push({ event, order: Date.parse(event.eventTime) });
  }
  const storedEvents = exported.sort((a, b) => a.order - b.order).map((x) => x.event);
  const products = new Map<string, ProductMasterData>();
  const locations = new Map<string, LocationMasterData>();
  for (const s of shipments) {
    const h = headerOf(s.fileId);
    for (const p of h?.products ?? []) if (!products.has(p.epcClass)) products.set(p.epcClass, p);
    for (const l of h?.locations ?? []) if (!locations.has(l.id)) locations.set(l.id, l);
  }
  const allAffirmed = shipments.length > 0 && shipments.every((s) => s.statement === 1);
  const notice = shipments.find((s) => s.statementText !== null)?.statementText ?? SHORT_STATEMENT;
  const masterData: Vocabulary[] = [];
  if (products.size > 0) masterData.push(productVocabulary([...products.values()]));
  if (locations.size > 0) masterData.push(locationVocabulary([...locations.values()]));
  const document: EpcisDocument = {
    kind: 'capture',
    format: 'json',
    epcisVersion: '2',
    schemaVersion: '2.0',
    namespaces: { gs1ushc: GS1USHC },
    ...(source.registrant?.glns[0] !== undefined
      ? { sender: `urn:epc:id:sgln:${source.registrant.glns[0]}` }
      : {}),
    headerExtensions: shipments.length > 0 ? [statementExtension(allAffirmed, notice)] : [],
    masterData,
    products: [...products.values()],
    locations: [...locations.values()],
    eventCount: storedEvents.length,
  };

  return {
    title: 'DSCSA transaction information, history and statement',
    subtitle:
      'What this pharmacy received from each previous owner for the product asked about, as FD&C Act §582(d)(1)(D) requires a dispenser to provide on request.',
    parameters: [...describeQuery(query), { label: 'Transactions found', value: String(shipments.length) }],
    sections,
    empty: shipments.length === 0,
    epcis: { document, events: storedEvents },
    disclosedSerials: disclosed,
    disclosedIds: [...shownIds].sort((a, b) => a - b),
  };
}

export const dscsaT3Kind = defineKind({
  id: 'dscsa-t3',
  family: 'DSCSA',
  title: 'DSCSA transaction information and statement (T3)',
  summary:
    'What you received from your suppliers for a lot, a package or a shipment, to send the FDA, the state or a trading partner who asks (within 2 business days for a pharmacy).',
  formats: ['pdf', 'jsonld', 'xml'],
  fields: [
    { field: 'lot', label: 'Lot number', hint: 'as printed on the package: (10)' },
    {
      field: 'gtin',
      label: 'GTIN (product code)',
      hint: '14 digits: (01) on the package; needed with a serial',
    },
    { field: 'serial', label: 'Serial number', hint: '(21) on the package' },
    { field: 'id', label: 'Shipment reference', hint: 'PO, invoice or ASN number' },
  ],
  params: paramsSchema,
  build,
});
