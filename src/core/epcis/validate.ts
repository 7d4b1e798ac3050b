import type { Issue, ReportedIssue } from './issues';
import { severityOf } from './issues';
import { epcisEventSchema, type EpcisEvent, type EventType } from './model';
import type { CandidateEvent } from './xml-event';

/*
 * Event-level validation on top of the readers' findings: the zod model (shape and value formats) and
 * the per-event-type field rules of EPCIS 2.0 §7.4 (which fields each type requires and allows).
 */

/** Fields each event type may carry besides the common ones (EPCIS 2.0 §7.4.2–7.4.6). */
const TYPE_FIELDS: Record<EventType, string[]> = {
  ObjectEvent: ['epcList', 'quantityList', 'action', 'ilmd'],
  AggregationEvent: ['parentID', 'childEPCs', 'childQuantityList', 'action'],
  TransactionEvent: ['parentID', 'epcList', 'quantityList', 'action'],
  TransformationEvent: [
    'inputEPCList',
    'inputQuantityList',
    'outputEPCList',
    'outputQuantityList',
    'transformationID',
    'ilmd',
  ],
  AssociationEvent: ['parentID', 'childEPCs', 'childQuantityList', 'action'],
};
const TYPE_SPECIFIC = new Set(Object.values(TYPE_FIELDS).flat());

export interface ValidatedEvent {
  /** The event, when it has no error (tolerated issues allowed in tolerant mode). */
  event: EpcisEvent | undefined;
  issues: ReportedIssue[];
}

export function validateEvent(
  candidate: CandidateEvent,
  readerIssues: Issue[],
  tolerant: boolean,
): ValidatedEvent {
  const issues: Issue[] = [...readerIssues];
  const reported = new Set(
    issues.map((i) => i.field?.split('/')[0]).filter((f): f is string => f !== undefined),
  );
  const add = (issue: Issue) => {
    issues.push(issue);
    if (issue.field !== undefined) reported.add(issue.field.split('/')[0]!);
  };
  const position = readerIssues[0]?.position;
  const type = candidate.type as EventType;
  if (type !== undefined && type in TYPE_FIELDS) ruleChecks(candidate, type, add, position);

  const parsed = epcisEventSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const zi of parsed.error.issues) {
      const field = zi.path.map(String).join('/');
      const top = String(zi.path[0] ?? '');
      if (reported.has(top)) continue; // one message per field is enough
      add({
        code: zi.code === 'invalid_type' && zi.message.includes('undefined') ? 'missing-field' : 'schema',
        message: `${field || 'event'}: ${describeZod(zi, candidate)}`,
        field,
        ...(position !== undefined ? { position } : {}),
      });
    }
  }
  const out = issues.map((i) => ({ ...i, severity: severityOf(i, tolerant) }));
  const hasError = out.some((i) => i.severity === 'error');
  return { event: parsed.success && !hasError ? parsed.data : undefined, issues: out };
}

function describeZod(
  issue: { code: string; message: string; path: PropertyKey[] },
  candidate: CandidateEvent,
): string {
  if (issue.path[0] === 'action' && issue.code === 'invalid_value') {
    return `"${String(candidate.action)}" is not an action (ADD, OBSERVE or DELETE)`;
  }
  if (issue.code === 'invalid_type' && issue.message.includes('undefined')) return 'required but missing';
  return issue.message;
}

function ruleChecks(
  e: CandidateEvent,
  type: EventType,
  add: (i: Issue) => void,
  position: Issue['position'],
): void {
  const at = position !== undefined ? { position } : {};
  const missing = (field: string, why: string) =>
    add({ code: 'missing-field', message: `${field} is required ${why}`, field, ...at });
  const nonEmpty = (field: keyof CandidateEvent) =>
    Array.isArray(e[field]) && (e[field] as unknown[]).length > 0;

  if (e.eventTime === undefined) missing('eventTime', 'for every event (EPCIS 2.0 §7.4.1)');
  if (e.eventTimeZoneOffset === undefined || e.eventTimeZoneOffset === '')
    missing('eventTimeZoneOffset', 'for every event (EPCIS 2.0 §7.4.1)');

  for (const field of TYPE_SPECIFIC) {
    if (e[field as keyof CandidateEvent] !== undefined && !TYPE_FIELDS[type].includes(field)) {
      add({ code: 'field-not-allowed', message: `${field} is not a field of ${type}`, field, ...at });
    }
  }
  if (type === 'TransformationEvent') {
    if (e.action !== undefined)
      add({
        code: 'field-not-allowed',
        message: 'a TransformationEvent has no action',
        field: 'action',
        ...at,
      });
    // GS1 EPCIS JSON schema: inputs and outputs, or a transformationID with at least one of them
    const inputs = nonEmpty('inputEPCList') || nonEmpty('inputQuantityList');
    const outputs = nonEmpty('outputEPCList') || nonEmpty('outputQuantityList');
    if (!(inputs && outputs) && !(e.transformationID !== undefined && (inputs || outputs))) {
      missing(
        'inputEPCList',
        'in a TransformationEvent: inputs and outputs, or a transformationID with inputs or outputs (EPCIS 2.0 §7.4.6)',
      );
    }
    return;
  }
  if (e.action === undefined) missing('action', `in a ${type} (ADD, OBSERVE or DELETE)`);
  const deleting = e.action === 'DELETE';
  if (
    type === 'ObjectEvent' &&
    e.epcList === undefined &&
    !nonEmpty('quantityList') &&
    !(nonEmpty('sensorElementList') && e.readPoint !== undefined)
  ) {
    missing(
      'epcList',
      'in an ObjectEvent: an epcList, a quantityList, or sensor data with a readPoint (EPCIS 2.0 §7.4.2)',
    );
  }
  if (type === 'ObjectEvent' && e.ilmd !== undefined && e.action !== undefined && e.action !== 'ADD') {
    add({
      code: 'field-not-allowed',
      message: 'ilmd belongs only to ObjectEvents with action ADD (EPCIS 2.0 §7.3.6)',
      field: 'ilmd',
      tolerable: true,
      ...at,
    });
  }
  if (type === 'TransactionEvent') {
    if (!nonEmpty('bizTransactionList'))
      missing('bizTransactionList', 'in a TransactionEvent (EPCIS 2.0 §7.4.4)');
    if (e.epcList === undefined && !nonEmpty('quantityList') && !deleting) {
      missing(
        'epcList',
        'in a TransactionEvent: an epcList or a quantityList unless the action is DELETE (EPCIS 2.0 §7.4.4)',
      );
    }
  }
  if (type === 'AggregationEvent' || type === 'AssociationEvent') {
    const section = type === 'AggregationEvent' ? '§7.4.3' : '§7.4.7';
    if (type === 'AssociationEvent' && e.parentID === undefined)
      missing('parentID', `in an AssociationEvent (EPCIS 2.0 ${section})`);
    if (type === 'AggregationEvent' && (e.action === 'ADD' || deleting) && e.parentID === undefined) {
      missing('parentID', `in an AggregationEvent with action ${e.action} (EPCIS 2.0 ${section})`);
    }
    if (!nonEmpty('childEPCs') && !nonEmpty('childQuantityList') && !deleting) {
      missing(
        'childEPCs',
        `in an ${type}: childEPCs or childQuantityList unless the action is DELETE (EPCIS 2.0 ${section})`,
      );
    }
  }
}
