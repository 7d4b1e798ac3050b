import { asClientError, type ClientError } from '../api/client';

export type FieldErrors = Record<string, string>;

/**
 * Splits a core error into messages for the fields it concerns and what is left for a notice.
 * Schema refusals name fields by path (details.issues); business rules name a rule
 * (details.rule), which `ruleFields` maps to the field a person should look at.
 */
export function splitError(
  error: unknown,
  options: { ruleFields?: Record<string, string>; stripPrefix?: string } = {},
): { fields: FieldErrors; general: ClientError | null } {
  const err = asClientError(error);
  const fields: FieldErrors = {};
  const details = err.details ?? {};
  if (err.code === 'invalid-input' && Array.isArray(details.issues)) {
    for (const issue of details.issues as { path?: unknown; message?: unknown }[]) {
      let path = typeof issue.path === 'string' ? issue.path : '';
      if (options.stripPrefix && path.startsWith(options.stripPrefix)) {
        path = path.slice(options.stripPrefix.length);
      }
      if (path && fields[path] === undefined) fields[path] = String(issue.message);
    }
    if (Object.keys(fields).length > 0) return { fields, general: null };
  }
  const rule = typeof details.rule === 'string' ? details.rule : undefined;
  const field = rule ? options.ruleFields?.[rule] : undefined;
  if (field) {
    fields[field] = err.message;
    return { fields, general: null };
  }
  return { fields, general: err };
}

/** The next step for a refusal, said as plainly as the message itself. */
export function nextStep(error: ClientError): string | undefined {
  switch (error.code) {
    case 'unauthenticated':
      return 'Sign in again, then repeat what you were doing.';
    case 'forbidden':
      if (error.details?.rule === 'account-locked')
        return 'Wait for the lock to expire, or ask an administrator to lift it in Settings.';
      if (error.details?.rule === 'electronic-signature')
        return 'Re-enter the password carefully; after several wrong tries the account locks for a while.';
      if (error.details?.rule === 'dual-control')
        return 'Another pharmacist or compliance officer has to do this.';
      return 'Ask a colleague whose role allows it, or an administrator to change your roles.';
    case 'conflict':
      return 'Reload the page to see the current state before trying again.';
    case 'keychain-unavailable':
      return 'Unlock or start the operating system keychain, then try again.';
    case 'ledger-unavailable':
    case 'integrity-alarm':
      return 'Open the Ledger page for details, and tell your compliance officer.';
    default:
      return undefined;
  }
}
