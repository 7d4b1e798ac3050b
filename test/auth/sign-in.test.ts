import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import {
  PASSWORDS,
  REGISTRANT,
  caller,
  entriesOf,
  makeCore,
  signIn,
  staffPharmacy,
  tempDir,
  testClock,
  value,
} from '../inventory/helpers';

const clock = testClock();
let dir: string;
let core: Core;
let ids: Awaited<ReturnType<typeof staffPharmacy>>;

beforeAll(async () => {
  dir = tempDir('custodia-auth-');
  core = makeCore(dir, clock);
  ids = await staffPharmacy(core);
}, 60_000);
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('first-run setup', () => {
  it('refuses a second setup, and records the attempt', async () => {
    const again = await caller(core, 'x')('setup.initialize', {
      registrant: REGISTRANT,
      administrator: { username: 'mallory', displayName: 'Mallory', password: 'a perfectly long passphrase' },
    });
    expect(again.ok || again.error).toMatchObject({ code: 'conflict', details: { rule: 'setup-once' } });
    const admin = await signIn(core, 'admin', 'admin');
    expect(await entriesOf(admin, ['setup.refused'])).toHaveLength(1);
    expect(await value(caller(core, 'x')('setup.status'))).toMatchObject({
      complete: true,
      registrant: { deaNumber: 'AB1234563' },
    });
  });

  it('checks the DEA number by its check digit and GLNs by theirs', async () => {
    const admin = caller(core, 'admin');
    const bad = await admin('setup.updateRegistrant', {
      registrant: { ...REGISTRANT, deaNumber: 'AB1234567' },
    });
    expect(bad.ok || bad.error).toMatchObject({ code: 'rule-violation', details: { rule: 'dea-number' } });
    const gln = await admin('setup.updateRegistrant', {
      registrant: { ...REGISTRANT, glns: ['0614141000006'] },
    });
    expect(gln.ok || gln.error).toMatchObject({ code: 'rule-violation', details: { rule: 'gln' } });
  });
});

describe('sign-in and lockout', () => {
  it('locks an account after 5 wrong passwords for 15 minutes; every attempt is a ledger entry', async () => {
    const door = caller(core, 'door');
    for (let i = 1; i <= 4; i++) {
      const r = await door('auth.signIn', { username: 'tess', password: `wrong guess ${i}` });
      expect(r.ok || r.error).toMatchObject({ code: 'unauthenticated', details: { rule: 'sign-in' } });
    }
    const fifth = await door('auth.signIn', { username: 'tess', password: 'wrong guess 5' });
    expect(fifth.ok || fifth.error).toMatchObject({ code: 'forbidden', details: { rule: 'account-locked' } });
    const right = await door('auth.signIn', { username: 'tess', password: PASSWORDS.tess });
    expect(right.ok || right.error).toMatchObject({ code: 'forbidden', details: { rule: 'account-locked' } });
    const admin = caller(core, 'admin');
    const listed = await value<{ users: { username: string; lockedUntil: string | null }[] }>(
      admin('users.list'),
    );
    expect(listed.users.find((u) => u.username === 'tess')!.lockedUntil).not.toBeNull();

    clock.advance(15 * 60_000);
    expect((await door('auth.signIn', { username: 'tess', password: PASSWORDS.tess })).ok).toBe(true);
    await signIn(core, 'admin', 'admin'); // the admin's own window locked meanwhile

    const failures = await entriesOf(admin, ['auth.sign-in-failed']);
    const tess = failures.filter((e) => e.payload.userId === ids.tess);
    expect(tess.map((e) => e.payload.reason)).toEqual([...Array(5).fill('wrong-password'), 'account-locked']);
    expect(await entriesOf(admin, ['auth.account-locked'])).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ userId: ids.tess }) }),
    ]);
    expect(JSON.stringify(failures)).not.toMatch(/wrong guess|kettle/);
  });

  it('records an unknown username without the text typed (it may be a password)', async () => {
    const r = await caller(core, 'door')('auth.signIn', {
      username: 'my secret words',
      password: 'whatever it is',
    });
    expect(r.ok || r.error).toMatchObject({ code: 'unauthenticated' });
    const entries = await entriesOf(await signIn(core, 'admin', 'admin'), ['auth.sign-in-failed']);
    const last = entries[entries.length - 1]!;
    expect(last).toMatchObject({ actor: 'anonymous', payload: { userId: null, reason: 'unknown-user' } });
    expect(JSON.stringify(entries)).not.toContain('my secret words');
  });

  it('an administrator can lift a lockout early', async () => {
    const door = caller(core, 'door2');
    for (let i = 0; i < 5; i++)
      await door('auth.signIn', { username: 'ava', password: `nope ${i} nope nope` });
    expect((await door('auth.signIn', { username: 'ava', password: PASSWORDS.ava })).ok).toBe(false);
    await value((await signIn(core, 'admin', 'admin'))('users.unlockAccount', { userId: ids.ava }));
    expect((await door('auth.signIn', { username: 'ava', password: PASSWORDS.ava })).ok).toBe(true);
  });
});

describe('sessions bound to the transport, locking after inactivity (injected clock)', () => {
  it("locks after 5 idle minutes, records the lock, and unlocks only with the same person's password", async () => {
    const phil = await signIn(core, 'phil-window', 'phil');
    clock.advance(4 * 60_000);
    expect((await phil('inventory.balances')).ok).toBe(true);
    clock.advance(4 * 60_000);
    expect((await phil('inventory.balances')).ok).toBe(true);
    clock.advance(5 * 60_000);
    const idle = await phil('inventory.balances');
    expect(idle.ok || idle.error).toMatchObject({ code: 'unauthenticated' });
    expect(await value(phil('auth.session'))).toMatchObject({
      state: 'locked',
      principal: { username: 'phil' },
    });
    // Another window is a different session and stays signed out.
    expect(await value(caller(core, 'other-window')('auth.session'))).toEqual({ state: 'signed-out' });

    const wrong = await phil('auth.unlock', { password: 'not phil at all' });
    expect(wrong.ok).toBe(false);
    await value(phil('auth.unlock', { password: PASSWORDS.phil }));
    expect((await phil('inventory.balances')).ok).toBe(true);
    await value(phil('auth.lock'));
    expect((await phil('inventory.balances')).ok).toBe(false);
    await value(phil('auth.signOut'));
    expect(await value(phil('auth.session'))).toEqual({ state: 'signed-out' });

    const admin = await signIn(core, 'admin-2', 'admin');
    const locks = await entriesOf(admin, ['auth.session-locked', 'auth.session-unlocked', 'auth.signed-out']);
    const mine = locks
      .filter((e) => e.payload.userId === ids.phil)
      .map((e) => [e.type, e.payload.reason ?? null]);
    expect(mine).toEqual([
      ['auth.session-locked', 'inactivity'],
      ['auth.session-unlocked', null],
      ['auth.session-locked', 'manual'],
      ['auth.signed-out', null],
    ]);
  });

  it('follows the configured inactivity setting', async () => {
    const admin = caller(core, 'admin-2');
    await value(admin('setup.updateSettings', { settings: { idleLockMinutes: 1 } }));
    const cora = await signIn(core, 'cora-window', 'cora');
    clock.advance(61_000);
    expect(await value(cora('auth.session'))).toMatchObject({ state: 'locked' });
    clock.advance(-61_000);
  });
});
