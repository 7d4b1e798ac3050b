import { gs1CheckDigit } from '../../src/core/identifiers';

/*
 * Synthetic EPCIS 2.0 XML documents in the GS1 US DSCSA shape (SBDH-less 2.0 header with EPCClass
 * master data and the gs1ushc transaction statement): for the demo data a newcomer loads, the
 * benchmark's million-event file and the rule tests. Identifiers are canonical GS1 Digital Links.
 * Test, bench, e2e and demo-script data, not product code: it lives here, outside src/core, and
 * the product never imports it.
 */

export const withCheck = (digits: string): string => digits + String(gs1CheckDigit(digits));
export const sgtin = (gtin: string, serial: string): string => `https://id.gs1.org/01/${gtin}/21/${serial}`;
export const sscc = (value: string): string => `https://id.gs1.org/00/${value}`;
export const glnUri = (gln: string): string => `https://id.gs1.org/414/${gln}`;
/** A drug GTIN-14 from a 10-digit NDC (indicator + "03" + NDC + check digit). */
export const drugGtin = (ndc10digits: string, indicator = 0): string =>
  withCheck(`${indicator}03${ndc10digits}`);

export interface SynthProduct {
  readonly gtin: string;
  readonly ndc: string;
  readonly name: string;
  readonly strength: string;
  readonly form: string;
  readonly container: string;
  readonly manufacturer: string;
}

/**
 * The drug the GS1 US DSCSA guideline's examples ship (NDC 0001-0123-45, "Epcistra"), and the
 * manufacturer GLN they use: the sample product of tests, the benchmark and the demo.
 */
export const SAMPLE_MAKER = withCheck('030001111111');
export const SAMPLE_PRODUCT: SynthProduct = {
  gtin: drugGtin('0001012345'),
  ndc: '0001-0123-45',
  name: 'Epcistra',
  strength: '100 mg',
  form: 'TABLET',
  container: '100 tablets',
  manufacturer: 'GS1 Pharma LLC',
};

export interface SynthLocation {
  readonly gln: string;
  readonly name: string;
  readonly street: string;
  readonly city: string;
  readonly state: string;
  readonly zip: string;
}

interface Common {
  readonly time: string;
  readonly location?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const list = (tag: string, items: readonly string[]) =>
  `<${tag}>${items.map((e) => `<epc>${esc(e)}</epc>`).join('')}</${tag}>`;
const where = (gln: string | undefined) =>
  gln === undefined
    ? ''
    : `<readPoint><id>${glnUri(gln)}</id></readPoint><bizLocation><id>${glnUri(gln)}</id></bizLocation>`;
const head = (time: string) =>
  `<eventTime>${time}</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>`;
const step = (s: string, d: string) =>
  `<bizStep>urn:epcglobal:cbv:bizstep:${s}</bizStep><disposition>urn:epcglobal:cbv:disp:${d}</disposition>`;

export const events = {
  commission(epcs: readonly string[], o: Common & { lot?: string; expiry?: string }): string {
    const ilmd =
      o.lot !== undefined
        ? `<ilmd><cbvmda:lotNumber>${esc(o.lot)}</cbvmda:lotNumber>${o.expiry !== undefined ? `<cbvmda:itemExpirationDate>${o.expiry}</cbvmda:itemExpirationDate>` : ''}</ilmd>`
        : '';
    return `<ObjectEvent>${head(o.time)}${list('epcList', epcs)}<action>ADD</action>${step('commissioning', 'active')}${where(o.location)}${ilmd}</ObjectEvent>`;
  },
  pack(parent: string, children: readonly string[], o: Common): string {
    return `<AggregationEvent>${head(o.time)}<parentID>${esc(parent)}</parentID>${list('childEPCs', children)}<action>ADD</action>${step('packing', 'in_progress')}${where(o.location)}</AggregationEvent>`;
  },
  unpack(parent: string, children: readonly string[], o: Common): string {
    return `<AggregationEvent>${head(o.time)}<parentID>${esc(parent)}</parentID>${list('childEPCs', children)}<action>DELETE</action>${step('unpacking', 'in_progress')}${where(o.location)}</AggregationEvent>`;
  },
  ship(
    epcs: readonly string[],
    o: Common & { seller: string; buyer: string; shipTo: string; po?: string; desadv?: string },
  ): string {
    const bt = [
      o.po !== undefined
        ? `<bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:${o.buyer}:${esc(o.po)}</bizTransaction>`
        : '',
      o.desadv !== undefined
        ? `<bizTransaction type="urn:epcglobal:cbv:btt:desadv">urn:epcglobal:cbv:bt:${o.seller}:${esc(o.desadv)}</bizTransaction>`
        : '',
    ].join('');
    return (
      `<ObjectEvent>${head(o.time)}${list('epcList', epcs)}<action>OBSERVE</action>${step('shipping', 'in_transit')}` +
      `<readPoint><id>${glnUri(o.location ?? o.seller)}</id></readPoint>` +
      (bt !== '' ? `<bizTransactionList>${bt}</bizTransactionList>` : '') +
      `<sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">${glnUri(o.seller)}</source><source type="urn:epcglobal:cbv:sdt:location">${glnUri(o.location ?? o.seller)}</source></sourceList>` +
      `<destinationList><destination type="urn:epcglobal:cbv:sdt:owning_party">${glnUri(o.buyer)}</destination><destination type="urn:epcglobal:cbv:sdt:location">${glnUri(o.shipTo)}</destination></destinationList>` +
      `</ObjectEvent>`
    );
  },
  receive(epcs: readonly string[], o: Common): string {
    return `<ObjectEvent>${head(o.time)}${list('epcList', epcs)}<action>OBSERVE</action>${step('receiving', 'in_progress')}${where(o.location)}</ObjectEvent>`;
  },
  decommission(epcs: readonly string[], o: Common): string {
    return `<ObjectEvent>${head(o.time)}${list('epcList', epcs)}<action>DELETE</action>${step('decommissioning', 'inactive')}${where(o.location)}</ObjectEvent>`;
  },
  dispense(epcs: readonly string[], o: Common): string {
    return `<ObjectEvent>${head(o.time)}${list('epcList', epcs)}<action>OBSERVE</action>${step('dispensing', 'dispensed')}${where(o.location)}</ObjectEvent>`;
  },
};

export interface DocumentOptions {
  readonly products?: readonly SynthProduct[];
  readonly locations?: readonly SynthLocation[];
  /** Include the GS1 US DSCSA transaction statement (default true). */
  readonly statement?: boolean;
  readonly created?: string;
}

export function documentHead(options: DocumentOptions = {}): string {
  const products = (options.products ?? [])
    .map(
      (p) =>
        `<VocabularyElement id="https://id.gs1.org/01/${p.gtin}">` +
        `<attribute id="urn:epcglobal:cbv:mda#additionalTradeItemIdentification">${esc(p.ndc)}</attribute>` +
        `<attribute id="urn:epcglobal:cbv:mda#additionalTradeItemIdentificationTypeCode">US_FDA_NDC</attribute>` +
        `<attribute id="urn:epcglobal:cbv:mda#regulatedProductName">${esc(p.name)}</attribute>` +
        `<attribute id="urn:epcglobal:cbv:mda#manufacturerOfTradeItemPartyName">${esc(p.manufacturer)}</attribute>` +
        `<attribute id="urn:epcglobal:cbv:mda#dosageFormType">${esc(p.form)}</attribute>` +
        `<attribute id="urn:epcglobal:cbv:mda#strengthDescription">${esc(p.strength)}</attribute>` +
        `<attribute id="urn:epcglobal:cbv:mda#netContentDescription">${esc(p.container)}</attribute>` +
        `</VocabularyElement>`,
    )
    .join('');
  const locations = (options.locations ?? [])
    .map(
      (l) =>
        `<VocabularyElement id="${glnUri(l.gln)}"><attribute id="urn:epcglobal:cbv:mda#name">${esc(l.name)}</attribute>` +
        `<attribute id="urn:epcglobal:cbv:mda#streetAddressOne">${esc(l.street)}</attribute><attribute id="urn:epcglobal:cbv:mda#city">${esc(l.city)}</attribute>` +
        `<attribute id="urn:epcglobal:cbv:mda#state">${l.state}</attribute><attribute id="urn:epcglobal:cbv:mda#postalCode">${l.zip}</attribute>` +
        `<attribute id="urn:epcglobal:cbv:mda#countryCode">US</attribute></VocabularyElement>`,
    )
    .join('');
  const vocab =
    products !== '' || locations !== ''
      ? `<epcisMasterData><VocabularyList>` +
        (products !== ''
          ? `<Vocabulary type="urn:epcglobal:epcis:vtype:EPCClass"><VocabularyElementList>${products}</VocabularyElementList></Vocabulary>`
          : '') +
        (locations !== ''
          ? `<Vocabulary type="urn:epcglobal:epcis:vtype:Location"><VocabularyElementList>${locations}</VocabularyElementList></Vocabulary>`
          : '') +
        `</VocabularyList></epcisMasterData>`
      : '';
  const statement =
    options.statement === false
      ? ''
      : '<gs1ushc:dscsaTransactionStatement><gs1ushc:affirmTransactionStatement>true</gs1ushc:affirmTransactionStatement>' +
        '<gs1ushc:legalNotice>Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).</gs1ushc:legalNotice></gs1ushc:dscsaTransactionStatement>';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:cbvmda="urn:epcglobal:cbv:mda" xmlns:gs1ushc="http://epcis.gs1us.org/hc/ns" schemaVersion="2.0" creationDate="${options.created ?? '2026-01-01T00:00:00Z'}">\n` +
    `<EPCISHeader>${vocab}${statement}</EPCISHeader>\n<EPCISBody><EventList>\n`
  );
}

export const DOCUMENT_TAIL = '</EventList></EPCISBody></epcis:EPCISDocument>\n';

export function epcisDocument(eventXml: readonly string[], options: DocumentOptions = {}): string {
  return documentHead(options) + eventXml.join('\n') + '\n' + DOCUMENT_TAIL;
}
