import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { ClosureSignature } from '../api/procedures/quarantine';
import { closureSignature, requireSignerPermission, type ClosureSigner, type SignerIdentity } from '../auth';
import { isTimeZone } from '../calendar';
import { canonicalize } from '../ledger/jcs';
import { readEntries, type Entry, type Workspace } from '../ledger/workspace';
import { readRegistrant } from '../registrant/registrant';
import {
  FORM3911_ENTRY,
  form3911Worksheet,
  investigationFacts,
  productOf,
  type Contact,
  type Form3911Worksheet,
  type NotificationPayload,
  type NotificationType,
  type PartnerNotified,
} from './form3911';
import { itemFor, REPORT_TYPE_LABEL } from './form3911-items';
import { ReceivingError } from './service';

/*
 * What closing an investigation as illegitimate does not record, recorded as the notifications
 * are made (FD&C Act §582(c)(4)(B)(ii), (d)(4)(B)(ii): FDA and the immediate trading partners
 * within 24 hours; (iv): a termination in consultation with FDA, then the partners told): each
 * Form FDA 3911 sent — initial, follow-up, request for termination — as one signed ledger entry
 * with the quantity, the time it was sent, the partners notified and the contact; and the incident
 * number FDA assigns. The projection (form3911_notifications, form3911_incidents) lists them; the
 * worksheet itself is rebuilt from the entries (form3911.ts).
 */

export interface NotificationInput {
  readonly type: NotificationType;
  readonly notifiedMs: number;
  readonly timeZone: string;
  readonly geographicLocation: string;
  readonly quantity: { readonly number: number; readonly unit: string };
  readonly primaryIngredients?: string;
  readonly drugUse?: string;
  readonly drugDescription?: string;
  readonly dosageForm?: string;
  readonly description?: string;
  readonly terminationReason?: string;
  readonly otherMechanisms: string[];
  readonly otherMechanismsSpecify?: string;
  readonly partnersNotified: PartnerNotified[];
  readonly contact: Contact;
}

const SLACK_MS = 5 * 60_000;

/** Reads the covered entries and registrant of a live workspace, as the report engine's source does. */
export function liveSource(ws: Pick<Workspace, 'db' | 'sealer'>) {
  return {
    db: ws.db,
    sealer: ws.sealer,
    registrant: readRegistrant(ws.db),
    entries: (prefixes: readonly string[]): Iterable<Entry> => readEntries(ws.db, prefixes),
  };
}

/** Records one Form FDA 3911 as sent to FDA, signed by the person who sent it. */
export async function recordNotification(
  ws: Workspace,
  investigation: number,
  input: NotificationInput,
  signing: { signer: ClosureSigner; who: SignerIdentity; password: string },
): Promise<Form3911Worksheet> {
  const label = REPORT_TYPE_LABEL[input.type];
  if (!isTimeZone(input.timeZone))
    throw new ReceivingError('invalid', `"${input.timeZone}" is not a time zone.`);
  if (input.type === 'termination' && !input.terminationReason?.trim())
    throw new ReceivingError(
      'invalid',
      `A request for termination says why the notification is no longer necessary (item ${itemFor('terminationReason').item}).`,
    );
  if (input.type !== 'termination' && !input.description?.trim())
    throw new ReceivingError('invalid', `Describe the event or issue (item ${itemFor('description').item}).`);
  if (input.otherMechanisms.includes('Other') && !input.otherMechanismsSpecify?.trim())
    throw new ReceivingError(
      'invalid',
      `Item ${itemFor('otherMechanisms').item}: say which other mechanism.`,
    );
  const signer = await signing.signer.authenticate(signing.who, signing.password, {
    procedure: 'receiving.recordNotification',
    subject: { investigation, type: input.type },
  });
  requireSignerPermission(signer, 'inventory.approve', `record a Form FDA 3911 ${label}`);
  await ws.write((tx) => {
    const facts = investigationFacts({ entries: (p) => readEntries(tx.db, p) }, investigation);
    if (facts.opened === undefined)
      throw new ReceivingError('not-found', `There is no investigation ${investigation}.`);
    if (facts.closed?.payload.outcome !== 'illegitimate')
      throw new ReceivingError('conflict', `Investigation ${investigation} is not closed as illegitimate.`);
    const sent = facts.notifications;
    const hasInitial = sent.some((n) => n.type === 'initial');
    if (input.type === 'initial' && hasInitial)
      throw new ReceivingError(
        'conflict',
        `The initial notification of investigation ${investigation} is already recorded.`,
      );
    if (input.type !== 'initial') {
      if (!hasInitial)
        throw new ReceivingError(
          'conflict',
          `Record the initial notification of investigation ${investigation} first.`,
        );
      if (facts.incident === null)
        throw new ReceivingError(
          'conflict',
          `A ${label} carries the incident number FDA assigned (item ${itemFor('incidentNumber').item}): record it first.`,
        );
    }
    if (sent.some((n) => n.type === 'termination'))
      throw new ReceivingError(
        'conflict',
        `Termination of investigation ${investigation}'s notification is already requested.`,
      );
    // Times are typed to the minute: the minute of the determination counts as after it.
    if (input.notifiedMs < Math.floor(facts.closed.time / 60_000) * 60_000)
      throw new ReceivingError(
        'invalid',
        'A notification is sent after the product was determined illegitimate.',
      );
    if (
      input.notifiedMs > tx.time + SLACK_MS ||
      input.partnersNotified.some((p) => p.notifiedMs > tx.time + SLACK_MS)
    )
      throw new ReceivingError('invalid', 'A notification cannot be sent in the future.');
    const record = {
      investigation,
      notification: sent.length + 1,
      type: input.type,
      notifiedMs: input.notifiedMs,
      timeZone: input.timeZone,
      geographicLocation: input.geographicLocation.trim(),
      quantity: { number: input.quantity.number, unit: input.quantity.unit.trim() },
      primaryIngredients: input.primaryIngredients?.trim() || null,
      drugUse: input.drugUse?.trim() || null,
      drugDescription: input.drugDescription?.trim() || null,
      dosageForm: input.dosageForm?.trim() || null,
      description: input.type === 'termination' ? '' : input.description!.trim(),
      terminationReason: input.type === 'termination' ? input.terminationReason!.trim() : null,
      otherMechanisms: input.otherMechanisms,
      otherMechanismsSpecify: input.otherMechanismsSpecify?.trim() || null,
      partnersNotified: input.partnersNotified.map((p) => ({
        name: p.name.trim(),
        notifiedMs: p.notifiedMs,
        how: p.how.trim(),
      })),
      product: productOf({ db: tx.db }, (facts.opened.payload.gtin as string | null) ?? null),
      contact: {
        name: input.contact.name.trim(),
        ...(input.contact.title?.trim() ? { title: input.contact.title.trim() } : {}),
        phone: input.contact.phone.trim(),
        email: input.contact.email.trim(),
      },
    };
    const signature = closureSignature(signer, `Form FDA 3911 ${label} sent to FDA`, record, tx.time);
    const payload: NotificationPayload = { ...record, signature };
    tx.record(FORM3911_ENTRY.recorded, signer.userId, payload as unknown as Record<string, unknown>);
  });
  return form3911Worksheet(liveSource(ws), investigation);
}

/** Records the incident number from FDA's acknowledgement of the initial notification. */
export async function recordIncidentNumber(
  ws: Workspace,
  investigation: number,
  input: { incidentNumber: string; receivedMs: number },
  actor: string,
): Promise<void> {
  await ws.guarded(
    { area: 'receiving', procedure: 'receiving.recordIncidentNumber', actor, subject: { investigation } },
    (tx) => {
      const facts = investigationFacts({ entries: (p) => readEntries(tx.db, p) }, investigation);
      if (facts.opened === undefined)
        throw new ReceivingError('not-found', `There is no investigation ${investigation}.`);
      if (!facts.notifications.some((n) => n.type === 'initial'))
        throw new ReceivingError(
          'conflict',
          'FDA assigns the incident number after the initial notification: record that first.',
        );
      if (facts.incident !== null)
        throw new ReceivingError(
          'conflict',
          `Investigation ${investigation} already has incident number ${facts.incident.number}.`,
        );
      if (input.receivedMs > tx.time + SLACK_MS)
        throw new ReceivingError('invalid', 'It cannot be received in the future.');
      tx.record(FORM3911_ENTRY.incidentNumber, actor, {
        investigation,
        incidentNumber: input.incidentNumber.trim(),
        receivedMs: input.receivedMs,
      });
    },
  );
}

/** Projects form3911.* entries into form3911_notifications and form3911_incidents. */
export function projectForm3911(db: Database, entry: Entry): void {
  if (entry.type === FORM3911_ENTRY.recorded) {
    const p = entry.payload as unknown as NotificationPayload;
    db.prepare(
      `INSERT INTO form3911_notifications (investigation_id, notification, type, notified_ms, seq, recorded_by, record)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(p.investigation, p.notification, p.type, p.notifiedMs, entry.seq, entry.actor, canonicalize(p));
  } else if (entry.type === FORM3911_ENTRY.incidentNumber) {
    db.prepare(
      'INSERT INTO form3911_incidents (investigation_id, incident_number, received_ms, seq) VALUES (?, ?, ?, ?)',
    ).run(entry.payload.investigation, entry.payload.incidentNumber, entry.payload.receivedMs, entry.seq);
  }
}

export interface NotificationSummary {
  readonly notification: number;
  readonly type: NotificationType;
  readonly notifiedMs: number;
  readonly partnersNotified: PartnerNotified[];
  readonly signature: ClosureSignature;
}

/** The notifications recorded for an investigation, and the incident number (from the projection). */
export function notificationsOf(
  db: Database,
  investigation: number,
): { notifications: NotificationSummary[]; incidentNumber: string | null } {
  const rows = db
    .prepare('SELECT record FROM form3911_notifications WHERE investigation_id = ? ORDER BY notification')
    .pluck()
    .all(investigation) as string[];
  const incident = db
    .prepare('SELECT incident_number FROM form3911_incidents WHERE investigation_id = ?')
    .pluck()
    .get(investigation) as string | undefined;
  return {
    notifications: rows.map((r) => {
      const p = JSON.parse(r) as NotificationPayload;
      return {
        notification: p.notification,
        type: p.type,
        notifiedMs: p.notifiedMs,
        partnersNotified: p.partnersNotified,
        signature: p.signature,
      };
    }),
    incidentNumber: incident ?? null,
  };
}

/** When the initial notification was sent, for the 24-hour clock (null while not sent). */
export function initialNotifiedMs(db: Database, investigation: number): number | null {
  return (
    (db
      .prepare(
        "SELECT notified_ms FROM form3911_notifications WHERE investigation_id = ? AND type = 'initial'",
      )
      .pluck()
      .get(investigation) as number | undefined) ?? null
  );
}
