import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import {
  PASSWORDS,
  SUPPLIER,
  caller,
  makeCore,
  signIn,
  staffPharmacy,
  tempDir,
  testClock,
  value,
} from '../inventory/helpers';

/**
 * Issue 18: the approvals history shows, beside each signer, when someone else last reset their
 * password and who (21 CFR 11.300): the auditor sees whether another person could have known it.
 */
let dir: string;
let core: Core;
let ids: Awaited<ReturnType<typeof staffPharmacy>>;
const clock = testClock();

beforeAll(async () => {
  dir = tempDir('custodia-approvals-history-');
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
interface History {
  decided: Tx[];
  passwordResets: {
    userId: string;
    resetAt: string;
    resetBy: string;
    resetByName: string;
    changedSince: boolean;
  }[];
}

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

describe('approvals history (issue 18)', () => {
  it('names who reset a signer’s password and when, and whether the signer changed it since', async () => {
    const ava = await signIn(core, 'ava-history', 'ava');
    expect(await value<History>(ava('approvals.history'))).toEqual({ decided: [], passwordResets: [] });

    // Phil approves with the password he was given with his account: no reset to show.
    const first = await pendingReceipt('HIST1');
    const phil = await signIn(core, 'phil-history', 'phil');
    await value(
      phil('approvals.approve', {
        transactionId: first.id,
        subjectHash: first.subjectHash,
        password: PASSWORDS.phil,
      }),
    );

    // An administrator resets Paula's password; she must change it, then rejects one.
    const admin = await signIn(core, 'admin-history', 'admin');
    const resetAtMs = clock.now();
    const known = 'the administrator knows this 77';
    await value(admin('users.resetPassword', { userId: ids.paula, newPassword: known }));
    const paula = caller(core, 'paula-history');
    await value(paula('auth.signIn', { username: 'paula', password: known }));
    const before = await value<History>(ava('approvals.history'));
    expect(before.passwordResets).toEqual([]); // Paula has signed nothing yet.
    await value(paula('auth.changePassword', { currentPassword: known, newPassword: PASSWORDS.paula }));
    const second = await pendingReceipt('HIST2');
    await value(
      paula('approvals.reject', {
        transactionId: second.id,
        subjectHash: second.subjectHash,
        password: PASSWORDS.paula,
        reason: 'Wrong lot on the invoice',
      }),
    );

    const history = await value<History>(ava('approvals.history'));
    expect(history.decided.map((tx) => [tx.id, tx.status])).toEqual([
      [second.id, 'rejected'],
      [first.id, 'posted'],
    ]);
    expect(history.passwordResets).toEqual([
      {
        userId: ids.paula,
        resetAt: new Date(resetAtMs).toISOString(),
        resetBy: ids.admin,
        resetByName: 'Ada Admin',
        changedSince: true,
      },
    ]);
    // Neither Phil nor Tess (first passwords, set with their accounts) shows a reset.
    const signers = new Set(history.decided.flatMap((tx) => tx.signatures.map((s) => s.userId)));
    expect([...signers].sort()).toEqual([ids.phil, ids.paula, ids.tess].sort());

    // The router still checks the caller: no one signed in is refused.
    const nobody = await caller(core, 'nobody-history')('approvals.history');
    expect(nobody).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
