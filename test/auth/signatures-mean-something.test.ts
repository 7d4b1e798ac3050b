import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import {
  PASSWORDS,
  SUPPLIER,
  caller,
  entriesOf,
  makeCore,
  signIn,
  staffPharmacy,
  tempDir,
  testClock,
  value,
} from '../inventory/helpers';

/**
 * Issue 18, signatures mean something (21 CFR 11.10(d), 11.300): a password an administrator reset
 * signs nothing until its owner changes it; a role a person gave themselves signs nothing alone for
 * 24 hours; a new password cannot be the current one. Each refusal is recorded.
 */
let dir: string;
let core: Core;
let ids: Awaited<ReturnType<typeof staffPharmacy>>;
const clock = testClock();

beforeAll(async () => {
  dir = tempDir('custodia-signatures-');
  core = makeCore(dir, clock);
  ids = await staffPharmacy(core);
}, 60_000);
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Tx {
  id: string;
  status: string;
  subjectHash: string;
  signatures: { userId: string; meaning: string }[];
}
/** When the administrator reset Paula's password (the first test), for the history's check. */
let paulaResetAt = '';

/** A Schedule II receipt Tess records, waiting for a second person. */
async function pendingReceipt(lot: string): Promise<Tx> {
  const tess = await signIn(core, `tess-${lot}`, 'tess');
  return value<Tx>(
    tess('inventory.record', {
      transaction: {
        kind: 'receipt',
        ndc: '16590-598-60',
        lot,
        quantity: 60,
        containers: 1,
        date: '2026-03-01',
        supplier: SUPPLIER,
        order: { kind: 'csos', number: '26X000123', line: 1 },
      },
      password: PASSWORDS.tess,
    }),
  );
}

describe('signatures mean something (issue 18)', () => {
  it('a password an administrator reset signs nothing until its owner changes it', async () => {
    const admin = await signIn(core, 'admin-reset', 'admin');
    const known = 'admin knows this one now 42';
    paulaResetAt = new Date(clock.now()).toISOString();
    await value(admin('users.resetPassword', { userId: ids.paula, newPassword: known }));
    const paula = caller(core, 'paula-after-reset');
    await value(paula('auth.signIn', { username: 'paula', password: known }));
    const receipt = await pendingReceipt('RESET1');
    const refused = await paula('approvals.approve', {
      transactionId: receipt.id,
      subjectHash: receipt.subjectHash,
      password: known,
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', details: { rule: 'password-must-change' } },
    });
    if (!refused.ok) expect(refused.error.message).toContain('must change it');
    const recorded = await entriesOf(admin, ['approvals.refused']);
    expect(recorded.at(-1)?.payload).toMatchObject({ rule: 'password-must-change' });

    // The same password again is no change.
    const same = await paula('auth.changePassword', { currentPassword: known, newPassword: known });
    expect(same).toMatchObject({ ok: false, error: { details: { rule: 'password-reuse' } } });
    await value(paula('auth.changePassword', { currentPassword: known, newPassword: PASSWORDS.paula }));
    const approved = await value<Tx>(
      paula('approvals.approve', {
        transactionId: receipt.id,
        subjectHash: receipt.subjectHash,
        password: PASSWORDS.paula,
      }),
    );
    expect(approved.status).toBe('posted');
  });

  it('a role a person gave themselves does not approve alone for 24 hours', async () => {
    const admin = await signIn(core, 'admin-self', 'admin');
    await value(admin('users.update', { userId: ids.admin, roles: ['administrator', 'pharmacist'] }));
    // Signed in again, so the session carries the new role and the router lets the call through.
    await value(admin('auth.signIn', { username: 'admin', password: PASSWORDS.admin }));
    const receipt = await pendingReceipt('SELF1');
    const refused = await admin('approvals.approve', {
      transactionId: receipt.id,
      subjectHash: receipt.subjectHash,
      password: PASSWORDS.admin,
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', details: { rule: 'self-granted-role' } },
    });
    const recorded = await entriesOf(admin, ['approvals.refused']);
    expect(recorded.at(-1)?.payload).toMatchObject({ rule: 'self-granted-role' });

    // 24 hours later it may.
    clock.advance(24 * 60 * 60 * 1000 + 1);
    await value(admin('auth.signIn', { username: 'admin', password: PASSWORDS.admin }));
    const later = await value<Tx>(
      admin('approvals.approve', {
        transactionId: receipt.id,
        subjectHash: receipt.subjectHash,
        password: PASSWORDS.admin,
      }),
    );
    expect(later.status).toBe('posted');
  });

  it('the approvals history names who reset a signer’s password, when, and whether they changed it since', async () => {
    const ava = await signIn(core, 'ava-history', 'ava');
    const history = await value<{
      decided: Tx[];
      passwordResets: Record<string, unknown>[];
    }>(ava('approvals.history'));
    // Both receipts above, newest first: the administrator's (after 24 hours), then Paula's.
    expect(history.decided.map((tx) => tx.status)).toEqual(['posted', 'posted']);
    expect(history.decided.map((tx) => tx.signatures.map((sig) => [sig.userId, sig.meaning]))).toEqual([
      [
        [ids.tess, 'initiated'],
        [ids.admin, 'approved'],
      ],
      [
        [ids.tess, 'initiated'],
        [ids.paula, 'approved'],
      ],
    ]);
    // Only Paula's password was ever set by someone else; Tess's and the administrator's are the
    // first ones, set with their accounts.
    expect(history.passwordResets).toEqual([
      {
        userId: ids.paula,
        resetAt: paulaResetAt,
        resetBy: ids.admin,
        resetByName: 'Ada Admin',
        changedSince: true,
      },
    ]);
    const nobody = await caller(core, 'nobody-history')('approvals.history');
    expect(nobody).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
