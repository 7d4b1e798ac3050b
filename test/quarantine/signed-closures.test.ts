import { describe, expect, it } from 'vitest';
import type { ClosureSignature } from '../../src/core/api/procedures/quarantine';
import { events as ev } from '../support/synthetic';
import { doc, item, MFG, PHARMACY, t, WHOLESALER } from '../ingest/world';
import { entriesOf, importThrough, PASSWORDS, signIn, staffedCore, value } from './helpers';

const HEX64 = /^[0-9a-f]{64}$/;

/** A shipment without its transaction statement: quarantined on import. */
const noStatement = doc(
  [
    ev.commission([item(5)], { time: t(0), location: MFG, lot: 'L1' }),
    ev.ship([item(5)], { time: t(5), seller: WHOLESALER, buyer: PHARMACY, shipTo: PHARMACY, po: 'PO-5' }),
  ],
  { statement: false },
);

describe('closing a quarantine item is an electronic signature', () => {
  it('refuses a wrong password (recorded, counted toward lockout), then signs with the right one', async () => {
    const { core, ids } = await staffedCore();
    try {
      const tess = await signIn(core, 'tess-window', 'tess');
      const imported = await importThrough(tess, [{ name: 'no-ts.xml', text: noStatement }]);
      const id = imported.results[0]!.quarantineId!;
      expect(id).toBeGreaterThan(0);

      const wrong = await tess('quarantine.close', {
        id,
        reason: 'test data sent by mistake',
        password: 'not my password at all',
      });
      expect(wrong).toMatchObject({
        ok: false,
        error: { code: 'forbidden', details: { rule: 'electronic-signature' } },
      });
      expect(await value(tess('quarantine.show', { id }))).toMatchObject({
        status: 'open',
        resolution: null,
      });
      const refused = await entriesOf(tess, ['auth.refused']);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({
        actor: ids.tess,
        payload: {
          procedure: 'quarantine.close',
          reason: 'wrong-password',
          rule: 'electronic-signature',
          subject: { quarantineItem: id },
          lockout: { userId: ids.tess, failures: 1 },
        },
      });
      expect(JSON.stringify(refused)).not.toContain('not my password');

      const closed = await value<{ status: string; resolution: Record<string, unknown> }>(
        tess('quarantine.close', { id, reason: 'test data sent by mistake', password: PASSWORDS.tess }),
      );
      expect(closed.status).toBe('closed');
      const signature = closed.resolution.signature as ClosureSignature;
      expect(signature).toMatchObject({
        userId: ids.tess,
        printedName: 'Tess Technician',
        meaning: 'closed quarantine item: test data sent by mistake',
      });
      expect(signature.subjectHash).toMatch(HEX64);
      expect(Date.parse(signature.signedAt)).toBeGreaterThan(Date.now() - 60_000);
      const [entry] = await entriesOf(tess, ['quarantine.closed']);
      expect(entry).toMatchObject({ actor: ids.tess, payload: { item: id, signature } });
      expect(JSON.stringify(entry)).not.toContain(PASSWORDS.tess);

      // Closed once: a second signature is refused.
      expect(
        await tess('quarantine.close', { id, reason: 'closing it twice', password: PASSWORDS.tess }),
      ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    } finally {
      await core.close();
    }
  });

  it('the lockout rules of sign-in apply: after five wrong passwords even the right one is refused', async () => {
    const { core } = await staffedCore();
    try {
      const tess = await signIn(core, 'tess-window', 'tess');
      const { results } = await importThrough(tess, [{ name: 'no-ts.xml', text: noStatement }]);
      const id = results[0]!.quarantineId!;
      for (let i = 0; i < 5; i++) {
        await tess('quarantine.close', { id, reason: 'sent by mistake', password: `wrong ${i}` });
      }
      const locked = await tess('quarantine.close', {
        id,
        reason: 'sent by mistake',
        password: PASSWORDS.tess,
      });
      expect(locked).toMatchObject({ ok: false });
      expect(JSON.stringify(locked)).toMatch(/locked/i);
      expect(await value(tess('quarantine.show', { id }))).toMatchObject({ status: 'open' });
      expect(await entriesOf(tess, ['auth.account-locked'])).toHaveLength(1);
    } finally {
      await core.close();
    }
  });

  it('an auditor cannot close (no import.write), whatever the password', async () => {
    const { core } = await staffedCore();
    try {
      const tess = await signIn(core, 'tess-window', 'tess');
      const { results } = await importThrough(tess, [{ name: 'no-ts.xml', text: noStatement }]);
      const ava = await signIn(core, 'ava-window', 'ava');
      expect(
        await ava('quarantine.close', {
          id: results[0]!.quarantineId!,
          reason: 'sent by mistake',
          password: PASSWORDS.ava,
        }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      await core.close();
    }
  });
});
