import { describe, expect, it } from 'vitest';
import { errors, fixture, listFiles, load, rel } from './helpers';

/** Every OpenEPCIS invalid document, with the reason we expect to be given for it. */
const REASONS: Record<string, RegExp> = {
  'Combination_of_events_with_missing_mandatory_fields.json':
    /action is required|eventTimeZoneOffset is required/,
  'Combination_of_multiple_invalid_fields.json': /not a CBV 2\.0 (bizStep|disposition|sdt)/,
  'Combination_of_non_standard_bizStep_and_disposition.json': /"transforming" is not a CBV 2\.0 bizStep/,
  'EPCISDocument_without_context.json': /no "@context"/,
  'ObjectEvent_with_ilmd_field_without_namespace.json': /ILMD field "materialType" has no namespace/,
  'ObjectEvent_with_invalid_action.json': /"CREATE" is not an action/,
  'ObjectEvent_with_invalid_certificationInfo.json': /expected text, found an object/,
  'ObjectEvent_with_invalid_eventTime_format.json': /"22-07-2026" is not a date-time/,
  'ObjectEvent_with_non_standard_bizStep.json': /"transforming" is not a CBV 2\.0 bizStep/,
  'ObjectEvent_with_non_standard_bizStep_in_second_event.json':
    /event 1: .*"transforming" is not a CBV 2\.0 bizStep/,
  'ObjectEvent_with_non_standard_disposition.json': /"in_transport" is not a CBV 2\.0 disposition/,
  'ObjectEvent_with_quantity_as_text.json': /quantity must be a JSON number/,
  'ObjectEvent_with_unknown_field_in_quantityList.json': /"weight" is not allowed here/,
  'ObjectEvent_without_action_and_eventTime.json': /eventTime is required/,
  'ObjectEvent_without_identifier_list.json': /epcList is required in an ObjectEvent/,
  'ObjectEvent_bare_event_without_action.xml': /action is required/,
  'ObjectEvent_with_invalid_action.xml': /"CREATE" is not an action/,
  'ObjectEvent_with_invalid_eventTime_format.xml': /"22-07-2026" is not a date-time/,
  'ObjectEvent_with_near_miss_action.xml': /"OBSERV" is not an action/,
  'ObjectEvent_with_unknown_element.xml': /<madeUpField> is not a field of ObjectEvent/,
  'ObjectEvent_with_wrong_element_order.xml': /<eventTime> comes after <action>/,
  'ObjectEvent_without_eventTime.xml': /eventTime is required/,
  'QueryDocument_with_invalid_action.json': /"INVALIDACTION" is not an action/,
  'QueryDocument_with_invalid_eventType.json': /"ObjectEventInvalid" is not an EPCIS event type/,
  'QueryDocument_with_invalid_action.xml': /"INVALIDACTION" is not an action/,
  'QueryDocument_with_invalid_eventType.xml': /"ObjectEventInvalid" is not an EPCIS event type/,
  'QueryDocument_with_missing_value.xml': /query request \(epcisq:Poll\)/,
};

const invalid = listFiles(fixture('openepcis', '2.0')).filter(
  (f) => /\/Invalid\//.test(f) && !/\/Queries\//.test(f),
);

describe('OpenEPCIS invalid documents', () => {
  it('each is rejected (strict validation) with the reason it was written for', async () => {
    const missed: string[] = [];
    for (const file of invalid) {
      const name = file.split('/').pop()!;
      const reason = REASONS[name];
      const found = errors(await load(file));
      if (reason === undefined || !found.some((e) => reason.test(e)))
        missed.push(`${rel(file)}: ${found.join(' | ') || 'accepted'}`);
    }
    console.log(
      `OpenEPCIS invalid documents rejected with their reason: ${invalid.length - missed.length}/${invalid.length}`,
    );
    expect(missed).toEqual([]);
    expect(invalid.length).toBe(Object.keys(REASONS).length);
  });

  it('reports where: XML line and column, JSON pointer', async () => {
    const xml = await load(
      fixture(
        'openepcis',
        '2.0',
        'EPCIS',
        'XML',
        'Capture',
        'Invalid',
        'ObjectEvent_with_unknown_element.xml',
      ),
    );
    const xmlIssue = xml.events[0]!.issues.find((i) => i.code === 'unknown-field')!;
    expect(xmlIssue.position?.line).toBeGreaterThan(1);
    expect(xmlIssue.position?.column).toBeGreaterThan(0);
    const json = await load(
      fixture(
        'openepcis',
        '2.0',
        'EPCIS',
        'JSON',
        'Capture',
        'Invalid',
        'ObjectEvent_with_non_standard_bizStep_in_second_event.json',
      ),
    );
    const second = json.events[1]!;
    expect(second.position.pointer).toBe('/epcisBody/eventList/1');
    expect(second.issues.find((i) => i.code === 'unknown-vocabulary')?.field).toBe('bizStep');
    expect(json.events[0]!.event).toBeDefined();
  });

  it('tolerant mode accepts real-partner deviations and says what it tolerated', async () => {
    const jumbled = fixture(
      'openepcis',
      '2.0',
      'EPCIS',
      'XML',
      'Capture',
      'Documents',
      'JumbledFieldsOrder.xml',
    );
    expect(errors(await load(jumbled)).join()).toMatch(/comes after/);
    const tolerant = await load(jumbled, { tolerant: true });
    expect(errors(tolerant)).toEqual([]);
    expect(
      tolerant.events[0]!.issues.some((i) => i.severity === 'tolerated' && i.code === 'field-order'),
    ).toBe(true);

    const unqualified = fixture('openepcis', '2.0', 'EPCIS', 'XML', 'Query', 'CurieString_document.xml');
    expect(errors(await load(unqualified)).join()).toMatch(/QueryResults/);
    const t = await load(unqualified, { tolerant: true });
    expect(errors(t)).toEqual([]);
    expect(t.document?.kind).toBe('query');
    expect(t.documentIssues.some((i) => i.severity === 'tolerated' && /QueryResults/.test(i.message))).toBe(
      true,
    );
  });
});
