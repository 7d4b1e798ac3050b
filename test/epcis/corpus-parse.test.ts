import { describe, expect, it } from 'vitest';
import { EpcisReadError } from '../../src/core/epcis/errors';
import { errors, fixture, listFiles, load, rel } from './helpers';

/*
 * Every GS1 example document reads into the canonical model. "Parses" = read to the end without a
 * read error, every event present, and valid at least in tolerant mode; strict-mode results are
 * counted too, with the GS1 examples that deviate from the standard listed and explained.
 */

const gs1 = [
  ...listFiles(fixture('gs1', 'JSON')),
  ...listFiles(fixture('gs1', 'XML')),
  ...listFiles(fixture('gs1', 'XSL', '1.2', 'XML')),
];

/** GS1 files that are not EPCIS event documents: each must give a clear reason. */
const NOT_EVENT_DOCUMENTS: Record<string, RegExp> = {
  'gs1/XML/CaptureJob/Example-CaptureJobRunning.xml': /capture-job status document/,
  'gs1/XML/CaptureJob/Example-CaptureJobSuccess.xml': /capture-job status document/,
  'gs1/XML/CaptureJob/Example-CaptureJobWithErrorFile.xml': /capture-job status document/,
  'gs1/XML/CaptureJob/Example-CaptureJobWithErrors.xml': /capture-job status document/,
};

/** GS1 examples that are valid only in tolerant mode, and why (checked against the message). */
const TOLERANT_ONLY: Record<string, RegExp> = {
  // no "@context" and undeclared ext1:/rail: prefixes (they also lack @context upstream)
  'gs1/JSON/Example-TransactionEvents-2020_07_03y.jsonld': /@context/,
  'gs1/JSON/WithFullCombinationOfFields/aggregation_event_all_possible_fields.jsonld': /@context/,
  'gs1/JSON/WithFullCombinationOfFields/association_event_all_possible_fields.jsonld': /@context/,
  'gs1/JSON/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld': /@context/,
  'gs1/JSON/WithFullCombinationOfFields/transaction_event_all_possible_fields.jsonld': /@context/,
  'gs1/JSON/WithFullCombinationOfFields/transformation_event_all_possible_fields.jsonld': /@context/,
  // CBV URNs in JSON; the GS1 JSON schema forbids them (the file fails it upstream too)
  'gs1/XML/WithEventHashID/event_with_identical_hash_id_7.json': /CBV URN form/,
};

describe('GS1 EPCIS example documents (2.0 JSON-LD, 2.0 XML, 1.2 XML)', () => {
  it('every document parses into the canonical model', async () => {
    let parsed = 0;
    let events = 0;
    let strictValid = 0;
    const problems: string[] = [];
    for (const file of gs1) {
      const name = rel(file);
      const reason = NOT_EVENT_DOCUMENTS[name];
      if (reason !== undefined) {
        await expect(load(file), name).rejects.toThrow(reason);
        continue;
      }
      const tolerant = await load(file, { tolerant: true });
      const strict = await load(file);
      if (tolerant.document === undefined) problems.push(`${name}: no document`);
      const tolerantErrors = errors(tolerant);
      if (tolerantErrors.length > 0) problems.push(`${name}: ${tolerantErrors[0]}`);
      const strictErrors = errors(strict);
      if (strictErrors.length === 0) strictValid++;
      else if (TOLERANT_ONLY[name] === undefined || !strictErrors.some((e) => TOLERANT_ONLY[name]!.test(e))) {
        problems.push(`${name} (strict): ${strictErrors[0]}`);
      }
      if (tolerant.events.length === 0 && (tolerant.document?.masterData.length ?? 0) === 0)
        problems.push(`${name}: no events`);
      parsed++;
      events += tolerant.events.length;
    }
    console.log(
      `GS1 example documents parsed: ${parsed}/${gs1.length - Object.keys(NOT_EVENT_DOCUMENTS).length} (${events} events; strictly valid ${strictValid}, tolerant-only ${Object.keys(TOLERANT_ONLY).length}; ${Object.keys(NOT_EVENT_DOCUMENTS).length} capture-job files refused with a reason)`,
    );
    expect(problems).toEqual([]);
    // Exact counts, so a fixture folder that went missing or shrank cannot pass unnoticed.
    expect({ files: gs1.length, parsed, events, strictValid }).toEqual({
      files: 90,
      parsed: 86,
      events: 134,
      strictValid: 79,
    });
  });

  it('reads GS1 JSON and its simple-context twin the same way', async () => {
    const a = await load(fixture('gs1', 'JSON', 'Example_9.6.1-ObjectEvent.jsonld'));
    expect(a.events.length).toBeGreaterThan(0);
    expect(a.events.every((e) => e.event !== undefined)).toBe(true);
    expect(a.events[0]!.event!.bizStep).toBe('https://ref.gs1.org/cbv/BizStep-shipping');
    expect(a.events[0]!.event!.epcList?.[0]).toMatch(/^https:\/\/id\.gs1\.org\/01\/\d{14}\/21\//);
  });

  it('reads a master-data-only document (no events) and refuses a capture job with a reason', async () => {
    const md = await load(fixture('gs1', 'XML', 'Mimasu', 'Example-masterData.xml'));
    expect(md.document?.kind).toBe('masterData');
    expect(md.document?.masterData.length).toBeGreaterThan(0);
    await expect(
      load(fixture('gs1', 'XML', 'CaptureJob', 'Example-CaptureJobSuccess.xml')),
    ).rejects.toBeInstanceOf(EpcisReadError);
  });
});

describe('GS1 US DSCSA guideline example (EPCIS 1.2, SBDH, master data in the header)', () => {
  const file = fixture(
    'openepcis',
    '1.2',
    'EPCIS',
    'XML',
    'Capture',
    'Documents',
    'GS1_US_Pharma_Example_2_2_1_1.xml',
  );

  it('carries sender, receiver, products with NDC and locations into the document model', async () => {
    const { document, events } = await load(file);
    expect(document?.epcisVersion).toBe('1');
    expect(document?.sbdh?.sender[0]).toEqual({
      identifier: 'urn:epc:id:sgln:030001.111111.0',
      authority: 'GS1',
    });
    expect(document?.sbdh?.receiver[0]?.identifier).toBe('urn:epc:id:sgln:039999.999999.0');
    expect(document?.sbdh?.instanceIdentifier).toBe('1100220001');
    const product = document?.products.find((p) => p.epcClass === 'urn:epc:idpat:sgtin:030001.0012345.*');
    expect(product).toMatchObject({
      ndc: '0001-0123-45',
      regulatedProductName: 'Epcistra',
      dosageFormType: 'PILL',
      strengthDescription: '100mg',
      manufacturerOfTradeItemPartyName: 'GS1 Pharma LLC',
    });
    expect(document?.locations.find((l) => l.id === 'urn:epc:id:sgln:039999.999999.0')).toMatchObject({
      name: 'GS1 Drug Distributor',
      city: 'New York',
      state: 'NY',
    });
    expect(document?.headerExtensions?.map((x) => x.name)).toEqual([
      'guidelineVersion',
      'dscsaTransactionStatement',
    ]);
    expect(events.length).toBe(8);
    expect(events.every((e) => e.event !== undefined)).toBe(true);
  });

  it('reads commissioning ILMD (lot, expiry), packing and the shipping event in canonical form', async () => {
    const { events } = await load(file);
    const commissioning = events[0]!.event!;
    expect(commissioning.bizStep).toBe('https://ref.gs1.org/cbv/BizStep-commissioning');
    expect(commissioning.epcList?.[0]).toBe('https://id.gs1.org/01/00300010123455/21/11');
    const ilmd = Object.fromEntries((commissioning.ilmd ?? []).map((x) => [x.name, x.value]));
    expect(ilmd.lotNumber).toBeDefined();
    expect(ilmd.itemExpirationDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const shipping = events.find(
      (e) => e.event?.bizStep === 'https://ref.gs1.org/cbv/BizStep-shipping',
    )!.event!;
    expect(shipping.disposition).toBe('https://ref.gs1.org/cbv/Disp-in_transit');
    expect(shipping.bizTransactionList?.map((b) => b.type)).toEqual([
      'https://ref.gs1.org/cbv/BTT-po',
      'https://ref.gs1.org/cbv/BTT-desadv',
    ]);
    expect(shipping.sourceList?.map((s) => s.type)).toContain('https://ref.gs1.org/cbv/SDT-owning_party');
    expect(
      shipping.extensions?.some((x) => x.name === 'dropShipment' && x.ns === 'http://epcis.gs1us.org/hc/ns'),
    ).toBe(true);
    const packing = events.find((e) => e.event?.type === 'AggregationEvent')!.event!;
    expect(packing.parentID).toMatch(/^https:\/\/id\.gs1\.org\/(00|01)\//);
  });
});
