import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import { ApiError } from '../api/errors';
import type { Principal } from '../api/principal';
import {
  FORM_41_DECLARATION,
  type DestructionView,
  type IncidentView,
  type disposalsProcedures,
} from '../api/procedures/disposals';
import { type AuthService, signature, subjectHash, type UserRecord } from '../auth';
import { checkWitnesses, recordTransaction, ruleViolation } from '../inventory';
import type { Attempt } from '../ledger/workspace';
import { requireProduct } from '../products';
import { readRegistrant } from '../registrant/registrant';
import { form106Deadlines } from './deadlines';
import { checkForm41Count } from './form41';
import { DISPOSAL_ENTRY } from './projection';
import {
  destructionView,
  incidentView,
  listDestructions,
  listIncidents,
  type DestructionSubject,
  type IncidentSubject,
} from './store';

type In<K extends keyof typeof disposalsProcedures> = z.output<(typeof disposalsProcedures)[K]['input']>;

/**
 * Theft/loss incidents (Form 106) and destructions (Form 41). Each is one signed subject and, in
 * the same write, one inventory transaction per line (inventory.recordTransaction), so a line obeys
 * every rule of a single theft/loss or destruction: no negative balance, Schedule II waits for a
 * second person, witnesses are two different employees.
 */
export class DisposalService {
  constructor(private readonly auth: AuthService) {}

  async reportIncident(principal: Principal, input: In<'disposals.reportIncident'>): Promise<IncidentView> {
    const id = input.id ?? crypto.randomUUID();
    const attempt = {
      area: 'disposals',
      procedure: 'disposals.reportIncident',
      subject: { incidentId: id, lines: input.lines.length },
    };
    return this.auth.signedWrite(principal, input.password, attempt, (tx, signer) => {
      if (tx.db.prepare('SELECT 1 FROM loss_incidents WHERE id = ?').get(id)) {
        throw new ApiError('conflict', `Incident ${id} was already reported; it is not recorded twice.`, {
          rule: 'already-recorded',
        });
      }
      checkIncident(input);
      const lines = input.lines.map((line) => ({
        ...productLine(tx.db, line.ndc),
        lot: line.lot ?? null,
        quantity: line.quantity,
      }));
      const registrant = readRegistrant(tx.db);
      const incident: IncidentSubject = {
        type: 'custodia.form106-incident/v1',
        id,
        lossType: input.lossType,
        discoveredOn: input.discoveredOn,
        lossFrom: input.lossFrom ?? null,
        lossTo: input.lossTo ?? null,
        description: input.description,
        policeNotified: input.policeNotified,
        policeDepartment: input.policeDepartment ?? null,
        policePhone: input.policePhone ?? null,
        policeReportNumber: input.policeReportNumber ?? null,
        purchaseValue: input.purchaseValue,
        inTransit: input.inTransit ?? null,
        stolenOrderForms: input.stolenOrderForms,
        securityMeasures: input.securityMeasures,
        priorIncidents24Months: input.priorIncidents24Months,
        registrantCounty: input.registrantCounty,
        registrantPhone: input.registrantPhone ?? registrant?.phone ?? null,
        registrant,
        lines,
        ...form106Deadlines(input.discoveredOn),
        reportedBy: { userId: signer.userId, printedName: signer.displayName },
        reportedAt: new Date(tx.time).toISOString(),
      };
      const hash = subjectHash(incident);
      tx.record(DISPOSAL_ENTRY.incidentReported, signer.userId, {
        incident,
        signature: signature(signer, 'initiated', hash, tx.time),
      });
      lines.forEach((line, i) =>
        recordTransaction(tx, {
          id: line.transactionId,
          signer,
          input: {
            kind: 'theft-loss',
            ndc: line.ndc,
            ...(line.lot !== null ? { lot: line.lot } : {}),
            quantity: line.quantity,
            date: input.discoveredOn,
            lossType: input.lossType,
            discoveredOn: input.discoveredOn,
            policeNotified: input.policeNotified,
            ...(input.policeDepartment ? { policeDepartment: input.policeDepartment } : {}),
            description: input.description,
          },
          extra: { incidentId: id, line: i + 1 },
        }),
      );
      return incidentView(tx.db, id)!;
    });
  }

  recordNotice(principal: Principal, input: In<'disposals.recordNotice'>): Promise<IncidentView> {
    return this.onIncident(principal, 'disposals.recordNotice', input.incidentId, input.password, (i) => {
      if (i.notice !== null)
        throw new ApiError(
          'conflict',
          `DEA's field office was already recorded as notified on ${i.notice.notifiedOn}.`,
          {
            rule: 'already-recorded',
          },
        );
      if (input.notifiedOn < i.discoveredOn)
        throw ruleViolation('notice-before-discovery', 'DEA cannot have been notified before the discovery.');
      const notice = { notifiedOn: input.notifiedOn, office: input.office, how: input.how };
      return [
        DISPOSAL_ENTRY.incidentNotified,
        { notice },
        { type: 'custodia.form106-notice/v1', incidentId: i.id, ...notice },
        input.notifiedOn,
      ];
    });
  }

  recordFiling(principal: Principal, input: In<'disposals.recordFiling'>): Promise<IncidentView> {
    return this.onIncident(principal, 'disposals.recordFiling', input.incidentId, input.password, (i) => {
      if (i.filing !== null)
        throw new ApiError('conflict', `Form 106 was already recorded as filed on ${i.filing.filedOn}.`, {
          rule: 'already-recorded',
        });
      if (input.filedOn < i.discoveredOn)
        throw ruleViolation(
          'filing-before-discovery',
          'Form 106 cannot have been filed before the discovery.',
        );
      const filing = { filedOn: input.filedOn, confirmation: input.confirmation };
      return [
        DISPOSAL_ENTRY.incidentFiled,
        { filing },
        { type: 'custodia.form106-filing/v1', incidentId: i.id, ...filing },
        input.filedOn,
      ];
    });
  }

  private onIncident(
    principal: Principal,
    procedure: string,
    incidentId: string,
    password: string,
    decide: (i: IncidentView) => [string, Record<string, unknown>, Record<string, unknown>, string],
  ): Promise<IncidentView> {
    const attempt = { area: 'disposals', procedure, subject: { incidentId } };
    return this.auth.signedWrite(principal, password, attempt, (tx, signer) => {
      const incident = incidentView(tx.db, incidentId);
      if (incident === null)
        throw new ApiError('not-found', `There is no theft or loss incident ${incidentId}.`);
      const [type, payload, subject, date] = decide(incident);
      if (date > new Date(tx.time).toISOString().slice(0, 10))
        throw ruleViolation('future-date', `${date} is in the future; record the day it actually happened.`);
      tx.record(type, signer.userId, {
        incidentId,
        ...payload,
        signature: signature(signer, 'signed-off', subjectHash(subject), tx.time),
      });
      return incidentView(tx.db, incidentId)!;
    });
  }

  async recordDestruction(
    principal: Principal,
    input: In<'disposals.recordDestruction'>,
  ): Promise<DestructionView> {
    const ws = await this.auth.workspace();
    const id = input.id ?? crypto.randomUUID();
    const attempt: Attempt = {
      area: 'disposals',
      procedure: 'disposals.recordDestruction',
      actor: principal.userId,
      subject: { destructionId: id, lines: input.lines.length },
    };
    const signer = await this.auth.authenticateSigner(
      ws,
      { userId: principal.userId },
      input.password,
      attempt,
    );
    const witnesses: UserRecord[] = [];
    for (const w of input.witnesses) {
      witnesses.push(await this.auth.authenticateSigner(ws, { username: w.username }, w.password, attempt));
    }
    return ws.guarded(attempt, (tx) => {
      if (tx.db.prepare('SELECT 1 FROM destructions WHERE id = ?').get(id)) {
        throw new ApiError('conflict', `Destruction ${id} was already recorded; it is not recorded twice.`, {
          rule: 'already-recorded',
        });
      }
      // 21 CFR 1304.21(e): the Form 41 carries the names and signatures of the two employees who witnessed it.
      checkWitnesses(witnesses);
      const seen = new Set<string>();
      const lines = input.lines.map((line) => {
        const product = productLine(tx.db, line.ndc);
        const key = `${product.ndc}|${line.batch ?? ''}`;
        if (seen.has(key))
          throw ruleViolation(
            'duplicate-line',
            `${product.ndc} appears twice; put each NDC and batch on one line.`,
          );
        seen.add(key);
        checkForm41Count({ ...line, ndc: product.ndc, packageSize: product.packageSize, unit: product.unit });
        return {
          ...product,
          batch: line.batch ?? null,
          fullPackages: line.fullPackages,
          partialCount: line.partialCount,
          quantity: line.quantity,
        };
      });
      const destruction: DestructionSubject = {
        type: 'custodia.form41-destruction/v1',
        id,
        date: input.date,
        method: input.method,
        place: input.place,
        registrant: readRegistrant(tx.db),
        lines,
        declaration: FORM_41_DECLARATION,
        witnesses: witnesses.map((w) => ({ userId: w.userId, printedName: w.displayName })),
        recordedBy: { userId: signer.userId, printedName: signer.displayName },
      };
      // Each witness signs exactly this subject, which holds the declaration they make (section D).
      const hash = subjectHash(destruction);
      tx.record(DISPOSAL_ENTRY.destructionRecorded, signer.userId, {
        destruction,
        signatures: [
          signature(signer, 'initiated', hash, tx.time),
          ...witnesses.map((w) => signature(w, 'witnessed', hash, tx.time)),
        ],
      });
      lines.forEach((line, i) =>
        recordTransaction(tx, {
          id: line.transactionId,
          signer,
          witnesses,
          input: {
            kind: 'destruction',
            ndc: line.ndc,
            ...(line.batch !== null ? { lot: line.batch } : {}),
            quantity: line.quantity,
            date: input.date,
            method: input.method,
            location: `${input.place.name}, ${input.place.address}`.slice(0, 200),
          },
          extra: { destructionId: id, line: i + 1 },
        }),
      );
      return destructionView(tx.db, id)!;
    });
  }

  async incidents(): Promise<IncidentView[]> {
    return listIncidents((await this.auth.workspace()).db);
  }

  async destructions(): Promise<DestructionView[]> {
    return listDestructions((await this.auth.workspace()).db);
  }
}

/**
 * A line's product as the form prints it, with the id its inventory transaction will have. Not a
 * controlled substance: refused here, as inventory.recordTransaction would.
 */
function productLine(db: Database, ndc: string) {
  const product = requireProduct(db, ndc);
  if (product.schedule === null)
    throw ruleViolation('not-controlled', `${product.name} (${product.ndc}) is not a controlled substance.`);
  return {
    transactionId: crypto.randomUUID(),
    ndc: product.ndc,
    name: product.name,
    strength: product.strength,
    dosageForm: product.dosageForm,
    schedule: product.schedule,
    packageSize: product.packageSize,
    unit: product.unit,
  };
}

function checkIncident(input: In<'disposals.reportIncident'>): void {
  if (input.lossFrom !== undefined && input.lossFrom > input.discoveredOn)
    throw ruleViolation('loss-after-discovery', 'The loss cannot have started after it was discovered.');
  if (
    input.lossTo !== undefined &&
    (input.lossTo > input.discoveredOn || (input.lossFrom ?? input.lossTo) > input.lossTo)
  )
    throw ruleViolation(
      'loss-dates',
      'The last day of the loss falls between its first day and the discovery.',
    );
  if (input.policeNotified && !input.policeDepartment)
    throw ruleViolation('police-department', 'Name the police department the theft was reported to.');
  if (input.lossType === 'loss-in-transit' && input.inTransit === undefined)
    throw ruleViolation(
      'in-transit',
      'A loss in transit names the carrier and the consignee (Form 106 block 14).',
    );
  const seen = new Set<string>();
  for (const line of input.lines) {
    const key = `${line.ndc}|${line.lot ?? ''}`;
    if (seen.has(key))
      throw ruleViolation('duplicate-line', `${line.ndc} appears twice; give each NDC and lot one line.`);
    seen.add(key);
  }
}
