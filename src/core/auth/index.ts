/** People's identity: accounts, sign-in and sessions, re-entered passwords and electronic signatures. */
export {
  activeAdministrators,
  findUser,
  findUserByName,
  hasUsers,
  listUsers,
  lockoutState,
  principalOf,
  projectPeople,
  type UserRecord,
} from './accounts';
export { AuditedRouter } from './audited-router';
export { actorOf, authHandlers, me } from './handlers';
export type { ScryptCost } from './password';
export { AuthService, newUserId } from './service';
export { signature, subjectHash } from './signature';
export { lastPasswordReset, type PasswordReset } from './signing-rules';
export {
  closureSignature,
  closureSigner,
  requireSignerPermission,
  workspaceClosureSigner,
  type AuthenticatedSigner,
  type ClosureSigner,
  type SignerIdentity,
} from './signed-closure';
