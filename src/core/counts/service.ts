import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import { ApiError } from '../api/errors';
import type { Principal } from '../api/principal';
import type { countsProcedures } from '../api/procedures/counts';
import { type AuthService, signature, subjectHash, type UserRecord } from '../auth';
import type { Attempt } from '../ledger/workspace';
import { balanceMilli, fromMilli, toMilli, ruleViolation, signaturesOf } from '../inventory';
import { requireProduct } from '../products';
import { readRegistrant, readSettings } from '../registrant/registrant';
import { checkInventoryLine } from './inventory-rules';
import { nextDue } from './next-due';
import { COUNT_ENTRY, type CountPayload } from './projection';
import { percentToBp, reconcile } from './reconciliation';

type Out<K extends keyof typeof countsProcedures> = z.input<(typeof countsProcedures)[K]['output']>;
type In<K extends keyof typeof countsProcedures> = z.output<(typeof countsProcedures)[K]['input']>;
type CountView = Out<'counts.record'>;
type DiscrepancyView = Out<'counts.explain'>;

/** Counts against the perpetual balance, discrepancies worked to closure, and sealed inventories. */
export class CountService {
  constructor(private readonly auth: AuthService) {}

  async record(principal: Principal, input: In<'counts.record'>): Promise<CountView> {
    const id = crypto.randomUUID();
    const attempt = { area: 'counts', procedure: 'counts.record', subject: { countId: id, ndc: input.ndc } };
    return this.auth.signedWrite(principal, input.password, attempt, (tx, signer) => {
      const product = requireProduct(tx.db, input.ndc);
      if (product.schedule === null)
        throw ruleViolation(
          'not-controlled',
          `${product.ndc} is not a controlled substance; it is not counted here.`,
        );
      const thresholdBp = percentToBp(readSettings(tx.db).varianceThresholdPercent[product.schedule]);
      const rec = reconcile(balanceMilli(tx.db, product.ndc), toMilli(input.counted), thresholdBp);
      const count: CountPayload = {
        id,
        ndc: product.ndc,
        kind: input.kind,
        countedMilli: rec.countedMilli,
        expectedMilli: rec.expectedMilli,
        thresholdBp,
        countedBy: signer.userId,
        note: input.note ?? null,
      };
      const discrepancy = rec.beyondThreshold
        ? { id: crypto.randomUUID(), schedule: product.schedule, varianceMilli: rec.varianceMilli }
        : null;
      const hash = subjectHash({
        type: 'custodia.count/v1',
        ...count,
        countedAt: new Date(tx.time).toISOString(),
      });
      tx.record(COUNT_ENTRY.recorded, signer.userId, {
        count,
        discrepancy,
        signature: signature(signer, 'counted', hash, tx.time),
      });
      return countView(tx.db, id)!;
    });
  }

  async explain(principal: Principal, input: In<'counts.explain'>): Promise<DiscrepancyView> {
    return this.onDiscrepancy(
      principal,
      'counts.explain',
      input.discrepancyId,
      input.password,
      (db, d, signer, time) => {
        if (d.status !== 'open')
          throw new ApiError('conflict', `Discrepancy ${d.id} is ${d.status}, not open.`, {
            rule: 'discrepancy-state',
          });
        const hash = subjectHash({
          type: 'custodia.discrepancy-explanation/v1',
          discrepancyId: d.id,
          explanation: input.explanation,
        });
        return [
          COUNT_ENTRY.explained,
          {
            discrepancyId: d.id,
            explanation: input.explanation,
            signature: signature(signer, 'explained', hash, time),
          },
        ];
      },
    );
  }

  async signOff(principal: Principal, input: In<'counts.signOff'>): Promise<DiscrepancyView> {
    return this.onDiscrepancy(
      principal,
      'counts.signOff',
      input.discrepancyId,
      input.password,
      (db, d, signer, time) => {
        if (d.status !== 'explained') {
          throw new ApiError(
            'conflict',
            `Discrepancy ${d.id} is ${d.status}; it must be explained before it is signed off.`,
            { rule: 'discrepancy-state' },
          );
        }
        if (d.explained_by === signer.userId) {
          throw new ApiError(
            'forbidden',
            'You explained this discrepancy; a second person must sign it off.',
            { rule: 'dual-control' },
          );
        }
        const hash = subjectHash({
          type: 'custodia.discrepancy-signoff/v1',
          discrepancyId: d.id,
          explanation: d.explanation,
          varianceMilli: d.variance_milli,
        });
        return [
          COUNT_ENTRY.signedOff,
          { discrepancyId: d.id, signature: signature(signer, 'signed-off', hash, time) },
        ];
      },
    );
  }

  async escalate(principal: Principal, input: In<'counts.escalate'>): Promise<DiscrepancyView> {
    return this.onDiscrepancy(
      principal,
      'counts.escalate',
      input.discrepancyId,
      input.password,
      (db, d, signer, time) => {
        if (d.status === 'closed' || d.status === 'escalated') {
          throw new ApiError('conflict', `Discrepancy ${d.id} is already ${d.status}.`, {
            rule: 'discrepancy-state',
          });
        }
        if (d.variance_milli >= 0) {
          throw ruleViolation(
            'no-loss-to-report',
            'This count found more than the books, not a loss; there is nothing to report on a Form 106.',
          );
        }
        const product = requireProduct(db, d.ndc);
        const incident = {
          lossType: input.lossType,
          discoveredOn: input.discoveredOn,
          policeNotified: input.policeNotified,
          policeDepartment: input.policeDepartment ?? null,
          description: input.description,
        };
        const line = {
          ndc: product.ndc,
          name: product.name,
          strength: product.strength,
          dosageForm: product.dosageForm,
          packageSize: product.packageSize,
          unit: product.unit,
          quantityLost: fromMilli(-d.variance_milli),
        };
        const hash = subjectHash({
          type: 'custodia.form106-escalation/v1',
          discrepancyId: d.id,
          incident,
          line,
        });
        return [
          COUNT_ENTRY.escalated,
          { discrepancyId: d.id, incident, line, signature: signature(signer, 'escalated', hash, time) },
        ];
      },
    );
  }

  private async onDiscrepancy(
    principal: Principal,
    procedure: string,
    discrepancyId: string,
    password: string,
    decide: (
      db: Database,
      d: DiscrepancyRow,
      signer: { userId: string; displayName: string },
      time: number,
    ) => [string, Record<string, unknown>],
  ): Promise<DiscrepancyView> {
    const attempt = { area: 'counts', procedure, subject: { discrepancyId } };
    return this.auth.signedWrite(principal, password, attempt, (tx, signer) => {
      const d = discrepancyRow(tx.db, discrepancyId);
      if (d === undefined) throw new ApiError('not-found', `There is no discrepancy ${discrepancyId}.`);
      const [type, payload] = decide(tx.db, d, signer, tx.time);
      tx.record(type, signer.userId, payload);
      return discrepancyView(tx.db, discrepancyRow(tx.db, discrepancyId)!);
    });
  }

  async seal(principal: Principal, input: In<'counts.sealInventory'>): Promise<Out<'counts.sealInventory'>> {
    const id = crypto.randomUUID();
    const ws = await this.auth.workspace();
    const attempt: Attempt = {
      area: 'counts',
      procedure: 'counts.sealInventory',
      actor: principal.userId,
      subject: { inventoryId: id, kind: input.kind },
    };
    const signer = await this.auth.authenticateSigner(
      ws,
      { userId: principal.userId },
      input.password,
      attempt,
    );
    // Each person who counted signs the inventory with their own password; the person sealing it
    // may be one of them (their sealing password stands for both).
    const counters: UserRecord[] = [];
    for (const c of input.countedBy) {
      if (c.password === undefined) {
        if (c.username.trim() !== signer.username) {
          await ws.refuse(
            attempt,
            ruleViolation(
              'counter-signature',
              `${c.username} counted but did not sign: each person who counted enters their own password.`,
            ),
          );
        }
        counters.push(signer);
      } else {
        counters.push(await this.auth.authenticateSigner(ws, { username: c.username }, c.password, attempt));
      }
    }
    return ws.guarded(attempt, (tx) => {
      if (
        input.kind === 'initial' &&
        tx.db.prepare("SELECT 1 FROM sealed_inventories WHERE kind = 'initial'").get()
      ) {
        throw new ApiError(
          'conflict',
          'The initial inventory was already taken; take a biennial inventory instead.',
          { rule: 'initial-exists' },
        );
      }
      if (new Set(counters.map((c) => c.userId)).size !== counters.length)
        throw ruleViolation('counted-by', 'A person is named twice among those who counted.');
      const countedBy = counters.map((c) => c.displayName);
      const seen = new Set<string>();
      const problems: { ndc: string; rule: string; message: string }[] = [];
      const lines = input.lines.map((line) => {
        const product = requireProduct(tx.db, line.ndc);
        if (product.schedule === null)
          throw ruleViolation('not-controlled', `${product.ndc} is not a controlled substance.`);
        if (seen.has(product.ndc))
          throw ruleViolation('duplicate-line', `${product.ndc} appears twice; count each NDC on one line.`);
        seen.add(product.ndc);
        const check = checkInventoryLine({
          schedule: product.schedule,
          unitsPerContainer: product.packageSize,
          unit: product.unit,
          fullContainers: line.fullContainers,
          opened: line.opened,
        });
        for (const problem of check.problems) problems.push({ ndc: product.ndc, ...problem });
        return {
          ndc: product.ndc,
          name: product.name,
          strength: product.strength,
          dosageForm: product.dosageForm,
          schedule: product.schedule,
          unit: product.unit,
          unitsPerContainer: product.packageSize,
          fullContainers: line.fullContainers,
          opened: line.opened,
          total: check.total ?? 0,
          expected: fromMilli(balanceMilli(tx.db, product.ndc)),
          ...(line.note ? { note: line.note } : {}),
        };
      });
      if (problems.length > 0) {
        throw ruleViolation(
          'inventory-count-rules',
          `The inventory breaks ${problems.length} counting rule(s): ${problems.map((p) => `${p.ndc}: ${p.message}`).join('; ')}.`,
          {
            problems,
          },
        );
      }
      // 21 CFR 1304.11(a): a complete and accurate record of all stocks on hand. Every NDC the
      // perpetual inventory holds must be on a line (counted as zero if none was found).
      const missing = (
        tx.db
          .prepare(
            `SELECT p.ndc, p.name, p.strength FROM inv_balances b JOIN products p ON p.ndc = b.ndc
              WHERE b.qty_milli > 0 ORDER BY p.schedule, p.name, p.ndc`,
          )
          .all() as { ndc: string; name: string; strength: string }[]
      ).filter((p) => !seen.has(p.ndc));
      if (missing.length > 0) {
        throw ruleViolation(
          'inventory-incomplete',
          `The inventory leaves out ${missing.length} product(s) the books hold: ` +
            `${missing
              .slice(0, 10)
              .map((p) => `${p.name} ${p.strength} (${p.ndc})`)
              .join(', ')}${missing.length > 10 ? ' …' : ''}. Count each one, as zero if none is found.`,
          { missing: missing.map((p) => p.ndc) },
        );
      }
      const inventory = {
        id,
        kind: input.kind,
        date: input.date,
        timing: input.timing,
        time: input.time,
        countedBy,
        registrant: readRegistrant(tx.db),
        lines,
      };
      const hash = subjectHash({ type: 'custodia.inventory/v1', ...inventory });
      const entry = tx.record(COUNT_ENTRY.sealed, signer.userId, {
        inventory,
        signature: signature(signer, 'sealed', hash, tx.time),
        counterSignatures: counters.map((c) => signature(c, 'counted', hash, tx.time)),
      });
      return sealedView(tx.db, id, entry.seq)!;
    });
  }

  async list(ndc?: string) {
    const ws = await this.auth.workspace();
    const rows = (
      ndc
        ? ws.db
            .prepare('SELECT id FROM counts WHERE ndc = ? ORDER BY seq DESC')
            .all(requireProduct(ws.db, ndc).ndc)
        : ws.db.prepare('SELECT id FROM counts ORDER BY seq DESC LIMIT 1000').all()
    ) as { id: string }[];
    return rows.map((r) => countView(ws.db, r.id)!);
  }

  async discrepancies(status?: string) {
    const ws = await this.auth.workspace();
    const rows = (
      status
        ? ws.db.prepare('SELECT * FROM discrepancies WHERE status = ? ORDER BY rowid DESC').all(status)
        : ws.db.prepare('SELECT * FROM discrepancies ORDER BY rowid DESC').all()
    ) as DiscrepancyRow[];
    return rows.map((r) => discrepancyView(ws.db, r));
  }

  async drafts() {
    const ws = await this.auth.workspace();
    return (
      ws.db.prepare('SELECT record FROM form106_drafts ORDER BY seq DESC').all() as { record: string }[]
    ).map((r) => JSON.parse(r.record) as Out<'counts.form106Drafts'>['drafts'][number]);
  }

  async inventories() {
    const ws = await this.auth.workspace();
    const rows = ws.db
      .prepare('SELECT id, seq FROM sealed_inventories ORDER BY date DESC, seq DESC')
      .all() as { id: string; seq: number }[];
    return rows.map((r) => sealedView(ws.db, r.id, r.seq)!);
  }

  async nextDue() {
    const ws = await this.auth.workspace();
    const last = ws.db
      .prepare('SELECT kind, date FROM sealed_inventories ORDER BY date DESC, seq DESC LIMIT 1')
      .get() as { kind: 'initial' | 'biennial'; date: string } | undefined;
    return nextDue(last ?? null, new Date(ws.now()).toISOString().slice(0, 10));
  }
}

interface DiscrepancyRow {
  id: string;
  count_id: string;
  ndc: string;
  schedule: DiscrepancyView['schedule'];
  variance_milli: number;
  status: DiscrepancyView['status'];
  explanation: string | null;
  explained_by: string | null;
  form106_id: string | null;
}

function discrepancyRow(db: Database, id: string): DiscrepancyRow | undefined {
  return db.prepare('SELECT * FROM discrepancies WHERE id = ?').get(id) as DiscrepancyRow | undefined;
}

function discrepancyView(db: Database, d: DiscrepancyRow): DiscrepancyView {
  return {
    id: d.id,
    countId: d.count_id,
    ndc: d.ndc,
    schedule: d.schedule,
    variance: fromMilli(d.variance_milli),
    status: d.status,
    explanation: d.explanation,
    signatures: signaturesOf(db, d.id),
    form106DraftId: d.form106_id,
  };
}

/** The latest count of a product, or null when it was never counted. */
export function lastCount(db: Database, ndc: string): CountView | null {
  const id = db.prepare('SELECT id FROM counts WHERE ndc = ? ORDER BY seq DESC LIMIT 1').pluck().get(ndc) as
    string | undefined;
  return id === undefined ? null : countView(db, id);
}

export function countView(db: Database, id: string): CountView | null {
  const row = db.prepare('SELECT * FROM counts WHERE id = ?').get(id) as
    | {
        id: string;
        ndc: string;
        kind: 'cycle' | 'physical';
        counted_milli: number;
        expected_milli: number;
        threshold_bp: number;
        counted_ms: number;
        counted_by: string;
        discrepancy_id: string | null;
      }
    | undefined;
  if (row === undefined) return null;
  const rec = reconcile(row.expected_milli, row.counted_milli, row.threshold_bp);
  return {
    id: row.id,
    ndc: row.ndc,
    kind: row.kind,
    counted: fromMilli(row.counted_milli),
    expected: fromMilli(row.expected_milli),
    variance: fromMilli(rec.varianceMilli),
    variancePercent: rec.variancePercent,
    thresholdPercent: row.threshold_bp / 100,
    countedAt: new Date(row.counted_ms).toISOString(),
    countedBy: row.counted_by,
    discrepancyId: row.discrepancy_id,
  };
}

function sealedView(db: Database, id: string, seq: number): Out<'counts.sealInventory'> | null {
  const row = db.prepare('SELECT record FROM sealed_inventories WHERE id = ?').get(id) as
    { record: string } | undefined;
  if (row === undefined) return null;
  const r = JSON.parse(row.record) as Out<'counts.sealInventory'> & { registrant?: unknown };
  const { registrant: _registrant, ...rest } = r;
  return { ...rest, ledgerSeq: seq };
}
