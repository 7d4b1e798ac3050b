import { describe, expect, it } from 'vitest';
import { drugGtin } from '../support/synthetic';
import { entriesOf, PASSWORDS, signIn, staffedCore, value } from '../quarantine/helpers';

const GTIN = drugGtin('0002123456');

describe('investigation findings through the router', () => {
  it('a technician records findings the pharmacist reads and signs over; only the pharmacist closes', async () => {
    const { core, ids } = await staffedCore();
    try {
      const tess = await signIn(core, 'tess-window', 'tess');
      const phil = await signIn(core, 'phil-window', 'phil');
      const opened = await value<{ id: number; findings: unknown[] }>(
        tess('receiving.openInvestigation', {
          gtin: GTIN,
          lot: 'EP2605',
          reason: 'label print looks faded next to stock on the shelf',
        }),
      );
      expect(opened.findings).toEqual([]);

      // Nothing written down is refused, and changes nothing.
      expect(await tess('receiving.recordFindings', { id: opened.id })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
      const findings = {
        id: opened.id,
        checked: ['carton seal intact', 'lot and expiry on the carton match the ASN'],
        photos: ['front of the carton: label print faded, NDC legible'],
        verifications: [{ asked: 'Big Wholesaler', answer: 'lot EP2605 shipped by us on 2 March' }],
        notes: 'Manufacturer VRS request sent; no answer yet.',
      };
      const afterTess = await value<{ findings: Record<string, unknown>[] }>(
        tess('receiving.recordFindings', findings),
      );
      expect(afterTess.findings).toEqual([
        expect.objectContaining({
          recordedBy: ids.tess,
          recordedByName: 'Tess Technician',
          checked: findings.checked,
          photos: findings.photos,
          verifications: findings.verifications,
          notes: findings.notes,
        }),
      ]);
      // Kept as a ledger entry under Tess's name.
      const [entry] = await entriesOf(phil, ['investigation.findings-recorded']);
      expect(entry).toMatchObject({
        actor: ids.tess,
        payload: { investigation: opened.id, checked: findings.checked, notes: findings.notes },
      });
      // The pharmacist sees them on the investigation and in the list.
      const seen = await value<{ findings: { seq: number }[] }>(
        phil('receiving.investigation', { id: opened.id }),
      );
      expect(seen.findings.map((f) => f.seq)).toEqual([entry!.seq]);
      const list = await value<{ investigations: { id: number; findings: unknown[] }[] }>(
        phil('receiving.investigations', {}),
      );
      expect(list.investigations.find((i) => i.id === opened.id)!.findings).toHaveLength(1);

      // A technician still cannot close it, even with her own right password; the refusal is recorded.
      const outcome = {
        id: opened.id,
        outcome: 'cleared',
        description: 'wholesaler confirmed the lot; label fading is print variation',
      };
      expect(
        await tess('receiving.closeInvestigation', { ...outcome, password: PASSWORDS.tess }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect((await entriesOf(phil, ['access.refused'])).at(-1)).toMatchObject({
        actor: ids.tess,
        payload: { procedure: 'receiving.closeInvestigation' },
      });

      // A wrong password, a missing investigation: refused, recorded as receiving.refused, nothing closes.
      expect(
        await phil('receiving.closeInvestigation', { ...outcome, password: 'not the right one' }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden', details: { rule: 'electronic-signature' } } });
      expect((await entriesOf(phil, ['receiving.refused'])).at(-1)).toMatchObject({
        actor: ids.phil,
        payload: {
          procedure: 'receiving.closeInvestigation',
          reason: 'wrong-password',
          subject: { investigation: opened.id },
          // It counts toward lockout, as at sign-in.
          lockout: expect.objectContaining({ userId: ids.phil, failures: 1 }),
        },
      });
      expect(
        await phil('receiving.closeInvestigation', { ...outcome, id: 999, password: PASSWORDS.phil }),
      ).toMatchObject({ ok: false, error: { code: 'not-found' } });
      expect((await entriesOf(phil, ['receiving.refused'])).at(-1)).toMatchObject({
        actor: ids.phil,
        payload: {
          procedure: 'receiving.closeInvestigation',
          code: 'not-found',
          subject: { investigation: 999 },
        },
      });

      // The pharmacist's close shows the findings it was decided on.
      const closed = await value<{
        status: string;
        findings: { seq: number }[];
        outcome: { signature: unknown };
      }>(phil('receiving.closeInvestigation', { ...outcome, password: PASSWORDS.phil }));
      expect(closed.status).toBe('cleared');
      expect(closed.findings.map((f) => f.seq)).toEqual([entry!.seq]);
      expect(closed.outcome.signature).toMatchObject({ printedName: 'Phil Pharmacist' });

      // Closed once: a second close is refused and recorded.
      expect(
        await phil('receiving.closeInvestigation', { ...outcome, password: PASSWORDS.phil }),
      ).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect((await entriesOf(phil, ['receiving.refused'])).at(-1)).toMatchObject({
        actor: ids.phil,
        payload: { procedure: 'receiving.closeInvestigation', code: 'conflict' },
      });

      // Closed: findings come too late, and the refusal is a receiving.refused entry.
      expect(await tess('receiving.recordFindings', { ...findings, notes: 'late' })).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
      expect((await entriesOf(phil, ['receiving.refused'])).at(-1)).toMatchObject({
        actor: ids.tess,
        payload: {
          procedure: 'receiving.recordFindings',
          code: 'conflict',
          subject: { investigation: opened.id },
        },
      });
      expect(
        (await value<{ findings: unknown[] }>(phil('receiving.investigation', { id: opened.id }))).findings,
      ).toHaveLength(1);
      // The findings table is rebuilt from the ledger alone, row for row (and the lockout the wrong password counted).
      const cora = await signIn(core, 'cora-window', 'cora');
      expect(await value(cora('inventory.verifyProjections'))).toMatchObject({ ok: true, differences: [] });
    } finally {
      await core.close();
    }
  });
});
