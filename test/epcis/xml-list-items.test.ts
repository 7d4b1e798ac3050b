import { describe, expect, it } from 'vitest';
import { load } from './helpers';

/*
 * A list field in EPCIS XML holds children of one name (<epcList> only <epc>, <quantityList> only
 * <quantityElement>, <bizTransactionList> only <bizTransaction>, <sourceList> only <source>, …).
 * What the reader says about any other child, where, and whether it still reads it.
 */
const DOCUMENT = `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-03-01T10:00:00.000Z">
<EPCISBody>
<EventList>
<ObjectEvent>
<eventTime>2024-03-01T09:00:00.000Z</eventTime>
<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
<epcList>
<epc>urn:epc:id:sgtin:0614141.107346.2017</epc>
<gtin>urn:epc:id:sgtin:0614141.107346.2018</gtin>
<epc>urn:epc:id:sgtin:0614141.107346.2019</epc>
</epcList>
<action>OBSERVE</action>
<bizStep>shipping</bizStep>
<disposition>in_transit</disposition>
<bizTransactionList>
<bizTransaction type="po">urn:epcglobal:cbv:bt:0614141000005:PO123</bizTransaction>
<invoice type="inv">urn:epcglobal:cbv:bt:0614141000005:INV9</invoice>
</bizTransactionList>
<quantityList>
<quantity><epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass><quantity>5</quantity></quantity>
<quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.998878</epcClass><quantity>200</quantity><uom>KGM</uom></quantityElement>
</quantityList>
<sourceList>
<source type="owning_party">urn:epc:id:pgln:0614141.00001</source>
<destination type="owning_party">urn:epc:id:pgln:0614141.00002</destination>
</sourceList>
<destinationList>
<destination type="owning_party">urn:epc:id:pgln:0614141.00003</destination>
<source type="location">urn:epc:id:sgln:0614141.00777.0</source>
</destinationList>
</ObjectEvent>
<AggregationEvent>
<eventTime>2024-03-01T09:30:00.000Z</eventTime>
<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
<parentID>urn:epc:id:sscc:0614141.1234567890</parentID>
<childEPCs>
<sscc>urn:epc:id:sscc:0614141.1234567891</sscc>
<epc>urn:epc:id:sgtin:0614141.107346.2020</epc>
</childEPCs>
<action>ADD</action>
<childQuantityList>
<quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass><quantity>3</quantity></quantityElement>
<epcClass>urn:epc:class:lgtin:4012345.012345.998879</epcClass>
</childQuantityList>
</AggregationEvent>
</EventList>
</EPCISBody>
</epcis:EPCISDocument>
`;

describe('XML list fields hold one kind of child', () => {
  it('reports any other child as an unknown field, where it is, and skips or keeps it as before', async () => {
    const loaded = await load(DOCUMENT, { inline: true, tolerant: true });
    const unknown = loaded.events.map((e) =>
      e.issues
        .filter((i) => i.code === 'unknown-field')
        .map((i) => ({ message: i.message, field: i.field, position: i.position })),
    );
    const at = (line: number) => ({ line, column: 1 });
    expect(unknown).toEqual([
      [
        { message: '<gtin> inside <epcList>; only <epc> is allowed', field: 'epcList/1', position: at(10) },
        // bizTransactionList names the list's own position, not the stray child's.
        { message: '<invoice> inside bizTransactionList', field: 'bizTransactionList/1', position: at(16) },
        {
          message: '<quantity> inside <quantityList>; only <quantityElement> is allowed',
          field: 'quantityList/0',
          position: at(21),
        },
        { message: '<destination> inside sourceList', field: 'sourceList/1', position: at(26) },
        { message: '<source> inside destinationList', field: 'destinationList/1', position: at(30) },
      ],
      [
        {
          message: '<sscc> inside <childEPCs>; only <epc> is allowed',
          field: 'childEPCs/0',
          position: at(38),
        },
        {
          message: '<epcClass> inside <childQuantityList>; only <quantityElement> is allowed',
          field: 'childQuantityList/1',
          position: at(44),
        },
      ],
    ]);
    const [object, aggregation] = loaded.events.map((e) => e.candidate as Record<string, unknown>);
    // EPC and quantity lists leave the stray child out ...
    expect(object!.epcList).toEqual([
      'https://id.gs1.org/01/10614141073464/21/2017',
      'https://id.gs1.org/01/10614141073464/21/2019',
    ]);
    expect(object!.quantityList).toEqual([
      { epcClass: 'https://id.gs1.org/01/04012345123456/10/998878', quantity: 200, uom: 'KGM' },
    ]);
    expect(aggregation!.childEPCs).toEqual(['https://id.gs1.org/01/10614141073464/21/2020']);
    expect(aggregation!.childQuantityList).toEqual([
      { epcClass: 'https://id.gs1.org/01/04012345123456/10/998877', quantity: 3 },
    ]);
    // ... business transactions, sources and destinations still read it as one of theirs.
    expect(object!.bizTransactionList).toEqual([
      { type: 'https://ref.gs1.org/cbv/BTT-po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:PO123' },
      { type: 'https://ref.gs1.org/cbv/BTT-inv', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:INV9' },
    ]);
    expect(object!.sourceList).toEqual([
      { type: 'https://ref.gs1.org/cbv/SDT-owning_party', source: 'https://id.gs1.org/417/0614141000012' },
      { type: 'https://ref.gs1.org/cbv/SDT-owning_party', source: 'https://id.gs1.org/417/0614141000029' },
    ]);
    expect(object!.destinationList).toEqual([
      {
        type: 'https://ref.gs1.org/cbv/SDT-owning_party',
        destination: 'https://id.gs1.org/417/0614141000036',
      },
      { type: 'https://ref.gs1.org/cbv/SDT-location', destination: 'https://id.gs1.org/414/0614141007776' },
    ]);
  });
});
