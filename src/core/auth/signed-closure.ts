import { ApiError } from '../api/errors';
import { rolesGrant, type Permission, type Role } from '../api/permissions';
import type { ClosureSignature } from '../api/procedures/quarantine';
import { AuthService } from './service';
import { subjectHash } from './signature';
import type { Workspace } from '../ledger/workspace';

/** Who signs a closure: the signed-in person (by user id) or, on the command line, by username. */
export type SignerIdentity = { userId: string } | { username: string };

/** The person whose password was just checked. */
export interface AuthenticatedSigner {
  readonly userId: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
}

/**
 * Checks a signer's re-entered password exactly as sign-in does (auth/service.ts): a wrong one is an
 * `auth.refused` entry (rule electronic-signature) that counts toward lockout, and a locked account is
 * refused even the right password. The refusal entries live under `auth.` so the people projection
 * rebuild replays their lockout counts.
 */
export interface ClosureSigner {
  authenticate(
    who: SignerIdentity,
    password: string,
    /** area: the `<area>.refused` a wrong password is recorded as ("auth" unless the closure says). */
    attempt: { area?: string; procedure: string; subject: Record<string, string | number | null> },
  ): Promise<AuthenticatedSigner>;
}

export function closureSigner(auth: AuthService): ClosureSigner {
  return {
    async authenticate(who, password, attempt) {
      const ws = await auth.workspace();
      const actor = 'userId' in who ? who.userId : 'anonymous';
      const { area = 'auth', ...rest } = attempt;
      const user = await auth.authenticateSigner(ws, who, password, { area, actor, ...rest });
      return { userId: user.userId, displayName: user.displayName, roles: user.roles };
    },
  };
}

/**
 * A signer over a ledger opened without the app's people domain (the command line's direct use of
 * the core, or a core assembled without passing its AuthService): the same checks and entries, with
 * the production password cost.
 */
export function workspaceClosureSigner(workspace: () => Promise<Workspace>): ClosureSigner {
  return closureSigner(new AuthService({ workspace }));
}

/** Refuses a signer whose roles do not grant what the closure needs (the router checks the caller; this checks the signer). */
export function requireSignerPermission(
  signer: AuthenticatedSigner,
  permission: Permission,
  what: string,
): void {
  if (!rolesGrant(signer.roles, permission)) {
    throw new ApiError(
      'forbidden',
      `${signer.displayName} may not ${what}: their roles (${signer.roles.join(', ') || 'none'}) do not grant ${permission}. Ask a person who may to sign it.`,
      { rule: 'signer-permission', permission },
    );
  }
}

/**
 * The signature: printed name, meaning in words, time, and the hash of exactly the subject (RFC 8785
 * canonical bytes), so a later change to the subject no longer matches what was signed (11.70).
 */
export function closureSignature(
  signer: AuthenticatedSigner,
  meaning: string,
  subject: unknown,
  atMs: number,
): ClosureSignature {
  return {
    userId: signer.userId,
    printedName: signer.displayName,
    meaning,
    signedAt: new Date(atMs).toISOString(),
    subjectHash: subjectHash(subject),
  };
}
