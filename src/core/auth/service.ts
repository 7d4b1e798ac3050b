import crypto from 'node:crypto';
import { ApiError } from '../api/errors';
import type { Principal } from '../api/principal';
import type { CallContext, SessionSlot } from '../api/router';
import type { Settings } from '../api/procedures/setup';
import {
  findUser,
  findUserByName,
  lockoutState,
  principalOf,
  type LockoutPayload,
  type UserRecord,
} from './accounts';
import { DEFAULT_SETTINGS, readSettings } from '../registrant/registrant';
import { isLockedOut, recordFailure, type LockoutPolicy } from './lockout';
import {
  DEFAULT_SCRYPT_COST,
  hashPassword,
  needsRehash,
  passwordHashSchema,
  verifyPassword,
  type PasswordHash,
  type ScryptCost,
} from './password';
import { checkPassword } from './password-policy';
import { signingRefusal } from './signing-rules';
import { SessionManager, type LockReason } from './sessions';
import { recordUnlessReadOnly, type Attempt, type Workspace, type WriteTx } from '../ledger/workspace';

export interface AuthOptions {
  readonly workspace: () => Promise<Workspace>;
  readonly now?: () => number;
  /** Tests lower the scrypt cost; production keeps the default. */
  readonly scryptCost?: ScryptCost;
  readonly onBackgroundError?: (error: unknown) => void;
  readonly onRefusalNotRecorded?: (error: unknown) => void;
}

function lockoutPolicy(settings: Settings): LockoutPolicy {
  return {
    maxFailures: settings.lockoutMaxFailures,
    windowMs: settings.lockoutWindowMinutes * 60_000,
    lockMs: settings.lockoutMinutes * 60_000,
  };
}

/**
 * Sign-in, sessions and re-entered passwords (electronic signatures, witnesses). Every sign-in,
 * failure, account lockout, workstation lock and unlock and sign-out is a ledger entry; no entry
 * and no error carries a password, a hash, or a username nobody has (it may be a mistyped password).
 */
export class AuthService {
  readonly sessions: SessionManager;
  private readonly now: () => number;
  private readonly cost: ScryptCost;
  private settings: Settings = DEFAULT_SETTINGS;
  private readonly slotKeys = new WeakMap<SessionSlot, string>();
  private background: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AuthOptions) {
    this.now = options.now ?? Date.now;
    this.cost = options.scryptCost ?? DEFAULT_SCRYPT_COST;
    this.sessions = new SessionManager({
      now: this.now,
      idleLockMs: () => this.settings.idleLockMinutes * 60_000,
      events: { onLock: (principal, reason, atMs) => this.recordLock(principal, reason, atMs) },
    });
  }

  /** The slot a transport passes for session `key`; the router reads the principal from it. */
  slot(key: string): SessionSlot {
    const slot = this.sessions.slot(key);
    this.slotKeys.set(slot, key);
    return slot;
  }

  /** Settles when background ledger writes (idle locks) are done; for tests and shutdown. */
  settled(): Promise<unknown> {
    return this.background;
  }

  /** Called whenever the settings projection may have changed. */
  useSettings(settings: Settings): void {
    this.settings = settings;
  }

  async workspace(): Promise<Workspace> {
    const ws = await this.options.workspace();
    this.settings = readSettings(ws.db);
    return ws;
  }

  async hash(password: string): Promise<PasswordHash> {
    return hashPassword(password, this.cost);
  }

  /** Refuses a password the policy does not accept, with every reason. */
  checkPolicy(password: string, username: string): void {
    const result = checkPassword(password, username);
    if (!result.ok) {
      throw new ApiError('rule-violation', `That password cannot be used: ${result.problems.join(' ')}`, {
        rule: 'password-policy',
        problems: result.problems,
      });
    }
  }

  async signIn(username: string, password: string, ctx: CallContext): Promise<Principal> {
    const ws = await this.workspace();
    const user = findUserByName(ws.db, username.trim());
    const attempt: Attempt = { area: 'auth', procedure: 'auth.signIn', actor: user?.userId ?? 'anonymous' };
    if (user === null || !user.active) {
      // Same answer as a wrong password: do not tell a stranger which usernames exist.
      await ws.write((tx) =>
        tx.record('auth.sign-in-failed', attempt.actor, {
          userId: user?.userId ?? null,
          reason: user === null ? 'unknown-user' : 'inactive-user',
          transport: ctx.transport,
          lockout: null,
        }),
      );
      throw wrongCredentials();
    }
    await this.checkPassword(ws, user, password, 'auth.signIn', 'auth.sign-in-failed', {
      transport: ctx.transport,
    });
    const principal = principalOf(user);
    // Under an integrity alarm the ledger is read-only: the sign-in goes on unrecorded, to the alarm's pages.
    await recordUnlessReadOnly(ws, (tx) =>
      tx.record('auth.signed-in', user.userId, { userId: user.userId, transport: ctx.transport }),
    );
    this.bind(ctx, principal);
    return principal;
  }

  /**
   * Checks a person's own password for a signature, a witness or a sign-in. A wrong one is a
   * ledger entry of `failureType` that also moves the account toward lockout; a locked account
   * refuses even the right password until the lock expires or an administrator lifts it.
   */
  async checkPassword(
    ws: Workspace,
    user: UserRecord,
    password: string,
    procedure: string,
    failureType: string,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const state = lockoutState(ws.db, user.userId);
    if (isLockedOut(state, this.now())) {
      await ws.write((tx) =>
        tx.record(failureType, user.userId, {
          userId: user.userId,
          procedure,
          reason: 'account-locked',
          ...extra,
          lockout: null,
        }),
      );
      throw accountLocked(user, state.lockedUntilMs!, this.now());
    }
    const record = readCredential(ws, user.userId);
    if (record !== null && (await verifyPassword(password, record))) {
      if (needsRehash(record, this.cost) && this.cost === DEFAULT_SCRYPT_COST) {
        const fresh = await this.hash(password);
        ws.db
          .prepare('UPDATE credentials SET record = ? WHERE user_id = ?')
          .run(JSON.stringify(fresh), user.userId);
      }
      return;
    }
    const { lockedUntilMs } = await ws.write((tx) => {
      // Recomputed inside the write so two failures at once both count.
      const now = tx.time;
      const next = recordFailure(lockoutState(tx.db, user.userId), now, lockoutPolicy(readSettings(tx.db)));
      const lockout: LockoutPayload = { userId: user.userId, ...next.state };
      tx.record(failureType, user.userId, {
        userId: user.userId,
        procedure,
        reason: 'wrong-password',
        ...extra,
        lockout,
      });
      if (next.lockedNow) {
        tx.record('auth.account-locked', 'system', { userId: user.userId, until: next.state.lockedUntilMs });
      }
      return next.state;
    });
    if (lockedUntilMs !== null) throw accountLocked(user, lockedUntilMs, this.now());
    if (failureType === 'auth.sign-in-failed') throw wrongCredentials();
    throw new ApiError(
      'forbidden',
      `The password entered for ${user.displayName} is not correct; nothing was signed.`,
      {
        rule: 'electronic-signature',
        userId: user.userId,
      },
    );
  }

  /**
   * Authenticates a signer by username + password typed on this desktop: the signed-in person
   * re-entering theirs, or a colleague who witnesses at the same screen (their own username and
   * password, checked here; they need not be the person signed in). Returns their current record.
   */
  /**
   * The opening of every signed change (21 CFR 11.200(a)): the person re-enters their password,
   * checked as a sign-in is (a wrong one is refused and recorded, and counts toward lockout), then
   * fn runs in one guarded write, so a refusal inside it is recorded too.
   */
  async signedWrite<T>(
    principal: Principal,
    password: string,
    attempt: Omit<Attempt, 'actor'>,
    fn: (tx: WriteTx, signer: UserRecord) => T,
  ): Promise<T> {
    const ws = await this.workspace();
    const signed: Attempt = { ...attempt, actor: principal.userId };
    const signer = await this.authenticateSigner(ws, { userId: principal.userId }, password, signed);
    return ws.guarded(signed, (tx) => fn(tx, signer));
  }

  async authenticateSigner(
    ws: Workspace,
    who: { userId: string } | { username: string },
    password: string,
    attempt: Attempt,
  ): Promise<UserRecord> {
    const user = 'userId' in who ? findUser(ws.db, who.userId) : findUserByName(ws.db, who.username.trim());
    if (user === null || !user.active) {
      return ws.refuse(
        attempt,
        new ApiError(
          'forbidden',
          'That username and password do not match an active person here; nothing was signed.',
          {
            rule: 'electronic-signature',
          },
        ),
      );
    }
    await this.checkPassword(ws, user, password, attempt.procedure, `${attempt.area}.refused`, {
      code: 'forbidden',
      rule: 'electronic-signature',
      subject: attempt.subject ?? null,
    });
    // The right password is not yet a signature: not with a reset password or a self-granted role.
    const refusal = signingRefusal(ws.db, user, this.now());
    if (refusal !== null) return ws.refuse(attempt, refusal);
    return user;
  }

  async signOut(ctx: CallContext): Promise<boolean> {
    const key = this.keyOf(ctx);
    const principal = key !== null ? this.sessions.end(key) : (ctx.session?.get() ?? null);
    if (key === null) ctx.session?.set(null);
    if (principal === null) return false;
    const ws = await this.workspace();
    // A lock recorded in the background (idle or manual) comes first in the ledger, as it happened.
    await this.background;
    await recordUnlessReadOnly(ws, (tx) =>
      tx.record('auth.signed-out', principal.userId, { userId: principal.userId, transport: ctx.transport }),
    );
    return true;
  }

  state(ctx: CallContext) {
    const key = this.keyOf(ctx);
    if (key === null) {
      return ctx.principal
        ? {
            state: 'active' as const,
            principal: ctx.principal,
            locksInMs: this.settings.idleLockMinutes * 60_000,
          }
        : { state: 'signed-out' as const };
    }
    const state = this.sessions.peek(key);
    if (state.state === 'active') {
      return {
        state: 'active' as const,
        principal: state.principal,
        locksInMs: Math.max(0, this.settings.idleLockMinutes * 60_000 - state.idleMs),
      };
    }
    if (state.state === 'locked') {
      return {
        state: 'locked' as const,
        principal: state.principal,
        lockedAt: new Date(state.lockedAtMs).toISOString(),
      };
    }
    return { state: 'signed-out' as const };
  }

  lock(ctx: CallContext): void {
    const key = this.keyOf(ctx);
    if (key === null) throw new ApiError('conflict', 'This connection has no workstation session to lock.');
    this.sessions.lock(key, 'manual');
  }

  async unlock(password: string, ctx: CallContext): Promise<Principal> {
    const key = this.keyOf(ctx);
    const state = key === null ? null : this.sessions.peek(key);
    if (key === null || state === null || state.state !== 'locked') {
      throw new ApiError('conflict', 'The workstation is not locked; sign in instead.');
    }
    const ws = await this.workspace();
    const user = findUser(ws.db, state.principal.userId);
    if (user === null || !user.active) {
      this.sessions.end(key);
      throw new ApiError('unauthenticated', 'That account can no longer sign in; sign in as someone else.');
    }
    await this.checkPassword(ws, user, password, 'auth.unlock', 'auth.sign-in-failed', {
      transport: ctx.transport,
    });
    await this.background;
    await recordUnlessReadOnly(ws, (tx) =>
      tx.record('auth.session-unlocked', user.userId, { userId: user.userId, transport: ctx.transport }),
    );
    const principal = principalOf(user);
    this.sessions.begin(key, principal);
    return principal;
  }

  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    const ws = await this.workspace();
    const user = findUser(ws.db, principal.userId);
    if (user === null) throw new ApiError('not-found', 'Your account no longer exists.');
    await this.checkPassword(ws, user, current, 'auth.changePassword', 'auth.refused', {
      code: 'forbidden',
      rule: 'current-password',
    });
    this.checkPolicy(next, user.username);
    if (next === current)
      throw new ApiError(
        'rule-violation',
        'The new password is the one you have now: choose a different one (a reset password must change).',
        { rule: 'password-reuse' },
      );
    await this.setPassword(ws, user.userId, next, user.userId);
  }

  /** Stores a new hash and records (without it) that the password changed, in one transaction. */
  async setPassword(
    ws: Workspace,
    userId: string,
    password: string,
    by: string,
    inTx?: (tx: WriteTx) => void,
  ): Promise<void> {
    const record = await this.hash(password);
    await ws.write((tx) => {
      inTx?.(tx);
      const entry = tx.record('users.password-set', by, { userId, by });
      writeCredential(tx, userId, record, entry.seq);
    });
  }

  private bind(ctx: CallContext, principal: Principal): void {
    const key = this.keyOf(ctx);
    if (key !== null) this.sessions.begin(key, principal);
    else ctx.session?.set(principal);
  }

  private keyOf(ctx: CallContext): string | null {
    return ctx.session ? (this.slotKeys.get(ctx.session) ?? null) : null;
  }

  /**
   * Records a call the router refused by permission (AuditedRouter): a technician trying to approve
   * leaves a trace. A failure to record is reported, never thrown at the caller.
   */
  async recordRefusal(
    ctx: CallContext,
    method: string,
    error: { code: string; message: string },
  ): Promise<void> {
    const principal = ctx.principal;
    if (principal === null) return;
    try {
      const ws = await this.options.workspace();
      await ws.write((tx) =>
        tx.record('access.refused', principal.userId, {
          procedure: method,
          code: error.code,
          rule: 'permission',
          message: error.message,
          roles: principal.roles,
          transport: ctx.transport,
        }),
      );
    } catch (e) {
      this.options.onRefusalNotRecorded?.(e);
    }
  }

  private recordLock(principal: Principal, reason: LockReason, atMs: number): void {
    const write = async () => {
      const ws = await this.options.workspace();
      await ws.write((tx) =>
        tx.record('auth.session-locked', principal.userId, {
          userId: principal.userId,
          reason,
          lockedAt: atMs,
        }),
      );
    };
    this.background = this.background
      .then(write)
      .catch((error: unknown) => this.options.onBackgroundError?.(error));
  }
}

export function readCredential(ws: Workspace, userId: string): PasswordHash | null {
  const row = ws.db.prepare('SELECT record FROM credentials WHERE user_id = ?').get(userId) as
    { record: string } | undefined;
  if (row === undefined) return null;
  const parsed = passwordHashSchema.safeParse(JSON.parse(row.record));
  return parsed.success ? parsed.data : null;
}

export function writeCredential(tx: WriteTx, userId: string, record: PasswordHash, seq: number): void {
  tx.db
    .prepare(
      `INSERT INTO credentials (user_id, record, set_seq) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET record = excluded.record, set_seq = excluded.set_seq`,
    )
    .run(userId, JSON.stringify(record), seq);
}

export function newUserId(): string {
  return crypto.randomUUID();
}

function wrongCredentials(): ApiError {
  return new ApiError(
    'unauthenticated',
    'The username or password is not correct. Check both and try again.',
    {
      rule: 'sign-in',
    },
  );
}

function accountLocked(user: UserRecord, untilMs: number, nowMs: number): ApiError {
  const minutes = Math.max(1, Math.ceil((untilMs - nowMs) / 60_000));
  return new ApiError(
    'forbidden',
    `The account of ${user.displayName} is locked after repeated wrong passwords. Try again in about ${minutes} ` +
      'minute(s), or ask an administrator to lift the lock.',
    { rule: 'account-locked', userId: user.userId, lockedUntil: new Date(untilMs).toISOString() },
  );
}
