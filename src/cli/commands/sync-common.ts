import { workspaceFor } from '../../core/ledger/open';
import { projections } from '../../core/projections';
import { SecretStoreError } from '../../core/secrets/secret-store';
import { StoreError } from '../../core/store/errors';
import { DEFAULT_SYNC, type SyncDeps, type SyncSettings } from '../../core/sync';
import { UsageError, type CliIo, type ParsedArgs } from '../command';
import { openCliLedger } from './ledger-common';

/** Exit status "try again later" (sysexits EX_TEMPFAIL): the app holds the writer, or the keychain is locked. */
export const EXIT_TRY_LATER = 75;

/**
 * The sync settings, with the waits a test (or an operator on a slow link) may shorten or lengthen
 * through the environment; never a secret.
 */
export function syncSettings(env: NodeJS.ProcessEnv): SyncSettings {
  const ms = (name: string, fallback: number) => {
    const v = env[name];
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
  };
  return {
    ...DEFAULT_SYNC,
    retry: {
      ...DEFAULT_SYNC.retry,
      baseMs: ms('CUSTODIA_SYNC_RETRY_BASE_MS', DEFAULT_SYNC.retry.baseMs),
      capMs: ms('CUSTODIA_SYNC_RETRY_CAP_MS', DEFAULT_SYNC.retry.capMs),
      attempts: ms('CUSTODIA_SYNC_ATTEMPTS', DEFAULT_SYNC.retry.attempts),
    },
    timeoutMs: ms('CUSTODIA_SYNC_TIMEOUT_MS', DEFAULT_SYNC.timeoutMs),
    captureGraceMs: ms('CUSTODIA_SYNC_CAPTURE_GRACE_MS', DEFAULT_SYNC.captureGraceMs),
    pollIntervalMs: ms('CUSTODIA_SYNC_POLL_MS', DEFAULT_SYNC.pollIntervalMs),
  };
}

/** Runs fn with the ledger of --data and its keychain; a held writer or a locked keychain is exit 75. */
export async function withSyncDeps<T>(
  args: ParsedArgs,
  io: CliIo,
  fn: (deps: SyncDeps) => Promise<T>,
): Promise<T> {
  let opened;
  try {
    opened = await openCliLedger(args);
  } catch (error) {
    if (error instanceof StoreError && (error.kind === 'locked' || error.kind === 'keychain-unavailable'))
      throw new UsageError(`${error.message} Nothing was changed; try again later.`, EXIT_TRY_LATER);
    if (error instanceof SecretStoreError)
      throw new UsageError(
        `the keychain is not available (${error.message}). Nothing was changed; try again later.`,
        EXIT_TRY_LATER,
      );
    throw error;
  }
  try {
    return await fn({
      ws: workspaceFor(opened, projections),
      secrets: opened.installation.secrets,
      settings: syncSettings(io.env),
    });
  } catch (error) {
    if (
      error instanceof SecretStoreError ||
      (error instanceof StoreError && error.kind === 'keychain-unavailable')
    )
      throw new UsageError(
        `the keychain is locked or unavailable (${error.message}); try again later.`,
        EXIT_TRY_LATER,
      );
    throw error;
  } finally {
    opened.close();
  }
}

/** The partner's secret, from CUSTODIA_PARTNER_SECRET or stdin: never an argument. */
export async function partnerSecret(io: CliIo): Promise<string | undefined> {
  const fromEnv = io.env.CUSTODIA_PARTNER_SECRET;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY === true && io.env === process.env) return undefined;
  const text = (await io.readStdin()).replace(/\r?\n$/, '');
  return text === '' ? undefined : text;
}
