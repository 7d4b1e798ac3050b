import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST, hashPassword, needsRehash, verifyPassword } from '../../src/core/auth/password';
import { checkPassword } from '../../src/core/auth/password-policy';
import { DEFAULT_LOCKOUT, isLockedOut, NO_FAILURES, recordFailure } from '../../src/core/auth/lockout';

describe('password hashing', () => {
  it('uses scrypt with a per-user salt and stores its parameters (production cost)', async () => {
    const a = await hashPassword('quiet river copper lamp');
    const b = await hashPassword('quiet river copper lamp');
    expect(a).toMatchObject({ alg: 'scrypt', n: 2 ** 15, r: 8, p: 1 });
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await verifyPassword('quiet river copper lamp', a)).toBe(true);
    expect(await verifyPassword('quiet river copper lamb', a)).toBe(false);
    expect(JSON.stringify(a)).not.toContain('river');
  });

  it('verifies with the stored parameters and flags weaker ones for rehash', async () => {
    const weak = await hashPassword('garden stone winter bell', { n: 1024, r: 8, p: 1 });
    expect(await verifyPassword('garden stone winter bell', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash({ ...weak, ...DEFAULT_SCRYPT_COST })).toBe(false);
    expect(await verifyPassword('garden stone winter bell', { ...weak, hash: 'AAAA' })).toBe(false);
  });
});

describe('password policy (NIST SP 800-63B style)', () => {
  it('accepts a passphrase without symbols and refuses short, common, repetitive or username passwords', () => {
    expect(checkPassword('blue kettle morning walk').ok).toBe(true);
    expect(checkPassword('Tr0ub4dor&3').problems[0]).toMatch(/at least 12/);
    expect(checkPassword('password1234').ok).toBe(false);
    expect(checkPassword('aaaaaaaaaaaaaaa').ok).toBe(false);
    expect(checkPassword('tess-is-my-password', 'tess').problems).toContain(
      'Do not include your username in your password.',
    );
  });
});

describe('account lockout', () => {
  it('locks after the fifth wrong password within 15 minutes, for 15 minutes', () => {
    let state = NO_FAILURES;
    const t0 = 1_000_000;
    for (let i = 1; i <= 4; i++) {
      const next = recordFailure(state, t0 + i * 1000, DEFAULT_LOCKOUT);
      expect(next.lockedNow).toBe(false);
      state = next.state;
    }
    const fifth = recordFailure(state, t0 + 5000, DEFAULT_LOCKOUT);
    expect(fifth.lockedNow).toBe(true);
    expect(isLockedOut(fifth.state, t0 + 5000 + 14 * 60_000)).toBe(true);
    expect(isLockedOut(fifth.state, t0 + 5000 + 15 * 60_000)).toBe(false);
  });

  it('forgets failures older than the window', () => {
    const first = recordFailure(NO_FAILURES, 0, DEFAULT_LOCKOUT).state;
    const later = recordFailure({ ...first, failures: 4 }, 16 * 60_000, DEFAULT_LOCKOUT);
    expect(later).toMatchObject({ lockedNow: false, state: { failures: 1 } });
  });
});
