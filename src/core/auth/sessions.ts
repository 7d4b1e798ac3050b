import type { Principal } from '../api/principal';
import type { SessionSlot } from '../api/router';

/**
 * Who is signed in where. A transport names its session with a key it controls (the host: its
 * session cookie id; Electron: the window's webContents id; the CLI: one per run) and asks for a
 * {@link SessionSlot}. A session that sees no call for `idleLockMs` is locked: the person stays
 * known (so only they can unlock it with their password, or someone else signs in over it), but
 * no call runs as them. The lock is noticed on the next call (or by {@link SessionManager.sweep})
 * and reported once through `onLock`, which records it in the ledger.
 *
 * Every call through the slot counts as activity; the renderer therefore must not poll
 * authenticated procedures on a timer (the event stream does not touch the session).
 */
export type SessionState =
  | { readonly state: 'signed-out' }
  | { readonly state: 'active'; readonly principal: Principal; readonly idleMs: number }
  | { readonly state: 'locked'; readonly principal: Principal; readonly lockedAtMs: number };

export type LockReason = 'inactivity' | 'manual';

export interface SessionEvents {
  /** The session under `key` was locked; called once per lock, outside any transaction. */
  onLock(principal: Principal, reason: LockReason, atMs: number, key: string): void;
}

export interface SessionManagerOptions {
  readonly idleLockMs: () => number;
  readonly now?: () => number;
  readonly events?: SessionEvents;
}

interface Session {
  principal: Principal;
  lastActivityMs: number;
  lockedAtMs: number | null;
}

export const DEFAULT_IDLE_LOCK_MS = 5 * 60_000;

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;

  constructor(private readonly options: SessionManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The slot a transport hands the router for one call under `key`; reading it counts as activity. */
  slot(key: string): SessionSlot {
    return {
      get: () => this.touch(key),
      peek: () => {
        const state = this.peek(key);
        return state.state === 'active' ? state.principal : null;
      },
      set: (principal) => (principal === null ? this.end(key) : this.begin(key, principal)),
    };
  }

  /** The state without counting as activity (for status displays); notices an idle lock. */
  peek(key: string): SessionState {
    const session = this.sessions.get(key);
    if (session === undefined) return { state: 'signed-out' };
    this.lockIfIdle(key, session);
    if (session.lockedAtMs !== null) {
      return { state: 'locked', principal: session.principal, lockedAtMs: session.lockedAtMs };
    }
    return { state: 'active', principal: session.principal, idleMs: this.now() - session.lastActivityMs };
  }

  begin(key: string, principal: Principal): void {
    this.sessions.set(key, { principal, lastActivityMs: this.now(), lockedAtMs: null });
  }

  end(key: string): Principal | null {
    const session = this.sessions.get(key);
    this.sessions.delete(key);
    return session?.principal ?? null;
  }

  lock(key: string, reason: LockReason = 'manual'): Principal | null {
    const session = this.sessions.get(key);
    if (session === undefined || session.lockedAtMs !== null) return null;
    session.lockedAtMs = this.now();
    this.options.events?.onLock(session.principal, reason, session.lockedAtMs, key);
    return session.principal;
  }

  /** Reopens a locked session; the caller has already checked the person's password. */
  unlock(key: string): void {
    const session = this.sessions.get(key);
    if (session === undefined) return;
    session.lockedAtMs = null;
    session.lastActivityMs = this.now();
  }

  /** Replaces the principal of every session of this user (after a role change or deactivation). */
  refresh(userId: string, next: Principal | null): void {
    for (const [key, session] of this.sessions) {
      if (session.principal.userId !== userId) continue;
      if (next === null) this.sessions.delete(key);
      else session.principal = next;
    }
  }

  /** Locks every idle session now (a timer may call this so locks are recorded promptly). */
  sweep(): void {
    for (const [key, session] of this.sessions) this.lockIfIdle(key, session);
  }

  private touch(key: string): Principal | null {
    const session = this.sessions.get(key);
    if (session === undefined) return null;
    this.lockIfIdle(key, session);
    if (session.lockedAtMs !== null) return null;
    session.lastActivityMs = this.now();
    return session.principal;
  }

  private lockIfIdle(key: string, session: Session): void {
    if (session.lockedAtMs !== null) return;
    const idleSince = session.lastActivityMs + this.options.idleLockMs();
    if (this.now() >= idleSince) {
      session.lockedAtMs = idleSince;
      this.options.events?.onLock(session.principal, 'inactivity', idleSince, key);
    }
  }
}
