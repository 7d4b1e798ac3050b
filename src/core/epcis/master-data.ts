import type { LocationMasterData, ProductMasterData, Vocabulary } from './model';

/*
 * Typed views over EPCIS master data, as the GS1 US DSCSA Implementation Guideline carries it in the
 * EPCISHeader: EPCClass vocabulary elements with CBV master-data attributes (urn:epcglobal:cbv:mda#...)
 * for the product (NDC, name, strength, dosage form, lot, expiry) and Location elements with addresses.
 */

const MDA = /^urn:epcglobal:cbv:mda[#:]?/;

function attributeName(id: string): string {
  return id.replace(MDA, '').replace(/^https:\/\/gs1\.org\/voc\//, '');
}

export function productsFrom(vocabularies: readonly Vocabulary[]): ProductMasterData[] {
  const out: ProductMasterData[] = [];
  for (const vocabulary of vocabularies) {
    if (!/EPCClass$/i.test(vocabulary.type)) continue;
    for (const element of vocabulary.elements) {
      const product: ProductMasterData = { epcClass: element.id, additionalTradeItemIdentifications: [] };
      const ids: string[] = [];
      const types: string[] = [];
      for (const attr of element.attributes) {
        const name = attributeName(attr.id);
        const value = attr.value ?? '';
        switch (name) {
          case 'additionalTradeItemIdentification':
            if (attr.children !== undefined && attr.children.length > 0) {
              // 2.0 style: a nested value with its type code
              const v = attr.children.find((c) => /value$/i.test(c.name))?.value ?? '';
              const t = attr.children.find((c) => /type(code)?$/i.test(c.name))?.value;
              ids.push(v);
              types.push(t ?? '');
            } else ids.push(value);
            break;
          case 'additionalTradeItemIdentificationTypeCode':
            types.push(value);
            break;
          case 'regulatedProductName':
          case 'manufacturerOfTradeItemPartyName':
          case 'dosageFormType':
          case 'strengthDescription':
          case 'netContentDescription':
          case 'lotNumber':
          case 'itemExpirationDate':
            product[name] = value;
            break;
          default:
            break;
        }
      }
      product.additionalTradeItemIdentifications = ids.map((value, i) => {
        const type = types[i];
        return type !== undefined && type !== '' ? { type, value } : { value };
      });
      const ndc = product.additionalTradeItemIdentifications.find((x) => x.type === 'US_FDA_NDC');
      if (ndc !== undefined) product.ndc = ndc.value;
      out.push(product);
    }
  }
  return out;
}

const LOCATION_FIELDS = [
  'name',
  'streetAddressOne',
  'streetAddressTwo',
  'city',
  'state',
  'postalCode',
  'countryCode',
] as const;

export function locationsFrom(vocabularies: readonly Vocabulary[]): LocationMasterData[] {
  const out: LocationMasterData[] = [];
  for (const vocabulary of vocabularies) {
    if (!/(Location|BusinessLocation|ReadPoint)$/i.test(vocabulary.type)) continue;
    for (const element of vocabulary.elements) {
      const location: LocationMasterData = { id: element.id };
      for (const attr of element.attributes) {
        const name = attributeName(attr.id) as (typeof LOCATION_FIELDS)[number];
        if ((LOCATION_FIELDS as readonly string[]).includes(name) && attr.value !== undefined)
          location[name] = attr.value;
      }
      out.push(location);
    }
  }
  return out;
}
