import fs from 'node:fs';
import type { Handlers } from '../api/router';
import type { systemProcedures } from '../api/procedures/system';
import type { LedgerState } from '../ledger/service';
import type { CoreServices } from './services';

export function systemHandlers(services: CoreServices): Handlers<typeof systemProcedures> {
  return {
    'system.info': (_input, ctx) => ({
      product: 'Custodia',
      version: services.version,
      dataDir: services.dataDir,
      cli: services.cliCommand ?? 'custodia',
      transport: ctx.transport,
      ledger: services.ledgerStatus(),
      signedIn: ctx.principal
        ? { username: ctx.principal.username, displayName: ctx.principal.displayName }
        : null,
    }),
    'system.health': () => {
      const checks = [dataDirCheck(services.dataDir), ledgerCheck(services.ledgerStatus())];
      return { ok: checks.every((check) => check.ok), checks };
    },
    'system.echo': (input) => ({ text: input.text.repeat(input.count) }),
  };
}

/** A standing ledger alarm (rollback, damage, a failed verification) is the first thing health names. */
function ledgerCheck(status: { state: LedgerState; message: string }) {
  const ok = status.state !== 'alarm' && status.state !== 'unavailable';
  return { name: 'ledger', ok, message: status.message };
}

function dataDirCheck(dataDir: string) {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.accessSync(dataDir, fs.constants.W_OK);
    return { name: 'data-directory', ok: true, message: 'The data directory is writable.' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    return {
      name: 'data-directory',
      ok: false,
      message: `The data directory cannot be written (${code}). Check its permissions or choose another with --data.`,
    };
  }
}
