import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/core/api/principal';
import { SessionManager } from '../../src/core/auth/sessions';

const ana: Principal = { userId: 'u1', username: 'ana', displayName: 'Ana', roles: ['pharmacist'] };

function manager(idleMs = 5 * 60_000) {
  let t = 0;
  const locks: { userId: string; reason: string; at: number }[] = [];
  const sessions = new SessionManager({
    idleLockMs: () => idleMs,
    now: () => t,
    events: { onLock: (p, reason, at) => locks.push({ userId: p.userId, reason, at }) },
  });
  return { sessions, locks, advance: (ms: number) => (t += ms) };
}

describe('SessionManager (inactivity lock, injected clock)', () => {
  it('keeps a session alive while calls come in and locks it after 5 idle minutes', () => {
    const { sessions, locks, advance } = manager();
    const slot = sessions.slot('http:abc');
    slot.set(ana);
    advance(4 * 60_000);
    expect(slot.get()).toEqual(ana);
    advance(4 * 60_000); // 4 min since the last call: still fine
    expect(slot.get()).toEqual(ana);
    advance(5 * 60_000);
    expect(slot.get()).toBeNull();
    expect(sessions.peek('http:abc')).toMatchObject({
      state: 'locked',
      principal: ana,
      lockedAtMs: 13 * 60_000,
    });
    expect(locks).toEqual([{ userId: 'u1', reason: 'inactivity', at: 13 * 60_000 }]);
    expect(slot.get()).toBeNull();
    expect(locks).toHaveLength(1); // reported once
  });

  it('peek does not count as activity; unlock reopens; sessions are per key', () => {
    const { sessions, advance } = manager(60_000);
    sessions.slot('ipc:1').set(ana);
    advance(59_000);
    expect(sessions.peek('ipc:1').state).toBe('active');
    advance(1_000);
    expect(sessions.peek('ipc:1').state).toBe('locked');
    expect(sessions.peek('ipc:2').state).toBe('signed-out');
    sessions.unlock('ipc:1');
    expect(sessions.slot('ipc:1').get()).toEqual(ana);
    sessions.slot('ipc:1').set(null);
    expect(sessions.peek('ipc:1').state).toBe('signed-out');
  });

  it('locks on request and drops sessions of a deactivated person', () => {
    const { sessions, locks } = manager();
    sessions.slot('a').set(ana);
    sessions.slot('b').set(ana);
    sessions.lock('a');
    expect(locks[0]).toMatchObject({ reason: 'manual' });
    sessions.refresh('u1', null);
    expect(sessions.peek('b').state).toBe('signed-out');
  });
});
