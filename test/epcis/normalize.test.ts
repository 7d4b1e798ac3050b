import { describe, expect, it } from 'vitest';
import {
  canonicalTime,
  canonicalVocabulary,
  STANDARD_PREFIXES,
  vocabularyToTerm,
  vocabularyToUrn,
} from '../../src/core/epcis/normalize';
import { load } from './helpers';

describe('canonical forms', () => {
  it('one CBV value whatever the spelling: bare term, URN, web URI, CURIE', () => {
    const forms = [
      'receiving',
      'urn:epcglobal:cbv:bizstep:receiving',
      'https://ref.gs1.org/cbv/BizStep-receiving',
      'cbv:BizStep-receiving',
    ];
    for (const f of forms)
      expect(canonicalVocabulary('bizStep', f, STANDARD_PREFIXES)).toEqual({
        value: 'https://ref.gs1.org/cbv/BizStep-receiving',
      });
    expect(canonicalVocabulary('bizStep', 'decomissioning', STANDARD_PREFIXES).unknownTerm).toBe(
      'decomissioning',
    );
    expect(canonicalVocabulary('btt', 'urn:gs1:epcisapp:rail:btt:passage', STANDARD_PREFIXES)).toEqual({
      value: 'urn:gs1:epcisapp:rail:btt:passage',
    });
    expect(vocabularyToUrn('disposition', 'https://ref.gs1.org/cbv/Disp-in_transit')).toBe(
      'urn:epcglobal:cbv:disp:in_transit',
    );
    expect(vocabularyToTerm('sdt', 'https://ref.gs1.org/cbv/SDT-owning_party')).toBe('owning_party');
    expect(canonicalVocabulary('measurement', 'Temperature', STANDARD_PREFIXES).value).toBe(
      'https://gs1.org/voc/Temperature',
    );
  });

  it('timestamps in UTC with milliseconds, sub-millisecond digits kept, zone required', () => {
    expect(canonicalTime('2020-03-04T11:00:30+01:00')).toEqual({
      ok: true,
      value: '2020-03-04T10:00:30.000Z',
    });
    expect(canonicalTime('2005-04-03T20:33:31.116000-06:00')).toEqual({
      ok: true,
      value: '2005-04-04T02:33:31.116Z',
    });
    expect(canonicalTime('2022-04-13T12:35:29.017069617Z')).toEqual({
      ok: true,
      value: '2022-04-13T12:35:29.017069617Z',
    });
    expect(canonicalTime('2020-03-04T11:00:30').ok).toBe(false);
    expect(canonicalTime('2021-02-29T00:00:00Z').ok).toBe(false);
    const noSeconds = canonicalTime('2006-11-07T13:00Z');
    expect(noSeconds.ok && noSeconds.note).toMatch(/no seconds/);
  });
});

describe('JSON-LD contexts and bindings read to one model', () => {
  const event = (context: unknown, fields: Record<string, unknown>) =>
    JSON.stringify({
      '@context': context,
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2024-01-01T00:00:00Z',
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: '2024-01-01T01:00:00+01:00',
            eventTimeZoneOffset: '+01:00',
            action: 'OBSERVE',
            epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
            ...fields,
          },
        ],
      },
    });
  const xml = `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="https://ns.example.com/epcis/" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z"><EPCISBody><EventList><ObjectEvent><eventTime>2024-01-01T00:00:00.000Z</eventTime><eventTimeZoneOffset>+01:00</eventTimeZoneOffset><epcList><epc>https://id.gs1.org/01/10614141073464/21/2017</epc></epcList><action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep><ex:lot>A1</ex:lot></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>`;

  it('full context, simple context, CURIE prefixes and XML agree', async () => {
    const full = await load(
      event(
        [
          'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
          { ex: 'https://ns.example.com/epcis/' },
        ],
        { bizStep: 'shipping', 'ex:lot': 'A1' },
      ),
      { inline: true },
    );
    const simple = await load(
      event(
        [
          'https://gs1.github.io/EPCIS/epcis-context-simple.jsonld',
          { other: 'https://ns.example.com/epcis/' },
        ],
        { bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping', 'other:lot': 'A1' },
      ),
      { inline: true },
    );
    const fromXml = await load(xml, { inline: true });
    const models = [full, simple, fromXml].map((l) => {
      expect(l.events[0]!.issues.filter((i) => i.severity === 'error')).toEqual([]);
      return l.events[0]!.event!;
    });
    for (const m of models) {
      expect(m.bizStep).toBe('https://ref.gs1.org/cbv/BizStep-shipping');
      expect(m.epcList).toEqual(['https://id.gs1.org/01/10614141073464/21/2017']);
      expect(m.eventTime).toBe('2024-01-01T00:00:00.000Z');
      expect(m.extensions).toEqual([{ ns: 'https://ns.example.com/epcis/', name: 'lot', value: 'A1' }]);
    }
  });

  it('an identifier that is not a valid GS1 key is reported at its JSON pointer', async () => {
    const bad = await load(
      event(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], {
        epcList: ['https://id.gs1.org/01/10614141073465/21/1'],
      }),
      { inline: true },
    );
    const issue = bad.events[0]!.issues.find((i) => i.code === 'bad-identifier')!;
    expect(issue.field).toBe('epcList/0');
    expect(issue.message).toMatch(/check digit/);
    expect(bad.events[0]!.position.pointer).toBe('/epcisBody/eventList/0');
  });
});
