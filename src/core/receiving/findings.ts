import type { Database } from 'better-sqlite3-multiple-ciphers';
import { canonicalize } from '../ledger/jcs';
import type { Entry, Workspace } from '../ledger/workspace';
import { ReceivingError } from './service';

/** The ledger entry a technician's findings are kept as (projected into investigation_findings). */
export const FINDINGS_ENTRY = 'investigation.findings-recorded';

/** An answer to a verification request (FD&C Act §582(d)(4)(A)(ii): the dispenser asks the manufacturer or seller). */
export interface VerificationAnswer {
  readonly asked: string;
  readonly answer: string;
  readonly receivedMs?: number;
}

export interface FindingsInput {
  readonly checked: string[];
  readonly photos: string[];
  readonly verifications: VerificationAnswer[];
  readonly notes?: string;
}

/** One set of findings as the pharmacist who decides reads it: who recorded it, when, and what. */
export interface FindingsView extends FindingsInput {
  readonly seq: number;
  readonly recordedBy: string;
  readonly recordedByName: string;
  readonly recordedMs: number;
  readonly notes?: string;
}

/**
 * Records what a person found while investigating a suspect product (FD&C Act §582(d)(4)(A)): what
 * was checked, the photographs taken (described in words), the verification answers received and
 * notes, as one ledger entry under their name and time, for the pharmacist or compliance officer who
 * decides the outcome. Only while the investigation is open; a refusal (none, already closed) is
 * recorded as a receiving.refused entry.
 */
export async function recordFindings(
  ctx: Workspace,
  id: number,
  input: FindingsInput,
  actor: string,
): Promise<number> {
  const notes = input.notes?.trim() ?? '';
  if (input.checked.length + input.photos.length + input.verifications.length === 0 && notes === '')
    throw new ReceivingError(
      'invalid',
      'Write down at least one finding: what you checked, a photo taken, a verification answer or a note.',
    );
  return ctx.guarded(
    {
      area: 'receiving',
      procedure: 'receiving.recordFindings',
      actor,
      subject: { investigation: id },
    },
    (tx) => {
      const status = tx.db.prepare('SELECT status FROM investigations WHERE id = ?').pluck().get(id) as
        string | undefined;
      if (status === undefined) throw new ReceivingError('not-found', `There is no investigation ${id}.`);
      if (status !== 'open')
        throw new ReceivingError(
          'conflict',
          `Investigation ${id} is already closed (${status}); findings are recorded while it is open.`,
        );
      return tx.record(FINDINGS_ENTRY, actor, {
        investigation: id,
        checked: input.checked,
        photos: input.photos,
        verifications: input.verifications,
        ...(notes !== '' ? { notes } : {}),
      }).seq;
    },
  );
}

/** Projects findings entries (one row each, never changed). */
export function projectFindings(db: Database, entry: Entry): void {
  if (entry.type !== FINDINGS_ENTRY) return;
  const p = entry.payload as unknown as { investigation: number } & FindingsInput;
  db.prepare(
    `INSERT INTO investigation_findings (seq, investigation_id, recorded_by, recorded_ms, checked, photos, verifications, notes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    entry.seq,
    p.investigation,
    entry.actor,
    entry.time,
    // Canonical JSON (RFC 8785): the live write and a replay from the ledger store the same bytes.
    canonicalize(p.checked),
    canonicalize(p.photos),
    canonicalize(p.verifications),
    p.notes ?? null,
  );
}

/** An investigation's findings, oldest first, with the recorder's name (not their id). */
export function findingsOf(db: Database, investigation: number): FindingsView[] {
  const rows = db
    .prepare(
      `SELECT f.*, u.display_name FROM investigation_findings f LEFT JOIN users u ON u.user_id = f.recorded_by
       WHERE f.investigation_id = ? ORDER BY f.seq`,
    )
    .all(investigation) as {
    seq: number;
    recorded_by: string;
    display_name: string | null;
    recorded_ms: number;
    checked: string;
    photos: string;
    verifications: string;
    notes: string | null;
  }[];
  return rows.map((r) => ({
    seq: r.seq,
    recordedBy: r.recorded_by,
    recordedByName: r.display_name ?? r.recorded_by,
    recordedMs: r.recorded_ms,
    checked: JSON.parse(r.checked) as string[],
    photos: JSON.parse(r.photos) as string[],
    verifications: JSON.parse(r.verifications) as VerificationAnswer[],
    ...(r.notes !== null ? { notes: r.notes } : {}),
  }));
}
